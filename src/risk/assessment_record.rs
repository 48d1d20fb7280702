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
    /// The answers Beacon screening suggested from the force's data, factor by factor, with
    /// the answer given and the evidence: so a hearing can see which answers came from data
    /// and what the detective changed. Empty for other instruments.
    #[serde(default)]
    pub data_answers: Vec<DataAnswer>,
}

impl AssessmentRecord {
    /// The data answer recorded for `factor`, if screening suggested one.
    #[must_use]
    pub fn data_answer(&self, factor: &str) -> Option<&DataAnswer> {
        self.data_answers.iter().find(|d| d.factor == factor)
    }
}

/// A factor's answer as screening suggested it and as the detective gave it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DataAnswer {
    pub factor: String,
    /// The option screening suggested.
    pub suggested: String,
    /// The option the detective gave.
    pub given: String,
    /// The facts behind the suggestion, in words, without names.
    pub facts: Vec<String>,
    /// The findings (fingerprints) it came from.
    pub findings: Vec<String>,
    pub evidence: Vec<super::beacon_screen::EvidenceRow>,
}

impl DataAnswer {
    /// Whether the detective gave another answer than the one suggested.
    #[must_use]
    pub fn changed(&self) -> bool {
        self.suggested != self.given
    }
}

/// One intelligence item scored under the intelligence priority instrument (seed 001 s4.6.4:
/// intelligence is prioritised item by item). Its source evaluation and intelligence assessment
/// answers are the item's own grading. Never edited.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemPriority {
    /// The item's reference.
    pub item: String,
    /// The instrument version that produced the score.
    pub version: u32,
    pub answers: Answers,
    pub score: Score,
    /// Why the assessor answered as they did (free text: never audited or logged).
    pub rationale: String,
    pub assessed_on: IsoDate,
    pub next_review_on: IsoDate,
    /// UTC time, RFC 3339 with milliseconds.
    pub created_at_utc: String,
    pub created_by: UserId,
}

/// The instrument that prioritises items, by key.
pub const ITEM_PRIORITY_INSTRUMENT: &str = "intelligence_priority";

/// The factors of the priority instrument that are answered from the item's grading, with the
/// grading part each takes.
pub const GRADING_FACTORS: [&str; 2] = ["source_evaluation", "intelligence_assessment"];

/// The part of an item's grading a grading factor is answered from (`None` for any other
/// factor).
#[must_use]
pub fn grading_code<'g>(factor_key: &str, grading: &'g crate::domain::Grading) -> Option<&'g str> {
    match factor_key {
        "source_evaluation" => Some(&grading.source_evaluation),
        "intelligence_assessment" => Some(&grading.intelligence_assessment),
        _ => None,
    }
}

/// The answer to a grading factor for a grading code: the option whose key starts with the code
/// (`2` is `2_untested`, `B` is `b_known_indirectly_corroborated`).
#[must_use]
pub fn grading_answer<'a>(factor: &'a super::Factor, code: &str) -> Option<&'a str> {
    let prefix = format!("{}_", code.to_ascii_lowercase());
    factor
        .options
        .iter()
        .find(|option| option.key.starts_with(&prefix))
        .map(|option| option.key.as_str())
}
