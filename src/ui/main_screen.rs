//! The main window once unlocked: navigation, the current area, the status bar.

use super::account_panel::AccountPanel;
use super::app_command::{AppCommand, CommandQueue, MainCommand, RecordRef};
use super::area::Area;
use super::audit_panel::AuditPanel;
use super::graph_panel::GraphPanel;
use super::idle_lock::IdleLock;
use super::imports_panel::ImportsPanel;
use super::intel_log_panel::IntelLogPanel;
use super::interventions_panel::InterventionsPanel;
use super::item_form::ItemForm;
use super::item_panel::ItemPanel;
use super::na_register_panel::NaRegisterPanel;
use super::nominals_panel::NominalsPanel;
use super::risk_panel::RiskPanel;
use super::search_overlay::SearchOverlay;
use super::session::{Envelope, NominalsRoute, Origin, Request, SearchOwner, SessionWorker};
use super::session_view::SessionView;
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
    /// What the unlock found (a store older than this machine saw last, role grants that do not
    /// verify): shown above every area until the user dismisses it. Each is also in the log.
    pub security_warnings: Vec<String>,
    pub idle: IdleLock,
    /// The unit's longest idle time (set by an inspector in the store), if any: the user's own
    /// setting applies only when shorter.
    pub idle_lock_max_minutes: Option<u32>,
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
            security_warnings: Vec::new(),
            idle_lock_max_minutes: None,
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
            SearchOwner::Graph => self.graph.nominal_search = Some(number),
        }
        self.send(Origin::Search(owner), Request::Search { number, query });
    }

    /// Opens an item in the Intelligence area.
    pub fn open_item(&mut self, reference: String) {
        self.area = Area::Intelligence;
        self.intel_route = IntelRoute::Item;
        self.item.item = None;
        self.send(Origin::Item, Request::ViewItem(reference));
    }

    /// Opens a nominal's profile in the Nominals area.
    pub fn open_nominal(&mut self, id: crate::domain::NominalId) {
        self.area = Area::Nominals;
        self.nominals.route = NominalsRoute::Profile;
        self.nominals.profile = None;
        self.send(Origin::Nominals, Request::ViewNominal(id));
    }

    /// Opens the record a profile line or a timeline event names: an item by its reference,
    /// or `nominal:N`, `association:N`, `intervention:N`, `assessment:N` (the subject's
    /// assessment history) or `lead:N` in its own area. Nothing happens for an area the user's
    /// role does not see, or a reference that names no record.
    pub fn open_record(&mut self, record: &RecordRef, commands: &CommandQueue) {
        let role = self.session.user.role;
        let number = record
            .reference
            .split_once(':')
            .and_then(|(kind, n)| n.parse::<i64>().ok().map(|n| (kind, n)));
        match number {
            None if !record.reference.is_empty() && !record.reference.contains(':') => {
                self.open_item(record.reference.clone());
            }
            Some(("nominal", n)) => self.open_nominal(crate::domain::NominalId(n)),
            Some(("association", n)) if Area::NaRegister.is_visible_to(role) => {
                self.area = Area::NaRegister;
                self.na_register
                    .show_entry(crate::domain::NotifiableAssociationId(n));
            }
            Some(("intervention", n)) if Area::Interventions.is_visible_to(role) => {
                self.area = Area::Interventions;
                self.interventions.route = super::interventions_panel::InterventionRoute::Open;
                self.interventions.open = None;
                self.send(
                    Origin::Interventions,
                    Request::ViewIntervention(crate::domain::InterventionId(n)),
                );
            }
            Some(("assessment", _)) if Area::RiskTools.is_visible_to(role) => {
                if let Some((id, name)) = &record.subject {
                    self.area = Area::RiskTools;
                    self.risk.history.show_subject(*id, name.clone(), commands);
                    self.risk.view = super::RiskView::History;
                }
            }
            Some(("lead", n)) if Area::Imports.is_visible_to(role) => {
                self.area = Area::Imports;
                self.imports.tab = super::imports_panel::ImportsTab::Leads;
                self.imports.leads.selected = Some(crate::domain::LeadId(n));
            }
            _ => {}
        }
    }

    /// The layout to keep between runs: the area open and the graph side panel's width.
    #[must_use]
    pub fn layout(&self) -> crate::platform::ScreenLayout {
        #[expect(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            reason = "a panel's width in whole points, never negative"
        )]
        crate::platform::ScreenLayout {
            area: Some(self.area.label().to_owned()),
            graph_side_panel_width: self
                .graph
                .side_panel_width
                .map(|w| w.round().max(0.0) as u32),
            graph_side_panel_hidden: !self.graph.side_panel_open,
        }
    }

    /// Starts from a layout kept from an earlier run: the area (if this user's role sees it)
    /// and the graph side panel's width.
    pub fn apply_layout(&mut self, layout: &crate::platform::ScreenLayout) {
        if let Some(area) = layout
            .area
            .as_deref()
            .and_then(|label| Area::ALL.into_iter().find(|a| a.label() == label))
            && area.is_visible_to(self.session.user.role)
        {
            self.area = area;
        }
        #[expect(clippy::cast_precision_loss, reason = "a panel's width in points")]
        if let Some(width) = layout.graph_side_panel_width {
            self.graph.side_panel_width = Some(width as f32);
        }
        self.graph.side_panel_open = !layout.graph_side_panel_hidden;
    }

    /// Opens the Graph area with a chart on a nominal and its neighbours.
    pub fn open_chart_for(&mut self, id: crate::domain::NominalId) {
        self.area = crate::ui::area::Area::Graph;
        let request = self.graph.open_request(id, 1);
        self.send(Origin::Graph, request);
    }

    /// Sends a request for `origin`, showing the request's label until its reply arrives.
    pub fn send(&mut self, origin: Origin, request: Request) {
        if request.shows_busy() {
            self.session.busy = Some(request.label());
        }
        self.worker.send(Envelope { origin, request });
    }

    pub fn ui(&mut self, ui: &mut Ui, commands: &CommandQueue) {
        let role = self.session.user.role;
        if !self.area.is_visible_to(role) {
            self.area = Area::Intelligence;
        }
        // Inspectors are told at once what awaits their decision.
        if self.interventions.awaiting.is_none() {
            self.interventions.awaiting = Some(0);
            if crate::domain::Action::DecideIntervention.is_permitted_for(role) {
                commands.request(Origin::Main, Request::AwaitingDecision);
            }
        }
        egui::Panel::top("protective_marking").show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.label(
                    RichText::new(theme::PROTECTIVE_MARKING_TEXT)
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
            if !self.security_warnings.is_empty() {
                self.security_warnings_ui(ui);
            }
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

    /// Starts locking (once): the session thread records the logout and closes the store,
    /// which drops the key; the screen shows nothing of the session from now on.
    pub fn start_lock(&mut self) {
        if !self.locking {
            self.locking = true;
            self.session.busy = Some("Locking…");
            self.worker.lock();
        }
    }

    /// The unlock's warnings, in a frame that stays until dismissed.
    fn security_warnings_ui(&mut self, ui: &mut Ui) {
        let mut dismissed = false;
        egui::Frame::group(ui.style())
            .stroke(egui::Stroke::new(1.5, theme::DANGER))
            .show(ui, |ui| {
                ui.label(
                    RichText::new("Security warning")
                        .color(theme::DANGER)
                        .strong(),
                );
                for warning in &self.security_warnings {
                    ui.label(warning);
                }
                dismissed = ui
                    .button("Dismiss")
                    .on_hover_text("The warning stays in the audit log")
                    .clicked();
            });
        if dismissed {
            self.security_warnings.clear();
        }
        ui.separator();
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
                commands.request(
                    Origin::Main,
                    Request::SetPurpose(self.purpose_input.trim().to_owned()),
                );
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if ui
                    .button("Search")
                    .on_hover_text("Search items and nominals (Ctrl+K)")
                    .clicked()
                {
                    commands.send(MainCommand::ToggleSearch);
                }
                if ui
                    .button("Lock")
                    .on_hover_text("Lock now (Ctrl+L): closes the store and drops the keys")
                    .clicked()
                {
                    commands.send(MainCommand::Lock);
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
                commands.send(MainCommand::Navigate(area));
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
                IntelRoute::Form => self.item_form.ui(ui, &self.session, commands),
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
