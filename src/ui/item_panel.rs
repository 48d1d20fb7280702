//! One intelligence item: its fields, subjects, status changes, history and attachments.

use super::app_command::{CommandQueue, MainCommand};
use super::session::{Origin, Request};
use super::session_view::SessionView;
use super::{theme, widgets};
use crate::domain::{IntelItem, IntelItemVersion, NominalId, UserId, list};
use crate::store::AttachmentInfo;
use egui::{RichText, Ui};
use std::collections::BTreeMap;

/// State of the item view.
#[derive(Debug, Default)]
pub struct ItemPanel {
    pub item: Option<IntelItem>,
    pub attachments: Vec<AttachmentInfo>,
    pub user_names: BTreeMap<UserId, String>,
    pub subject_names: BTreeMap<NominalId, String>,
    pub history: Option<Vec<IntelItemVersion>>,
    status_reason: String,
    status_error: Option<String>,
    /// An attachment being viewed.
    pub viewing: Option<(AttachmentInfo, Vec<u8>)>,
    /// The item's priority, and the form that scores it.
    pub priority: super::item_priority_view::ItemPriorityView,
}

impl ItemPanel {
    /// Shows a freshly read item (forgets the history and attachment of the previous one).
    pub fn show(
        &mut self,
        item: IntelItem,
        attachments: Vec<AttachmentInfo>,
        user_names: Vec<(UserId, String)>,
        subject_names: Vec<(NominalId, String)>,
    ) {
        self.subject_names = subject_names.into_iter().collect();
        if self.item.as_ref().is_none_or(|old| old.id != item.id) {
            self.viewing = None;
            self.status_reason.clear();
        }
        self.history = None;
        self.item = Some(item);
        self.attachments = attachments;
        self.user_names = user_names.into_iter().collect();
    }

    fn user(&self, id: UserId) -> String {
        self.user_names
            .get(&id)
            .cloned()
            .unwrap_or_else(|| format!("user {id}"))
    }

