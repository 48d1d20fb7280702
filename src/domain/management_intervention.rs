//! A management intervention (an "ethical meeting", seed 001 §4.9): a preventive meeting with an
//! officer about intelligence that cannot be corroborated or developed to an investigation. Its
//! lifecycle is strict and checked here, in one function, so the library, the command line and
//! the GUI refuse the same things with the same words:
//!
//! proposed → (declined | authorised) → meeting held → outcome recorded → under review → closed,
//! and withdrawn, before a decision.
//!
//! Only an inspector decides, never the one who proposed (four eyes), always with a written
//! rationale, and authorising is refused while any precondition is unmet.

use super::{FieldError, IsoDate, NominalId, Role, UserId};
use serde::{Deserialize, Serialize};

/// The longest free text kept in a field (rationale, summary, response, note), in characters.
pub const MAX_INTERVENTION_TEXT_CHARS: usize = 20_000;

/// Where an intervention is in its lifecycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InterventionState {
    Proposed,
    Withdrawn,
    Declined,
    Authorised,
    MeetingHeld,
    OutcomeRecorded,
    UnderReview,
    Closed,
}

impl InterventionState {
    pub const ALL: [InterventionState; 8] = [
        InterventionState::Proposed,
        InterventionState::Withdrawn,
        InterventionState::Declined,
        InterventionState::Authorised,
        InterventionState::MeetingHeld,
        InterventionState::OutcomeRecorded,
        InterventionState::UnderReview,
        InterventionState::Closed,
    ];

    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            InterventionState::Proposed => "proposed",
            InterventionState::Withdrawn => "withdrawn",
            InterventionState::Declined => "declined",
            InterventionState::Authorised => "authorised",
            InterventionState::MeetingHeld => "meeting_held",
            InterventionState::OutcomeRecorded => "outcome_recorded",
            InterventionState::UnderReview => "under_review",
            InterventionState::Closed => "closed",
        }
    }

    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            InterventionState::Proposed => "Proposed",
            InterventionState::Withdrawn => "Withdrawn",
            InterventionState::Declined => "Declined",
            InterventionState::Authorised => "Authorised",
            InterventionState::MeetingHeld => "Meeting held",
            InterventionState::OutcomeRecorded => "Outcome recorded",
            InterventionState::UnderReview => "Under review",
            InterventionState::Closed => "Closed",
        }
    }

    /// The state written as [`InterventionState::as_str`] gives it.
    #[must_use]
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }
}

/// The preconditions of seed 001 §4.9.3, each answered explicitly (`None`: not answered).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Preconditions {
    /// The intelligence has been fully assessed.
    pub fully_assessed: Option<bool>,
    /// It cannot be corroborated or developed further to justify an investigation.
    pub cannot_develop_further: Option<bool>,
    /// Nothing suggests the person is subject to criminal proceedings.
    pub no_criminal_proceedings: Option<bool>,
    /// Nothing suggests the person is subject to misconduct proceedings.
    pub no_misconduct_proceedings: Option<bool>,
    /// Nothing suggests the person is subject to the Service Confidence procedure.
    pub no_service_confidence: Option<bool>,
}

impl Preconditions {
    /// Each precondition with its field name and wording.
    #[must_use]
    pub fn answers(&self) -> [(&'static str, &'static str, Option<bool>); 5] {
        [
            (
                "fully_assessed",
                "the intelligence has been fully assessed",
                self.fully_assessed,
            ),
            (
                "cannot_develop_further",
                "it cannot be corroborated or developed further",
                self.cannot_develop_further,
            ),
            (
                "no_criminal_proceedings",
                "the person is not subject to criminal proceedings",
                self.no_criminal_proceedings,
            ),
            (
                "no_misconduct_proceedings",
                "the person is not subject to misconduct proceedings",
                self.no_misconduct_proceedings,
            ),
            (
                "no_service_confidence",
                "the person is not subject to the Service Confidence procedure",
                self.no_service_confidence,
            ),
        ]
    }

    /// The wording of every precondition not answered "yes".
    #[must_use]
    pub fn unmet(&self) -> Vec<&'static str> {
        self.answers()
            .into_iter()
            .filter(|(_, _, answer)| *answer != Some(true))
            .map(|(_, wording, _)| wording)
            .collect()
    }
}

