//! The instrument viewer, and the editor inspectors use to publish a new version: every factor's
//! guidance, answers and weight, the bands and the rules, checked as they are typed so only an
//! instrument that scores soundly can be published. Old versions are never changed: an edit is
//! always published as the next version.

use super::app_command::CommandQueue;
use super::session::{Origin, Request};
use super::{theme, widgets};
use crate::risk::{Instrument, InstrumentSpec, Location, Points};
use egui::{RichText, Ui};

/// An instrument being edited: the spec, with the decimal fields as typed.
#[derive(Debug, Clone)]
pub struct InstrumentDraft {
    spec: InstrumentSpec,
    weights: Vec<String>,
    band_from: Vec<String>,
    band_to: Vec<String>,
}

impl InstrumentDraft {
    /// A draft of the version after `instrument`'s newest (`next_version`).
    #[must_use]
    pub fn from_instrument(instrument: &Instrument, next_version: u32) -> Self {
        let mut spec = instrument.spec().clone();
        spec.version = next_version;
        Self {
            weights: spec.factors.iter().map(|f| f.weight.to_string()).collect(),
            band_from: spec.bands.iter().map(|b| b.from.to_string()).collect(),
            band_to: spec.bands.iter().map(|b| b.to.to_string()).collect(),
            spec,
        }
    }

    /// The draft as a checked instrument, or the first problem (with where it is).
    ///
    /// # Errors
    /// A decimal that does not parse, or an instrument that fails its checks.
    pub fn build(&self) -> Result<Instrument, String> {
        let mut spec = self.spec.clone();
        for (index, (factor, text)) in spec.factors.iter_mut().zip(&self.weights).enumerate() {
            factor.weight = parse_points(text)
                .ok_or_else(|| format!("factor {}: the weight is not a number", index + 1))?;
        }
        for (index, band) in spec.bands.iter_mut().enumerate() {
            band.from = parse_points(&self.band_from[index])
                .ok_or_else(|| format!("band {}: \"from\" is not a number", index + 1))?;
            band.to = parse_points(&self.band_to[index])
                .ok_or_else(|| format!("band {}: \"to\" is not a number", index + 1))?;
        }
        Instrument::new(spec).map_err(|invalid| {
            let place = match invalid.location {
                Location::Instrument => String::from("the instrument"),
                Location::Factor(f) => format!("factor {}", f + 1),
                Location::Option { factor, option } => {
                    format!("factor {}, answer {}", factor + 1, option + 1)
                }
                Location::Band(b) => format!("band {}", b + 1),
                Location::Rule(r) => format!("rule {}", r + 1),
            };
            format!("{place}: {}", invalid.reason)
        })
    }
}

/// A decimal with at most two places, as instrument files write weights and bounds.
fn parse_points(text: &str) -> Option<Points> {
    text.trim()
        .parse::<f64>()
        .ok()
        .and_then(Points::from_decimal)
}

/// State of the Instruments view.
#[derive(Debug, Default)]
pub struct InstrumentEditor {
    /// The version open in the viewer.
    pub viewing: Option<Instrument>,
    /// The new version being edited (inspectors).
    pub draft: Option<InstrumentDraft>,
    /// Set while the session thread publishes.
    pub publishing: bool,
}

impl InstrumentEditor {
    /// The version was published: the draft is done.
    pub fn published(&mut self) {
        self.draft = None;
        self.publishing = false;
    }

    /// Shows the open version, or the draft when editing. `newest` is the newest version
    /// number of the open instrument's key; `may_publish` says whether the user is an inspector.
    pub fn ui(
        &mut self,
        ui: &mut Ui,
        newest: Option<u32>,
        may_publish: bool,
        commands: &CommandQueue,
    ) {
        if self.draft.is_some() {
            self.draft_ui(ui, commands);
            return;
        }
        let Some(instrument) = &self.viewing else {
            ui.label(RichText::new("Open a version to see it.").color(theme::MUTED));
            return;
        };
        if may_publish
            && let Some(newest) = newest
            && ui
                .button(format!("Edit as version {}", newest + 1))
                .clicked()
        {
            self.draft = Some(InstrumentDraft::from_instrument(instrument, newest + 1));
            return;
        }
        view_ui(ui, instrument);
    }

