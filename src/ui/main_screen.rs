//! The main window once unlocked: navigation, the current area, the status bar.

use super::account_panel::AccountPanel;
use super::app_command::{AppCommand, CommandQueue};
use super::area::Area;
use super::audit_panel::AuditPanel;
use super::graph_panel::GraphPanel;
use super::idle_lock::IdleLock;
use super::imports_panel::ImportsPanel;
use super::intel_log_panel::IntelLogPanel;
use super::interventions_panel::InterventionsPanel;
use super::item_form::ItemForm;
use super::item_panel::ItemPanel;
use super::na_register_panel::{NaParty, NaRegisterPanel};
use super::nominals_panel::{NominalsPanel, NominalsRoute};
use super::risk_panel::RiskPanel;
use super::search_overlay::SearchOverlay;
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

/// What the Intelligence area shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum IntelRoute {
    #[default]
    Log,
    Item,
    Form,
}

/// Which panel asked for a search.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SearchOwner {
    Global,
    Subject,
    Nominals,
    Risk,
    NaParty(NaParty),
    Intervention,
    Transferee,
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
    pub intel_route: IntelRoute,
    pub intel_log: IntelLogPanel,
    pub item: ItemPanel,
    pub item_form: ItemForm,
    pub nominals: NominalsPanel,
    pub graph: GraphPanel,
    pub risk: RiskPanel,
    pub na_register: NaRegisterPanel,
    pub interventions: InterventionsPanel,
    pub imports: ImportsPanel,
    pub reports: super::reports_panel::ReportsPanel,
    pub search: SearchOverlay,
    next_search: u64,
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
            intel_route: IntelRoute::Log,
            intel_log: IntelLogPanel::default(),
            item: ItemPanel::default(),
            item_form: ItemForm::default(),
            nominals: NominalsPanel::default(),
            graph: GraphPanel::default(),
            risk: RiskPanel::default(),
            na_register: NaRegisterPanel::default(),
            interventions: InterventionsPanel::default(),
            imports: ImportsPanel::default(),
            reports: super::reports_panel::ReportsPanel::default(),
            search: SearchOverlay::default(),
            next_search: 0,
        }
    }

    /// Sends a search for `owner`, numbered so only the newest answer is shown.
    pub fn search_for(&mut self, owner: SearchOwner, query: crate::domain::SearchQuery) {
        self.next_search += 1;
        let number = self.next_search;
        match owner {
            SearchOwner::Global => self.search.search_number = Some(number),
            SearchOwner::Subject => self.item_form.subject_search = Some(number),
            SearchOwner::Nominals => self.nominals.search_number = Some(number),
            SearchOwner::Risk => self.risk.form.subject_search = Some(number),
            SearchOwner::NaParty(party) => self.na_register.form.search = Some((party, number)),
            SearchOwner::Intervention => self.interventions.form.search = Some(number),
            SearchOwner::Transferee => self.reports.transferee.search = Some(number),
        }
        self.worker.send(Request::Search { number, query });
    }

    /// Opens an item in the Intelligence area.
    pub fn open_item(&mut self, reference: String) {
        self.area = Area::Intelligence;
        self.intel_route = IntelRoute::Item;
        self.item.item = None;
        self.send(Request::ViewItem(reference), Some("Opening the item…"));
    }

    /// Opens a nominal's profile in the Nominals area.
    pub fn open_nominal(&mut self, id: crate::domain::NominalId) {
        self.area = Area::Nominals;
        self.nominals.route = NominalsRoute::Profile;
        self.nominals.profile = None;
        self.send(Request::ViewNominal(id), Some("Opening the nominal…"));
    }

    /// Opens the Graph area with a chart on a nominal and its neighbours.
    pub fn open_chart_for(&mut self, id: crate::domain::NominalId) {
        self.area = crate::ui::area::Area::Graph;
        let request = self.graph.open_request(id, 1);
        self.send(request, Some("Opening the chart…"));
    }

    /// Applies a response from the session thread. Returns true when the session has ended.
    pub fn apply(&mut self, response: Response) -> bool {
        self.session.busy = None;
        match response {
            Response::Unlocked {
                user,
                head,
                reference,
            } => {
                self.session.user = user;
                self.session.head = head;
                self.session.reference = std::sync::Arc::new(*reference);
            }
            Response::Progress(_) => {}
            Response::IntelCount { query, count } => self.intel_log.apply_count(&query, count),
            Response::IntelPage {
                query,
                offset,
                rows,
            } => self.intel_log.apply_page(&query, offset, rows),
            Response::Item {
                item,
                attachments,
                user_names,
                subject_names,
            } => self
                .item
                .show(*item, attachments, user_names, subject_names),
            Response::ItemHistory {
                reference,
                versions,
            } => {
                if self
                    .item
                    .item
                    .as_ref()
                    .is_some_and(|i| i.reference == reference)
                {
                    self.item.history = Some(versions);
                }
            }
            Response::ItemSaved(item) => {
                self.intel_log.invalidate();
                self.item_form = ItemForm::default();
                self.notice = Some(Notice {
                    text: format!("{} saved (version {}).", item.reference, item.version),
                    is_error: false,
                });
                self.open_item(item.reference.clone());
                self.session.busy = None;
            }
            Response::Invalid(invalid) => {
                if self.area == Area::Nominals {
                    self.nominals.form.show_errors(&invalid);
                } else {
                    self.item_form.show_errors(&invalid);
                }
            }
            Response::SearchResults { number, hits } => {
                if self.item_form.subject_search == Some(number) {
                    self.item_form.subject_hits = hits;
                } else if self.nominals.search_number == Some(number) {
                    self.nominals.hits = hits;
                } else if self.risk.form.subject_search == Some(number) {
                    self.risk.form.subject_hits = hits;
                } else if self
                    .na_register
                    .form
                    .search
                    .is_some_and(|(_, n)| n == number)
                {
                    self.na_register.form.hits = hits;
                } else if self.interventions.form.search == Some(number) {
                    self.interventions.form.hits = hits;
                } else if self.reports.transferee.search == Some(number) {
                    self.reports.transferee.hits = hits;
                } else {
                    self.search.apply(number, hits);
                }
            }
            Response::Nominal(profile) => self.nominals.profile = Some(*profile),
            Response::NominalSaved(nominal) => {
                self.nominals.form = super::nominals_panel::NominalForm::default();
                self.notice = Some(Notice {
                    text: format!("Nominal {} recorded.", nominal.id),
                    is_error: false,
                });
                self.open_nominal(nominal.id);
                self.session.busy = None;
            }
            Response::Duplicates(matches) => {
                self.nominals.form.saving = false;
                self.nominals.form.duplicates = matches;
            }
            Response::Attachment { info, content } => self.item.viewing = Some((info, content)),
            Response::GraphAnswer { intent, answer } => self.graph.apply_answer(intent, *answer),
            Response::Exposures { leads, names } => {
                self.graph.message = Some(format!("{} exposure lead(s).", leads.len()));
                self.graph.lead_names = names.into_iter().collect();
                self.graph.leads = Some(leads);
            }
            Response::LeadShown { path, network } => self.graph.show_lead(&path, &network),
            Response::ChartSaved(name) => {
                self.notice = Some(Notice {
                    text: format!("Chart \"{name}\" saved."),
                    is_error: false,
                });
                self.worker.send(Request::ListCharts);
            }
            Response::Charts(names) => self.graph.chart_names = names,
            Response::ChartOpened { chart, network } => self.graph.open_saved(*chart, &network),
            Response::Exported(path) => {
                self.notice = Some(Notice {
                    text: format!("Saved to {} (recorded as a disclosure).", path.display()),
                    is_error: false,
                });
            }
            Response::Instruments(versions) => self.risk.instruments = Some(versions),
            Response::Instrument {
                instrument,
                for_form,
            } => self.risk.apply_instrument(*instrument, for_form),
            Response::Assessed(record) => {
                self.notice = Some(Notice {
                    text: format!(
                        "Assessment #{} saved: total {}, band {}.",
                        record.id, record.score.total, record.score.band
                    ),
                    is_error: false,
                });
                let queue = CommandQueue::default();
                self.risk.apply_saved(&record, &queue);
                self.send_queued(&queue);
            }
            Response::Assessments { subject, records } => self.risk.history.apply(subject, records),
            Response::Rescored { id, rescore } => self.risk.history.rescore = Some((id, *rescore)),
            Response::InstrumentPublished { key, version } => {
                self.notice = Some(Notice {
                    text: format!("Instrument {key} version {version} published."),
                    is_error: false,
                });
                let queue = CommandQueue::default();
                self.risk.apply_published(&queue);
                self.send_queued(&queue);
            }
            Response::BeaconCohort(entries) => self.risk.cohort.entries = Some(entries),
            Response::ThreatAssessment(assessment) => self.reports.assessed(assessment),
            Response::ControlStrategy(rows) => self.reports.strategy.read(rows),
            Response::TransfereePackage(package) => self.reports.transferee.previewed(package),
            Response::NaList { filter, rows } => self.na_register.apply_rows(&filter, rows),
            Response::NaCounts(counts) => self.na_register.counts = Some(counts),
            Response::NaSaved(entry) => {
                self.notice = Some(Notice {
                    text: format!(
                        "Register entry NA {} saved ({}).",
                        entry.id,
                        entry.status.label().to_lowercase()
                    ),
                    is_error: false,
                });
                self.na_register.saved();
            }
            Response::Interventions(rows) => self.interventions.rows = Some(rows),
            Response::Intervention(view) => self.interventions.open = Some(*view),
            Response::InterventionSaved(id) => {
                self.notice = Some(Notice {
                    text: format!("Intervention {id} saved."),
                    is_error: false,
                });
                let queue = CommandQueue::default();
                self.interventions.saved(id, &queue);
                self.send_queued(&queue);
            }
            Response::AwaitingDecision(count) => {
                self.interventions.awaiting = Some(count);
                if count > 0 {
                    self.notice = Some(Notice {
                        text: format!(
                            "{count} management intervention(s) await your decision (Interventions)."
                        ),
                        is_error: false,
                    });
                }
            }
            Response::ImportPreview { path, preview } => self.imports.previewed(&path, preview),
            Response::ImportProgress(progress) => self.imports.import_progress(progress),
            Response::Imported(report) => self.imports.imported(*report),
            Response::FtmImported(report) => self.imports.ftm_imported(*report),
            Response::ImportFailed(message) => self.imports.import_failed(message),
            Response::CrossrefRun(run) => {
                self.notice = Some(Notice {
                    text: format!(
                        "Cross-reference: {} lead(s) at or above the threshold; {} pattern(s) below it.",
                        run.leads.len(),
                        run.below_threshold
                    ),
                    is_error: false,
                });
                let mut leads = run.leads;
                // Keep every lead found before, with this run's first.
                if let Some(rows) = self.imports.leads.rows.take() {
                    for old in rows {
                        if !leads.iter().any(|l| l.id == old.id) {
                            leads.push(old);
                        }
                    }
                }
                self.imports.leads_read(leads);
            }
            Response::Leads(rows) => self.imports.leads_read(rows),
            Response::LeadPromoted { lead, reference } => {
                self.notice = Some(Notice {
                    text: format!("Lead {lead} recorded as {reference}."),
                    is_error: false,
                });
                self.imports.lead_promoted(lead, &reference);
            }
            Response::UnlockFailed { message, .. } | Response::Failed { message, .. } => {
                self.imports.failed();
                self.reports.failed();
                self.interventions.failed(&message);
                self.risk.failed(&message);
                self.na_register.failed(&message);
                self.item_form.saving = false;
                self.nominals.form.saving = false;
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

    /// Sends the requests a panel queued while applying a response.
    pub(super) fn send_queued(&mut self, queue: &CommandQueue) {
        for command in queue.take() {
            if let super::app_command::AppCommand::Send(request) = command {
                self.worker.send(request);
            }
        }
    }

    /// Sends a request, showing `busy` (if any) until a response arrives.
    pub fn send(&mut self, request: Request, busy: Option<&'static str>) {
        if busy.is_some() {
            self.session.busy = busy;
        }
        self.worker.send(request);
    }

    pub fn ui(&mut self, ui: &mut Ui, commands: &CommandQueue) {
        let role = self.session.user.role;
        if !self.area.is_visible_to(role) {
            self.area = Area::Intelligence;
        }
        // Inspectors are told at once what awaits their decision.
        if self.interventions.awaiting.is_none() {
            self.interventions.awaiting = Some(0);
            if role == crate::domain::Role::Inspector {
                commands.send(AppCommand::Send(Request::AwaitingDecision));
            }
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
        self.search.ui(ui, commands);
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
                    .button("Search")
                    .on_hover_text("Search items and nominals (Ctrl+K)")
                    .clicked()
                {
                    commands.send(AppCommand::ToggleSearch);
                }
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
        if !(self.area == Area::Intelligence && self.intel_route != IntelRoute::Log) {
            ui.heading(self.area.label());
        }
        ui.add_space(theme::ITEM_SPACING);
        match self.area {
            Area::Intelligence => match self.intel_route {
                IntelRoute::Log => self.intel_log.ui(ui, &self.session, commands),
                IntelRoute::Item => self.item.ui(ui, &self.session, commands),
                IntelRoute::Form => {
                    let legacy = self
                        .item
                        .item
                        .as_ref()
                        .filter(|_| self.item_form.editing.is_some())
                        .and_then(|i| i.fields.legacy_grading.clone());
                    self.item_form.ui(ui, &self.session, legacy, commands);
                }
            },
            Area::Nominals => self.nominals.ui(ui, &self.session, commands),
            Area::Graph => self.graph.ui(ui, &self.session, commands),
            Area::RiskTools => self.risk.ui(ui, &self.session, commands),
            Area::NaRegister => self.na_register.ui(ui, &self.session, commands),
            Area::Interventions => self.interventions.ui(ui, &self.session, commands),
            Area::Imports => self.imports.ui(ui, &self.session, commands),
            Area::Audit => self.audit.ui(ui, &self.session, commands),
            Area::Users => self.users.ui(ui, &self.session, commands),
            Area::Account => self.account.ui(ui, &self.session, commands),
            Area::Reports => self.reports.ui(ui, &self.session, commands),
        }
    }
}
