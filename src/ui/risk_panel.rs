//! The Risk tools area: assess a subject under an instrument, see a subject's history, screen
//! the workforce for the Beacon warning signs, and read (inspectors: revise) the instruments
//! themselves.

use super::app_command::{CommandQueue, MainCommand};
use super::assessment_form::AssessmentForm;
use super::assessment_history::AssessmentHistory;
use super::beacon_cohort_view::BeaconCohortView;
use super::beacon_screening_view::BeaconScreeningView;
use super::instrument_editor::InstrumentEditor;
use super::session::{Origin, Request};
use super::session_view::SessionView;
use super::{theme, widgets};
use crate::domain::{Action, NominalId};
use crate::risk::{AssessmentRecord, Instrument, InstrumentVersionInfo};
use egui::{RichText, Ui};

/// The instrument the form opens with: most CCU assessments are Beacon assessments.
const DEFAULT_INSTRUMENT: &str = "beacon";

/// Which view of the area is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RiskView {
    #[default]
    Assess,
    History,
    Cohort,
    Screening,
    Instruments,
}

/// State of the Risk tools area.
#[derive(Debug)]
pub struct RiskPanel {
    pub view: RiskView,
    pub form: AssessmentForm,
    pub history: AssessmentHistory,
    pub cohort: BeaconCohortView,
    pub screening: BeaconScreeningView,
    pub editor: InstrumentEditor,
    /// Every stored instrument version, once the session thread has sent them.
    pub instruments: Option<Vec<InstrumentVersionInfo>>,
    /// The instrument the form assesses under (its newest version).
    form_key: String,
    requested: bool,
}

impl Default for RiskPanel {
    fn default() -> Self {
        Self {
            view: RiskView::Assess,
            form: AssessmentForm::default(),
            history: AssessmentHistory::default(),
            cohort: BeaconCohortView::default(),
            screening: BeaconScreeningView::default(),
            editor: InstrumentEditor::default(),
            instruments: None,
            form_key: String::from(DEFAULT_INSTRUMENT),
            requested: false,
        }
    }
}

impl RiskPanel {
    /// Opens the form on `subject` (from a nominal's profile).
    pub fn assess(&mut self, subject: NominalId, name: String) {
        self.view = RiskView::Assess;
        self.form.start_for(subject, name);
    }

    /// Opens the form under the Beacon instrument on a member of staff the screening listed,
    /// and asks for the answers the data suggests.
    pub fn assess_under_beacon(
        &mut self,
        subject: NominalId,
        name: String,
        commands: &CommandQueue,
    ) {
        self.view = RiskView::Assess;
        if self.form_key != crate::workbench::BEACON_INSTRUMENT {
            self.form_key = String::from(crate::workbench::BEACON_INSTRUMENT);
            self.form.instrument = None;
            commands.request(
                Origin::Risk,
                Request::LoadInstrument {
                    key: self.form_key.clone(),
                    version: None,
                    for_form: true,
                },
            );
        }
        self.form.start_for(subject, name);
        commands.request(Origin::Risk, Request::BeaconSuggestions(subject));
    }

    /// An instrument arrived, for the form or the viewer.
    pub fn apply_instrument(&mut self, instrument: Instrument, for_form: bool) {
        if for_form {
            if instrument.key() == self.form_key {
                self.form.set_instrument(instrument);
            }
        } else {
            self.editor.viewing = Some(instrument);
        }
    }

    /// An assessment was saved: show it in the subject's history.
    pub fn apply_saved(&mut self, record: &AssessmentRecord, commands: &CommandQueue) {
        self.form.saved();
        self.cohort.invalidate();
        self.screening.invalidate();
        let name = self
            .form
            .subject
            .as_ref()
            .filter(|(id, _)| *id == record.subject)
            .map_or_else(|| format!("#{}", record.subject), |(_, n)| n.clone());
        self.history.show_subject(record.subject, name, commands);
        self.view = RiskView::History;
    }

    /// A version was published: the list is out of date and the draft is done.
    pub fn apply_published(&mut self, commands: &CommandQueue) {
        self.editor.published();
        self.instruments = None;
        self.ask_instruments(commands);
    }

    /// Asks for the list of instruments and the newest version of the form's instrument.
    fn ask_instruments(&self, commands: &CommandQueue) {
        commands.request(Origin::Risk, Request::ListInstruments);
        commands.request(
            Origin::Risk,
            Request::LoadInstrument {
                key: self.form_key.clone(),
                version: None,
                for_form: true,
            },
        );
    }

    /// A request from this area failed.
    pub fn failed(&mut self, message: &str) {
        if self.form.saving {
            self.form.failed(message.to_owned());
        }
        self.editor.publishing = false;
        self.screening.failed();
    }

