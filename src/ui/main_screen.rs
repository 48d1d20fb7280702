//! The main window once unlocked: navigation, the current area, the status bar.

use super::account_panel::AccountPanel;
use super::app_command::{AppCommand, CommandQueue};
use super::area::Area;
use super::audit_panel::AuditPanel;
use super::idle_lock::IdleLock;
use super::session_view::SessionView;
use super::session_worker::{Request, Response, SessionWorker};
use super::start_screen::display_name;
use super::users_panel::UsersPanel;
use super::{theme, widgets};
use egui::{RichText, Ui};
use std::path::PathBuf;
use std::time::Instant;

/// A message after an operation: what succeeded or what went wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub text: String,
    pub is_error: bool,
}

/// State of the main window.
#[derive(Debug)]
pub struct MainScreen {
    pub path: PathBuf,
    pub worker: SessionWorker,
    pub session: SessionView,
    pub area: Area,
    pub purpose_input: String,
    pub users: UsersPanel,
    pub audit: AuditPanel,
    pub account: AccountPanel,
    pub notice: Option<Notice>,
    pub idle: IdleLock,
    /// Set once Lock was sent: the screen waits for the session thread to confirm.
    pub locking: bool,
}

impl MainScreen {
    #[must_use]
    pub fn new(
        path: PathBuf,
        worker: SessionWorker,
        session: SessionView,
        idle_minutes: u32,
    ) -> Self {
        Self {
            path,
            worker,
            session,
            area: Area::Intelligence,
            purpose_input: String::new(),
            users: UsersPanel::default(),
            audit: AuditPanel::default(),
            account: AccountPanel::default(),
            notice: None,
            idle: IdleLock::new(Instant::now(), idle_minutes),
            locking: false,
        }
    }

    /// Applies a response from the session thread. Returns true when the session has ended.
    pub fn apply(&mut self, response: Response) -> bool {
        self.session.busy = None;
        match response {
            Response::Unlocked { user, head } => {
                self.session.user = user;
                self.session.head = head;
            }
            Response::UnlockFailed { message, .. } | Response::Failed { message, .. } => {
                self.notice = Some(Notice {
                    text: message,
                    is_error: true,
                });
            }
            Response::PurposeSet(purpose) => {
                self.purpose_input.clone_from(&purpose);
                self.session.purpose = Some(purpose);
                self.audit.forget_pages();
                self.notice = None;
            }
            Response::Users(users) => self.users.users = Some(users),
            Response::UserAdded(user) => {
                self.users.clear_add_form();
                self.notice = Some(Notice {
                    text: format!("Added user #{} as {}.", user.id.0, user.role.label()),
                    is_error: false,
                });
                self.worker.send(Request::ListUsers);
            }
            Response::UserRemoved => {
                self.notice = Some(Notice {
                    text: String::from(
                        "User removed and their key slot deleted. Rotate the master key so that any copy of their slot opens nothing.",
                    ),
                    is_error: false,
                });
                self.worker.send(Request::ListUsers);
            }
            Response::PasswordReset => {
                self.users.clear_reset_form();
                self.notice = Some(Notice {
                    text: String::from("Password reset: the user has a new key slot."),
                    is_error: false,
                });
            }
            Response::PasswordChanged => {
                self.account.clear();
                self.notice = Some(Notice {
                    text: String::from("Your password has been changed."),
                    is_error: false,
                });
            }
            Response::Rekeyed(report) => {
                self.notice = Some(Notice {
                    text: format!(
                        "Master key rotated (generation {}); {} key slot(s) re-sealed.",
                        report.new_epoch, report.slots_resealed
                    ),
                    is_error: false,
                });
            }
            Response::BackupWritten(report) => {
                self.notice = Some(Notice {
                    text: format!("Backup written to {}.", report.path.display()),
                    is_error: false,
                });
            }
            Response::Verified(verification) => self.audit.verification = Some(verification),
            Response::AuditPage { first_seq, entries } => self.audit.store_page(first_seq, entries),
            Response::Head(head) => {
                if head.seq != self.session.head.seq {
                    self.audit.forget_partial_pages();
                }
                self.session.head = head;
            }
            Response::Locked => return true,
        }
        false
    }

    /// Sends a request and shows `busy` until a response arrives.
    pub fn send(&mut self, request: Request, busy: &'static str) {
        self.session.busy = Some(busy);
        self.worker.send(request);
    }

