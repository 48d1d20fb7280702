//! An entry of the notifiable association (NA) register: an employee's association with
//! someone who could compromise them (a criminal, a journalist, a private investigator, a
//! vulnerable person, certain family, a business interest), declared by the employee or
//! discovered by the CCU, the conditions placed on it, and its annual review.

use super::{AssessmentId, FieldError, IsoDate, NominalId, NotifiableAssociationId, UserId};
use serde::{Deserialize, Serialize};

/// Days from one review of a live association to the next: every NA is reviewed annually
/// "with consideration given to risk, necessity and proportionality" (seed 000 §4.12).
pub const NA_REVIEW_INTERVAL_DAYS: i64 = 365;

/// A review falling within this many days is listed as due.
pub const NA_DUE_WINDOW_DAYS: i64 = 30;

/// The longest conditions or closing reason kept, in characters.
pub const MAX_NA_TEXT_CHARS: usize = 4_000;

/// Whether an association still stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NaStatus {
    Live,
    Closed,
}

impl NaStatus {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            NaStatus::Live => "live",
            NaStatus::Closed => "closed",
        }
    }

    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            NaStatus::Live => "Live",
            NaStatus::Closed => "Closed",
        }
    }

    /// The status written `live` or `closed`.
    #[must_use]
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "live" => Some(NaStatus::Live),
            "closed" => Some(NaStatus::Closed),
            _ => None,
        }
    }
}

/// How the CCU learnt of the association.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NaOrigin {
    /// The employee declared it.
    Declared,
    /// The CCU found it (in data, intelligence or the exposure finder) without a declaration.
    Discovered,
}

impl NaOrigin {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            NaOrigin::Declared => "declared",
            NaOrigin::Discovered => "discovered",
        }
    }

    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            NaOrigin::Declared => "Declared",
            NaOrigin::Discovered => "Discovered",
        }
    }

    /// The origin written `declared` or `discovered`.
    #[must_use]
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "declared" => Some(NaOrigin::Declared),
            "discovered" => Some(NaOrigin::Discovered),
            _ => None,
        }
    }
}

/// Who the associate is to the employee: a field of its own beside the associate's category
/// (a criminal may be a brother, a journalist a friend).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NaRelationship {
    CloseFamily,
    ExtendedFamily,
    Partner,
    Friend,
    Business,
    Other,
}

impl NaRelationship {
    /// The codes, as a file writes them (a test keeps them equal to [`NaRelationship::as_str`]).
    pub const CODES: &'static [&'static str] = &[
        "close_family",
        "extended_family",
        "partner",
        "friend",
        "business",
        "other",
    ];

    pub const ALL: [NaRelationship; 6] = [
        NaRelationship::CloseFamily,
        NaRelationship::ExtendedFamily,
        NaRelationship::Partner,
        NaRelationship::Friend,
        NaRelationship::Business,
        NaRelationship::Other,
    ];

    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            NaRelationship::CloseFamily => "close_family",
            NaRelationship::ExtendedFamily => "extended_family",
            NaRelationship::Partner => "partner",
            NaRelationship::Friend => "friend",
            NaRelationship::Business => "business",
            NaRelationship::Other => "other",
        }
    }

    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            NaRelationship::CloseFamily => "Close family",
            NaRelationship::ExtendedFamily => "Extended family",
            NaRelationship::Partner => "Partner",
            NaRelationship::Friend => "Friend",
            NaRelationship::Business => "Business",
            NaRelationship::Other => "Other",
        }
    }

    #[must_use]
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == text)
    }
}

/// What an annual review decided (seed 000 s4.12: reviewed "with consideration given to risk,
/// necessity and proportionality").
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NaReviewOutcome {
    /// The association continues on the same conditions.
    #[default]
    ContinueUnchanged,
    /// It continues on new conditions (given with the review).
    ConditionsChanged,
    /// It no longer needs managing: the entry closes on the review's date.
    Closed,
    /// The risk has grown: referred for investigation or an intervention; the entry stays live.
    Escalated,
}

