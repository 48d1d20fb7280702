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
}

/// Characters of narrative shown in a row.
pub const SUMMARY_CHARS: usize = 120;
