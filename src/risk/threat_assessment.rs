//! The strategic threat assessment (seed 000; HMICFRS recommendation 4): for a chosen period,
//! the intelligence received by national category, source type, grading and status against the
//! period before it, the live notifiable associations, the Beacon cohort, interventions by
//! outcome, the most pressing exposure leads, and the control strategy the force sets against
//! them. The figures are gathered by the workbench; this module only holds and compares them.
//!
//! Seed 000 is an argument, not a table of counts: it opens with what the analyst concludes,
//! ranks the threats and says why, asks for the intelligence it lacks and recommends what to
//! do. That argument is [`AssessmentText`], written by the analyst for a period and kept in
//! versions; [`ThreatAssessment::priority_threats`] sets each ranked threat beside the figures
//! behind it.

use crate::domain::{CodeLabels, FieldError, IsoDate, list};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Intelligence received in one period, counted four ways (codes as stored).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PeriodCounts {
    pub total: u64,
    pub by_category: BTreeMap<String, u64>,
    pub by_source_type: BTreeMap<String, u64>,
    /// Source evaluation and intelligence assessment together (`2C`).
    pub by_grading: BTreeMap<String, u64>,
    pub by_status: BTreeMap<String, u64>,
    /// By category, then sub-category (`""` for items without one).
    pub by_subcategory: BTreeMap<String, BTreeMap<String, u64>>,
    /// Items naming a member of staff as their subject, by that member's employee type, rank
    /// or grade, and department (`""` where the record has none). An item about two people of
    /// different ranks counts once under each rank.
    pub by_employee_type: BTreeMap<String, u64>,
    pub by_rank: BTreeMap<String, u64>,
    pub by_department: BTreeMap<String, u64>,
}

/// One row of a comparison with the previous period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Trend {
    pub code: String,
    /// The code's label in the reference data the assessment was made under (the code with
    /// spaces for underscores if the list has no such code).
    pub label: String,
    pub current: u64,
    pub previous: u64,
}

impl Trend {
    /// The change in per cent, when there was something to change from.
    #[must_use]
    #[expect(clippy::cast_precision_loss, reason = "counts far below 2^52")]
    pub fn change_percent(&self) -> Option<f64> {
        (self.previous > 0)
            .then(|| (self.current as f64 - self.previous as f64) * 100.0 / self.previous as f64)
    }
}

/// Every code counted in either period, with both counts and its label (`label(code)`), most
/// in the current period first.
#[must_use]
pub fn trends(
    current: &BTreeMap<String, u64>,
    previous: &BTreeMap<String, u64>,
    label: impl Fn(&str) -> String,
) -> Vec<Trend> {
    let mut rows: Vec<Trend> = current
        .keys()
        .chain(previous.keys())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .map(|code| Trend {
            code: code.clone(),
            label: label(code),
            current: current.get(code).copied().unwrap_or(0),
            previous: previous.get(code).copied().unwrap_or(0),
        })
        .collect();
    rows.sort_by(|a, b| b.current.cmp(&a.current).then_with(|| a.code.cmp(&b.code)));
    rows
}

/// The period of the same length that ends the day before `from`.
#[must_use]
pub fn previous_period(from: IsoDate, to: IsoDate) -> (IsoDate, IsoDate) {
    let days = (to.0 - from.0).whole_days() + 1;
    (from.plus_days(-days), from.plus_days(-1))
}

/// One row of the control strategy (seed 000 §5): a priority, and what the force does about it
/// by intervention, protection and prevention.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ControlStrategyRow {
    pub priority: String,
    #[serde(default)]
    pub intervention: String,
    #[serde(default)]
    pub protection: String,
    #[serde(default)]
    pub prevention: String,
}

/// Longest text in a control strategy cell.
pub const MAX_CONTROL_STRATEGY_CHARS: usize = 2000;

/// Longest control strategy, in rows.
pub const MAX_CONTROL_STRATEGY_ROWS: usize = 50;

