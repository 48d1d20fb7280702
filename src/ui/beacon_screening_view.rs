//! Beacon screening in the Risk tools area (issue 24): the workforce screened for the
//! data-testable warning signs of abuse of position, and the staff the data puts on the
//! "Beacon assessment due" list, each with the findings behind it, so a detective can see why
//! someone is listed and go on to assess them under Beacon with the data's suggestions.
//!
//! The lists never name the person a finding concerns: they say "the victim in case CR/…".
//! The name is shown only when a finding is opened, which the library records with the
//! session's purpose. Nothing here assesses anyone.

use super::app_command::{CommandQueue, MainCommand};
use super::session::{Origin, Request};
use super::session_view::SessionView;
use super::{theme, widgets};
use crate::domain::Action;
use crate::risk::beacon_screen::{BEACON_THRESHOLD, BeaconFinding, EvidenceSource};
use crate::workbench::{BeaconScreening, OpenedFinding, ScreenedEmployee};
use egui::{RichText, Ui};

/// What the view says before the first screening.
pub const NOT_SCREENED: &str = "Not screened yet: screening reads the imported audit trails, call data, command and control logs and crime records";

/// The note beside an opened finding.
pub const OPENED_NOTE: &str = "Opening this finding was recorded with your purpose";

/// State of the screening view.
#[derive(Debug)]
pub struct BeaconScreeningView {
    /// The score from which a member of staff is due an assessment.
    pub threshold: u32,
    /// The last screening, once the session thread has sent it.
    pub screening: Option<BeaconScreening>,
    /// Set while the session thread screens.
    pub screening_busy: bool,
    /// The finding opened, with the person named.
    pub opened: Option<OpenedFinding>,
    /// Set while a finding is being opened.
    pub opening: bool,
    /// An assessment was saved since the last screening, which was dropped.
    stale: bool,
}

impl Default for BeaconScreeningView {
    fn default() -> Self {
        Self {
            threshold: BEACON_THRESHOLD,
            screening: None,
            screening_busy: false,
            opened: None,
            opening: false,
            stale: false,
        }
    }
}

/// What a click in the lists asks for (applied after the lists are drawn).
enum Clicked {
    Open(String),
    Assess(crate::domain::NominalId, String),
}

impl BeaconScreeningView {
    /// A screening arrived.
    pub fn screened(&mut self, screening: BeaconScreening) {
        self.screening_busy = false;
        self.stale = false;
        self.screening = Some(screening);
    }

    /// A finding was opened.
    pub fn opened(&mut self, opened: OpenedFinding) {
        self.opening = false;
        self.opened = Some(opened);
    }

    /// A request from the Risk tools area failed: nothing is under way any more.
    pub fn failed(&mut self) {
        self.screening_busy = false;
        self.opening = false;
    }

    /// Forgets the screening (an assessment was saved: who is due may have changed).
    pub fn invalidate(&mut self) {
        self.stale = self.screening.is_some();
        self.screening = None;
        self.opened = None;
    }

