//! The protocol between the GUI and its session thread: what a panel may ask ([`Request`]),
//! who asked ([`Origin`]), and what comes back ([`SessionEvent`]: a [`Reply`] to the origin that
//! asked, carrying a [`Response`] or a [`Failure`], or news nobody asked for: progress, the
//! audit head, the lock). Everything here is plain data: the panels and the session thread both
//! depend on it, and it depends on neither, so `src/ui` has no import cycle through it.

use crate::crypto::KdfParams;
use crate::demo::DemoScale;
use crate::domain::{
    AssessmentId, AttachmentId, AuditEntry, DuplicateMatch, IntelItem, IntelItemFields,
    IntelItemVersion, IntelQuery, IntelRow, InterventionId, InterventionProposal,
    InterventionState, InterventionStep, InterventionView, InvalidRecord, IsoDate, LeadId,
    NaChange, NaDraft, NaFilter, NaRow, Nominal, NominalDetails, NominalId, NotifiableAssociation,
    NotifiableAssociationId, ReferenceData, Role, SearchHit, SearchQuery, User,
};
use crate::graph::{
    ExposureLead, GraphAnswer, GraphFilter, GraphPath, GraphQuestion, SavedChart, Subgraph,
};
use crate::io::bulk_csv::CsvPreview;
use crate::io::import_spec::ImportSpec;
use crate::risk::{
    Answers, AssessmentRecord, BeaconCohortEntry, Instrument, InstrumentVersionInfo, Rescore,
};
use crate::store::{AttachmentInfo, AuditHead, AuditVerification, StoredLead};
use crate::workbench::{
    BackupReport, CrossrefRun, DemoProgress, FtmImportReport, ImportOptions, ImportProgress,
    ImportReport, RekeyReport, WorkbenchError,
};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use zeroize::Zeroizing;

/// Which panel or form sent a request: its reply, and any failure, goes back there and nowhere
/// else.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// The main window itself: the purpose field, the inspector's start-up count.
    Main,
    Users,
    Audit,
    Account,
    IntelLog,
    /// The item being read (status changes, attachments, history).
    Item,
    /// The form that records or edits an item.
    ItemForm,
    Nominals,
    /// The form that records a nominal.
    NominalForm,
    Graph,
    Risk,
    NaRegister,
    Interventions,
    /// The import wizard (preview, dry run, import).
    ImportWizard,
    /// The cross-reference leads.
    Leads,
    Reports,
    /// A search, for the panel that owns it.
    Search(SearchOwner),
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
    /// The nominal a chart opens on, in the Graph area.
    Graph,
}

/// Which nominal a search in the new-entry form of the NA register is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NaParty {
    Employee,
    Associate,
}

/// Why a graph question was asked: what to do with its answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GraphIntent {
    /// Start a new chart from the answer.
    Open,
    /// Add the answer to the chart.
    Expand,
    /// Add the answer to the chart and highlight its path.
    ShowPath,
    /// Replace the chart's links (the filter changed) keeping its nominals and layout.
    Refilter,
}

/// What the Nominals area shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum NominalsRoute {
    #[default]
    Find,
    Profile,
    New,
}

