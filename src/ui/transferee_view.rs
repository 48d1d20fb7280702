//! The transferee information package in the Reports area: find the member of staff who is
//! moving to another force, preview exactly what their package would disclose (the employee,
//! how many records each section holds, each intelligence item's reference and handling code,
//! and a handling-code C item's conditions), then choose where to write it, or cancel and write
//! nothing. The session thread gathers and writes the package; this view only asks and shows.

use super::app_command::{CommandQueue, MainCommand};
use super::session::{Origin, Request, SearchOwner};
use super::{theme, widgets};
use crate::domain::TransfereePackage;
use crate::domain::{NominalId, NominalKind, SearchHit, SearchQuery, SearchTarget};
use egui::{RichText, Ui};

/// The label of the search field (tests find it by this name).
const FIND_LABEL: &str = "Find the transferring employee";

/// State of the transferee package section.
#[derive(Debug, Default)]
pub struct TransfereeView {
    /// The employee chosen: id and display name.
    pub employee: Option<(NominalId, String)>,
    query: String,
    last_query: String,
    /// The search number whose answer fills the suggestions.
    pub search: Option<u64>,
    pub hits: Vec<SearchHit>,
    /// A preview was asked for and has not come back.
    pub waiting: bool,
    /// The package as the session thread gathered it, shown in the preview until it is
    /// exported or cancelled. Boxed: it holds every record of the section it previews.
    pub preview: Option<Box<TransfereePackage>>,
    /// Who the package is for, typed in the preview (recorded with the disclosure).
    pub recipient: String,
    /// The C items' conditions were checked and allow this release.
    pub confirm_c_items: bool,
    /// An inspector asked for the items left out by default (assessed E, no further action).
    pub include_left_out: bool,
}

impl TransfereeView {
    /// The session thread gathered the package: open the preview, unless another employee
    /// was chosen meanwhile (the preview must be of the employee shown).
    pub fn previewed(&mut self, package: Box<TransfereePackage>) {
        self.waiting = false;
        if self
            .employee
            .as_ref()
            .is_some_and(|(id, _)| *id == package.employee.id)
        {
            self.preview = Some(package);
        }
    }

    /// A request failed: stop waiting (the notice says why).
    pub fn failed(&mut self) {
        self.waiting = false;
    }

    /// The section: the employee, the search to choose one, the preview button; for an
    /// inspector (`may_include`), the switch that includes what a package leaves out by default.
    pub fn ui(&mut self, ui: &mut Ui, may_include: bool, commands: &CommandQueue) {
        ui.label(
            RichText::new(
                "What the CCU holds on a member of staff moving to another force, for its \
                 counter corruption unit: their record, performance, sickness and complaints, \
                 business interests, notifiable associations and the intelligence of which \
                 they are a subject.",
            )
            .color(theme::MUTED),
        );
        ui.horizontal(|ui| {
            ui.label("Employee:");
            match &self.employee {
                Some((_, name)) => ui.label(RichText::new(name.as_str()).strong()),
                None => ui.label(RichText::new("none chosen").color(theme::MUTED)),
            };
        });
        widgets::labelled_text_ui(ui, FIND_LABEL, &mut self.query, "name, staff number…");
        let text = self.query.trim().to_owned();
        if text.chars().count() >= 2 && text != self.last_query {
            self.last_query.clone_from(&text);
            self.hits.clear();
            commands.send(MainCommand::Search(
                SearchOwner::Transferee,
                SearchQuery {
                    text,
                    nominals_only: true,
                    nominal_kind: Some(NominalKind::Employee),
                    limit: Some(8),
                    ..SearchQuery::default()
                },
            ));
        }
        let mut picked = None;
        ui.horizontal_wrapped(|ui| {
            for hit in &self.hits {
                let SearchTarget::Nominal { id } = hit.target else {
                    continue;
                };
                if ui.button(format!("Transferee: {}", hit.title)).clicked() {
                    picked = Some((id, hit.title.clone()));
                }
            }
        });
        if let Some(choice) = picked {
            self.employee = Some(choice);
            self.preview = None;
            self.query.clear();
            self.last_query.clear();
            self.hits.clear();
        }
        if may_include {
            ui.checkbox(
                &mut self.include_left_out,
                "Include the items left out by default (assessed E, or closed with no further action)",
            );
        } else {
            self.include_left_out = false;
        }
        let ready = self.employee.is_some() && !self.waiting;
        if ui
            .add_enabled(ready, egui::Button::new("Preview transferee package"))
            .clicked()
            && let Some((id, _)) = &self.employee
        {
            self.waiting = true;
            self.preview = None;
            let request = if self.include_left_out {
                Request::TransfereePackageWithLeftOut(*id)
            } else {
                Request::TransfereePackage(*id)
            };
            commands.request(Origin::Reports, request);
        }
        if self.waiting {
            widgets::busy_ui(ui, "Gathering the package…");
        }
    }

