//! The control strategy the threat assessment ends with (seed 000 §5): shown to everyone, and
//! edited row by row by analysts and inspectors, saved whole through the session thread.

use super::app_command::CommandQueue;
use super::session::{Origin, Request};
use super::session_view::SessionView;
use super::widgets;
use crate::domain::Action;
use crate::risk::threat_assessment::ControlStrategyRow;
use egui::{RichText, Ui};

/// State of the control strategy section.
#[derive(Debug, Default)]
pub struct ControlStrategyEditor {
    /// The rows as stored, once read.
    pub stored: Option<Vec<ControlStrategyRow>>,
    requested: bool,
    /// The rows being edited, until saved or dropped.
    pub editing: Option<Vec<ControlStrategyRow>>,
    pub saving: bool,
}

/// The control strategy as a table (here, and in the assessment shown).
pub fn control_strategy_table_ui(ui: &mut Ui, id: &str, rows: &[ControlStrategyRow]) {
    egui::Grid::new(id)
        .striped(true)
        .num_columns(4)
        .show(ui, |ui| {
            for title in ["Priority", "Intervention", "Protection", "Prevention"] {
                ui.label(RichText::new(title).strong());
            }
            ui.end_row();
            for row in rows {
                ui.label(&row.priority);
                ui.label(&row.intervention);
                ui.label(&row.protection);
                ui.label(&row.prevention);
                ui.end_row();
            }
        });
}

impl ControlStrategyEditor {
    /// The rows as stored (read, or read again after a save, which ends the edit).
    pub fn read(&mut self, rows: Vec<ControlStrategyRow>) {
        if self.saving {
            self.saving = false;
            self.editing = None;
        }
        self.stored = Some(rows);
    }

    /// A request failed: a save in progress stops, the edit stays open.
    pub fn failed(&mut self) {
        self.saving = false;
    }
}

impl ControlStrategyEditor {
    /// The control strategy: shown, and for analysts and inspectors edited row by row.
    pub fn ui(&mut self, ui: &mut Ui, session: &SessionView, commands: &CommandQueue) {
        if !self.requested {
            self.requested = true;
            commands.request(Origin::Reports, Request::ControlStrategy);
        }
        if let Some(rows) = &mut self.editing {
            let mut remove = None;
            for (index, row) in rows.iter_mut().enumerate() {
                let n = index + 1;
                ui.separator();
                widgets::labelled_text_ui(ui, &format!("Priority {n}"), &mut row.priority, "");
                widgets::labelled_text_ui(
                    ui,
                    &format!("Intervention {n}"),
                    &mut row.intervention,
                    "",
                );
                widgets::labelled_text_ui(ui, &format!("Protection {n}"), &mut row.protection, "");
                widgets::labelled_text_ui(ui, &format!("Prevention {n}"), &mut row.prevention, "");
                if ui.button(format!("Remove row {n}")).clicked() {
                    remove = Some(index);
                }
            }
            if let Some(index) = remove {
                rows.remove(index);
            }
            ui.separator();
            let saving = self.saving;
            let mut save = false;
            let mut stop = false;
            ui.horizontal(|ui| {
                if ui.button("Add a row").clicked() {
                    rows.push(ControlStrategyRow::default());
                }
                save = ui
                    .add_enabled(!saving, egui::Button::new("Save the control strategy"))
                    .clicked();
                stop = ui.button("Stop editing").clicked();
            });
            if save {
                self.saving = true;
                commands.request(Origin::Reports, Request::SetControlStrategy(rows.clone()));
            }
            if stop {
                self.editing = None;
            }
            return;
        }
        let Some(rows) = &self.stored else {
            widgets::busy_ui(ui, "Reading the control strategy…");
            return;
        };
        if rows.is_empty() {
            ui.label("Not yet set.");
        }
        control_strategy_table_ui(ui, "control_strategy", rows);
        if Action::WriteThreatAssessment.is_permitted_for(session.user.role)
            && ui.button("Edit the control strategy").clicked()
        {
            self.editing = Some(rows.clone());
        }
    }
}
