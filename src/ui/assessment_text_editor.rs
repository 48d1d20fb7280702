//! The analyst's text of the threat assessment (seed 000's argument): shown with the report,
//! written and edited section by section by analysts and inspectors for the period on screen,
//! and saved as a new version through the session thread. Earlier versions can be read, so
//! what a board was shown stays on record.

use super::app_command::CommandQueue;
use super::session::{Origin, Request};
use super::session_view::SessionView;
use super::{theme, widgets};
use crate::domain::{Action, IsoDate, list};
use crate::risk::threat_assessment::{
    AssessmentText, AssessmentTextVersion, Edition, ThreatAssessment, ThreatJudgement, paragraphs,
};
use egui::{RichText, Ui};

/// A text being written for a period.
#[derive(Debug, Clone)]
pub struct TextDraft {
    pub from: IsoDate,
    pub to: IsoDate,
    /// The version the writer started from (`None` for a first text).
    pub based_on: Option<u32>,
    pub text: AssessmentText,
    /// The edition the report is read in, to read it again after the save.
    pub edition: Edition,
}

/// State of the analyst's text.
#[derive(Debug, Default)]
pub struct AssessmentTextEditor {
    pub editing: Option<TextDraft>,
    pub saving: bool,
    /// Every version of the text of the period on screen, once asked for.
    pub history: Option<Vec<AssessmentTextVersion>>,
    history_requested: bool,
}

impl AssessmentTextEditor {
    /// The text was saved: the edit ends.
    pub fn saved(&mut self) {
        self.saving = false;
        self.editing = None;
        self.history = None;
        self.history_requested = false;
    }

    /// A request failed: a save in progress stops, the draft stays open.
    pub fn failed(&mut self) {
        self.saving = false;
    }

    /// A new period was read: its versions are asked for again when wanted.
    pub fn period_changed(&mut self) {
        self.history = None;
        self.history_requested = false;
    }

    /// The edit of the text, in place of the report while it is open. Returns whether it is.
    pub fn edit_ui(
        &mut self,
        ui: &mut Ui,
        reference: &crate::domain::ReferenceData,
        commands: &CommandQueue,
    ) -> bool {
        let Some(draft) = &mut self.editing else {
            return false;
        };
        ui.heading(format!(
            "The analyst's text for {} to {}",
            draft.from, draft.to
        ));
        ui.label(
            RichText::new(
                "Printed in both editions, the sanitised one for publication included: write \
                 no names. Saving adds a new version; earlier versions are kept.",
            )
            .color(theme::WARNING),
        );
        egui::ScrollArea::vertical()
            .id_salt("assessment_text_edit")
            .max_height(ui.available_height() - 40.0)
            .show(ui, |ui| {
                ui.label(RichText::new("Executive summary").strong());
                ui.add(
                    egui::TextEdit::multiline(&mut draft.text.summary)
                        .desired_width(f32::INFINITY)
                        .desired_rows(6)
                        .hint_text(
                            "What the assessment concludes; a blank line starts a paragraph",
                        ),
                )
                .widget_info(|| {
                    egui::WidgetInfo::labeled(egui::Role::TextInput, true, "Executive summary")
                });
                ui.add_space(theme::SECTION_SPACING);
                paragraph_list_ui(ui, "Key judgement", &mut draft.text.key_judgements);
                ui.add_space(theme::SECTION_SPACING);
                threats_ui(ui, &mut draft.text.threats, reference);
                ui.add_space(theme::SECTION_SPACING);
                paragraph_list_ui(
                    ui,
                    "Intelligence requirement",
                    &mut draft.text.intelligence_requirements,
                );
                ui.add_space(theme::SECTION_SPACING);
                paragraph_list_ui(ui, "Recommendation", &mut draft.text.recommendations);
            });
        ui.separator();
        let saving = self.saving;
        let mut save = false;
        let mut stop = false;
        ui.horizontal(|ui| {
            save = ui
                .add_enabled(!saving, egui::Button::new("Save the analyst's text"))
                .clicked();
            stop = ui.button("Stop editing").clicked();
            if saving {
                widgets::busy_ui(ui, "Saving…");
            }
        });
        if save {
            self.saving = true;
            commands.request(
                Origin::Reports,
                Request::SaveAssessmentText {
                    from: draft.from,
                    to: draft.to,
                    text: Box::new(draft.text.clone()),
                    based_on: draft.based_on,
                    edition: draft.edition,
                },
            );
        }
        if stop {
            self.editing = None;
        }
        true
    }

    /// The button that opens the text of the assessment on screen for writing, for analysts
    /// and inspectors, and the earlier versions.
    pub fn actions_ui(
        &mut self,
        ui: &mut Ui,
        assessment: &ThreatAssessment,
        session: &SessionView,
        commands: &CommandQueue,
    ) {
        if Action::WriteThreatAssessment.is_permitted_for(session.user.role) {
            let words = match &assessment.text {
                Some(version) => format!("Edit the analyst's text (version {})", version.version),
                None => String::from("Write the analyst's text for this period"),
            };
            if ui.button(words).clicked() {
                self.editing = Some(TextDraft {
                    from: assessment.from,
                    to: assessment.to,
                    based_on: assessment.text.as_ref().map(|v| v.version),
                    text: assessment
                        .text
                        .as_ref()
                        .map(|v| v.text.clone())
                        .unwrap_or_default(),
                    edition: assessment.edition,
                });
            }
        }
        if assessment.text.as_ref().is_some_and(|v| v.version > 1) {
            let response = egui::CollapsingHeader::new("Earlier versions of the text")
                .default_open(false)
                .show(ui, |ui| match &self.history {
                    None => widgets::busy_ui(ui, "Reading the versions…"),
                    Some(versions) => {
                        for version in versions.iter().skip(1) {
                            egui::CollapsingHeader::new(version_words(version))
                                .default_open(false)
                                .show(ui, |ui| text_ui(ui, &version.text, assessment));
                        }
                    }
                });
            if response.body_returned.is_some() && !self.history_requested {
                self.history_requested = true;
                commands.request(
                    Origin::Reports,
                    Request::AssessmentTextVersions {
                        from: assessment.from,
                        to: assessment.to,
                    },
                );
            }
        }
    }
}

