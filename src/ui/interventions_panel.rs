//! The Interventions area: management interventions (ethical meetings) from proposal to
//! closure. Inspectors see what awaits their decision; proposers see where theirs stand. Each
//! intervention offers only the steps its state allows, and the decision only to an inspector
//! who did not propose it; the library checks the same rules on every step.

mod steps;
use super::app_command::{CommandQueue, MainCommand};
use super::session::{Origin, Request, SearchOwner};
use super::session_view::SessionView;
use super::{theme, widgets};
use crate::domain::{
    Action, InterventionId, InterventionOutcome, InterventionProposal, InterventionState,
    InterventionStep, InterventionView, IsoDate, MeetingRecord, NominalId, OutcomeRecord,
    Preconditions, SearchQuery, SearchTarget, list,
};
use egui::{RichText, Ui};

/// What the area shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum InterventionRoute {
    #[default]
    List,
    Propose,
    Open,
}

/// The proposal form.
#[derive(Debug)]
pub struct ProposalForm {
    pub subject: Option<(NominalId, String)>,
    subject_query: String,
    last_query: String,
    /// The search number whose answer fills the subject suggestions.
    pub search: Option<u64>,
    pub hits: Vec<crate::domain::SearchHit>,
    items: String,
    category: String,
    rationale: String,
    attendees: String,
    proposed_date: String,
    preconditions: Preconditions,
    pub saving: bool,
    pub error: Option<String>,
}

impl Default for ProposalForm {
    fn default() -> Self {
        Self {
            subject: None,
            subject_query: String::new(),
            last_query: String::new(),
            search: None,
            hits: Vec::new(),
            items: String::new(),
            category: String::new(),
            rationale: String::new(),
            attendees: String::new(),
            proposed_date: IsoDate::today_utc().plus_days(14).to_string(),
            preconditions: Preconditions::default(),
            saving: false,
            error: None,
        }
    }
}

/// The fields of the step forms on an open intervention.
#[derive(Debug, Default)]
struct StepForm {
    text: String,
    held_on: String,
    attendees: String,
    summary: String,
    response: String,
    outcome: Option<InterventionOutcome>,
    follow_up_on: String,
    withdraw_reason: String,
}

/// State of the Interventions area.
#[derive(Debug, Default)]
pub struct InterventionsPanel {
    pub route: InterventionRoute,
    /// Only this state (all when `None`).
    pub state_filter: Option<InterventionState>,
    /// The list, once the session thread has sent it.
    pub rows: Option<Vec<InterventionView>>,
    /// The intervention open.
    pub open: Option<InterventionView>,
    pub form: ProposalForm,
    step: StepForm,
    /// Proposals awaiting this user's decision (inspectors), counted at unlock.
    pub awaiting: Option<usize>,
    requested: bool,
    pub error: Option<String>,
}

