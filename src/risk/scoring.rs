//! Scoring an assessment under an instrument: each factor's contribution (weight × the answer's
//! score), the total, the band, and the rule that raised the band if one did. Re-scoring the
//! same answers under another version explains the difference factor by factor, without
//! touching the original.

use super::{Instrument, Points};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The assessor's answer to each factor, by factor key.
pub type Answers = BTreeMap<String, String>;

/// One factor's part in a score.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FactorScore {
    pub factor: String,
    pub answer: String,
    pub weight: Points,
    /// The answer's score before the weight.
    pub answer_score: i64,
    pub contribution: Points,
}

/// An assessment's score under one instrument version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Score {
    pub instrument: String,
    pub version: u32,
    pub factors: Vec<FactorScore>,
    pub total: Points,
    pub band: String,
    pub band_colour: String,
    /// The rule that put the subject in a higher band than the total, if any (its factor).
    pub raised_by: Option<String>,
    /// Days to the next review (the band's, or the instrument's default).
    pub review_days: u32,
}

/// Why answers cannot be scored.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScoringError {
    #[error("factor {0} is not answered")]
    Unanswered(String),
    #[error("factor {factor} has no answer {answer}")]
    UnknownAnswer { factor: String, answer: String },
    #[error("{0} is not a factor of this instrument")]
    UnknownFactor(String),
}

/// Scores `answers` under `instrument`: every factor must be answered, with one of its answers.
///
/// # Errors
/// A factor unanswered, an answer or a factor the instrument does not have.
pub fn score(instrument: &Instrument, answers: &Answers) -> Result<Score, ScoringError> {
    if let Some(unknown) = answers.keys().find(|k| instrument.factor(k).is_none()) {
        return Err(ScoringError::UnknownFactor(unknown.clone()));
    }
    let mut factors = Vec::with_capacity(instrument.factors().len());
    let mut total = Points(0);
    for factor in instrument.factors() {
        let answer = answers
            .get(&factor.key)
            .ok_or_else(|| ScoringError::Unanswered(factor.key.clone()))?;
        let (_, option) = factor
            .option(answer)
            .ok_or_else(|| ScoringError::UnknownAnswer {
                factor: factor.key.clone(),
                answer: answer.clone(),
            })?;
        let contribution = factor.weight.times(option.score);
        total = total + contribution;
        factors.push(FactorScore {
            factor: factor.key.clone(),
            answer: option.key.clone(),
            weight: factor.weight,
            answer_score: option.score,
            contribution,
        });
    }
    let by_total = instrument.band_for(total);
    let mut band = by_total;
    let mut raised_by = None;
    for rule in instrument.rules() {
        let (Some(factor), Some(rule_band)) = (
            instrument.factor(&rule.factor),
            instrument.band_index(&rule.band),
        ) else {
            continue;
        };
        let reached = answers
            .get(&factor.key)
            .and_then(|answer| factor.option(answer))
            .zip(factor.option(&rule.at_least))
            .is_some_and(|((given, _), (threshold, _))| given >= threshold);
        if reached && rule_band > band {
            band = rule_band;
            raised_by = Some(rule.factor.clone());
        }
    }
    let chosen = &instrument.bands()[band];
    Ok(Score {
        instrument: instrument.key().to_owned(),
        version: instrument.version(),
        factors,
        total,
        band: chosen.label.clone(),
        band_colour: chosen.colour.clone(),
        raised_by,
        review_days: chosen.review_days.unwrap_or(instrument.spec().review_days),
    })
}

/// How one factor's contribution differs between two versions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FactorChange {
    pub factor: String,
    /// Under the original version (`None`: the factor is new).
    pub before: Option<Points>,
    /// Under the other version (`None`: the factor was removed).
    pub after: Option<Points>,
    /// A factor new in the other version was never answered: it is scored at its lowest
    /// answer, and this says so.
    pub assumed_lowest: bool,
}

/// The same answers scored under another version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rescore {
    pub before: Score,
    pub after: Score,
    /// Every factor whose contribution differs (or that is only in one version).
    pub changes: Vec<FactorChange>,
}

