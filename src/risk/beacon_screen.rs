//! Operation Beacon screening: the data-testable warning signs of abuse of position for a
//! sexual purpose, looked for across the workforce in the force's own records (seed 001
//! §4.8.2: the unit must "proactively seek to identify those who abuse their position"; seed
//! 003 recommendation 5). Pure: the store streams rows in, this decides.
//!
//! Four indicators, each scored from 0 to 100 with the facts in words:
//! - look-ups of a victim or witness after their case closed, by staff not on the case;
//! - calls between a member of staff's phone and a victim's or witness's phone, while the
//!   member of staff was not on the case or before it opened;
//! - repeated self-deployment to incidents involving the same vulnerable person;
//! - contact (calls, self-deployments) after the case closed, by an officer who was on it.
//!
//! Each knows its innocent readings, which stay below [`BEACON_THRESHOLD`]: the officers on a
//! case (in charge, or in a liaison role) working it while it is open; a look-up whose
//! incident reference names a new incident involving the person; attendance when dispatched
//! (never counted); an officer on the case in touch within a week of its closure.
//!
//! Rows are folded into tallies as they arrive, one tally per member of staff, person and
//! indicator, each keeping at most [`MAX_EVIDENCE_ROWS`] row ids: memory grows with the
//! patterns found, not with the rows read. Findings never name the person: they say "the
//! victim in case CR/…"; the name is given only when a finding is opened.

use super::crossref::date_of;
use crate::domain::{CaseParty, NominalId};
use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};

/// The score from which an employee goes on the "Beacon assessment due" list.
pub const BEACON_THRESHOLD: u32 = 50;

/// The row ids a finding keeps as its evidence (the count goes on beyond).
pub const MAX_EVIDENCE_ROWS: usize = 50;

/// Contact by an officer on the case within this many days of its closure is winding the case
/// down (a result to pass on, property to return), not a warning sign.
pub const WIND_DOWN_DAYS: i64 = 7;

/// A call this long or longer weighs more.
pub const LONG_CALL_SECS: i64 = 600;

const DAY_SECS: i64 = 86_400;

/// A warning sign screening tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BeaconIndicator {
    LookupsAfterClosure,
    CallsOutsideCase,
    SelfDeployment,
    ContactAfterClosure,
}

impl BeaconIndicator {
    pub const ALL: [BeaconIndicator; 4] = [
        BeaconIndicator::LookupsAfterClosure,
        BeaconIndicator::CallsOutsideCase,
        BeaconIndicator::SelfDeployment,
        BeaconIndicator::ContactAfterClosure,
    ];

    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            BeaconIndicator::LookupsAfterClosure => "lookups_after_closure",
            BeaconIndicator::CallsOutsideCase => "calls_outside_case",
            BeaconIndicator::SelfDeployment => "self_deployment",
            BeaconIndicator::ContactAfterClosure => "contact_after_closure",
        }
    }

    #[must_use]
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|i| i.as_str() == text)
    }

    /// The indicator in words, as lists show it.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            BeaconIndicator::LookupsAfterClosure => "Look-ups after the case closed",
            BeaconIndicator::CallsOutsideCase => "Calls with a victim or witness outside the case",
            BeaconIndicator::SelfDeployment => "Repeated self-deployment to the same person",
            BeaconIndicator::ContactAfterClosure => "Contact after the case closed",
        }
    }

    /// The Beacon instrument's factor the indicator suggests an answer for.
    #[must_use]
    pub fn factor_key(self) -> &'static str {
        match self {
            BeaconIndicator::LookupsAfterClosure => "lookups_after_closure",
            BeaconIndicator::CallsOutsideCase => "call_records",
            BeaconIndicator::SelfDeployment => "self_deployment",
            BeaconIndicator::ContactAfterClosure => "contact_after_closure",
        }
    }
}

/// Where an evidence row is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EvidenceSource {
    /// A row of an imported system audit trail.
    AuditEvent,
    /// A row of imported call data.
    Call,
    /// A row of an imported command and control log.
    Deployment,
    /// A row of imported crime and incident records.
    Case,
}

impl EvidenceSource {
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            EvidenceSource::AuditEvent => "audit trail",
            EvidenceSource::Call => "call data",
            EvidenceSource::Deployment => "command and control",
            EvidenceSource::Case => "crime records",
        }
    }
}

/// One imported row a finding rests on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct EvidenceRow {
    pub source: EvidenceSource,
    /// The row's id in its table.
    pub id: i64,
}

/// What an officer did on a case, read from the words records systems use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OfficerRole {
    InCharge,
    /// Family liaison, victim liaison, sexual offences liaison: in touch with the victim as
    /// their job.
    Liaison,
    Other,
}