/// What a detective or analyst proposes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InterventionProposal {
    /// The employee the meeting is with.
    pub subject: NominalId,
    /// References of the intelligence items it rests on (at least one, each assessed).
    pub items: Vec<String>,
    /// A code of the corruption category list (for reports).
    pub category: String,
    pub rationale: String,
    pub proposed_attendees: Vec<String>,
    pub proposed_date: IsoDate,
    pub preconditions: Preconditions,
}

fn text_problem(field: &str, text: &str, required: bool) -> Option<FieldError> {
    if required && text.trim().is_empty() {
        Some(FieldError::new(field, "required"))
    } else if text.chars().count() > MAX_INTERVENTION_TEXT_CHARS {
        Some(FieldError::new(
            field,
            "too long (at most 20,000 characters)",
        ))
    } else {
        None
    }
}

impl InterventionProposal {
    /// Problems the proposal has on its own (whether the subject and items exist and are
    /// assessed is the workbench's check). Messages never repeat what was typed.
    #[must_use]
    pub fn validate(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        if self.items.is_empty() {
            errors.push(FieldError::new(
                "items",
                "an intervention rests on at least one intelligence item",
            ));
        }
        errors.extend(text_problem("rationale", &self.rationale, true));
        if self.proposed_attendees.iter().all(|a| a.trim().is_empty()) {
            errors.push(FieldError::new(
                "proposed_attendees",
                "name who would attend the meeting",
            ));
        }
        for (field, _, answer) in self.preconditions.answers() {
            if answer.is_none() {
                errors.push(FieldError::new(
                    format!("preconditions.{field}"),
                    "answer yes or no",
                ));
            }
        }
        errors
    }

    /// The proposal's date against the day it is made (`proposed_on`): the meeting cannot be
    /// proposed for a day before the proposal.
    #[must_use]
    pub fn check_proposed_date(&self, proposed_on: IsoDate) -> Option<FieldError> {
        (self.proposed_date < proposed_on).then(|| {
            FieldError::new(
                "proposed_date",
                format!("the proposed date cannot be before the proposal (made on {proposed_on})"),
            )
        })
    }
}

/// How the meeting ended (seed 001 §4.9; the Reflective Practice Review Process of the Police
/// (Conduct) Regulations 2020).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InterventionOutcome {
    AdviceGiven,
    /// The Reflective Practice Review Process: for police officers and special constables only.
    ReflectivePractice,
    /// Referred to Professional Standards for a conduct assessment.
    ReferredToProfessionalStandards,
    EscalatedToInvestigation,
    NoFurtherAction,
}

impl InterventionOutcome {
    pub const ALL: [InterventionOutcome; 5] = [
        InterventionOutcome::AdviceGiven,
        InterventionOutcome::ReflectivePractice,
        InterventionOutcome::ReferredToProfessionalStandards,
        InterventionOutcome::EscalatedToInvestigation,
        InterventionOutcome::NoFurtherAction,
    ];

    /// Whether the outcome can apply to a member of staff of `employee_type`: the Reflective
    /// Practice Review Process is in the Police (Conduct) Regulations 2020, which cover police
    /// officers and special constables, not police staff.
    #[must_use]
    pub fn applies_to(self, employee_type: &str) -> bool {
        match self {
            InterventionOutcome::ReflectivePractice => {
                matches!(employee_type, "officer" | "special")
            }
            _ => true,
        }
    }

    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            InterventionOutcome::AdviceGiven => "advice_given",
            InterventionOutcome::ReflectivePractice => "reflective_practice",
            InterventionOutcome::ReferredToProfessionalStandards => {
                "referred_to_professional_standards"
            }
            InterventionOutcome::EscalatedToInvestigation => "escalated_to_investigation",
            InterventionOutcome::NoFurtherAction => "no_further_action",
        }
    }

    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            InterventionOutcome::AdviceGiven => "Advice given",
            InterventionOutcome::ReflectivePractice => {
                "Referred to the Reflective Practice Review Process"
            }
            InterventionOutcome::ReferredToProfessionalStandards => {
                "Referred to Professional Standards for a conduct assessment"
            }
            InterventionOutcome::EscalatedToInvestigation => "Escalated to investigation",
            InterventionOutcome::NoFurtherAction => "No further action",
        }
    }
}

/// The meeting as held.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeetingRecord {
    pub held_on: IsoDate,
    pub attendees: Vec<String>,
    /// What was said, sanitised (no source, no tradecraft).
    pub summary: String,
    pub officer_response: String,
}

