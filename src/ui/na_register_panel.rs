//! The NA register area: every notifiable association with its category, whether it was
//! declared or discovered, conditions and annual review; filters for reviews due and overdue;
//! live counts by category; registering an association (in one step from a discovered one) and
//! recording its review or closing it.

use super::app_command::{CommandQueue, MainCommand};
use super::session::{NaParty, Origin, Request, SearchOwner};
use super::session_view::SessionView;
use super::{theme, widgets};
use crate::domain::{
    IsoDate, NaChange, NaDraft, NaFilter, NaOrigin, NaRelationship, NaReviewFilter,
    NaReviewOutcome, NaRow, NaStatus, NominalId, NotifiableAssociationId, SearchQuery,
    SearchTarget, list,
};
use egui::{RichText, Ui};

/// What the area shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum NaRoute {
    #[default]
    Register,
    NewEntry,
}

/// The form that registers an association.
#[derive(Debug)]
pub struct NaForm {
    pub employee: Option<(NominalId, String)>,
    pub associate: Option<(NominalId, String)>,
    pub category: String,
    /// Who the associate is to the employee, beside the category.
    pub relationship: Option<NaRelationship>,
    pub origin: NaOrigin,
    pub declared_on: String,
    pub conditions: String,
    /// Which party the last search was for, and its number.
    pub search: Option<(NaParty, u64)>,
    pub hits: Vec<crate::domain::SearchHit>,
    employee_query: String,
    associate_query: String,
    last_query: String,
    pub saving: bool,
    pub error: Option<String>,
}

impl Default for NaForm {
    fn default() -> Self {
        Self {
            employee: None,
            associate: None,
            category: String::new(),
            relationship: None,
            origin: NaOrigin::Declared,
            declared_on: IsoDate::today_utc().to_string(),
            conditions: String::new(),
            search: None,
            hits: Vec::new(),
            employee_query: String::new(),
            associate_query: String::new(),
            last_query: String::new(),
            saving: false,
            error: None,
        }
    }
}

/// State of the NA register area.
#[derive(Debug, Default)]
pub struct NaRegisterPanel {
    pub route: NaRoute,
    pub review: NaReviewFilter,
    pub status: Option<NaStatus>,
    pub category: Option<String>,
    /// The rows for the filter last asked for, once the session thread has sent them.
    pub rows: Option<Vec<NaRow>>,
    /// Live entries by category.
    pub counts: Option<Vec<(String, usize)>>,
    pub form: NaForm,
    selected: Option<NotifiableAssociationId>,
    next_review_on: String,
    review_outcome: NaReviewOutcome,
    review_rationale: String,
    review_conditions: String,
    close_reason: String,
    new_conditions: String,
    /// The assessment chosen to link to the open entry.
    assessment_choice: Option<crate::domain::AssessmentId>,
    /// The open entry's employee's notifiable association assessments, once read (the
    /// employee they were asked for, and the records).
    pub employee_assessments: Option<(
        crate::domain::NominalId,
        Option<Vec<crate::risk::AssessmentRecord>>,
    )>,
    /// The filter the rows answer; a different one asks again.
    asked: Option<NaFilter>,
}

impl NaRegisterPanel {
    /// The filter the controls describe.
    #[must_use]
    pub fn filter(&self) -> NaFilter {
        NaFilter {
            status: self.status,
            review: self.review,
            category: self.category.clone(),
            employee: None,
        }
    }

    /// Rows arrived: kept only if they answer the filter shown now.
    pub fn apply_rows(&mut self, filter: &NaFilter, rows: Vec<NaRow>) {
        if self.asked.as_ref() == Some(filter) {
            self.rows = Some(rows);
        }
    }

    /// A request failed: the form can be sent again.
    pub fn failed(&mut self, message: &str) {
        if self.form.saving {
            self.form.saving = false;
            self.form.error = Some(message.to_owned());
        }
    }

