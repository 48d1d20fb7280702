//! The form that records or edits an intelligence item, with each field's problem beside it.

use super::app_command::{CommandQueue, MainCommand};
use super::session::{Origin, Request, SearchOwner};
use super::session_view::SessionView;
use super::{theme, widgets};
use crate::domain::{
    Grading, IntelItem, IntelItemFields, InvalidRecord, IsoDate, LegacyGrading, NominalId,
    ReferenceData, SearchHit, SearchQuery, SearchTarget, Subject, list,
};
use egui::{RichText, Ui};
use std::collections::BTreeMap;

/// State of the item form.
#[derive(Debug)]
pub struct ItemForm {
    /// The reference of the item being edited; `None` for a new item.
    pub editing: Option<String>,
    received_on: String,
    source_type: String,
    category: String,
    subcategory: Option<String>,
    source_evaluation: String,
    assessment: String,
    handling: String,
    conditions: String,
    /// A grading under the older 5x5x5 system, kept as graded beside its 3x5x2 equivalent.
    legacy: Option<LegacyGrading>,
    narrative: String,
    next_review: String,
    subjects: Vec<(NominalId, String, String)>,
    subject_query: String,
    last_subject_query: String,
    /// The search number whose answer fills the subject suggestions.
    pub subject_search: Option<u64>,
    pub subject_hits: Vec<SearchHit>,
    /// Problems by field name, from the last save (or from parsing here).
    pub errors: BTreeMap<String, String>,
    pub saving: bool,
}

impl Default for ItemForm {
    fn default() -> Self {
        Self {
            editing: None,
            received_on: IsoDate::today_utc().to_string(),
            source_type: String::from("confidential_line"),
            category: String::from("disclosure"),
            subcategory: None,
            source_evaluation: String::from("2"),
            assessment: String::from("C"),
            handling: String::from("P"),
            conditions: String::new(),
            legacy: None,
            narrative: String::new(),
            next_review: String::new(),
            subjects: Vec::new(),
            subject_query: String::new(),
            last_subject_query: String::new(),
            subject_search: None,
            subject_hits: Vec::new(),
            errors: BTreeMap::new(),
            saving: false,
        }
    }
}

fn parse_date(text: &str, field: &str, errors: &mut BTreeMap<String, String>) -> Option<IsoDate> {
    if let Ok(date) = text.trim().parse() {
        Some(date)
    } else {
        errors.insert(
            field.to_owned(),
            String::from("expected a date written YYYY-MM-DD"),
        );
        None
    }
}

impl ItemForm {
    /// A form filled with an existing item, to edit it (`names` gives the subjects' names).
    #[must_use]
    pub fn for_item(
        item: &IntelItem,
        names: &std::collections::BTreeMap<NominalId, String>,
    ) -> Self {
        let fields = &item.fields;
        Self {
            editing: Some(item.reference.clone()),
            received_on: fields.received_on.to_string(),
            source_type: fields.source_type.clone(),
            category: fields.category.clone(),
            subcategory: fields.subcategory.clone(),
            source_evaluation: fields.grading.source_evaluation.clone(),
            assessment: fields.grading.intelligence_assessment.clone(),
            handling: fields.grading.handling_code.clone(),
            conditions: fields
                .grading
                .handling_conditions
                .clone()
                .unwrap_or_default(),
            legacy: fields.legacy_grading.clone(),
            narrative: fields.narrative.clone(),
            next_review: fields
                .next_review_on
                .map(|d| d.to_string())
                .unwrap_or_default(),
            subjects: fields
                .subjects
                .iter()
                .map(|s| {
                    let name = names
                        .get(&s.nominal_id)
                        .cloned()
                        .unwrap_or_else(|| format!("nominal {}", s.nominal_id));
                    (s.nominal_id, name, s.role.clone())
                })
                .collect(),
            ..Self::default()
        }
    }

    /// Shows the problems the workbench found.
    pub fn show_errors(&mut self, invalid: &InvalidRecord) {
        self.saving = false;
        self.errors = widgets::field_errors(invalid);
    }

