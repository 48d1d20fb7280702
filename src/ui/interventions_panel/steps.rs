//! The steps of an open intervention that its state allows this user (decide, record the
//! meeting and outcome, review, close, withdraw), each with its fields.

use super::{
    Action, CommandQueue, InterventionOutcome, InterventionState, InterventionStep,
    InterventionView, InterventionsPanel, IsoDate, MeetingRecord, Origin, OutcomeRecord, Request,
    RichText, SessionView, Ui, split_list, theme, widgets,
};

impl InterventionsPanel {
    /// The steps the intervention's state allows this user, each with its fields.
    #[expect(
        clippy::too_many_lines,
        reason = "one arm per intervention state, each with its step form"
    )]
    pub(super) fn steps_ui(
        &mut self,
        ui: &mut Ui,
        session: &SessionView,
        view: &InterventionView,
        commands: &CommandQueue,
    ) {
        let i = &view.intervention;
        let me = session.user.id;
        let inspector = session.may(Action::DecideIntervention);
        let send = |step: InterventionStep| {
            commands.request(
                Origin::Interventions,
                Request::InterventionStep {
                    id: i.id,
                    version: i.version,
                    step: Box::new(step),
                },
            );
        };
        let form = &mut self.step;
        let text_ready = !form.text.trim().is_empty();
        match i.state {
            InterventionState::Proposed => {
                if inspector && i.proposed_by != me {
                    widgets::labelled_text_ui(ui, "Decision rationale", &mut form.text, "required");
                    ui.horizontal(|ui| {
                        let unmet = i.proposal.preconditions.unmet();
                        if ui
                            .add_enabled(
                                text_ready && unmet.is_empty(),
                                egui::Button::new("Authorise"),
                            )
                            .clicked()
                        {
                            send(InterventionStep::Authorise {
                                rationale: form.text.clone(),
                            });
                        }
                        if ui
                            .add_enabled(text_ready, egui::Button::new("Decline"))
                            .clicked()
                        {
                            send(InterventionStep::Decline {
                                rationale: form.text.clone(),
                            });
                        }
                        if !unmet.is_empty() {
                            ui.label(
                                RichText::new("Cannot be authorised: a precondition is not met.")
                                    .color(theme::DANGER),
                            );
                        }
                    });
                } else {
                    ui.label(
                        RichText::new(
                            "Awaiting the decision of an inspector who did not propose it.",
                        )
                        .color(theme::MUTED),
                    );
                }
                if i.proposed_by == me || inspector {
                    ui.horizontal(|ui| {
                        widgets::labelled_text_ui(
                            ui,
                            "Reason for withdrawing",
                            &mut form.withdraw_reason,
                            "",
                        );
                        if ui
                            .add_enabled(
                                !form.withdraw_reason.trim().is_empty(),
                                egui::Button::new("Withdraw"),
                            )
                            .clicked()
                        {
                            send(InterventionStep::Withdraw {
                                reason: form.withdraw_reason.clone(),
                            });
                        }
                    });
                }
            }
            InterventionState::Authorised => {
                if form.held_on.is_empty() {
                    form.held_on = session.today.to_string();
                }
                widgets::labelled_date_ui(ui, "Meeting held on", &mut form.held_on);
                widgets::labelled_text_ui(ui, "Attendees", &mut form.attendees, "comma-separated");
                widgets::labelled_text_ui(ui, "What was said (sanitised)", &mut form.summary, "");
                widgets::labelled_text_ui(ui, "The officer's response", &mut form.response, "");
                let held_on = form.held_on.parse::<IsoDate>();
                if ui
                    .add_enabled(
                        held_on.is_ok() && !form.summary.trim().is_empty(),
                        egui::Button::new("Record the meeting"),
                    )
                    .clicked()
                    && let Ok(held_on) = held_on
                {
                    send(InterventionStep::RecordMeeting {
                        meeting: MeetingRecord {
                            held_on,
                            attendees: split_list(&form.attendees),
                            summary: form.summary.trim().to_owned(),
                            officer_response: form.response.trim().to_owned(),
                        },
                    });
                }
            }
            InterventionState::MeetingHeld => {
                ui.label("Outcome:");
                // Only the outcomes that can apply to this member of staff.
                for outcome in InterventionOutcome::ALL {
                    if outcome.applies_to(&view.subject_employee_type) {
                        ui.radio_value(&mut form.outcome, Some(outcome), outcome.label());
                    }
                }
                widgets::labelled_date_ui(ui, "Follow-up review on", &mut form.follow_up_on);
                let follow_up_on = form.follow_up_on.parse::<IsoDate>();
                if ui
                    .add_enabled(
                        form.outcome.is_some() && follow_up_on.is_ok(),
                        egui::Button::new("Record the outcome"),
                    )
                    .clicked()
                    && let (Some(outcome), Ok(follow_up_on)) = (form.outcome, follow_up_on)
                {
                    send(InterventionStep::RecordOutcome {
                        outcome: OutcomeRecord {
                            outcome,
                            follow_up_on,
                        },
                    });
                }
            }
            InterventionState::OutcomeRecorded => {
                widgets::labelled_text_ui(ui, "Review note", &mut form.text, "");
                if ui
                    .add_enabled(text_ready, egui::Button::new("Start the review"))
                    .clicked()
                {
                    send(InterventionStep::StartReview {
                        note: form.text.clone(),
                    });
                }
            }
            InterventionState::UnderReview => {
                if inspector {
                    widgets::labelled_text_ui(ui, "Closing note", &mut form.text, "");
                    if ui
                        .add_enabled(text_ready, egui::Button::new("Close the intervention"))
                        .clicked()
                    {
                        send(InterventionStep::Close {
                            note: form.text.clone(),
                        });
                    }
                } else {
                    ui.label(
                        RichText::new("An inspector closes the intervention after the review.")
                            .color(theme::MUTED),
                    );
                }
            }
            InterventionState::Withdrawn
            | InterventionState::Declined
            | InterventionState::Closed => {}
        }
    }
}