    /// The preview window, while a package is previewed: what will leave, then export or
    /// cancel. Drawn outside the section, so it stays open whatever is folded.
    pub fn preview_ui(&mut self, ui: &mut Ui, commands: &CommandQueue) {
        let Some(package) = &self.preview else {
            return;
        };
        let mut close = false;
        egui::Window::new("Transferee package preview")
            .collapsible(false)
            .resizable(true)
            .show(ui.ctx(), |ui| {
                ui.label(RichText::new("What the transferee package will disclose").strong());
                ui.label(format!(
                    "Employee: {}",
                    package.employee.details.display_name()
                ));
                ui.label(
                    "One HTML page for the receiving force's counter corruption unit, holding:",
                );
                for line in section_counts(package) {
                    ui.label(line);
                }
                if !package.intelligence.is_empty() {
                    ui.add_space(theme::ITEM_SPACING);
                    ui.label(RichText::new("Intelligence items and their handling").strong());
                    egui::ScrollArea::vertical()
                        .id_salt("transferee_items")
                        .max_height(240.0)
                        .show(ui, |ui| {
                            for item in &package.intelligence {
                                let grading = &item.fields.grading;
                                ui.label(format!(
                                    "{}: handling code {}",
                                    item.reference, grading.handling_code
                                ));
                                if let Some(conditions) = &grading.handling_conditions {
                                    ui.indent(("conditions", item.id), |ui| {
                                        ui.label(
                                            RichText::new(format!(
                                                "Conditions ({}): {conditions}",
                                                grading.handling_code
                                            ))
                                            .color(theme::WARNING),
                                        );
                                    });
                                }
                            }
                        });
                }
                ui.label(
                    RichText::new(
                        "Each item leaves with its narrative and grading; a code C item's \
                         conditions are printed inside its own section. The export is recorded \
                         in the audit log with the session's purpose, the file's size and its \
                         SHA-256.",
                    )
                    .color(theme::MUTED),
                );
                let c_items = package
                    .intelligence
                    .iter()
                    .filter(|item| item.fields.grading.handling_code == "C")
                    .count();
                egui::Grid::new("transferee_release").num_columns(2).show(ui, |ui| {
                    super::widgets::labelled_text_ui(
                        ui,
                        "Recipient",
                        &mut self.recipient,
                        "the receiving unit's head, or a post",
                    );
                    ui.end_row();
                });
                if c_items > 0 {
                    ui.checkbox(
                        &mut self.confirm_c_items,
                        format!(
                            "{c_items} item(s) have handling code C: I have checked their conditions allow this release"
                        ),
                    );
                }
                let ready = !self.recipient.trim().is_empty()
                    && (c_items == 0 || self.confirm_c_items);
                ui.horizontal(|ui| {
                    if ui
                        .add_enabled(ready, egui::Button::new("Export transferee package…"))
                        .on_disabled_hover_text(
                            "Name the recipient (and confirm the C items) to export",
                        )
                        .clicked()
                    {
                        commands.send(MainCommand::ExportTransfereePackage {
                            previewed: Box::new((**package).clone()),
                            recipient: self.recipient.trim().to_owned(),
                            confirm_c_items: self.confirm_c_items,
                        });
                        close = true;
                    }
                    if ui.button("Cancel").clicked() {
                        close = true;
                    }
                });
            });
        if close {
            self.preview = None;
        }
    }
}

/// One line per section of the package: what it is and how many records it holds.
fn section_counts(package: &TransfereePackage) -> [String; 7] {
    let sanctions = package
        .conduct_outcomes
        .iter()
        .filter(|o| o.outcome.is_sanction())
        .count();
    [
        format!("Performance reviews: {}", package.performance.len()),
        format!("Sickness absences: {}", package.sickness.len()),
        format!("Complaints: {}", package.complaints.len()),
        format!(
            "Conduct outcomes (misconduct): {}, of which {sanctions} written warning or more",
            package.conduct_outcomes.len()
        ),
        format!(
            "Business interests and second jobs: {}",
            package.business_interests.len()
        ),
        format!("Notifiable associations: {}", package.associations.len()),
        format!(
            "Intelligence items (as a subject): {}. {}",
            package.intelligence.len(),
            package.left_out.describe()
        ),
    ]
}