    fn fields(&mut self) -> Option<IntelItemFields> {
        let mut errors = BTreeMap::new();
        let received_on = parse_date(&self.received_on, "received_on", &mut errors);
        let next_review_on = if self.next_review.trim().is_empty() {
            None
        } else {
            parse_date(&self.next_review, "next_review_on", &mut errors)
        };
        if !errors.is_empty() {
            self.errors = errors;
            return None;
        }
        let conditions = self.conditions.trim();
        Some(IntelItemFields {
            received_on: received_on?,
            source_type: self.source_type.clone(),
            narrative: self.narrative.clone(),
            grading: Grading {
                source_evaluation: self.source_evaluation.clone(),
                intelligence_assessment: self.assessment.clone(),
                handling_code: self.handling.clone(),
                handling_conditions: (!conditions.is_empty()).then(|| conditions.to_owned()),
            },
            legacy_grading: self.legacy.clone(),
            category: self.category.clone(),
            subcategory: self.subcategory.clone(),
            subjects: self
                .subjects
                .iter()
                .map(|(id, _, role)| Subject {
                    nominal_id: *id,
                    role: role.clone(),
                })
                .collect(),
            next_review_on,
        })
    }

    /// The legacy 5x5x5 grading, for intelligence graded before 3x5x2: its three parts, and the
    /// 3x5x2 equivalent the reference data maps it to, which fills the grading above when a part
    /// changes (the detective may still change it). The 5x5x5 grading is kept as given.
    fn legacy_ui(&mut self, ui: &mut Ui, reference: &ReferenceData) {
        let mut graded_legacy = self.legacy.is_some();
        ui.label("Legacy grading");
        ui.checkbox(&mut graded_legacy, "Graded under 5x5x5");
        ui.label("");
        ui.end_row();
        match (graded_legacy, &self.legacy) {
            (true, None) => {
                self.legacy = Some(LegacyGrading {
                    source_evaluation: String::from("B"),
                    intelligence_evaluation: String::from("2"),
                    handling_code: String::from("1"),
                });
                self.apply_legacy_mapping(reference);
            }
            (false, Some(_)) => self.legacy = None,
            _ => {}
        }
        let Some(mut legacy) = self.legacy.clone() else {
            return;
        };
        for (label, list_name, value, field) in [
            (
                "5x5x5 source evaluation",
                list::LEGACY_SOURCE_EVALUATION,
                &mut legacy.source_evaluation,
                "legacy_grading.source_evaluation",
            ),
            (
                "5x5x5 intelligence evaluation",
                list::LEGACY_INTELLIGENCE_EVALUATION,
                &mut legacy.intelligence_evaluation,
                "legacy_grading.intelligence_evaluation",
            ),
            (
                "5x5x5 handling code",
                list::LEGACY_HANDLING_CODE,
                &mut legacy.handling_code,
                "legacy_grading.handling_code",
            ),
        ] {
            widgets::code_combo_ui(ui, label, list_name, value, reference);
            self.error_ui(ui, field);
            ui.end_row();
        }
        if self.legacy.as_ref() != Some(&legacy) {
            self.legacy = Some(legacy.clone());
            self.apply_legacy_mapping(reference);
        }
        ui.label("3x5x2 equivalent");
        ui.label(legacy_equivalent_text(&legacy, reference));
        ui.label("");
        ui.end_row();
    }

    /// Fills the 3x5x2 grading from the legacy one where the reference data maps each part.
    fn apply_legacy_mapping(&mut self, reference: &ReferenceData) {
        if let Some(mapped) = self.legacy.as_ref().and_then(|l| l.mapped(reference)) {
            self.source_evaluation = mapped.source_evaluation;
            self.assessment = mapped.intelligence_assessment;
            self.handling = mapped.handling_code;
        }
    }

    fn error_ui(&self, ui: &mut Ui, field: &str) {
        match self.errors.get(field) {
            Some(message) => {
                ui.label(RichText::new(message).color(theme::DANGER));
            }
            None => {
                ui.label("");
            }
        }
    }