/// What is wrong with a control strategy: an empty priority, a cell too long, too many rows.
/// Each problem names its row and column (`rows[2].prevention`).
#[must_use]
pub fn control_strategy_problems(rows: &[ControlStrategyRow]) -> Vec<FieldError> {
    let mut problems = Vec::new();
    if rows.len() > MAX_CONTROL_STRATEGY_ROWS {
        problems.push(FieldError::new(
            "rows",
            format!("a control strategy has at most {MAX_CONTROL_STRATEGY_ROWS} rows"),
        ));
    }
    for (index, row) in rows.iter().enumerate() {
        if row.priority.trim().is_empty() {
            problems.push(FieldError::new(
                format!("rows[{index}].priority"),
                "is required",
            ));
        }
        for (name, text) in [
            ("priority", &row.priority),
            ("intervention", &row.intervention),
            ("protection", &row.protection),
            ("prevention", &row.prevention),
        ] {
            if text.chars().count() > MAX_CONTROL_STRATEGY_CHARS {
                problems.push(FieldError::new(
                    format!("rows[{index}].{name}"),
                    format!("is longer than {MAX_CONTROL_STRATEGY_CHARS} characters"),
                ));
            }
        }
    }
    problems
}

/// One threat as the analyst ranks it: a national category and what the analyst makes of it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThreatJudgement {
    /// The corruption category's code.
    pub category: String,
    /// The analyst's assessment of this threat: why it ranks where it does, and where it is
    /// going.
    #[serde(default)]
    pub assessment: String,
}

/// The analyst's argument for a period (seed 000's structure): an executive summary, key
/// judgements, the threats in priority order with an assessment of each, the intelligence
/// requirements (what the unit needs to know and does not), and recommendations. The figures
/// and the control strategy come from the store; this is the part only a person can write.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssessmentText {
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub key_judgements: Vec<String>,
    /// Highest priority first.
    #[serde(default)]
    pub threats: Vec<ThreatJudgement>,
    #[serde(default)]
    pub intelligence_requirements: Vec<String>,
    #[serde(default)]
    pub recommendations: Vec<String>,
}

/// One saved version of the analyst's text for a period. Versions are never changed: each
/// save adds one, so what a board was shown can be read again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AssessmentTextVersion {
    /// 1 for the first text written for the period.
    pub version: u32,
    /// Who wrote this version (empty in the sanitised edition, which names nobody).
    pub written_by: String,
    /// When, as RFC 3339 UTC.
    pub written_at: String,
    pub text: AssessmentText,
}

impl AssessmentTextVersion {
    /// Who saved it and on which day, after its version number: " by NAME, saved DATE", or
    /// ", saved DATE" in the sanitised edition.
    #[must_use]
    pub fn saved_words(&self) -> String {
        let day = self.written_at.get(..10).unwrap_or(&self.written_at);
        if self.written_by.is_empty() {
            format!(", saved {day}")
        } else {
            format!(" by {}, saved {day}", self.written_by)
        }
    }
}

/// What every format says where a section of the analyst's text is empty.
pub const NOT_WRITTEN: &str = "Not yet written for this period.";

/// What the printed formats say where no text was written for the period.
pub const NO_TEXT: &str =
    "The analyst has not yet written the assessment for this period: the figures follow.";

/// What every format says where no threat was ranked.
pub const NOT_RANKED: &str = "The analyst has not yet ranked the threats for this period.";

/// Longest executive summary, in characters.
pub const MAX_SUMMARY_CHARS: usize = 10_000;

/// Longest key judgement, threat assessment, requirement or recommendation, in characters.
pub const MAX_PARAGRAPH_CHARS: usize = 4_000;

/// Most entries in any one list of the text.
pub const MAX_LIST_ENTRIES: usize = 30;

