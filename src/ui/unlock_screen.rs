//! The unlock screen: user name and password for one workbench.

use super::app_command::{AppCommand, CommandQueue};
use super::session::{SessionStart, SessionWorker};
use super::start_screen::display_name;
use super::{theme, widgets};
use egui::{RichText, Ui};
use std::path::PathBuf;
use std::time::{Duration, Instant};
use zeroize::Zeroizing;

/// State of the unlock screen.
#[derive(Debug)]
pub struct UnlockScreen {
    pub path: PathBuf,
    pub user_name: String,
    pub password: Zeroizing<String>,
    /// The unlock in progress (Argon2id runs on the session thread).
    pub pending: Option<SessionWorker>,
    pub message: Option<String>,
    /// No new attempt before this instant: the growing delay after wrong passwords.
    pub retry_at: Option<Instant>,
    /// Whether the first field has been given keyboard focus yet.
    focused: bool,
}

impl UnlockScreen {
    #[must_use]
    pub fn new(path: PathBuf) -> Self {
        Self {
            path,
            user_name: String::new(),
            password: Zeroizing::new(String::new()),
            pending: None,
            message: None,
            retry_at: None,
            focused: false,
        }
    }

    /// Puts the cursor back in the first empty field (after a failed attempt).
    pub fn refocus(&mut self) {
        self.focused = false;
    }

    /// Seconds left before another attempt is allowed.
    #[must_use]
    pub fn wait_secs(&self, now: Instant) -> u64 {
        self.retry_at.map_or(0, |at| {
            let left = at.saturating_duration_since(now);
            left.as_secs() + u64::from(left.subsec_nanos() > 0)
        })
    }

    pub fn ui(&mut self, ui: &mut Ui, commands: &CommandQueue) {
        ui.heading(format!("Unlock {}", display_name(&self.path)));
        ui.label(
            RichText::new(self.path.display().to_string())
                .small()
                .color(theme::MUTED),
        );
        ui.add_space(theme::SECTION_SPACING);

        let busy = self.pending.is_some();
        let wait = self.wait_secs(Instant::now());
        ui.add_enabled_ui(!busy, |ui| {
            egui::Grid::new("unlock_form")
                .num_columns(2)
                .show(ui, |ui| {
                    let name = widgets::labelled_text_ui(ui, "User name", &mut self.user_name, "");
                    ui.end_row();
                    let password =
                        widgets::labelled_password_ui(ui, "Password", &mut self.password);
                    ui.end_row();
                    // Keyboard first: the cursor starts in the first empty field.
                    if !self.focused {
                        self.focused = true;
                        if self.user_name.is_empty() {
                            name.request_focus();
                        } else {
                            password.request_focus();
                        }
                    }
                    let enter = widgets::submitted(ui, &password);
                    ui.label("");
                    let label = if wait > 0 {
                        format!("Wait {wait} s")
                    } else {
                        String::from("Unlock")
                    };
                    let clicked = ui
                        .add_enabled(wait == 0, egui::Button::new(label))
                        .clicked();
                    ui.end_row();
                    if (clicked || (enter && wait == 0)) && !self.password.is_empty() {
                        commands.send(AppCommand::StartSession(SessionStart::Unlock {
                            path: self.path.clone(),
                            user_name: self.user_name.trim().to_owned(),
                            password: std::mem::take(&mut self.password),
                            machine_dir: None,
                        }));
                    }
                });
        });
        if wait > 0 {
            ui.ctx().request_repaint_after(Duration::from_millis(250));
        }
        if busy {
            widgets::busy_ui(ui, "Unlocking…");
        }
        if let Some(message) = &self.message {
            widgets::error_ui(ui, message);
        }
        ui.add_space(theme::SECTION_SPACING);
        if ui.add_enabled(!busy, egui::Button::new("Back")).clicked() {
            commands.send(AppCommand::ShowStart);
        }
    }
}