    fn draft_ui(&mut self, ui: &mut Ui, commands: &CommandQueue) {
        let Some(draft) = &mut self.draft else {
            return;
        };
        ui.label(
            RichText::new(format!(
                "New version {} of {} (the versions before it are kept)",
                draft.spec.version, draft.spec.key
            ))
            .strong(),
        );
        let checked = draft.build();
        let mut discard = false;
        ui.horizontal(|ui| {
            let publish = ui.add_enabled(
                checked.is_ok() && !self.publishing,
                egui::Button::new(format!("Publish version {}", draft.spec.version)),
            );
            if publish.clicked()
                && let Ok(instrument) = &checked
            {
                self.publishing = true;
                commands.request(
                    Origin::Risk,
                    Request::PublishInstrument(Box::new(instrument.clone())),
                );
            }
            discard = ui.button("Discard the draft").clicked();
        });
        match &checked {
            Ok(_) => {
                ui.label(RichText::new("Checked: ready to publish.").color(theme::OK));
            }
            Err(problem) => widgets::error_ui(ui, &format!("Cannot publish: {problem}")),
        }
        ui.add_space(theme::ITEM_SPACING);
        egui::ScrollArea::vertical()
            .id_salt("instrument_draft")
            .show(ui, |ui| edit_ui(ui, draft));
        if discard {
            self.draft = None;
        }
    }
}

fn edit_ui(ui: &mut Ui, draft: &mut InstrumentDraft) {
    widgets::labelled_text_ui(ui, "Instrument name", &mut draft.spec.name, "");
    let label = ui.label("Description");
    ui.add(
        egui::TextEdit::multiline(&mut draft.spec.description)
            .desired_rows(2)
            .desired_width(f32::INFINITY),
    )
    .labelled_by(label.id);
    ui.horizontal(|ui| {
        let label = ui.label("Default review interval (days)");
        ui.add(egui::DragValue::new(&mut draft.spec.review_days).range(1..=3650))
            .labelled_by(label.id);
    });
    for (index, factor) in draft.spec.factors.iter_mut().enumerate() {
        let number = index + 1;
        ui.add_space(theme::ITEM_SPACING);
        egui::CollapsingHeader::new(format!("Factor {number}: {}", factor.label))
            .id_salt(("draft_factor", index))
            .default_open(true)
            .show(ui, |ui| {
                widgets::labelled_text_ui(
                    ui,
                    &format!("Factor {number} label"),
                    &mut factor.label,
                    "",
                );
                let label = ui.label(format!("Factor {number} guidance"));
                ui.add(
                    egui::TextEdit::multiline(&mut factor.guidance)
                        .desired_rows(2)
                        .desired_width(f32::INFINITY),
                )
                .labelled_by(label.id);
                widgets::labelled_text_ui(
                    ui,
                    &format!("Factor {number} weight"),
                    &mut draft.weights[index],
                    "e.g. 1.5",
                );
                for (o, option) in factor.options.iter_mut().enumerate() {
                    ui.horizontal(|ui| {
                        let name = format!("Factor {number} answer {}", o + 1);
                        let label = ui.label(&name);
                        ui.add(
                            egui::TextEdit::singleline(&mut option.label)
                                .desired_width(theme::FIELD_WIDTH),
                        )
                        .labelled_by(label.id);
                        let label = ui.label(format!("{name} score"));
                        ui.add(egui::DragValue::new(&mut option.score).range(-1000..=1000))
                            .labelled_by(label.id);
                    });
                }
            });
    }
    ui.add_space(theme::SECTION_SPACING);
    ui.label(
        RichText::new("Bands (from inclusive, to exclusive; the last includes its top)").strong(),
    );
    for (index, band) in draft.spec.bands.iter_mut().enumerate() {
        let number = index + 1;
        ui.horizontal(|ui| {
            let swatch = theme::colour_from_hex(&band.colour);
            let (rect, _) = ui.allocate_exact_size(egui::vec2(14.0, 14.0), egui::Sense::hover());
            ui.painter().rect_filled(rect, 2.0, swatch);
            for (label, value, width) in [
                (format!("Band {number} label"), &mut band.label, 120.0),
                (
                    format!("Band {number} from"),
                    &mut draft.band_from[index],
                    60.0,
                ),
                (format!("Band {number} to"), &mut draft.band_to[index], 60.0),
                (format!("Band {number} colour"), &mut band.colour, 70.0),
            ] {
                let label = ui.label(label);
                ui.add(egui::TextEdit::singleline(value).desired_width(width))
                    .labelled_by(label.id);
            }
        });
    }
    if !draft.spec.rules.is_empty() {
        ui.add_space(theme::ITEM_SPACING);
        ui.label(RichText::new("Rules (edit in a file to change them)").strong());
        for rule in &draft.spec.rules {
            ui.label(format!(
                "{} at \"{}\" or higher puts the subject in {} or above",
                rule.factor, rule.at_least, rule.band
            ));
        }
    }
}