/// What came of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutcomeRecord {
    pub outcome: InterventionOutcome,
    /// When the follow-up review falls.
    pub follow_up_on: IsoDate,
}

/// A step asked for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum InterventionStep {
    Withdraw { reason: String },
    Authorise { rationale: String },
    Decline { rationale: String },
    RecordMeeting { meeting: MeetingRecord },
    RecordOutcome { outcome: OutcomeRecord },
    StartReview { note: String },
    Close { note: String },
}

impl InterventionStep {
    /// The word the audit log and the history use.
    #[must_use]
    pub fn kind(&self) -> &'static str {
        match self {
            InterventionStep::Withdraw { .. } => "withdraw",
            InterventionStep::Authorise { .. } => "authorise",
            InterventionStep::Decline { .. } => "decline",
            InterventionStep::RecordMeeting { .. } => "record_meeting",
            InterventionStep::RecordOutcome { .. } => "record_outcome",
            InterventionStep::StartReview { .. } => "start_review",
            InterventionStep::Close { .. } => "close",
        }
    }

    /// The state the step starts from, and the one it leads to.
    #[must_use]
    pub fn states(&self) -> (InterventionState, InterventionState) {
        use InterventionState as S;
        match self {
            InterventionStep::Withdraw { .. } => (S::Proposed, S::Withdrawn),
            InterventionStep::Authorise { .. } => (S::Proposed, S::Authorised),
            InterventionStep::Decline { .. } => (S::Proposed, S::Declined),
            InterventionStep::RecordMeeting { .. } => (S::Authorised, S::MeetingHeld),
            InterventionStep::RecordOutcome { .. } => (S::MeetingHeld, S::OutcomeRecorded),
            InterventionStep::StartReview { .. } => (S::OutcomeRecorded, S::UnderReview),
            InterventionStep::Close { .. } => (S::UnderReview, S::Closed),
        }
    }

    /// The note the step carries into the history (empty for the meeting and the outcome,
    /// whose records are kept whole).
    #[must_use]
    pub fn note(&self) -> &str {
        match self {
            InterventionStep::Withdraw { reason } => reason,
            InterventionStep::Authorise { rationale } | InterventionStep::Decline { rationale } => {
                rationale
            }
            InterventionStep::StartReview { note } | InterventionStep::Close { note } => note,
            InterventionStep::RecordMeeting { .. } | InterventionStep::RecordOutcome { .. } => "",
        }
    }
}

/// One step taken: who, when, from and to which state, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InterventionHistoryEntry {
    pub step: String,
    pub from: Option<InterventionState>,
    pub to: InterventionState,
    pub by: UserId,
    /// UTC time, RFC 3339 with milliseconds.
    pub at_utc: String,
    pub note: String,
}

/// An intervention as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManagementIntervention {
    pub id: super::InterventionId,
    pub proposal: InterventionProposal,
    pub state: InterventionState,
    pub proposed_by: UserId,
    pub decided_by: Option<UserId>,
    pub decision_rationale: Option<String>,
    pub meeting: Option<MeetingRecord>,
    pub outcome: Option<OutcomeRecord>,
    /// Every step so far, the proposal first.
    pub history: Vec<InterventionHistoryEntry>,
    pub version: u32,
}

/// The day (UTC) of a history entry's time.
fn day_of(at_utc: &str) -> Option<IsoDate> {
    at_utc.get(..10)?.parse().ok()
}

impl ManagementIntervention {
    /// The day it was proposed (UTC), from the first entry of its history.
    #[must_use]
    pub fn proposed_on(&self) -> Option<IsoDate> {
        self.history
            .iter()
            .find(|h| h.from.is_none())
            .and_then(|h| day_of(&h.at_utc))
    }

    /// The day it was authorised (UTC), from its history; `None` until it is.
    #[must_use]
    pub fn authorised_on(&self) -> Option<IsoDate> {
        self.history
            .iter()
            .rev()
            .find(|h| h.to == InterventionState::Authorised)
            .and_then(|h| day_of(&h.at_utc))
    }
}

/// An intervention with the names a list or a record shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InterventionView {
    pub intervention: ManagementIntervention,
    pub subject_name: String,
    /// The subject's employee type (`officer`, `staff`, `special`, ...): which outcomes apply.
    #[serde(default)]
    pub subject_employee_type: String,
    /// Names of the users in its history, by user id.
    pub user_names: std::collections::BTreeMap<i64, String>,
}

