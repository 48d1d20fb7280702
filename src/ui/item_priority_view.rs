//! An item's priority in the item view (seed 001 s4.6.4: intelligence is prioritised item by
//! item): its latest band, and the form that scores it under the intelligence priority
//! instrument. The THRIVE factors are chosen here in words; the source evaluation and the
//! intelligence assessment are the item's own grading, shown and never asked.

use super::app_command::CommandQueue;
use super::session::{Origin, Request};
use super::{theme, widgets};
use crate::domain::IntelItem;
use crate::risk::{
    Answers, GRADING_FACTORS, Instrument, ItemPriority, grading_answer, grading_code,
};
use egui::{RichText, Ui};

/// The priority section of the item view.
#[derive(Debug, Default)]
pub struct ItemPriorityView {
    /// The item the instrument and history were read for.
    pub reference: Option<String>,
    pub instrument: Option<Instrument>,
    /// Every scoring of the item, oldest first.
    pub history: Vec<ItemPriority>,
    answers: Answers,
    rationale: String,
    /// The form is open.
    scoring: bool,
    /// The item whose priority was asked for (read once each time an item is opened).
    requested_for: Option<String>,
}

impl ItemPriorityView {
    /// The instrument and the item's scorings arrived.
    pub fn apply(&mut self, reference: String, instrument: Instrument, history: Vec<ItemPriority>) {
        if self.reference.as_deref() != Some(reference.as_str()) {
            self.answers.clear();
            self.rationale.clear();
            self.scoring = false;
        }
        self.reference = Some(reference);
        self.instrument = Some(instrument);
        self.history = history;
    }

    /// A scoring was saved: close the form and read the history again.
    pub fn saved(&mut self, commands: &CommandQueue) {
        self.scoring = false;
        self.rationale.clear();
        self.answers.clear();
        if let Some(reference) = self.reference.clone() {
            commands.request(Origin::Item, Request::ItemPriorityForm(reference));
        }
    }

    pub fn ui(&mut self, ui: &mut Ui, item: &IntelItem, may_score: bool, commands: &CommandQueue) {
        ui.label(RichText::new("Priority (THRIVE)").strong());
        if self.reference.as_deref() != Some(item.reference.as_str()) {
            if self.requested_for.as_deref() != Some(item.reference.as_str()) {
                self.requested_for = Some(item.reference.clone());
                commands.request(
                    Origin::Item,
                    Request::ItemPriorityForm(item.reference.clone()),
                );
            }
            widgets::busy_ui(ui, "Reading the priority…");
            return;
        }
        match self.history.last() {
            Some(latest) => ui.label(format!(
                "{} (score {}), scored {}; review by {}",
                latest.score.band, latest.score.total, latest.assessed_on, latest.next_review_on
            )),
            None => ui.label(RichText::new("Not scored yet.").color(theme::MUTED)),
        };
        let Some(instrument) = &self.instrument else {
            return;
        };
        if !may_score {
            return;
        }
        if !self.scoring {
            if ui.button("Score its priority").clicked() {
                self.scoring = true;
            }
            return;
        }
        egui::Grid::new("item_priority_form")
            .num_columns(2)
            .show(ui, |ui| {
                for factor in instrument.factors() {
                    ui.label(&factor.label);
                    if let Some(code) = grading_code(&factor.key, &item.fields.grading) {
                        let answer = grading_answer(factor, code)
                            .and_then(|key| factor.option(key))
                            .map_or("no answer for this grading", |(_, o)| o.label.as_str());
                        ui.label(format!("{answer} (from the item's grading)"));
                    } else {
                        let chosen = self
                            .answers
                            .get(&factor.key)
                            .and_then(|key| factor.option(key))
                            .map_or("choose", |(_, o)| o.label.as_str())
                            .to_owned();
                        let mut value = self.answers.get(&factor.key).cloned();
                        egui::ComboBox::from_id_salt(("priority", factor.key.as_str()))
                            .selected_text(chosen)
                            .show_ui(ui, |ui| {
                                for option in &factor.options {
                                    ui.selectable_value(
                                        &mut value,
                                        Some(option.key.clone()),
                                        &option.label,
                                    );
                                }
                            })
                            .response
                            .widget_info(|| {
                                egui::WidgetInfo::labeled(egui::Role::ComboBox, true, &factor.label)
                            });
                        if let Some(value) = value {
                            self.answers.insert(factor.key.clone(), value);
                        }
                    }
                    ui.end_row();
                }
            });
        let label = ui.label("Rationale for the priority");
        ui.add(
            egui::TextEdit::multiline(&mut self.rationale)
                .desired_rows(2)
                .desired_width(f32::INFINITY),
        )
        .labelled_by(label.id);
        let missing = instrument
            .factors()
            .iter()
            .filter(|f| !GRADING_FACTORS.contains(&f.key.as_str()))
            .filter(|f| !self.answers.contains_key(&f.key))
            .count();
        let ready = missing == 0 && !self.rationale.trim().is_empty();
        ui.horizontal(|ui| {
            if ui
                .add_enabled(ready, egui::Button::new("Save the priority"))
                .on_disabled_hover_text("Answer every factor and give the rationale")
                .clicked()
            {
                commands.request(
                    Origin::Item,
                    Request::PrioritiseItem {
                        reference: item.reference.clone(),
                        answers: self.answers.clone(),
                        rationale: self.rationale.trim().to_owned(),
                    },
                );
            }
            if ui.button("Cancel").clicked() {
                self.scoring = false;
            }
            if missing > 0 {
                widgets::error_ui(ui, &format!("{missing} factor(s) to answer"));
            }
        });
    }
}
