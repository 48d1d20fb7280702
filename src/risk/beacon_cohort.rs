//! The Beacon cohort: everyone assessed under Operation Beacon, each with their latest band,
//! the trend since their previous assessment and their next review, most serious first. What
//! the People Intelligence Board (seed 001 §4.8.3) works through.

use super::{AssessmentRecord, Points};
use crate::domain::{AssessmentId, IsoDate, NominalId};
use serde::{Deserialize, Serialize};

/// How a subject's total moved between their last two assessments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Trend {
    /// Assessed once.
    New,
    Rising,
    Falling,
    Steady,
}

impl Trend {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Trend::New => "new",
            Trend::Rising => "rising",
            Trend::Falling => "falling",
            Trend::Steady => "steady",
        }
    }
}

/// One subject of the cohort.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BeaconCohortEntry {
    pub subject: NominalId,
    pub subject_name: String,
    /// Their latest assessment.
    pub assessment: AssessmentId,
    pub band: String,
    pub band_colour: String,
    /// The band's place in its instrument version, from 0 (least serious).
    pub band_rank: usize,
    pub total: Points,
    pub previous_total: Option<Points>,
    pub trend: Trend,
    pub assessed_on: IsoDate,
    pub next_review_on: IsoDate,
    /// The next review date has passed.
    pub overdue: bool,
    /// The IOPC referral decision recorded for them, the latest if more than one.
    #[serde(default)]
    pub iopc: Option<IopcDecision>,
}

/// Whether a Beacon subject was referred to the Independent Office for Police Conduct.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IopcDecision {
    pub referred: bool,
    pub decided_on: IsoDate,
    /// Why not (required when not referred); any note when referred.
    pub reason: String,
}

impl IopcDecision {
    /// "Referred to the IOPC on 2026-05-01" or "Not referred to the IOPC (2026-05-01): why".
    #[must_use]
    pub fn describe(&self) -> String {
        if self.referred {
            format!("Referred to the IOPC on {}", self.decided_on)
        } else {
            format!(
                "Not referred to the IOPC ({}): {}",
                self.decided_on, self.reason
            )
        }
    }
}

/// A member of staff who must be assessed under Beacon: the subject of an item about sexual
/// misconduct or abuse of authority for a sexual purpose, with no Beacon assessment since it
/// was received.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BeaconDue {
    pub subject: NominalId,
    pub subject_name: String,
    /// The earliest such item not yet answered by an assessment.
    pub item: String,
    pub received_on: IsoDate,
    /// Their latest Beacon assessment, if any (made before that item).
    pub last_assessed_on: Option<IsoDate>,
}

/// The category and sub-category whose items put their subject on the due list (seed 001
/// s4.8).
pub const BEACON_CATEGORY: &str = "sexual_misconduct";
pub const BEACON_SUBCATEGORY: &str = "abuse_of_authority.sexual_purpose";

/// The cohort from every Beacon assessment (any order), most serious band first, then highest
/// total, then subject. `band_rank` gives a saved assessment's band's place in the instrument
/// version that scored it; names are filled in by the caller.
#[must_use]
pub fn beacon_cohort(
    assessments: &[AssessmentRecord],
    band_rank: impl Fn(&AssessmentRecord) -> usize,
    as_of: IsoDate,
) -> Vec<BeaconCohortEntry> {
    let mut ordered: Vec<&AssessmentRecord> = assessments.iter().collect();
    ordered.sort_by_key(|a| (a.subject, a.assessed_on, a.id));
    let mut entries = Vec::new();
    for (index, latest) in ordered.iter().enumerate() {
        let is_latest = ordered
            .get(index + 1)
            .is_none_or(|next| next.subject != latest.subject);
        if !is_latest {
            continue;
        }
        let previous = index
            .checked_sub(1)
            .and_then(|i| ordered.get(i))
            .filter(|p| p.subject == latest.subject);
        let total = latest.score.total;
        let previous_total = previous.map(|p| p.score.total);
        let trend = match previous_total {
            None => Trend::New,
            Some(before) if total > before => Trend::Rising,
            Some(before) if total < before => Trend::Falling,
            Some(_) => Trend::Steady,
        };
        entries.push(BeaconCohortEntry {
            subject: latest.subject,
            subject_name: String::new(),
            assessment: latest.id,
            band: latest.score.band.clone(),
            band_colour: latest.score.band_colour.clone(),
            band_rank: band_rank(latest),
            total,
            previous_total,
            trend,
            assessed_on: latest.assessed_on,
            next_review_on: latest.next_review_on,
            overdue: latest.next_review_on < as_of,
            iopc: None,
        });
    }
    entries.sort_by(|a, b| {
        b.band_rank
            .cmp(&a.band_rank)
            .then(b.total.cmp(&a.total))
            .then(a.subject.cmp(&b.subject))
    });
    entries
}

/// How the cohort changed between two boards: who joined it, and whose band rose or fell
/// (with the band they had before), each in the order of the newer cohort.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CohortChanges {
    pub joined: Vec<BeaconCohortEntry>,
    pub raised: Vec<(BeaconCohortEntry, String)>,
    pub lowered: Vec<(BeaconCohortEntry, String)>,
}