/// Why a step is refused: worded for the person at the keyboard, never repeating their text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StepRefused {
    #[error("an intervention that is {from} cannot be {action}; it must be {needed} first")]
    WrongState {
        from: &'static str,
        action: &'static str,
        needed: &'static str,
    },
    #[error("only an inspector (the head of CCU or deputy) may {0}")]
    InspectorOnly(&'static str),
    #[error("the person who proposed an intervention cannot decide it (four eyes)")]
    OwnProposal,
    #[error("only the proposer or an inspector may withdraw a proposal")]
    NotProposer,
    #[error("{0}")]
    Invalid(FieldError),
    #[error("cannot authorise while preconditions are unmet: {}", .0.join("; "))]
    PreconditionsUnmet(Vec<&'static str>),
    /// The decider's account was created, or last given a new password, by the proposer: the
    /// proposer could have signed in as them.
    #[error(
        "your account was created or last given a new password by the proposer, so you cannot decide their proposal (four eyes)"
    )]
    DeciderSetUpByProposer,
}

/// Four eyes beyond the proposer's own account: the decider's credentials must not have been
/// set by the proposer (`credentials_set_by` is who created the decider's account or last gave
/// it a new password, from their signed grant).
///
/// # Errors
/// [`StepRefused::DeciderSetUpByProposer`].
pub fn check_decider_independent(
    intervention: &ManagementIntervention,
    step: &InterventionStep,
    credentials_set_by: &[UserId],
) -> Result<(), StepRefused> {
    let decides = matches!(
        step,
        InterventionStep::Authorise { .. } | InterventionStep::Decline { .. }
    );
    if decides && credentials_set_by.contains(&intervention.proposed_by) {
        return Err(StepRefused::DeciderSetUpByProposer);
    }
    Ok(())
}

fn action_words(step: &InterventionStep) -> &'static str {
    match step {
        InterventionStep::Withdraw { .. } => "withdrawn",
        InterventionStep::Authorise { .. } => "authorised",
        InterventionStep::Decline { .. } => "declined",
        InterventionStep::RecordMeeting { .. } => "given a meeting record",
        InterventionStep::RecordOutcome { .. } => "given an outcome",
        InterventionStep::StartReview { .. } => "reviewed",
        InterventionStep::Close { .. } => "closed",
    }
}

fn needed_words(state: InterventionState) -> &'static str {
    match state {
        InterventionState::Proposed => "proposed and not yet decided",
        InterventionState::Authorised => "authorised",
        InterventionState::MeetingHeld => "through its meeting",
        InterventionState::OutcomeRecorded => "given its outcome",
        InterventionState::UnderReview => "under review",
        InterventionState::Withdrawn | InterventionState::Declined | InterventionState::Closed => {
            "open"
        }
    }
}

/// Checks that `actor` (with `role`) may take `step` on `intervention` now, and that the step's
/// own fields are complete. The one place the lifecycle is decided.
///
/// # Errors
/// The first reason the step is refused.
pub fn check_step(
    intervention: &ManagementIntervention,
    actor: UserId,
    role: Role,
    step: &InterventionStep,
) -> Result<InterventionState, StepRefused> {
    let (from, to) = step.states();
    if intervention.state != from {
        return Err(StepRefused::WrongState {
            from: intervention.state.label_lower(),
            action: action_words(step),
            needed: needed_words(from),
        });
    }
    let invalid =
        |field: &str, message: &str| StepRefused::Invalid(FieldError::new(field, message));
    match step {
        InterventionStep::Withdraw { reason } => {
            if actor != intervention.proposed_by && role != Role::Inspector {
                return Err(StepRefused::NotProposer);
            }
            if let Some(problem) = text_problem("reason", reason, true) {
                return Err(StepRefused::Invalid(problem));
            }
        }
        InterventionStep::Authorise { rationale } | InterventionStep::Decline { rationale } => {
            if role != Role::Inspector {
                return Err(StepRefused::InspectorOnly("decide an intervention"));
            }
            if actor == intervention.proposed_by {
                return Err(StepRefused::OwnProposal);
            }
            if let Some(problem) = text_problem("rationale", rationale, true) {
                return Err(StepRefused::Invalid(FieldError::new(
                    problem.field,
                    "a decision needs a written rationale",
                )));
            }
            if matches!(step, InterventionStep::Authorise { .. }) {
                let unmet = intervention.proposal.preconditions.unmet();
                if !unmet.is_empty() {
                    return Err(StepRefused::PreconditionsUnmet(unmet));
                }
            }
        }
        InterventionStep::RecordMeeting { meeting } => {
            if let Some(problem) = text_problem("summary", &meeting.summary, true)
                .or_else(|| text_problem("officer_response", &meeting.officer_response, false))
            {
                return Err(StepRefused::Invalid(problem));
            }
            if meeting.attendees.iter().all(|a| a.trim().is_empty()) {
                return Err(invalid("attendees", "name who attended"));
            }
            if let Some(authorised) = intervention
                .authorised_on()
                .filter(|day| meeting.held_on < *day)
            {
                return Err(invalid(
                    "held_on",
                    &format!(
                        "the meeting cannot be held before the intervention was authorised (on {authorised})"
                    ),
                ));
            }
        }
        InterventionStep::RecordOutcome { outcome } => {
            let held_on = intervention.meeting.as_ref().map(|m| m.held_on);
            if let Some(held) = held_on.filter(|held| outcome.follow_up_on <= *held) {
                return Err(invalid(
                    "follow_up_on",
                    &format!("the follow-up review must fall after the meeting (held on {held})"),
                ));
            }
        }
        InterventionStep::StartReview { note } | InterventionStep::Close { note } => {
            if matches!(step, InterventionStep::Close { .. }) && role != Role::Inspector {
                return Err(StepRefused::InspectorOnly("close an intervention"));
            }
            if let Some(problem) = text_problem("note", note, true) {
                return Err(StepRefused::Invalid(problem));
            }
        }
    }
    Ok(to)
}

