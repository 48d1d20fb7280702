//! The form that creates a workbench and its first inspector.

use super::app_command::{AppCommand, CommandQueue};
use super::session::{SessionStart, SessionWorker};
use super::{theme, widgets};
use crate::crypto::KdfParams;
use egui::{RichText, Ui};
use std::path::PathBuf;
use zeroize::Zeroizing;

/// State of the create form.
#[derive(Debug)]
pub struct CreateScreen {
    pub path: String,
    pub admin_name: String,
    pub password: Zeroizing<String>,
    pub confirm: Zeroizing<String>,
    pub pending: Option<SessionWorker>,
    pub message: Option<String>,
}

impl Default for CreateScreen {
    fn default() -> Self {
        Self {
            path: String::new(),
            admin_name: String::new(),
            password: Zeroizing::new(String::new()),
            confirm: Zeroizing::new(String::new()),
            pending: None,
            message: None,
        }
    }
}

impl CreateScreen {
    pub fn ui(&mut self, ui: &mut Ui, kdf: KdfParams, commands: &CommandQueue) {
        ui.heading("New workbench");
        ui.label(
            RichText::new(
                "A workbench is one folder (ending .ccuwb) holding the encrypted store and a key slot per user. \
                 You become its first inspector.",
            )
            .color(theme::MUTED),
        );
        ui.add_space(theme::SECTION_SPACING);
        let busy = self.pending.is_some();
        ui.add_enabled_ui(!busy, |ui| {
            egui::Grid::new("create_form")
                .num_columns(2)
                .show(ui, |ui| {
                    widgets::labelled_text_ui(ui, "Folder", &mut self.path, "where to create it");
                    if ui.button("Browse…").clicked() {
                        commands.send(AppCommand::BrowseForNewWorkbench);
                    }
                    ui.end_row();
                    widgets::labelled_text_ui(
                        ui,
                        "Your name",
                        &mut self.admin_name,
                        "first inspector",
                    );
                    ui.end_row();
                    widgets::labelled_password_ui(ui, "Password", &mut self.password);
                    ui.end_row();
                    let confirm =
                        widgets::labelled_password_ui(ui, "Repeat password", &mut self.confirm);
                    ui.end_row();
                    let enter = widgets::submitted(ui, &confirm);
                    ui.label("");
                    if ui.button("Create").clicked() || enter {
                        self.submit(kdf, commands);
                    }
                    ui.end_row();
                });
        });
        if busy {
            widgets::busy_ui(ui, "Creating the workbench…");
        }
        if let Some(message) = &self.message {
            widgets::error_ui(ui, message);
        }
        ui.add_space(theme::SECTION_SPACING);
        if ui.add_enabled(!busy, egui::Button::new("Back")).clicked() {
            commands.send(AppCommand::ShowStart);
        }
    }

    fn submit(&mut self, kdf: KdfParams, commands: &CommandQueue) {
        let checked = widgets::check_new_workbench_form(
            &self.path,
            &self.admin_name,
            &self.password,
            &self.confirm,
        );
        if let Err(message) = checked {
            self.message = Some(message);
        } else {
            self.message = None;
            let path =
                super::file_picker::with_workbench_extension(PathBuf::from(self.path.trim()));
            self.confirm = Zeroizing::new(String::new());
            commands.send(AppCommand::StartSession(SessionStart::Create {
                path,
                admin_name: self.admin_name.trim().to_owned(),
                password: std::mem::take(&mut self.password),
                kdf,
            }));
        }
    }
}