/// The changes from the cohort `before` to the cohort `now`.
#[must_use]
pub fn cohort_changes(before: &[BeaconCohortEntry], now: &[BeaconCohortEntry]) -> CohortChanges {
    let mut changes = CohortChanges::default();
    for entry in now {
        match before.iter().find(|old| old.subject == entry.subject) {
            None => changes.joined.push(entry.clone()),
            Some(old) if entry.band_rank > old.band_rank => {
                changes.raised.push((entry.clone(), old.band.clone()));
            }
            Some(old) if entry.band_rank < old.band_rank => {
                changes.lowered.push((entry.clone(), old.band.clone()));
            }
            Some(_) => {}
        }
    }
    changes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::UserId;
    use crate::risk::Score;

    fn date(day: u8) -> IsoDate {
        IsoDate::from_ymd(2026, 3, day).unwrap()
    }

    fn record(id: i64, subject: i64, day: u8, total: i64, band: &str) -> AssessmentRecord {
        AssessmentRecord {
            id: AssessmentId(id),
            instrument: "beacon".into(),
            version: 1,
            subject: NominalId(subject),
            answers: crate::risk::Answers::new(),
            score: Score {
                instrument: "beacon".into(),
                version: 1,
                factors: Vec::new(),
                total: Points::whole(total),
                band: band.into(),
                band_colour: "#000000".into(),
                raised_by: None,
                review_days: 90,
            },
            rationale: "r".into(),
            assessed_on: date(day),
            next_review_on: date(day).plus_days(90),
            created_at_utc: String::new(),
            created_by: UserId(1),
            data_answers: Vec::new(),
        }
    }

    fn rank(record: &AssessmentRecord) -> usize {
        ["low", "medium", "high"]
            .iter()
            .position(|b| *b == record.score.band)
            .unwrap_or(0)
    }

    #[test]
    fn each_subject_appears_once_with_the_trend_of_their_last_two_assessments() {
        let assessments = vec![
            record(1, 10, 1, 5, "low"),
            record(2, 10, 5, 12, "medium"),
            record(3, 20, 2, 20, "high"),
            record(4, 20, 9, 14, "medium"),
            record(5, 30, 3, 7, "low"),
            record(6, 40, 1, 9, "low"),
            record(7, 40, 2, 9, "low"),
        ];
        let cohort = beacon_cohort(&assessments, rank, date(20));
        let by_subject = |s: i64| {
            cohort
                .iter()
                .find(|e| e.subject == NominalId(s))
                .map(|e| (e.trend, e.total, e.assessment))
        };
        assert_eq!(cohort.len(), 4);
        assert_eq!(
            by_subject(10),
            Some((Trend::Rising, Points::whole(12), AssessmentId(2)))
        );
        assert_eq!(
            by_subject(20),
            Some((Trend::Falling, Points::whole(14), AssessmentId(4)))
        );
        assert_eq!(by_subject(30).map(|e| e.0), Some(Trend::New));
        assert_eq!(by_subject(40).map(|e| e.0), Some(Trend::Steady));
    }

    #[test]
    fn the_most_serious_band_comes_first_then_the_highest_total() {
        let assessments = vec![
            record(1, 10, 1, 5, "low"),
            record(2, 20, 1, 14, "medium"),
            record(3, 30, 1, 12, "medium"),
            record(4, 40, 1, 6, "low"),
        ];
        let order: Vec<i64> = beacon_cohort(&assessments, rank, date(20))
            .iter()
            .map(|e| e.subject.0)
            .collect();
        assert_eq!(order, vec![20, 30, 40, 10]);
    }

    #[test]
    fn a_review_date_before_today_is_overdue() {
        let assessments = vec![record(1, 10, 1, 5, "low")];
        let due = date(1).plus_days(90);
        assert!(!beacon_cohort(&assessments, rank, due)[0].overdue);
        assert!(beacon_cohort(&assessments, rank, due.plus_days(1))[0].overdue);
    }

    #[test]
    fn changes_between_boards_name_who_joined_and_whose_band_moved() {
        let assessments = vec![
            record(1, 10, 1, 5, "low"),
            record(2, 10, 15, 12, "medium"),
            record(3, 20, 2, 20, "high"),
            record(4, 20, 16, 4, "low"),
            record(5, 30, 3, 7, "low"),
            record(6, 30, 17, 8, "low"),
            record(7, 40, 18, 9, "high"),
        ];
        let before: Vec<AssessmentRecord> = assessments
            .iter()
            .filter(|a| a.assessed_on <= date(10))
            .cloned()
            .collect();
        let changes = cohort_changes(
            &beacon_cohort(&before, rank, date(10)),
            &beacon_cohort(&assessments, rank, date(20)),
        );
        let subjects = |entries: Vec<&BeaconCohortEntry>| -> Vec<i64> {
            entries.iter().map(|e| e.subject.0).collect()
        };
        assert_eq!(subjects(changes.joined.iter().collect()), [40]);
        assert_eq!(
            subjects(changes.raised.iter().map(|(e, _)| e).collect()),
            [10]
        );
        assert_eq!(changes.raised[0].1, "low");
        assert_eq!(
            subjects(changes.lowered.iter().map(|(e, _)| e).collect()),
            [20]
        );
        assert_eq!(changes.lowered[0].1, "high");
    }
}