impl InterventionState {
    fn label_lower(self) -> &'static str {
        match self {
            InterventionState::Proposed => "proposed",
            InterventionState::Withdrawn => "withdrawn",
            InterventionState::Declined => "declined",
            InterventionState::Authorised => "authorised",
            InterventionState::MeetingHeld => "past its meeting",
            InterventionState::OutcomeRecorded => "past its outcome",
            InterventionState::UnderReview => "under review",
            InterventionState::Closed => "closed",
        }
    }
}

/// `intervention` after `step` (checked by [`check_step`]) taken by `actor` at `at_utc`.
#[must_use]
pub fn apply_step(
    intervention: &ManagementIntervention,
    actor: UserId,
    step: &InterventionStep,
    to: InterventionState,
    at_utc: &str,
) -> ManagementIntervention {
    let mut next = intervention.clone();
    match step {
        InterventionStep::Authorise { rationale } | InterventionStep::Decline { rationale } => {
            next.decided_by = Some(actor);
            next.decision_rationale = Some(rationale.trim().to_owned());
        }
        InterventionStep::RecordMeeting { meeting } => next.meeting = Some(meeting.clone()),
        InterventionStep::RecordOutcome { outcome } => next.outcome = Some(outcome.clone()),
        InterventionStep::Withdraw { .. }
        | InterventionStep::StartReview { .. }
        | InterventionStep::Close { .. } => {}
    }
    next.history.push(InterventionHistoryEntry {
        step: step.kind().to_owned(),
        from: Some(intervention.state),
        to,
        by: actor,
        at_utc: at_utc.to_owned(),
        note: step.note().trim().to_owned(),
    });
    next.state = to;
    next.version += 1;
    next
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::InterventionId;

    const PROPOSER: UserId = UserId(2);
    const INSPECTOR: UserId = UserId(1);
    const OTHER_INSPECTOR: UserId = UserId(3);

    /// The day the tests' intervention is proposed and held on.
    fn day() -> IsoDate {
        IsoDate::from_ymd(2026, 4, 1).unwrap()
    }

    fn all_yes() -> Preconditions {
        Preconditions {
            fully_assessed: Some(true),
            cannot_develop_further: Some(true),
            no_criminal_proceedings: Some(true),
            no_misconduct_proceedings: Some(true),
            no_service_confidence: Some(true),
        }
    }

    fn proposed(preconditions: Preconditions) -> ManagementIntervention {
        ManagementIntervention {
            id: InterventionId(1),
            proposal: InterventionProposal {
                subject: NominalId(5),
                items: vec!["CCU/2026/000001".into()],
                category: "inappropriate_association".into(),
                rationale: "r".into(),
                proposed_attendees: vec!["DS One".into()],
                proposed_date: day(),
                preconditions,
            },
            state: InterventionState::Proposed,
            proposed_by: PROPOSER,
            decided_by: None,
            decision_rationale: None,
            meeting: None,
            outcome: None,
            history: Vec::new(),
            version: 1,
        }
    }

    fn meeting() -> InterventionStep {
        InterventionStep::RecordMeeting {
            meeting: MeetingRecord {
                held_on: day(),
                attendees: vec!["DS One".into()],
                summary: "Advised on associations.".into(),
                officer_response: "Accepted.".into(),
            },
        }
    }

    fn every_step() -> Vec<InterventionStep> {
        vec![
            InterventionStep::Withdraw { reason: "x".into() },
            InterventionStep::Authorise {
                rationale: "x".into(),
            },
            InterventionStep::Decline {
                rationale: "x".into(),
            },
            meeting(),
            InterventionStep::RecordOutcome {
                outcome: OutcomeRecord {
                    outcome: InterventionOutcome::AdviceGiven,
                    follow_up_on: day().plus_days(90),
                },
            },
            InterventionStep::StartReview { note: "x".into() },
            InterventionStep::Close { note: "x".into() },
        ]
    }

    fn entry(step: &str, to: InterventionState, at_utc: &str) -> InterventionHistoryEntry {
        InterventionHistoryEntry {
            step: step.into(),
            from: (step != "propose").then_some(InterventionState::Proposed),
            to,
            by: PROPOSER,
            at_utc: at_utc.into(),
            note: String::new(),
        }
    }

    /// The tests' intervention with its history: proposed and authorised on [`day`], its
    /// meeting held that day.
    fn dated(state: InterventionState) -> ManagementIntervention {
        let mut intervention = proposed(all_yes());
        intervention.state = state;
        intervention.history = vec![
            entry(
                "propose",
                InterventionState::Proposed,
                "2026-04-01T09:00:00.000Z",
            ),
            entry(
                "authorise",
                InterventionState::Authorised,
                "2026-04-01T10:00:00.000Z",
            ),
        ];
        if let InterventionStep::RecordMeeting { meeting } = meeting() {
            intervention.meeting = Some(meeting);
        }
        intervention
    }

    #[test]
    fn every_step_is_refused_from_every_state_but_its_own() {
        for state in InterventionState::ALL {
            for (step, with_history) in every_step()
                .into_iter()
                .flat_map(|step| [(step.clone(), false), (step, true)])
            {
                let mut intervention = if with_history {
                    dated(state)
                } else {
                    proposed(all_yes())
                };
                intervention.state = state;
                let result = check_step(&intervention, OTHER_INSPECTOR, Role::Inspector, &step);
                if step.states().0 == state {
                    assert_eq!(result, Ok(step.states().1), "{state:?} {step:?}");
                } else {
                    assert!(
                        matches!(result, Err(StepRefused::WrongState { .. })),
                        "{state:?} {step:?}: {result:?}"
                    );
                }
            }
        }
    }

    /// Every state against the steps whose dates are out of order: from its own state each is
    /// refused naming the date field; from any other state, for the state.
    #[test]
    fn dates_out_of_order_are_refused_from_every_state_naming_the_field() {
        let held = |days: i64| InterventionStep::RecordMeeting {
            meeting: MeetingRecord {
                held_on: day().plus_days(days),
                attendees: vec!["DS One".into()],
                summary: "Advised on associations.".into(),
                officer_response: String::new(),
            },
        };
        let follow_up = |days: i64| InterventionStep::RecordOutcome {
            outcome: OutcomeRecord {
                outcome: InterventionOutcome::AdviceGiven,
                follow_up_on: day().plus_days(days),
            },
        };
        let table = [
            // Held the day before it was authorised.
            (held(-1), Some("held_on")),
            // Held on the day it was authorised: in order.
            (held(0), None),
            // A follow-up before the meeting, and on the day of the meeting.
            (follow_up(-30), Some("follow_up_on")),
            (follow_up(0), Some("follow_up_on")),
            (follow_up(1), None),
        ];
        for state in InterventionState::ALL {
            for (step, refused_field) in &table {
                let result = check_step(&dated(state), OTHER_INSPECTOR, Role::Inspector, step);
                match (step.states().0 == state, refused_field) {
                    (true, Some(field)) => match result {
                        Err(StepRefused::Invalid(e)) => {
                            assert_eq!(e.field, *field, "{state:?} {step:?}");
                            assert!(e.message.contains("2026-04-01"), "{}", e.message);
                        }
                        other => panic!("{state:?} {step:?}: {other:?}"),
                    },
                    (true, None) => assert_eq!(result, Ok(step.states().1), "{state:?} {step:?}"),
                    (false, _) => assert!(
                        matches!(result, Err(StepRefused::WrongState { .. })),
                        "{state:?} {step:?}: {result:?}"
                    ),
                }
            }
        }
    }

    #[test]
    fn a_proposed_date_before_the_proposal_is_refused_naming_the_field() {
        let proposal = proposed(all_yes()).proposal;
        assert_eq!(proposal.check_proposed_date(day()), None);
        assert_eq!(proposal.check_proposed_date(day().plus_days(-1)), None);
        let refused = proposal.check_proposed_date(day().plus_days(1));
        assert_eq!(
            refused.map(|e| e.field),
            Some(String::from("proposed_date"))
        );
    }

    #[test]
    fn only_another_inspector_decides_and_only_with_a_rationale() {
        let intervention = proposed(all_yes());
        let authorise = InterventionStep::Authorise {
            rationale: "Meets the policy.".into(),
        };
        for role in [Role::Detective, Role::Analyst] {
            assert_eq!(
                check_step(&intervention, INSPECTOR, role, &authorise),
                Err(StepRefused::InspectorOnly("decide an intervention"))
            );
        }
        let mut own = intervention.clone();
        own.proposed_by = INSPECTOR;
        assert_eq!(
            check_step(&own, INSPECTOR, Role::Inspector, &authorise),
            Err(StepRefused::OwnProposal)
        );
        for step in [
            InterventionStep::Authorise {
                rationale: "  ".into(),
            },
            InterventionStep::Decline {
                rationale: String::new(),
            },
        ] {
            assert!(matches!(
                check_step(&intervention, INSPECTOR, Role::Inspector, &step),
                Err(StepRefused::Invalid(_))
            ));
        }
        assert_eq!(
            check_step(&intervention, INSPECTOR, Role::Inspector, &authorise),
            Ok(InterventionState::Authorised)
        );
    }

    #[test]
    fn authorising_is_refused_while_any_precondition_is_unmet_but_declining_is_not() {
        let mut preconditions = all_yes();
        preconditions.no_misconduct_proceedings = Some(false);
        let intervention = proposed(preconditions);
        assert_eq!(
            check_step(
                &intervention,
                INSPECTOR,
                Role::Inspector,
                &InterventionStep::Authorise {
                    rationale: "x".into()
                }
            ),
            Err(StepRefused::PreconditionsUnmet(vec![
                "the person is not subject to misconduct proceedings"
            ]))
        );
        assert_eq!(
            check_step(
                &intervention,
                INSPECTOR,
                Role::Inspector,
                &InterventionStep::Decline {
                    rationale: "Misconduct proceedings are open.".into()
                }
            ),
            Ok(InterventionState::Declined)
        );
    }

    #[test]
    fn a_proposal_must_answer_every_precondition_and_rest_on_an_item() {
        let mut proposal = proposed(Preconditions::default()).proposal;
        proposal.items.clear();
        let fields: Vec<String> = proposal.validate().into_iter().map(|e| e.field).collect();
        assert!(fields.contains(&"items".to_owned()));
        assert!(fields.contains(&"preconditions.no_service_confidence".to_owned()));
        assert_eq!(
            fields
                .iter()
                .filter(|f| f.starts_with("preconditions."))
                .count(),
            5
        );
    }

    #[test]
    fn applying_a_step_records_who_and_why_and_raises_the_version() {
        let intervention = proposed(all_yes());
        let step = InterventionStep::Authorise {
            rationale: " Meets the policy. ".into(),
        };
        let to = check_step(&intervention, INSPECTOR, Role::Inspector, &step).unwrap();
        let next = apply_step(
            &intervention,
            INSPECTOR,
            &step,
            to,
            "2026-01-01T00:00:00.000Z",
        );
        assert_eq!(next.state, InterventionState::Authorised);
        assert_eq!(next.decided_by, Some(INSPECTOR));
        assert_eq!(
            next.decision_rationale.as_deref(),
            Some("Meets the policy.")
        );
        assert_eq!(next.version, 2);
        let last = next.history.last().unwrap();
        assert_eq!(
            (last.step.as_str(), last.by, last.note.as_str()),
            ("authorise", INSPECTOR, "Meets the policy.")
        );
    }
}
