//! The form that builds a demo workbench, with its progress.

use super::app_command::{AppCommand, CommandQueue};
use super::session::{SessionStart, SessionWorker};
use super::{theme, widgets};
use crate::crypto::KdfParams;
use crate::demo::DemoScale;
use crate::workbench::{DEMO_ANALYST, DEMO_DETECTIVE, DemoProgress};
use egui::{RichText, Ui};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use zeroize::Zeroizing;

/// State of the demo form.
#[derive(Debug)]
pub struct DemoScreen {
    pub path: String,
    pub admin_name: String,
    pub password: Zeroizing<String>,
    pub confirm: Zeroizing<String>,
    pub scale: DemoScale,
    pub pending: Option<SessionWorker>,
    pub progress: Option<DemoProgress>,
    pub cancel: Arc<AtomicBool>,
    pub message: Option<String>,
}

impl Default for DemoScreen {
    fn default() -> Self {
        Self {
            path: crate::platform::default_workbench_folder()
                .map(|dir| dir.join("Demo.ccuwb").display().to_string())
                .unwrap_or_default(),
            admin_name: String::from("DI Demo"),
            password: Zeroizing::new(String::new()),
            confirm: Zeroizing::new(String::new()),
            scale: DemoScale::Small,
            pending: None,
            progress: None,
            cancel: Arc::new(AtomicBool::new(false)),
            message: None,
        }
    }
}

impl DemoScreen {
    pub fn ui(&mut self, ui: &mut Ui, kdf: KdfParams, commands: &CommandQueue) {
        ui.heading("Create a demo workbench");
        ui.label(
            RichText::new(format!(
                "A synthetic force of 2,120 staff with associates, organised crime groups and intelligence, \
                 for training and trying the workbench. No real person is in it. You become its inspector; \
                 {DEMO_DETECTIVE} and {DEMO_ANALYST} get the same password."
            ))
            .color(theme::MUTED),
        );
        ui.add_space(theme::SECTION_SPACING);
        let busy = self.pending.is_some();
        ui.add_enabled_ui(!busy, |ui| {
            egui::Grid::new("demo_form").num_columns(2).show(ui, |ui| {
                widgets::labelled_text_ui(ui, "Folder", &mut self.path, "where to create it");
                if ui.button("Browse…").clicked() {
                    commands.send(AppCommand::BrowseForNewWorkbench);
                }
                ui.end_row();
                widgets::labelled_text_ui(ui, "Your name", &mut self.admin_name, "");
                ui.end_row();
                widgets::labelled_password_ui(ui, "Password", &mut self.password);
                ui.end_row();
                widgets::labelled_password_ui(ui, "Repeat password", &mut self.confirm);
                ui.end_row();
                ui.label("Size");
                ui.horizontal(|ui| {
                    ui.radio_value(
                        &mut self.scale,
                        DemoScale::Small,
                        "Small (600 items, seconds)",
                    );
                    ui.radio_value(
                        &mut self.scale,
                        DemoScale::Medium,
                        "Medium (60,000 items, a minute)",
                    );
                });
                ui.end_row();
                ui.label("");
                if ui.button("Build demo").clicked() {
                    self.submit(kdf, commands);
                }
                ui.end_row();
            });
        });
        if busy {
            if let Some(progress) = self.progress {
                #[expect(clippy::cast_precision_loss, reason = "a progress bar")]
                let fraction = if progress.total == 0 {
                    0.0
                } else {
                    progress.done as f32 / progress.total as f32
                };
                ui.add(egui::ProgressBar::new(fraction).text(format!(
                    "{}: {} of {}",
                    progress.stage, progress.done, progress.total
                )));
            } else {
                widgets::busy_ui(ui, "Creating the workbench…");
            }
            if ui.button("Cancel the build").clicked() {
                self.cancel.store(true, Ordering::Relaxed);
            }
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
            self.progress = None;
            self.cancel = Arc::new(AtomicBool::new(false));
            self.confirm = Zeroizing::new(String::new());
            commands.send(AppCommand::StartSession(SessionStart::Demo {
                path: super::file_picker::with_workbench_extension(PathBuf::from(self.path.trim())),
                admin_name: self.admin_name.trim().to_owned(),
                password: std::mem::take(&mut self.password),
                kdf,
                scale: self.scale,
                seed: 1,
                cancel: Arc::clone(&self.cancel),
            }));
        }
    }
}
