//! The background thread that owns an unlocked workbench. The UI thread never touches the store:
//! it sends [`Request`]s and reads [`Response`]s, so key derivation, backups and verification
//! never stall a frame.

use super::graph_panel::GraphIntent;
use crate::crypto::KdfParams;
use crate::demo::DemoScale;
use crate::domain::LeadId;
use crate::domain::{
    AssessmentId, AttachmentId, AuditEntry, DuplicateMatch, IntelItem, IntelItemFields,
    IntelItemVersion, IntelQuery, IntelRow, InvalidRecord, IsoDate, NaChange, NaDraft, NaFilter,
    NaRow, Nominal, NominalDetails, NominalId, NotifiableAssociation, NotifiableAssociationId,
    ReferenceData, Role, SearchHit, SearchQuery, User,
};
use crate::domain::{
    InterventionId, InterventionProposal, InterventionState, InterventionStep, InterventionView,
};
use crate::graph::{
    ExposureLead, ExposureOptions, GraphAnswer, GraphFilter, GraphPath, GraphQuestion, SavedChart,
    Subgraph,
};
use crate::io::bulk_csv::CsvPreview;
use crate::io::import_spec::ImportSpec;
use crate::risk::{
    Answers, AssessmentRecord, BeaconCohortEntry, Instrument, InstrumentVersionInfo, Rescore,
};
use crate::store::{AttachmentInfo, AuditHead, AuditVerification, StoredLead};
use crate::workbench::{
    BackupReport, DemoProgress, DemoSpec, NominalProfile, RekeyReport, Workbench, WorkbenchError,
};
use crate::workbench::{CrossrefRun, FtmImportReport, ImportOptions, ImportProgress, ImportReport};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::sync::mpsc::{Receiver, Sender, channel};
use zeroize::Zeroizing;

/// What the UI asks of the session thread.
#[derive(Debug)]
pub enum Request {
    SetPurpose(String),
    ListUsers,
    AddUser {
        name: String,
        role: Role,
        password: Zeroizing<String>,
    },
    RemoveUser(String),
    ResetPassword {
        name: String,
        password: Zeroizing<String>,
    },
    ChangeOwnPassword {
        current: Zeroizing<String>,
        new: Zeroizing<String>,
    },
    Rekey,
    Backup(PathBuf),
    VerifyAudit,
    AuditPage {
        first_seq: i64,
        count: usize,
    },
    IntelCount(IntelQuery),
    IntelPage {
        query: IntelQuery,
        offset: u64,
        limit: usize,
    },
    ViewItem(String),
    ItemHistory(String),
    CreateItem(Box<IntelItemFields>),
    UpdateItem {
        reference: String,
        fields: Box<IntelItemFields>,
    },
    ChangeStatus {
        reference: String,
        to: String,
        reason: String,
    },
    /// A search, numbered so the UI shows only the answer to the newest one.
    Search {
        number: u64,
        query: SearchQuery,
    },
    ViewNominal(NominalId),
    CreateNominal {
        details: Box<NominalDetails>,
        allow_duplicates: bool,
    },
    ViewAttachment(AttachmentId),
    /// Read a file and attach it (the session thread reads it, not the frame).
    AttachFile {
        reference: String,
        path: PathBuf,
    },
    ExportAttachment {
        id: AttachmentId,
        path: PathBuf,
    },
    /// A question to the link graph, answered for `intent`.
    GraphQuery {
        intent: GraphIntent,
        filter: GraphFilter,
        question: GraphQuestion,
    },
    Exposures {
        max_hops: usize,
    },
    /// The nominals and links of a lead's route, to show on the chart.
    ShowLead(Box<ExposureLead>),
    RecordExposure(Box<ExposureLead>),
    SaveChart(Box<SavedChart>),
    ListCharts,
    OpenChart(String),
    ExportGraphml {
        path: PathBuf,
        filter: GraphFilter,
    },
    /// Draw the chart as PNG (on this thread, not in a frame) and write it: a disclosure.
    ExportChartPng {
        path: PathBuf,
        chart: Box<SavedChart>,
    },
    /// Every stored version of every risk instrument.
    ListInstruments,
    /// One version of an instrument (the newest when `version` is `None`), for the assessment
    /// form (`for_form`) or the instrument viewer.
    LoadInstrument {
        key: String,
        version: Option<u32>,
        for_form: bool,
    },
    /// Score and save an assessment under the newest version of `key`.
    Assess {
        key: String,
        subject: NominalId,
        answers: Answers,
        rationale: String,
        assessed_on: IsoDate,
    },
    /// A subject's saved assessments, oldest first.
    AssessmentsOf(NominalId),
    /// A saved assessment scored again under another version, nothing changed.
    Rescore {
        id: AssessmentId,
        version: u32,
    },
    /// Publish a version edited in the GUI (inspectors).
    PublishInstrument(Box<Instrument>),
    /// Read, check and publish an instrument file (inspectors).
    PublishInstrumentFile(PathBuf),
    /// The Beacon cohort on a date.
    BeaconCohort {
        as_of: IsoDate,
    },
    /// Write the People Intelligence Board pack as HTML (a disclosure).
    ExportPibPack {
        path: PathBuf,
        since: IsoDate,
    },
    /// The control strategy as stored.
    ControlStrategy,
    /// Replace the control strategy (analysts and inspectors).
    SetControlStrategy(Vec<crate::risk::threat_assessment::ControlStrategyRow>),
    /// The strategic threat assessment for a period.
    ThreatAssessment {
        from: IsoDate,
        to: IsoDate,
    },
    /// Write the threat assessment as HTML (a disclosure).
    ExportThreatAssessment {
        path: PathBuf,
        from: IsoDate,
        to: IsoDate,
    },
    /// One employee's transferee information package, for the preview of what its export
    /// would disclose (a consultation).
    TransfereePackage(NominalId),
    /// Write one employee's transferee information package as HTML (a disclosure), exactly
    /// as previewed (refused if it changed since).
    ExportTransfereePackage {
        previewed: Box<crate::domain::TransfereePackage>,
        path: PathBuf,
    },
    /// Write the People Intelligence Board list as CSV (a disclosure).
    ExportPibList {
        path: PathBuf,
        as_of: IsoDate,
    },
    /// The NA register entries a filter selects.
    NaList {
        filter: NaFilter,
        as_of: IsoDate,
    },
    /// Live NA entries by category.
    NaCounts,
    RegisterNa(Box<NaDraft>),
    ChangeNa {
        id: NotifiableAssociationId,
        version: u32,
        change: Box<NaChange>,
    },
    /// Interventions in a state (all when `None`).
    Interventions {
        state: Option<InterventionState>,
    },
    ViewIntervention(InterventionId),
    ProposeIntervention(Box<InterventionProposal>),
    InterventionStep {
        id: InterventionId,
        version: u32,
        step: Box<InterventionStep>,
    },
    ExportIntervention {
        id: InterventionId,
        path: PathBuf,
    },
    /// How many proposals await this user's decision.
    AwaitingDecision,
    /// The first rows of a file to import (read here, off the UI thread).
    PreviewImport {
        path: PathBuf,
        delimiter: u8,
    },
    /// Import a file through a spec, reporting progress; `cancel` stops it (rolled back).
    ImportFile {
        spec: Box<ImportSpec>,
        path: PathBuf,
        options: ImportOptions,
        cancel: Arc<AtomicBool>,
    },
    /// Import a FollowTheMoney JSON lines file (no spec: FtM names its own properties),
    /// reporting progress as a CSV import does; `cancel` stops it (rolled back).
    ImportFtmFile {
        path: PathBuf,
        options: ImportOptions,
        cancel: Arc<AtomicBool>,
    },
    CrossReference {
        window_days: i64,
    },
    Leads,
    PromoteLead(LeadId),
    Lock,
}