    pub fn ui(&mut self, ui: &mut Ui, commands: &CommandQueue) {
        let role = self.session.user.role;
        if !self.area.is_visible_to(role) {
            self.area = Area::Intelligence;
        }
        egui::Panel::top("protective_marking").show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.label(
                    RichText::new(
                        "OFFICIAL-SENSITIVE · counter-corruption intelligence · need to know",
                    )
                    .color(theme::PROTECTIVE_MARKING)
                    .strong(),
                );
            });
        });
        egui::Panel::top("top_bar").show(ui, |ui| self.top_bar_ui(ui, commands));
        egui::Panel::bottom("status_bar").show(ui, |ui| self.status_bar_ui(ui, commands));
        egui::Panel::left("navigation")
            .resizable(false)
            .exact_size(theme::NAV_WIDTH)
            .show(ui, |ui| self.navigation_ui(ui, commands));
        egui::CentralPanel::default().show(ui, |ui| {
            if let Some(notice) = &self.notice {
                let colour = if notice.is_error {
                    theme::DANGER
                } else {
                    theme::OK
                };
                ui.label(RichText::new(&notice.text).color(colour));
                ui.separator();
            }
            self.area_ui(ui, commands);
        });
    }

    fn top_bar_ui(&mut self, ui: &mut Ui, commands: &CommandQueue) {
        ui.horizontal(|ui| {
            ui.label(RichText::new(display_name(&self.path)).strong());
            ui.separator();
            let field = widgets::labelled_text_ui(
                ui,
                "Purpose",
                &mut self.purpose_input,
                "operation reference or reason",
            );
            let set = ui.button("Set purpose").clicked() || widgets::submitted(ui, &field);
            if set && !self.purpose_input.trim().is_empty() {
                commands.send(AppCommand::Send(Request::SetPurpose(
                    self.purpose_input.trim().to_owned(),
                )));
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if ui
                    .button("Lock")
                    .on_hover_text("Lock now (Ctrl+L): closes the store and drops the keys")
                    .clicked()
                {
                    commands.send(AppCommand::Lock);
                }
            });
        });
    }

    fn status_bar_ui(&self, ui: &mut Ui, commands: &CommandQueue) {
        ui.horizontal(|ui| {
            let session = &self.session;
            ui.label(format!("User: {}", session.user.name));
            ui.separator();
            ui.label(format!("Role: {}", session.user.role.label()));
            ui.separator();
            match &session.purpose {
                Some(purpose) => ui.label(format!("Purpose: {purpose}")),
                None => ui.label(RichText::new("Purpose: not set").color(theme::WARNING)),
            };
            ui.separator();
            let head = format!(
                "Audit head: #{} {}",
                session.head.seq,
                session.head.hash.short_hex()
            );
            ui.label(head).on_hover_text(session.head.hash.to_hex());
            if ui
                .small_button("Copy head")
                .on_hover_text("Copy the full chain head, to note it outside the system")
                .clicked()
            {
                commands.send(AppCommand::CopyToClipboard(format!(
                    "entry {} {}",
                    session.head.seq,
                    session.head.hash.to_hex()
                )));
            }
            if let Some(busy) = session.busy {
                ui.separator();
                widgets::busy_ui(ui, busy);
            }
        });
    }

    fn navigation_ui(&self, ui: &mut Ui, commands: &CommandQueue) {
        ui.add_space(theme::ITEM_SPACING);
        for area in Area::ALL {
            if !area.is_visible_to(self.session.user.role) {
                continue;
            }
            if ui
                .selectable_label(self.area == area, area.label())
                .clicked()
            {
                commands.send(AppCommand::Navigate(area));
            }
        }
    }

    fn area_ui(&mut self, ui: &mut Ui, commands: &CommandQueue) {
        ui.heading(self.area.label());
        ui.add_space(theme::ITEM_SPACING);
        match self.area {
            Area::Audit => self.audit.ui(ui, &self.session, commands),
            Area::Users => self.users.ui(ui, &self.session, commands),
            Area::Account => self.account.ui(ui, &self.session, commands),
            other => {
                if let Some(planned) = other.planned_content() {
                    ui.label(planned);
                }
                ui.label(
                    RichText::new("Not available in this version of CCU Workbench.")
                        .color(theme::MUTED),
                );
            }
        }
    }
}
