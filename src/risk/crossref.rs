//! The cross-reference engine: from imported bulk data and what the workbench knows about
//! people, the patterns the CCU looks for proactively, each as a lead with a score from 0 to
//! 100 and the facts that gave it. Pure: the store gathers the facts, this decides.
//!
//! Leads at or above [`LEAD_THRESHOLD`] are for a person to look at; below it the pattern
//! has an innocent reading on its face (a look-up with a reason code, a call with a declared
//! family member) and is kept out of the way.

use crate::domain::{IsoDate, NominalId};
use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;

/// The score from which a lead is shown.
pub const LEAD_THRESHOLD: u32 = 50;

/// Days after hospitality within which a contract award to the same company is a lead.
pub const DEFAULT_HOSPITALITY_WINDOW_DAYS: i64 = 365;

/// The pattern a lead is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LeadKind {
    /// Staff who looked up OCG members, criminals, vulnerable people, their own declared
    /// associates, or victims after their case closed.
    WatchedLookup,
    /// Calls between a staff phone and an OCG or criminal phone.
    CallsWithCriminals,
    /// Hospitality from a company followed by a contract award to it.
    HospitalityBeforeContract,
    /// Staff sanctioned for disclosure or misuse of systems who go on querying.
    SanctionedStillQuerying,
    /// An association in the data with no notifiable association declaration.
    UndeclaredAssociation,
}

impl LeadKind {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            LeadKind::WatchedLookup => "watched_lookup",
            LeadKind::CallsWithCriminals => "calls_with_criminals",
            LeadKind::HospitalityBeforeContract => "hospitality_before_contract",
            LeadKind::SanctionedStillQuerying => "sanctioned_still_querying",
            LeadKind::UndeclaredAssociation => "undeclared_association",
        }
    }

    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            LeadKind::WatchedLookup => "Look-ups of watched people",
            LeadKind::CallsWithCriminals => "Calls with OCG or criminal phones",
            LeadKind::HospitalityBeforeContract => "Hospitality before a contract award",
            LeadKind::SanctionedStillQuerying => "Sanctioned, still querying",
            LeadKind::UndeclaredAssociation => "Undeclared association",
        }
    }

    /// The grading a detective is offered when recording a lead as intelligence, to change as
    /// they judge. Patterns read from the force's own records (audit trails, call data,
    /// registers, conduct outcomes) come from a reliable source and are corroborated by the
    /// records themselves but are an inference about what happened: `1B`. An undeclared
    /// association is a route through links of mixed provenance: `2C`. Handling `P`.
    #[must_use]
    pub fn suggested_grading(self) -> crate::domain::Grading {
        let (source_evaluation, intelligence_assessment) = match self {
            LeadKind::UndeclaredAssociation => ("2", "C"),
            LeadKind::WatchedLookup
            | LeadKind::CallsWithCriminals
            | LeadKind::HospitalityBeforeContract
            | LeadKind::SanctionedStillQuerying => ("1", "B"),
        };
        crate::domain::Grading {
            source_evaluation: source_evaluation.into(),
            intelligence_assessment: intelligence_assessment.into(),
            handling_code: "P".into(),
            handling_conditions: None,
        }
    }

    #[must_use]
    pub fn parse(text: &str) -> Option<Self> {
        [
            LeadKind::WatchedLookup,
            LeadKind::CallsWithCriminals,
            LeadKind::HospitalityBeforeContract,
            LeadKind::SanctionedStillQuerying,
            LeadKind::UndeclaredAssociation,
        ]
        .into_iter()
        .find(|k| k.as_str() == text)
    }
}

/// Why a person is watched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WatchReason {
    OcgMember,
    Criminal,
    Vulnerable,
    /// A victim: watched only for look-ups after their case closed.
    Victim,
    /// Carries no flag, but the member of staff declared them as an associate: looking them up
    /// is a conflict of interest whatever they are.
    OwnAssociate,
}

