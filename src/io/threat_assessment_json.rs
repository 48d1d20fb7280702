//! The threat assessment as JSON (`report threat-assessment --json`). The restricted edition is
//! the assessment as it is; in the sanitised edition every count below 5 is the text
//! `"fewer than 5"`, as on its pages, so the JSON tells no more than the report.

use crate::risk::threat_assessment::{Edition, SMALL_COUNT, ThreatAssessment};
use serde_json::Value;

/// Hides a small count: a number below 5 becomes the words.
fn hide_small(value: &mut Value) {
    if value.as_u64().is_some_and(|n| n < SMALL_COUNT) {
        *value = Value::String(String::from("fewer than 5"));
    }
}

/// Hides every small count in a `{ code: count }` object.
fn hide_small_in_map(value: &mut Value, table: &str) {
    if let Some(Value::Object(map)) = value.get_mut(table) {
        map.values_mut().for_each(hide_small);
    }
}

/// The assessment as pretty JSON, small counts hidden in the sanitised edition.
///
/// # Errors
/// A value serde cannot write (never for these types; reported, not swallowed).
pub fn render(assessment: &ThreatAssessment) -> Result<String, serde_json::Error> {
    let mut value = serde_json::to_value(assessment)?;
    if assessment.edition == Edition::Sanitised {
        for period in ["current", "previous"] {
            if let Some(counts) = value.get_mut(period) {
                if let Some(total) = counts.get_mut("total") {
                    hide_small(total);
                }
                for table in ["by_category", "by_source_type", "by_grading", "by_status"] {
                    hide_small_in_map(counts, table);
                }
            }
        }
        hide_small_in_map(&mut value, "live_associations");
        hide_small_in_map(&mut value, "interventions_by_outcome");
        if let Some(cohort) = value.get_mut("beacon_cohort") {
            hide_small(cohort);
        }
        if let Some(Value::Array(bands)) = value.get_mut("beacon_bands") {
            for band in bands {
                if let Some(count) = band.get_mut(1) {
                    hide_small(count);
                }
            }
        }
    }
    serde_json::to_string_pretty(&value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::risk::threat_assessment::{ExposureSummary, PeriodCounts};

    fn assessment(edition: Edition) -> ThreatAssessment {
        let date = |text: &str| text.parse().unwrap();
        let mut current = PeriodCounts {
            total: 12,
            ..PeriodCounts::default()
        };
        current.by_category.insert("disclosure".into(), 3);
        current.by_category.insert("misuse_of_systems".into(), 9);
        let assessment = ThreatAssessment {
            from: date("2026-01-01"),
            to: date("2026-03-31"),
            previous_from: date("2025-10-03"),
            previous_to: date("2025-12-31"),
            current,
            previous: PeriodCounts::default(),
            live_associations: [("family".to_owned(), 2)].into_iter().collect(),
            beacon_cohort: 4,
            beacon_bands: vec![("High".into(), 4)],
            interventions_by_outcome: [("advice_given".to_owned(), 6)].into_iter().collect(),
            top_exposures: vec![ExposureSummary {
                employee: "PC Sam QUILL (AB123)".into(),
                target: "Lee MARSH".into(),
                hops: 2,
                score: 0.5,
            }],
            control_strategy: Vec::new(),
            edition: Edition::Restricted,
            labels: crate::domain::CodeLabels::default(),
        };
        match edition {
            Edition::Sanitised => assessment.sanitised(),
            Edition::Restricted => assessment,
        }
    }

    #[test]
    fn the_sanitised_json_hides_small_counts_and_names_and_the_restricted_keeps_them() {
        let sanitised: Value =
            serde_json::from_str(&render(&assessment(Edition::Sanitised)).unwrap()).unwrap();
        assert_eq!(sanitised["edition"], "sanitised");
        assert_eq!(sanitised["current"]["total"], 12);
        assert_eq!(
            sanitised["current"]["by_category"]["disclosure"],
            "fewer than 5"
        );
        assert_eq!(sanitised["current"]["by_category"]["misuse_of_systems"], 9);
        assert_eq!(sanitised["previous"]["total"], "fewer than 5");
        assert_eq!(sanitised["live_associations"]["family"], "fewer than 5");
        assert_eq!(sanitised["beacon_cohort"], "fewer than 5");
        assert_eq!(sanitised["beacon_bands"][0][1], "fewer than 5");
        assert_eq!(sanitised["interventions_by_outcome"]["advice_given"], 6);
        let text = sanitised.to_string();
        assert!(!text.contains("QUILL") && !text.contains("AB123") && !text.contains("MARSH"));
        let restricted: Value =
            serde_json::from_str(&render(&assessment(Edition::Restricted)).unwrap()).unwrap();
        assert_eq!(restricted["current"]["by_category"]["disclosure"], 3);
        assert_eq!(restricted["top_exposures"][0]["target"], "Lee MARSH");
    }
}