fn split_list(text: &str) -> Vec<String> {
    text.split([',', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

impl InterventionsPanel {
    /// Forgets the list so it is read again.
    pub fn invalidate(&mut self) {
        self.requested = false;
        self.rows = None;
    }

    /// A step or a proposal was saved: show it, and read the list again.
    pub fn saved(&mut self, id: InterventionId, commands: &CommandQueue) {
        self.form = ProposalForm::default();
        self.step = StepForm::default();
        self.error = None;
        self.invalidate();
        self.route = InterventionRoute::Open;
        commands.request(Origin::Interventions, Request::ViewIntervention(id));
    }

    /// A request failed: show why where it was asked.
    pub fn failed(&mut self, message: &str) {
        if self.form.saving {
            self.form.saving = false;
            self.form.error = Some(message.to_owned());
        } else if self.route == InterventionRoute::Open {
            self.error = Some(message.to_owned());
        }
    }

    pub fn ui(&mut self, ui: &mut Ui, session: &SessionView, commands: &CommandQueue) {
        if session.purpose.is_none() {
            ui.label(
                RichText::new("Set a purpose (top bar) to work on interventions.")
                    .color(theme::MUTED),
            );
            return;
        }
        match self.route {
            InterventionRoute::List => self.list_ui(ui, session, commands),
            InterventionRoute::Propose => self.propose_ui(ui, session, commands),
            InterventionRoute::Open => self.open_ui(ui, session, commands),
        }
    }

    fn list_ui(&mut self, ui: &mut Ui, session: &SessionView, commands: &CommandQueue) {
        if !self.requested {
            self.requested = true;
            self.rows = None;
            commands.request(
                Origin::Interventions,
                Request::Interventions {
                    state: self.state_filter,
                },
            );
        }
        ui.horizontal(|ui| {
            if ui.button("Propose an intervention").clicked() {
                self.form = ProposalForm::default();
                self.route = InterventionRoute::Propose;
            }
            ui.separator();
            ui.label("State:");
            let mut filter = self.state_filter;
            egui::ComboBox::from_id_salt("intervention_state_filter")
                .selected_text(filter.map_or("Every state", InterventionState::label))
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut filter, None, "Every state");
                    for state in InterventionState::ALL {
                        ui.selectable_value(&mut filter, Some(state), state.label());
                    }
                })
                .response
                .widget_info(|| {
                    egui::WidgetInfo::labeled(egui::Role::ComboBox, true, "State filter")
                });
            if filter != self.state_filter {
                self.state_filter = filter;
                self.invalidate();
            }
        });
        let Some(rows) = &self.rows else {
            widgets::busy_ui(ui, "Reading the interventions…");
            return;
        };
        let me = session.user.id;
        if session.may(Action::DecideIntervention) {
            let awaiting = rows
                .iter()
                .filter(|v| {
                    v.intervention.state == InterventionState::Proposed
                        && v.intervention.proposed_by != me
                })
                .count();
            ui.label(
                RichText::new(format!("{awaiting} awaiting your decision"))
                    .strong()
                    .color(if awaiting > 0 {
                        theme::WARNING
                    } else {
                        theme::MUTED
                    }),
            );
        }
        if self.state_filter.is_none() && !rows.is_empty() {
            let counts: Vec<String> = InterventionState::ALL
                .into_iter()
                .filter_map(|state| {
                    let n = rows
                        .iter()
                        .filter(|v| v.intervention.state == state)
                        .count();
                    (n > 0).then(|| format!("{} {n}", state.label()))
                })
                .collect();
            ui.label(format!("By state: {}", counts.join(", ")));
        }
        let mut open = None;
        egui::Grid::new("interventions_table")
            .striped(true)
            .num_columns(6)
            .show(ui, |ui| {
                for heading in ["Id", "State", "Subject", "Proposed for", "Proposed by", ""] {
                    ui.label(RichText::new(heading).strong());
                }
                ui.end_row();
                for view in rows {
                    let i = &view.intervention;
                    ui.label(i.id.to_string());
                    ui.label(i.state.label());
                    if ui.link(&view.subject_name).clicked() {
                        commands.send(MainCommand::OpenNominal(i.proposal.subject));
                    }
                    ui.label(i.proposal.proposed_date.to_string());
                    let by = view
                        .user_names
                        .get(&i.proposed_by.0)
                        .cloned()
                        .unwrap_or_default();
                    ui.label(if i.proposed_by == me {
                        format!("{by} (you)")
                    } else {
                        by
                    });
                    if ui.button(format!("Open intervention {}", i.id)).clicked() {
                        open = Some(i.id);
                    }
                    ui.end_row();
                }
            });
        if let Some(id) = open {
            self.route = InterventionRoute::Open;
            self.open = None;
            self.error = None;
            // What was typed for another intervention never carries over to this one.
            self.step = StepForm::default();
            commands.request(Origin::Interventions, Request::ViewIntervention(id));
        }
    }

    fn propose_ui(&mut self, ui: &mut Ui, session: &SessionView, commands: &CommandQueue) {
        if ui.button("Back to the interventions").clicked() {
            self.route = InterventionRoute::List;
            return;
        }
        let form = &mut self.form;
        ui.label(RichText::new("Propose a management intervention").strong());
        ui.horizontal(|ui| {
            ui.label("Subject:");
            match &form.subject {
                Some((_, name)) => ui.label(RichText::new(name.as_str()).strong()),
                None => ui.label(RichText::new("none chosen").color(theme::MUTED)),
            };
        });
        widgets::labelled_text_ui(
            ui,
            "Find the employee",
            &mut form.subject_query,
            "name, staff number…",
        );
        let text = form.subject_query.trim().to_owned();
        if text.chars().count() >= 2 && text != form.last_query {
            form.last_query.clone_from(&text);
            commands.send(MainCommand::Search(
                SearchOwner::Intervention,
                SearchQuery {
                    text,
                    nominals_only: true,
                    limit: Some(8),
                    ..SearchQuery::default()
                },
            ));
        }
        let mut picked = None;
        ui.horizontal_wrapped(|ui| {
            for hit in &form.hits {
                let SearchTarget::Nominal { id } = hit.target else {
                    continue;
                };
                if ui.button(format!("Subject: {}", hit.title)).clicked() {
                    picked = Some((id, hit.title.clone()));
                }
            }
        });
        if let Some(choice) = picked {
            form.subject = Some(choice);
            form.subject_query.clear();
            form.last_query.clear();
            form.hits.clear();
        }
        widgets::labelled_text_ui(
            ui,
            "Intelligence items",
            &mut form.items,
            "references, comma-separated",
        );
        widgets::code_combo_ui(
            ui,
            "Category",
            list::CORRUPTION_CATEGORY,
            &mut form.category,
            &session.reference,
        );
        let label = ui.label("Rationale");
        ui.add(
            egui::TextEdit::multiline(&mut form.rationale)
                .desired_rows(3)
                .desired_width(f32::INFINITY),
        )
        .labelled_by(label.id);
        widgets::labelled_text_ui(
            ui,
            "Proposed attendees",
            &mut form.attendees,
            "comma-separated",
        );
        widgets::labelled_date_ui(ui, "Proposed date", &mut form.proposed_date);
        ui.add_space(theme::ITEM_SPACING);
        ui.label(RichText::new("Preconditions (seed 001 §4.9.3): answer each").strong());
        let p = &mut form.preconditions;
        for (answer, wording) in [
            (
                &mut p.fully_assessed,
                "The intelligence has been fully assessed",
            ),
            (
                &mut p.cannot_develop_further,
                "It cannot be corroborated or developed further",
            ),
            (
                &mut p.no_criminal_proceedings,
                "Not subject to criminal proceedings",
            ),
            (
                &mut p.no_misconduct_proceedings,
                "Not subject to misconduct proceedings",
            ),
            (
                &mut p.no_service_confidence,
                "Not subject to the Service Confidence procedure",
            ),
        ] {
            ui.horizontal(|ui| {
                ui.label(wording);
                ui.radio_value(answer, Some(true), format!("Yes: {wording}"));
                ui.radio_value(answer, Some(false), format!("No: {wording}"));
            });
        }
        let ready = form.subject.is_some()
            && !split_list(&form.items).is_empty()
            && !form.category.is_empty()
            && form.proposed_date.parse::<IsoDate>().is_ok();
        ui.horizontal(|ui| {
            if ui
                .add_enabled(ready && !form.saving, egui::Button::new("Propose"))
                .clicked()
                && let (Some((subject, _)), Ok(proposed_date)) =
                    (&form.subject, form.proposed_date.parse::<IsoDate>())
            {
                form.saving = true;
                form.error = None;
                commands.request(
                    Origin::Interventions,
                    Request::ProposeIntervention(Box::new(InterventionProposal {
                        subject: *subject,
                        items: split_list(&form.items),
                        category: form.category.clone(),
                        rationale: form.rationale.trim().to_owned(),
                        proposed_attendees: split_list(&form.attendees),
                        proposed_date,
                        preconditions: form.preconditions,
                    })),
                );
            }
            if !ready {
                ui.label(
                    RichText::new(
                        "To propose: a subject, at least one item, a category and a date.",
                    )
                    .color(theme::MUTED),
                );
            }
        });
        if let Some(error) = &form.error {
            widgets::error_ui(ui, error);
        }
    }

    fn open_ui(&mut self, ui: &mut Ui, session: &SessionView, commands: &CommandQueue) {
        if ui.button("Back to the interventions").clicked() {
            self.route = InterventionRoute::List;
            self.invalidate();
            return;
        }
        let Some(view) = self.open.clone() else {
            widgets::busy_ui(ui, "Opening the intervention…");
            return;
        };
        let i = &view.intervention;
        let name = |id: crate::domain::UserId| {
            view.user_names
                .get(&id.0)
                .cloned()
                .unwrap_or_else(|| format!("user {id}"))
        };
        ui.heading(format!("Intervention {}: {}", i.id, i.state.label()));
        ui.label(format!(
            "{} · proposed by {} for {} · items {}",
            view.subject_name,
            name(i.proposed_by),
            i.proposal.proposed_date,
            i.proposal.items.join(", ")
        ));
        ui.label(format!("Rationale: {}", i.proposal.rationale));
        for (_, wording, answer) in i.proposal.preconditions.answers() {
            let (mark, colour) = match answer {
                Some(true) => ("met", theme::OK),
                Some(false) => ("NOT met", theme::DANGER),
                None => ("not answered", theme::WARNING),
            };
            ui.label(RichText::new(format!("{wording}: {mark}")).color(colour));
        }
        if let (Some(by), Some(rationale)) = (i.decided_by, &i.decision_rationale) {
            ui.label(format!("Decided by {}: {rationale}", name(by)));
        }
        if let Some(meeting) = &i.meeting {
            ui.label(format!(
                "Meeting {}: {} Response: {}",
                meeting.held_on, meeting.summary, meeting.officer_response
            ));
        }
        if let Some(outcome) = &i.outcome {
            ui.label(format!(
                "Outcome: {}; follow-up on {}",
                outcome.outcome.label(),
                outcome.follow_up_on
            ));
        }
        ui.add_space(theme::ITEM_SPACING);
        if ui.button("Export the authorisation record…").clicked() {
            commands.send(MainCommand::ExportIntervention(i.id));
        }
        ui.add_space(theme::SECTION_SPACING);
        self.steps_ui(ui, session, &view, commands);
        if let Some(error) = &self.error {
            widgets::error_ui(ui, error);
        }
        ui.add_space(theme::SECTION_SPACING);
        ui.label(RichText::new("History").strong());
        for step in &i.history {
            ui.label(format!(
                "{}  {}, now {}, by {}{}",
                step.at_utc.get(..16).unwrap_or(&step.at_utc),
                step.step.replace('_', " "),
                step.to.label(),
                name(step.by),
                if step.note.is_empty() {
                    String::new()
                } else {
                    format!(": {}", step.note)
                }
            ));
        }
    }
}