    /// Forgets the rows (after a change), so they are asked for again.
    /// Shows one entry: the register (every status, so a closed entry is found too) with the
    /// entry selected.
    pub fn show_entry(&mut self, id: NotifiableAssociationId) {
        self.route = NaRoute::Register;
        self.status = None;
        self.selected = Some(id);
    }

    pub fn invalidate(&mut self) {
        self.asked = None;
        self.counts = None;
    }

    /// Opens the new-entry form on an association the exposure finder discovered.
    pub fn register_discovered(
        &mut self,
        employee: (NominalId, String),
        associate: (NominalId, String),
    ) {
        self.form = NaForm {
            employee: Some(employee),
            associate: Some(associate),
            origin: NaOrigin::Discovered,
            ..NaForm::default()
        };
        self.route = NaRoute::NewEntry;
    }

    /// The entry was registered: back to the register, which is read again.
    pub fn saved(&mut self) {
        self.form = NaForm::default();
        self.route = NaRoute::Register;
        self.invalidate();
    }

    pub fn ui(&mut self, ui: &mut Ui, session: &SessionView, commands: &CommandQueue) {
        if session.purpose.is_none() {
            ui.label(
                RichText::new("Set a purpose (top bar) to read the register.").color(theme::MUTED),
            );
            return;
        }
        match self.route {
            NaRoute::Register => self.register_ui(ui, session, commands),
            NaRoute::NewEntry => self.form_ui(ui, session, commands),
        }
    }

