//! Risk instrument files (TOML): the shipped defaults in `assets/instruments/` and the versions
//! an inspector publishes. Every problem, from a misspelt field to bands that overlap, is
//! reported with the line it is on.
//!
//! ```toml
//! key = "beacon"                  # stable across versions
//! name = "Operation Beacon"
//! version = 1
//! description = "Default built from public guidance: replace with the force's own."
//! review_days = 90                # next review, unless the band says otherwise
//!
//! [[factors]]
//! key = "contact_after_closure"
//! label = "Contact after the case closed"
//! guidance = "Look-ups, calls or visits after the victim's case closed."
//! weight = 2.5                    # at most two decimal places, zero or more
//! options = [                     # from least to most risk
//!   { key = "none", label = "None found", score = 0 },
//!   { key = "found", label = "Found", score = 4 },
//! ]
//!
//! [[bands]]                       # from (inclusive) to (exclusive; the last one inclusive)
//! label = "Low"
//! from = 0
//! to = 5
//! colour = "#2e7d32"
//! review_days = 180
//!
//! [[rules]]                       # an answer this high puts the subject in this band or above
//! factor = "contact_after_closure"
//! at_least = "found"
//! band = "High"
//! ```

use crate::risk::{
    AnswerOption, Band, BandRule, Factor, Instrument, InstrumentSpec, Location, Points,
};
use serde::Deserialize;
use std::ops::Range;
use toml::Spanned;