/// What is wrong with an analyst's text: too long, an empty entry, too many entries, a threat
/// whose category `is_category` does not know or that is ranked twice. Each problem names its
/// field (`key_judgements[2]`, `threats[0].category`).
#[must_use]
pub fn assessment_text_problems(
    text: &AssessmentText,
    is_category: impl Fn(&str) -> bool,
) -> Vec<FieldError> {
    let mut problems = Vec::new();
    if text.summary.chars().count() > MAX_SUMMARY_CHARS {
        problems.push(FieldError::new(
            "summary",
            format!("is longer than {MAX_SUMMARY_CHARS} characters"),
        ));
    }
    let mut paragraphs = |name: &str, entries: &mut dyn Iterator<Item = (String, &String)>| {
        let mut count = 0;
        for (field, entry) in entries {
            count += 1;
            if entry.trim().is_empty() && !field.ends_with(".assessment") {
                problems.push(FieldError::new(field.clone(), "is empty"));
            }
            if entry.chars().count() > MAX_PARAGRAPH_CHARS {
                problems.push(FieldError::new(
                    field,
                    format!("is longer than {MAX_PARAGRAPH_CHARS} characters"),
                ));
            }
        }
        if count > MAX_LIST_ENTRIES {
            problems.push(FieldError::new(
                name,
                format!("has at most {MAX_LIST_ENTRIES} entries"),
            ));
        }
    };
    for (name, list) in [
        ("key_judgements", &text.key_judgements),
        ("intelligence_requirements", &text.intelligence_requirements),
        ("recommendations", &text.recommendations),
    ] {
        paragraphs(
            name,
            &mut list
                .iter()
                .enumerate()
                .map(|(index, entry)| (format!("{name}[{index}]"), entry)),
        );
    }
    paragraphs(
        "threats",
        &mut text
            .threats
            .iter()
            .enumerate()
            .map(|(index, threat)| (format!("threats[{index}].assessment"), &threat.assessment)),
    );
    for (index, threat) in text.threats.iter().enumerate() {
        let field = format!("threats[{index}].category");
        if !is_category(&threat.category) {
            problems.push(FieldError::new(field, "is not a corruption category"));
        } else if text.threats[..index]
            .iter()
            .any(|earlier| earlier.category == threat.category)
        {
            problems.push(FieldError::new(field, "is ranked twice"));
        }
    }
    problems
}

/// A ranked threat with the figures behind it (its category this period against the last, and
/// its sub-categories) and the analyst's assessment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PriorityThreat {
    /// 1 for the highest.
    pub priority: usize,
    pub trend: Trend,
    pub subcategories: Vec<Trend>,
    pub assessment: String,
}

/// One comparison table of the figures section, as every format draws it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FigureTable {
    /// The table's name in the CSV (`category`, `subcategory`, `employee_type`…).
    pub key: &'static str,
    pub title: &'static str,
    /// The label column's heading.
    pub heading: &'static str,
    pub rows: Vec<Trend>,
}

/// The paragraphs of a text written in the assessment: split at blank lines, each paragraph's
/// lines joined with spaces, empty ones dropped.
#[must_use]
pub fn paragraphs(text: &str) -> Vec<String> {
    text.replace("\r\n", "\n")
        .split("\n\n")
        .map(|paragraph| paragraph.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|paragraph| !paragraph.is_empty())
        .collect()
}

/// Which edition of the assessment (seed 000: it goes to NPCCAG and the NCA, and "a sanitised
/// version" is published). The sanitised edition is the default everywhere.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Edition {
    /// For publication: no names, staff numbers or nominal ids, and every count below
    /// [`SMALL_COUNT`] shown as "fewer than 5".
    #[default]
    Sanitised,
    /// For NPCCAG and the NCA: names the people in the exposure leads. Inspectors only.
    Restricted,
}

/// Counts below this are not shown in the sanitised edition: a small number can identify.
pub const SMALL_COUNT: u64 = 5;

impl Edition {
    pub const ALL: [Edition; 2] = [Edition::Sanitised, Edition::Restricted];

    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Edition::Sanitised => "sanitised",
            Edition::Restricted => "restricted",
        }
    }

    #[must_use]
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.as_str() == text)
    }

    /// The handling every page carries.
    #[must_use]
    pub fn handling(self) -> &'static str {
        match self {
            Edition::Sanitised => "OFFICIAL",
            Edition::Restricted => "OFFICIAL-SENSITIVE: COUNTER CORRUPTION UNIT",
        }
    }

    /// The edition and its handling, as every page states it.
    #[must_use]
    pub fn statement(self) -> &'static str {
        match self {
            Edition::Sanitised => {
                "SANITISED EDITION for publication. Handling: OFFICIAL. No names, staff numbers \
                 or nominal ids; counts below 5 are shown as \"fewer than 5\"."
            }
            Edition::Restricted => {
                "RESTRICTED EDITION for NPCCAG and the NCA. Handling: OFFICIAL-SENSITIVE: \
                 COUNTER CORRUPTION UNIT. Names people: no onward disclosure."
            }
        }
    }
}

/// One of the most pressing exposure leads, as the assessment names it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExposureSummary {
    pub employee: String,
    pub target: String,
    pub hops: usize,
    pub score: f64,
}