impl NaReviewOutcome {
    pub const ALL: [NaReviewOutcome; 4] = [
        NaReviewOutcome::ContinueUnchanged,
        NaReviewOutcome::ConditionsChanged,
        NaReviewOutcome::Closed,
        NaReviewOutcome::Escalated,
    ];

    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            NaReviewOutcome::ContinueUnchanged => "continue_unchanged",
            NaReviewOutcome::ConditionsChanged => "conditions_changed",
            NaReviewOutcome::Closed => "closed",
            NaReviewOutcome::Escalated => "escalated",
        }
    }

    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            NaReviewOutcome::ContinueUnchanged => "Continue unchanged",
            NaReviewOutcome::ConditionsChanged => "Continue on changed conditions",
            NaReviewOutcome::Closed => "Close the entry",
            NaReviewOutcome::Escalated => "Escalate",
        }
    }

    #[must_use]
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.as_str() == text)
    }
}

/// One annual review as recorded: who, when, what was decided and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NaReview {
    pub association: NotifiableAssociationId,
    pub reviewed_on: IsoDate,
    pub reviewer: UserId,
    /// The reviewer's name, as the workbench knows it.
    #[serde(default)]
    pub reviewer_name: String,
    pub outcome: NaReviewOutcome,
    /// Risk, necessity and proportionality, in the reviewer's words.
    pub rationale: String,
    /// The next review, for an entry that stays live.
    pub next_due_on: Option<IsoDate>,
}

/// What is entered to register an association.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NaDraft {
    /// The member of staff (an employee nominal).
    pub employee: NominalId,
    /// Who they are associated with.
    pub associate: NominalId,
    /// A code of the `na_category` list.
    pub category: String,
    pub origin: NaOrigin,
    /// When it was declared, or found.
    pub declared_on: IsoDate,
    /// Conditions placed on the employee (may be empty).
    #[serde(default)]
    pub conditions: String,
    /// The NA risk assessment made of it, if any.
    #[serde(default)]
    pub assessment: Option<AssessmentId>,
    /// The first review; a year after `declared_on` when not given.
    #[serde(default)]
    pub review_due_on: Option<IsoDate>,
    /// Who the associate is to the employee (`None`: not recorded).
    #[serde(default)]
    pub relationship: Option<NaRelationship>,
}

impl NaDraft {
    /// Problems the draft has on its own (whether the nominals, code and assessment exist is
    /// the workbench's check). Messages never repeat what was typed.
    #[must_use]
    pub fn validate(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        if self.employee == self.associate {
            errors.push(FieldError::new(
                "associate",
                "an employee cannot be their own associate",
            ));
        }
        if self.conditions.chars().count() > MAX_NA_TEXT_CHARS {
            errors.push(FieldError::new(
                "conditions",
                "the conditions are too long (at most 4,000 characters)",
            ));
        }
        if self.review_due_on.is_some_and(|due| due < self.declared_on) {
            errors.push(FieldError::new(
                "review_due_on",
                "the first review cannot fall before the association was declared",
            ));
        }
        errors
    }

    /// The first review: as given, or a year after the declaration.
    #[must_use]
    pub fn first_review(&self) -> IsoDate {
        self.review_due_on
            .unwrap_or_else(|| self.declared_on.plus_days(NA_REVIEW_INTERVAL_DAYS))
    }
}

/// A register entry as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotifiableAssociation {
    pub id: NotifiableAssociationId,
    pub employee: NominalId,
    pub associate: NominalId,
    pub category: String,
    pub origin: NaOrigin,
    pub declared_on: IsoDate,
    pub conditions: String,
    pub assessment: Option<AssessmentId>,
    pub status: NaStatus,
    pub review_due_on: IsoDate,
    pub last_reviewed_on: Option<IsoDate>,
    pub closed_on: Option<IsoDate>,
    pub closed_reason: Option<String>,
    /// Who the associate is to the employee; `None` for an entry registered without it
    /// (every entry made before the field existed).
    #[serde(default)]
    pub relationship: Option<NaRelationship>,
    /// Edits so far plus one; earlier versions are in the entry's history.
    pub version: u32,
    /// UTC time, RFC 3339 with milliseconds.
    pub created_at_utc: String,
    pub created_by: UserId,
}

