//! The application: which screen is showing, and applying the commands panels send.

use super::app_command::{AppCommand, CommandQueue, MainCommand};
use super::create_screen::CreateScreen;
use super::demo_screen::DemoScreen;
use super::file_browser::{BrowserOutcome, FileBrowser};
use super::file_picker::{FilePicker, FilePurpose, FileRequest, PathAsker};
use super::main_screen::MainScreen;
use super::session::{SessionEvent, SessionStart, SessionWorker};
use super::session_view::SessionView;
use super::start_screen::StartScreen;
use super::theme;
use super::unlock_screen::UnlockScreen;
use crate::crypto::KdfParams;
use crate::domain::User;
use crate::platform::AppSettings;
use crate::store::AuditHead;
use egui::RichText;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// Which screen is showing.
#[derive(Debug)]
pub enum Screen {
    Start(StartScreen),
    Create(CreateScreen),
    Unlock(UnlockScreen),
    Demo(DemoScreen),
    Main(Box<MainScreen>),
}

/// How the app is set up: production uses the platform's dialogs and settings folder; tests
/// inject a scripted picker, a temporary folder and cheap key derivation.
pub struct AppConfig {
    pub settings_dir: Option<PathBuf>,
    pub file_picker: Box<dyn FilePicker>,
    /// Argon2id costs for workbenches created from the GUI.
    pub kdf: KdfParams,
}

impl std::fmt::Debug for AppConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppConfig")
            .field("settings_dir", &self.settings_dir)
            .field("kdf", &self.kdf)
            .finish_non_exhaustive()
    }
}

/// The GUI application.
pub struct WorkbenchApp {
    config: AppConfig,
    settings: AppSettings,
    screen: Screen,
    commands: CommandQueue,
    theme_applied: bool,
    /// Wakes the app every few seconds while the main screen is open, so a minimised window
    /// still reaches its idle lock.
    idle_waker: Option<super::idle_lock::IdleWaker>,
    /// A window size seen but not yet saved, and since when: saved once it has held a second
    /// (a resize sends many sizes).
    pending_window_size: Option<([u32; 2], std::time::Instant)>,
    /// The in-app file browser, open for a command that asked for a path.
    browser: Option<PendingBrowse>,
    /// Folders chosen in the in-app browser in this run, most recent first (kept in memory
    /// only: nothing more about files chosen is written outside a workbench).
    chosen_folders: Vec<PathBuf>,
}

/// The in-app file browser and the command it answers: applied again with the chosen path,
/// as if the native dialog had answered.
#[derive(Debug)]
struct PendingBrowse {
    browser: FileBrowser,
    command: AppCommand,
}

/// How many recent folders the in-app browser offers.
const MAX_RECENT_FOLDERS: usize = 8;

impl std::fmt::Debug for WorkbenchApp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WorkbenchApp")
            .field("screen", &self.screen)
            .finish_non_exhaustive()
    }
}

impl WorkbenchApp {
    /// A new app on the start screen, or on the unlock screen of `initial_workbench`.
    #[must_use]
    pub fn new(config: AppConfig, initial_workbench: Option<PathBuf>) -> Self {
        let settings = config
            .settings_dir
            .as_deref()
            .map(AppSettings::load)
            .unwrap_or_default();
        let screen = match initial_workbench {
            Some(path) => Screen::Unlock(UnlockScreen::new(path)),
            None => Screen::Start(StartScreen::default()),
        };
        Self {
            config,
            settings,
            screen,
            commands: CommandQueue::default(),
            theme_applied: false,
            idle_waker: None,
            pending_window_size: None,
            browser: None,
            chosen_folders: Vec::new(),
        }
    }