impl WatchReason {
    fn weight(self) -> u32 {
        match self {
            WatchReason::OcgMember | WatchReason::Victim => 40,
            WatchReason::Criminal | WatchReason::Vulnerable | WatchReason::OwnAssociate => 30,
        }
    }

    fn describe(self) -> &'static str {
        match self {
            WatchReason::OcgMember => "a member of an organised crime group",
            WatchReason::Criminal => "a criminal nominal",
            WatchReason::Vulnerable => "a vulnerable person",
            WatchReason::Victim => "a victim whose case had closed",
            WatchReason::OwnAssociate => "who carries no criminal or OCG flag",
        }
    }
}

/// A look-up on a force system by a known member of staff of a known nominal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lookup {
    pub staff: NominalId,
    pub subject: NominalId,
    /// Unix seconds.
    pub at: i64,
    pub system: String,
    pub reason_code: Option<String>,
}

/// A call between two phones the workbench knows (either side may be unknown).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownCall {
    pub caller: Option<NominalId>,
    pub callee: Option<NominalId>,
    pub at: i64,
    pub duration_secs: i64,
}

/// An entry of the gifts and hospitality register with a known member of staff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HospitalityFact {
    pub staff: NominalId,
    pub staff_number: String,
    pub provider: String,
    pub provider_key: String,
    pub offered_on: IsoDate,
    pub value_pence: Option<i64>,
    pub accepted: bool,
}

/// A contract award.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContractFact {
    pub reference: String,
    pub supplier_key: String,
    pub awarded_on: IsoDate,
    pub value_pence: Option<i64>,
    pub awarded_by: Option<String>,
}

/// A member of staff sanctioned for disclosure or misuse of systems: a conduct outcome of a
/// written warning or more (never an ethical meeting, management advice or an intervention).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sanction {
    pub employee: NominalId,
    /// The start of the day the outcome was decided, Unix seconds.
    pub since: i64,
    pub outcome: crate::domain::ConductOutcomeKind,
    /// The allegation's corruption category code (`disclosure` or `misuse_of_systems`).
    pub category: String,
}

/// How the "still querying" pattern names a sanction's category (seed 001's words).
fn sanction_category_words(code: &str) -> &'static str {
    match code {
        "disclosure" => "disclosure of information",
        "misuse_of_systems" => "misuse of force systems",
        _ => "another matter",
    }
}

/// A query on a force system by a sanctioned member of staff after the sanction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LaterQuery {
    pub staff: NominalId,
    pub at: i64,
    pub reason_code: Option<String>,
}

/// An undeclared route from an employee to an OCG member or criminal, from the exposure
/// finder.
#[derive(Debug, Clone, PartialEq)]
pub struct UndeclaredRoute {
    pub employee: NominalId,
    pub target: NominalId,
    pub hops: usize,
    pub reasons: Vec<String>,
}

/// Everything the engine looks at.
#[derive(Debug, Default)]
pub struct CrossrefFacts {
    pub watched: FxHashMap<NominalId, WatchReason>,
    /// Victims' cases closed, Unix seconds (the latest closure per victim).
    pub victim_cases_closed: FxHashMap<NominalId, i64>,
    /// (employee, associate) pairs declared or registered as notifiable associations.
    pub declared: FxHashSet<(NominalId, NominalId)>,
    pub lookups: Vec<Lookup>,
    /// Who uses each phone.
    pub phone_owners: FxHashMap<NominalId, Vec<NominalId>>,
    /// Employees, by nominal id.
    pub employees: FxHashSet<NominalId>,
    pub calls: Vec<KnownCall>,
    pub hospitality: Vec<HospitalityFact>,
    pub contracts: Vec<ContractFact>,
    pub sanctions: Vec<Sanction>,
    pub later_queries: Vec<LaterQuery>,
    pub undeclared_routes: Vec<UndeclaredRoute>,
}

/// Options of a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CrossrefOptions {
    pub hospitality_window_days: i64,
}

impl Default for CrossrefOptions {
    fn default() -> Self {
        Self {
            hospitality_window_days: DEFAULT_HOSPITALITY_WINDOW_DAYS,
        }
    }
}