impl NotifiableAssociation {
    /// Whether a live entry's review date has passed on `as_of`.
    #[must_use]
    pub fn is_overdue(&self, as_of: IsoDate) -> bool {
        self.status == NaStatus::Live && self.review_due_on < as_of
    }

    /// Whether a live entry's review falls within [`NA_DUE_WINDOW_DAYS`] of `as_of` (and has
    /// not passed).
    #[must_use]
    pub fn is_due(&self, as_of: IsoDate) -> bool {
        self.status == NaStatus::Live
            && self.review_due_on >= as_of
            && self.review_due_on <= as_of.plus_days(NA_DUE_WINDOW_DAYS)
    }
}

/// An earlier version of an entry, kept when it changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NaVersion {
    pub version: u32,
    /// The entry as it was.
    pub record: NotifiableAssociation,
    /// UTC time, RFC 3339 with milliseconds.
    pub replaced_at_utc: String,
    pub replaced_by: UserId,
    /// What replaced it (`review`, `conditions`, `closed`...).
    pub change: String,
}

/// A change to a live entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum NaChange {
    /// New conditions (replacing the old ones).
    Conditions { conditions: String },
    /// A different category code.
    Category { category: String },
    /// The NA assessment made of it.
    Assessment { assessment: AssessmentId },
    /// The annual review was held on `reviewed_on`, deciding `outcome` for the reasons in
    /// `rationale`; the next is due on `next_due_on` (unless it closes the entry). A review that
    /// changes the conditions gives them.
    Reviewed {
        reviewed_on: IsoDate,
        next_due_on: IsoDate,
        outcome: NaReviewOutcome,
        rationale: String,
        #[serde(default)]
        conditions: Option<String>,
    },
    /// The association ended or no longer needs managing.
    Closed { closed_on: IsoDate, reason: String },
}

