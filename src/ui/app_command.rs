//! Commands: the only way panels change application state. Panels push them while drawing; the
//! app applies them after the frame. [`AppCommand`] changes which screen shows; a
//! [`MainCommand`] means something only in the main window, and is applied by it
//! (`main_commands.rs`). Both are matched without a catch-all arm: a new command that nobody
//! applies fails to compile.

use super::area::Area;
use super::session::{NominalsRoute, Origin, Request, SearchOwner, SessionStart};
use crate::domain::{AttachmentId, NominalId, SearchQuery};
use std::cell::RefCell;
use std::path::PathBuf;

/// A change of screen or of the app's settings.
#[derive(Debug)]
pub enum AppCommand {
    /// Back to the start screen.
    ShowStart,
    /// Show the unlock screen for this workbench.
    ChooseWorkbench(PathBuf),
    /// Ask for a workbench folder with the file dialog.
    BrowseForWorkbench,
    /// Show the form that creates a workbench.
    ShowCreate,
    /// Ask where to create a workbench with the file dialog.
    BrowseForNewWorkbench,
    /// Unlock or create on a session thread.
    StartSession(SessionStart),
    SetIdleLockMinutes(u32),
    /// Always use the app's own file browser, never the system's dialog (My account).
    SetInAppFileBrowser(bool),
    CopyToClipboard(String),
    ForgetRecent(PathBuf),
    /// Show the demo form.
    ShowDemo,
    /// A command for the main window.
    Main(MainCommand),
}

/// A record named on a profile: an item's reference or `kind:N`, and the profile's subject
/// (id and name) for records shown per subject (assessments).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordRef {
    pub reference: String,
    pub subject: Option<(NominalId, String)>,
}

/// A change the main window applies.
#[derive(Debug)]
pub enum MainCommand {
    /// Send a request to the unlocked session; its reply goes back to `Origin`.
    Send(Origin, Request),
    /// Ask where to write a backup, then write it.
    BrowseForBackup,
    /// Ask where to write the signed audit head, then write it.
    ExportAuditHead,
    /// Ask for a signed audit head file, then check the chain against it.
    CheckAuditHead,
    Navigate(Area),
    /// Lock now: the store closes and the keys are dropped.
    Lock,
    /// Open an item (by reference) in the Intelligence area.
    OpenItem(String),
    /// Open a nominal's profile in the Nominals area.
    OpenNominal(NominalId),
    /// Open the record a profile line or a timeline event names, in its own area.
    OpenRecord(RecordRef),
    NewItem,
    /// Edit the item being viewed.
    EditItem,
    CloseItemForm,
    BackToLog,
    /// Choose a file and attach it to the item.
    AttachFile(String),
    /// Choose where to save an attachment, then save it (a disclosure).
    SaveAttachment(AttachmentId, String),
    /// A search, answered to the panel that owns it.
    Search(SearchOwner, SearchQuery),
    /// Open the Risk tools area's assessment form on this nominal (id, display name).
    AssessNominal(NominalId, String),
    /// Open the assessment form under the Beacon instrument on this member of staff (id,
    /// display name), with the answers screening suggests from the data.
    AssessUnderBeacon(NominalId, String),
    /// Choose an instrument file and publish it as a new version (inspectors).
    ImportInstrumentFile,
    /// Choose a bulk file to import (the wizard previews it).
    PickImportFile,
    /// Choose an import spec file (TOML) for the wizard.
    PickImportSpec,
    /// Show a subject's assessment history in the Risk tools area (id, display name).
    ShowAssessmentHistory(NominalId, String),
    /// Ask where to write the People Intelligence Board list, then write it (a disclosure).
    ExportPibList,
    /// Ask where to write an intervention's authorisation record, then write it (a disclosure).
    ExportIntervention(crate::domain::InterventionId),
    /// Open the NA register's form on an association the exposure finder discovered.
    RegisterDiscoveredNa {
        employee: (NominalId, String),
        associate: (NominalId, String),
    },
    NominalsRoute(NominalsRoute),
    /// Open or close the global search window.
    ToggleSearch,
    /// Open the Graph area with a chart on this nominal and its neighbours.
    OpenChartFor(NominalId),
    /// Ask where to write the graph as GraphML, then write it (a disclosure).
    ExportGraphml(crate::graph::GraphFilter),
    /// Ask where to write the chart as SVG or PNG, then draw and write it (a disclosure).
    ExportChart(Box<crate::graph::SavedChart>, crate::workbench::ChartFormat),
    /// Ask where to write the People Intelligence Board pack, then write it (a disclosure).
    /// Ask where to write a subject's profile as a report (.html or .pdf), then write it (a
    /// disclosure).
    ExportSubjectReport(NominalId),
    ExportPibPack {
        since: crate::domain::IsoDate,
    },
    /// Ask where to write the threat assessment as HTML, then write it (a disclosure).
    ExportThreatAssessment {
        from: crate::domain::IsoDate,
        to: crate::domain::IsoDate,
        edition: crate::risk::threat_assessment::Edition,
    },
    /// Ask where to write the previewed transferee package, then write it as previewed (a
    /// disclosure).
    ExportTransfereePackage {
        previewed: Box<crate::domain::TransfereePackage>,
        recipient: String,
        confirm_c_items: bool,
    },
    /// Choose a FollowTheMoney JSON lines file to import.
    PickFtmFile,
}

