//! The Users area (inspectors): who can unlock the workbench, key rotation and backups.

use super::app_command::{CommandQueue, MainCommand};
use super::session::{Origin, Request};
use super::session_view::SessionView;
use super::{theme, widgets};
use crate::domain::{Role, User, validate_password, validate_user_name};
use egui::{RichText, Ui};
use zeroize::Zeroizing;

/// State of the Users area.
#[derive(Debug)]
pub struct UsersPanel {
    /// The list, once the session thread has sent it.
    pub users: Option<Vec<User>>,
    requested: bool,
    add_name: String,
    add_role: Role,
    add_password: Zeroizing<String>,
    add_confirm: Zeroizing<String>,
    reset_target: Option<String>,
    reset_password: Zeroizing<String>,
    confirm_remove: Option<String>,
    confirm_rekey: bool,
    form_error: Option<String>,
    /// A second inspector's name and password (four eyes), for adding an inspector or giving
    /// one a new password.
    second_name: String,
    second_password: Zeroizing<String>,
}

impl Default for UsersPanel {
    fn default() -> Self {
        Self {
            users: None,
            requested: false,
            add_name: String::new(),
            add_role: Role::Detective,
            add_password: Zeroizing::new(String::new()),
            add_confirm: Zeroizing::new(String::new()),
            reset_target: None,
            reset_password: Zeroizing::new(String::new()),
            confirm_remove: None,
            confirm_rekey: false,
            form_error: None,
            second_name: String::new(),
            second_password: Zeroizing::new(String::new()),
        }
    }
}

impl UsersPanel {
    /// The second inspector's credentials, if typed (taken: the password is not kept).
    fn take_second(&mut self) -> Option<(String, Zeroizing<String>)> {
        let name = self.second_name.trim().to_owned();
        let password = std::mem::take(&mut self.second_password);
        (!name.is_empty() && !password.is_empty()).then_some((name, password))
    }

    fn second_inspector_ui(&mut self, ui: &mut Ui) {
        widgets::labelled_text_ui(
            ui,
            "Second inspector",
            &mut self.second_name,
            "four eyes: another inspector's name",
        );
        ui.end_row();
        widgets::labelled_password_ui(ui, "Second inspector's password", &mut self.second_password);
        ui.end_row();
    }

    pub fn clear_add_form(&mut self) {
        self.second_password = Zeroizing::new(String::new());
        self.add_name.clear();
        self.add_password = Zeroizing::new(String::new());
        self.add_confirm = Zeroizing::new(String::new());
        self.form_error = None;
    }

    pub fn clear_reset_form(&mut self) {
        self.second_password = Zeroizing::new(String::new());
        self.reset_target = None;
        self.reset_password = Zeroizing::new(String::new());
    }

    pub fn ui(&mut self, ui: &mut Ui, session: &SessionView, commands: &CommandQueue) {
        if !self.requested {
            self.requested = true;
            commands.request(Origin::Users, Request::ListUsers);
        }
        self.list_ui(ui, session, commands);
        ui.add_space(theme::SECTION_SPACING);
        self.add_form_ui(ui, commands);
        if let Some(error) = &self.form_error {
            widgets::error_ui(ui, error);
        }
        ui.add_space(theme::SECTION_SPACING);
        self.keys_and_backup_ui(ui, commands);
    }