impl NaChange {
    /// A word for the history and the audit log (never the new text).
    #[must_use]
    pub fn kind(&self) -> &'static str {
        match self {
            NaChange::Conditions { .. } => "conditions",
            NaChange::Category { .. } => "category",
            NaChange::Assessment { .. } => "assessment",
            NaChange::Reviewed { .. } => "review",
            NaChange::Closed { .. } => "closed",
        }
    }

    /// `entry` with the change made (version not yet raised).
    ///
    /// # Errors
    /// The field and why, when the change does not fit the entry.
    pub fn apply(
        &self,
        entry: &NotifiableAssociation,
    ) -> Result<NotifiableAssociation, FieldError> {
        if entry.status != NaStatus::Live {
            return Err(FieldError::new(
                "status",
                "a closed entry is not changed; register the association again if it resumes",
            ));
        }
        let mut next = entry.clone();
        match self {
            NaChange::Conditions { conditions } => {
                if conditions.chars().count() > MAX_NA_TEXT_CHARS {
                    return Err(FieldError::new(
                        "conditions",
                        "the conditions are too long (at most 4,000 characters)",
                    ));
                }
                conditions.trim().clone_into(&mut next.conditions);
            }
            NaChange::Category { category } => next.category.clone_from(category),
            NaChange::Assessment { assessment } => next.assessment = Some(*assessment),
            NaChange::Reviewed {
                reviewed_on,
                next_due_on,
                outcome,
                rationale,
                conditions,
            } => {
                let rationale = rationale.trim();
                if rationale.is_empty() {
                    return Err(FieldError::new(
                        "rationale",
                        "say why: risk, necessity and proportionality",
                    ));
                }
                if rationale.chars().count() > MAX_NA_TEXT_CHARS {
                    return Err(FieldError::new(
                        "rationale",
                        "the rationale is too long (at most 4,000 characters)",
                    ));
                }
                if *reviewed_on < entry.declared_on {
                    return Err(FieldError::new(
                        "reviewed_on",
                        "a review cannot come before the association was declared",
                    ));
                }
                next.last_reviewed_on = Some(*reviewed_on);
                match outcome {
                    NaReviewOutcome::Closed => {
                        next.status = NaStatus::Closed;
                        next.closed_on = Some(*reviewed_on);
                        next.closed_reason = Some(rationale.to_owned());
                    }
                    NaReviewOutcome::ContinueUnchanged
                    | NaReviewOutcome::ConditionsChanged
                    | NaReviewOutcome::Escalated => {
                        if next_due_on <= reviewed_on {
                            return Err(FieldError::new(
                                "next_due_on",
                                "the next review must fall after this one",
                            ));
                        }
                        next.review_due_on = *next_due_on;
                    }
                }
                let new_conditions = conditions.as_deref().map(str::trim).unwrap_or_default();
                match outcome {
                    NaReviewOutcome::ConditionsChanged => {
                        if new_conditions.is_empty() || new_conditions == entry.conditions {
                            return Err(FieldError::new(
                                "conditions",
                                "give the changed conditions",
                            ));
                        }
                        if new_conditions.chars().count() > MAX_NA_TEXT_CHARS {
                            return Err(FieldError::new(
                                "conditions",
                                "the conditions are too long (at most 4,000 characters)",
                            ));
                        }
                        new_conditions.clone_into(&mut next.conditions);
                    }
                    _ if !new_conditions.is_empty() => {
                        return Err(FieldError::new(
                            "conditions",
                            "only a review that changes the conditions gives new ones",
                        ));
                    }
                    _ => {}
                }
            }
            NaChange::Closed { closed_on, reason } => {
                let reason = reason.trim();
                if reason.is_empty() {
                    return Err(FieldError::new("reason", "say why the entry is closed"));
                }
                if reason.chars().count() > MAX_NA_TEXT_CHARS {
                    return Err(FieldError::new(
                        "reason",
                        "the reason is too long (at most 4,000 characters)",
                    ));
                }
                if *closed_on < entry.declared_on {
                    return Err(FieldError::new(
                        "closed_on",
                        "an entry cannot close before it was declared",
                    ));
                }
                next.status = NaStatus::Closed;
                next.closed_on = Some(*closed_on);
                next.closed_reason = Some(reason.to_owned());
            }
        }
        Ok(next)
    }
}

/// Which reviews a register list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NaReviewFilter {
    #[default]
    All,
    /// Live entries whose review falls within [`NA_DUE_WINDOW_DAYS`].
    Due,
    /// Live entries whose review date has passed.
    Overdue,
}

/// What a register list holds.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct NaFilter {
    /// Only entries with this status (all when `None`).
    pub status: Option<NaStatus>,
    pub review: NaReviewFilter,
    /// Only this `na_category` code.
    pub category: Option<String>,
    /// Only this employee's entries.
    pub employee: Option<NominalId>,
}

impl NaFilter {
    /// Whether `entry` belongs in the list on `as_of`.
    #[must_use]
    pub fn matches(&self, entry: &NotifiableAssociation, as_of: IsoDate) -> bool {
        self.status.is_none_or(|s| s == entry.status)
            && self.category.as_ref().is_none_or(|c| *c == entry.category)
            && self.employee.is_none_or(|e| e == entry.employee)
            && match self.review {
                NaReviewFilter::All => true,
                NaReviewFilter::Due => entry.is_due(as_of),
                NaReviewFilter::Overdue => entry.is_overdue(as_of),
            }
    }
}