impl AppCommand {
    /// A copy of this command if applying it asks for a path: kept while the in-app file
    /// browser is open, and applied again with the path chosen there.
    #[must_use]
    pub fn asking_for_path(&self) -> Option<AppCommand> {
        match self {
            AppCommand::BrowseForWorkbench => Some(AppCommand::BrowseForWorkbench),
            AppCommand::BrowseForNewWorkbench => Some(AppCommand::BrowseForNewWorkbench),
            AppCommand::Main(command) => command.asking_for_path().map(AppCommand::Main),
            AppCommand::ShowStart
            | AppCommand::ChooseWorkbench(_)
            | AppCommand::ShowCreate
            | AppCommand::StartSession(_)
            | AppCommand::SetIdleLockMinutes(_)
            | AppCommand::SetInAppFileBrowser(_)
            | AppCommand::CopyToClipboard(_)
            | AppCommand::ForgetRecent(_)
            | AppCommand::ShowDemo => None,
        }
    }
}

impl MainCommand {
    /// A copy of this command if applying it asks for a path (see
    /// [`AppCommand::asking_for_path`]).
    #[must_use]
    pub fn asking_for_path(&self) -> Option<MainCommand> {
        match self {
            MainCommand::BrowseForBackup => Some(MainCommand::BrowseForBackup),
            MainCommand::ExportAuditHead => Some(MainCommand::ExportAuditHead),
            MainCommand::CheckAuditHead => Some(MainCommand::CheckAuditHead),
            MainCommand::AttachFile(reference) => Some(MainCommand::AttachFile(reference.clone())),
            MainCommand::SaveAttachment(id, name) => {
                Some(MainCommand::SaveAttachment(*id, name.clone()))
            }
            MainCommand::ImportInstrumentFile => Some(MainCommand::ImportInstrumentFile),
            MainCommand::PickImportFile => Some(MainCommand::PickImportFile),
            MainCommand::PickImportSpec => Some(MainCommand::PickImportSpec),
            MainCommand::PickFtmFile => Some(MainCommand::PickFtmFile),
            MainCommand::ExportPibList => Some(MainCommand::ExportPibList),
            MainCommand::ExportIntervention(id) => Some(MainCommand::ExportIntervention(*id)),
            MainCommand::ExportGraphml(filter) => Some(MainCommand::ExportGraphml(filter.clone())),
            MainCommand::ExportChart(chart, format) => {
                Some(MainCommand::ExportChart(chart.clone(), *format))
            }
            MainCommand::ExportSubjectReport(id) => Some(MainCommand::ExportSubjectReport(*id)),
            MainCommand::ExportPibPack { since } => {
                Some(MainCommand::ExportPibPack { since: *since })
            }
            MainCommand::ExportThreatAssessment { from, to, edition } => {
                Some(MainCommand::ExportThreatAssessment {
                    from: *from,
                    to: *to,
                    edition: *edition,
                })
            }
            MainCommand::ExportTransfereePackage {
                previewed,
                recipient,
                confirm_c_items,
            } => Some(MainCommand::ExportTransfereePackage {
                previewed: previewed.clone(),
                recipient: recipient.clone(),
                confirm_c_items: *confirm_c_items,
            }),
            MainCommand::Send(..)
            | MainCommand::Navigate(_)
            | MainCommand::Lock
            | MainCommand::OpenItem(_)
            | MainCommand::OpenNominal(_)
            | MainCommand::OpenRecord(_)
            | MainCommand::NewItem
            | MainCommand::EditItem
            | MainCommand::CloseItemForm
            | MainCommand::BackToLog
            | MainCommand::Search(..)
            | MainCommand::AssessNominal(..)
            | MainCommand::AssessUnderBeacon(..)
            | MainCommand::ShowAssessmentHistory(..)
            | MainCommand::RegisterDiscoveredNa { .. }
            | MainCommand::NominalsRoute(_)
            | MainCommand::ToggleSearch
            | MainCommand::OpenChartFor(_) => None,
        }
    }
}

impl From<MainCommand> for AppCommand {
    fn from(command: MainCommand) -> Self {
        AppCommand::Main(command)
    }
}

/// Where panels put their commands during a frame.
#[derive(Debug, Default)]
pub struct CommandQueue {
    commands: RefCell<Vec<AppCommand>>,
}

impl CommandQueue {
    pub fn send(&self, command: impl Into<AppCommand>) {
        self.commands.borrow_mut().push(command.into());
    }

    /// Sends `request` to the session thread on behalf of `origin`.
    pub fn request(&self, origin: Origin, request: Request) {
        self.send(MainCommand::Send(origin, request));
    }

    pub fn take(&self) -> Vec<AppCommand> {
        std::mem::take(&mut *self.commands.borrow_mut())
    }
}