/// One lead: who, what pattern, how strong, and the facts in words.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FoundLead {
    pub kind: LeadKind,
    pub employee: NominalId,
    /// The other nominals it concerns (the person looked up or called, the company).
    pub others: Vec<NominalId>,
    pub score: u32,
    /// Stable across runs: the same pattern about the same people is the same lead.
    pub fingerprint: String,
    /// The facts, in words; `{N}` stands for nominal N's name, filled in by the caller.
    pub explanation: Vec<String>,
}

fn date_of(unix_secs: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(unix_secs)
        .map(|t| t.date().to_string())
        .unwrap_or_default()
}

fn capped(score: u32) -> u32 {
    score.min(100)
}

/// Runs every pattern; leads best first (all of them: callers filter by the threshold).
#[must_use]
pub fn cross_reference(facts: &CrossrefFacts, options: &CrossrefOptions) -> Vec<FoundLead> {
    let mut leads = Vec::new();
    watched_lookups(facts, &mut leads);
    calls_with_criminals(facts, &mut leads);
    hospitality_before_contract(facts, *options, &mut leads);
    sanctioned_still_querying(facts, &mut leads);
    undeclared_associations(facts, &mut leads);
    leads.sort_by(|a, b| {
        b.score
            .cmp(&a.score)
            .then(a.kind.cmp(&b.kind))
            .then(a.fingerprint.cmp(&b.fingerprint))
    });
    leads
}

#[derive(Default)]
struct LookupTally {
    total: u32,
    unexplained: u32,
    first: i64,
    last: i64,
    systems: Vec<String>,
}

fn watched_lookups(facts: &CrossrefFacts, leads: &mut Vec<FoundLead>) {
    let mut pairs: FxHashMap<(NominalId, NominalId, WatchReason), LookupTally> =
        FxHashMap::default();
    for lookup in &facts.lookups {
        let own_associate = facts.declared.contains(&(lookup.staff, lookup.subject));
        let reason = match facts.watched.get(&lookup.subject) {
            Some(WatchReason::Victim) => match facts.victim_cases_closed.get(&lookup.subject) {
                Some(&closed) if lookup.at > closed => Some(WatchReason::Victim),
                _ => None,
            },
            Some(&reason) => Some(reason),
            None => None,
        };
        // A declared associate looked up is a conflict of interest whatever they are.
        let reason = match (reason, own_associate) {
            (Some(reason), _) => reason,
            (None, true) => WatchReason::OwnAssociate,
            (None, false) => continue,
        };
        let tally = pairs
            .entry((lookup.staff, lookup.subject, reason))
            .or_insert_with(|| LookupTally {
                first: lookup.at,
                last: lookup.at,
                ..LookupTally::default()
            });
        tally.total += 1;
        tally.unexplained += u32::from(lookup.reason_code.is_none());
        tally.first = tally.first.min(lookup.at);
        tally.last = tally.last.max(lookup.at);
        if !tally.systems.contains(&lookup.system) {
            tally.systems.push(lookup.system.clone());
        }
    }
    for ((staff, subject, reason), tally) in pairs {
        let own_associate = facts.declared.contains(&(staff, subject));
        let weight = if own_associate {
            reason.weight().max(30)
        } else {
            reason.weight()
        };
        let score = if tally.unexplained == 0 {
            weight / 2
        } else {
            capped(weight + 10 * tally.unexplained.min(4))
        };
        let mut explanation = vec![format!(
            "{{{staff}}} looked up {{{subject}}}, {}, {} time(s) between {} and {} on {}.",
            reason.describe(),
            tally.total,
            date_of(tally.first),
            date_of(tally.last),
            tally.systems.join(", ")
        )];
        if own_associate {
            explanation.push(format!(
                "{{{subject}}} is {{{staff}}}'s own declared associate: a conflict of interest."
            ));
        }
        explanation.push(if tally.unexplained == 0 {
            "Every look-up gave a reason code.".to_owned()
        } else {
            format!("{} look-up(s) gave no reason code.", tally.unexplained)
        });
        leads.push(FoundLead {
            kind: LeadKind::WatchedLookup,
            employee: staff,
            others: vec![subject],
            score,
            fingerprint: format!("watched_lookup:{staff}:{subject}"),
            explanation,
        });
    }
}