/// What the session thread reports back.
#[derive(Debug)]
pub enum Response {
    /// The workbench opened (or was created) for this user, with the code lists forms offer.
    Unlocked {
        user: User,
        head: AuditHead,
        reference: Box<ReferenceData>,
    },
    /// How far a demo build has got.
    Progress(DemoProgress),
    /// Unlocking failed; the message is safe to show; wait `retry_after_secs` before retrying.
    UnlockFailed {
        message: String,
        retry_after_secs: u64,
    },
    PurposeSet(String),
    Users(Vec<User>),
    UserAdded(User),
    UserRemoved,
    PasswordReset,
    PasswordChanged,
    Rekeyed(RekeyReport),
    BackupWritten(BackupReport),
    Verified(AuditVerification),
    AuditPage {
        first_seq: i64,
        entries: Vec<AuditEntry>,
    },
    /// The chain head after a change (every change appends to the audit log).
    Head(AuditHead),
    IntelCount {
        query: IntelQuery,
        count: u64,
    },
    IntelPage {
        query: IntelQuery,
        offset: u64,
        rows: Vec<IntelRow>,
    },
    Item {
        item: Box<IntelItem>,
        attachments: Vec<AttachmentInfo>,
        user_names: Vec<(crate::domain::UserId, String)>,
        subject_names: Vec<(NominalId, String)>,
    },
    ItemHistory {
        reference: String,
        versions: Vec<IntelItemVersion>,
    },
    /// An item was created, edited or moved to another status.
    ItemSaved(Box<IntelItem>),
    SearchResults {
        number: u64,
        hits: Vec<SearchHit>,
    },
    Nominal(Box<NominalProfile>),
    NominalSaved(Box<Nominal>),
    Duplicates(Vec<DuplicateMatch>),
    Attachment {
        info: AttachmentInfo,
        content: Vec<u8>,
    },
    Exported(PathBuf),
    GraphAnswer {
        intent: GraphIntent,
        answer: Box<GraphAnswer>,
    },
    Exposures {
        leads: Vec<ExposureLead>,
        names: Vec<(NominalId, String)>,
    },
    LeadShown {
        path: GraphPath,
        network: Subgraph,
    },
    ChartSaved(String),
    Charts(Vec<(String, String)>),
    ChartOpened {
        chart: Box<SavedChart>,
        network: Subgraph,
    },
    Instruments(Vec<InstrumentVersionInfo>),
    Instrument {
        instrument: Box<Instrument>,
        for_form: bool,
    },
    Assessed(Box<AssessmentRecord>),
    Assessments {
        subject: NominalId,
        records: Vec<AssessmentRecord>,
    },
    Rescored {
        id: AssessmentId,
        rescore: Box<Rescore>,
    },
    InstrumentPublished {
        key: String,
        version: u32,
    },
    BeaconCohort(Vec<BeaconCohortEntry>),
    ThreatAssessment(Box<crate::risk::threat_assessment::ThreatAssessment>),
    ControlStrategy(Vec<crate::risk::threat_assessment::ControlStrategyRow>),
    /// What a transferee package would disclose, for its preview.
    TransfereePackage(Box<crate::domain::TransfereePackage>),
    NaList {
        filter: NaFilter,
        rows: Vec<NaRow>,
    },
    NaCounts(Vec<(String, usize)>),
    /// An entry was registered or changed.
    NaSaved(Box<NotifiableAssociation>),
    Interventions(Vec<InterventionView>),
    Intervention(Box<InterventionView>),
    /// An intervention was proposed or moved on a step.
    InterventionSaved(InterventionId),
    AwaitingDecision(usize),
    ImportPreview {
        path: PathBuf,
        preview: CsvPreview,
    },
    ImportProgress(ImportProgress),
    /// An import (or dry run) finished.
    Imported(Box<ImportReport>),
    /// A FollowTheMoney import (or dry run) finished.
    FtmImported(Box<FtmImportReport>),
    /// An import was refused or cancelled; nothing was changed.
    ImportFailed(String),
    CrossrefRun(Box<CrossrefRun>),
    Leads(Vec<StoredLead>),
    LeadPromoted {
        lead: LeadId,
        reference: String,
    },
    /// A record was refused: each field's problem, for the form.
    Invalid(InvalidRecord),
    /// A request failed; `what` names the request, `message` is safe to show.
    Failed {
        what: &'static str,
        message: String,
    },
    /// The workbench is locked: the store is closed and the keys are gone.
    Locked,
}

