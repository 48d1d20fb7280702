//! A risk instrument as versioned data: factors with guidance and ordered answers, weights, the
//! bands a total falls into, and rules that raise the band whatever the total. The head of CCU
//! revises instruments; every assessment keeps the version that scored it, so a score can be
//! explained at a hearing years later.

use super::Points;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// One answer a factor may take. Answers are listed from least to most risk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnswerOption {
    pub key: String,
    pub label: String,
    /// Points before the factor's weight.
    pub score: i64,
}

/// One thing the assessor judges.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Factor {
    pub key: String,
    pub label: String,
    /// What to look for and how to choose the answer.
    pub guidance: String,
    /// Multiplies the answer's score.
    pub weight: Points,
    pub options: Vec<AnswerOption>,
}

impl Factor {
    /// The answer with this key and its place in the order.
    #[must_use]
    pub fn option(&self, key: &str) -> Option<(usize, &AnswerOption)> {
        self.options.iter().enumerate().find(|(_, o)| o.key == key)
    }
}

/// A range of totals: from `from` (inclusive) to `to` (exclusive; the last band's `to` is
/// inclusive, so the highest total has a band).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Band {
    pub label: String,
    pub from: Points,
    pub to: Points,
    /// `#rrggbb`, shown with the score.
    pub colour: String,
    /// Days to the next review for a subject in this band (the instrument's default if none).
    pub review_days: Option<u32>,
}

/// "An answer at or above `at_least` for `factor` puts the subject in `band` or higher, whatever
/// the total": a single warning sign can be enough (contact that goes on after a case closed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BandRule {
    pub factor: String,
    pub at_least: String,
    pub band: String,
}

/// An instrument as written: checked by [`Instrument::new`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstrumentSpec {
    /// Stable name across versions (`beacon`, `notifiable_association`...).
    pub key: String,
    pub name: String,
    pub version: u32,
    /// Where it comes from and what it is for (a shipped default says it is one).
    pub description: String,
    pub review_days: u32,
    pub factors: Vec<Factor>,
    pub bands: Vec<Band>,
    pub rules: Vec<BandRule>,
}

/// What part of an instrument a problem is in, so a file reader can name its line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    Instrument,
    Factor(usize),
    Option { factor: usize, option: usize },
    Band(usize),
    Rule(usize),
}

/// A problem that makes an instrument unusable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{reason}")]
pub struct InstrumentInvalid {
    pub location: Location,
    pub reason: String,
}

fn invalid(location: Location, reason: impl Into<String>) -> InstrumentInvalid {
    InstrumentInvalid {
        location,
        reason: reason.into(),
    }
}

/// A checked instrument: every factor has answers in rising order of risk and a weight of zero
/// or more (so a riskier answer never lowers the score), and the bands cover every total it can
/// produce, without gaps or overlaps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "InstrumentSpec", into = "InstrumentSpec")]
pub struct Instrument {
    spec: InstrumentSpec,
}

impl TryFrom<InstrumentSpec> for Instrument {
    type Error = InstrumentInvalid;

    fn try_from(spec: InstrumentSpec) -> Result<Self, Self::Error> {
        Self::new(spec)
    }
}

impl From<Instrument> for InstrumentSpec {
    fn from(instrument: Instrument) -> Self {
        instrument.spec
    }
}

