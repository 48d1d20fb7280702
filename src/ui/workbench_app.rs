//! The application: which screen is showing, and applying the commands panels send.

use super::app_command::{AppCommand, CommandQueue};
use super::create_screen::CreateScreen;
use super::demo_screen::DemoScreen;
use super::file_picker::FilePicker;
use super::main_screen::{IntelRoute, MainScreen, SearchOwner};
use super::session_view::SessionView;
use super::session_worker::{Request, Response, SessionStart, SessionWorker};
use super::start_screen::StartScreen;
use super::theme;
use super::unlock_screen::UnlockScreen;
use crate::crypto::KdfParams;
use crate::domain::User;
use crate::platform::AppSettings;
use crate::store::AuditHead;
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
}

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
        }
    }

    /// The screen showing now (tests assert on it).
    #[must_use]
    pub fn screen(&self) -> &Screen {
        &self.screen
    }

    /// The saved settings (recent workbenches, auto-lock minutes).
    #[must_use]
    pub fn settings(&self) -> &AppSettings {
        &self.settings
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
        self.apply_responses();
        self.handle_shortcuts_and_idle(ui.ctx());
        let recent = self.settings.recent_workbenches.clone();
        let kdf = self.config.kdf;
        match &mut self.screen {
            Screen::Main(main) => main.ui(ui, &self.commands),
            screen => {
                egui::CentralPanel::default().show(ui, |ui| match screen {
                    Screen::Start(start) => start.ui(ui, &recent, &self.commands),
                    Screen::Create(create) => create.ui(ui, kdf, &self.commands),
                    Screen::Demo(demo) => demo.ui(ui, kdf, &self.commands),
                    Screen::Unlock(unlock) => unlock.ui(ui, &self.commands),
                    Screen::Main(_) => {}
                });
            }
        }
        for command in self.commands.take() {
            self.apply_command(ui.ctx(), command);
        }
    }

    fn handle_shortcuts_and_idle(&mut self, ctx: &egui::Context) {
        let Screen::Main(main) = &mut self.screen else {
            return;
        };
        let lock_shortcut = egui::KeyboardShortcut::new(egui::Modifiers::COMMAND, egui::Key::L);
        if ctx.input_mut(|i| i.consume_shortcut(&lock_shortcut)) {
            self.commands.send(AppCommand::Lock);
            return;
        }
        let search_shortcut = egui::KeyboardShortcut::new(egui::Modifiers::COMMAND, egui::Key::K);
        if ctx.input_mut(|i| i.consume_shortcut(&search_shortcut)) {
            self.commands.send(AppCommand::ToggleSearch);
        }
        let now = Instant::now();
        let active = ctx.input(|i| !i.events.is_empty() || i.pointer.is_moving());
        if active {
            main.idle.touch(now);
        }
        if main.idle.is_due(now) && !main.locking {
            self.commands.send(AppCommand::Lock);
        } else {
            ctx.request_repaint_after(main.idle.remaining(now).max(Duration::from_millis(200)));
        }
    }

    fn apply_responses(&mut self) {
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
                let responses = main.worker.drain();
                let mut ended = false;
                for response in responses {
                    ended |= main.apply(response);
                }
                if ended || finished {
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
            } = *opened;
            self.settings.remember(&path);
            self.save_settings();
            let session = SessionView {
                user,
                purpose: None,
                head,
                busy: None,
                reference: std::sync::Arc::new(reference),
            };
            let mut main = MainScreen::new(path, worker, session, self.settings.idle_lock_minutes);
            main.account.idle_minutes = Some(self.settings.idle_lock_minutes);
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

    fn apply_command(&mut self, ctx: &egui::Context, command: AppCommand) {
        match command {
            AppCommand::ShowStart => self.screen = Screen::Start(StartScreen::default()),
            AppCommand::ShowCreate => self.screen = Screen::Create(CreateScreen::default()),
            AppCommand::ChooseWorkbench(path) => self.choose_workbench(path),
            AppCommand::BrowseForWorkbench => {
                let start = crate::platform::default_workbench_folder();
                if let Some(path) = self.config.file_picker.pick_workbench(start.as_deref()) {
                    self.choose_workbench(path);
                }
            }
            AppCommand::BrowseForNewWorkbench => {
                let start = crate::platform::default_workbench_folder();
                if let Some(path) = self.config.file_picker.pick_new_workbench(start.as_deref()) {
                    match &mut self.screen {
                        Screen::Create(create) => create.path = path.display().to_string(),
                        Screen::Demo(demo) => demo.path = path.display().to_string(),
                        _ => {}
                    }
                }
            }
            AppCommand::StartSession(start) => self.start_session(ctx, start),
            AppCommand::Send(request) => {
                if let Screen::Main(main) = &mut self.screen {
                    let busy = busy_label(&request);
                    main.send(request, busy);
                }
            }
            AppCommand::BrowseForBackup => {
                if let Screen::Main(main) = &mut self.screen {
                    let start = main.path.parent().map(std::path::Path::to_path_buf);
                    if let Some(path) = self.config.file_picker.pick_backup(start.as_deref()) {
                        main.send(Request::Backup(path), Some("Writing the backup…"));
                    }
                }
            }
            AppCommand::Navigate(area) => {
                if let Screen::Main(main) = &mut self.screen
                    && area.is_visible_to(main.session.user.role)
                {
                    main.area = area;
                    main.notice = None;
                }
            }
            AppCommand::Lock => {
                if let Screen::Main(main) = &mut self.screen
                    && !main.locking
                {
                    main.locking = true;
                    main.session.busy = Some("Locking…");
                    main.worker.send(Request::Lock);
                }
            }
            AppCommand::SetIdleLockMinutes(minutes) => {
                self.settings.idle_lock_minutes = minutes.clamp(1, 60);
                if let Screen::Main(main) = &mut self.screen {
                    main.idle
                        .set_timeout_minutes(self.settings.idle_lock_minutes);
                }
                self.save_settings();
            }
            AppCommand::CopyToClipboard(text) => ctx.copy_text(text),
            AppCommand::ForgetRecent(path) => {
                self.settings.recent_workbenches.retain(|p| p != &path);
                self.save_settings();
            }
            AppCommand::ShowDemo => self.screen = Screen::Demo(DemoScreen::default()),
            other => self.apply_main_command(ctx, other),
        }
    }

    /// Commands that only mean something in the main window.
    fn apply_main_command(&mut self, ctx: &egui::Context, command: AppCommand) {
        let Screen::Main(main) = &mut self.screen else {
            return;
        };
        match command {
            AppCommand::OpenItem(reference) => main.open_item(reference),
            AppCommand::OpenNominal(id) => main.open_nominal(id),
            AppCommand::OpenChartFor(id) => main.open_chart_for(id),
            AppCommand::ExportGraphml(filter) => {
                if let Some(path) = self
                    .config
                    .file_picker
                    .pick_export_destination("graph.graphml")
                {
                    main.send(
                        Request::ExportGraphml { path, filter },
                        Some("Exporting the graph…"),
                    );
                }
            }
            AppCommand::ExportChartPng(chart) => {
                if let Some(path) = self.config.file_picker.pick_export_destination("chart.png") {
                    main.send(
                        Request::ExportChartPng { path, chart },
                        Some("Drawing the chart…"),
                    );
                }
            }
            AppCommand::NewItem => {
                main.item_form = super::item_form::ItemForm::default();
                main.intel_route = IntelRoute::Form;
            }
            AppCommand::EditItem => {
                if let Some(item) = &main.item.item {
                    main.item_form =
                        super::item_form::ItemForm::for_item(item, &main.item.subject_names);
                    main.intel_route = IntelRoute::Form;
                }
            }
            AppCommand::CloseItemForm => {
                main.intel_route = if main.item_form.editing.is_some() {
                    IntelRoute::Item
                } else {
                    IntelRoute::Log
                };
            }
            AppCommand::BackToLog => {
                main.intel_route = IntelRoute::Log;
                main.item.viewing = None;
                ctx.forget_all_images();
            }
            AppCommand::AttachFile(reference) => {
                if let Some(path) = self.config.file_picker.pick_attachment(None) {
                    main.send(
                        Request::AttachFile { reference, path },
                        Some("Attaching the file…"),
                    );
                }
            }
            AppCommand::SaveAttachment(id, file_name) => {
                if let Some(path) = self
                    .config
                    .file_picker
                    .pick_attachment_destination(None, &file_name)
                {
                    main.send(
                        Request::ExportAttachment { id, path },
                        Some("Saving the attachment…"),
                    );
                }
            }
            AppCommand::SubjectSearch(query) => main.search_for(SearchOwner::Subject, query),
            AppCommand::NominalSearch(query) => main.search_for(SearchOwner::Nominals, query),
            AppCommand::RiskSubjectSearch(query) => main.search_for(SearchOwner::Risk, query),
            AppCommand::AssessNominal(id, name) => {
                main.area = super::area::Area::RiskTools;
                main.notice = None;
                main.risk.assess(id, name);
            }
            AppCommand::ShowAssessmentHistory(id, name) => {
                let queue = super::CommandQueue::default();
                main.risk.history.show_subject(id, name, &queue);
                main.risk.view = super::RiskView::History;
                for command in queue.take() {
                    if let AppCommand::Send(request) = command {
                        main.worker.send(request);
                    }
                }
            }
            AppCommand::ExportPibPack { since } => {
                if let Some(path) = self
                    .config
                    .file_picker
                    .pick_export_destination("pib-pack.html")
                {
                    main.send(
                        Request::ExportPibPack { path, since },
                        Some("Exporting the PIB pack…"),
                    );
                }
            }
            AppCommand::ExportThreatAssessment { from, to } => {
                if let Some(path) = self
                    .config
                    .file_picker
                    .pick_export_destination("threat-assessment.html")
                {
                    main.send(
                        Request::ExportThreatAssessment { path, from, to },
                        Some("Exporting the threat assessment…"),
                    );
                }
            }
            AppCommand::TransfereeSearch(query) => main.search_for(SearchOwner::Transferee, query),
            AppCommand::ExportTransfereePackage { previewed } => {
                if let Some(path) = self
                    .config
                    .file_picker
                    .pick_export_destination("transferee-package.html")
                {
                    main.send(
                        Request::ExportTransfereePackage { previewed, path },
                        Some("Exporting the transferee package…"),
                    );
                }
            }
            AppCommand::ExportPibList => {
                if let Some(path) = self
                    .config
                    .file_picker
                    .pick_export_destination("pib-list.csv")
                {
                    main.send(
                        Request::ExportPibList {
                            path,
                            as_of: crate::domain::IsoDate::today_utc(),
                        },
                        Some("Exporting the PIB list…"),
                    );
                }
            }
            AppCommand::InterventionSubjectSearch(query) => {
                main.search_for(SearchOwner::Intervention, query);
            }
            AppCommand::ExportIntervention(id) => {
                if let Some(path) = self
                    .config
                    .file_picker
                    .pick_export_destination(&format!("intervention-{id}.html"))
                {
                    main.send(
                        Request::ExportIntervention { id, path },
                        Some("Exporting the record…"),
                    );
                }
            }
            AppCommand::NaPartySearch(party, query) => {
                main.search_for(SearchOwner::NaParty(party), query);
            }
            AppCommand::RegisterDiscoveredNa {
                employee,
                associate,
            } => {
                main.area = super::area::Area::NaRegister;
                main.notice = None;
                main.na_register.register_discovered(employee, associate);
            }
            AppCommand::PickImportFile => {
                if let Some(path) = self.config.file_picker.pick_import_file() {
                    let queue = CommandQueue::default();
                    main.imports.file_chosen(path, &queue);
                    main.send_queued(&queue);
                }
            }
            AppCommand::PickFtmFile => {
                if let Some(path) = self.config.file_picker.pick_ftm_file() {
                    main.imports.ftm_file_chosen(path);
                }
            }
            AppCommand::PickImportSpec => {
                if let Some(path) = self.config.file_picker.pick_import_spec() {
                    // A spec is a few hundred bytes: read here, checked by `io`.
                    let spec = std::fs::read_to_string(&path)
                        .map_err(|err| format!("could not read {}: {}", path.display(), err.kind()))
                        .and_then(|text| {
                            crate::io::import_spec::parse(&text, &path.display().to_string())
                                .map_err(|err| err.to_string())
                        });
                    main.imports.spec_file_chosen(path, spec);
                }
            }
            AppCommand::ImportInstrumentFile => {
                if let Some(path) = self.config.file_picker.pick_instrument_file() {
                    main.send(
                        Request::PublishInstrumentFile(path),
                        Some("Publishing the instrument…"),
                    );
                }
            }
            AppCommand::GlobalSearch(query) => main.search_for(SearchOwner::Global, query),
            AppCommand::NominalsRoute(route) => main.nominals.route = route,
            AppCommand::ToggleSearch => {
                if main.search.open {
                    main.search.close();
                } else {
                    main.search.open();
                }
            }
            _ => {}
        }
    }

    fn choose_workbench(&mut self, path: PathBuf) {
        match crate::store::Manifest::read(&crate::store::WorkbenchLayout::new(&path)) {
            Ok(_) => self.screen = Screen::Unlock(UnlockScreen::new(path)),
            Err(err) => {
                self.screen = Screen::Start(StartScreen {
                    message: Some(err.to_string()),
                    ..StartScreen::default()
                });
            }
        }
    }

    fn start_session(&mut self, ctx: &egui::Context, start: SessionStart) {
        let wake_ctx = ctx.clone();
        let worker = SessionWorker::spawn(start, move || wake_ctx.request_repaint());
        let (pending, message) = match &mut self.screen {
            Screen::Unlock(unlock) => (&mut unlock.pending, &mut unlock.message),
            Screen::Create(create) => (&mut create.pending, &mut create.message),
            Screen::Demo(demo) => (&mut demo.pending, &mut demo.message),
            _ => return,
        };
        match worker {
            Ok(worker) => {
                *pending = Some(worker);
                *message = None;
            }
            Err(err) => *message = Some(format!("could not start the session: {err}")),
        }
    }
}