/// Scores `answers` (given under `original`) under `other` as well, and lists what changed
/// factor by factor. Answers to factors `other` dropped are left out of its score; factors it
/// added are scored at their lowest answer and marked so.
///
/// # Errors
/// The answers do not score under `original`; an answer kept is no longer an answer of its
/// factor under `other`.
pub fn rescore(
    original: &Instrument,
    other: &Instrument,
    answers: &Answers,
) -> Result<Rescore, ScoringError> {
    let before = score(original, answers)?;
    let mut carried: Answers = answers
        .iter()
        .filter(|(factor, _)| other.factor(factor).is_some())
        .map(|(factor, answer)| (factor.clone(), answer.clone()))
        .collect();
    let mut assumed = Vec::new();
    for factor in other.factors() {
        if !carried.contains_key(&factor.key)
            && let Some(lowest) = factor.options.first()
        {
            carried.insert(factor.key.clone(), lowest.key.clone());
            assumed.push(factor.key.clone());
        }
    }
    let after = score(other, &carried)?;
    let contribution = |score: &Score, key: &str| {
        score
            .factors
            .iter()
            .find(|f| f.factor == key)
            .map(|f| f.contribution)
    };
    let mut keys: Vec<&str> = before.factors.iter().map(|f| f.factor.as_str()).collect();
    for factor in &after.factors {
        if !keys.contains(&factor.factor.as_str()) {
            keys.push(&factor.factor);
        }
    }
    let changes = keys
        .into_iter()
        .filter_map(|key| {
            let (b, a) = (contribution(&before, key), contribution(&after, key));
            (b != a).then(|| FactorChange {
                factor: key.to_owned(),
                before: b,
                after: a,
                assumed_lowest: assumed.iter().any(|k| k == key),
            })
        })
        .collect();
    Ok(Rescore {
        before,
        after,
        changes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::risk::{AnswerOption, Band, BandRule, Factor, InstrumentSpec};
    use proptest::prelude::*;

    /// Factors as (weight in hundredths, answer scores in rising order).
    type FactorShape = (i64, Vec<i64>);

    fn factor_shapes() -> impl Strategy<Value = Vec<FactorShape>> {
        prop::collection::vec(
            (
                0_i64..=400,
                prop::collection::vec(0_i64..=5, 2..=5).prop_map(|steps| {
                    steps
                        .into_iter()
                        .scan(0, |acc, step| {
                            *acc += step;
                            Some(*acc)
                        })
                        .collect()
                }),
            ),
            1..=6,
        )
    }

    /// An instrument of `shapes`, with `cuts` (fractions of its range) splitting it into bands
    /// that tile it, and a rule on the first factor's top answer when `rule`.
    fn instrument(version: u32, shapes: &[FactorShape], cuts: &[u8], rule: bool) -> Instrument {
        let factors: Vec<Factor> = shapes
            .iter()
            .enumerate()
            .map(|(f, (weight, scores))| Factor {
                key: format!("f{f}"),
                label: format!("Factor {f}"),
                guidance: String::new(),
                weight: Points(*weight),
                options: scores
                    .iter()
                    .enumerate()
                    .map(|(o, &score)| AnswerOption {
                        key: format!("a{o}"),
                        label: format!("Answer {o}"),
                        score,
                    })
                    .collect(),
            })
            .collect();
        let low: i64 = shapes.iter().map(|(w, s)| w * s[0]).sum();
        let high: i64 = shapes.iter().map(|(w, s)| w * s[s.len() - 1]).sum();
        let mut bounds: Vec<i64> = cuts
            .iter()
            .map(|&c| low + (high - low) * i64::from(c) / 256)
            .filter(|&b| b > low && b < high)
            .collect();
        bounds.sort_unstable();
        bounds.dedup();
        let mut edges = vec![low];
        edges.extend(bounds);
        edges.push(high.max(low + 1));
        let bands: Vec<Band> = edges
            .windows(2)
            .enumerate()
            .map(|(b, pair)| Band {
                label: format!("Band {b}"),
                from: Points(pair[0]),
                to: Points(pair[1]),
                colour: "#123456".to_owned(),
                review_days: None,
            })
            .collect();
        let rules = if rule {
            vec![BandRule {
                factor: "f0".to_owned(),
                at_least: format!("a{}", shapes[0].1.len() - 1),
                band: bands[bands.len() - 1].label.clone(),
            }]
        } else {
            Vec::new()
        };
        Instrument::new(InstrumentSpec {
            key: "generated".to_owned(),
            name: "Generated".to_owned(),
            version,
            description: String::new(),
            review_days: 30,
            factors,
            bands,
            rules,
        })
        .expect("generated instruments are valid")
    }

    fn answers_of(shapes: &[FactorShape], picks: &[usize]) -> Answers {
        shapes
            .iter()
            .enumerate()
            .map(|(f, (_, scores))| {
                let pick = picks.get(f).copied().unwrap_or(0) % scores.len();
                (format!("f{f}"), format!("a{pick}"))
            })
            .collect()
    }

    proptest! {
        #[test]
        fn raising_any_single_answer_never_lowers_the_score_or_the_band(
            shapes in factor_shapes(),
            cuts in prop::collection::vec(any::<u8>(), 0..4),
            picks in prop::collection::vec(0_usize..5, 6),
            rule in any::<bool>(),
            which in 0_usize..6,
        ) {
            let instrument = instrument(1, &shapes, &cuts, rule);
            let answers = answers_of(&shapes, &picks);
            let before = score(&instrument, &answers).unwrap();
            let f = which % shapes.len();
            let key = format!("f{f}");
            let (current, _) = instrument.factor(&key).unwrap().option(&answers[&key]).unwrap();
            for higher in current + 1..shapes[f].1.len() {
                let mut raised = answers.clone();
                raised.insert(key.clone(), format!("a{higher}"));
                let after = score(&instrument, &raised).unwrap();
                prop_assert!(after.total >= before.total);
                prop_assert!(
                    instrument.band_index(&after.band) >= instrument.band_index(&before.band)
                );
            }
        }

        #[test]
        fn every_total_the_instrument_can_give_has_exactly_one_band(
            shapes in factor_shapes(),
            cuts in prop::collection::vec(any::<u8>(), 0..5),
        ) {
            let instrument = instrument(1, &shapes, &cuts, false);
            let (low, high) = instrument.score_range();
            let bands = instrument.bands();
            let last = bands.len() - 1;
            let mut totals: Vec<i64> = vec![low.0, high.0];
            totals.extend(bands.iter().flat_map(|b| [b.from.0 - 1, b.from.0, b.to.0 - 1, b.to.0]));
            for total in totals.into_iter().filter(|t| (low.0..=high.0).contains(t)) {
                let holding = bands
                    .iter()
                    .enumerate()
                    .filter(|(i, b)| b.from.0 <= total && (total < b.to.0 || (*i == last && total == b.to.0)))
                    .count();
                prop_assert_eq!(holding, 1, "total {}", total);
            }
        }

        #[test]
        fn bands_that_leave_a_gap_or_overlap_are_refused(
            shapes in factor_shapes(),
            shift in prop_oneof![Just(-1_i64), Just(1_i64)],
        ) {
            let good = instrument(1, &shapes, &[128], false);
            let mut spec = good.spec().clone();
            prop_assume!(spec.bands.len() >= 2);
            spec.bands[1].from = Points(spec.bands[1].from.0 + shift);
            prop_assume!(spec.bands[1].from < spec.bands[1].to);
            let refused = Instrument::new(spec).unwrap_err();
            prop_assert!(matches!(refused.location, crate::risk::Location::Band(1)));
        }

        #[test]
        fn identical_answers_score_the_same_where_a_new_version_left_the_factor_alone(
            shapes in factor_shapes(),
            picks in prop::collection::vec(0_usize..5, 6),
            changed in 0_usize..6,
            new_weight in 0_i64..=400,
        ) {
            let v1 = instrument(1, &shapes, &[64, 192], false);
            let changed = changed % shapes.len();
            let mut reweighted = shapes.clone();
            reweighted[changed].0 = new_weight;
            let v2 = instrument(2, &reweighted, &[64, 192], false);
            let answers = answers_of(&shapes, &picks);
            let diff = rescore(&v1, &v2, &answers).unwrap();
            let changed_key = format!("f{changed}");
            for (before, after) in diff.before.factors.iter().zip(&diff.after.factors) {
                if before.factor != changed_key {
                    prop_assert_eq!(before, after);
                }
            }
            let only_changed = diff.changes.iter().all(|c| c.factor == changed_key);
            prop_assert!(only_changed);
            // The original is untouched by the re-score.
            prop_assert_eq!(&diff.before, &score(&v1, &answers).unwrap());
        }
    }

    #[test]
    fn a_rescore_lists_changed_new_and_removed_factors() {
        let v1 = instrument(1, &[(100, vec![0, 2]), (100, vec![0, 3])], &[128], false);
        let mut spec = v1.spec().clone();
        spec.version = 2;
        spec.factors[0].weight = Points(200);
        let removed = spec.factors.remove(1);
        let mut added = removed.clone();
        added.key = "f9".to_owned();
        spec.factors.push(added);
        spec.bands.last_mut().unwrap().to = Points(700);
        let v2 = Instrument::new(spec).unwrap();
        let answers: Answers = [("f0", "a1"), ("f1", "a1")]
            .into_iter()
            .map(|(f, a)| (f.to_owned(), a.to_owned()))
            .collect();
        let diff = rescore(&v1, &v2, &answers).unwrap();
        assert_eq!(diff.before.total, Points(500));
        assert_eq!(diff.after.total, Points(400));
        assert_eq!(
            diff.changes,
            vec![
                FactorChange {
                    factor: "f0".into(),
                    before: Some(Points(200)),
                    after: Some(Points(400)),
                    assumed_lowest: false,
                },
                FactorChange {
                    factor: "f1".into(),
                    before: Some(Points(300)),
                    after: None,
                    assumed_lowest: false,
                },
                FactorChange {
                    factor: "f9".into(),
                    before: None,
                    after: Some(Points(0)),
                    assumed_lowest: true,
                },
            ]
        );
    }

    #[test]
    fn unanswered_and_unknown_answers_are_refused() {
        let v1 = instrument(1, &[(100, vec![0, 2]), (100, vec![0, 3])], &[], false);
        let mut answers: Answers = [("f0".to_owned(), "a1".to_owned())].into();
        assert_eq!(
            score(&v1, &answers),
            Err(ScoringError::Unanswered("f1".into()))
        );
        answers.insert("f1".into(), "a7".into());
        assert!(matches!(
            score(&v1, &answers),
            Err(ScoringError::UnknownAnswer { .. })
        ));
        answers.insert("f1".into(), "a0".into());
        answers.insert("zz".into(), "a0".into());
        assert_eq!(
            score(&v1, &answers),
            Err(ScoringError::UnknownFactor("zz".into()))
        );
    }
}