/// How a session starts.
#[derive(Debug)]
pub enum SessionStart {
    Unlock {
        path: PathBuf,
        user_name: String,
        password: Zeroizing<String>,
    },
    Create {
        path: PathBuf,
        admin_name: String,
        password: Zeroizing<String>,
        kdf: KdfParams,
    },
    Demo {
        path: PathBuf,
        admin_name: String,
        password: Zeroizing<String>,
        kdf: KdfParams,
        scale: DemoScale,
        seed: u64,
        cancel: Arc<AtomicBool>,
    },
}

/// The UI's handle on a session thread.
#[derive(Debug)]
pub struct SessionWorker {
    requests: Option<Sender<Request>>,
    responses: Receiver<Response>,
    thread: Option<std::thread::JoinHandle<()>>,
}

/// Dropping the handle ends the session and waits for it: the thread locks the workbench
/// (recording the logout) and closes the store before the handle is gone. Without the wait,
/// a process ending right after (a closed window, a finished test) could tear down the
/// crypto library under a thread still closing the store: a crash seen once in the GUI tests.
impl Drop for SessionWorker {
    fn drop(&mut self) {
        self.requests = None;
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl SessionWorker {
    /// Starts a named session thread that unlocks (or creates) the workbench, then serves
    /// requests until it is locked. `wake` is called after every response (it repaints the UI).
    ///
    /// # Errors
    /// If the OS cannot start a thread.
    pub fn spawn(start: SessionStart, wake: impl Fn() + Send + 'static) -> std::io::Result<Self> {
        let (requests, request_rx) = channel();
        let (response_tx, responses) = channel();
        let thread = std::thread::Builder::new()
            .name("workbench-session".into())
            .spawn(move || serve(start, &request_rx, &response_tx, &wake))?;
        Ok(Self {
            requests: Some(requests),
            responses,
            thread: Some(thread),
        })
    }

    /// Sends a request. A session thread that has ended (it never does while unlocked, short of
    /// a crash) is reported by [`SessionWorker::is_finished`] rather than here.
    pub fn send(&self, request: Request) {
        if self
            .requests
            .as_ref()
            .is_none_or(|requests| requests.send(request).is_err())
        {
            tracing::warn!("the session thread has ended");
        }
    }

    /// Whether the session thread has ended (after locking, or if it crashed).
    #[must_use]
    pub fn is_finished(&self) -> bool {
        self.thread
            .as_ref()
            .is_none_or(std::thread::JoinHandle::is_finished)
    }

    /// Every response that has arrived, without waiting.
    #[must_use]
    pub fn drain(&self) -> Vec<Response> {
        self.responses.try_iter().collect()
    }
}

fn serve(
    start: SessionStart,
    requests: &Receiver<Request>,
    responses: &Sender<Response>,
    wake: &dyn Fn(),
) {
    let send = |response: Response| {
        let _ = responses.send(response);
        wake();
    };
    let opened = match start {
        SessionStart::Unlock {
            path,
            user_name,
            password,
        } => Workbench::unlock(&path, &user_name, &password),
        SessionStart::Create {
            path,
            admin_name,
            password,
            kdf,
        } => Workbench::create(&path, &admin_name, &password, kdf),
        SessionStart::Demo {
            path,
            admin_name,
            password,
            kdf,
            scale,
            seed,
            cancel,
        } => {
            let spec = DemoSpec {
                admin_name: &admin_name,
                password: &password,
                kdf,
                scale,
                seed,
            };
            Workbench::create_demo(&path, &spec, &mut |p| send(Response::Progress(p)), &cancel)
                .map(|(workbench, _answers)| workbench)
        }
    };
    let mut workbench = match opened {
        Ok(workbench) => workbench,
        Err(err) => {
            let retry_after_secs = match &err {
                WorkbenchError::WrongCredentials {
                    retry_after_secs, ..
                } => *retry_after_secs,
                _ => 0,
            };
            send(Response::UnlockFailed {
                message: err.to_string(),
                retry_after_secs,
            });
            return;
        }
    };
    match workbench.audit_head() {
        Ok(head) => send(Response::Unlocked {
            user: workbench.user().clone(),
            head,
            reference: Box::new(workbench.reference_data().clone()),
        }),
        Err(err) => {
            send(Response::UnlockFailed {
                message: err.to_string(),
                retry_after_secs: 0,
            });
            return;
        }
    }
    // The UI dropping its handle (window closed) ends the loop and locks, as `Lock` does.
    while let Ok(request) = requests.recv() {
        if matches!(request, Request::Lock) {
            break;
        }
        let response = match request {
            Request::ImportFile {
                spec,
                path,
                options,
                cancel,
            } => import_file(&mut workbench, &spec, &path, options, &cancel, &send),
            Request::ImportFtmFile {
                path,
                options,
                cancel,
            } => import_ftm_file(&mut workbench, &path, options, &cancel, &send),
            request => handle(&mut workbench, request),
        };
        let changed = !matches!(
            response,
            Response::AuditPage { .. } | Response::IntelCount { .. } | Response::Failed { .. }
        );
        send(response);
        if changed && let Ok(head) = workbench.audit_head() {
            send(Response::Head(head));
        }
    }
    if let Err(err) = workbench.lock() {
        tracing::warn!("locking the workbench reported: {err}");
    }
    send(Response::Locked);
}

/// Progress reports at most this often (a frame's worth of work each).
const IMPORT_PROGRESS_EVERY: std::time::Duration = std::time::Duration::from_millis(100);

/// Opens the file at `path` and runs `import` on it, streamed, with the progress callback
/// every import (CSV or FtM) shares: progress goes to the UI at most every
/// [`IMPORT_PROGRESS_EVERY`], and the UI's cancel flag, read between rows, ends the import,
/// which then changes nothing. One place, so the two kinds of import cannot drift apart.
fn with_import_progress<T>(
    path: &std::path::Path,
    cancel: &AtomicBool,
    send: &dyn Fn(Response),
    import: impl FnOnce(
        &str,
        std::io::BufReader<std::fs::File>,
        Option<u64>,
        &mut dyn FnMut(&ImportProgress) -> std::ops::ControlFlow<()>,
    ) -> Result<T, WorkbenchError>,
) -> Result<T, String> {
    let file = std::fs::File::open(path)
        .map_err(|err| format!("could not open {}: {}", path.display(), err.kind()))?;
    let total_bytes = file.metadata().ok().map(|m| m.len());
    let mut last = std::time::Instant::now();
    import(
        &path.display().to_string(),
        std::io::BufReader::with_capacity(1 << 20, file),
        total_bytes,
        &mut |progress| {
            if cancel.load(std::sync::atomic::Ordering::Relaxed) {
                return std::ops::ControlFlow::Break(());
            }
            if last.elapsed() >= IMPORT_PROGRESS_EVERY {
                last = std::time::Instant::now();
                send(Response::ImportProgress(*progress));
            }
            std::ops::ControlFlow::Continue(())
        },
    )
    .map_err(|err| err.to_string())
}

fn import_file(
    workbench: &mut Workbench,
    spec: &ImportSpec,
    path: &std::path::Path,
    options: ImportOptions,
    cancel: &AtomicBool,
    send: &dyn Fn(Response),
) -> Response {
    with_import_progress(path, cancel, send, |name, reader, total_bytes, progress| {
        workbench.import_bulk(spec, name, reader, total_bytes, options, progress)
    })
    .map_or_else(Response::ImportFailed, |report| {
        Response::Imported(Box::new(report))
    })
}

fn import_ftm_file(
    workbench: &mut Workbench,
    path: &std::path::Path,
    options: ImportOptions,
    cancel: &AtomicBool,
    send: &dyn Fn(Response),
) -> Response {
    with_import_progress(path, cancel, send, |name, reader, total_bytes, progress| {
        workbench.import_ftm(name, reader, total_bytes, options, progress)
    })
    .map_or_else(Response::ImportFailed, |report| {
        Response::FtmImported(Box::new(report))
    })
}

fn handle(workbench: &mut Workbench, request: Request) -> Response {
    let failed = |what: &'static str, err: &WorkbenchError| Response::Failed {
        what,
        message: err.to_string(),
    };
    match request {
        Request::SetPurpose(purpose) => match workbench.set_purpose(&purpose) {
            Ok(()) => Response::PurposeSet(workbench.purpose().unwrap_or_default().to_owned()),
            Err(err) => failed("set the purpose", &err),
        },
        Request::ListUsers => workbench
            .users()
            .map_or_else(|err| failed("list users", &err), Response::Users),
        Request::AddUser {
            name,
            role,
            password,
        } => workbench
            .add_user(&name, role, &password)
            .map_or_else(|err| failed("add the user", &err), Response::UserAdded),
        Request::RemoveUser(name) => workbench.remove_user(&name).map_or_else(
            |err| failed("remove the user", &err),
            |()| Response::UserRemoved,
        ),
        Request::ResetPassword { name, password } => {
            workbench.reset_password(&name, &password).map_or_else(
                |err| failed("reset the password", &err),
                |()| Response::PasswordReset,
            )
        }
        Request::ChangeOwnPassword { current, new } => {
            workbench.change_own_password(&current, &new).map_or_else(
                |err| failed("change your password", &err),
                |()| Response::PasswordChanged,
            )
        }
        Request::Rekey => workbench.rekey().map_or_else(
            |err| failed("rotate the master key", &err),
            Response::Rekeyed,
        ),
        Request::Backup(path) => workbench.backup(&path).map_or_else(
            |err| failed("write the backup", &err),
            Response::BackupWritten,
        ),
        Request::VerifyAudit => workbench.verify_audit_log().map_or_else(
            |err| failed("verify the audit log", &err),
            Response::Verified,
        ),
        Request::AuditPage { first_seq, count } => {
            workbench.audit_entries(first_seq, count).map_or_else(
                |err| failed("read the audit log", &err),
                |entries| Response::AuditPage { first_seq, entries },
            )
        }
        Request::IntelCount(query) => workbench.intel_count(&query).map_or_else(
            |err| failed("count the log", &err),
            |count| Response::IntelCount { query, count },
        ),
        Request::IntelPage {
            query,
            offset,
            limit,
        } => workbench.intel_page(&query, offset, limit).map_or_else(
            |err| failed("read the log", &err),
            |rows| Response::IntelPage {
                query,
                offset,
                rows,
            },
        ),
        Request::ViewItem(reference) => view_item(workbench, &reference),
        Request::ItemHistory(reference) => workbench.item_history(&reference).map_or_else(
            |err| failed("read the history", &err),
            |versions| Response::ItemHistory {
                reference,
                versions,
            },
        ),
        Request::CreateItem(fields) => {
            saved(workbench.create_item(&fields, None), "record the item")
        }
        Request::UpdateItem { reference, fields } => {
            saved(workbench.update_item(&reference, &fields), "save the item")
        }
        Request::ChangeStatus {
            reference,
            to,
            reason,
        } => saved(
            workbench.change_item_status(&reference, &to, &reason),
            "change the status",
        ),
        Request::Search { number, query } => workbench.search(&query).map_or_else(
            |err| failed("search", &err),
            |hits| Response::SearchResults { number, hits },
        ),
        Request::ViewNominal(id) => workbench.view_nominal(id).map_or_else(
            |err| failed("open the nominal", &err),
            |profile| Response::Nominal(Box::new(profile)),
        ),
        Request::CreateNominal {
            details,
            allow_duplicates,
        } => match workbench.create_nominal(*details, allow_duplicates) {
            Ok(nominal) => Response::NominalSaved(Box::new(nominal)),
            Err(WorkbenchError::PossibleDuplicates(matches)) => Response::Duplicates(matches),
            Err(WorkbenchError::Invalid(invalid)) => Response::Invalid(invalid),
            Err(err) => failed("record the nominal", &err),
        },
        Request::AttachFile { reference, path } => attach(workbench, &reference, &path),
        Request::ViewAttachment(id) => workbench.view_attachment(id).map_or_else(
            |err| failed("open the attachment", &err),
            |(info, content)| Response::Attachment { info, content },
        ),
        Request::ExportAttachment { id, path } => {
            workbench.export_attachment(id, &path).map_or_else(
                |err| failed("save the attachment", &err),
                |_| Response::Exported(path),
            )
        }
        Request::GraphQuery {
            intent,
            filter,
            question,
        } => workbench.graph_query(&filter, &question).map_or_else(
            |err| failed("analyse the graph", &err),
            |answer| Response::GraphAnswer {
                intent,
                answer: Box::new(answer),
            },
        ),
        Request::Exposures { max_hops } => exposures(workbench, max_hops),
        Request::ShowLead(lead) => {
            match among(workbench, &GraphFilter::default(), lead.path.nodes.clone()) {
                Ok(network) => Response::LeadShown {
                    path: lead.path.clone(),
                    network,
                },
                Err(err) => failed("show the lead", &err),
            }
        }
        Request::RecordExposure(lead) => saved(workbench.record_exposure(&lead), "record the lead"),
        Request::SaveChart(chart) => workbench.save_chart(&chart).map_or_else(
            |err| failed("save the chart", &err),
            |()| Response::ChartSaved(chart.name.clone()),
        ),
        Request::ListCharts => workbench
            .chart_names()
            .map_or_else(|err| failed("list the charts", &err), Response::Charts),
        Request::OpenChart(name) => open_chart(workbench, &name),
        Request::ExportGraphml { path, filter } => {
            workbench.export_graphml(&filter, &path).map_or_else(
                |err| failed("export the graph", &err),
                |_| Response::Exported(path),
            )
        }
        Request::ExportChartPng { path, chart } => export_png(workbench, &path, &chart),
        Request::ListInstruments => workbench.instruments().map_or_else(
            |err| failed("list the instruments", &err),
            Response::Instruments,
        ),
        Request::LoadInstrument {
            key,
            version,
            for_form,
        } => workbench.instrument(&key, version).map_or_else(
            |err| failed("open the instrument", &err),
            |instrument| Response::Instrument {
                instrument: Box::new(instrument),
                for_form,
            },
        ),
        Request::Assess {
            key,
            subject,
            answers,
            rationale,
            assessed_on,
        } => workbench
            .assess(&key, subject, &answers, &rationale, assessed_on)
            .map_or_else(
                |err| failed("save the assessment", &err),
                |record| Response::Assessed(Box::new(record)),
            ),
        Request::AssessmentsOf(subject) => workbench.assessments_of(subject).map_or_else(
            |err| failed("read the assessments", &err),
            |records| Response::Assessments { subject, records },
        ),
        Request::Rescore { id, version } => workbench.rescore_assessment(id, version).map_or_else(
            |err| failed("re-score the assessment", &err),
            |rescore| Response::Rescored {
                id,
                rescore: Box::new(rescore),
            },
        ),
        Request::PublishInstrument(instrument) => publish(workbench, *instrument),
        Request::PublishInstrumentFile(path) => publish_file(workbench, &path),
        Request::BeaconCohort { as_of } => workbench.beacon_cohort(as_of).map_or_else(
            |err| failed("read the Beacon cohort", &err),
            Response::BeaconCohort,
        ),
        Request::ExportPibPack { path, since } => {
            workbench.export_pib_pack(since, &path).map_or_else(
                |err| failed("export the PIB pack", &err),
                |_| Response::Exported(path),
            )
        }
        Request::ControlStrategy => workbench.control_strategy().map_or_else(
            |err| failed("read the control strategy", &err),
            Response::ControlStrategy,
        ),
        Request::SetControlStrategy(rows) => workbench
            .set_control_strategy(&rows)
            .and_then(|()| workbench.control_strategy())
            .map_or_else(
                |err| failed("save the control strategy", &err),
                Response::ControlStrategy,
            ),
        Request::ThreatAssessment { from, to } => {
            workbench.threat_assessment(from, to).map_or_else(
                |err| failed("assess the period", &err),
                |assessment| Response::ThreatAssessment(Box::new(assessment)),
            )
        }
        Request::ExportThreatAssessment { path, from, to } => workbench
            .export_threat_assessment(from, to, &path)
            .map_or_else(
                |err| failed("export the threat assessment", &err),
                |_| Response::Exported(path),
            ),
        Request::TransfereePackage(employee) => workbench.transferee_package(employee).map_or_else(
            |err| failed("read the transferee package", &err),
            |package| Response::TransfereePackage(Box::new(package)),
        ),
        Request::ExportTransfereePackage { previewed, path } => workbench
            .export_previewed_transferee_package(&previewed, &path)
            .map_or_else(
                |err| failed("export the transferee package", &err),
                |()| Response::Exported(path),
            ),
        Request::ExportPibList { path, as_of } => {
            workbench.export_pib_list(&path, as_of).map_or_else(
                |err| failed("export the PIB list", &err),
                |_| Response::Exported(path),
            )
        }
        Request::NaList { filter, as_of } => workbench
            .notifiable_associations(&filter, as_of)
            .map_or_else(
                |err| failed("read the register", &err),
                |rows| Response::NaList { filter, rows },
            ),
        Request::NaCounts => workbench
            .association_counts()
            .map_or_else(|err| failed("count the register", &err), Response::NaCounts),
        Request::Interventions { state } => workbench.interventions(state).map_or_else(
            |err| failed("read the interventions", &err),
            Response::Interventions,
        ),
        Request::ViewIntervention(id) => workbench.intervention(id).map_or_else(
            |err| failed("open the intervention", &err),
            |view| Response::Intervention(Box::new(view)),
        ),
        Request::ProposeIntervention(proposal) => intervention_saved(
            workbench.propose_intervention(&proposal),
            "propose the intervention",
        ),
        Request::InterventionStep { id, version, step } => intervention_saved(
            workbench.take_intervention_step(id, Some(version), &step),
            "take the step",
        ),
        Request::ExportIntervention { id, path } => {
            workbench.export_intervention(id, &path).map_or_else(
                |err| failed("export the record", &err),
                |()| Response::Exported(path),
            )
        }
        Request::AwaitingDecision => workbench.interventions_awaiting_my_decision().map_or_else(
            |err| failed("count the proposals", &err),
            Response::AwaitingDecision,
        ),
        Request::RegisterNa(draft) => na_saved(
            workbench.register_notifiable_association(&draft),
            "register the association",
        ),
        Request::ChangeNa {
            id,
            version,
            change,
        } => na_saved(
            workbench.change_notifiable_association(id, Some(version), &change),
            "change the entry",
        ),
        Request::PreviewImport { path, delimiter } => {
            let preview = std::fs::File::open(&path)
                .map_err(|err| format!("could not open {}: {}", path.display(), err.kind()))
                .and_then(|file| {
                    crate::io::bulk_csv::preview(std::io::BufReader::new(file), delimiter, 8)
                        .map_err(|err| format!("{} {err}", path.display()))
                });
            match preview {
                Ok(preview) => Response::ImportPreview { path, preview },
                Err(message) => Response::ImportFailed(message),
            }
        }
        // Answered by `import_file` and `import_ftm_file`, with progress, before `handle` is
        // reached.
        Request::ImportFile { .. } | Request::ImportFtmFile { .. } => {
            Response::ImportFailed("the import was not run".into())
        }
        Request::CrossReference { window_days } => workbench
            .cross_reference(&crate::risk::crossref::CrossrefOptions {
                hospitality_window_days: window_days,
            })
            .map_or_else(
                |err| failed("cross-reference", &err),
                |run| Response::CrossrefRun(Box::new(run)),
            ),
        Request::Leads => workbench
            .leads()
            .map_or_else(|err| failed("read the leads", &err), Response::Leads),
        Request::PromoteLead(lead) => workbench.promote_lead(lead).map_or_else(
            |err| failed("promote the lead", &err),
            |item| Response::LeadPromoted {
                lead,
                reference: item.reference,
            },
        ),
        Request::Lock => Response::Locked,
    }
}

fn intervention_saved(
    result: Result<crate::domain::ManagementIntervention, WorkbenchError>,
    what: &'static str,
) -> Response {
    match result {
        Ok(intervention) => Response::InterventionSaved(intervention.id),
        Err(err) => Response::Failed {
            what,
            message: err.to_string(),
        },
    }
}

fn na_saved(result: Result<NotifiableAssociation, WorkbenchError>, what: &'static str) -> Response {
    match result {
        Ok(entry) => Response::NaSaved(Box::new(entry)),
        Err(WorkbenchError::Invalid(invalid)) => Response::Failed {
            what,
            message: invalid.to_string(),
        },
        Err(err) => Response::Failed {
            what,
            message: err.to_string(),
        },
    }
}

fn publish(workbench: &mut Workbench, instrument: Instrument) -> Response {
    let key = instrument.key().to_owned();
    match workbench.publish_instrument(instrument) {
        Ok(version) => Response::InstrumentPublished { key, version },
        Err(err) => Response::Failed {
            what: "publish the instrument",
            message: err.to_string(),
        },
    }
}

/// Reads an instrument file on this thread (not in a frame) and publishes it; a file that
/// does not check is refused with its line, and nothing is stored.
fn publish_file(workbench: &mut Workbench, path: &std::path::Path) -> Response {
    let failed = |message: String| Response::Failed {
        what: "publish the instrument",
        message,
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(err) => return failed(format!("could not read {name}: {err}")),
    };
    match crate::io::instrument_file::parse(&text, &name) {
        Ok(instrument) => publish(workbench, instrument),
        Err(err) => failed(err.to_string()),
    }
}

fn exposures(workbench: &mut Workbench, max_hops: usize) -> Response {
    let options = ExposureOptions {
        max_hops,
        ..ExposureOptions::default()
    };
    match workbench.find_exposures(&options) {
        Ok(leads) => {
            // The employee, the target and the employee's own contact on the route (the party of
            // a notifiable association registered from the lead).
            let mut ids: Vec<NominalId> = leads
                .iter()
                .flat_map(|l| {
                    [
                        l.employee,
                        l.target,
                        l.path.nodes.get(1).copied().unwrap_or(l.target),
                    ]
                })
                .collect();
            ids.sort_unstable();
            ids.dedup();
            let names = workbench.nominal_names(&ids).unwrap_or_default();
            Response::Exposures { leads, names }
        }
        Err(err) => Response::Failed {
            what: "find exposures",
            message: err.to_string(),
        },
    }
}

fn open_chart(workbench: &mut Workbench, name: &str) -> Response {
    let failed = |err: &WorkbenchError| Response::Failed {
        what: "open the chart",
        message: err.to_string(),
    };
    let chart = match workbench.open_chart(name) {
        Ok(chart) => chart,
        Err(err) => return failed(&err),
    };
    let nominals = chart.placements.iter().map(|p| p.id).collect();
    match among(workbench, &chart.filter, nominals) {
        Ok(network) => Response::ChartOpened {
            chart: Box::new(chart),
            network,
        },
        Err(err) => failed(&err),
    }
}

/// These nominals and the links among them, as the session's graph has them (an audited
/// question like any other).
fn among(
    workbench: &mut Workbench,
    filter: &GraphFilter,
    nominals: Vec<NominalId>,
) -> Result<Subgraph, WorkbenchError> {
    match workbench.graph_query(filter, &GraphQuestion::Among { nominals })? {
        GraphAnswer::Among { network } => Ok(network),
        _ => Err(WorkbenchError::Refused(
            "the graph gave an unexpected answer",
        )),
    }
}

/// The size of an exported chart picture.
const PNG_SIZE_PX: (u32, u32) = (1600, 1200);

fn export_png(workbench: &mut Workbench, path: &std::path::Path, chart: &SavedChart) -> Response {
    let failed = |err: &WorkbenchError| Response::Failed {
        what: "export the chart",
        message: err.to_string(),
    };
    let nominals = chart.placements.iter().map(|p| p.id).collect();
    let network = match among(workbench, &chart.filter, nominals) {
        Ok(network) => network,
        Err(err) => return failed(&err),
    };
    let positions: std::collections::HashMap<NominalId, [f32; 2]> = chart
        .placements
        .iter()
        .map(|p| (p.id, [p.x, p.y]))
        .collect();
    let graph =
        crate::graph::LinkGraph::build(network.nodes, network.edges, &GraphFilter::default());
    let png = match super::chart_png::render_png(
        &graph,
        &positions,
        chart.highlighted.as_ref(),
        PNG_SIZE_PX,
    ) {
        Ok(png) => png,
        Err(err) => {
            return Response::Failed {
                what: "export the chart",
                message: err.to_string(),
            };
        }
    };
    match workbench.export_chart_png(path, &png) {
        Ok(()) => Response::Exported(path.to_path_buf()),
        Err(err) => failed(&err),
    }
}

fn view_item(workbench: &mut Workbench, reference: &str) -> Response {
    let failed = |err: &WorkbenchError| Response::Failed {
        what: "open the item",
        message: err.to_string(),
    };
    let item = match workbench.view_item(reference) {
        Ok(item) => item,
        Err(err) => return failed(&err),
    };
    let attachments = match workbench.attachments(reference) {
        Ok(list) => list,
        Err(err) => return failed(&err),
    };
    let user_names = workbench.user_names().unwrap_or_default();
    let ids: Vec<NominalId> = item.fields.subjects.iter().map(|s| s.nominal_id).collect();
    let subject_names = workbench.nominal_names(&ids).unwrap_or_default();
    Response::Item {
        item: Box::new(item),
        attachments,
        user_names,
        subject_names,
    }
}

fn attach(workbench: &mut Workbench, reference: &str, path: &std::path::Path) -> Response {
    let failed = |message: String| Response::Failed {
        what: "attach the file",
        message,
    };
    let size = std::fs::metadata(path).map_or(0, |m| m.len());
    if size > crate::workbench::MAX_ATTACHMENT_BYTES {
        return failed(format!(
            "the file is {size} bytes; the limit is {} bytes",
            crate::workbench::MAX_ATTACHMENT_BYTES
        ));
    }
    let content = match std::fs::read(path) {
        Ok(content) => content,
        Err(err) => return failed(format!("could not read the file: {err}")),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    match workbench.attach_file(reference, &name, &content) {
        Ok(_) => view_item(workbench, reference),
        Err(err) => failed(err.to_string()),
    }
}

fn saved(result: Result<IntelItem, WorkbenchError>, what: &'static str) -> Response {
    match result {
        Ok(item) => Response::ItemSaved(Box::new(item)),
        Err(WorkbenchError::Invalid(invalid)) => Response::Invalid(invalid),
        Err(err) => Response::Failed {
            what,
            message: err.to_string(),
        },
    }
}
