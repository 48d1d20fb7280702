//! The Beacon cohort: everyone assessed under Operation Beacon, highest band first, with the
//! trend since their previous assessment and when they are next reviewed; the People
//! Intelligence Board list exported from it (an audited disclosure with a justification).

use super::app_command::{CommandQueue, MainCommand};
use super::assessment_form::band_badge_ui;
use super::session::Origin;
use super::session_view::SessionView;
use super::{theme, widgets};
use crate::domain::NominalId;
use crate::risk::{BeaconCohortEntry, BeaconDue, IopcDecision, Trend};
use egui::{RichText, Ui};

/// State of the cohort view.
#[derive(Debug, Default)]
pub struct BeaconCohortView {
    /// The cohort, once the session thread has sent it.
    pub entries: Option<Vec<BeaconCohortEntry>>,
    /// Staff due a Beacon assessment, once sent.
    pub due: Option<Vec<BeaconDue>>,
    requested: bool,
    /// The subject an inspector is acting on, and what they are writing.
    acting: Option<(NominalId, String, CohortStep)>,
    text: String,
    /// The subject opened in the table.
    selected: Option<NominalId>,
}

/// What an inspector is doing to a subject of the cohort.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CohortStep {
    Remove,
    Referred,
    NotReferred,
}

impl BeaconCohortView {
    /// Forgets the cohort (an assessment was saved), so it is read again when shown.
    pub fn invalidate(&mut self) {
        self.requested = false;
        self.entries = None;
        self.due = None;
        self.acting = None;
        self.text.clear();
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
            commands.request(Origin::Risk, super::session::Request::BeaconDue);
        }
        self.due_ui(ui, commands);
        // A copy (a dozen rows): the decisions below change the view while it is drawn.
        let Some(entries) = self.entries.clone() else {
            widgets::busy_ui(ui, "Reading the cohort…");
            return;
        };
        let overdue = entries.iter().filter(|e| e.overdue).count();
        ui.label(format!(
            "{} in the cohort, {overdue} overdue for review",
            entries.len()
        ));
        export_row_ui(ui, !entries.is_empty(), commands);
        if entries.is_empty() {
            ui.label("Nobody has been assessed under Beacon yet.");
            return;
        }
        let may_decide = session.may(crate::domain::Action::RemoveFromBeaconCohort);
        let mut acting = None;
        let mut open = None;
        let mut selected = None;
        // The subject opened: their history, and for an inspector the cohort decisions.
        if let Some(entry) = self
            .selected
            .and_then(|id| entries.iter().find(|e| e.subject == id))
        {
            ui.group(|ui| {
                ui.label(RichText::new(&entry.subject_name).strong());
                if let Some(decision) = &entry.iopc {
                    ui.label(decision.describe());
                }
                ui.horizontal_wrapped(|ui| {
                    if ui
                        .button(format!("Profile of {}", entry.subject_name))
                        .clicked()
                    {
                        commands.send(MainCommand::OpenNominal(entry.subject));
                    }
                    if ui
                        .button(format!("History of {}", entry.subject_name))
                        .clicked()
                    {
                        open = Some((entry.subject, entry.subject_name.clone()));
                    }
                    if may_decide {
                        for (step, words) in [
                            (CohortStep::Remove, "Remove from the cohort"),
                            (CohortStep::Referred, "Referred to the IOPC"),
                            (CohortStep::NotReferred, "Not referred to the IOPC"),
                        ] {
                            if ui
                                .button(format!("{words}: {}", entry.subject_name))
                                .clicked()
                            {
                                acting = Some((entry.subject, entry.subject_name.clone(), step));
                            }
                        }
                    }
                });
            });
        }
        self.step_ui(ui, session, commands);
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
                            "IOPC referral",
                        ] {
                            ui.label(RichText::new(heading).strong());
                        }
                        ui.end_row();
                        for entry in entries {
                            // The subject's name opens them below (history, decisions).
                            if ui
                                .selectable_label(
                                    self.selected == Some(entry.subject),
                                    &entry.subject_name,
                                )
                                .on_hover_text("Open: history and decisions")
                                .clicked()
                            {
                                selected = Some(entry.subject);
                            }
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
                            match &entry.iopc {
                                Some(decision) if decision.referred => {
                                    ui.label(format!("Referred {}", decision.decided_on));
                                }
                                Some(decision) => {
                                    ui.label(format!("Not referred {}", decision.decided_on))
                                        .on_hover_text(&decision.reason);
                                }
                                None => {
                                    ui.label(RichText::new("No decision").color(theme::MUTED));
                                }
                            }
                            ui.end_row();
                        }
                    });
            });
        if let Some(subject) = selected {
            self.selected = Some(subject);
            ui.ctx().request_repaint();
        }
        if let Some((id, name)) = open {
            commands.send(MainCommand::ShowAssessmentHistory(id, name));
        }
        if let Some(chosen) = acting {
            self.acting = Some(chosen);
            self.text.clear();
            ui.ctx().request_repaint();
        }
    }

    /// The removal or IOPC decision being recorded: its rationale or reason, then the button.
    fn step_ui(&mut self, ui: &mut Ui, session: &SessionView, commands: &CommandQueue) {
        let Some((subject, name, step)) = self.acting.clone() else {
            return;
        };
        ui.add_space(theme::ITEM_SPACING);
        ui.group(|ui| {
            let (heading, field, button) = match step {
                CohortStep::Remove => (
                    format!("Remove {name} from the Beacon cohort"),
                    "Rationale for removal",
                    "Remove from the cohort",
                ),
                CohortStep::Referred => (
                    format!("{name}: referred to the IOPC today"),
                    "Note (optional)",
                    "Record the referral",
                ),
                CohortStep::NotReferred => (
                    format!("{name}: not referred to the IOPC"),
                    "Reason for not referring",
                    "Record the decision",
                ),
            };
            ui.label(RichText::new(heading).strong());
            let label = ui.label(field);
            ui.add(
                egui::TextEdit::multiline(&mut self.text)
                    .desired_rows(2)
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(label.id);
            let ready = step == CohortStep::Referred || !self.text.trim().is_empty();
            ui.horizontal(|ui| {
                if ui.add_enabled(ready, egui::Button::new(button)).clicked() {
                    let request = match step {
                        CohortStep::Remove => super::session::Request::RemoveFromCohort {
                            subject,
                            rationale: self.text.trim().to_owned(),
                        },
                        CohortStep::Referred | CohortStep::NotReferred => {
                            super::session::Request::RecordIopcDecision {
                                subject,
                                decision: IopcDecision {
                                    referred: step == CohortStep::Referred,
                                    decided_on: session.today,
                                    reason: self.text.trim().to_owned(),
                                },
                            }
                        }
                    };
                    commands.request(Origin::Risk, request);
                    self.acting = None;
                    self.text.clear();
                }
                if ui.button("Cancel").clicked() {
                    self.acting = None;
                    self.text.clear();
                }
            });
        });
    }

    /// Staff due a Beacon assessment, with the item that put them there.
    fn due_ui(&mut self, ui: &mut Ui, commands: &CommandQueue) {
        let Some(due) = &self.due else {
            return;
        };
        ui.label(RichText::new(format!("Beacon assessment due: {}", due.len())).strong());
        if due.is_empty() {
            ui.label(
                RichText::new(
                    "Nobody: every subject of sexual misconduct intelligence has been assessed \
                     since it was received.",
                )
                .color(theme::MUTED),
            );
        } else {
            let mut open = None;
            egui::ScrollArea::vertical()
                .id_salt("beacon_due_scroll")
                .max_height(200.0)
                .show(ui, |ui| {
                    egui::Grid::new("beacon_due").striped(true).show(ui, |ui| {
                        for heading in ["Subject", "Item", "Received", "Last assessed"] {
                            ui.label(RichText::new(heading).strong());
                        }
                        ui.end_row();
                        for entry in due {
                            ui.label(&entry.subject_name);
                            if ui.link(&entry.item).clicked() {
                                open = Some(entry.item.clone());
                            }
                            ui.label(entry.received_on.to_string());
                            ui.label(
                                entry
                                    .last_assessed_on
                                    .map_or_else(|| String::from("never"), |d| d.to_string()),
                            );
                            ui.end_row();
                        }
                    });
                });
            if let Some(reference) = open {
                commands.send(MainCommand::OpenItem(reference));
            }
        }
        ui.add_space(theme::SECTION_SPACING);
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

/// The PIB list's export button, and what exporting it means.
fn export_row_ui(ui: &mut Ui, enabled: bool, commands: &CommandQueue) {
    ui.horizontal(|ui| {
        if ui
            .add_enabled(enabled, egui::Button::new("Export the PIB list…"))
            .clicked()
        {
            commands.send(MainCommand::ExportPibList);
        }
        ui.label(
            RichText::new("A disclosure: recorded with the session's purpose.").color(theme::MUTED),
        );
    });
}