    #[expect(
        clippy::too_many_lines,
        reason = "the item form top to bottom, one field after another"
    )]
    pub fn ui(&mut self, ui: &mut Ui, session: &SessionView, commands: &CommandQueue) {
        let reference = session.reference.clone();
        ui.horizontal(|ui| {
            match &self.editing {
                Some(reference) => ui.heading(format!("Edit {reference}")),
                None => ui.heading("New intelligence item"),
            };
            if ui.button("Cancel").clicked() {
                commands.send(MainCommand::CloseItemForm);
            }
        });
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| {
                egui::Grid::new("item_form")
                    .num_columns(3)
                    .spacing([12.0, 8.0])
                    .show(ui, |ui| {
                        widgets::labelled_text_ui(
                            ui,
                            "Received on",
                            &mut self.received_on,
                            "YYYY-MM-DD",
                        );
                        self.error_ui(ui, "received_on");
                        ui.end_row();

                        widgets::code_combo_ui(
                            ui,
                            "Source type",
                            list::SOURCE_TYPE,
                            &mut self.source_type,
                            &reference,
                        );
                        self.error_ui(ui, "source_type");
                        ui.end_row();

                        let before = self.category.clone();
                        widgets::code_combo_ui(
                            ui,
                            "Category",
                            list::CORRUPTION_CATEGORY,
                            &mut self.category,
                            &reference,
                        );
                        if before != self.category {
                            self.subcategory = None;
                        }
                        self.error_ui(ui, "category");
                        ui.end_row();

                        ui.label("Sub-category");
                        let selected = self
                            .subcategory
                            .as_deref()
                            .map_or("none", |c| reference.label(list::CORRUPTION_SUBCATEGORY, c))
                            .to_owned();
                        egui::ComboBox::from_id_salt("subcategory")
                            .selected_text(selected)
                            .show_ui(ui, |ui| {
                                ui.selectable_value(&mut self.subcategory, None, "none");
                                for code in reference
                                    .current_codes(list::CORRUPTION_SUBCATEGORY)
                                    .filter(|c| c.parent.as_deref() == Some(self.category.as_str()))
                                {
                                    ui.selectable_value(
                                        &mut self.subcategory,
                                        Some(code.code.clone()),
                                        &code.label,
                                    );
                                }
                            })
                            .response
                            .widget_info(|| {
                                egui::WidgetInfo::labeled(
                                    egui::Role::ComboBox,
                                    true,
                                    "Sub-category",
                                )
                            });
                        self.error_ui(ui, "subcategory");
                        ui.end_row();

                        radio_row_ui(
                            ui,
                            "Source evaluation",
                            list::SOURCE_EVALUATION,
                            &mut self.source_evaluation,
                            &reference,
                        );
                        self.error_ui(ui, "grading.source_evaluation");
                        ui.end_row();
                        radio_row_ui(
                            ui,
                            "Intelligence assessment",
                            list::INTELLIGENCE_ASSESSMENT,
                            &mut self.assessment,
                            &reference,
                        );
                        self.error_ui(ui, "grading.intelligence_assessment");
                        ui.end_row();
                        radio_row_ui(
                            ui,
                            "Handling code",
                            list::HANDLING_CODE,
                            &mut self.handling,
                            &reference,
                        );
                        self.error_ui(ui, "grading.handling_code");
                        ui.end_row();

                        widgets::labelled_text_ui(
                            ui,
                            "Handling conditions",
                            &mut self.conditions,
                            "required with code C",
                        );
                        self.error_ui(ui, "grading.handling_conditions");
                        ui.end_row();

                        self.legacy_ui(ui, &reference);

                        let label = ui.label("Narrative");
                        ui.add(
                            egui::TextEdit::multiline(&mut self.narrative)
                                .desired_rows(6)
                                .desired_width(theme::FIELD_WIDTH * 1.6)
                                .hint_text("the sanitised account: no source identity"),
                        )
                        .labelled_by(label.id);
                        self.error_ui(ui, "narrative");
                        ui.end_row();

                        widgets::labelled_text_ui(
                            ui,
                            "Next review",
                            &mut self.next_review,
                            "YYYY-MM-DD (optional)",
                        );
                        self.error_ui(ui, "next_review_on");
                        ui.end_row();
                    });
                ui.add_space(theme::ITEM_SPACING);
                self.subjects_ui(ui, &reference, commands);
                ui.add_space(theme::SECTION_SPACING);
                let label = if self.editing.is_some() {
                    "Save changes"
                } else {
                    "Record item"
                };
                ui.horizontal(|ui| {
                    if ui
                        .add_enabled(!self.saving, egui::Button::new(label))
                        .clicked()
                        && let Some(fields) = self.fields()
                    {
                        self.errors.clear();
                        self.saving = true;
                        let request = match &self.editing {
                            Some(reference) => Request::UpdateItem {
                                reference: reference.clone(),
                                fields: Box::new(fields),
                            },
                            None => Request::CreateItem(Box::new(fields)),
                        };
                        commands.request(Origin::ItemForm, request);
                    }
                    if self.saving {
                        widgets::busy_ui(ui, "Saving…");
                    }
                    if !self.errors.is_empty() {
                        widgets::error_ui(
                            ui,
                            "The item was not saved: see the messages beside the fields.",
                        );
                    }
                });
            });
    }

    fn subjects_ui(
        &mut self,
        ui: &mut Ui,
        reference: &crate::domain::ReferenceData,
        commands: &CommandQueue,
    ) {
        ui.label(RichText::new("Subjects").strong());
        let mut remove = None;
        for (index, (id, name, role)) in self.subjects.iter_mut().enumerate() {
            ui.horizontal(|ui| {
                ui.label(name.as_str());
                egui::ComboBox::from_id_salt(("subject_role", *id))
                    .selected_text(reference.label(list::SUBJECT_ROLE, role).to_owned())
                    .show_ui(ui, |ui| {
                        for code in reference.current_codes(list::SUBJECT_ROLE) {
                            ui.selectable_value(role, code.code.clone(), &code.label);
                        }
                    })
                    .response
                    .widget_info(|| egui::WidgetInfo::labeled(egui::Role::ComboBox, true, "Role"));
                if ui.small_button(format!("Remove {name}")).clicked() {
                    remove = Some(index);
                }
            });
            if let Some(message) = self.errors.get(&format!("subjects[{index}].role")) {
                widgets::error_ui(ui, message);
            }
        }
        if let Some(index) = remove {
            self.subjects.remove(index);
        }
        widgets::labelled_text_ui(
            ui,
            "Find a nominal",
            &mut self.subject_query,
            "name, staff number, phone…",
        );
        let query = self.subject_query.trim().to_owned();
        if query.chars().count() >= 2 && query != self.last_subject_query {
            self.last_subject_query.clone_from(&query);
            commands.send(MainCommand::Search(
                SearchOwner::Subject,
                SearchQuery {
                    text: self.subject_query.clone(),
                    nominals_only: true,
                    limit: Some(8),
                    ..SearchQuery::default()
                },
            ));
        }
        let hits = self.subject_hits.clone();
        for hit in hits {
            let SearchTarget::Nominal { id } = hit.target else {
                continue;
            };
            if self.subjects.iter().any(|(existing, _, _)| *existing == id) {
                continue;
            }
            if ui.button(format!("Add {}", hit.title)).clicked() {
                self.subjects
                    .push((id, hit.title.clone(), String::from("subject")));
            }
        }
    }
}

fn radio_row_ui(
    ui: &mut Ui,
    label: &str,
    list_name: &str,
    value: &mut String,
    reference: &crate::domain::ReferenceData,
) {
    ui.label(label);
    ui.horizontal(|ui| {
        for code in reference.current_codes(list_name) {
            ui.radio_value(value, code.code.clone(), code.code.as_str())
                .on_hover_text(&code.label);
        }
    });
}

/// "1A P: Reliable, known directly to the source, lawful sharing permitted", or why there is none.
#[must_use]
pub fn legacy_equivalent_text(legacy: &LegacyGrading, reference: &ReferenceData) -> String {
    match legacy.mapped(reference) {
        Some(grading) => format!(
            "{}: {}, {}, {}",
            grading.short(),
            reference.label(list::SOURCE_EVALUATION, &grading.source_evaluation),
            reference
                .label(
                    list::INTELLIGENCE_ASSESSMENT,
                    &grading.intelligence_assessment
                )
                .to_lowercase(),
            reference
                .label(list::HANDLING_CODE, &grading.handling_code)
                .to_lowercase()
        ),
        None => String::from("none: the reference data maps some part of it to nothing"),
    }
}
