//! What the list of instrument versions shows: which versions exist, who published each, and
//! which one new assessments are scored under.

use crate::domain::UserId;
use serde::{Deserialize, Serialize};

/// One stored version of an instrument, without its factors.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstrumentVersionInfo {
    pub key: String,
    pub version: u32,
    pub name: String,
    /// UTC time, RFC 3339 with milliseconds.
    pub published_at_utc: String,
    /// `None` for a default shipped with the product.
    pub published_by: Option<UserId>,
    /// The publisher's name, or `shipped default`.
    pub publisher: String,
    pub shipped_default: bool,
    /// Whether new assessments are scored under this version (the newest of its key).
    pub latest: bool,
}
