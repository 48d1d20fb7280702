//! The grading asked for when a cross-reference lead or an exposure lead is recorded as
//! intelligence: the 3x5x2 grading and handling code in words, prefilled with the suggestion
//! for that kind of lead, and the conditions when the handling code needs them. Nothing is
//! recorded with a grading nobody chose.

use super::widgets;
use crate::domain::{Grading, ReferenceData, list};
use egui::{RichText, Ui};

/// What the person did with the form this frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GradingFormAnswer {
    /// Still choosing.
    Open,
    /// Record the item with [`GradingForm::grading`].
    Confirmed,
    Cancelled,
}

/// The grading being chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GradingForm {
    source_evaluation: String,
    intelligence_assessment: String,
    handling_code: String,
    conditions: String,
    suggested: String,
}

impl GradingForm {
    /// A form prefilled with `suggested`.
    #[must_use]
    pub fn suggesting(suggested: &Grading) -> Self {
        Self {
            source_evaluation: suggested.source_evaluation.clone(),
            intelligence_assessment: suggested.intelligence_assessment.clone(),
            handling_code: suggested.handling_code.clone(),
            conditions: suggested.handling_conditions.clone().unwrap_or_default(),
            suggested: suggested.short(),
        }
    }

    /// The grading as chosen.
    #[must_use]
    pub fn grading(&self) -> Grading {
        let conditions = self.conditions.trim();
        Grading {
            source_evaluation: self.source_evaluation.clone(),
            intelligence_assessment: self.intelligence_assessment.clone(),
            handling_code: self.handling_code.clone(),
            handling_conditions: (!conditions.is_empty()).then(|| conditions.to_owned()),
        }
    }

    /// The form, with `confirm` as its button's words.
    pub fn ui(
        &mut self,
        ui: &mut Ui,
        reference: &ReferenceData,
        confirm: &str,
    ) -> GradingFormAnswer {
        let mut answer = GradingFormAnswer::Open;
        ui.group(|ui| {
            ui.label(RichText::new("Grade the new intelligence item").strong());
            ui.label(format!(
                "Suggested for this kind of lead: {}. Change it as you judge the intelligence.",
                self.suggested
            ));
            egui::Grid::new("lead_grading")
                .num_columns(2)
                .show(ui, |ui| {
                    for (label, list_name, value) in [
                        (
                            "Source evaluation",
                            list::SOURCE_EVALUATION,
                            &mut self.source_evaluation,
                        ),
                        (
                            "Intelligence assessment",
                            list::INTELLIGENCE_ASSESSMENT,
                            &mut self.intelligence_assessment,
                        ),
                        (
                            "Handling code",
                            list::HANDLING_CODE,
                            &mut self.handling_code,
                        ),
                    ] {
                        widgets::code_combo_ui(ui, label, list_name, value, reference);
                        ui.end_row();
                    }
                    let needs_conditions =
                        reference.handling_requires_conditions(&self.handling_code);
                    if needs_conditions {
                        widgets::labelled_text_ui(
                            ui,
                            "Handling conditions",
                            &mut self.conditions,
                            "required with this handling code",
                        );
                        ui.end_row();
                    }
                });
            let needs_conditions = reference.handling_requires_conditions(&self.handling_code);
            let ready = !needs_conditions || !self.conditions.trim().is_empty();
            ui.horizontal(|ui| {
                if ui
                    .add_enabled(ready, egui::Button::new(confirm))
                    .on_disabled_hover_text("Write the handling conditions first")
                    .clicked()
                {
                    answer = GradingFormAnswer::Confirmed;
                }
                if ui.button("Cancel").clicked() {
                    answer = GradingFormAnswer::Cancelled;
                }
            });
        });
        answer
    }
}