/// An instrument file that cannot be used, with where and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{source_name} line {line}: {reason}")]
pub struct InstrumentFileError {
    pub source_name: String,
    pub line: usize,
    pub reason: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawInstrument {
    key: String,
    name: String,
    version: u32,
    description: String,
    review_days: u32,
    factors: Vec<Spanned<RawFactor>>,
    bands: Vec<Spanned<RawBand>>,
    #[serde(default)]
    rules: Vec<Spanned<RawRule>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFactor {
    key: String,
    label: String,
    guidance: String,
    weight: Points,
    options: Vec<Spanned<RawOption>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOption {
    key: String,
    label: String,
    score: i64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBand {
    label: String,
    from: Points,
    to: Points,
    colour: String,
    review_days: Option<u32>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    factor: String,
    at_least: String,
    band: String,
}

/// The line (from 1) of byte `offset` in `text`.
/// Reads and checks an instrument file. `source_name` names it in errors (the file name).
///
/// # Errors
/// TOML syntax, a missing or unknown field, a value of the wrong type (a weight that is not a
/// number with at most two decimal places), or an instrument that fails its checks (answers out
/// of order, bands with a gap or an overlap, a rule naming an unknown factor...), each with its
/// line.
pub fn parse(text: &str, source_name: &str) -> Result<Instrument, InstrumentFileError> {
    let error = |span: Option<Range<usize>>, reason: String| InstrumentFileError {
        source_name: source_name.to_owned(),
        line: span.map_or(1, |span| super::line_of(text, span.start)),
        reason,
    };
    let raw: RawInstrument =
        toml::from_str(text).map_err(|e| error(e.span(), e.message().trim().to_owned()))?;
    let factor_spans: Vec<Range<usize>> = raw.factors.iter().map(Spanned::span).collect();
    let option_spans: Vec<Vec<Range<usize>>> = raw
        .factors
        .iter()
        .map(|f| f.get_ref().options.iter().map(Spanned::span).collect())
        .collect();
    let band_spans: Vec<Range<usize>> = raw.bands.iter().map(Spanned::span).collect();
    let rule_spans: Vec<Range<usize>> = raw.rules.iter().map(Spanned::span).collect();
    let spec = InstrumentSpec {
        key: raw.key,
        name: raw.name,
        version: raw.version,
        description: raw.description,
        review_days: raw.review_days,
        factors: raw
            .factors
            .into_iter()
            .map(|factor| {
                let factor = factor.into_inner();
                Factor {
                    key: factor.key,
                    label: factor.label,
                    guidance: factor.guidance,
                    weight: factor.weight,
                    options: factor
                        .options
                        .into_iter()
                        .map(|option| {
                            let option = option.into_inner();
                            AnswerOption {
                                key: option.key,
                                label: option.label,
                                score: option.score,
                            }
                        })
                        .collect(),
                }
            })
            .collect(),
        bands: raw
            .bands
            .into_iter()
            .map(|band| {
                let band = band.into_inner();
                Band {
                    label: band.label,
                    from: band.from,
                    to: band.to,
                    colour: band.colour,
                    review_days: band.review_days,
                }
            })
            .collect(),
        rules: raw
            .rules
            .into_iter()
            .map(|rule| {
                let rule = rule.into_inner();
                BandRule {
                    factor: rule.factor,
                    at_least: rule.at_least,
                    band: rule.band,
                }
            })
            .collect(),
    };
    Instrument::new(spec).map_err(|invalid| {
        let span = match invalid.location {
            Location::Instrument => None,
            Location::Factor(f) => factor_spans.get(f).cloned(),
            Location::Option { factor, option } => option_spans
                .get(factor)
                .and_then(|spans| spans.get(option))
                .cloned(),
            Location::Band(b) => band_spans.get(b).cloned(),
            Location::Rule(r) => rule_spans.get(r).cloned(),
        };
        error(span, invalid.reason)
    })
}

/// The instruments shipped with the product, compiled into the binary: defaults built from
/// public guidance, to be replaced by the force's own. Every version of each, oldest first: a
/// workbench still on an unchanged earlier shipped version gets the later ones at unlock.
pub const SHIPPED: [(&str, &str); 5] = [
    (
        "beacon-v1.toml",
        include_str!("../../assets/instruments/beacon-v1.toml"),
    ),
    (
        "notifiable-association-v1.toml",
        include_str!("../../assets/instruments/notifiable-association-v1.toml"),
    ),
    (
        "intelligence-priority-v1.toml",
        include_str!("../../assets/instruments/intelligence-priority-v1.toml"),
    ),
    (
        "beacon-v2.toml",
        include_str!("../../assets/instruments/beacon-v2.toml"),
    ),
    (
        "intelligence-priority-v2.toml",
        include_str!("../../assets/instruments/intelligence-priority-v2.toml"),
    ),
];

/// The shipped instruments, parsed.
///
/// # Errors
/// Only if a shipped file is broken, which a unit test rules out.
pub fn shipped() -> Result<Vec<Instrument>, InstrumentFileError> {
    SHIPPED
        .iter()
        .map(|(name, text)| parse(text, name))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::risk::{Answers, score};

    const GOOD: &str = r##"key = "test"
name = "Test instrument"
version = 1
description = "Synthetic."
review_days = 90

[[factors]]
key = "contact"
label = "Contact"
guidance = "Any contact."
weight = 1.5
options = [
  { key = "none", label = "None", score = 0 },
  { key = "some", label = "Some", score = 2 },
]

[[factors]]
key = "access"
label = "Access"
guidance = "Access to systems."
weight = 1
options = [
  { key = "low", label = "Low", score = 0 },
  { key = "high", label = "High", score = 3 },
]

[[bands]]
label = "Low"
from = 0
to = 3
colour = "#2e7d32"

[[bands]]
label = "High"
from = 3
to = 6
colour = "#c62828"
review_days = 14

[[rules]]
factor = "contact"
at_least = "some"
band = "High"
"##;

    fn error_of(text: &str) -> InstrumentFileError {
        parse(text, "test.toml").unwrap_err()
    }

    /// The 1-based line of the first line of `text` containing `needle`.
    fn line_containing(text: &str, needle: &str) -> usize {
        nth_line_containing(text, needle, 0)
    }

    /// The 1-based line of the `n`th (from 0) line of `text` containing `needle`.
    fn nth_line_containing(text: &str, needle: &str, n: usize) -> usize {
        text.lines()
            .enumerate()
            .filter(|(_, l)| l.contains(needle))
            .nth(n)
            .unwrap()
            .0
            + 1
    }

    #[test]
    fn a_good_file_scores_as_written() {
        let instrument = parse(GOOD, "test.toml").unwrap();
        assert_eq!(instrument.score_range(), (Points(0), Points(600)));
        let answers: Answers = [("contact", "none"), ("access", "high")]
            .into_iter()
            .map(|(f, a)| (f.to_owned(), a.to_owned()))
            .collect();
        let scored = score(&instrument, &answers).unwrap();
        assert_eq!(scored.total, Points(300));
        assert_eq!(scored.band, "High");
        assert_eq!(scored.review_days, 14);
    }

    #[test]
    fn an_unknown_factor_in_a_band_rule_is_refused_naming_its_line() {
        let text = GOOD.replace("factor = \"contact\"", "factor = \"contacts\"");
        let error = error_of(&text);
        // A table's problems are reported at its header.
        assert_eq!(error.line, line_containing(&text, "[[rules]]"), "{error}");
        assert!(error.reason.contains("contacts"), "{error}");
        assert!(error.to_string().starts_with("test.toml line "), "{error}");
    }

    #[test]
    fn a_weight_that_does_not_parse_is_refused_naming_its_line() {
        for weight in ["\"heavy\"", "1.505"] {
            let text = GOOD.replace("weight = 1.5", &format!("weight = {weight}"));
            let error = error_of(&text);
            assert_eq!(error.line, line_containing(&text, "weight = "), "{error}");
        }
    }

    #[test]
    fn overlapping_bands_and_gaps_are_refused_naming_the_band() {
        let overlap = GOOD.replace("from = 3\nto = 6", "from = 2\nto = 6");
        let error = error_of(&overlap);
        assert!(error.reason.contains("overlap"), "{error}");
        assert_eq!(error.line, nth_line_containing(&overlap, "[[bands]]", 1));
        let gap = GOOD.replace("from = 3\nto = 6", "from = 4\nto = 6");
        let error = error_of(&gap);
        assert!(error.reason.contains("no band"), "{error}");
        let short = GOOD.replace("to = 6", "to = 5");
        assert!(error_of(&short).reason.contains("can reach 6"));
    }

    #[test]
    fn answers_out_of_order_misspelt_fields_and_bad_syntax_are_refused_with_lines() {
        let unordered = GOOD.replace(
            "{ key = \"high\", label = \"High\", score = 3 }",
            "{ key = \"high\", label = \"High\", score = -1 }",
        );
        let error = error_of(&unordered);
        assert_eq!(
            error.line,
            line_containing(&unordered, "score = -1"),
            "{error}"
        );
        let misspelt = GOOD.replace("guidance = \"Any contact.\"", "guidence = \"Any contact.\"");
        let error = error_of(&misspelt);
        assert!(error.reason.contains("guidence"), "{error}");
        let broken = GOOD.replace("version = 1", "version = ");
        assert_eq!(error_of(&broken).line, 3);
    }

    #[test]
    fn the_shipped_instruments_parse_and_say_they_are_defaults() {
        let instruments = shipped().unwrap();
        let versions: Vec<(&str, u32)> =
            instruments.iter().map(|i| (i.key(), i.version())).collect();
        assert_eq!(
            versions,
            [
                ("beacon", 1),
                ("notifiable_association", 1),
                ("intelligence_priority", 1),
                ("beacon", 2),
                ("intelligence_priority", 2)
            ]
        );
        for instrument in &instruments {
            assert!(
                instrument
                    .spec()
                    .description
                    .to_lowercase()
                    .contains("default"),
                "{}",
                instrument.key()
            );
        }
    }
}