#[derive(Default)]
struct CallTally {
    count: u32,
    first: i64,
    last: i64,
    total_secs: i64,
}

fn calls_with_criminals(facts: &CrossrefFacts, leads: &mut Vec<FoundLead>) {
    let owners = |phone: Option<NominalId>| -> &[NominalId] {
        phone
            .and_then(|p| facts.phone_owners.get(&p))
            .map_or(&[], Vec::as_slice)
    };
    let mut pairs: FxHashMap<(NominalId, NominalId), CallTally> = FxHashMap::default();
    for call in &facts.calls {
        for (mine, theirs) in [(call.caller, call.callee), (call.callee, call.caller)] {
            for &employee in owners(mine) {
                if !facts.employees.contains(&employee) {
                    continue;
                }
                for &other in owners(theirs) {
                    if !matches!(
                        facts.watched.get(&other),
                        Some(WatchReason::OcgMember | WatchReason::Criminal)
                    ) {
                        continue;
                    }
                    let tally = pairs.entry((employee, other)).or_insert(CallTally {
                        first: call.at,
                        last: call.at,
                        ..CallTally::default()
                    });
                    tally.count += 1;
                    tally.first = tally.first.min(call.at);
                    tally.last = tally.last.max(call.at);
                    tally.total_secs += call.duration_secs;
                }
            }
        }
    }
    for ((employee, other), tally) in pairs {
        let declared = facts.declared.contains(&(employee, other));
        let base =
            capped(40 + 10 * tally.count.min(4) + if tally.total_secs >= 300 { 10 } else { 0 });
        let score = if declared { base / 3 } else { base };
        // Only OCG members and criminals are kept above; say which this one is.
        let reason = match facts.watched.get(&other) {
            Some(WatchReason::OcgMember) => WatchReason::OcgMember.describe(),
            _ => WatchReason::Criminal.describe(),
        };
        let mut explanation = vec![format!(
            "{{{employee}}}'s phone and a phone used by {{{other}}}, {reason}, were in {} call(s) between {} and {}, {} s in all.",
            tally.count,
            date_of(tally.first),
            date_of(tally.last),
            tally.total_secs
        )];
        if declared {
            explanation.push(format!(
                "{{{other}}} is a declared association of {{{employee}}}."
            ));
        }
        leads.push(FoundLead {
            kind: LeadKind::CallsWithCriminals,
            employee,
            others: vec![other],
            score,
            fingerprint: format!("calls_with_criminals:{employee}:{other}"),
            explanation,
        });
    }
}

fn hospitality_before_contract(
    facts: &CrossrefFacts,
    options: CrossrefOptions,
    leads: &mut Vec<FoundLead>,
) {
    let mut by_supplier: FxHashMap<&str, Vec<&ContractFact>> = FxHashMap::default();
    for contract in &facts.contracts {
        by_supplier
            .entry(contract.supplier_key.as_str())
            .or_default()
            .push(contract);
    }
    for entry in &facts.hospitality {
        let Some(contracts) = by_supplier.get(entry.provider_key.as_str()) else {
            continue;
        };
        let window_end = entry.offered_on.plus_days(options.hospitality_window_days);
        for contract in contracts {
            if contract.awarded_on < entry.offered_on || contract.awarded_on > window_end {
                continue;
            }
            let awarded_by_them = contract.awarded_by.as_deref() == Some(&entry.staff_number);
            let score = capped(
                50 + if awarded_by_them { 30 } else { 0 } + if entry.accepted { 10 } else { 0 },
            );
            let staff = entry.staff;
            let mut explanation = vec![format!(
                "{{{staff}}} was offered hospitality by {} on {}{}; {} was awarded contract {} on {}, {} day(s) later.",
                entry.provider,
                entry.offered_on,
                if entry.accepted {
                    " and accepted it"
                } else {
                    ""
                },
                entry.provider,
                contract.reference,
                contract.awarded_on,
                (contract.awarded_on.0 - entry.offered_on.0).whole_days()
            )];
            if awarded_by_them {
                explanation.push(format!("{{{staff}}} awarded the contract."));
            }
            leads.push(FoundLead {
                kind: LeadKind::HospitalityBeforeContract,
                employee: staff,
                others: Vec::new(),
                score,
                fingerprint: format!(
                    "hospitality_before_contract:{staff}:{}:{}:{}",
                    entry.provider_key, entry.offered_on, contract.reference
                ),
                explanation,
            });
        }
    }
}