/// A register entry as a list shows it: with the names of both parties and its review state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NaRow {
    pub record: NotifiableAssociation,
    pub employee_name: String,
    pub associate_name: String,
    pub due: bool,
    pub overdue: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relationship_codes_are_the_relationships_names() {
        let names: Vec<&str> = NaRelationship::ALL.map(NaRelationship::as_str).to_vec();
        assert_eq!(names, NaRelationship::CODES);
    }

    fn date(text: &str) -> IsoDate {
        text.parse().unwrap()
    }

    fn entry(due: &str) -> NotifiableAssociation {
        NotifiableAssociation {
            id: NotifiableAssociationId(1),
            employee: NominalId(1),
            associate: NominalId(2),
            category: "family".into(),
            origin: NaOrigin::Declared,
            declared_on: date("2025-01-01"),
            conditions: String::new(),
            assessment: None,
            status: NaStatus::Live,
            review_due_on: date(due),
            last_reviewed_on: None,
            closed_on: None,
            closed_reason: None,
            relationship: Some(NaRelationship::CloseFamily),
            version: 1,
            created_at_utc: String::new(),
            created_by: UserId(1),
        }
    }

    #[test]
    fn a_review_is_due_within_thirty_days_and_overdue_once_passed() {
        let as_of = date("2026-06-01");
        assert!(entry("2026-06-01").is_due(as_of));
        assert!(entry("2026-07-01").is_due(as_of));
        assert!(!entry("2026-07-02").is_due(as_of));
        assert!(!entry("2026-05-31").is_due(as_of));
        assert!(entry("2026-05-31").is_overdue(as_of));
        assert!(!entry("2026-06-01").is_overdue(as_of));
    }

    #[test]
    fn a_closed_entry_is_never_due_and_never_changes() {
        let as_of = date("2026-06-01");
        let closed = NaChange::Closed {
            closed_on: date("2026-02-01"),
            reason: "ended".into(),
        }
        .apply(&entry("2026-01-01"))
        .unwrap();
        assert_eq!(closed.status, NaStatus::Closed);
        assert!(!closed.is_overdue(as_of));
        assert!(!closed.is_due(as_of));
        let again = NaChange::Conditions {
            conditions: "none".into(),
        }
        .apply(&closed);
        assert_eq!(again.unwrap_err().field, "status");
    }

    #[test]
    fn a_review_moves_the_next_due_date_forward_only() {
        let reviewed = NaChange::Reviewed {
            reviewed_on: date("2026-01-10"),
            next_due_on: date("2027-01-10"),
            outcome: NaReviewOutcome::ContinueUnchanged,
            rationale: "Proportionate to continue.".into(),
            conditions: None,
        }
        .apply(&entry("2026-01-01"))
        .unwrap();
        assert_eq!(reviewed.review_due_on, date("2027-01-10"));
        assert_eq!(reviewed.last_reviewed_on, Some(date("2026-01-10")));
        let backwards = NaChange::Reviewed {
            reviewed_on: date("2026-01-10"),
            next_due_on: date("2026-01-09"),
            outcome: NaReviewOutcome::ContinueUnchanged,
            rationale: "Proportionate to continue.".into(),
            conditions: None,
        }
        .apply(&entry("2026-01-01"));
        assert_eq!(backwards.unwrap_err().field, "next_due_on");
    }

    #[test]
    fn the_first_review_defaults_to_a_year_after_the_declaration() {
        let draft = NaDraft {
            employee: NominalId(1),
            associate: NominalId(2),
            category: "family".into(),
            origin: NaOrigin::Declared,
            declared_on: date("2026-03-01"),
            conditions: String::new(),
            assessment: None,
            review_due_on: None,
            relationship: None,
        };
        assert_eq!(draft.first_review(), date("2027-03-01"));
        assert!(draft.validate().is_empty());
        let own = NaDraft {
            associate: NominalId(1),
            ..draft
        };
        assert_eq!(own.validate()[0].field, "associate");
    }
}