impl OfficerRole {
    /// A role as the case row gives it; none given is the officer in charge (the row's
    /// officer is the officer in charge unless it says otherwise).
    #[must_use]
    pub fn read(text: Option<&str>) -> Self {
        let Some(text) = text else {
            return OfficerRole::InCharge;
        };
        let text = text.to_ascii_uppercase();
        let words: Vec<&str> = text
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect();
        if words.contains(&"LIAISON")
            || words
                .iter()
                .any(|w| matches!(*w, "FLO" | "VLO" | "SOLO" | "SOIT" | "ISVA" | "CHISVA"))
        {
            OfficerRole::Liaison
        } else if words
            .iter()
            .any(|w| matches!(*w, "OIC" | "OFFICER" | "INVESTIGATING" | "IO" | "SIO"))
            || text.contains("IN CHARGE")
        {
            OfficerRole::InCharge
        } else {
            OfficerRole::Other
        }
    }

    fn words(self) -> &'static str {
        match self {
            OfficerRole::InCharge => "the officer in charge",
            OfficerRole::Liaison => "a liaison officer",
            OfficerRole::Other => "an officer recorded on it",
        }
    }
}

/// One case a person is party to, with its officers, gathered from its rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseFact {
    pub reference: String,
    pub party: NominalId,
    pub role: CaseParty,
    /// The start of the day it was opened, Unix seconds.
    pub opened: i64,
    /// The end of the day it closed, Unix seconds; `None` while open.
    pub closed: Option<i64>,
    pub officers: Vec<(NominalId, OfficerRole)>,
    /// The case rows naming the person.
    pub rows: Vec<i64>,
}

impl CaseFact {
    fn officer_role(&self, staff: NominalId) -> Option<OfficerRole> {
        self.officers
            .iter()
            .find(|(officer, _)| *officer == staff)
            .map(|&(_, role)| role)
    }

    /// How lists refer to the person: never by name.
    #[must_use]
    pub fn party_phrase(&self) -> String {
        format!("the {} in case {}", self.role.as_str(), self.reference)
    }
}

/// What screening knows before reading rows: the cases, who is vulnerable, who owns which
/// phone.
#[derive(Debug, Default)]
pub struct ScreeningContext {
    pub cases: Vec<CaseFact>,
    /// People flagged vulnerable.
    pub vulnerable: FxHashSet<NominalId>,
    /// Members of staff (only their rows are screened).
    pub staff: FxHashSet<NominalId>,
    /// Who uses each phone a member of staff or a case party uses.
    pub phone_owners: FxHashMap<NominalId, Vec<NominalId>>,
    cases_by_party: FxHashMap<NominalId, Vec<usize>>,
}

impl ScreeningContext {
    /// Indexes the cases by person. Call once the cases are in.
    pub fn index(&mut self) {
        self.cases_by_party.clear();
        for (index, case) in self.cases.iter().enumerate() {
            self.cases_by_party
                .entry(case.party)
                .or_default()
                .push(index);
        }
    }

    /// The people party to a case, ascending.
    #[must_use]
    pub fn parties(&self) -> Vec<NominalId> {
        let mut parties: Vec<NominalId> = self.cases_by_party.keys().copied().collect();
        parties.sort_unstable();
        parties
    }

    fn cases_of(&self, party: NominalId) -> impl Iterator<Item = (usize, &CaseFact)> {
        self.cases_by_party
            .get(&party)
            .into_iter()
            .flatten()
            .map(|&i| (i, &self.cases[i]))
    }

    /// The earliest closure among a person's cases (`None`: none closed).
    #[must_use]
    pub fn earliest_closure(&self, party: NominalId) -> Option<i64> {
        self.cases_of(party).filter_map(|(_, c)| c.closed).min()
    }

    /// The latest of `party`'s cases that `staff` was on and that had closed by `at`: its
    /// index, its closing time and the officer's role.
    fn closed_case_worked(
        &self,
        staff: NominalId,
        party: NominalId,
        at: i64,
    ) -> Option<(usize, i64, Option<OfficerRole>)> {
        self.cases_of(party)
            .filter_map(|(i, c)| {
                let role = c.officer_role(staff)?;
                let closed = c.closed.filter(|closed| *closed <= at)?;
                Some((i, closed, Some(role)))
            })
            .max_by_key(|&(_, closed, _)| closed)
    }

    /// Whether a person counts as vulnerable: flagged so, or party to a case.
    #[must_use]
    pub fn is_vulnerable(&self, person: NominalId) -> bool {
        self.vulnerable.contains(&person) || self.cases_by_party.contains_key(&person)
    }

    /// The case parties among a phone's users.
    fn parties_on_phone(&self, phone: NominalId) -> impl Iterator<Item = NominalId> + '_ {
        self.phone_owners
            .get(&phone)
            .into_iter()
            .flatten()
            .copied()
            .filter(|owner| self.cases_by_party.contains_key(owner))
    }

    fn staff_on_phone(&self, phone: NominalId) -> impl Iterator<Item = NominalId> + '_ {
        self.phone_owners
            .get(&phone)
            .into_iter()
            .flatten()
            .copied()
            .filter(|owner| self.staff.contains(owner))
    }
}

/// A look-up of a case party on a force system.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LookupRow {
    pub id: i64,
    pub staff: NominalId,
    pub subject: NominalId,
    pub at: i64,
    pub system: String,
    /// The incident the look-up names, when that incident (or another case) involves the
    /// person looked up: the store checks.
    pub tied_incident: Option<String>,
}