fn sanctioned_still_querying(facts: &CrossrefFacts, leads: &mut Vec<FoundLead>) {
    for sanction in &facts.sanctions {
        let later: Vec<&LaterQuery> = facts
            .later_queries
            .iter()
            .filter(|q| q.staff == sanction.employee && q.at > sanction.since)
            .collect();
        if later.is_empty() {
            continue;
        }
        let unexplained = u32::try_from(later.iter().filter(|q| q.reason_code.is_none()).count())
            .unwrap_or(u32::MAX);
        let score = if unexplained == 0 {
            20
        } else {
            capped(40 + 10 * unexplained.min(4))
        };
        let employee = sanction.employee;
        leads.push(FoundLead {
            kind: LeadKind::SanctionedStillQuerying,
            employee,
            others: Vec::new(),
            score,
            fingerprint: format!("sanctioned_still_querying:{employee}:{}", sanction.since),
            explanation: vec![
                format!(
                    "{{{employee}}} received {} for {} on {}.",
                    sanction.outcome.label(),
                    sanction_category_words(&sanction.category),
                    date_of(sanction.since)
                ),
                format!(
                    "Since then: {} quer(ies) on force systems, {unexplained} with no reason code.",
                    later.len()
                ),
            ],
        });
    }
}

fn undeclared_associations(facts: &CrossrefFacts, leads: &mut Vec<FoundLead>) {
    for route in &facts.undeclared_routes {
        let hops = u32::try_from(route.hops).unwrap_or(u32::MAX);
        // The declaration duty is about one's own associations: a direct undeclared link is a
        // lead; a route through others is context for the link chart, kept below.
        let score = match hops {
            1 => 80,
            2 => 40,
            _ => 30,
        };
        let (employee, target) = (route.employee, route.target);
        let mut explanation = vec![format!(
            "{{{employee}}} is {hops} link(s) from {{{target}}} with no notifiable association declared."
        )];
        explanation.extend(route.reasons.iter().cloned());
        leads.push(FoundLead {
            kind: LeadKind::UndeclaredAssociation,
            employee,
            others: vec![target],
            score,
            fingerprint: format!("undeclared_association:{employee}:{target}"),
            explanation,
        });
    }
}