    /// Keeps the window's size in the settings once a resize has settled, so the next run
    /// opens at it.
    fn remember_window_size(&mut self, ctx: &egui::Context) {
        let Some(rect) = ctx.input(|i| i.viewport().inner_rect) else {
            return;
        };
        #[expect(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            reason = "a window's size in whole points, never negative"
        )]
        let size = [
            rect.width().round().max(0.0) as u32,
            rect.height().round().max(0.0) as u32,
        ];
        if self.settings.window_size == Some(size) {
            self.pending_window_size = None;
            return;
        }
        match self.pending_window_size {
            Some((pending, since)) if pending == size => {
                if since.elapsed() >= std::time::Duration::from_secs(1) {
                    self.settings.window_size = Some(size);
                    self.pending_window_size = None;
                    self.save_settings();
                } else {
                    ctx.request_repaint_after(std::time::Duration::from_secs(1));
                }
            }
            _ => {
                self.pending_window_size = Some((size, std::time::Instant::now()));
                ctx.request_repaint_after(std::time::Duration::from_secs(1));
            }
        }
    }

    /// The screen showing now (tests assert on it).
    #[must_use]
    pub fn screen(&self) -> &Screen {
        &self.screen
    }

    /// The screen, changeable, for tests that put the app in a state (an idle lock already due)
    /// that would otherwise take minutes to reach.
    #[cfg(feature = "test-hooks")]
    pub fn screen_mut(&mut self) -> &mut Screen {
        &mut self.screen
    }

    /// The saved settings (recent workbenches, auto-lock minutes).
    #[must_use]
    pub fn settings(&self) -> &AppSettings {
        &self.settings
    }

    /// The in-app file browser, while it is open (tests assert on it).
    #[must_use]
    pub fn file_browser(&self) -> Option<&FileBrowser> {
        self.browser.as_ref().map(|pending| &pending.browser)
    }

    /// Whether the session thread is working on something (unlocking, a backup...).
    #[must_use]
    pub fn is_busy(&self) -> bool {
        match &self.screen {
            Screen::Unlock(unlock) => unlock.pending.is_some(),
            Screen::Create(create) => create.pending.is_some(),
            Screen::Demo(demo) => demo.pending.is_some(),
            Screen::Main(main) => main.session.busy.is_some() || main.locking,
            Screen::Start(_) => false,
        }
    }

    /// Draws one frame: applies responses from the session thread, shows the screen, then
    /// applies the commands the screen sent.
    pub fn ui_root(&mut self, ui: &mut egui::Ui) {
        if !self.theme_applied {
            theme::apply(ui.ctx());
            // Attachments are decoded from bytes in memory; no loader reads files or the network.
            egui_extras::install_image_loaders(ui.ctx());
            self.theme_applied = true;
        }
        self.apply_responses(ui.ctx());
        self.handle_shortcuts_and_idle(ui.ctx());
        let recent: Vec<(PathBuf, Option<String>)> = self
            .settings
            .recent_workbenches
            .iter()
            .map(|p| (p.clone(), self.settings.opened_on(p).map(str::to_owned)))
            .collect();
        let kdf = self.config.kdf;
        match &mut self.screen {
            // A session locking (the idle lock fell due, or Lock was pressed) is not drawn:
            // the frame the lock is decided in shows nothing of it.
            Screen::Main(main) if main.locking => {
                egui::CentralPanel::default().show(ui, |ui| {
                    ui.centered_and_justified(|ui| ui.heading("Locking…"));
                });
            }
            Screen::Main(main) => {
                main.ui(ui, &self.commands);
                // The layout is kept once a drag has ended (a panel being resized changes its
                // width every frame).
                let layout = main.layout();
                if layout != self.settings.layout && !ui.ctx().input(|i| i.pointer.any_down()) {
                    self.settings.layout = layout;
                    self.save_settings();
                }
            }
            screen => {
                // Before a session: the marking, then the screen in a centred column.
                egui::Panel::top("start_marking").show(ui, |ui| {
                    ui.label(
                        RichText::new(theme::PROTECTIVE_MARKING_TEXT)
                            .color(theme::PROTECTIVE_MARKING)
                            .strong(),
                    );
                });
                egui::CentralPanel::default().show(ui, |ui| {
                    let margin =
                        ((ui.available_width() - theme::START_COLUMN_WIDTH) / 2.0).max(0.0);
                    ui.add_space((ui.available_height() * 0.08).min(64.0));
                    ui.horizontal_top(|ui| {
                        ui.add_space(margin);
                        ui.vertical(|ui| {
                            ui.set_max_width(theme::START_COLUMN_WIDTH);
                            match screen {
                                Screen::Start(start) => start.ui(ui, &recent, &self.commands),
                                Screen::Create(create) => create.ui(ui, kdf, &self.commands),
                                Screen::Demo(demo) => demo.ui(ui, kdf, &self.commands),
                                Screen::Unlock(unlock) => unlock.ui(ui, &self.commands),
                                Screen::Main(_) => {}
                            }
                        });
                    });
                });
            }
        }
        self.file_browser_ui(ui.ctx());
        // Applying a command may queue more (a panel asking for what it shows next): apply
        // until none is left, within this frame.
        loop {
            let commands = self.commands.take();
            if commands.is_empty() {
                break;
            }
            for command in commands {
                self.apply_command(ui.ctx(), command, None);
            }
        }
    }

    /// Draws the in-app file browser, if open; a chosen path applies its command again with
    /// it. Closed without a choice when its window is gone (the workbench locked).
    fn file_browser_ui(&mut self, ctx: &egui::Context) {
        let Some(pending) = &mut self.browser else {
            return;
        };
        let for_main = matches!(pending.command, AppCommand::Main(_));
        let main_showing = matches!(&self.screen, Screen::Main(main) if !main.locking);
        if for_main && !main_showing {
            self.browser = None;
            return;
        }
        match pending.browser.ui(ctx) {
            None => {}
            Some(BrowserOutcome::Cancelled) => self.browser = None,
            Some(BrowserOutcome::Chosen(path)) => {
                let Some(pending) = self.browser.take() else {
                    return;
                };
                // The folder the file (or the workbench folder) is in.
                let folder = path.parent();
                if let Some(folder) = folder {
                    self.chosen_folders.retain(|dir| dir != folder);
                    self.chosen_folders.insert(0, folder.to_path_buf());
                    self.chosen_folders.truncate(MAX_RECENT_FOLDERS);
                }
                self.apply_command(ctx, pending.command, Some(path));
            }
        }
    }

    /// The folders the in-app browser offers: those chosen in it in this run, then those of
    /// the recent workbenches (already in the settings).
    fn recent_folders(&self) -> Vec<PathBuf> {
        let mut folders: Vec<PathBuf> = Vec::new();
        let workbench_folders = self
            .settings
            .recent_workbenches
            .iter()
            .filter_map(|path| path.parent());
        for folder in self
            .chosen_folders
            .iter()
            .map(PathBuf::as_path)
            .chain(workbench_folders)
        {
            if !folder.as_os_str().is_empty() && !folders.iter().any(|f| f == folder) {
                folders.push(folder.to_path_buf());
            }
        }
        folders.truncate(MAX_RECENT_FOLDERS);
        folders
    }

    /// The idle check without drawing anything: what `App::logic` runs before every frame and
    /// while the window is hidden or minimised. A lock that is due starts at once (the session
    /// thread closes the store), whether or not a frame follows.
    pub fn idle_pass(&mut self, ctx: &egui::Context) {
        let Screen::Main(main) = &mut self.screen else {
            self.idle_waker = None;
            return;
        };
        if self.idle_waker.is_none() {
            let wake_ctx = ctx.clone();
            match super::idle_lock::IdleWaker::start(move || wake_ctx.request_repaint()) {
                Ok(waker) => self.idle_waker = Some(waker),
                Err(err) => tracing::warn!("could not start the idle-lock thread: {err}"),
            }
        }
        if !main.locking
            && main.idle.decide(Instant::now(), false) == super::idle_lock::IdleDecision::LockNow
        {
            main.start_lock();
        }
    }

    fn handle_shortcuts_and_idle(&mut self, ctx: &egui::Context) {
        self.idle_pass(ctx);
        let Screen::Main(main) = &mut self.screen else {
            return;
        };
        if main.locking {
            return;
        }
        let lock_shortcut = egui::KeyboardShortcut::new(egui::Modifiers::COMMAND, egui::Key::L);
        if ctx.input_mut(|i| i.consume_shortcut(&lock_shortcut)) {
            self.commands.send(MainCommand::Lock);
            return;
        }
        let search_shortcut = egui::KeyboardShortcut::new(egui::Modifiers::COMMAND, egui::Key::K);
        if ctx.input_mut(|i| i.consume_shortcut(&search_shortcut)) {
            self.commands.send(MainCommand::ToggleSearch);
        }
        let now = Instant::now();
        let active = ctx.input(|i| !i.events.is_empty() || i.pointer.is_moving());
        match main.idle.decide(now, active) {
            super::idle_lock::IdleDecision::LockNow => main.start_lock(),
            super::idle_lock::IdleDecision::Wait(remaining) => {
                ctx.request_repaint_after(remaining.max(Duration::from_millis(200)));
            }
        }
    }

    fn apply_responses(&mut self, ctx: &egui::Context) {
        let next = match &mut self.screen {
            Screen::Unlock(unlock) => match poll_pending(&mut unlock.pending) {
                PendingOutcome::Waiting(_) => None,
                PendingOutcome::Opened(opened) => Some((unlock.path.clone(), opened)),
                PendingOutcome::Failed {
                    message,
                    retry_after_secs,
                } => {
                    unlock.message = Some(message);
                    unlock.refocus();
                    unlock.retry_at = (retry_after_secs > 0)
                        .then(|| Instant::now() + Duration::from_secs(retry_after_secs));
                    None
                }
            },
            Screen::Create(create) => match poll_pending(&mut create.pending) {
                PendingOutcome::Waiting(_) => None,
                PendingOutcome::Opened(opened) => {
                    let path = super::file_picker::with_workbench_extension(PathBuf::from(
                        create.path.trim(),
                    ));
                    Some((path, opened))
                }
                PendingOutcome::Failed { message, .. } => {
                    create.message = Some(message);
                    None
                }
            },
            Screen::Demo(demo) => match poll_pending(&mut demo.pending) {
                PendingOutcome::Waiting(progress) => {
                    if progress.is_some() {
                        demo.progress = progress;
                    }
                    None
                }
                PendingOutcome::Opened(opened) => {
                    let path = super::file_picker::with_workbench_extension(PathBuf::from(
                        demo.path.trim(),
                    ));
                    Some((path, opened))
                }
                PendingOutcome::Failed { message, .. } => {
                    demo.message = Some(message);
                    None
                }
            },
            Screen::Main(main) => {
                let finished = main.worker.is_finished();
                let mut ended = false;
                for event in main.worker.drain() {
                    ended |= main.apply_event(event, &self.commands);
                }
                if ended || finished {
                    // Nothing of the session stays in the UI: text fields' state (and their undo
                    // history), cached layouts, decoded attachment images.
                    // (The look of the app, kept in the memory's options, stays.)
                    ctx.memory_mut(|memory| {
                        let options = memory.options.clone();
                        *memory = egui::Memory::default();
                        memory.options = options;
                    });
                    ctx.forget_all_images();
                    self.idle_waker = None;
                    let mut unlock = UnlockScreen::new(main.path.clone());
                    unlock.message = Some(String::from(if ended {
                        "Locked. The store is closed and the keys are no longer in memory."
                    } else {
                        "The session ended unexpectedly; the workbench is locked. Unlock to continue."
                    }));
                    self.screen = Screen::Unlock(unlock);
                }
                None
            }
            Screen::Start(_) => None,
        };
        if let Some((path, opened)) = next {
            let Opened {
                worker,
                user,
                head,
                reference,
                today,
                warnings,
                idle_lock_max_minutes,
            } = *opened;
            self.settings
                .remember(&path, &crate::domain::IsoDate::today_utc().to_string());
            self.save_settings();
            let session = SessionView {
                user,
                purpose: None,
                head,
                busy: None,
                reference: std::sync::Arc::new(reference),
                today,
            };
            // The user's own lock time, never longer than the unit's policy.
            let minutes = idle_lock_max_minutes.map_or(self.settings.idle_lock_minutes, |max| {
                self.settings.idle_lock_minutes.min(max)
            });
            let mut main = MainScreen::new(path, worker, session, minutes);
            main.idle_lock_max_minutes = idle_lock_max_minutes;
            main.account.unit_policy = idle_lock_max_minutes;
            main.security_warnings = warnings;
            main.account.idle_minutes = Some(self.settings.idle_lock_minutes);
            main.account.in_app_file_browser = Some(self.settings.in_app_file_browser);
            main.apply_layout(&self.settings.layout);
            self.screen = Screen::Main(Box::new(main));
        }
    }

    fn save_settings(&self) {
        if let Some(dir) = &self.config.settings_dir
            && let Err(err) = self.settings.save(dir)
        {
            tracing::warn!("could not save settings: {err}");
        }
    }

    /// Applies one command. `answer` is the in-app browser's path for a command applied again
    /// with it; a command whose path has to come from the browser opens it.
    fn apply_command(&mut self, ctx: &egui::Context, command: AppCommand, answer: Option<PathBuf>) {
        let replay = command.asking_for_path();
        let in_app_only = self.settings.in_app_file_browser;
        let mut asker = PathAsker::new(self.config.file_picker.as_mut(), in_app_only, answer);
        match command {
            AppCommand::BrowseForWorkbench => {
                let start = crate::platform::default_workbench_folder();
                let request =
                    FileRequest::new(FilePurpose::OpenWorkbench).starting_in(start.as_deref());
                if let Some(path) = asker.ask(request) {
                    self.screen = workbench_screen(path);
                }
            }
            AppCommand::BrowseForNewWorkbench => {
                let start = crate::platform::default_workbench_folder();
                let request =
                    FileRequest::new(FilePurpose::NewWorkbench).starting_in(start.as_deref());
                if let Some(path) = asker.ask(request) {
                    match &mut self.screen {
                        Screen::Create(create) => create.path = path.display().to_string(),
                        Screen::Demo(demo) => demo.path = path.display().to_string(),
                        // Only the create and demo forms ask where a new workbench goes.
                        Screen::Start(_) | Screen::Unlock(_) | Screen::Main(_) => {}
                    }
                }
            }
            AppCommand::Main(command) => {
                if let Screen::Main(main) = &mut self.screen {
                    main.apply_command(ctx, command, &mut asker, &self.commands);
                }
            }
            AppCommand::ShowStart
            | AppCommand::ShowCreate
            | AppCommand::ChooseWorkbench(_)
            | AppCommand::StartSession(_)
            | AppCommand::SetIdleLockMinutes(_)
            | AppCommand::SetInAppFileBrowser(_)
            | AppCommand::CopyToClipboard(_)
            | AppCommand::ForgetRecent(_)
            | AppCommand::ShowDemo => {
                self.apply_settings_command(ctx, command);
                return;
            }
        }
        if let Some(deferred) = asker.into_deferred()
            && let Some(command) = replay
        {
            self.browser = Some(PendingBrowse {
                browser: FileBrowser::new(deferred, self.recent_folders()),
                command,
            });
        }
    }

    /// Applies a command that asks for no path.
    fn apply_settings_command(&mut self, ctx: &egui::Context, command: AppCommand) {
        match command {
            AppCommand::ShowStart => self.screen = Screen::Start(StartScreen::default()),
            AppCommand::ShowCreate => self.screen = Screen::Create(CreateScreen::default()),
            AppCommand::ChooseWorkbench(path) => self.screen = workbench_screen(path),
            AppCommand::StartSession(start) => self.start_session(ctx, start),
            AppCommand::SetIdleLockMinutes(minutes) => {
                self.settings.idle_lock_minutes = super::idle_lock::clamp_minutes(minutes);
                if let Screen::Main(main) = &mut self.screen {
                    let minutes = main
                        .idle_lock_max_minutes
                        .map_or(self.settings.idle_lock_minutes, |max| {
                            self.settings.idle_lock_minutes.min(max)
                        });
                    main.idle.set_timeout_minutes(minutes);
                }
                self.save_settings();
            }
            AppCommand::SetInAppFileBrowser(on) => {
                self.settings.in_app_file_browser = on;
                self.save_settings();
            }
            AppCommand::CopyToClipboard(text) => ctx.copy_text(text),
            AppCommand::ForgetRecent(path) => {
                self.settings.forget(&path);
                self.save_settings();
            }
            AppCommand::ShowDemo => self.screen = Screen::Demo(DemoScreen::default()),
            // Asking for a path: applied by `apply_command`.
            AppCommand::BrowseForWorkbench
            | AppCommand::BrowseForNewWorkbench
            | AppCommand::Main(_) => self.apply_command(ctx, command, None),
        }
    }

    fn start_session(&mut self, ctx: &egui::Context, mut start: SessionStart) {
        if let SessionStart::Unlock { machine_dir, .. } = &mut start {
            machine_dir.clone_from(&self.config.settings_dir);
        }
        let (pending, message) = match &mut self.screen {
            Screen::Unlock(unlock) => (&mut unlock.pending, &mut unlock.message),
            Screen::Create(create) => (&mut create.pending, &mut create.message),
            Screen::Demo(demo) => (&mut demo.pending, &mut demo.message),
            // Only these screens start a session; nothing is started from the others.
            Screen::Start(_) | Screen::Main(_) => return,
        };
        let wake_ctx = ctx.clone();
        let worker = SessionWorker::spawn(start, move || wake_ctx.request_repaint());
        match worker {
            Ok(worker) => {
                *pending = Some(worker);
                *message = None;
            }
            Err(err) => *message = Some(format!("could not start the session: {err}")),
        }
    }
}