    fn list_ui(&mut self, ui: &mut Ui, session: &SessionView, commands: &CommandQueue) {
        let Some(users) = &self.users else {
            widgets::busy_ui(ui, "Loading users…");
            return;
        };
        egui::Grid::new("users_table")
            .striped(true)
            .num_columns(5)
            .show(ui, |ui| {
                for title in ["Name", "Role", "Status", "Added (UTC)", ""] {
                    ui.label(RichText::new(title).strong());
                }
                ui.end_row();
                for user in users {
                    ui.label(&user.name);
                    ui.label(user.role.label());
                    if user.is_active() {
                        ui.label("active");
                    } else {
                        ui.label(RichText::new("removed").color(theme::MUTED));
                    }
                    ui.label(&user.created_at_utc);
                    ui.horizontal(|ui| {
                        // Your own password is changed under My account, with your current one.
                        if user.is_active() && user.id != session.user.id {
                            if ui
                                .small_button(format!("Reset password of {}", user.name))
                                .clicked()
                            {
                                self.reset_target = Some(user.name.clone());
                                self.reset_password = Zeroizing::new(String::new());
                            }
                            if ui.small_button(format!("Remove {}", user.name)).clicked() {
                                self.confirm_remove = Some(user.name.clone());
                            }
                        }
                    });
                    ui.end_row();
                }
            });
        if let Some(name) = self.confirm_remove.clone() {
            ui.horizontal(|ui| {
                ui.label(
                    RichText::new(format!("Remove {name}? Their key slot is deleted."))
                        .color(theme::DANGER),
                );
                if ui.button("Confirm removal").clicked() {
                    commands.request(Origin::Users, Request::RemoveUser(name.clone()));
                    self.confirm_remove = None;
                }
                if ui.button("Cancel removal").clicked() {
                    self.confirm_remove = None;
                }
            });
        }
        if let Some(name) = self.reset_target.clone() {
            let is_inspector = self.users.as_ref().is_some_and(|users| {
                users
                    .iter()
                    .any(|u| u.name == name && u.role == Role::Inspector)
            });
            egui::Grid::new("reset_password_form")
                .num_columns(2)
                .show(ui, |ui| {
                    widgets::labelled_password_ui(
                        ui,
                        &format!("New password for {name}"),
                        &mut self.reset_password,
                    );
                    ui.end_row();
                    if is_inspector {
                        self.second_inspector_ui(ui);
                    }
                });
            ui.horizontal(|ui| {
                if ui.button("Set new password").clicked() {
                    match validate_password(&self.reset_password) {
                        Ok(()) => {
                            let second = self.take_second();
                            commands.request(
                                Origin::Users,
                                Request::ResetPassword {
                                    name: name.clone(),
                                    password: std::mem::take(&mut self.reset_password),
                                    second,
                                },
                            );
                        }
                        Err(err) => self.form_error = Some(err.to_string()),
                    }
                }
                if ui.button("Cancel reset").clicked() {
                    self.clear_reset_form();
                }
            });
        }
    }

    fn add_form_ui(&mut self, ui: &mut Ui, commands: &CommandQueue) {
        ui.label(RichText::new("Add a user").strong());
        egui::Grid::new("add_user_form")
            .num_columns(2)
            .show(ui, |ui| {
                widgets::labelled_text_ui(ui, "New user's name", &mut self.add_name, "");
                ui.end_row();
                ui.label("Role");
                ui.horizontal(|ui| {
                    for role in Role::ALL {
                        ui.radio_value(&mut self.add_role, role, role.label());
                    }
                });
                ui.end_row();
                widgets::labelled_password_ui(ui, "Initial password", &mut self.add_password);
                ui.end_row();
                widgets::labelled_password_ui(ui, "Repeat initial password", &mut self.add_confirm);
                ui.end_row();
                if self.add_role == Role::Inspector {
                    self.second_inspector_ui(ui);
                }
                ui.label("");
                if ui.button("Add user").clicked() {
                    let checked = validate_user_name(&self.add_name)
                        .map_err(|e| e.to_string())
                        .and_then(|_| {
                            validate_password(&self.add_password).map_err(|e| e.to_string())
                        })
                        .and_then(|()| {
                            if *self.add_password == *self.add_confirm {
                                Ok(())
                            } else {
                                Err(String::from("the two passwords differ"))
                            }
                        });
                    match checked {
                        Ok(()) => {
                            self.form_error = None;
                            let second = if self.add_role == Role::Inspector {
                                self.take_second()
                            } else {
                                None
                            };
                            commands.request(
                                Origin::Users,
                                Request::AddUser {
                                    name: self.add_name.trim().to_owned(),
                                    role: self.add_role,
                                    password: std::mem::take(&mut self.add_password),
                                    second,
                                },
                            );
                            self.add_confirm = Zeroizing::new(String::new());
                        }
                        Err(message) => self.form_error = Some(message),
                    }
                }
                ui.end_row();
            });
    }

    fn keys_and_backup_ui(&mut self, ui: &mut Ui, commands: &CommandQueue) {
        ui.label(RichText::new("Keys and backups").strong());
        ui.label(
            RichText::new(
                "After removing a user, rotate the master key: a copy of their key slot kept elsewhere then opens nothing. \
                 A backup is a disclosure: it needs a purpose and is recorded.",
            )
            .color(theme::MUTED),
        );
        ui.horizontal(|ui| {
            if self.confirm_rekey {
                ui.label(RichText::new("Re-encrypt the whole store now?").color(theme::WARNING));
                if ui.button("Confirm rotation").clicked() {
                    commands.request(Origin::Users, Request::Rekey);
                    self.confirm_rekey = false;
                }
                if ui.button("Cancel rotation").clicked() {
                    self.confirm_rekey = false;
                }
            } else if ui.button("Rotate master key…").clicked() {
                self.confirm_rekey = true;
            }
            if ui.button("Write backup…").clicked() {
                commands.send(MainCommand::BrowseForBackup);
            }
        });
    }
}
