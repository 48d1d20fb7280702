//! A saved assessment as it was given: the instrument version that scored it, every answer, the
//! score factor by factor, the assessor's rationale and the review date. Never edited, so it can
//! be explained at a hearing years later.

use super::{Answers, Score};
use crate::domain::{AssessmentId, IsoDate, NominalId, UserId};
use serde::{Deserialize, Serialize};

/// One saved assessment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssessmentRecord {
    pub id: AssessmentId,
    /// The instrument's key (`beacon`, `notifiable_association`...).
    pub instrument: String,
    /// The instrument version that produced the score.
    pub version: u32,
    /// The nominal assessed.
    pub subject: NominalId,
    pub answers: Answers,
    /// The score with each factor's contribution, the total and the band.
    pub score: Score,
    /// Why the assessor answered as they did (free text: never audited or logged).
    pub rationale: String,
    pub assessed_on: IsoDate,
    pub next_review_on: IsoDate,
    /// UTC time, RFC 3339 with milliseconds.
    pub created_at_utc: String,
    pub created_by: UserId,
}