/// A call between two phones (either may be unknown).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CallRow {
    pub id: i64,
    pub caller: Option<NominalId>,
    pub callee: Option<NominalId>,
    pub at: i64,
    pub duration_secs: i64,
}

/// A self-deployment: an officer attaching themselves to an incident involving a person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelfDeploymentRow {
    pub id: i64,
    pub officer: NominalId,
    pub person: NominalId,
    pub incident: String,
    pub at: i64,
}

/// One finding: a member of staff, a person (never named here), an indicator, its score and
/// the facts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BeaconFinding {
    /// Stable across runs: the same indicator about the same people (and case) is the same
    /// finding. Made of ids only.
    pub fingerprint: String,
    pub indicator: BeaconIndicator,
    pub employee: NominalId,
    /// The person it concerns: kept for opening the finding, never listed.
    #[serde(skip)]
    pub person: NominalId,
    /// The case it concerns, where it concerns one.
    pub case_reference: Option<String>,
    /// How the person is referred to: "the victim in case CR/…".
    pub person_phrase: String,
    pub score: u32,
    /// The facts, in words, without names.
    pub facts: Vec<String>,
    /// The innocent readings screening applied (rows it did not count, and why).
    pub readings: Vec<String>,
    /// The rows it rests on (at most [`MAX_EVIDENCE_ROWS`]).
    pub evidence: Vec<EvidenceRow>,
    /// How many rows it rests on in all.
    pub evidence_total: usize,
    /// Counts the suggestion reads: look-ups without a purpose, calls (long or at night), self
    /// deployments to distinct incidents, contacts after closure.
    pub counted: u32,
    /// Calls among the rows counted.
    pub calls: u32,
    pub long_or_night_calls: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct TallyKey {
    staff: NominalId,
    person: NominalId,
    indicator: BeaconIndicator,
    /// Index of the case in the context (`usize::MAX`: none).
    case: usize,
}

#[derive(Debug, Default)]
struct Tally {
    /// Rows counted towards the score (for self-deployment: distinct incidents).
    counted: u32,
    /// Rows not counted because of an innocent reading.
    excused: u32,
    tied_incidents: Vec<String>,
    wind_down: u32,
    long: u32,
    night: u32,
    first: i64,
    last: i64,
    systems: Vec<String>,
    incidents: Vec<String>,
    /// Calls counted (a contact after closure may also be a self-deployment).
    calls: u32,
    /// Calls outside the case: before it opened, while it was open, after it closed.
    when: [u32; 3],
    evidence: Vec<EvidenceRow>,
    evidence_total: usize,
    on_case: Option<OfficerRole>,
}

impl Tally {
    fn see(&mut self, row: EvidenceRow, at: i64) {
        if self.evidence_total == 0 {
            self.first = at;
            self.last = at;
        } else {
            self.first = self.first.min(at);
            self.last = self.last.max(at);
        }
        self.evidence_total += 1;
        if self.evidence.len() < MAX_EVIDENCE_ROWS {
            self.evidence.push(row);
        }
    }
}

/// Folds rows into findings.
#[derive(Debug)]
pub struct BeaconScreener<'c> {
    context: &'c ScreeningContext,
    tallies: FxHashMap<TallyKey, Tally>,
    /// Calls by an officer on the case while it was open: their work, counted only.
    pub calls_within_case: u64,
}

fn is_night(at: i64) -> bool {
    let hour = at.rem_euclid(DAY_SECS) / 3_600;
    !(6..22).contains(&hour)
}

fn plural(count: u32, one: &str, many: &str) -> String {
    if count == 1 {
        format!("1 {one}")
    } else {
        format!("{count} {many}")
    }
}

impl<'c> BeaconScreener<'c> {
    #[must_use]
    pub fn new(context: &'c ScreeningContext) -> Self {
        Self {
            context,
            tallies: FxHashMap::default(),
            calls_within_case: 0,
        }
    }

    fn tally(
        &mut self,
        staff: NominalId,
        person: NominalId,
        indicator: BeaconIndicator,
        case: usize,
    ) -> &mut Tally {
        self.tallies
            .entry(TallyKey {
                staff,
                person,
                indicator,
                case,
            })
            .or_default()
    }

    /// A look-up of a case party. Only look-ups after one of their cases closed count.
    pub fn add_lookup(&mut self, lookup: &LookupRow) {
        // The most recently closed of the person's cases before the look-up.
        let Some((index, case)) = self
            .context
            .cases_of(lookup.subject)
            .filter(|(_, c)| c.closed.is_some_and(|closed| closed <= lookup.at))
            .max_by_key(|(_, c)| c.closed)
        else {
            return;
        };
        // A look-up made for the same person's open case is that case's work.
        if self.context.cases_of(lookup.subject).any(|(_, c)| {
            c.officer_role(lookup.staff).is_some()
                && c.opened <= lookup.at
                && c.closed.is_none_or(|closed| lookup.at < closed)
        }) {
            return;
        }
        let on_case = case.officer_role(lookup.staff);
        let tied = lookup
            .tied_incident
            .as_ref()
            .filter(|incident| **incident != case.reference)
            .cloned();
        let tally = self.tally(
            lookup.staff,
            lookup.subject,
            BeaconIndicator::LookupsAfterClosure,
            index,
        );
        tally.on_case = on_case;
        tally.see(
            EvidenceRow {
                source: EvidenceSource::AuditEvent,
                id: lookup.id,
            },
            lookup.at,
        );
        if let Some(incident) = tied {
            tally.excused += 1;
            if !tally.tied_incidents.contains(&incident) && tally.tied_incidents.len() < 5 {
                tally.tied_incidents.push(incident);
            }
        } else {
            tally.counted += 1;
            if !tally.systems.contains(&lookup.system) && tally.systems.len() < 5 {
                tally.systems.push(lookup.system.clone());
            }
        }
    }

