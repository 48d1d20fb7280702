//! Asking for a page of the intelligence log, and what each row shows.

use super::{IsoDate, ItemId, UserId};
use serde::{Deserialize, Serialize};

/// Which column the log is ordered by.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IntelSort {
    /// Order of recording (the reference number).
    Reference,
    #[default]
    ReceivedOn,
    Status,
    Category,
    /// The item's latest priority band (most urgent first when descending; unscored last).
    Priority,
}

/// Filters and order for the log. Equal queries are one consultation in the audit log however
/// many pages are read.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default)]
pub struct IntelQuery {
    pub status: Option<String>,
    pub category: Option<String>,
    pub source_evaluation: Option<String>,
    pub intelligence_assessment: Option<String>,
    pub handling_code: Option<String>,
    pub received_from: Option<IsoDate>,
    pub received_to: Option<IsoDate>,
    pub owner_id: Option<UserId>,
    /// Only items whose latest priority band has this label; [`NOT_SCORED`] for items never
    /// prioritised.
    pub priority: Option<String>,
    pub sort: IntelSort,
    pub descending: bool,
}

/// One row of the log: what the table shows, without the full narrative.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntelRow {
    pub id: ItemId,
    pub reference: String,
    pub received_on: IsoDate,
    pub category: String,
    pub grading: String,
    pub status: String,
    pub owner_id: UserId,
    pub next_review_on: Option<IsoDate>,
    /// The start of the narrative.
    pub summary: String,
    /// The latest priority band the item was scored in, if it was.
    #[serde(default)]
    pub priority: Option<String>,
    /// The item is restricted to named users and the viewer is not one of them: only the
    /// reference is real; every other field is empty.
    #[serde(default)]
    pub restricted: bool,
}

impl IntelRow {
    /// What a viewer not on a restricted item's list sees of it: its reference, nothing else.
    #[must_use]
    pub fn restricted(id: ItemId, reference: String) -> Self {
        IntelRow {
            id,
            summary: format!("restricted item {reference}"),
            reference,
            received_on: IsoDate::EPOCH,
            category: String::new(),
            grading: String::new(),
            status: String::new(),
            owner_id: UserId(0),
            next_review_on: None,
            priority: None,
            restricted: true,
        }
    }
}

impl IntelQuery {
    /// Whether the query lists the whole log, unfiltered: the one listing in which a restricted
    /// item appears (as its reference alone, after every other row whatever the order) to
    /// those not on its list. A filter would tell them something of it (its category, status,
    /// date), so in a filtered listing it is left out.
    #[must_use]
    pub fn shows_restricted_references(&self) -> bool {
        self.status.is_none()
            && self.category.is_none()
            && self.source_evaluation.is_none()
            && self.intelligence_assessment.is_none()
            && self.handling_code.is_none()
            && self.received_from.is_none()
            && self.received_to.is_none()
            && self.owner_id.is_none()
            && self.priority.is_none()
    }
}

/// The priority filter for items never prioritised.
pub const NOT_SCORED: &str = "not_scored";

/// Characters of narrative shown in a row.
pub const SUMMARY_CHARS: usize = 120;