    pub fn ui(&mut self, ui: &mut Ui, session: &SessionView, commands: &CommandQueue) {
        ui.label(
            RichText::new(
                "Screening looks for the data-testable Beacon warning signs across the workforce. \
                 It assesses nobody: a detective answers every factor.",
            )
            .color(theme::MUTED),
        );
        let may_screen = session.may(Action::CrossReference);
        if !may_screen {
            ui.label(RichText::new("Your role does not screen the workforce.").color(theme::MUTED));
            return;
        }
        if session.purpose.is_none() {
            ui.label(
                RichText::new("Set a purpose (top bar) to screen the workforce.")
                    .color(theme::MUTED),
            );
            return;
        }
        ui.horizontal(|ui| {
            let label = ui.label("Threshold");
            ui.add(egui::DragValue::new(&mut self.threshold).range(0..=100))
                .labelled_by(label.id);
            let screen = ui.add_enabled(
                !self.screening_busy,
                egui::Button::new("Screen the workforce"),
            );
            if screen.clicked() {
                self.screening_busy = true;
                self.opened = None;
                commands.request(
                    Origin::Risk,
                    Request::BeaconScreen {
                        threshold: self.threshold,
                    },
                );
            }
        });
        if self.screening_busy {
            widgets::busy_ui(ui, "Screening the workforce…");
        }
        ui.add_space(theme::ITEM_SPACING);
        self.opened_ui(ui);
        let Some(screening) = &self.screening else {
            if self.screening_busy {
                return;
            }
            if self.stale {
                ui.label(
                    RichText::new(
                        "An assessment was saved since the last screening: screen again to see who is due.",
                    )
                    .color(theme::MUTED),
                );
            } else {
                ui.label(RichText::new(NOT_SCREENED).color(theme::MUTED));
            }
            return;
        };
        let mut clicked = None;
        egui::ScrollArea::vertical()
            .id_salt("beacon_screening")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                clicked = screening_ui(ui, screening, self.opening, session.may(Action::Assess));
            });
        match clicked {
            Some(Clicked::Open(fingerprint)) => {
                self.opening = true;
                commands.request(Origin::Risk, Request::OpenBeaconFinding(fingerprint));
            }
            Some(Clicked::Assess(id, name)) => {
                commands.send(MainCommand::AssessUnderBeacon(id, name));
            }
            None => {}
        }
    }

    /// The finding opened: the person named, the facts and the evidence rows.
    fn opened_ui(&mut self, ui: &mut Ui) {
        let Some(opened) = &self.opened else {
            return;
        };
        let mut close = false;
        ui.group(|ui| {
            ui.set_width(ui.available_width());
            ui.label(
                RichText::new(format!(
                    "{}: {} ({})",
                    opened.finding.indicator.label(),
                    opened.person_name,
                    opened.finding.person_phrase
                ))
                .strong(),
            );
            ui.label(format!(
                "Member of staff: {}. Score {}.",
                opened.employee_name, opened.finding.score
            ));
            for fact in &opened.finding.facts {
                ui.label(fact);
            }
            for reading in &opened.finding.readings {
                ui.label(RichText::new(reading).color(theme::MUTED));
            }
            ui.add_space(theme::ITEM_SPACING);
            ui.label(
                RichText::new(format!(
                    "Evidence: {}{}",
                    evidence_words(&opened.finding),
                    if opened.evidence.len() < evidence_rows_in_all(&opened.finding) {
                        format!(" (the first {} shown)", opened.evidence.len())
                    } else {
                        String::new()
                    }
                ))
                .strong(),
            );
            egui::Grid::new("beacon_finding_evidence")
                .striped(true)
                .num_columns(3)
                .show(ui, |ui| {
                    for heading in ["Source", "When", "What"] {
                        ui.label(RichText::new(heading).strong());
                    }
                    ui.end_row();
                    for row in &opened.evidence {
                        ui.label(format!("{} #{}", row.row.source.label(), row.row.id));
                        ui.label(&row.when);
                        ui.label(&row.words);
                        ui.end_row();
                    }
                });
            ui.label(RichText::new(OPENED_NOTE).color(theme::MUTED).italics());
            close = ui.button("Close the finding").clicked();
        });
        if close {
            self.opened = None;
        }
        ui.add_space(theme::ITEM_SPACING);
    }
}

/// The screening's lists; returns what was clicked.
fn screening_ui(
    ui: &mut Ui,
    screening: &BeaconScreening,
    opening: bool,
    may_assess: bool,
) -> Option<Clicked> {
    let mut clicked = None;
    let counts = &screening.counts;
    ui.label(
        RichText::new(format!(
            "Screened on {} at threshold {}. Read: {}, {}, {} and {}.",
            screening.as_of,
            screening.threshold,
            widgets::count_words(counts.case_parties, "case party", "case parties"),
            widgets::count_words(
                usize::try_from(counts.lookups_read).unwrap_or(usize::MAX),
                "look-up",
                "look-ups"
            ),
            widgets::count_words(
                usize::try_from(counts.calls_read).unwrap_or(usize::MAX),
                "call",
                "calls"
            ),
            widgets::count_words(
                usize::try_from(counts.self_deployments_read).unwrap_or(usize::MAX),
                "self-deployment",
                "self-deployments"
            ),
        ))
        .color(theme::MUTED),
    );
    ui.add_space(theme::ITEM_SPACING);
    ui.label(RichText::new(format!("Beacon assessment due: {}", screening.due.len())).heading());
    if screening.due.is_empty() {
        ui.label("Nobody is due a Beacon assessment at this threshold.");
    }
    for entry in &screening.due {
        employee_ui(ui, entry, may_assess, opening, &mut clicked);
    }
    ui.add_space(theme::SECTION_SPACING);
    for (title, list, salt) in [
        (
            format!(
                "Assessed since, nothing new: {}",
                screening.assessed_unchanged.len()
            ),
            &screening.assessed_unchanged,
            "beacon_assessed_unchanged",
        ),
        (
            format!("Below the threshold: {}", screening.below.len()),
            &screening.below,
            "beacon_below",
        ),
    ] {
        egui::CollapsingHeader::new(RichText::new(title).strong())
            .id_salt(salt)
            .default_open(false)
            .show(ui, |ui| {
                if list.is_empty() {
                    ui.label(RichText::new("Nobody.").color(theme::MUTED));
                }
                for entry in list {
                    employee_ui(ui, entry, false, opening, &mut clicked);
                }
            });
    }
    clicked
}