    #[expect(
        clippy::too_many_lines,
        reason = "the register table with its filters, top to bottom"
    )]
    fn register_ui(&mut self, ui: &mut Ui, session: &SessionView, commands: &CommandQueue) {
        let filter = self.filter();
        if self.asked.as_ref() != Some(&filter) {
            self.asked = Some(filter.clone());
            self.rows = None;
            commands.request(
                Origin::NaRegister,
                Request::NaList {
                    filter,
                    as_of: session.today,
                },
            );
            if self.counts.is_none() {
                commands.request(Origin::NaRegister, Request::NaCounts);
            }
        }
        ui.horizontal(|ui| {
            if ui.button("Register an association").clicked() {
                self.form = NaForm::default();
                self.route = NaRoute::NewEntry;
            }
        });
        if let Some(counts) = &self.counts {
            let total: usize = counts.iter().map(|(_, n)| n).sum();
            let parts: Vec<String> = counts
                .iter()
                .map(|(code, n)| {
                    format!("{} {n}", session.reference.label(list::NA_CATEGORY, code))
                })
                .collect();
            ui.label(format!("{total} live: {}", parts.join(", ")));
        }
        ui.horizontal(|ui| {
            ui.label("Reviews:");
            for (review, label) in [
                (NaReviewFilter::All, "All reviews"),
                (NaReviewFilter::Due, "Due within 30 days"),
                (NaReviewFilter::Overdue, "Overdue"),
            ] {
                if ui.selectable_label(self.review == review, label).clicked() {
                    self.review = review;
                }
            }
            ui.separator();
            ui.label("Status:");
            for (status, label) in [
                (Some(NaStatus::Live), "Live"),
                (Some(NaStatus::Closed), "Closed"),
                (None, "Live and closed"),
            ] {
                if ui.selectable_label(self.status == status, label).clicked() {
                    self.status = status;
                }
            }
            ui.separator();
            let current = self.category.as_deref().map_or_else(
                || String::from("Every category"),
                |code| session.reference.label(list::NA_CATEGORY, code).to_owned(),
            );
            egui::ComboBox::from_id_salt("na_category_filter")
                .selected_text(current)
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.category, None, "Every category");
                    for code in session.reference.current_codes(list::NA_CATEGORY) {
                        ui.selectable_value(
                            &mut self.category,
                            Some(code.code.clone()),
                            &code.label,
                        );
                    }
                })
                .response
                .widget_info(|| {
                    egui::WidgetInfo::labeled(egui::Role::ComboBox, true, "Category filter")
                });
        });
        let Some(rows) = &self.rows else {
            widgets::busy_ui(ui, "Reading the register…");
            return;
        };
        ui.label(format!(
            "{} entr{}",
            rows.len(),
            if rows.len() == 1 { "y" } else { "ies" }
        ));
        let mut open = None;
        egui::ScrollArea::vertical()
            .id_salt("na_register")
            .max_height(ui.available_height() * 0.6)
            .show(ui, |ui| {
                egui::Grid::new("na_register_table")
                    .striped(true)
                    .num_columns(9)
                    .show(ui, |ui| {
                        for heading in [
                            "Employee",
                            "Associate",
                            "Category",
                            "Relationship",
                            "Origin",
                            "Declared",
                            "Review due",
                            "Status",
                            "",
                        ] {
                            ui.label(RichText::new(heading).strong());
                        }
                        ui.end_row();
                        for row in rows {
                            let entry = &row.record;
                            // Each name opens its subject profile.
                            if ui.link(&row.employee_name).clicked() {
                                commands.send(MainCommand::OpenNominal(entry.employee));
                            }
                            if ui.link(&row.associate_name).clicked() {
                                commands.send(MainCommand::OpenNominal(entry.associate));
                            }
                            ui.label(session.reference.label(list::NA_CATEGORY, &entry.category));
                            ui.label(
                                entry
                                    .relationship
                                    .map_or("not recorded", NaRelationship::label),
                            );
                            ui.label(entry.origin.label());
                            ui.label(entry.declared_on.to_string());
                            let due = entry.review_due_on.to_string();
                            if row.overdue {
                                ui.label(
                                    RichText::new(format!("{due} overdue")).color(theme::DANGER),
                                );
                            } else if row.due {
                                ui.label(RichText::new(format!("{due} due")).color(theme::WARNING));
                            } else {
                                ui.label(due);
                            }
                            ui.label(entry.status.label());
                            if ui
                                .selectable_label(
                                    self.selected == Some(entry.id),
                                    format!("Open NA {}", entry.id),
                                )
                                .clicked()
                            {
                                open = Some(entry.id);
                            }
                            ui.end_row();
                        }
                    });
            });
        if let Some(id) = open {
            self.selected = Some(id);
            self.next_review_on = session.today.plus_days(365).to_string();
            self.close_reason.clear();
            self.assessment_choice = None;
            self.new_conditions = rows
                .iter()
                .find(|r| r.record.id == id)
                .map(|r| r.record.conditions.clone())
                .unwrap_or_default();
        }
        let Some(row) = self
            .selected
            .and_then(|id| rows.iter().find(|r| r.record.id == id))
            .cloned()
        else {
            return;
        };
        ui.add_space(theme::SECTION_SPACING);
        // The entry, its changes and its review: scrolled on its own below the list.
        egui::ScrollArea::vertical()
            .id_salt("na_entry")
            .auto_shrink([false, false])
            .show(ui, |ui| self.entry_ui(ui, &row, session, commands));
    }

    /// The employee's own notifiable association assessments to link to the entry, chosen
    /// from a list (never typed as a number).
    fn assessment_link_ui(
        &mut self,
        ui: &mut Ui,
        entry: &crate::domain::NotifiableAssociation,
        commands: &CommandQueue,
    ) {
        // The assessment is chosen from the employee's own, never typed as a number.
        if self
            .employee_assessments
            .as_ref()
            .is_none_or(|(employee, _)| *employee != entry.employee)
        {
            self.employee_assessments = Some((entry.employee, None));
            commands.request(Origin::NaRegister, Request::AssessmentsOf(entry.employee));
        }
        let choices: Vec<(crate::domain::AssessmentId, String)> = self
            .employee_assessments
            .as_ref()
            .and_then(|(_, records)| records.as_ref())
            .map(|records| {
                records
                    .iter()
                    .rev()
                    .filter(|r| r.instrument == "notifiable_association")
                    .map(|r| {
                        (
                            r.id,
                            format!(
                                "{} · version {} · total {} · band {}",
                                r.assessed_on, r.version, r.score.total, r.score.band
                            ),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        ui.horizontal(|ui| {
            ui.label("NA assessment");
            if choices.is_empty() {
                ui.label(
                    RichText::new(
                        "None made for this member of staff yet (Risk tools, Notifiable \
                         association).",
                    )
                    .color(theme::MUTED),
                );
                return;
            }
            let chosen = self
                .assessment_choice
                .and_then(|id| choices.iter().find(|(c, _)| *c == id))
                .map_or("choose", |(_, words)| words.as_str());
            egui::ComboBox::from_id_salt("na_assessment_choice")
                .selected_text(chosen)
                .show_ui(ui, |ui| {
                    for (id, words) in &choices {
                        ui.selectable_value(&mut self.assessment_choice, Some(*id), words);
                    }
                })
                .response
                .widget_info(|| {
                    egui::WidgetInfo::labeled(egui::Role::ComboBox, true, "NA assessment")
                });
            if ui
                .add_enabled(
                    self.assessment_choice.is_some(),
                    egui::Button::new("Link the assessment"),
                )
                .clicked()
                && let Some(assessment) = self.assessment_choice
            {
                commands.request(
                    Origin::NaRegister,
                    Request::ChangeNa {
                        id: entry.id,
                        version: entry.version,
                        change: Box::new(NaChange::Assessment { assessment }),
                    },
                );
            }
        });
    }

    fn entry_ui(
        &mut self,
        ui: &mut Ui,
        row: &NaRow,
        session: &SessionView,
        commands: &CommandQueue,
    ) {
        let entry = &row.record;
        ui.label(
            RichText::new(format!(
                "NA {}: {} and {}",
                entry.id, row.employee_name, row.associate_name
            ))
            .strong(),
        );
        ui.label(format!(
            "Conditions: {}",
            if entry.conditions.is_empty() {
                "none recorded"
            } else {
                &entry.conditions
            }
        ));
        if let Some(assessment) = entry.assessment {
            let words = self
                .employee_assessments
                .as_ref()
                .and_then(|(_, records)| records.as_ref())
                .and_then(|records| records.iter().find(|r| r.id == assessment))
                .map(|r| {
                    format!(
                        "{}, total {}, band {}",
                        r.assessed_on, r.score.total, r.score.band
                    )
                });
            ui.label(format!(
                "NA assessment: {}",
                words.unwrap_or_else(|| "linked".to_owned())
            ));
        }
        ui.label(format!(
            "Relationship: {}",
            entry
                .relationship
                .map_or("not recorded", NaRelationship::label)
        ));
        if let Some(reviewed) = entry.last_reviewed_on {
            ui.label(format!("Last reviewed {reviewed}"));
        }
        if entry.status != NaStatus::Live {
            return;
        }
        let send = |change: NaChange| {
            commands.request(
                Origin::NaRegister,
                Request::ChangeNa {
                    id: entry.id,
                    version: entry.version,
                    change: Box::new(change),
                },
            );
        };
        ui.horizontal(|ui| {
            widgets::labelled_text_ui(ui, "New conditions", &mut self.new_conditions, "");
            if ui
                .add_enabled(
                    self.new_conditions.trim() != entry.conditions,
                    egui::Button::new("Save the conditions"),
                )
                .clicked()
            {
                send(NaChange::Conditions {
                    conditions: self.new_conditions.trim().to_owned(),
                });
            }
        });
        self.assessment_link_ui(ui, entry, commands);
        // The annual review: an outcome, and why (risk, necessity and proportionality).
        ui.group(|ui| {
            ui.label(RichText::new("Annual review").strong());
            ui.horizontal(|ui| {
                ui.label("Outcome");
                egui::ComboBox::from_id_salt("na_review_outcome")
                    .selected_text(self.review_outcome.label())
                    .show_ui(ui, |ui| {
                        for outcome in NaReviewOutcome::ALL {
                            ui.selectable_value(&mut self.review_outcome, outcome, outcome.label());
                        }
                    })
                    .response
                    .widget_info(|| {
                        egui::WidgetInfo::labeled(egui::Role::ComboBox, true, "Review outcome")
                    });
            });
            let label = ui.label("Rationale: risk, necessity and proportionality");
            ui.add(
                egui::TextEdit::multiline(&mut self.review_rationale)
                    .desired_rows(2)
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(label.id);
            if self.review_outcome == NaReviewOutcome::ConditionsChanged {
                widgets::labelled_text_ui(
                    ui,
                    "Changed conditions",
                    &mut self.review_conditions,
                    "the conditions from now on",
                );
            }
            if self.review_outcome != NaReviewOutcome::Closed {
                widgets::labelled_date_ui(ui, "Next review on", &mut self.next_review_on);
            }
            let next = self.next_review_on.parse::<IsoDate>();
            let ready = !self.review_rationale.trim().is_empty()
                && (self.review_outcome == NaReviewOutcome::Closed || next.is_ok())
                && (self.review_outcome != NaReviewOutcome::ConditionsChanged
                    || !self.review_conditions.trim().is_empty());
            if ui
                .add_enabled(ready, egui::Button::new("Record the annual review"))
                .on_disabled_hover_text("Choose the outcome and give the rationale")
                .clicked()
            {
                send(NaChange::Reviewed {
                    reviewed_on: session.today,
                    next_due_on: next.unwrap_or(session.today.plus_days(365)),
                    outcome: self.review_outcome,
                    rationale: self.review_rationale.trim().to_owned(),
                    conditions: (self.review_outcome == NaReviewOutcome::ConditionsChanged)
                        .then(|| self.review_conditions.trim().to_owned()),
                });
                self.review_rationale.clear();
                self.review_conditions.clear();
            }
        });
        ui.horizontal(|ui| {
            widgets::labelled_text_ui(
                ui,
                "Reason for closing",
                &mut self.close_reason,
                "e.g. association ended",
            );
            if ui
                .add_enabled(
                    !self.close_reason.trim().is_empty(),
                    egui::Button::new("Close the entry"),
                )
                .clicked()
            {
                send(NaChange::Closed {
                    closed_on: session.today,
                    reason: self.close_reason.trim().to_owned(),
                });
            }
        });
    }

    fn form_ui(&mut self, ui: &mut Ui, session: &SessionView, commands: &CommandQueue) {
        if ui.button("Back to the register").clicked() {
            self.route = NaRoute::Register;
            return;
        }
        let form = &mut self.form;
        ui.label(
            RichText::new(match form.origin {
                NaOrigin::Declared => "Register a declared association",
                NaOrigin::Discovered => "Register a discovered association",
            })
            .strong(),
        );
        party_ui(ui, form, NaParty::Employee, commands);
        party_ui(ui, form, NaParty::Associate, commands);
        widgets::code_combo_ui(
            ui,
            "Category",
            list::NA_CATEGORY,
            &mut form.category,
            &session.reference,
        );
        ui.horizontal(|ui| {
            ui.label("Relationship");
            egui::ComboBox::from_id_salt("na_relationship")
                .selected_text(form.relationship.map_or("choose", NaRelationship::label))
                .show_ui(ui, |ui| {
                    for relationship in NaRelationship::ALL {
                        ui.selectable_value(
                            &mut form.relationship,
                            Some(relationship),
                            relationship.label(),
                        );
                    }
                })
                .response
                .widget_info(|| {
                    egui::WidgetInfo::labeled(egui::Role::ComboBox, true, "Relationship")
                });
        });
        ui.horizontal(|ui| {
            ui.label("Origin:");
            ui.radio_value(
                &mut form.origin,
                NaOrigin::Declared,
                "Declared by the employee",
            );
            ui.radio_value(
                &mut form.origin,
                NaOrigin::Discovered,
                "Discovered by the CCU",
            );
        });
        widgets::labelled_date_ui(ui, "Declared or found on", &mut form.declared_on);
        let label = ui.label("Conditions placed");
        ui.add(
            egui::TextEdit::multiline(&mut form.conditions)
                .desired_rows(3)
                .desired_width(f32::INFINITY),
        )
        .labelled_by(label.id);
        let problem = if form.employee.is_none() {
            Some("choose the employee")
        } else if form.associate.is_none() {
            Some("choose the associate")
        } else if form.category.is_empty() {
            Some("choose the category")
        } else if form.relationship.is_none() {
            Some("choose the relationship")
        } else if form.declared_on.parse::<IsoDate>().is_err() {
            Some("the date is written YYYY-MM-DD")
        } else {
            None
        };
        ui.horizontal(|ui| {
            let save = ui.add_enabled(
                problem.is_none() && !form.saving,
                egui::Button::new("Register"),
            );
            if let Some(problem) = problem {
                ui.label(RichText::new(format!("To register: {problem}.")).color(theme::MUTED));
            }
            if save.clicked()
                && let (Some((employee, _)), Some((associate, _)), Ok(declared_on)) = (
                    &form.employee,
                    &form.associate,
                    form.declared_on.parse::<IsoDate>(),
                )
            {
                form.saving = true;
                form.error = None;
                commands.request(
                    Origin::NaRegister,
                    Request::RegisterNa(Box::new(NaDraft {
                        employee: *employee,
                        associate: *associate,
                        category: form.category.clone(),
                        origin: form.origin,
                        declared_on,
                        conditions: form.conditions.trim().to_owned(),
                        assessment: None,
                        review_due_on: None,
                        relationship: form.relationship,
                    })),
                );
            }
        });
        if let Some(error) = &form.error {
            widgets::error_ui(ui, error);
        }
    }
}

/// One party of the association: chosen, or a search to choose it.
fn party_ui(ui: &mut Ui, form: &mut NaForm, party: NaParty, commands: &CommandQueue) {
    let (label, chosen, query) = match party {
        NaParty::Employee => ("Employee", &mut form.employee, &mut form.employee_query),
        NaParty::Associate => ("Associate", &mut form.associate, &mut form.associate_query),
    };
    ui.horizontal(|ui| {
        ui.label(format!("{label}:"));
        match chosen {
            Some((_, name)) => {
                ui.label(RichText::new(name.as_str()).strong());
            }
            None => {
                ui.label(RichText::new("none chosen").color(theme::MUTED));
            }
        }
    });
    let field = format!("Find the {}", label.to_lowercase());
    widgets::labelled_text_ui(ui, &field, query, "name, staff number…");
    let text = query.trim().to_owned();
    if text.chars().count() >= 2 && text != form.last_query {
        form.last_query.clone_from(&text);
        form.hits.clear();
        commands.send(MainCommand::Search(
            SearchOwner::NaParty(party),
            SearchQuery {
                text,
                nominals_only: true,
                limit: Some(8),
                ..SearchQuery::default()
            },
        ));
    }
    if form.search.is_some_and(|(p, _)| p != party) {
        return;
    }
    let mut picked = None;
    ui.horizontal_wrapped(|ui| {
        for hit in &form.hits {
            let SearchTarget::Nominal { id } = hit.target else {
                continue;
            };
            if ui.button(format!("{label}: {}", hit.title)).clicked() {
                picked = Some((id, hit.title.clone()));
            }
        }
    });
    if let Some(choice) = picked {
        match party {
            NaParty::Employee => {
                form.employee = Some(choice);
                form.employee_query.clear();
            }
            NaParty::Associate => {
                form.associate = Some(choice);
                form.associate_query.clear();
            }
        }
        form.hits.clear();
        form.last_query.clear();
    }
}