/// The assessment for one period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ThreatAssessment {
    pub from: IsoDate,
    pub to: IsoDate,
    pub previous_from: IsoDate,
    pub previous_to: IsoDate,
    pub current: PeriodCounts,
    pub previous: PeriodCounts,
    /// Live notifiable associations by category, as at the period's last day.
    pub live_associations: BTreeMap<String, u64>,
    /// The Beacon cohort on the period's last day: its size, and how many in each band (most
    /// serious band first).
    pub beacon_cohort: u64,
    pub beacon_bands: Vec<(String, u64)>,
    /// Interventions proposed in the period, by outcome (`pending` until one is recorded).
    pub interventions_by_outcome: BTreeMap<String, u64>,
    pub top_exposures: Vec<ExposureSummary>,
    pub control_strategy: Vec<ControlStrategyRow>,
    /// The analyst's text for exactly this period, newest version (none written yet: `None`).
    pub text: Option<AssessmentTextVersion>,
    /// Which edition this is: the sanitised one has no names and hides small counts.
    pub edition: Edition,
    /// Labels for the codes counted, from the reference data in force when the assessment was
    /// made.
    pub labels: CodeLabels,
}

impl ThreatAssessment {
    fn label(&self, list: &str, code: &str) -> String {
        self.labels.label(list, code)
    }

    /// The assessment as the sanitised edition: the exposure leads keep their distance and
    /// score but lose the names (a member of staff, a nominal of concern). The counts stay as
    /// they are; [`ThreatAssessment::count_text`] hides the small ones wherever one is written.
    #[must_use]
    pub fn sanitised(mut self) -> Self {
        self.edition = Edition::Sanitised;
        for lead in &mut self.top_exposures {
            lead.employee = String::from("A member of staff");
            lead.target = String::from("A nominal of concern");
        }
        if let Some(text) = &mut self.text {
            text.written_by.clear();
        }
        self
    }

    /// A count as this edition shows it: "fewer than 5" below 5 in the sanitised edition.
    #[must_use]
    pub fn count_text(&self, count: u64) -> String {
        if self.edition == Edition::Sanitised && count < SMALL_COUNT {
            String::from("fewer than 5")
        } else {
            count.to_string()
        }
    }

    /// A count as a chart draws it: a hidden small count is drawn as nothing.
    #[must_use]
    pub fn count_drawn(&self, count: u64) -> u64 {
        if self.edition == Edition::Sanitised && count < SMALL_COUNT {
            0
        } else {
            count
        }
    }

    /// A trend's change as this edition shows it (not shown where either count is hidden,
    /// which would let the reader work it out).
    #[must_use]
    pub fn change_text(&self, trend: &Trend) -> String {
        if self.edition == Edition::Sanitised
            && (trend.current < SMALL_COUNT || trend.previous < SMALL_COUNT)
        {
            return String::from("not shown");
        }
        trend
            .change_percent()
            .map_or_else(|| "new".to_owned(), |p| format!("{p:+.0}%"))
    }

    /// Intelligence by national category, this period against the last.
    #[must_use]
    pub fn category_trends(&self) -> Vec<Trend> {
        trends(
            &self.current.by_category,
            &self.previous.by_category,
            |code| self.label(list::CORRUPTION_CATEGORY, code),
        )
    }

    #[must_use]
    pub fn source_type_trends(&self) -> Vec<Trend> {
        trends(
            &self.current.by_source_type,
            &self.previous.by_source_type,
            |code| self.label(list::SOURCE_TYPE, code),
        )
    }

    /// By grading: codes such as `2B` are their own label.
    #[must_use]
    pub fn grading_trends(&self) -> Vec<Trend> {
        trends(
            &self.current.by_grading,
            &self.previous.by_grading,
            str::to_owned,
        )
    }

    #[must_use]
    pub fn status_trends(&self) -> Vec<Trend> {
        trends(&self.current.by_status, &self.previous.by_status, |code| {
            self.label(list::INTEL_STATUS, code)
        })
    }