/// An instrument read-only: what every assessor sees.
fn view_ui(ui: &mut Ui, instrument: &Instrument) {
    let spec = instrument.spec();
    ui.label(RichText::new(format!("{} (version {})", spec.name, spec.version)).strong());
    ui.label(RichText::new(&spec.description).color(theme::MUTED));
    ui.label(format!(
        "Default review interval: {} days",
        spec.review_days
    ));
    egui::ScrollArea::vertical()
        .id_salt("instrument_view")
        .show(ui, |ui| {
            for factor in &spec.factors {
                ui.add_space(theme::ITEM_SPACING);
                ui.label(
                    RichText::new(format!("{} (weight {})", factor.label, factor.weight)).strong(),
                );
                ui.label(RichText::new(&factor.guidance).color(theme::MUTED).small());
                for option in &factor.options {
                    ui.label(format!("  {} = {}", option.label, option.score));
                }
            }
            ui.add_space(theme::SECTION_SPACING);
            ui.label(RichText::new("Bands").strong());
            for band in &spec.bands {
                ui.horizontal(|ui| {
                    super::assessment_form::band_badge_ui(ui, &band.label, &band.colour);
                    ui.label(format!(
                        "{} to {}; review every {} days",
                        band.from,
                        band.to,
                        band.review_days.unwrap_or(spec.review_days)
                    ));
                });
            }
            for rule in &spec.rules {
                ui.label(format!(
                    "Rule: {} at \"{}\" or higher puts the subject in {} or above",
                    rule.factor, rule.at_least, rule.band
                ));
            }
        });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn beacon() -> Instrument {
        crate::io::instrument_file::shipped()
            .unwrap()
            .into_iter()
            .find(|i| i.key() == "beacon")
            .unwrap()
    }

    #[test]
    fn an_unchanged_draft_builds_as_the_next_version() {
        let instrument = beacon();
        let draft = InstrumentDraft::from_instrument(&instrument, 2);
        let built = draft.build().unwrap();
        assert_eq!(built.version(), 2);
        assert_eq!(built.factors(), instrument.factors());
        assert_eq!(built.bands(), instrument.bands());
    }

    #[test]
    fn a_weight_that_does_not_parse_is_named_by_factor() {
        let mut draft = InstrumentDraft::from_instrument(&beacon(), 2);
        draft.weights[1] = String::from("heavy");
        assert_eq!(
            draft.build().unwrap_err(),
            "factor 2: the weight is not a number"
        );
    }

    #[test]
    fn a_gap_between_bands_is_refused_naming_the_band() {
        let mut draft = InstrumentDraft::from_instrument(&beacon(), 2);
        let to: f64 = draft.band_to[0].parse().unwrap();
        draft.band_to[0] = format!("{}", to - 1.0);
        let problem = draft.build().unwrap_err();
        assert!(problem.starts_with("band "), "{problem}");
    }
}