    /// A call on a staff phone. Counts when the other phone is a case party's.
    pub fn add_call(&mut self, call: &CallRow) {
        let ends = [(call.caller, call.callee), (call.callee, call.caller)];
        for (staff_phone, other_phone) in ends {
            let (Some(staff_phone), Some(other_phone)) = (staff_phone, other_phone) else {
                continue;
            };
            let staff: Vec<NominalId> = self.context.staff_on_phone(staff_phone).collect();
            let parties: Vec<NominalId> = self.context.parties_on_phone(other_phone).collect();
            for &member in &staff {
                for &party in &parties {
                    if member != party {
                        self.add_contact_call(member, party, call);
                    }
                }
            }
        }
    }

    fn add_contact_call(&mut self, staff: NominalId, party: NominalId, call: &CallRow) {
        let at = call.at;
        // Working the case: an officer on one of the person's cases, while it is open.
        if self.context.cases_of(party).any(|(_, c)| {
            c.officer_role(staff).is_some()
                && c.opened <= at
                && c.closed.is_none_or(|closed| at < closed)
        }) {
            self.calls_within_case += 1;
            return;
        }
        // Contact after closure is contact by an officer who was on the case: the relationship
        // the case made. Anyone else's calls are outside the case, whenever they fall.
        let closed_before = self.context.closed_case_worked(staff, party, at);
        let row = EvidenceRow {
            source: EvidenceSource::Call,
            id: call.id,
        };
        let long = call.duration_secs >= LONG_CALL_SECS;
        let night = is_night(at);
        if let Some((index, closed, on_case)) = closed_before {
            let tally = self.tally(staff, party, BeaconIndicator::ContactAfterClosure, index);
            tally.on_case = on_case;
            tally.see(row, at);
            if at - closed < WIND_DOWN_DAYS * DAY_SECS {
                tally.wind_down += 1;
            } else {
                tally.counted += 1;
                tally.calls += 1;
                tally.long += u32::from(long);
                tally.night += u32::from(night);
            }
            return;
        }
        // Outside the case: the member of staff's own case with the person if they have one
        // (a call before it opened), else the case open at the time, else the nearest.
        let distance = |c: &CaseFact| {
            if at < c.opened {
                c.opened - at
            } else {
                c.closed.map_or(0, |closed| (at - closed).max(0))
            }
        };
        let Some((index, case)) = self
            .context
            .cases_of(party)
            .min_by_key(|(_, c)| (c.officer_role(staff).is_none(), distance(c)))
        else {
            return;
        };
        let on_case = case.officer_role(staff);
        let when = if at < case.opened {
            0
        } else if case.closed.is_some_and(|closed| closed <= at) {
            2
        } else {
            1
        };
        let tally = self.tally(staff, party, BeaconIndicator::CallsOutsideCase, index);
        tally.on_case = on_case;
        tally.see(row, at);
        tally.counted += 1;
        tally.calls += 1;
        tally.when[when] += 1;
        tally.long += u32::from(long);
        tally.night += u32::from(night);
    }

    /// A self-deployment to an incident involving a person.
    pub fn add_self_deployment(&mut self, deployment: &SelfDeploymentRow) {
        if deployment.officer == deployment.person || !self.context.is_vulnerable(deployment.person)
        {
            return;
        }
        let row = EvidenceRow {
            source: EvidenceSource::Deployment,
            id: deployment.id,
        };
        let tally = self.tally(
            deployment.officer,
            deployment.person,
            BeaconIndicator::SelfDeployment,
            usize::MAX,
        );
        tally.see(row, deployment.at);
        if !tally.incidents.contains(&deployment.incident) {
            tally.counted += 1;
            if tally.incidents.len() < 20 {
                tally.incidents.push(deployment.incident.clone());
            }
        }
        // After one of the person's cases closed, it is also contact after closure.
        let closed_before =
            self.context
                .closed_case_worked(deployment.officer, deployment.person, deployment.at);
        if let Some((index, closed, on_case)) = closed_before {
            let tally = self.tally(
                deployment.officer,
                deployment.person,
                BeaconIndicator::ContactAfterClosure,
                index,
            );
            tally.on_case = on_case;
            tally.see(row, deployment.at);
            if deployment.at - closed < WIND_DOWN_DAYS * DAY_SECS {
                tally.wind_down += 1;
            } else {
                tally.counted += 1;
            }
        }
    }

