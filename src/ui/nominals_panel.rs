//! The Nominals area: find a nominal, read its profile, record a new one (with duplicate
//! suggestions before anything is written).

use super::app_command::RecordRef;
use super::app_command::{CommandQueue, MainCommand};
use super::session::{NominalsRoute, Origin, Request, SearchOwner};
use super::session_view::SessionView;
use super::subject_timeline::TimelineView;
use super::widgets::code_combo_ui;
use super::{theme, widgets};
use crate::domain::ReferenceData;
use crate::domain::{
    DuplicateMatch, InvalidRecord, IsoDate, NominalDetails, NominalKind, PersonFlags, SearchHit,
    SearchQuery, SearchTarget, list,
};
use crate::workbench::{ProfileSection, SubjectProfile};
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
    /// The newest search has been answered (so no hits means nothing matched).
    pub answered: bool,
    pub profile: Option<SubjectProfile>,
    /// The profile's timeline: its kind filter and the days in view.
    pub timeline: TimelineView,
    /// The profile's sections in words, made once when it arrives (not every frame).
    sections: Vec<ProfileSection>,
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
            self.answered = false;
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
        if query.chars().count() < 2 {
            ui.label(
                RichText::new("Type at least two letters or digits of what you know of them.")
                    .color(theme::MUTED),
            );
        } else if self.answered && self.hits.is_empty() {
            ui.label(
                RichText::new(format!(
                    "No nominal matches \"{query}\". Try part of a name, a staff number, a \
                     phone number, a registration or a force system's id."
                ))
                .color(theme::MUTED),
            );
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

    /// A profile arrived: show it, its timeline fitted to its records.
    pub fn show_profile(&mut self, profile: SubjectProfile, reference: &ReferenceData) {
        self.sections = profile.sections(reference);
        if self
            .profile
            .as_ref()
            .is_none_or(|shown| shown.nominal.id != profile.nominal.id)
        {
            self.timeline.reset();
        }
        self.profile = Some(profile);
    }

    fn profile_ui(&mut self, ui: &mut Ui, session: &SessionView, commands: &CommandQueue) {
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
            if ui
                .button("Save as report…")
                .on_hover_text("The profile as an HTML page or PDF (a disclosure, recorded)")
                .clicked()
            {
                commands.send(MainCommand::ExportSubjectReport(nominal.id));
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
        let timeline = &mut self.timeline;
        let sections = &self.sections;
        let name = nominal.details.display_name();
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| {
                subject_sections_ui(ui, profile, sections, session, commands);
                timeline.ui(ui, &profile.timeline, (nominal.id, &name), commands);
            });
    }
}

/// A section's heading with its count, and why it is empty when it is.
fn section_heading(ui: &mut Ui, title: &str, count: usize, empty: &str) -> bool {
    ui.add_space(theme::SECTION_SPACING);
    ui.label(RichText::new(format!("{title} ({count})")).strong());
    if count == 0 {
        ui.label(RichText::new(empty).color(theme::MUTED));
    }
    count > 0
}

/// A section in the words every front end shows it in: its heading, then each line, a link
/// where the line opens a record.
fn plain_section_ui(
    ui: &mut Ui,
    section: &ProfileSection,
    subject: &SubjectProfile,
    commands: &CommandQueue,
) {
    if !section_heading(ui, section.title, section.lines.len(), section.empty) {
        return;
    }
    section_lines_ui(ui, section, subject, commands);
    if let Some(note) = &section.note {
        ui.label(RichText::new(note).color(theme::MUTED));
    }
}

/// A section's lines, each opening its record; a long section in a box of its own.
fn section_lines_ui(
    ui: &mut Ui,
    section: &ProfileSection,
    subject: &SubjectProfile,
    commands: &CommandQueue,
) {
    let open = |line: &crate::workbench::ProfileLine| {
        commands.send(MainCommand::OpenRecord(RecordRef {
            reference: line.opens.clone(),
            subject: Some((subject.nominal.id, subject.nominal.details.display_name())),
        }));
    };
    if section.lines.len() <= LINES_SHOWN_WHOLE {
        for line in &section.lines {
            if line.opens.is_empty() {
                ui.label(&line.text);
            } else if ui.link(&line.text).clicked() {
                open(line);
            }
        }
        return;
    }
    // A long section (hundreds of items) scrolls in its own box, drawing only the lines in
    // view: one line each, the whole text on hover.
    let row_height = ui.text_style_height(&egui::TextStyle::Body);
    egui::ScrollArea::vertical()
        .id_salt(("profile_section", section.key))
        .max_height(row_height * LINES_SHOWN_HEIGHT)
        .auto_shrink([false, true])
        .show_rows(ui, row_height, section.lines.len(), |ui, rows| {
            for line in &section.lines[rows] {
                let text = egui::RichText::new(&line.text);
                if line.opens.is_empty() {
                    ui.add(egui::Label::new(text).truncate());
                } else if ui
                    .add(
                        egui::Label::new(text.color(ui.visuals().hyperlink_color))
                            .truncate()
                            .sense(egui::Sense::click()),
                    )
                    .on_hover_cursor(egui::CursorIcon::PointingHand)
                    .on_hover_text(&line.text)
                    .clicked()
                {
                    open(line);
                }
            }
        });
}