    pub fn ui(&mut self, ui: &mut Ui, session: &SessionView, commands: &CommandQueue) {
        if ui.button("Back to the log").clicked() {
            commands.send(MainCommand::BackToLog);
        }
        let Some(item) = self.item.clone() else {
            widgets::busy_ui(ui, "Opening the item…");
            return;
        };
        let reference = &session.reference;
        ui.horizontal(|ui| {
            ui.heading(&item.reference);
            ui.label(
                RichText::new(reference.label(list::INTEL_STATUS, &item.status))
                    .strong()
                    .color(theme::ACCENT),
            );
            if ui.button("Edit").clicked() {
                commands.send(MainCommand::EditItem);
            }
            if ui.button("History").clicked() {
                commands.request(Origin::Item, Request::ItemHistory(item.reference.clone()));
            }
        });
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| {
                self.fields_ui(ui, session, &item, commands);
                ui.add_space(theme::SECTION_SPACING);
                let may_score = session.may(crate::domain::Action::Assess);
                self.priority.ui(ui, &item, may_score, commands);
                ui.add_space(theme::SECTION_SPACING);
                self.status_ui(ui, session, &item, commands);
                ui.add_space(theme::SECTION_SPACING);
                self.attachments_ui(ui, &item, commands);
                if let Some(history) = &self.history {
                    ui.add_space(theme::SECTION_SPACING);
                    ui.label(RichText::new("Earlier versions").strong());
                    if history.is_empty() {
                        ui.label(
                            RichText::new("None: the item has not changed.").color(theme::MUTED),
                        );
                    }
                    for version in history {
                        egui::CollapsingHeader::new(format!(
                            "Version {} · replaced {} by {} · {}",
                            version.version,
                            version.replaced_at_utc,
                            self.user(version.replaced_by),
                            version.change
                        ))
                        .id_salt(("version", version.version))
                        .show(ui, |ui| {
                            ui.label(format!("Status: {}", version.item.status));
                            ui.label(format!("Grading: {}", version.item.fields.grading.short()));
                            ui.label(&version.item.fields.narrative);
                        });
                    }
                }
            });
    }

    fn fields_ui(
        &self,
        ui: &mut Ui,
        session: &SessionView,
        item: &IntelItem,
        commands: &CommandQueue,
    ) {
        let reference = &session.reference;
        let fields = &item.fields;
        egui::Grid::new("item_fields")
            .num_columns(2)
            .striped(true)
            .show(ui, |ui| {
                let mut row = |label: &str, value: String| {
                    ui.label(RichText::new(label).color(theme::MUTED));
                    ui.label(value);
                    ui.end_row();
                };
                row("Received", fields.received_on.to_string());
                row(
                    "Source",
                    reference
                        .label(list::SOURCE_TYPE, &fields.source_type)
                        .to_owned(),
                );
                let mut category = reference
                    .label(list::CORRUPTION_CATEGORY, &fields.category)
                    .to_owned();
                if let Some(sub) = &fields.subcategory {
                    category.push_str(" / ");
                    category.push_str(reference.label(list::CORRUPTION_SUBCATEGORY, sub));
                }
                row("Category", category);
                row("Grading (3x5x2)", fields.grading.short());
                if let Some(conditions) = &fields.grading.handling_conditions {
                    row("Handling conditions", conditions.clone());
                }
                if let Some(legacy) = &fields.legacy_grading {
                    row(
                        "5x5x5 (as graded)",
                        format!(
                            "{}{}{} (3x5x2 equivalent {})",
                            legacy.source_evaluation,
                            legacy.intelligence_evaluation,
                            legacy.handling_code,
                            super::item_form::legacy_equivalent_text(legacy, reference)
                        ),
                    );
                }
                row("Owner", self.user(item.owner_id));
                row(
                    "Next review",
                    fields
                        .next_review_on
                        .map_or_else(|| String::from("—"), |d| d.to_string()),
                );
                row(
                    "Version",
                    format!(
                        "{} · reference data v{} · recorded {} by {}",
                        item.version,
                        item.reference_version,
                        item.created_at_utc,
                        self.user(item.created_by)
                    ),
                );
            });
        ui.add_space(theme::ITEM_SPACING);
        ui.label(RichText::new("Narrative").strong());
        ui.label(&fields.narrative);
        ui.add_space(theme::ITEM_SPACING);
        ui.label(RichText::new("Subjects").strong());
        for subject in &fields.subjects {
            ui.horizontal(|ui| {
                ui.label(reference.label(list::SUBJECT_ROLE, &subject.role));
                let name = self
                    .subject_names
                    .get(&subject.nominal_id)
                    .cloned()
                    .unwrap_or_else(|| format!("nominal {}", subject.nominal_id));
                if ui.link(name).clicked() {
                    commands.send(MainCommand::OpenNominal(subject.nominal_id));
                }
            });
        }
    }

    fn status_ui(
        &mut self,
        ui: &mut Ui,
        session: &SessionView,
        item: &IntelItem,
        commands: &CommandQueue,
    ) {
        let next = session.reference.next_statuses(&item.status);
        if next.is_empty() {
            ui.label(RichText::new("Final status: no further change.").color(theme::MUTED));
            return;
        }
        ui.label(RichText::new("Change status").strong());
        widgets::labelled_text_ui(
            ui,
            "Reason for the change",
            &mut self.status_reason,
            "recorded in the history",
        );
        ui.horizontal_wrapped(|ui| {
            for status in next {
                let label = format!(
                    "Move to {}",
                    session.reference.label(list::INTEL_STATUS, status)
                );
                if ui.button(label).clicked() {
                    if self.status_reason.trim().is_empty() {
                        self.status_error = Some(String::from("give a reason for the change"));
                    } else {
                        self.status_error = None;
                        commands.request(
                            Origin::Item,
                            Request::ChangeStatus {
                                reference: item.reference.clone(),
                                to: status.to_owned(),
                                reason: std::mem::take(&mut self.status_reason),
                            },
                        );
                    }
                }
            }
        });
        if let Some(error) = &self.status_error {
            widgets::error_ui(ui, error);
        }
    }

    fn attachments_ui(&mut self, ui: &mut Ui, item: &IntelItem, commands: &CommandQueue) {
        ui.horizontal(|ui| {
            ui.label(RichText::new("Attachments").strong());
            if ui.button("Attach file…").clicked() {
                commands.send(MainCommand::AttachFile(item.reference.clone()));
            }
        });
        if self.attachments.is_empty() {
            ui.label(RichText::new("None.").color(theme::MUTED));
        }
        for info in &self.attachments {
            ui.horizontal(|ui| {
                ui.label(format!("{} · {} bytes · {}", info.file_name, info.size_bytes, info.media_type));
                if ui.button(format!("View {}", info.file_name)).clicked() {
                    commands.request(Origin::Item, Request::ViewAttachment(info.id));
                }
                if ui
                    .button(format!("Save {} to disk…", info.file_name))
                    .on_hover_text("A disclosure: the file leaves the encrypted workbench. Recorded with your purpose.")
                    .clicked()
                {
                    commands.send(MainCommand::SaveAttachment(info.id, info.file_name.clone()));
                }
            });
        }
        if let Some((info, content)) = &self.viewing {
            ui.add_space(theme::ITEM_SPACING);
            ui.label(RichText::new(format!("Viewing {}", info.file_name)).strong());
            match info.media_type.as_str() {
                "image/png" | "image/jpeg" => {
                    ui.add(
                        egui::Image::from_bytes(
                            format!("bytes://attachment-{}", info.id),
                            content.clone(),
                        )
                        .max_width(ui.available_width().min(900.0)),
                    );
                }
                "text/plain" => {
                    egui::ScrollArea::vertical()
                        .id_salt("attachment_text")
                        .max_height(300.0)
                        .show(ui, |ui| {
                            ui.label(String::from_utf8_lossy(content));
                        });
                }
                _ => {
                    ui.label(RichText::new("This kind of file cannot be shown in the workbench; save it to open it elsewhere.").color(theme::MUTED));
                }
            }
            if ui.button("Close the attachment").clicked() {
                self.viewing = None;
                ui.ctx().forget_all_images();
            }
        }
    }
}