    /// The findings, best first (all of them: callers compare with the threshold).
    #[must_use]
    pub fn finish(self) -> Vec<BeaconFinding> {
        let context = self.context;
        let mut findings: Vec<BeaconFinding> = self
            .tallies
            .into_iter()
            .filter_map(|(key, tally)| finding(context, key, tally))
            .collect();
        findings.sort_by(|a, b| {
            b.score
                .cmp(&a.score)
                .then(a.employee.cmp(&b.employee))
                .then(a.indicator.cmp(&b.indicator))
                .then(a.fingerprint.cmp(&b.fingerprint))
        });
        findings
    }
}

#[expect(
    clippy::too_many_lines,
    reason = "the four indicators' scores and words side by side, so their rules read together"
)]
fn finding(context: &ScreeningContext, key: TallyKey, tally: Tally) -> Option<BeaconFinding> {
    let case = context.cases.get(key.case);
    let person_phrase = match case {
        Some(case) => case.party_phrase(),
        None => match tally.incidents.first() {
            Some(incident) if context.cases_by_party.contains_key(&key.person) => {
                let case = context
                    .cases_of(key.person)
                    .map(|(_, c)| c)
                    .min_by(|a, b| a.reference.cmp(&b.reference));
                case.map_or_else(
                    || format!("the person involved in incident {incident}"),
                    CaseFact::party_phrase,
                )
            }
            Some(incident) => format!("the vulnerable person involved in incident {incident}"),
            None => String::from("a vulnerable person"),
        },
    };
    let mut facts = Vec::new();
    let mut readings = Vec::new();
    let closed_on = case.and_then(|c| c.closed).map(|c| date_of(c - 1));
    let on_case_words = |role: Option<OfficerRole>| match role {
        Some(role) => format!("The member of staff was {} of the case.", role.words()),
        None => String::from("The member of staff was not recorded on the case."),
    };
    let score = match key.indicator {
        BeaconIndicator::LookupsAfterClosure => {
            if tally.counted > 0 {
                facts.push(format!(
                    "{} of {person_phrase} after it closed on {}, between {} and {}, on {}; none tied to an incident involving them.",
                    plural(tally.counted, "look-up", "look-ups"),
                    closed_on.clone().unwrap_or_default(),
                    date_of(tally.first),
                    date_of(tally.last),
                    tally.systems.join(", "),
                ));
            }
            facts.push(on_case_words(tally.on_case));
            if tally.excused > 0 {
                readings.push(format!(
                    "{} named a new incident involving them ({}): not counted.",
                    plural(tally.excused, "look-up", "look-ups"),
                    tally.tied_incidents.join(", ")
                ));
            }
            if tally.counted == 0 {
                10
            } else if let Some(role) = tally.on_case {
                readings.push(format!(
                    "As {} of the case, follow-up work may explain a look-up: scored below the threshold.",
                    role.words()
                ));
                (20 + 5 * (tally.counted - 1)).min(45)
            } else {
                50 + 10 * (tally.counted - 1)
            }
        }
        BeaconIndicator::CallsOutsideCase => {
            case?;
            let parts: Vec<String> = [
                (tally.when[0], "before the case opened"),
                (tally.when[1], "while it was open"),
                (tally.when[2], "after it closed"),
            ]
            .into_iter()
            .filter(|(count, _)| *count > 0)
            .map(|(count, words)| format!("{count} {words}"))
            .collect();
            facts.push(format!(
                "{} with {person_phrase}, between {} and {} ({}).",
                plural(tally.counted, "call", "calls"),
                date_of(tally.first),
                date_of(tally.last),
                parts.join(", "),
            ));
            facts.push(on_case_words(tally.on_case));
            long_night_fact(&tally, &mut facts);
            40 + 10 * (tally.counted - 1) + 5 * (tally.long + tally.night)
        }
        BeaconIndicator::SelfDeployment => {
            facts.push(format!(
                "Self-deployed to {} involving {person_phrase}, between {} and {}: {}.",
                plural(tally.counted, "incident", "different incidents"),
                date_of(tally.first),
                date_of(tally.last),
                tally.incidents.join(", "),
            ));
            readings.push(String::from(
                "Attendance when dispatched is not counted: only self-deployment is.",
            ));
            match tally.counted {
                0 => return None,
                1 => 10,
                2 => {
                    readings.push(String::from(
                        "Twice may be chance (a neighbourhood beat, a repeat caller): scored below the threshold.",
                    ));
                    30
                }
                n => 55 + 10 * (n - 3),
            }
        }
        BeaconIndicator::ContactAfterClosure => {
            if tally.counted > 0 {
                facts.push(format!(
                    "{} with {person_phrase} after it closed on {}, between {} and {}.",
                    plural(tally.counted, "contact", "contacts"),
                    closed_on.clone().unwrap_or_default(),
                    date_of(tally.first),
                    date_of(tally.last),
                ));
            }
            facts.push(on_case_words(tally.on_case));
            long_night_fact(&tally, &mut facts);
            if tally.wind_down > 0 {
                readings.push(format!(
                    "{} within {WIND_DOWN_DAYS} days of closure by an officer on the case (winding it down): not counted.",
                    plural(tally.wind_down, "contact", "contacts"),
                ));
            }
            if tally.counted == 1 {
                readings.push(String::from(
                    "A single contact may have had a purpose: scored below the threshold.",
                ));
            }
            match tally.counted {
                0 => 15,
                n => 40 + 10 * (n - 1) + 5 * (tally.long + tally.night),
            }
        }
    };
    let fingerprint = fingerprint(
        key.indicator,
        key.staff,
        key.person,
        case.map_or(0, |c| c.rows.first().copied().unwrap_or(0)),
    );
    let mut evidence = tally.evidence;
    if let Some(case) = case {
        for &row in case.rows.iter().take(3) {
            evidence.push(EvidenceRow {
                source: EvidenceSource::Case,
                id: row,
            });
        }
    }
    Some(BeaconFinding {
        fingerprint,
        indicator: key.indicator,
        employee: key.staff,
        person: key.person,
        case_reference: case.map(|c| c.reference.clone()),
        person_phrase,
        score: score.min(100),
        facts,
        readings,
        evidence,
        evidence_total: tally.evidence_total,
        counted: tally.counted,
        calls: tally.calls,
        long_or_night_calls: tally.long + tally.night,
    })
}