/// "Version 2 by Analyst Demo, saved 2026-12-04".
pub fn version_words(version: &AssessmentTextVersion) -> String {
    format!("Version {}{}", version.version, version.saved_words())
}

/// A short button whose full name (for screen readers, tests and the tooltip) says what it
/// acts on. Whether it was clicked.
fn named_button(ui: &mut Ui, text: &str, name: &str) -> bool {
    let response = ui.button(text).on_hover_text(name);
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, ui.is_enabled(), name));
    response.clicked()
}

/// A list of paragraphs (judgements, requirements, recommendations), each editable and
/// removable, with a button to add one.
fn paragraph_list_ui(ui: &mut Ui, noun: &str, entries: &mut Vec<String>) {
    ui.label(RichText::new(format!("{noun}s")).strong());
    if entries.is_empty() {
        ui.label(RichText::new("None yet.").color(theme::MUTED));
    }
    let mut remove = None;
    for (index, entry) in entries.iter_mut().enumerate() {
        let name = format!("{noun} {}", index + 1);
        ui.horizontal(|ui| {
            ui.label(format!("{}.", index + 1));
            ui.add(
                egui::TextEdit::multiline(entry)
                    .desired_width(ui.available_width() - 90.0)
                    .desired_rows(2),
            )
            .widget_info(|| egui::WidgetInfo::labeled(egui::Role::TextInput, true, &name));
            if named_button(ui, "Remove", &format!("Remove {}", name.to_lowercase())) {
                remove = Some(index);
            }
        });
    }
    if let Some(index) = remove {
        entries.remove(index);
    }
    let noun = noun.to_lowercase();
    let article = if noun.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    if ui.button(format!("Add {article} {noun}")).clicked() {
        entries.push(String::new());
    }
}

/// The ranked threats: each a category chosen by name, the analyst's assessment, and buttons
/// to move it up or down the ranking or remove it.
fn threats_ui(
    ui: &mut Ui,
    threats: &mut Vec<ThreatJudgement>,
    reference: &crate::domain::ReferenceData,
) {
    ui.label(RichText::new("Threats in priority order").strong());
    if threats.is_empty() {
        ui.label(RichText::new("None ranked yet.").color(theme::MUTED));
    }
    let mut action = None;
    let count = threats.len();
    for (index, threat) in threats.iter_mut().enumerate() {
        let n = index + 1;
        ui.horizontal(|ui| {
            widgets::code_combo_ui(
                ui,
                &format!("Priority {n}"),
                list::CORRUPTION_CATEGORY,
                &mut threat.category,
                reference,
            );
            ui.add_enabled_ui(index > 0, |ui| {
                if named_button(ui, "Up", &format!("Move priority {n} up")) {
                    action = Some((index, -1));
                }
            });
            ui.add_enabled_ui(index + 1 < count, |ui| {
                if named_button(ui, "Down", &format!("Move priority {n} down")) {
                    action = Some((index, 1));
                }
            });
            if named_button(ui, "Remove", &format!("Remove priority {n}")) {
                action = Some((index, 0));
            }
        });
        let name = format!("Assessment of priority {n}");
        ui.add(
            egui::TextEdit::multiline(&mut threat.assessment)
                .desired_width(f32::INFINITY)
                .desired_rows(3)
                .hint_text("Why it ranks here, and where it is going"),
        )
        .widget_info(|| egui::WidgetInfo::labeled(egui::Role::TextInput, true, &name));
    }
    match action {
        Some((index, 0)) => {
            threats.remove(index);
        }
        Some((index, -1)) => threats.swap(index, index - 1),
        Some((index, _)) => threats.swap(index, index + 1),
        None => {}
    }
    if ui.button("Add a threat").clicked() {
        let next = reference
            .current_codes(list::CORRUPTION_CATEGORY)
            .map(|code| code.code.clone())
            .find(|code| threats.iter().all(|t| &t.category != code))
            .unwrap_or_default();
        threats.push(ThreatJudgement {
            category: next,
            assessment: String::new(),
        });
    }
}

/// A version of the text as the report shows it (without the figures).
fn text_ui(ui: &mut Ui, text: &AssessmentText, a: &ThreatAssessment) {
    for paragraph in paragraphs(&text.summary) {
        ui.label(paragraph);
    }
    for (heading, entries) in [
        ("Key judgements", &text.key_judgements),
        ("Intelligence requirements", &text.intelligence_requirements),
        ("Recommendations", &text.recommendations),
    ] {
        ui.label(RichText::new(heading).strong());
        for (index, entry) in entries.iter().enumerate() {
            ui.label(format!("{}. {entry}", index + 1));
        }
    }
    ui.label(RichText::new("Threats in priority order").strong());
    for (index, threat) in text.threats.iter().enumerate() {
        ui.label(format!(
            "{}. {}: {}",
            index + 1,
            a.labels.label(list::CORRUPTION_CATEGORY, &threat.category),
            threat.assessment
        ));
    }
}