/// A session that has opened, with what the main window starts from.
struct Opened {
    worker: SessionWorker,
    user: User,
    head: AuditHead,
    reference: crate::domain::ReferenceData,
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
    for response in worker.drain() {
        match response {
            Response::Unlocked {
                user,
                head,
                reference,
            } => {
                if let Some(worker) = pending.take() {
                    return PendingOutcome::Opened(Box::new(Opened {
                        worker,
                        user,
                        head,
                        reference: *reference,
                    }));
                }
            }
            Response::UnlockFailed {
                message,
                retry_after_secs,
            } => {
                *pending = None;
                return PendingOutcome::Failed {
                    message,
                    retry_after_secs,
                };
            }
            Response::Progress(p) => progress = Some(p),
            _ => {}
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

/// What the status bar says while a request runs.
fn busy_label(request: &Request) -> Option<&'static str> {
    Some(match request {
        Request::SetPurpose(_) => "Setting the purpose…",
        Request::ListUsers => "Loading users…",
        Request::AddUser { .. } => "Adding the user…",
        Request::RemoveUser(_) => "Removing the user…",
        Request::ResetPassword { .. } => "Resetting the password…",
        Request::ChangeOwnPassword { .. } => "Changing your password…",
        Request::Rekey => "Rotating the master key…",
        Request::Backup(_) => "Writing the backup…",
        Request::VerifyAudit => "Verifying the audit chain…",
        Request::AuditPage { .. } => "Reading the audit log…",
        Request::IntelCount(_) | Request::IntelPage { .. } => "Reading the log…",
        Request::ViewItem(_) => "Opening the item…",
        Request::ItemHistory(_) => "Reading the history…",
        Request::CreateItem(_) | Request::UpdateItem { .. } => "Saving the item…",
        Request::ChangeStatus { .. } => "Changing the status…",
        Request::ViewNominal(_) => "Opening the nominal…",
        Request::CreateNominal { .. } => "Saving the nominal…",
        Request::ViewAttachment(_) => "Opening the attachment…",
        Request::AttachFile { .. } => "Attaching the file…",
        Request::ExportAttachment { .. } => "Saving the attachment…",
        Request::GraphQuery { .. } | Request::ShowLead(_) => "Analysing the graph…",
        Request::Exposures { .. } => "Finding exposures…",
        Request::RecordExposure(_) | Request::PromoteLead(_) => "Recording the lead…",
        Request::SaveChart(_) => "Saving the chart…",
        Request::ListCharts => "Listing the charts…",
        Request::OpenChart(_) => "Opening the chart…",
        Request::ExportGraphml { .. } => "Exporting the graph…",
        Request::ExportChartPng { .. } => "Drawing the chart…",
        Request::ListInstruments => "Listing the instruments…",
        Request::LoadInstrument { .. } => "Opening the instrument…",
        Request::Assess { .. } => "Saving the assessment…",
        Request::AssessmentsOf(_) => "Reading the assessments…",
        Request::Rescore { .. } => "Re-scoring…",
        Request::PublishInstrument(_) | Request::PublishInstrumentFile(_) => {
            "Publishing the instrument…"
        }
        Request::BeaconCohort { .. } => "Reading the Beacon cohort…",
        Request::ExportPibList { .. } => "Exporting the PIB list…",
        Request::ThreatAssessment { .. } => "Assessing the period…",
        Request::ControlStrategy => "Reading the control strategy…",
        Request::ExportPibPack { .. } => "Exporting the PIB pack…",
        Request::SetControlStrategy(_) => "Saving the control strategy…",
        Request::ExportThreatAssessment { .. } => "Exporting the threat assessment…",
        Request::TransfereePackage(_) => "Gathering the transferee package…",
        Request::ExportTransfereePackage { .. } => "Exporting the transferee package…",
        Request::NaList { .. } | Request::NaCounts => "Reading the register…",
        Request::RegisterNa(_) => "Registering the association…",
        Request::ChangeNa { .. } => "Saving the entry…",
        Request::Interventions { .. } | Request::AwaitingDecision => "Reading the interventions…",
        Request::ViewIntervention(_) => "Opening the intervention…",
        Request::ProposeIntervention(_) => "Proposing the intervention…",
        Request::InterventionStep { .. } => "Saving the step…",
        Request::ExportIntervention { .. } => "Exporting the record…",
        Request::Lock => "Locking…",
        // Searches run as people type: no spinner for each; the Imports area shows its own
        // progress.
        Request::Search { .. }
        | Request::PreviewImport { .. }
        | Request::ImportFile { .. }
        | Request::ImportFtmFile { .. }
        | Request::CrossReference { .. }
        | Request::Leads => return None,
    })
}

impl eframe::App for WorkbenchApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.ui_root(ui);
    }
}