    /// The comparison tables of the figures section, in the order every format draws them:
    /// category, sub-category, source type, grading, status, then the staff the items concern
    /// by employee type, rank and department.
    #[must_use]
    pub fn figure_tables(&self) -> Vec<FigureTable> {
        vec![
            FigureTable {
                title: "Intelligence by national category",
                heading: "Category",
                key: "category",
                rows: self.category_trends(),
            },
            FigureTable {
                title: "Intelligence by sub-category",
                heading: "Sub-category",
                key: "subcategory",
                rows: self.subcategory_trends(),
            },
            FigureTable {
                title: "Intelligence by source type",
                heading: "Source type",
                key: "source_type",
                rows: self.source_type_trends(),
            },
            FigureTable {
                title: "Intelligence by grading (source evaluation and intelligence assessment)",
                heading: "Grading",
                key: "grading",
                rows: self.grading_trends(),
            },
            FigureTable {
                title: "Intelligence by status",
                heading: "Status",
                key: "status",
                rows: self.status_trends(),
            },
            FigureTable {
                title: "Intelligence naming staff as its subject, by employee type",
                heading: "Employee type",
                key: "employee_type",
                rows: self.employee_type_trends(),
            },
            FigureTable {
                title: "Intelligence naming staff as its subject, by rank or grade",
                heading: "Rank or grade",
                key: "rank",
                rows: self.rank_trends(),
            },
            FigureTable {
                title: "Intelligence naming staff as its subject, by department",
                heading: "Department",
                key: "department",
                rows: self.department_trends(),
            },
        ]
    }

    /// Intelligence by sub-category, this period against the last, across every category
    /// (an item without a sub-category counts as "CATEGORY: no sub-category").
    #[must_use]
    pub fn subcategory_trends(&self) -> Vec<Trend> {
        self.subcategory_trends_within(None)
    }

    /// The sub-categories of one category, this period against the last.
    #[must_use]
    pub fn subcategory_trends_of(&self, category: &str) -> Vec<Trend> {
        self.subcategory_trends_within(Some(category))
    }

    /// The sub-category trends of `category`, or of every category.
    fn subcategory_trends_within(&self, category: Option<&str>) -> Vec<Trend> {
        let keyed = |counts: &BTreeMap<String, BTreeMap<String, u64>>| {
            counts
                .iter()
                .filter(|(code, _)| category.is_none_or(|wanted| wanted == code.as_str()))
                .flat_map(|(code, subs)| {
                    subs.iter()
                        .map(move |(sub, count)| (subcategory_key(code, sub), *count))
                })
                .collect::<BTreeMap<String, u64>>()
        };
        trends(
            &keyed(&self.current.by_subcategory),
            &keyed(&self.previous.by_subcategory),
            |key| self.subcategory_label(key),
        )
    }

    /// A ranked threat's figures in words: "Intelligence received: 7 this period, 9 the period
    /// before (change: -22%)."
    #[must_use]
    pub fn received_words(&self, trend: &Trend) -> String {
        format!(
            "Intelligence received: {} this period, {} the period before (change: {}).",
            self.count_text(trend.current),
            self.count_text(trend.previous),
            self.change_text(trend)
        )
    }

    fn subcategory_label(&self, key: &str) -> String {
        match key.split_once('\u{1f}') {
            Some((category, "")) => format!(
                "{}: no sub-category",
                self.label(list::CORRUPTION_CATEGORY, category)
            ),
            Some((_, sub)) => self.label(list::CORRUPTION_SUBCATEGORY, sub),
            None => key.to_owned(),
        }
    }

    /// Items about members of staff, by employee type.
    #[must_use]
    pub fn employee_type_trends(&self) -> Vec<Trend> {
        trends(
            &self.current.by_employee_type,
            &self.previous.by_employee_type,
            |code| {
                if code.is_empty() {
                    String::from("Not recorded")
                } else {
                    self.label(list::EMPLOYEE_TYPE, code)
                }
            },
        )
    }

    /// Items about members of staff, by rank or grade (as the staff records spell it).
    #[must_use]
    pub fn rank_trends(&self) -> Vec<Trend> {
        trends(
            &self.current.by_rank,
            &self.previous.by_rank,
            free_text_label,
        )
    }

    /// Items about members of staff, by department (as the staff records spell it).
    #[must_use]
    pub fn department_trends(&self) -> Vec<Trend> {
        trends(
            &self.current.by_department,
            &self.previous.by_department,
            free_text_label,
        )
    }