/// A finding's reference: the indicator, the member of staff, the person and the case's first
/// row, ids only, so the same pattern about the same people is the same reference every run.
fn fingerprint(
    indicator: BeaconIndicator,
    staff: NominalId,
    person: NominalId,
    case_row: i64,
) -> String {
    format!("{}-{}-{}-{case_row}", indicator.as_str(), staff.0, person.0)
}

/// The member of staff a finding's reference names (see [`fingerprint`]).
#[must_use]
pub fn fingerprint_employee(fingerprint: &str) -> Option<NominalId> {
    let mut parts = fingerprint.split('-');
    let _indicator = parts.next()?;
    parts.next()?.parse().ok().map(NominalId)
}

fn long_night_fact(tally: &Tally, facts: &mut Vec<String>) {
    if tally.long > 0 || tally.night > 0 {
        facts.push(format!(
            "{} lasted 10 minutes or more; {} between 22:00 and 06:00.",
            plural(tally.long, "call", "calls"),
            plural(tally.night, "was", "were")
        ));
    }
}

/// An answer screening suggests for one of the Beacon instrument's factors.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SuggestedAnswer {
    pub factor: String,
    /// The option key suggested.
    pub option: String,
    /// The facts behind it, in words, without names.
    pub facts: Vec<String>,
    /// The findings (fingerprints) it comes from.
    pub findings: Vec<String>,
    pub evidence: Vec<EvidenceRow>,
}

/// The answers the findings about one member of staff suggest, factor by factor, for every
/// data-testable factor the instrument has (a factor with nothing found is suggested its "none
/// found" answer, with the words saying so). Options the instrument lacks are not suggested.
#[must_use]
pub fn suggest_answers(
    instrument: &super::Instrument,
    findings: &[&BeaconFinding],
) -> Vec<SuggestedAnswer> {
    let mut suggestions = Vec::new();
    for factor_key in [
        "lookups_after_closure",
        "call_records",
        "self_deployment",
        "contact_after_closure",
    ] {
        let Some(factor) = instrument.factor(factor_key) else {
            continue;
        };
        let relevant: Vec<&BeaconFinding> = findings
            .iter()
            .copied()
            .filter(|f| {
                f.indicator.factor_key() == factor_key
                    || (factor_key == "call_records"
                        && f.indicator == BeaconIndicator::ContactAfterClosure
                        && f.calls > 0)
            })
            .collect();
        let count = |f: &BeaconFinding| {
            if factor_key == "call_records" {
                f.calls
            } else {
                f.counted
            }
        };
        let total: u32 = relevant.iter().map(|f| count(f)).sum();
        let most: u32 = relevant.iter().map(|f| count(f)).max().unwrap_or(0);
        let long_or_night: u32 = relevant.iter().map(|f| f.long_or_night_calls).sum();
        let wanted: &[&str] = match factor_key {
            "lookups_after_closure" => match total {
                0 => &["none_found"],
                1 => &["single"],
                _ => &["repeated"],
            },
            "call_records" => match total {
                0 => &["none_found"],
                1 | 2 if long_or_night == 0 => &["few"],
                _ => &["repeated"],
            },
            "self_deployment" => match most {
                0 => &["none_found"],
                1 | 2 => &["occasional"],
                _ => &["repeated"],
            },
            _ => match total {
                0 => &["none_known"],
                _ => &["found"],
            },
        };
        let Some(option) = wanted
            .iter()
            .find(|key| factor.option(key).is_some())
            .map(|key| (*key).to_owned())
        else {
            continue;
        };
        let mut facts: Vec<String> = relevant
            .iter()
            .flat_map(|f| f.facts.iter().chain(f.readings.iter()).cloned())
            .collect();
        if facts.is_empty() {
            facts.push(String::from(
                "Screening of the imported audit trails, call data, command and control logs and crime records found nothing for this factor.",
            ));
        }
        let mut evidence: Vec<EvidenceRow> = relevant
            .iter()
            .flat_map(|f| f.evidence.iter().copied())
            .collect();
        evidence.sort_unstable();
        evidence.dedup();
        suggestions.push(SuggestedAnswer {
            factor: factor_key.to_owned(),
            option,
            facts,
            findings: relevant.iter().map(|f| f.fingerprint.clone()).collect(),
            evidence,
        });
    }
    suggestions
}