/// Sections longer than this scroll in a box of this many lines.
pub const LINES_SHOWN_WHOLE: usize = 15;
const LINES_SHOWN_HEIGHT: f32 = 15.0;

/// The record and every section of the subject profile, each line opening its record where
/// it has one in the workbench. The record, the links and the risk assessments (with their
/// chart) are drawn here; every other section in the words [`SubjectProfile::sections`] gives
/// the terminal and the printed report.
fn subject_sections_ui(
    ui: &mut Ui,
    profile: &SubjectProfile,
    sections: &[ProfileSection],
    session: &SessionView,
    commands: &CommandQueue,
) {
    let reference = &session.reference;
    let nominal = &profile.nominal;
    egui::Grid::new("nominal_details")
        .num_columns(2)
        .striped(true)
        .show(ui, |ui| {
            for (label, value) in nominal.details.fields_in_words(reference) {
                ui.label(RichText::new(label).color(theme::MUTED));
                ui.label(value);
                ui.end_row();
            }
            if !profile.external_ids.is_empty() {
                ui.label(RichText::new("Ids in force systems").color(theme::MUTED));
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
            ui.label(RichText::new("Record").color(theme::MUTED));
            ui.label(format!(
                "version {} · recorded {}",
                nominal.version,
                nominal.created_at_utc.get(..10).unwrap_or_default()
            ));
            ui.end_row();
        });
    for section in sections {
        match section.key {
            // Drawn above, in the grid.
            "record" | "timeline" => {}
            "vetting" => {
                ui.add_space(theme::SECTION_SPACING);
                ui.label(RichText::new("Vetting").strong());
                if section.lines.is_empty() {
                    ui.label(RichText::new(section.empty).color(theme::MUTED));
                }
                for line in &section.lines {
                    let warning = line.text.starts_with("Warning:");
                    ui.label(RichText::new(&line.text).color(if warning {
                        theme::WARNING
                    } else {
                        ui.visuals().text_color()
                    }));
                }
            }
            "associations" => {
                links_ui(ui, profile, session, commands);
                plain_section_ui(ui, section, profile, commands);
            }
            "assessments" => assessments_ui(ui, profile, commands),
            _ => plain_section_ui(ui, section, profile, commands),
        }
    }
}

/// The nominal's links, each other end opening its profile.
fn links_ui(ui: &mut Ui, profile: &SubjectProfile, session: &SessionView, commands: &CommandQueue) {
    let reference = &session.reference;
    let nominal = &profile.nominal;
    if section_heading(ui, "Links", profile.links.len(), "No links recorded.") {
        for link in &profile.links {
            let other = if link.fields.from == nominal.id {
                link.fields.to
            } else {
                link.fields.from
            };
            let name = profile
                .linked_names
                .iter()
                .find(|(id, _)| *id == other)
                .map_or_else(|| format!("nominal {other}"), |(_, n)| n.clone());
            ui.horizontal(|ui| {
                ui.label(reference.label(list::LINK_TYPE, &link.fields.link_type));
                if ui.link(&name).clicked() {
                    commands.send(MainCommand::OpenNominal(other));
                }
                ui.label(
                    RichText::new(format!(
                        "{} · {} source(s)",
                        reference.label(list::LINK_CONFIDENCE, &link.fields.confidence),
                        link.fields.provenance.len()
                    ))
                    .color(theme::MUTED),
                );
            });
        }
    }
}

/// Each instrument's totals over time as a small chart, then its assessments, each opening the
/// subject's assessment history.
fn assessments_ui(ui: &mut Ui, profile: &SubjectProfile, commands: &CommandQueue) {
    if !section_heading(
        ui,
        "Risk assessments",
        profile.assessments.len(),
        "None made.",
    ) {
        return;
    }
    let mut instruments: Vec<&str> = profile
        .assessments
        .iter()
        .map(|a| a.instrument.as_str())
        .collect();
    instruments.sort_unstable();
    instruments.dedup();
    for instrument in instruments {
        let of_it: Vec<_> = profile
            .assessments
            .iter()
            .filter(|a| a.instrument == instrument)
            .collect();
        let name = crate::workbench::instrument_words(instrument);
        ui.label(RichText::new(name).color(theme::MUTED));
        let points: Vec<crate::ui::assessment_history::TotalsPoint> = of_it
            .iter()
            .map(|a| crate::ui::assessment_history::TotalsPoint {
                on: a.assessed_on,
                total_hundredths: a.total_hundredths,
                total: a.total.clone(),
                band: a.band.clone(),
                band_colour: a.band_colour.clone(),
            })
            .collect();
        crate::ui::assessment_history::totals_chart_ui(
            ui,
            &format!("{name} totals over time"),
            &points,
        );
        for assessment in of_it {
            let text = format!(
                "{} · version {} · total {} · band {}",
                assessment.assessed_on, assessment.version, assessment.total, assessment.band
            );
            if ui.link(text).clicked() {
                commands.send(MainCommand::OpenRecord(RecordRef {
                    reference: format!("assessment:{}", assessment.id),
                    subject: Some((profile.nominal.id, profile.nominal.details.display_name())),
                }));
            }
        }
    }
}