    /// The threats in the analyst's order, each with its figures and the analyst's
    /// assessment; empty until the analyst has ranked them.
    #[must_use]
    pub fn priority_threats(&self) -> Vec<PriorityThreat> {
        let Some(text) = &self.text else {
            return Vec::new();
        };
        text.text
            .threats
            .iter()
            .enumerate()
            .map(|(index, threat)| {
                let code = threat.category.as_str();
                let trend = Trend {
                    code: code.to_owned(),
                    label: self.label(list::CORRUPTION_CATEGORY, code),
                    current: self.current.by_category.get(code).copied().unwrap_or(0),
                    previous: self.previous.by_category.get(code).copied().unwrap_or(0),
                };
                PriorityThreat {
                    priority: index + 1,
                    trend,
                    subcategories: self.subcategory_trends_of(code),
                    assessment: threat.assessment.clone(),
                }
            })
            .collect()
    }

    /// Live notifiable associations by category, labelled, in code order.
    #[must_use]
    pub fn live_association_rows(&self) -> Vec<(String, u64)> {
        self.live_associations
            .iter()
            .map(|(code, count)| (self.label(list::NA_CATEGORY, code), *count))
            .collect()
    }

    /// Interventions by outcome, the outcome in words ("Advice given", "Declined", "Pending:
    /// no outcome yet"): an outcome's label, or for those that ended without one the label of
    /// the state they ended in.
    #[must_use]
    pub fn intervention_rows(&self) -> Vec<(String, u64)> {
        use crate::domain::{InterventionOutcome, InterventionState};
        self.interventions_by_outcome
            .iter()
            .map(|(code, count)| {
                let words = if code == "pending" {
                    String::from("Pending: no outcome yet")
                } else if let Some(outcome) = InterventionOutcome::ALL
                    .into_iter()
                    .find(|outcome| outcome.as_str() == code)
                {
                    outcome.label().to_owned()
                } else if let Some(state) = InterventionState::parse(code) {
                    state.label().to_owned()
                } else {
                    code.replace('_', " ")
                };
                (words, *count)
            })
            .collect()
    }
}

/// One key for a category and sub-category (`""` for none), as the sub-category trends count
/// them; a separator no code contains.
fn subcategory_key(category: &str, sub: &str) -> String {
    format!("{category}\u{1f}{sub}")
}

/// A rank or department as the staff records spell it; "Not recorded" where they have none.
fn free_text_label(text: &str) -> String {
    if text.trim().is_empty() {
        String::from("Not recorded")
    } else {
        text.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> IsoDate {
        text.parse().unwrap()
    }

    #[test]
    fn the_previous_period_is_as_long_and_ends_the_day_before() {
        assert_eq!(
            previous_period(date("2026-01-01"), date("2026-03-31")),
            (date("2025-10-03"), date("2025-12-31"))
        );
        assert_eq!(
            previous_period(date("2026-03-01"), date("2026-03-01")),
            (date("2026-02-28"), date("2026-02-28"))
        );
    }

    #[test]
    fn trends_cover_codes_in_either_period_and_say_the_change() {
        let current = BTreeMap::from([("a".to_owned(), 6), ("b".to_owned(), 1)]);
        let previous = BTreeMap::from([("a".to_owned(), 4), ("c".to_owned(), 2)]);
        let rows = trends(&current, &previous, str::to_uppercase);
        assert_eq!(rows[2].label, "C");
        let codes: Vec<&str> = rows.iter().map(|r| r.code.as_str()).collect();
        assert_eq!(codes, ["a", "b", "c"]);
        assert_eq!(rows[0].change_percent(), Some(50.0));
        assert_eq!(rows[1].change_percent(), None, "nothing to change from");
        assert_eq!(rows[2].change_percent(), Some(-100.0));
    }

    #[test]
    fn a_control_strategy_needs_priorities_and_bounded_cells() {
        let row = |priority: &str| ControlStrategyRow {
            priority: priority.into(),
            ..ControlStrategyRow::default()
        };
        assert!(control_strategy_problems(&[row("Sexual predatory behaviour")]).is_empty());
        let fields = |rows: &[ControlStrategyRow]| -> Vec<String> {
            control_strategy_problems(rows)
                .into_iter()
                .map(|p| p.field)
                .collect()
        };
        assert_eq!(fields(&[row("Debt"), row(" ")]), ["rows[1].priority"]);
        let long = ControlStrategyRow {
            prevention: "x".repeat(MAX_CONTROL_STRATEGY_CHARS + 1),
            ..row("Debt")
        };
        assert_eq!(fields(&[long]), ["rows[0].prevention"]);
        let many = vec![row("p"); MAX_CONTROL_STRATEGY_ROWS + 1];
        assert_eq!(fields(&many), ["rows"]);
    }
}
