//! My account: change one's own password, the auto-lock time, and how files are chosen (the
//! app's own browser only, for units that want no desktop integration).

use super::app_command::{AppCommand, CommandQueue};
use super::session::{Origin, Request};
use super::session_view::SessionView;
use super::{theme, widgets};
use crate::domain::validate_password;
use egui::{RichText, Ui};
use zeroize::Zeroizing;

/// State of the account area.
#[derive(Debug)]
pub struct AccountPanel {
    current: Zeroizing<String>,
    new: Zeroizing<String>,
    confirm: Zeroizing<String>,
    error: Option<String>,
    /// Auto-lock minutes being edited.
    pub idle_minutes: Option<u32>,
    /// The unit's longest idle time as the store has it (set by an inspector), if any.
    pub unit_policy: Option<u32>,
    /// Always use the in-app file browser (this machine's setting), once known.
    pub in_app_file_browser: Option<bool>,
    /// The unit policy an inspector is editing.
    policy_edit: u32,
}

impl Default for AccountPanel {
    fn default() -> Self {
        Self {
            current: Zeroizing::new(String::new()),
            new: Zeroizing::new(String::new()),
            confirm: Zeroizing::new(String::new()),
            error: None,
            idle_minutes: None,
            unit_policy: None,
            in_app_file_browser: None,
            policy_edit: 15,
        }
    }
}

impl AccountPanel {
    pub fn clear(&mut self) {
        *self = Self {
            idle_minutes: self.idle_minutes,
            unit_policy: self.unit_policy,
            in_app_file_browser: self.in_app_file_browser,
            policy_edit: self.policy_edit,
            ..Self::default()
        };
    }

    pub fn ui(&mut self, ui: &mut Ui, session: &SessionView, commands: &CommandQueue) {
        ui.label(format!(
            "Signed in as {} ({}).",
            session.user.name,
            session.user.role.label()
        ));
        ui.add_space(theme::SECTION_SPACING);
        ui.label(RichText::new("Change your password").strong());
        egui::Grid::new("change_password_form")
            .num_columns(2)
            .show(ui, |ui| {
                widgets::labelled_password_ui(ui, "Current password", &mut self.current);
                ui.end_row();
                widgets::labelled_password_ui(ui, "New password", &mut self.new);
                ui.end_row();
                widgets::labelled_password_ui(ui, "Repeat new password", &mut self.confirm);
                ui.end_row();
                ui.label("");
                if ui.button("Change password").clicked() {
                    let checked = validate_password(&self.new)
                        .map_err(|e| e.to_string())
                        .and_then(|()| {
                            if *self.new == *self.confirm {
                                Ok(())
                            } else {
                                Err(String::from("the two new passwords differ"))
                            }
                        });
                    match checked {
                        Ok(()) => {
                            self.error = None;
                            commands.request(
                                Origin::Account,
                                Request::ChangeOwnPassword {
                                    current: std::mem::take(&mut self.current),
                                    new: std::mem::take(&mut self.new),
                                },
                            );
                            self.confirm = Zeroizing::new(String::new());
                        }
                        Err(message) => self.error = Some(message),
                    }
                }
                ui.end_row();
            });
        if let Some(error) = &self.error {
            widgets::error_ui(ui, error);
        }
        ui.add_space(theme::SECTION_SPACING);
        ui.label(RichText::new("Auto-lock").strong());
        if let Some(minutes) = self.idle_minutes.as_mut() {
            ui.horizontal(|ui| {
                let label = ui.label("Lock after minutes without input");
                let changed = ui
                    .add(egui::DragValue::new(minutes).range(1..=60))
                    .labelled_by(label.id)
                    .changed();
                if changed {
                    commands.send(AppCommand::SetIdleLockMinutes(*minutes));
                }
            });
        }
        match self.unit_policy {
            Some(max) => ui.label(format!(
                "The unit's policy locks every session after at most {max} minutes without input; a longer setting here has no effect."
            )),
            None => ui.label(
                RichText::new("The unit has set no longest idle time; your setting applies.")
                    .color(theme::MUTED),
            ),
        };
        if let Some(in_app) = self.in_app_file_browser.as_mut() {
            ui.add_space(theme::SECTION_SPACING);
            ui.label(RichText::new("Choosing files").strong());
            if ui
                .checkbox(in_app, "Always use the in-app file browser")
                .on_hover_text("The system's file dialog is never opened: files are chosen in the app's own window.")
                .changed()
            {
                commands.send(AppCommand::SetInAppFileBrowser(*in_app));
            }
        }
        if session.may(crate::domain::Action::ManageUsers) {
            ui.add_space(theme::SECTION_SPACING);
            ui.label(RichText::new("Unit policy (inspectors)").strong());
            ui.horizontal(|ui| {
                let label = ui.label("Longest idle time for everyone, in minutes");
                ui.add(
                    egui::DragValue::new(&mut self.policy_edit)
                        .range(1..=crate::platform::MAX_IDLE_LOCK_MINUTES),
                )
                .labelled_by(label.id);
                if ui.button("Set for everyone").clicked() {
                    commands.request(
                        Origin::Account,
                        Request::SetIdleLockPolicy(Some(self.policy_edit)),
                    );
                }
                if self.unit_policy.is_some() && ui.button("Remove the policy").clicked() {
                    commands.request(Origin::Account, Request::SetIdleLockPolicy(None));
                }
            });
        }
    }
}
