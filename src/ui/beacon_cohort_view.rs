//! The Beacon cohort: everyone assessed under Operation Beacon, highest band first, with the
//! trend since their previous assessment and when they are next reviewed; the People
//! Intelligence Board list exported from it (an audited disclosure with a justification).

use super::app_command::{CommandQueue, MainCommand};
use super::assessment_form::band_badge_ui;
use super::session::Origin;
use super::session_view::SessionView;
use super::{theme, widgets};
use crate::risk::{BeaconCohortEntry, Trend};
use egui::{RichText, Ui};

/// State of the cohort view.
#[derive(Debug, Default)]
pub struct BeaconCohortView {
    /// The cohort, once the session thread has sent it.
    pub entries: Option<Vec<BeaconCohortEntry>>,
    requested: bool,
}

impl BeaconCohortView {
    /// Forgets the cohort (an assessment was saved), so it is read again when shown.
    pub fn invalidate(&mut self) {
        self.requested = false;
        self.entries = None;
    }

    pub fn ui(&mut self, ui: &mut Ui, session: &SessionView, commands: &CommandQueue) {
        if !self.requested {
            self.requested = true;
            commands.request(
                Origin::Risk,
                super::session::Request::BeaconCohort {
                    as_of: session.today,
                },
            );
        }
        let Some(entries) = &self.entries else {
            widgets::busy_ui(ui, "Reading the cohort…");
            return;
        };
        let overdue = entries.iter().filter(|e| e.overdue).count();
        ui.label(format!(
            "{} in the cohort, {overdue} overdue for review",
            entries.len()
        ));
        ui.horizontal(|ui| {
            if ui
                .add_enabled(
                    !entries.is_empty(),
                    egui::Button::new("Export the PIB list…"),
                )
                .clicked()
            {
                commands.send(MainCommand::ExportPibList);
            }
            ui.label(
                RichText::new("A disclosure: recorded with the session's purpose.")
                    .color(theme::MUTED),
            );
        });
        if entries.is_empty() {
            ui.label("Nobody has been assessed under Beacon yet.");
            return;
        }
        let mut open = None;
        egui::ScrollArea::vertical()
            .id_salt("beacon_cohort")
            .show(ui, |ui| {
                egui::Grid::new("beacon_cohort_table")
                    .striped(true)
                    .num_columns(7)
                    .show(ui, |ui| {
                        for heading in [
                            "Subject",
                            "Band",
                            "Total",
                            "Last assessed",
                            "Trend",
                            "Next review",
                            "",
                        ] {
                            ui.label(RichText::new(heading).strong());
                        }
                        ui.end_row();
                        for entry in entries {
                            ui.label(&entry.subject_name);
                            band_badge_ui(ui, &entry.band, &entry.band_colour);
                            ui.label(entry.total.to_string());
                            ui.label(entry.assessed_on.to_string());
                            ui.label(trend_label(entry.trend));
                            let review = entry.next_review_on.to_string();
                            if entry.overdue {
                                ui.label(
                                    RichText::new(format!("{review} overdue")).color(theme::DANGER),
                                );
                            } else {
                                ui.label(review);
                            }
                            if ui
                                .button(format!("History of {}", entry.subject_name))
                                .clicked()
                            {
                                open = Some((entry.subject, entry.subject_name.clone()));
                            }
                            ui.end_row();
                        }
                    });
            });
        if let Some((id, name)) = open {
            commands.send(MainCommand::ShowAssessmentHistory(id, name));
        }
    }
}

fn trend_label(trend: Trend) -> &'static str {
    match trend {
        Trend::New => "first assessment",
        Trend::Rising => "rising",
        Trend::Falling => "falling",
        Trend::Steady => "steady",
    }
}
