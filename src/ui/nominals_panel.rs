//! The Nominals area: find a nominal, read its profile, record a new one (with duplicate
//! suggestions before anything is written).

use super::app_command::{CommandQueue, MainCommand};
use super::session::{NominalsRoute, Origin, Request, SearchOwner};
use super::session_view::SessionView;
use super::widgets::code_combo_ui;
use super::{theme, widgets};
use crate::domain::{
    DuplicateMatch, InvalidRecord, IsoDate, NominalDetails, NominalKind, PersonFlags, SearchHit,
    SearchQuery, SearchTarget, list,
};
use crate::workbench::NominalProfile;
use egui::{RichText, Ui};
use std::collections::BTreeMap;

/// State of the Nominals area.
#[derive(Debug, Default)]
pub struct NominalsPanel {
    pub route: NominalsRoute,
    query: String,
    last_query: String,
    pub search_number: Option<u64>,
    pub hits: Vec<SearchHit>,
    pub profile: Option<NominalProfile>,
    pub form: NominalForm,
}

/// The new-nominal form.
#[derive(Debug)]
pub struct NominalForm {
    kind: NominalKind,
    forenames: String,
    surname: String,
    aliases: String,
    date_of_birth: String,
    flags: PersonFlags,
    staff_number: String,
    rank_grade: String,
    department: String,
    employee_type: String,
    status: String,
    vetting_level: String,
    name: String,
    number: String,
    registration: String,
    pub duplicates: Vec<DuplicateMatch>,
    pub errors: BTreeMap<String, String>,
    pub saving: bool,
}

impl Default for NominalForm {
    fn default() -> Self {
        Self {
            kind: NominalKind::Person,
            forenames: String::new(),
            surname: String::new(),
            aliases: String::new(),
            date_of_birth: String::new(),
            flags: PersonFlags::default(),
            staff_number: String::new(),
            rank_grade: String::new(),
            department: String::new(),
            employee_type: String::from("officer"),
            status: String::from("serving"),
            vetting_level: String::from("RV"),
            name: String::new(),
            number: String::new(),
            registration: String::new(),
            duplicates: Vec::new(),
            errors: BTreeMap::new(),
            saving: false,
        }
    }
}

const FORM_KINDS: [NominalKind; 6] = [
    NominalKind::Person,
    NominalKind::Employee,
    NominalKind::Ocg,
    NominalKind::Organisation,
    NominalKind::Phone,
    NominalKind::Vehicle,
];

impl NominalForm {
    /// Shows the problems the workbench found.
    pub fn show_errors(&mut self, invalid: &InvalidRecord) {
        self.saving = false;
        self.errors = widgets::field_errors(invalid);
    }

    fn details(&mut self) -> Option<NominalDetails> {
        let date_of_birth = if self.date_of_birth.trim().is_empty() {
            None
        } else if let Ok(date) = self.date_of_birth.trim().parse::<IsoDate>() {
            Some(date)
        } else {
            self.errors.insert(
                "date_of_birth".into(),
                "expected a date written YYYY-MM-DD".into(),
            );
            return None;
        };
        Some(match self.kind {
            NominalKind::Person => NominalDetails::Person {
                forenames: self.forenames.clone(),
                surname: self.surname.clone(),
                aliases: self
                    .aliases
                    .split(',')
                    .map(|a| a.trim().to_owned())
                    .filter(|a| !a.is_empty())
                    .collect(),
                date_of_birth,
                flags: self.flags,
            },
            NominalKind::Employee => NominalDetails::Employee {
                staff_number: self.staff_number.clone(),
                forenames: self.forenames.clone(),
                surname: self.surname.clone(),
                rank_grade: self.rank_grade.clone(),
                role: String::new(),
                department: self.department.clone(),
                employee_type: self.employee_type.clone(),
                vetting_level: (!self.vetting_level.is_empty()).then(|| self.vetting_level.clone()),
                vetting_expiry: None,
                status: self.status.clone(),
                date_of_birth,
            },
            NominalKind::Ocg => NominalDetails::Ocg {
                name: self.name.clone(),
                description: String::new(),
            },
            NominalKind::Organisation => NominalDetails::Organisation {
                name: self.name.clone(),
                sector: String::new(),
            },
            NominalKind::Phone => NominalDetails::Phone {
                number: self.number.clone(),
            },
            NominalKind::Vehicle | NominalKind::Account | NominalKind::Address => {
                NominalDetails::Vehicle {
                    registration: self.registration.clone(),
                    make: String::new(),
                    model: String::new(),
                    colour: String::new(),
                }
            }
        })
    }

    fn field_ui(&mut self, ui: &mut Ui, label: &str, field: &str, hint: &str) {
        let value = match field {
            "forenames" => &mut self.forenames,
            "surname" => &mut self.surname,
            "aliases" => &mut self.aliases,
            "date_of_birth" => &mut self.date_of_birth,
            "staff_number" => &mut self.staff_number,
            "rank_grade" => &mut self.rank_grade,
            "department" => &mut self.department,
            "name" => &mut self.name,
            "number" => &mut self.number,
            _ => &mut self.registration,
        };
        widgets::labelled_text_ui(ui, label, value, hint);
        match self.errors.get(field) {
            Some(message) => ui.label(RichText::new(message).color(theme::DANGER)),
            None => ui.label(""),
        };
        ui.end_row();
    }

