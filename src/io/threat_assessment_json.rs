//! The threat assessment as JSON (`report threat-assessment --json`): the assessment as it is
//! stored (the analyst's `text`, the counts, the control strategy) with the threats in the
//! analyst's priority order and their figures added as `priority_threats`. The restricted
//! edition is the assessment as it is; in the sanitised edition every count below 5 is the text
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

/// Hides every small count in a trend (`{ current, previous }`) and its change.
fn hide_small_in_trend(trend: &mut Value) {
    for side in ["current", "previous"] {
        if let Some(count) = trend.get_mut(side) {
            hide_small(count);
        }
    }
}

/// The assessment as pretty JSON, small counts hidden in the sanitised edition.
///
/// # Errors
/// A value serde cannot write (never for these types; reported, not swallowed).
pub fn render(assessment: &ThreatAssessment) -> Result<String, serde_json::Error> {
    let mut value = serde_json::to_value(assessment)?;
    if let Value::Object(map) = &mut value {
        map.insert(
            "priority_threats".to_owned(),
            serde_json::to_value(assessment.priority_threats())?,
        );
    }
    if assessment.edition == Edition::Sanitised {
        if let Some(Value::Array(threats)) = value.get_mut("priority_threats") {
            for threat in threats {
                if let Some(trend) = threat.get_mut("trend") {
                    hide_small_in_trend(trend);
                }
                if let Some(Value::Array(subs)) = threat.get_mut("subcategories") {
                    subs.iter_mut().for_each(hide_small_in_trend);
                }
            }
        }
        for period in ["current", "previous"] {
            if let Some(counts) = value.get_mut(period) {
                if let Some(total) = counts.get_mut("total") {
                    hide_small(total);
                }
                for table in [
                    "by_category",
                    "by_source_type",
                    "by_grading",
                    "by_status",
                    "by_employee_type",
                    "by_rank",
                    "by_department",
                ] {
                    hide_small_in_map(counts, table);
                }
                if let Some(Value::Object(categories)) = counts.get_mut("by_subcategory") {
                    for subs in categories.values_mut() {
                        if let Value::Object(subs) = subs {
                            subs.values_mut().for_each(hide_small);
                        }
                    }
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
        current.by_subcategory.insert(
            "disclosure".into(),
            [("disclosure.media".to_owned(), 3)].into_iter().collect(),
        );
        current.by_rank.insert("Chief Inspector".into(), 1);
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
            text: Some(crate::risk::threat_assessment::AssessmentTextVersion {
                version: 2,
                written_by: "Ana LYST".into(),
                written_at: "2026-04-01T10:00:00Z".into(),
                text: crate::risk::threat_assessment::AssessmentText {
                    summary: "Disclosure is the main threat.".into(),
                    threats: vec![crate::risk::threat_assessment::ThreatJudgement {
                        category: "disclosure".into(),
                        assessment: "Rising.".into(),
                    }],
                    ..Default::default()
                },
            }),
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
        assert_eq!(
            sanitised["current"]["by_subcategory"]["disclosure"]["disclosure.media"],
            "fewer than 5"
        );
        assert_eq!(
            sanitised["current"]["by_rank"]["Chief Inspector"],
            "fewer than 5"
        );
        let threat = &sanitised["priority_threats"][0];
        assert_eq!(threat["priority"], 1);
        assert_eq!(threat["trend"]["code"], "disclosure");
        assert_eq!(threat["trend"]["current"], "fewer than 5");
        assert_eq!(threat["subcategories"][0]["current"], "fewer than 5");
        assert_eq!(threat["assessment"], "Rising.");
        assert_eq!(
            sanitised["text"]["text"]["summary"],
            "Disclosure is the main threat."
        );
        assert_eq!(
            sanitised["text"]["written_by"], "",
            "the sanitised edition names no one"
        );
        let text = sanitised.to_string();
        assert!(!text.contains("QUILL") && !text.contains("AB123") && !text.contains("MARSH"));
        assert!(!text.contains("LYST"));
        let restricted: Value =
            serde_json::from_str(&render(&assessment(Edition::Restricted)).unwrap()).unwrap();
        assert_eq!(restricted["current"]["by_category"]["disclosure"], 3);
        assert_eq!(restricted["top_exposures"][0]["target"], "Lee MARSH");
        assert_eq!(restricted["priority_threats"][0]["trend"]["current"], 3);
        assert_eq!(restricted["text"]["written_by"], "Ana LYST");
    }
}