#[cfg(test)]
mod tests {
    //! The indicators and their innocent readings, one table row each. Seed 001 §4.8.2: the
    //! unit must "proactively seek to identify those who abuse their position"; the DOMAIN
    //! summary of the public guidance: "Data the CCU can test for: system look-ups of a victim
    //! after the case closed, repeated self-deployment to the same person, calls between an
    //! officer's phone and a victim's."
    use super::*;
    const DAY: i64 = super::DAY_SECS;

    const OIC: NominalId = NominalId(1);
    const LIAISON: NominalId = NominalId(2);
    const OTHER: NominalId = NominalId(3);
    const VICTIM: NominalId = NominalId(10);
    const OIC_PHONE: NominalId = NominalId(101);
    const LIAISON_PHONE: NominalId = NominalId(102);
    const OTHER_PHONE: NominalId = NominalId(103);
    const VICTIM_PHONE: NominalId = NominalId(110);
    const OPENED: i64 = 1_000 * DAY;
    const CLOSED: i64 = 1_060 * DAY;

    fn context() -> ScreeningContext {
        let mut context = ScreeningContext {
            cases: vec![CaseFact {
                reference: "CR/1".into(),
                party: VICTIM,
                role: CaseParty::Victim,
                opened: OPENED,
                closed: Some(CLOSED),
                officers: vec![
                    (OIC, OfficerRole::InCharge),
                    (LIAISON, OfficerRole::read(Some("Family Liaison Officer"))),
                ],
                rows: vec![7, 8],
            }],
            ..ScreeningContext::default()
        };
        context.staff.extend([OIC, LIAISON, OTHER]);
        for (owner, phone) in [
            (OIC, OIC_PHONE),
            (LIAISON, LIAISON_PHONE),
            (OTHER, OTHER_PHONE),
            (VICTIM, VICTIM_PHONE),
        ] {
            context.phone_owners.insert(phone, vec![owner]);
        }
        context.index();
        context
    }

    fn lookup(id: i64, staff: NominalId, at: i64, tied: Option<&str>) -> LookupRow {
        LookupRow {
            id,
            staff,
            subject: VICTIM,
            at,
            system: "PNC".into(),
            tied_incident: tied.map(str::to_owned),
        }
    }

    fn call(id: i64, from: NominalId, at: i64) -> CallRow {
        CallRow {
            id,
            caller: Some(from),
            callee: Some(VICTIM_PHONE),
            at: at + 12 * 3_600,
            duration_secs: 60,
        }
    }

