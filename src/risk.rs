//! Risk tools: instruments as versioned data (Operation Beacon, notifiable associations,
//! intelligence priority) and the scoring of an assessment under one, explained factor by
//! factor; and the cross-reference engine's leads from imported data. Pure: no SQL, no GUI, no file formats (the `io` module reads instrument files).

mod assessment_record;
mod beacon_cohort;
pub mod beacon_screen;
pub mod crossref;
mod instrument;
mod instrument_version;
mod scoring;
pub mod threat_assessment;

pub use assessment_record::{
    AssessmentRecord, DataAnswer, GRADING_FACTORS, ITEM_PRIORITY_INSTRUMENT, ItemPriority,
    grading_answer, grading_code,
};
pub use beacon_cohort::{
    BEACON_CATEGORY, BEACON_SUBCATEGORY, BeaconCohortEntry, BeaconDue, CohortChanges, IopcDecision,
    Trend, beacon_cohort, cohort_changes,
};
pub use instrument_version::InstrumentVersionInfo;

pub use instrument::{
    AnswerOption, Band, BandRule, Factor, Instrument, InstrumentInvalid, InstrumentSpec, Location,
};
pub use scoring::{
    Answers, FactorChange, FactorScore, Rescore, Score, ScoringError, rescore, score,
};

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A score, a weight or a band bound, in hundredths: exact sums (no floating-point drift
/// between the score shown today and the one recomputed at a hearing), written as a decimal
/// with at most two places.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Points(pub i64);

impl Points {
    /// `value` points (a whole number).
    #[must_use]
    pub const fn whole(value: i64) -> Self {
        Self(value * 100)
    }

    /// The weight times a whole-number answer score.
    #[must_use]
    pub fn times(self, score: i64) -> Self {
        Self(self.0.saturating_mul(score))
    }

    /// Parses a decimal with at most two places (`12`, `1.5`, `-0.25`).
    #[must_use]
    pub fn from_decimal(value: f64) -> Option<Self> {
        if !value.is_finite() {
            return None;
        }
        let hundredths = (value * 100.0).round();
        #[expect(clippy::cast_possible_truncation, reason = "range checked just below")]
        ((value * 100.0 - hundredths).abs() < 1e-6 && hundredths.abs() < 1e15)
            .then_some(Self(hundredths as i64))
    }

    /// As a decimal number (for JSON and charts).
    #[must_use]
    pub fn as_f64(self) -> f64 {
        #[expect(clippy::cast_precision_loss, reason = "scores are far below 2^52")]
        let value = self.0 as f64;
        value / 100.0
    }
}

impl std::ops::Add for Points {
    type Output = Self;

    fn add(self, other: Self) -> Self {
        Self(self.0.saturating_add(other.0))
    }
}

impl std::ops::Sub for Points {
    type Output = Self;

    fn sub(self, other: Self) -> Self {
        Self(self.0.saturating_sub(other.0))
    }
}

impl std::fmt::Display for Points {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let whole = self.0.unsigned_abs() / 100;
        let cents = self.0.unsigned_abs() % 100;
        match cents {
            0 => write!(f, "{sign}{whole}"),
            c if c % 10 == 0 => write!(f, "{sign}{whole}.{}", c / 10),
            c => write!(f, "{sign}{whole}.{c:02}"),
        }
    }
}

impl Serialize for Points {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_f64(self.as_f64())
    }
}

impl<'de> Deserialize<'de> for Points {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = f64::deserialize(deserializer)?;
        Self::from_decimal(value).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "{value} is not a number with at most two decimal places"
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_are_exact_hundredths_and_print_as_decimals() {
        assert_eq!(Points::from_decimal(1.5), Some(Points(150)));
        assert_eq!(Points::from_decimal(0.1 + 0.2), Some(Points(30)));
        assert_eq!(Points::from_decimal(1.005), None);
        assert_eq!(Points::from_decimal(f64::NAN), None);
        assert_eq!(Points(150).to_string(), "1.5");
        assert_eq!(Points(1205).to_string(), "12.05");
        assert_eq!(Points(-25).to_string(), "-0.25");
        assert_eq!(Points::whole(3).to_string(), "3");
        assert_eq!(Points(150).times(3), Points(450));
    }
}