/// The unlock screen for the workbench at `path`, or the start screen saying why it cannot be
/// opened.
fn workbench_screen(path: PathBuf) -> Screen {
    match crate::store::Manifest::read(&crate::store::WorkbenchLayout::new(&path)) {
        Ok(_) => Screen::Unlock(UnlockScreen::new(path)),
        Err(err) => Screen::Start(StartScreen {
            message: Some(err.to_string()),
            ..StartScreen::default()
        }),
    }
}

/// A session that has opened, with what the main window starts from.
struct Opened {
    worker: SessionWorker,
    user: User,
    head: AuditHead,
    reference: crate::domain::ReferenceData,
    today: crate::domain::IsoDate,
    warnings: Vec<String>,
    idle_lock_max_minutes: Option<u32>,
}

/// What a session thread that is unlocking or creating has reported so far.
enum PendingOutcome {
    /// Still working; the newest demo progress, if any arrived.
    Waiting(Option<crate::workbench::DemoProgress>),
    Opened(Box<Opened>),
    Failed {
        message: String,
        retry_after_secs: u64,
    },
}

/// Reads what the pending session thread has said; clears `pending` unless it is still working.
fn poll_pending(pending: &mut Option<SessionWorker>) -> PendingOutcome {
    let Some(worker) = pending.as_ref() else {
        return PendingOutcome::Waiting(None);
    };
    let finished = worker.is_finished();
    let mut progress = None;
    for event in worker.drain() {
        match event {
            SessionEvent::Opened {
                user,
                head,
                reference,
                today,
                warnings,
                idle_lock_max_minutes,
            } => {
                if let Some(worker) = pending.take() {
                    return PendingOutcome::Opened(Box::new(Opened {
                        worker,
                        user,
                        head,
                        reference: *reference,
                        today,
                        warnings,
                        idle_lock_max_minutes,
                    }));
                }
            }
            SessionEvent::OpenFailed {
                message,
                retry_after_secs,
            } => {
                *pending = None;
                return PendingOutcome::Failed {
                    message,
                    retry_after_secs,
                };
            }
            SessionEvent::DemoProgress(p) => progress = Some(p),
            // Nothing else is sent before the session has opened.
            SessionEvent::ImportProgress(_)
            | SessionEvent::Reply(_)
            | SessionEvent::Head(_)
            | SessionEvent::Locked => {}
        }
    }
    if finished {
        *pending = None;
        return PendingOutcome::Failed {
            message: String::from(INTERRUPTED),
            retry_after_secs: 0,
        };
    }
    PendingOutcome::Waiting(progress)
}

/// Shown when a session thread ends without answering (it crashed).
const INTERRUPTED: &str = "The operation stopped unexpectedly; nothing was unlocked. Try again.";

impl eframe::App for WorkbenchApp {
    /// Runs before every frame and, while the window is hidden or minimised, whenever the
    /// `idle-lock` thread wakes the app: the idle lock happens without a frame being drawn.
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        self.idle_pass(ctx);
        self.remember_window_size(ctx);
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.ui_root(ui);
    }
}