    fn ui(&mut self, ui: &mut Ui, session: &SessionView, commands: &CommandQueue) {
        ui.horizontal(|ui| {
            ui.heading("New nominal");
            if ui.button("Cancel").clicked() {
                commands.send(MainCommand::NominalsRoute(NominalsRoute::Find));
            }
        });
        ui.horizontal(|ui| {
            ui.label("Kind");
            for kind in FORM_KINDS {
                if ui.radio_value(&mut self.kind, kind, kind.label()).changed() {
                    self.duplicates.clear();
                    self.errors.clear();
                }
            }
        });
        egui::Grid::new("nominal_form")
            .num_columns(3)
            .spacing([12.0, 8.0])
            .show(ui, |ui| match self.kind {
                NominalKind::Person => {
                    self.field_ui(ui, "Forenames", "forenames", "");
                    self.field_ui(ui, "Surname", "surname", "");
                    self.field_ui(ui, "Aliases", "aliases", "comma-separated");
                    self.field_ui(ui, "Date of birth", "date_of_birth", "YYYY-MM-DD");
                    ui.label("Flags");
                    ui.horizontal_wrapped(|ui| {
                        ui.checkbox(&mut self.flags.ocg_member, "OCG member");
                        ui.checkbox(&mut self.flags.criminal, "Criminal");
                        ui.checkbox(&mut self.flags.vulnerable, "Vulnerable");
                        ui.checkbox(&mut self.flags.victim, "Victim");
                        ui.checkbox(&mut self.flags.journalist, "Journalist");
                        ui.checkbox(&mut self.flags.private_investigator, "Private investigator");
                    });
                    ui.end_row();
                }
                NominalKind::Employee => {
                    self.field_ui(ui, "Staff number", "staff_number", "");
                    self.field_ui(ui, "Forenames", "forenames", "");
                    self.field_ui(ui, "Surname", "surname", "");
                    self.field_ui(ui, "Rank or grade", "rank_grade", "");
                    self.field_ui(ui, "Department", "department", "");
                    self.field_ui(ui, "Date of birth", "date_of_birth", "YYYY-MM-DD");
                    code_combo_ui(
                        ui,
                        "Employee type",
                        list::EMPLOYEE_TYPE,
                        &mut self.employee_type,
                        &session.reference,
                    );
                    ui.end_row();
                    code_combo_ui(
                        ui,
                        "Employee status",
                        list::EMPLOYEE_STATUS,
                        &mut self.status,
                        &session.reference,
                    );
                    ui.end_row();
                    code_combo_ui(
                        ui,
                        "Vetting level",
                        list::VETTING_LEVEL,
                        &mut self.vetting_level,
                        &session.reference,
                    );
                    ui.end_row();
                }
                NominalKind::Ocg | NominalKind::Organisation => {
                    self.field_ui(ui, "Name", "name", "");
                }
                NominalKind::Phone => {
                    self.field_ui(ui, "Phone number", "number", "e.g. 07700 900123");
                }
                _ => self.field_ui(ui, "Registration", "registration", ""),
            });
        if !self.duplicates.is_empty() {
            ui.add_space(theme::ITEM_SPACING);
            ui.label(
                RichText::new("Likely duplicates: check these before recording a new nominal")
                    .color(theme::WARNING)
                    .strong(),
            );
            for m in self.duplicates.clone() {
                ui.horizontal(|ui| {
                    if ui
                        .link(format!("{} ({:.0}%)", m.display_name, m.score * 100.0))
                        .clicked()
                    {
                        commands.send(MainCommand::OpenNominal(m.nominal_id));
                    }
                    ui.label(RichText::new(m.reasons.join(", ")).color(theme::MUTED));
                });
            }
        }
        ui.horizontal(|ui| {
            let allow = !self.duplicates.is_empty();
            let label = if allow {
                "Record anyway"
            } else {
                "Record nominal"
            };
            if ui
                .add_enabled(!self.saving, egui::Button::new(label))
                .clicked()
            {
                self.errors.clear();
                if let Some(details) = self.details() {
                    self.saving = true;
                    commands.request(
                        Origin::NominalForm,
                        Request::CreateNominal {
                            details: Box::new(details),
                            allow_duplicates: allow,
                        },
                    );
                }
            }
            if self.saving {
                widgets::busy_ui(ui, "Checking and saving…");
            }
        });
    }
}

impl NominalsPanel {
    pub fn ui(&mut self, ui: &mut Ui, session: &SessionView, commands: &CommandQueue) {
        if session.purpose.is_none() {
            ui.label(
                RichText::new("Set a purpose in the top bar to look up nominals.")
                    .color(theme::WARNING),
            );
            return;
        }
        match self.route {
            NominalsRoute::New => self.form.ui(ui, session, commands),
            NominalsRoute::Profile => self.profile_ui(ui, session, commands),
            NominalsRoute::Find => self.find_ui(ui, commands),
        }
    }