fn is_key(text: &str) -> bool {
    !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

fn is_colour(text: &str) -> bool {
    text.len() == 7 && text.starts_with('#') && text[1..].chars().all(|c| c.is_ascii_hexdigit())
}

impl Instrument {
    /// Checks `spec`.
    ///
    /// # Errors
    /// The first problem found, with where it is.
    pub fn new(spec: InstrumentSpec) -> Result<Self, InstrumentInvalid> {
        use Location as L;
        if !is_key(&spec.key) {
            return Err(invalid(
                L::Instrument,
                "the key must be lower-case letters, digits and underscores",
            ));
        }
        if spec.name.trim().is_empty() {
            return Err(invalid(L::Instrument, "the name is empty"));
        }
        if spec.version == 0 {
            return Err(invalid(L::Instrument, "versions start at 1"));
        }
        if spec.factors.is_empty() {
            return Err(invalid(
                L::Instrument,
                "an instrument needs at least one factor",
            ));
        }
        let mut factor_keys = BTreeSet::new();
        for (f, factor) in spec.factors.iter().enumerate() {
            if !is_key(&factor.key) {
                return Err(invalid(
                    L::Factor(f),
                    "a factor key must be lower-case letters, digits and underscores",
                ));
            }
            if !factor_keys.insert(factor.key.as_str()) {
                return Err(invalid(
                    L::Factor(f),
                    format!("factor {} appears twice", factor.key),
                ));
            }
            if factor.weight.0 < 0 {
                return Err(invalid(
                    L::Factor(f),
                    format!("factor {}: a weight cannot be negative", factor.key),
                ));
            }
            if factor.options.len() < 2 {
                return Err(invalid(
                    L::Factor(f),
                    format!("factor {} needs at least two answers", factor.key),
                ));
            }
            let mut option_keys = BTreeSet::new();
            for (o, option) in factor.options.iter().enumerate() {
                let at = L::Option {
                    factor: f,
                    option: o,
                };
                if !is_key(&option.key) {
                    return Err(invalid(
                        at,
                        "an answer key must be lower-case letters, digits and underscores",
                    ));
                }
                if !option_keys.insert(option.key.as_str()) {
                    return Err(invalid(
                        at,
                        format!("factor {}: answer {} appears twice", factor.key, option.key),
                    ));
                }
                if o > 0 && option.score < factor.options[o - 1].score {
                    return Err(invalid(
                        at,
                        format!(
                            "factor {}: answers go from least to most risk, but {} scores less \
                             than {}",
                            factor.key,
                            option.key,
                            factor.options[o - 1].key
                        ),
                    ));
                }
            }
        }
        let instrument = Self { spec };
        instrument.check_bands()?;
        instrument.check_rules()?;
        Ok(instrument)
    }

    fn check_bands(&self) -> Result<(), InstrumentInvalid> {
        use Location as L;
        let bands = &self.spec.bands;
        if bands.is_empty() {
            return Err(invalid(
                L::Instrument,
                "an instrument needs at least one band",
            ));
        }
        let (lowest, highest) = self.score_range();
        let mut labels = BTreeSet::new();
        for (b, band) in bands.iter().enumerate() {
            if band.label.trim().is_empty() {
                return Err(invalid(L::Band(b), "a band needs a label"));
            }
            if !labels.insert(band.label.as_str()) {
                return Err(invalid(
                    L::Band(b),
                    format!("band {} appears twice", band.label),
                ));
            }
            if !is_colour(&band.colour) {
                return Err(invalid(
                    L::Band(b),
                    format!("band {}: the colour must be #rrggbb", band.label),
                ));
            }
            if band.from >= band.to {
                return Err(invalid(
                    L::Band(b),
                    format!("band {}: from must be below to", band.label),
                ));
            }
            if b == 0 && band.from > lowest {
                return Err(invalid(
                    L::Band(b),
                    format!(
                        "the bands start at {} but a total can be as low as {lowest}",
                        band.from
                    ),
                ));
            }
            if b > 0 {
                let previous = &bands[b - 1];
                if band.from > previous.to {
                    return Err(invalid(
                        L::Band(b),
                        format!(
                            "totals from {} to {} have no band (a gap between {} and {})",
                            previous.to, band.from, previous.label, band.label
                        ),
                    ));
                }
                if band.from < previous.to {
                    return Err(invalid(
                        L::Band(b),
                        format!(
                            "bands {} and {} overlap (from {} to {})",
                            previous.label, band.label, band.from, previous.to
                        ),
                    ));
                }
            }
        }
        if let Some(last) = bands.last()
            && last.to < highest
        {
            return Err(invalid(
                L::Band(bands.len() - 1),
                format!(
                    "the bands end at {} but a total can reach {highest}",
                    last.to
                ),
            ));
        }
        Ok(())
    }

    fn check_rules(&self) -> Result<(), InstrumentInvalid> {
        for (r, rule) in self.spec.rules.iter().enumerate() {
            let at = Location::Rule(r);
            let Some(factor) = self.factor(&rule.factor) else {
                return Err(invalid(
                    at,
                    format!(
                        "the rule names factor {}, which is not in the instrument",
                        rule.factor
                    ),
                ));
            };
            if factor.option(&rule.at_least).is_none() {
                return Err(invalid(
                    at,
                    format!(
                        "the rule names answer {} of factor {}, which has no such answer",
                        rule.at_least, rule.factor
                    ),
                ));
            }
            if self.band_index(&rule.band).is_none() {
                return Err(invalid(
                    at,
                    format!(
                        "the rule names band {}, which is not in the instrument",
                        rule.band
                    ),
                ));
            }
        }
        Ok(())
    }

    #[must_use]
    pub fn spec(&self) -> &InstrumentSpec {
        &self.spec
    }

    #[must_use]
    pub fn key(&self) -> &str {
        &self.spec.key
    }

    #[must_use]
    pub fn version(&self) -> u32 {
        self.spec.version
    }

    #[must_use]
    pub fn factors(&self) -> &[Factor] {
        &self.spec.factors
    }

    #[must_use]
    pub fn bands(&self) -> &[Band] {
        &self.spec.bands
    }

    #[must_use]
    pub fn rules(&self) -> &[BandRule] {
        &self.spec.rules
    }

    #[must_use]
    pub fn factor(&self, key: &str) -> Option<&Factor> {
        self.spec.factors.iter().find(|f| f.key == key)
    }

    #[must_use]
    pub fn band_index(&self, label: &str) -> Option<usize> {
        self.spec.bands.iter().position(|b| b.label == label)
    }

    /// The lowest and highest totals the instrument can give.
    #[must_use]
    pub fn score_range(&self) -> (Points, Points) {
        let mut low = Points(0);
        let mut high = Points(0);
        for factor in &self.spec.factors {
            let scores = factor.options.iter().map(|o| factor.weight.times(o.score));
            low = low + scores.clone().min().unwrap_or(Points(0));
            high = high + scores.max().unwrap_or(Points(0));
        }
        (low, high)
    }

    /// The band a total falls in (the last band includes its upper end).
    #[must_use]
    pub fn band_for(&self, total: Points) -> usize {
        let bands = &self.spec.bands;
        bands
            .iter()
            .position(|b| b.from <= total && total < b.to)
            .unwrap_or(bands.len().saturating_sub(1))
    }
}