/// The case records a finding names beside the rows it counted.
fn case_records(finding: &BeaconFinding) -> usize {
    finding
        .evidence
        .iter()
        .filter(|row| row.source == EvidenceSource::Case)
        .count()
}

/// Every row a finding rests on: the rows counted and the case records.
fn evidence_rows_in_all(finding: &BeaconFinding) -> usize {
    finding.evidence_total + case_records(finding)
}

/// A finding's evidence in words: "3 rows and 1 case record".
fn evidence_words(finding: &BeaconFinding) -> String {
    let rows = widgets::count_words(finding.evidence_total, "row", "rows");
    match case_records(finding) {
        0 => rows,
        n => format!(
            "{rows} and {}",
            widgets::count_words(n, "case record", "case records")
        ),
    }
}

/// One member of staff: who, their top score, when last assessed and what changed since, and
/// their findings; `assess` offers to assess them under Beacon (the due list, for assessors).
fn employee_ui(
    ui: &mut Ui,
    entry: &ScreenedEmployee,
    assess: bool,
    opening: bool,
    clicked: &mut Option<Clicked>,
) {
    ui.group(|ui| {
        ui.set_width(ui.available_width());
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(&entry.employee_name).strong());
            ui.label(format!(
                "staff number {}",
                entry.staff_number.as_deref().unwrap_or("not recorded")
            ));
            ui.label(format!("top score {}", entry.top_score));
            ui.label(format!(
                "last assessed {}",
                entry
                    .last_assessed_on
                    .map_or_else(|| String::from("never"), |d| d.to_string())
            ));
        });
        match &entry.changes {
            Some(changes) if !changes.words.is_empty() => {
                for words in &changes.words {
                    ui.label(RichText::new(words).color(theme::WARNING));
                }
            }
            Some(_) => {
                ui.label(
                    RichText::new("Nothing new since the last Beacon assessment.")
                        .color(theme::MUTED),
                );
            }
            None => {
                ui.label(
                    RichText::new("Never assessed under Beacon: every finding is new.")
                        .color(theme::MUTED),
                );
            }
        }
        if assess
            && ui
                .button(format!("Assess under Beacon: {}", entry.employee_name))
                .clicked()
        {
            *clicked = Some(Clicked::Assess(entry.employee, entry.employee_name.clone()));
        }
        egui::CollapsingHeader::new(format!(
            "Findings about {} ({})",
            entry.employee_name,
            entry.findings.len()
        ))
        .id_salt(("beacon_findings", entry.employee.0))
        .default_open(true)
        .show(ui, |ui| {
            for finding in &entry.findings {
                if let Some(open) = finding_ui(ui, finding, opening) {
                    *clicked = Some(open);
                }
            }
        });
    });
}

/// One finding, without the person's name: the indicator, the score, the person phrase, the
/// facts, and the innocent readings in a muted colour.
fn finding_ui(ui: &mut Ui, finding: &BeaconFinding, opening: bool) -> Option<Clicked> {
    let mut clicked = None;
    ui.add_space(theme::ITEM_SPACING);
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(finding.indicator.label()).strong());
        ui.label(RichText::new(format!("score {}", finding.score)).strong());
        ui.label(format!("about {}", finding.person_phrase));
    });
    for fact in &finding.facts {
        ui.label(format!("• {fact}"));
    }
    for reading in &finding.readings {
        ui.label(RichText::new(format!("Innocent reading: {reading}")).color(theme::MUTED));
    }
    ui.horizontal(|ui| {
        ui.label(
            RichText::new(format!("Evidence: {}", evidence_words(finding))).color(theme::MUTED),
        );
        let open = ui
            .add_enabled(!opening, egui::Button::new("Open finding"))
            .on_hover_text(
                "Names the person and shows the evidence rows; recorded with your purpose.",
            );
        open.widget_info(|| {
            egui::WidgetInfo::labeled(
                egui::Role::Button,
                !opening,
                format!(
                    "Open finding: {} about {}",
                    finding.indicator.label(),
                    finding.person_phrase
                ),
            )
        });
        if open.clicked() {
            clicked = Some(Clicked::Open(finding.fingerprint.clone()));
        }
    });
    clicked
}