    fn find_ui(&mut self, ui: &mut Ui, commands: &CommandQueue) {
        ui.horizontal(|ui| {
            widgets::labelled_text_ui(
                ui,
                "Find nominals",
                &mut self.query,
                "name, alias, staff number, phone, registration, system id",
            );
            if ui.button("New nominal").clicked() {
                self.form = NominalForm::default();
                commands.send(MainCommand::NominalsRoute(NominalsRoute::New));
            }
        });
        let query = self.query.trim().to_owned();
        if query.chars().count() >= 2 && query != self.last_query {
            self.last_query.clone_from(&query);
            commands.send(MainCommand::Search(
                SearchOwner::Nominals,
                SearchQuery {
                    text: self.query.clone(),
                    nominals_only: true,
                    limit: Some(50),
                    ..SearchQuery::default()
                },
            ));
        }
        for hit in &self.hits {
            let SearchTarget::Nominal { id } = hit.target else {
                continue;
            };
            if ui.link(&hit.title).clicked() {
                commands.send(MainCommand::OpenNominal(id));
            }
        }
    }

    fn profile_ui(&self, ui: &mut Ui, session: &SessionView, commands: &CommandQueue) {
        if ui.button("Back to find").clicked() {
            commands.send(MainCommand::NominalsRoute(NominalsRoute::Find));
        }
        let Some(profile) = &self.profile else {
            widgets::busy_ui(ui, "Opening…");
            return;
        };
        let nominal = &profile.nominal;
        ui.heading(format!(
            "{} · {}",
            nominal.details.kind().label(),
            nominal.details.display_name()
        ));
        ui.horizontal(|ui| {
            if ui.button("Open in link chart").clicked() {
                commands.send(MainCommand::OpenChartFor(nominal.id));
            }
            if nominal.merged_into.is_none() && ui.button("Assess risk").clicked() {
                commands.send(MainCommand::AssessNominal(
                    nominal.id,
                    nominal.details.display_name(),
                ));
            }
        });
        if let Some(into) = nominal.merged_into {
            ui.horizontal(|ui| {
                ui.label(RichText::new("Merged into").color(theme::WARNING));
                if ui.link(format!("nominal {into}")).clicked() {
                    commands.send(MainCommand::OpenNominal(into));
                }
            });
        }
        egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
            egui::Grid::new("nominal_details").num_columns(2).striped(true).show(ui, |ui| {
                let value = serde_json::to_value(&nominal.details);
                if value.is_err() {
                    widgets::error_ui(ui, "The details could not be shown.");
                    ui.end_row();
                }
                if let Some(object) = value.as_ref().ok().and_then(serde_json::Value::as_object) {
                    for (key, field) in object {
                        if key == "kind" {
                            continue;
                        }
                        ui.label(RichText::new(key.replace('_', " ")).color(theme::MUTED));
                        ui.label(match field {
                            serde_json::Value::String(text) => text.clone(),
                            other => other.to_string(),
                        });
                        ui.end_row();
                    }
                }
                if !profile.external_ids.is_empty() {
                    ui.label(RichText::new("ids in force systems").color(theme::MUTED));
                    ui.label(
                        profile
                            .external_ids
                            .iter()
                            .map(|e| format!("{} {}", e.system.to_uppercase(), e.id))
                            .collect::<Vec<_>>()
                            .join(", "),
                    );
                    ui.end_row();
                }
                ui.label(RichText::new("record").color(theme::MUTED));
                ui.label(format!("id {} · version {} · recorded {}", nominal.id, nominal.version, nominal.created_at_utc));
                ui.end_row();
            });
            ui.add_space(theme::SECTION_SPACING);
            ui.label(RichText::new(format!("Links ({})", profile.links.len())).strong());
            for link in &profile.links {
                let other = if link.fields.from == nominal.id { link.fields.to } else { link.fields.from };
                let name = profile
                    .linked_names
                    .iter()
                    .find(|(id, _)| *id == other)
                    .map_or_else(|| format!("nominal {other}"), |(_, n)| n.clone());
                ui.horizontal(|ui| {
                    ui.label(session.reference.label(list::LINK_TYPE, &link.fields.link_type));
                    if ui.link(&name).clicked() {
                        commands.send(MainCommand::OpenNominal(other));
                    }
                    ui.label(RichText::new(format!("{} · {} source(s)", link.fields.confidence, link.fields.provenance.len())).color(theme::MUTED));
                });
            }
            ui.add_space(theme::SECTION_SPACING);
            ui.label(RichText::new(format!("Intelligence ({})", profile.items.len())).strong());
            for (row, role) in &profile.items {
                ui.horizontal(|ui| {
                    if ui.link(&row.reference).clicked() {
                        commands.send(MainCommand::OpenItem(row.reference.clone()));
                    }
                    ui.label(format!("{} · {} · {}", row.received_on, session.reference.label(list::SUBJECT_ROLE, role), row.summary));
                });
            }
            ui.add_space(theme::SECTION_SPACING);
            ui.label(RichText::new("Risk assessments are in Risk tools (Assessment history); notifiable associations in the NA register.").color(theme::MUTED));
        });
    }
}