    /// (what happened, indicator expected, at or above the threshold).
    fn run(add: impl Fn(&mut BeaconScreener<'_>)) -> Vec<(BeaconIndicator, u32)> {
        let context = context();
        let mut screener = BeaconScreener::new(&context);
        add(&mut screener);
        screener
            .finish()
            .into_iter()
            .map(|f| (f.indicator, f.score))
            .collect()
    }

    fn top(findings: &[(BeaconIndicator, u32)]) -> u32 {
        findings.iter().map(|f| f.1).max().unwrap_or(0)
    }

    #[test]
    fn officer_roles_are_read_from_the_words_systems_use() {
        for (text, role) in [
            (None, OfficerRole::InCharge),
            (Some("OIC"), OfficerRole::InCharge),
            (Some("Officer in charge"), OfficerRole::InCharge),
            (Some("FLO"), OfficerRole::Liaison),
            (Some("family liaison officer"), OfficerRole::Liaison),
            (Some("SOLO"), OfficerRole::Liaison),
            (Some("Scribe"), OfficerRole::Other),
        ] {
            assert_eq!(OfficerRole::read(text), role, "{text:?}");
        }
    }

    #[test]
    fn look_ups_after_closure_by_staff_not_on_the_case_are_due_and_innocent_readings_are_not() {
        let after = CLOSED + 10 * DAY;
        // Planted: three look-ups by someone not on the case, after it closed.
        let planted = run(|s| {
            for n in 0..3 {
                s.add_lookup(&lookup(n, OTHER, after + n * DAY, None));
            }
        });
        assert_eq!(planted, vec![(BeaconIndicator::LookupsAfterClosure, 70)]);
        // The officer in charge during the case: their work, no finding at all.
        assert!(
            run(|s| {
                for n in 0..10 {
                    s.add_lookup(&lookup(n, OIC, OPENED + n * DAY, None));
                }
            })
            .is_empty()
        );
        // The officer in charge after closure: below the threshold.
        let oic_after = run(|s| {
            for n in 0..3 {
                s.add_lookup(&lookup(n, OIC, after + n * DAY, None));
            }
        });
        assert!(top(&oic_after) < BEACON_THRESHOLD, "{oic_after:?}");
        // A look-up naming a new incident involving the victim: below the threshold.
        let tied = run(|s| s.add_lookup(&lookup(1, OTHER, after, Some("INC/9"))));
        assert!(top(&tied) < BEACON_THRESHOLD, "{tied:?}");
        // ...but naming the closed case itself is no new incident.
        let same_case = run(|s| s.add_lookup(&lookup(1, OTHER, after, Some("CR/1"))));
        assert_eq!(top(&same_case), BEACON_THRESHOLD);
        // Before the case closed, someone not on it: not this indicator.
        assert!(run(|s| s.add_lookup(&lookup(1, OTHER, OPENED + DAY, None))).is_empty());
    }

    #[test]
    fn calls_with_the_victim_are_read_against_the_case_and_who_was_on_it() {
        let during = OPENED + 5 * DAY;
        // Planted: calls by someone not on the case while it was open.
        let outside = run(|s| {
            for n in 0..3 {
                s.add_call(&call(n, OTHER_PHONE, during + n * DAY));
            }
        });
        assert_eq!(outside, vec![(BeaconIndicator::CallsOutsideCase, 60)]);
        // The liaison officer's and the officer in charge's calls during the case: their work.
        let liaison = run(|s| {
            for n in 0..15 {
                s.add_call(&call(n, LIAISON_PHONE, during + n * DAY));
                s.add_call(&call(100 + n, OIC_PHONE, during + n * DAY));
            }
        });
        assert!(liaison.is_empty(), "{liaison:?}");
        // Contact after closure, weeks later, by the officer in charge: due.
        let after = run(|s| {
            for n in 0..2 {
                s.add_call(&call(n, OIC_PHONE, CLOSED + (20 + n) * DAY));
            }
        });
        assert_eq!(after, vec![(BeaconIndicator::ContactAfterClosure, 50)]);
        // Someone never on the case calling after it closed: outside the case, not "contact
        // after closure" (which is the case's own officers keeping in touch).
        let stranger = run(|s| {
            for n in 0..2 {
                s.add_call(&call(n, OTHER_PHONE, CLOSED + (20 + n) * DAY));
            }
        });
        assert_eq!(stranger, vec![(BeaconIndicator::CallsOutsideCase, 50)]);
        // Within a week of closure by the officer in charge: winding the case down.
        let wind_down = run(|s| s.add_call(&call(1, OIC_PHONE, CLOSED + 2 * DAY)));
        assert!(top(&wind_down) < BEACON_THRESHOLD, "{wind_down:?}");
        // A single call after closure may have a purpose: below.
        let single = run(|s| s.add_call(&call(1, OIC_PHONE, CLOSED + 30 * DAY)));
        assert!(top(&single) < BEACON_THRESHOLD, "{single:?}");
    }

    #[test]
    fn repeated_self_deployment_to_the_same_vulnerable_person_is_due_and_twice_is_not() {
        let deploy = |n: i64, incident: &str| SelfDeploymentRow {
            id: n,
            officer: OTHER,
            person: VICTIM,
            incident: incident.into(),
            at: OPENED - 100 * DAY + n * 7 * DAY,
        };
        let three = run(|s| {
            for (n, incident) in ["INC/1", "INC/2", "INC/3"].into_iter().enumerate() {
                s.add_self_deployment(&deploy(i64::try_from(n).unwrap_or(0), incident));
            }
        });
        assert_eq!(three, vec![(BeaconIndicator::SelfDeployment, 55)]);
        let twice = run(|s| {
            s.add_self_deployment(&deploy(1, "INC/1"));
            s.add_self_deployment(&deploy(2, "INC/2"));
            // The same incident again is not another deployment to the person.
            s.add_self_deployment(&deploy(3, "INC/2"));
        });
        assert!(top(&twice) < BEACON_THRESHOLD, "{twice:?}");
    }

    #[test]
    fn findings_refer_to_the_victim_by_case_and_suggest_the_instruments_answers() {
        let context = context();
        let mut screener = BeaconScreener::new(&context);
        for n in 0..3 {
            screener.add_lookup(&lookup(n, OTHER, CLOSED + (10 + n) * DAY, None));
        }
        let findings = screener.finish();
        assert_eq!(findings[0].person_phrase, "the victim in case CR/1");
        assert!(findings[0].facts[0].contains("3 look-ups of the victim in case CR/1"));
        assert_eq!(findings[0].fingerprint, "lookups_after_closure-3-10-7");
        assert!(findings[0].evidence.contains(&EvidenceRow {
            source: EvidenceSource::Case,
            id: 7
        }));
        let instrument = crate::io::instrument_file::shipped()
            .unwrap_or_default()
            .into_iter()
            .filter(|i| i.key() == "beacon")
            .max_by_key(crate::risk::Instrument::version)
            .expect("the shipped Beacon instrument");
        let refs: Vec<&BeaconFinding> = findings.iter().collect();
        let suggested: Vec<(String, String)> = suggest_answers(&instrument, &refs)
            .into_iter()
            .map(|s| (s.factor, s.option))
            .collect();
        assert_eq!(
            suggested,
            [
                ("lookups_after_closure", "repeated"),
                ("call_records", "none_found"),
                ("self_deployment", "none_found"),
                ("contact_after_closure", "none_known"),
            ]
            .map(|(f, o)| (f.to_owned(), o.to_owned()))
        );
    }
}