/// Fills `{N}` placeholders in an explanation with names.
#[must_use]
pub fn name_explanation(line: &str, name_of: &dyn Fn(NominalId) -> String) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) if after[..close].bytes().all(|b| b.is_ascii_digit()) && close > 0 => {
                let id = after[..close].parse().unwrap_or(0);
                out.push_str(&name_of(NominalId(id)));
                rest = &after[close + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(id: i64) -> NominalId {
        NominalId(id)
    }

    fn lookup(staff: i64, subject: i64, at: i64, reason: Option<&str>) -> Lookup {
        Lookup {
            staff: n(staff),
            subject: n(subject),
            at,
            system: "RMS".into(),
            reason_code: reason.map(str::to_owned),
        }
    }

    #[test]
    fn an_unexplained_look_up_of_an_ocg_member_is_a_lead_and_one_with_a_reason_is_not() {
        let mut facts = CrossrefFacts::default();
        facts.watched.insert(n(10), WatchReason::OcgMember);
        facts.lookups = vec![
            lookup(1, 10, 1_000, None),
            lookup(2, 10, 1_000, Some("investigation")),
            lookup(3, 99, 1_000, None),
        ];
        let leads = cross_reference(&facts, &CrossrefOptions::default());
        assert_eq!(leads.len(), 2);
        assert_eq!((leads[0].employee, leads[0].score), (n(1), 50));
        assert_eq!((leads[1].employee, leads[1].score), (n(2), 20));
    }

    #[test]
    fn a_victim_is_watched_only_after_the_case_closed() {
        let mut facts = CrossrefFacts::default();
        facts.watched.insert(n(10), WatchReason::Victim);
        facts.victim_cases_closed.insert(n(10), 5_000);
        facts.lookups = vec![lookup(1, 10, 4_000, None), lookup(2, 10, 6_000, None)];
        let leads = cross_reference(&facts, &CrossrefOptions::default());
        assert_eq!(leads.len(), 1);
        assert_eq!(leads[0].employee, n(2));
    }

    #[test]
    fn calls_with_a_declared_criminal_relative_fall_below_the_threshold() {
        let mut facts = CrossrefFacts::default();
        facts.employees.insert(n(1));
        facts.watched.insert(n(10), WatchReason::Criminal);
        facts.phone_owners.insert(n(100), vec![n(1)]);
        facts.phone_owners.insert(n(110), vec![n(10)]);
        facts.calls = vec![KnownCall {
            caller: Some(n(110)),
            callee: Some(n(100)),
            at: 1,
            duration_secs: 400,
        }];
        let lead = &cross_reference(&facts, &CrossrefOptions::default())[0];
        assert_eq!(lead.score, 60);
        facts.declared.insert((n(1), n(10)));
        let lead = &cross_reference(&facts, &CrossrefOptions::default())[0];
        assert!(lead.score < LEAD_THRESHOLD);
    }

    #[test]
    fn a_sanctioned_officer_querying_without_reason_codes_is_a_lead() {
        let mut facts = CrossrefFacts::default();
        facts.sanctions.push(Sanction {
            employee: n(1),
            since: 0,
            outcome: crate::domain::ConductOutcomeKind::FinalWrittenWarning,
            category: "misuse_of_systems".into(),
        });
        let query = |at, reason: Option<&str>| LaterQuery {
            staff: n(1),
            at,
            reason_code: reason.map(str::to_owned),
        };
        // Before the sanction, and with reason codes: not a lead.
        facts.later_queries = vec![query(-500, None), query(2_000, Some("custody"))];
        let leads = cross_reference(&facts, &CrossrefOptions::default());
        assert!(leads[0].score < LEAD_THRESHOLD);
        facts.later_queries.push(query(3_000, None));
        let leads = cross_reference(&facts, &CrossrefOptions::default());
        assert_eq!(leads[0].score, 50);
        assert_eq!(
            leads[0].explanation[0],
            "{1} received a final written warning for misuse of force systems on 1970-01-01."
        );
        assert!(leads[0].explanation[1].contains("2 quer(ies)"));
    }

    #[test]
    fn only_a_direct_undeclared_association_reaches_the_threshold() {
        let mut facts = CrossrefFacts::default();
        for hops in [1, 2, 6] {
            facts.undeclared_routes.push(UndeclaredRoute {
                employee: n(1),
                target: n(i64::try_from(hops).unwrap_or(0) + 10),
                hops,
                reasons: vec![],
            });
        }
        let scores: Vec<u32> = cross_reference(&facts, &CrossrefOptions::default())
            .iter()
            .map(|l| l.score)
            .collect();
        assert_eq!(scores, [80, 40, 30]);
    }

    #[test]
    fn names_fill_the_placeholders_and_other_braces_stay() {
        let named = name_explanation("{1} called {22} {x}", &|id| format!("N{}", id.0));
        assert_eq!(named, "N1 called N22 {x}");
    }

    /// Issue 20, correction 6: "A declared associate with no criminal or OCG flag is never
    /// called 'a criminal nominal'; each lead kind's explanation is tested word for word
    /// against its facts." One row per kind of lead (and per kind of person looked up), each
    /// with the facts it rests on and every sentence it must say.
    /// One row of the table: what it plants, the kind of lead, and every sentence expected.
    type ExplanationCase = (
        &'static str,
        Box<dyn Fn(&mut CrossrefFacts)>,
        LeadKind,
        Vec<&'static str>,
    );

    #[test]
    #[expect(
        clippy::too_many_lines,
        reason = "one table row per kind of lead and of person"
    )]
    fn leads_say_what_is_true() {
        const DAY: i64 = 86_400;
        const JAN_1: i64 = 1_767_225_600; // 2026-01-01T00:00:00Z
        let lookup = |subject: i64, day: i64, reason: Option<&str>| Lookup {
            staff: n(1),
            subject: n(subject),
            at: JAN_1 + day * DAY + 3_600,
            system: "RMS".into(),
            reason_code: reason.map(str::to_owned),
        };
        let date = |text: &str| text.parse::<IsoDate>().unwrap();
        let cases: Vec<ExplanationCase> = vec![
            (
                "an OCG member looked up",
                Box::new(move |f: &mut CrossrefFacts| {
                    f.watched.insert(n(10), WatchReason::OcgMember);
                    f.lookups = vec![lookup(10, 0, None), lookup(10, 2, Some("INV"))];
                }),
                LeadKind::WatchedLookup,
                vec![
                    "{1} looked up {10}, a member of an organised crime group, 2 time(s) between 2026-01-01 and 2026-01-03 on RMS.",
                    "1 look-up(s) gave no reason code.",
                ],
            ),
            (
                "a criminal looked up",
                Box::new(move |f: &mut CrossrefFacts| {
                    f.watched.insert(n(11), WatchReason::Criminal);
                    f.lookups = vec![lookup(11, 0, None), lookup(11, 1, None)];
                }),
                LeadKind::WatchedLookup,
                vec![
                    "{1} looked up {11}, a criminal nominal, 2 time(s) between 2026-01-01 and 2026-01-02 on RMS.",
                    "2 look-up(s) gave no reason code.",
                ],
            ),
            (
                "a vulnerable person looked up",
                Box::new(move |f: &mut CrossrefFacts| {
                    f.watched.insert(n(12), WatchReason::Vulnerable);
                    f.lookups = vec![lookup(12, 0, None), lookup(12, 0, None)];
                }),
                LeadKind::WatchedLookup,
                vec![
                    "{1} looked up {12}, a vulnerable person, 2 time(s) between 2026-01-01 and 2026-01-01 on RMS.",
                    "2 look-up(s) gave no reason code.",
                ],
            ),
            (
                "a victim looked up after the case closed",
                Box::new(move |f: &mut CrossrefFacts| {
                    f.watched.insert(n(13), WatchReason::Victim);
                    f.victim_cases_closed.insert(n(13), JAN_1);
                    f.lookups = vec![lookup(13, 4, None), lookup(13, 5, None)];
                }),
                LeadKind::WatchedLookup,
                vec![
                    "{1} looked up {13}, a victim whose case had closed, 2 time(s) between 2026-01-05 and 2026-01-06 on RMS.",
                    "2 look-up(s) gave no reason code.",
                ],
            ),
            (
                "a declared associate with no flag looked up",
                Box::new(move |f: &mut CrossrefFacts| {
                    f.declared.insert((n(1), n(14)));
                    f.lookups = vec![lookup(14, 0, None), lookup(14, 3, None)];
                }),
                LeadKind::WatchedLookup,
                vec![
                    "{1} looked up {14}, who carries no criminal or OCG flag, 2 time(s) between 2026-01-01 and 2026-01-04 on RMS.",
                    "{14} is {1}'s own declared associate: a conflict of interest.",
                    "2 look-up(s) gave no reason code.",
                ],
            ),
            (
                "calls with an OCG member's phone",
                Box::new(move |f: &mut CrossrefFacts| {
                    f.employees.insert(n(1));
                    f.watched.insert(n(10), WatchReason::OcgMember);
                    f.phone_owners.insert(n(100), vec![n(1)]);
                    f.phone_owners.insert(n(110), vec![n(10)]);
                    f.calls = vec![KnownCall {
                        caller: Some(n(100)),
                        callee: Some(n(110)),
                        at: JAN_1,
                        duration_secs: 420,
                    }];
                }),
                LeadKind::CallsWithCriminals,
                vec![
                    "{1}'s phone and a phone used by {10}, a member of an organised crime group, were in 1 call(s) between 2026-01-01 and 2026-01-01, 420 s in all.",
                ],
            ),
            (
                "hospitality, then a contract the officer awarded",
                Box::new(move |f: &mut CrossrefFacts| {
                    f.hospitality = vec![HospitalityFact {
                        staff: n(1),
                        staff_number: "AB1".into(),
                        provider: "ACME SECURITY LIMITED".into(),
                        provider_key: "acme security".into(),
                        offered_on: date("2026-01-10"),
                        value_pence: Some(45_000),
                        accepted: true,
                    }];
                    f.contracts = vec![ContractFact {
                        reference: "PRC-9".into(),
                        supplier_key: "acme security".into(),
                        awarded_on: date("2026-03-01"),
                        value_pence: Some(25_000_000),
                        awarded_by: Some("AB1".into()),
                    }];
                }),
                LeadKind::HospitalityBeforeContract,
                vec![
                    "{1} was offered hospitality by ACME SECURITY LIMITED on 2026-01-10 and accepted it; ACME SECURITY LIMITED was awarded contract PRC-9 on 2026-03-01, 50 day(s) later.",
                    "{1} awarded the contract.",
                ],
            ),
            (
                "a written warning for disclosure, then queries",
                Box::new(move |f: &mut CrossrefFacts| {
                    f.sanctions = vec![Sanction {
                        employee: n(1),
                        since: JAN_1,
                        outcome: crate::domain::ConductOutcomeKind::WrittenWarning,
                        category: "disclosure".into(),
                    }];
                    f.later_queries = vec![
                        LaterQuery {
                            staff: n(1),
                            at: JAN_1 + DAY,
                            reason_code: None,
                        },
                        LaterQuery {
                            staff: n(1),
                            at: JAN_1 + 2 * DAY,
                            reason_code: Some("INV".into()),
                        },
                    ];
                }),
                LeadKind::SanctionedStillQuerying,
                vec![
                    "{1} received a written warning for disclosure of information on 2026-01-01.",
                    "Since then: 2 quer(ies) on force systems, 1 with no reason code.",
                ],
            ),
            (
                "an undeclared direct association",
                Box::new(move |f: &mut CrossrefFacts| {
                    f.undeclared_routes = vec![UndeclaredRoute {
                        employee: n(1),
                        target: n(10),
                        hops: 1,
                        reasons: vec!["{10} is a member of an organised crime group.".into()],
                    }];
                }),
                LeadKind::UndeclaredAssociation,
                vec![
                    "{1} is 1 link(s) from {10} with no notifiable association declared.",
                    "{10} is a member of an organised crime group.",
                ],
            ),
        ];
        let mut kinds_seen = std::collections::BTreeSet::new();
        for (case, plant, kind, expected) in cases {
            let mut facts = CrossrefFacts::default();
            plant(&mut facts);
            let leads = cross_reference(&facts, &CrossrefOptions::default());
            assert_eq!(leads.len(), 1, "{case}");
            assert_eq!(leads[0].kind, kind, "{case}");
            assert_eq!(leads[0].explanation, expected, "{case}");
            assert!(
                leads[0]
                    .explanation
                    .iter()
                    .all(|line| !line.contains("criminal nominal"))
                    || case == "a criminal looked up",
                "{case}"
            );
            kinds_seen.insert(kind.as_str());
        }
        assert_eq!(kinds_seen.len(), 5, "every kind of lead has a row");
    }
}