    pub fn ui(&mut self, ui: &mut Ui, session: &SessionView, commands: &CommandQueue) {
        if !self.requested {
            self.requested = true;
            self.ask_instruments(commands);
        }
        ui.horizontal(|ui| {
            for (view, label) in [
                (RiskView::Assess, "Assess"),
                (RiskView::History, "Assessment history"),
                (RiskView::Cohort, "Beacon cohort"),
                (RiskView::Screening, "Beacon screening"),
                (RiskView::Instruments, "Instrument versions"),
            ] {
                if ui.selectable_label(self.view == view, label).clicked() {
                    self.view = view;
                    if view == RiskView::History
                        && self.history.subject.is_none()
                        && let Some((id, name)) = self.form.subject.clone()
                    {
                        self.history.show_subject(id, name, commands);
                    }
                }
            }
        });
        ui.separator();
        match self.view {
            RiskView::Assess => {
                self.instrument_choice_ui(ui, commands);
                self.form.ui(ui, session, commands);
            }
            RiskView::History => self.history.ui(
                ui,
                self.instruments.as_deref(),
                self.form.instrument.as_ref(),
                commands,
            ),
            RiskView::Screening => self.screening.ui(ui, session, commands),
            RiskView::Cohort => {
                if session.purpose.is_none() {
                    ui.label(
                        RichText::new("Set a purpose (top bar) to read the cohort.")
                            .color(theme::MUTED),
                    );
                } else {
                    self.cohort.ui(ui, session, commands);
                }
            }
            RiskView::Instruments => self.instruments_ui(ui, session, commands),
        }
    }

    fn instrument_choice_ui(&mut self, ui: &mut Ui, commands: &CommandQueue) {
        let Some(versions) = &self.instruments else {
            return;
        };
        // The intelligence priority instrument scores items: it is offered in the item view.
        let latest: Vec<&InstrumentVersionInfo> = versions
            .iter()
            .filter(|v| v.latest && v.key != crate::risk::ITEM_PRIORITY_INSTRUMENT)
            .collect();
        let current = latest
            .iter()
            .find(|v| v.key == self.form_key)
            .map_or_else(|| self.form_key.clone(), |v| v.name.clone());
        let mut chosen = None;
        ui.horizontal(|ui| {
            ui.label("Instrument");
            egui::ComboBox::from_id_salt("assess_instrument")
                .selected_text(current)
                .width(theme::FIELD_WIDTH)
                .show_ui(ui, |ui| {
                    for version in &latest {
                        if ui
                            .selectable_label(version.key == self.form_key, &version.name)
                            .clicked()
                        {
                            chosen = Some(version.key.clone());
                        }
                    }
                })
                .response
                .widget_info(|| {
                    egui::WidgetInfo::labeled(egui::Role::ComboBox, true, "Instrument")
                });
        });
        if let Some(key) = chosen
            && key != self.form_key
        {
            self.form_key.clone_from(&key);
            self.form.instrument = None;
            commands.request(
                Origin::Risk,
                Request::LoadInstrument {
                    key,
                    version: None,
                    for_form: true,
                },
            );
        }
    }

    fn instruments_ui(&mut self, ui: &mut Ui, session: &SessionView, commands: &CommandQueue) {
        let may_publish = session.may(Action::PublishInstrument);
        let Some(versions) = &self.instruments else {
            widgets::busy_ui(ui, "Listing the instruments…");
            return;
        };
        if may_publish && ui.button("Publish an instrument file…").clicked() {
            commands.send(MainCommand::ImportInstrumentFile);
        }
        let mut open = None;
        egui::Grid::new("instrument_versions")
            .striped(true)
            .num_columns(6)
            .show(ui, |ui| {
                for heading in ["Instrument", "Version", "Published", "By", "In use", ""] {
                    ui.label(RichText::new(heading).strong());
                }
                ui.end_row();
                for version in versions {
                    ui.label(&version.name);
                    ui.label(version.version.to_string());
                    ui.label(version.published_at_utc.get(..10).unwrap_or_default());
                    ui.label(&version.publisher);
                    ui.label(if version.latest { "yes" } else { "" });
                    if ui
                        .button(format!("View {} v{}", version.key, version.version))
                        .clicked()
                    {
                        open = Some((version.key.clone(), version.version));
                    }
                    ui.end_row();
                }
            });
        if let Some((key, version)) = open {
            self.editor.draft = None;
            commands.request(
                Origin::Risk,
                Request::LoadInstrument {
                    key,
                    version: Some(version),
                    for_form: false,
                },
            );
        }
        ui.add_space(theme::SECTION_SPACING);
        let newest = self.editor.viewing.as_ref().and_then(|open| {
            versions
                .iter()
                .filter(|v| v.key == open.key())
                .map(|v| v.version)
                .max()
        });
        self.editor.ui(ui, newest, may_publish, commands);
    }
}