/// What the UI asks of the session thread.
#[derive(Debug)]
pub enum Request {
    SetPurpose(String),
    ListUsers,
    AddUser {
        name: String,
        role: Role,
        password: Zeroizing<String>,
        /// A second inspector's name and password, where four eyes are needed.
        second: Option<(String, Zeroizing<String>)>,
    },
    RemoveUser(String),
    ResetPassword {
        name: String,
        password: Zeroizing<String>,
        /// A second inspector's name and password (needed when the user is an inspector).
        second: Option<(String, Zeroizing<String>)>,
    },
    ChangeOwnPassword {
        current: Zeroizing<String>,
        new: Zeroizing<String>,
    },
    Rekey,
    Backup(PathBuf),
    VerifyAudit,
    /// Set (or remove) the unit's longest idle time before a lock (inspectors).
    SetIdleLockPolicy(Option<u32>),
    /// Write the chain head, signed, to this file (which must not exist).
    ExportAuditHead(PathBuf),
    /// Check the chain against the signed head in this file.
    CheckAuditHead(PathBuf),
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
    RecordExposure {
        lead: Box<ExposureLead>,
        grading: crate::domain::Grading,
    },
    SaveChart(Box<SavedChart>),
    ListCharts,
    /// Flags, Beacon bands and live notifiable associations for the chart's formatting.
    ChartContext,
    OpenChart(String),
    ExportGraphml {
        path: PathBuf,
        filter: GraphFilter,
    },
    /// Draw the chart as SVG or PNG (on this thread, not in a frame) and write it: a
    /// disclosure.
    ExportChart {
        path: PathBuf,
        chart: Box<SavedChart>,
        format: crate::workbench::ChartFormat,
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
    /// Staff due a Beacon assessment.
    BeaconDue,
    /// Screen the workforce for the data-testable Beacon warning signs at this threshold.
    BeaconScreen {
        threshold: u32,
    },
    /// Open a Beacon finding by its fingerprint: the person named, with its evidence rows (an
    /// audited consultation).
    OpenBeaconFinding(String),
    /// The answers screening suggests for this member of staff's Beacon assessment.
    BeaconSuggestions(NominalId),
    /// The intelligence priority instrument and an item's scorings, for the item view.
    ItemPriorityForm(String),
    /// Score an item's priority (today).
    PrioritiseItem {
        reference: String,
        answers: Answers,
        rationale: String,
    },
    /// Take a subject out of the Beacon cohort, with the rationale (inspectors).
    RemoveFromCohort {
        subject: NominalId,
        rationale: String,
    },
    /// Record a Beacon subject's IOPC referral decision (inspectors).
    RecordIopcDecision {
        subject: NominalId,
        decision: crate::risk::IopcDecision,
    },
    /// Write the People Intelligence Board pack as HTML (a disclosure).
    ExportPibPack {
        path: PathBuf,
        since: IsoDate,
    },
    /// Write a nominal's subject profile as a report (.html or .pdf; a disclosure).
    ExportSubjectReport {
        path: PathBuf,
        id: NominalId,
    },
    /// The control strategy as stored.
    ControlStrategy,
    /// Replace the control strategy (analysts and inspectors).
    SetControlStrategy(Vec<crate::risk::threat_assessment::ControlStrategyRow>),
    /// Every version of the analyst's text for a period, newest first.
    AssessmentTextVersions {
        from: IsoDate,
        to: IsoDate,
    },
    /// Save the next version of the analyst's text for a period (analysts and inspectors),
    /// then read the assessment again in `edition`.
    SaveAssessmentText {
        from: IsoDate,
        to: IsoDate,
        text: Box<crate::risk::threat_assessment::AssessmentText>,
        based_on: Option<u32>,
        edition: crate::risk::threat_assessment::Edition,
    },
    /// The strategic threat assessment for a period.
    ThreatAssessment {
        from: IsoDate,
        to: IsoDate,
        edition: crate::risk::threat_assessment::Edition,
    },
    /// Write the threat assessment as HTML (a disclosure).
    ExportThreatAssessment {
        path: PathBuf,
        from: IsoDate,
        to: IsoDate,
        edition: crate::risk::threat_assessment::Edition,
    },
    /// One employee's transferee information package, for the preview of what its export
    /// would disclose (a consultation).
    TransfereePackage(NominalId),
    /// The same, with the items left out by default included (inspectors; recorded).
    TransfereePackageWithLeftOut(NominalId),
    /// Write one employee's transferee information package as HTML (a disclosure), exactly
    /// as previewed (refused if it changed since).
    ExportTransfereePackage {
        previewed: Box<crate::domain::TransfereePackage>,
        path: PathBuf,
        recipient: String,
        confirm_c_items: bool,
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
        /// The score from which a pattern is kept as a lead.
        threshold: u32,
    },
    Leads,
    PromoteLead {
        lead: LeadId,
        grading: crate::domain::Grading,
    },
}

/// What the session thread reports back.
#[derive(Debug)]
pub enum Response {
    PurposeSet(String),
    Users(Vec<User>),
    UserAdded(User),
    UserRemoved,
    PasswordReset,
    PasswordChanged,
    Rekeyed(RekeyReport),
    BackupWritten(BackupReport),
    Verified(AuditVerification),
    AuditHeadExported {
        seq: i64,
        path: PathBuf,
    },
    AuditHeadChecked(crate::workbench::HeadCheck),
    IdleLockPolicySet(Option<u32>),
    AuditPage {
        first_seq: i64,
        entries: Vec<AuditEntry>,
    },
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
    /// A nominal's subject profile: everything held about it, one consultation.
    Nominal(Box<crate::workbench::SubjectProfile>),
    NominalSaved(Box<Nominal>),
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
    ChartContext(Box<crate::graph::chart_formatting::ChartContext>),
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
    BeaconDue(Vec<crate::risk::BeaconDue>),
    BeaconScreening(Box<crate::workbench::BeaconScreening>),
    BeaconFindingOpened(Box<crate::workbench::OpenedFinding>),
    BeaconSuggestions(Box<crate::workbench::BeaconSuggestions>),
    ItemPriority {
        reference: String,
        instrument: Box<Instrument>,
        history: Vec<crate::risk::ItemPriority>,
    },
    ItemPrioritised(Box<crate::risk::ItemPriority>),
    /// The cohort changed (a removal, an IOPC decision): read it again.
    CohortChanged(String),
    ThreatAssessment(Box<crate::risk::threat_assessment::ThreatAssessment>),
    ControlStrategy(Vec<crate::risk::threat_assessment::ControlStrategyRow>),
    AssessmentTextVersions(Vec<crate::risk::threat_assessment::AssessmentTextVersion>),
    /// A version of the analyst's text was saved: its number, and the assessment read again.
    AssessmentTextSaved {
        version: u32,
        assessment: Box<crate::risk::threat_assessment::ThreatAssessment>,
    },
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
    /// An import (or dry run) finished.
    Imported(Box<ImportReport>),
    /// A FollowTheMoney import (or dry run) finished.
    FtmImported(Box<FtmImportReport>),
    CrossrefRun(Box<CrossrefRun>),
    Leads(Vec<StoredLead>),
    LeadPromoted {
        lead: LeadId,
        reference: String,
    },
}

/// How a session starts.
#[derive(Debug)]
pub enum SessionStart {
    Unlock {
        path: PathBuf,
        user_name: String,
        password: Zeroizing<String>,
        /// Where this machine keeps the last audit head it saw of each workbench (the app's
        /// settings folder; filled in by the app, not the screen).
        machine_dir: Option<PathBuf>,
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

/// Why a request was refused, as the place that asked shows it. Every [`WorkbenchError`] is
/// mapped to one of these in one place ([`Failure::from`]); none carries record content.
#[derive(Debug)]
pub enum Failure {
    /// A record was refused: each field's problem, for the form beside its fields.
    Invalid(InvalidRecord),
    /// A nominal looks like ones already recorded: the form shows them before anything is saved.
    PossibleDuplicates(Vec<DuplicateMatch>),
    /// Anything else, in words safe to show.
    Refused(String),
}

impl From<WorkbenchError> for Failure {
    fn from(err: WorkbenchError) -> Self {
        match err {
            WorkbenchError::Invalid(invalid) => Failure::Invalid(invalid),
            WorkbenchError::PossibleDuplicates(matches) => Failure::PossibleDuplicates(matches),
            other => Failure::Refused(other.to_string()),
        }
    }
}

impl Failure {
    /// The failure in one line, for a notice or a form's message.
    #[must_use]
    pub fn message(&self) -> String {
        match self {
            Failure::Invalid(invalid) => invalid.to_string(),
            Failure::PossibleDuplicates(matches) => {
                WorkbenchError::PossibleDuplicates(matches.clone()).to_string()
            }
            Failure::Refused(message) => message.clone(),
        }
    }
}

/// The answer to one request, addressed to the origin that sent it.
#[derive(Debug)]
pub struct Reply {
    pub origin: Origin,
    pub outcome: Result<Response, Failure>,
}

/// Everything the session thread says.
#[derive(Debug)]
pub enum SessionEvent {
    /// The workbench opened (or was created) for this user, with the code lists forms offer.
    Opened {
        user: User,
        head: AuditHead,
        reference: Box<ReferenceData>,
        /// Today by the session's clock.
        today: IsoDate,
        /// What the unlock found that the user must be told, in words (a store older than
        /// this machine saw last, role grants that do not verify).
        warnings: Vec<String>,
        /// The unit's longest idle time before a lock, if an inspector set one.
        idle_lock_max_minutes: Option<u32>,
    },
    /// Opening failed; the message is safe to show; wait `retry_after_secs` before retrying.
    OpenFailed {
        message: String,
        retry_after_secs: u64,
    },
    /// How far a demo build has got.
    DemoProgress(DemoProgress),
    /// How far an import under way has got.
    ImportProgress(ImportProgress),
    /// The answer to a request.
    Reply(Reply),
    /// The chain head after a change (every change appends to the audit log).
    Head(AuditHead),
    /// The workbench is locked: the store is closed and the keys are gone.
    Locked,
}

/// A request with the origin its reply goes back to.
#[derive(Debug)]
pub struct Envelope {
    pub origin: Origin,
    pub request: Request,
}
