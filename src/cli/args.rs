//! The command-line grammar.

use crate::domain::Role;
use clap::{Parser, Subcommand};
use std::path::PathBuf;

/// CCU Workbench: an offline, encrypted intelligence workbench for a Counter Corruption Unit.
///
/// With no command, opens the GUI. Credentials come from `CCU_USER` and `CCU_PASSWORD` when set,
/// else a prompt; a new password from `CCU_NEW_PASSWORD`, else a prompt. The password variables
/// are for tests and CI only (the environment a process started with stays readable).
#[derive(Debug, Parser)]
#[command(name = "ccu-workbench", version, about, long_about = None)]
pub struct Cli {
    /// The workbench folder (a `.ccuwb` folder).
    #[arg(long, env = "CCU_WORKBENCH", global = true, value_name = "PATH")]
    pub workbench: Option<PathBuf>,

    /// The purpose of this session (operation reference or reason), recorded against every
    /// consultation and disclosure.
    #[arg(long, env = "CCU_PURPOSE", global = true, value_name = "TEXT")]
    pub purpose: Option<String>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a new workbench whose first user is an inspector.
    Init {
        /// The first user's name.
        #[arg(long, value_name = "NAME")]
        admin: String,
    },
    /// Manage users.
    #[command(subcommand)]
    User(UserCommand),
    /// Rotate the master key (after removing a user, so old copies of their slot open nothing).
    Rekey,
    /// Write an encrypted backup folder that opens with the same credentials.
    Backup {
        #[arg(long, value_name = "PATH")]
        out: PathBuf,
    },
    /// Restore a backup folder to the path given by --workbench (which must not exist). An
    /// inspector's name and password (`CCU_USER` and `CCU_PASSWORD`, or asked) must open it; the
    /// restore is recorded in the restored log.
    Restore {
        #[arg(long, value_name = "PATH")]
        from: PathBuf,
    },
    /// Check or read the hash-chained audit log.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// The unit's session policy (inspectors).
    #[command(subcommand)]
    Policy(PolicyCommand),
    /// Record, read and list intelligence items.
    #[command(subcommand)]
    Intel(IntelCommand),
    /// Read or save attachments.
    #[command(subcommand)]
    Attachment(AttachmentCommand),
    /// Record and read nominals.
    #[command(subcommand)]
    Nominal(NominalCommand),
    /// The subject profile: everything held about one officer, member of staff or person, and
    /// their timeline (one audited consultation).
    #[command(subcommand)]
    Subject(SubjectCommand),
    /// Record links between nominals.
    #[command(subcommand)]
    Link(LinkCommand),
    /// Search items and nominals (words; the last matches as a prefix).
    Search(SearchArgs),
    /// Show or publish reference data (code lists).
    #[command(subcommand)]
    Reference(ReferenceCommand),
    /// Link analysis: paths, neighbourhoods, measures, communities, the exposure finder.
    #[command(subcommand)]
    Graph(GraphCommand),
    /// Write data out of the workbench (a disclosure: needs a purpose, and is recorded).
    #[command(subcommand)]
    Export(ExportCommand),
    /// List or publish risk instruments (Beacon, notifiable associations, intelligence priority).
    #[command(subcommand)]
    Instrument(InstrumentCommand),
    /// Score a nominal under the newest version of a risk instrument and save the assessment.
    Assess(AssessArgs),
    /// The notifiable association register: list, counts, register an association.
    #[command(subcommand)]
    Na(NaCommand),
    /// Operation Beacon: the cohort, and the People Intelligence Board list.
    #[command(subcommand)]
    Beacon(BeaconCommand),
    /// Management interventions (ethical meetings): propose, decide, record, list, export.
    #[command(subcommand)]
    Intervention(InterventionCommand),
    /// Conduct outcomes (Professional Standards' findings): record one, list them.
    #[command(subcommand)]
    Conduct(ConductCommand),
    /// Import a bulk file (audit log, call records, a register) through an import spec.
    Import(ImportArgs),
    /// Import specifications saved in the workbench.
    #[command(subcommand)]
    Spec(SpecCommand),
    /// Cross-reference imported data: look-ups of watched people, calls with criminal phones,
    /// hospitality before contracts, sanctioned staff still querying, undeclared associations
    /// and routes, vetting expired or below the post.
    Crossref {
        /// Days after hospitality within which a contract award to the same company is a lead.
        #[arg(long, value_name = "DAYS", default_value_t = 365)]
        hospitality_window_days: i64,
        /// The score (0 to 100) from which a pattern is kept as a lead; those below are listed.
        #[arg(long, value_name = "SCORE", default_value_t = crate::risk::crossref::LEAD_THRESHOLD)]
        threshold: u32,
        #[arg(long)]
        json: bool,
    },
    /// Cross-reference leads: list them, promote one to an intelligence item.
    #[command(subcommand)]
    Lead(LeadCommand),
    /// Reports: the strategic threat assessment, and its control strategy.
    #[command(subcommand)]
    Report(ReportCommand),
    /// Create a demo workbench at --workbench filled with a synthetic force.
    Demo(DemoArgs),
    /// Open the GUI (the default with no command).
    Gui,
}

/// Where a JSON document comes from: a file, or standard input when omitted or `-`.
#[derive(Debug, Clone, clap::Args)]
pub struct JsonInput {
    /// The JSON document (`-` or omitted: standard input). Formats: docs/json-formats.md.
    #[arg(long = "json", value_name = "FILE")]
    pub json: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum IntelCommand {
    /// Score item REF under the intelligence priority instrument (THRIVE); its source
    /// evaluation and intelligence assessment come from its grading.
    Prioritise {
        reference: String,
        /// The answers: a JSON object of factor key to answer key (the THRIVE factors).
        #[arg(long, value_name = "FILE")]
        answers: PathBuf,
        /// Why the answers were given.
        #[arg(long, value_name = "TEXT")]
        rationale: String,
        /// The date of the scoring, YYYY-MM-DD (default: today).
        #[arg(long, value_name = "DATE")]
        on: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Record an item from a JSON document.
    Add {
        #[command(flatten)]
        input: JsonInput,
        /// The owner's user id (default: you).
        #[arg(long)]
        owner: Option<i64>,
    },
    /// Show an item.
    Show {
        reference: String,
        #[arg(long)]
        json: bool,
    },
    /// Change an item's fields with a JSON merge patch (keys given replace, null removes).
    Update {
        reference: String,
        #[command(flatten)]
        input: JsonInput,
    },
    /// Move an item to another status.
    Status {
        reference: String,
        status: String,
        /// Why (recorded in the history and the audit log).
        #[arg(long)]
        reason: String,
    },
    /// Show an item's earlier versions.
    History {
        reference: String,
        #[arg(long)]
        json: bool,
    },
    /// List items, newest received first unless --sort says otherwise.
    List(IntelListArgs),
    /// Attach a file to an item (kept encrypted inside the workbench).
    Attach { reference: String, file: PathBuf },
    /// Restrict an item (and its attachments) to named users: need-to-know (inspectors). You
    /// are always on the list.
    Restrict {
        reference: String,
        /// The users who may see it, by name, separated by commas.
        #[arg(long, value_delimiter = ',', value_name = "NAME[,NAME]")]
        users: Vec<String>,
    },
    /// Lift an item's restriction (inspectors on its list).
    Unrestrict { reference: String },
}

#[derive(Debug, Clone, clap::Args)]
pub struct IntelListArgs {
    #[arg(long)]
    pub json: bool,
    #[arg(long)]
    pub status: Option<String>,
    #[arg(long)]
    pub category: Option<String>,
    /// Source evaluation (1-3).
    #[arg(long)]
    pub source_evaluation: Option<String>,
    /// Intelligence assessment (A-E).
    #[arg(long)]
    pub assessment: Option<String>,
    /// Handling code (P or C).
    #[arg(long)]
    pub handling: Option<String>,
    /// Received on or after (YYYY-MM-DD).
    #[arg(long)]
    pub from: Option<String>,
    /// Received on or before (YYYY-MM-DD).
    #[arg(long)]
    pub to: Option<String>,
    /// Only items in this priority band (`Routine`, `Priority`, `Urgent`), or `not_scored`.
    #[arg(long)]
    pub priority: Option<String>,
    /// reference, `received_on`, status, category or priority.
    #[arg(long, default_value = "received_on")]
    pub sort: String,
    /// Ascending order (default: descending).
    #[arg(long)]
    pub ascending: bool,
    #[arg(long, default_value_t = 100)]
    pub limit: usize,
    #[arg(long, default_value_t = 0)]
    pub offset: u64,
}

#[derive(Debug, Subcommand)]
pub enum AttachmentCommand {
    /// List an item's attachments.
    List {
        reference: String,
        #[arg(long)]
        json: bool,
    },
    /// Save an attachment to a file (a disclosure: needs a purpose, and is recorded).
    Save {
        id: i64,
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum SubjectCommand {
    /// Show the profile of nominal ID: record, system ids, vetting, associations, intelligence,
    /// assessments, interventions, conduct, interests, hospitality, leads, activity, timeline.
    Show {
        id: i64,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum NominalCommand {
    /// Record a nominal from a JSON document (tagged by "kind").
    Add {
        #[command(flatten)]
        input: JsonInput,
        /// Record it even though likely duplicates exist.
        #[arg(long)]
        allow_duplicates: bool,
    },
    /// Show a nominal with its links and items.
    Show {
        id: i64,
        #[arg(long)]
        json: bool,
    },
    /// List likely duplicates (as JSON) of a person or employee described by a JSON document.
    Duplicates {
        #[command(flatten)]
        input: JsonInput,
    },
    /// Replace a nominal's details with a JSON document.
    Update {
        id: i64,
        #[command(flatten)]
        input: JsonInput,
    },
    /// Merge one nominal into another (inspectors); both histories are kept.
    Merge {
        /// The nominal that remains.
        keep: i64,
        /// The nominal folded into it.
        merged: i64,
    },
}

#[derive(Debug, Subcommand)]
pub enum LinkCommand {
    /// Record a link from a JSON document; it must cite its provenance.
    Add {
        #[command(flatten)]
        input: JsonInput,
    },
}

#[derive(Debug, Clone, clap::Args)]
pub struct SearchArgs {
    /// The words to find.
    #[arg(required = true, num_args = 1..)]
    pub words: Vec<String>,
    #[arg(long)]
    pub json: bool,
    /// Only items.
    #[arg(long)]
    pub items: bool,
    /// Only nominals.
    #[arg(long, conflicts_with = "items")]
    pub nominals: bool,
    #[arg(long)]
    pub category: Option<String>,
    #[arg(long)]
    pub status: Option<String>,
    #[arg(long)]
    pub source_evaluation: Option<String>,
    #[arg(long)]
    pub assessment: Option<String>,
    #[arg(long)]
    pub from: Option<String>,
    #[arg(long)]
    pub to: Option<String>,
    #[arg(long, default_value_t = 50)]
    pub limit: usize,
}

#[derive(Debug, Subcommand)]
pub enum ReferenceCommand {
    /// Show the current reference data (or --version N).
    Show {
        #[arg(long)]
        version: Option<u32>,
        #[arg(long)]
        json: bool,
    },
    /// Publish a new version from a JSON document (inspectors).
    Publish { file: PathBuf },
}

#[derive(Debug, Subcommand)]
pub enum InstrumentCommand {
    /// Every version of every instrument, marking the newest of each.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Publish a new version from an instrument file (TOML; inspectors). Its version must be
    /// one more than the newest of its key.
    Publish { file: PathBuf },
}

#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// What the file holds: `audit_events`, `calls`, `hospitality`, `business_interests`,
    /// `contracts`, `nominals`, `links`, `intel_items` (CSV, through a spec); or `ftm`
    /// (FollowTheMoney JSON lines of nominals and links, no spec).
    pub kind: String,
    /// The CSV or FtM file.
    pub file: PathBuf,
    /// The import spec (CSV kinds): a TOML file, or the name of a spec saved in the workbench
    /// (its newest version). Shipped examples: `assets/import_specs/`.
    #[arg(long, value_name = "SPEC")]
    pub spec: Option<String>,
    /// Read, check and match every row, report what would be created, change nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Import the good rows and write the bad ones (line, column, reason) to a rejects report.
    #[arg(long)]
    pub skip_bad_rows: bool,
    /// Where the rejects report goes (default: a `rejects` folder beside the workbench folder,
    /// never beside the source file).
    #[arg(long, value_name = "FILE")]
    pub rejects: Option<PathBuf>,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum LeadCommand {
    /// Every lead kept, best first.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Record a lead as an intelligence item (status received) with its evidence, graded as
    /// you judge it (the refusal without a grading says what is suggested).
    Promote {
        id: i64,
        #[command(flatten)]
        grading: GradingArgs,
    },
}

/// The 3x5x2 grading of an item recorded from a lead or an exposure: asked for, never assumed.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct GradingArgs {
    /// Source evaluation and intelligence assessment together, as people say it: `2B`.
    #[arg(long, value_name = "GRADING")]
    pub grading: Option<String>,
    /// The handling code: `P` (lawful sharing permitted) or `C` (with conditions).
    #[arg(long, value_name = "P|C")]
    pub handling: Option<String>,
    /// The conditions that travel with handling code C.
    #[arg(long, value_name = "TEXT")]
    pub conditions: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum SpecCommand {
    /// Every saved spec: name, version, kind, when saved.
    List {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum ConductCommand {
    /// Record a conduct outcome for a member of staff.
    Add {
        /// The member of staff's staff number.
        #[arg(long, value_name = "STAFF_NUMBER")]
        staff: String,
        /// The day the outcome was decided (YYYY-MM-DD).
        #[arg(long, value_name = "DATE")]
        decided: String,
        /// The allegation's national corruption category code (`reference show`).
        #[arg(long, value_name = "CODE")]
        category: String,
        /// `no_case_to_answer`, `management_advice`, `reflective_practice`, `written_warning`,
        /// `final_written_warning`, `reduction_in_rank` or `dismissal`.
        #[arg(long, value_name = "OUTCOME")]
        outcome: String,
        /// The matter was referred to the IOPC.
        #[arg(long)]
        iopc: bool,
    },
    /// List conduct outcomes, one member of staff's or everyone's (a consultation).
    List {
        #[arg(long, value_name = "STAFF_NUMBER")]
        staff: Option<String>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum NaCommand {
    /// Register entries, reviews soonest first (default: live and closed, every review).
    List {
        /// Only live entries whose annual review falls within 30 days.
        #[arg(long, conflicts_with = "overdue")]
        due: bool,
        /// Only live entries whose annual review date has passed.
        #[arg(long)]
        overdue: bool,
        /// Only `live` or `closed` entries.
        #[arg(long, value_name = "STATUS")]
        status: Option<String>,
        /// Only this category code (`family`, `criminal`...).
        #[arg(long, value_name = "CODE")]
        category: Option<String>,
        /// The day reviews are judged on, YYYY-MM-DD (default: today).
        #[arg(long, value_name = "DATE")]
        on: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Register an association from a JSON document (format: docs/json-formats.md). A
    /// discovered association (`"origin": "discovered"`) becomes an entry in this one step.
    Add {
        #[command(flatten)]
        input: JsonInput,
    },
    /// Live entries by category and by relationship.
    Counts {
        #[arg(long)]
        json: bool,
    },
    /// Record the annual review of entry ID: its outcome and the rationale (risk, necessity and
    /// proportionality).
    Review {
        id: i64,
        /// `continue_unchanged`, `conditions_changed`, `closed` or `escalated`.
        #[arg(long, value_name = "OUTCOME")]
        outcome: String,
        #[arg(long, value_name = "TEXT")]
        rationale: String,
        /// The changed conditions (with `conditions_changed` only).
        #[arg(long, value_name = "TEXT")]
        conditions: Option<String>,
        /// The day of the review, YYYY-MM-DD (default: today).
        #[arg(long, value_name = "DATE")]
        on: Option<String>,
        /// The next review, YYYY-MM-DD (default: a year on).
        #[arg(long, value_name = "DATE")]
        next_due: Option<String>,
    },
    /// The reviews of entry ID, oldest first: when, by whom, the outcome and the rationale.
    Reviews {
        id: i64,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum InterventionCommand {
    /// Propose an intervention from a JSON document (format: docs/json-formats.md).
    Propose {
        #[command(flatten)]
        input: JsonInput,
    },
    /// Authorise or decline a proposal (inspectors; never your own), with a rationale.
    Decide {
        id: i64,
        #[arg(long, conflicts_with = "decline", required_unless_present = "decline")]
        authorise: bool,
        #[arg(long)]
        decline: bool,
        #[arg(long, value_name = "TEXT")]
        rationale: String,
    },
    /// Record the meeting (and, if the document has one, its outcome) from a JSON document.
    RecordMeeting {
        id: i64,
        #[command(flatten)]
        input: JsonInput,
    },
    /// Withdraw a proposal before it is decided (its proposer or an inspector).
    Withdraw {
        id: i64,
        #[arg(long, value_name = "TEXT")]
        reason: String,
    },
    /// Start the follow-up review of an intervention whose outcome is recorded.
    Review {
        id: i64,
        #[arg(long, value_name = "TEXT")]
        note: String,
    },
    /// Close an intervention under review (inspectors).
    Close {
        id: i64,
        #[arg(long, value_name = "TEXT")]
        note: String,
    },
    /// Interventions, newest first.
    List {
        /// Only this state (`proposed`, `authorised`, `meeting_held`...).
        #[arg(long, value_name = "STATE")]
        state: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Interventions counted by state, outcome and category.
    Counts {
        #[arg(long)]
        json: bool,
    },
    /// One intervention with its history.
    Show {
        id: i64,
        #[arg(long)]
        json: bool,
    },
    /// Write the authorisation record as HTML (a disclosure: needs a purpose).
    Export {
        id: i64,
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum BeaconCommand {
    /// Everyone assessed under Beacon: band, total, trend, next review; most serious first.
    Cohort {
        /// The day reviews are judged on, YYYY-MM-DD (default: today).
        #[arg(long, value_name = "DATE")]
        on: Option<String>,
        /// Also write the People Intelligence Board list as CSV to FILE (a disclosure).
        #[arg(long, value_name = "FILE")]
        pib_out: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// Staff due a Beacon assessment: the subject of a sexual misconduct (or sexual-purpose
    /// abuse of authority) item received since their last one.
    Due {
        #[arg(long)]
        json: bool,
    },
    /// Screen the workforce for the data-testable Beacon warning signs (look-ups after a case
    /// closed, calls with a victim or witness outside their case, repeated self-deployment to
    /// the same vulnerable person, contact after closure). Lists the staff due an assessment
    /// with their findings; persons are referred to by their case, never named.
    Screen {
        /// The score from which a member of staff is due (0 to 100).
        #[arg(long, default_value_t = crate::risk::beacon_screen::BEACON_THRESHOLD,
              value_parser = clap::value_parser!(u32).range(0..=100))]
        threshold: u32,
        /// Also list the staff below the threshold, with the innocent readings applied.
        #[arg(long)]
        all: bool,
        #[arg(long)]
        json: bool,
    },
    /// Open a finding by its reference (from `beacon screen`): names the person it concerns
    /// and shows its evidence rows. Recorded as a consultation with the session's purpose.
    Finding {
        reference: String,
        #[arg(long)]
        json: bool,
    },
    /// The answers screening suggests for nominal ID's Beacon assessment, with their evidence,
    /// and what changed since their last one.
    Suggest {
        id: i64,
        #[arg(long)]
        json: bool,
    },
    /// Take nominal ID out of the cohort, with the rationale (inspectors); their next
    /// assessment brings them back.
    Remove {
        id: i64,
        #[arg(long, value_name = "TEXT")]
        rationale: String,
    },
    /// Record the IOPC referral decision for nominal ID (inspectors): --referred, or
    /// --not-referred with --reason.
    Iopc {
        id: i64,
        #[arg(long, conflicts_with = "not_referred")]
        referred: bool,
        #[arg(long)]
        not_referred: bool,
        #[arg(long, value_name = "TEXT", default_value = "")]
        reason: String,
        /// The day of the decision, YYYY-MM-DD (default: today).
        #[arg(long, value_name = "DATE")]
        on: Option<String>,
    },
}

#[derive(Debug, Clone, clap::Args)]
pub struct AssessArgs {
    /// The instrument's key (`beacon`, `notifiable_association`, `intelligence_priority`).
    pub instrument: String,
    /// The nominal assessed.
    #[arg(long, value_name = "ID")]
    pub subject: i64,
    /// The answers: a JSON object of factor key to answer key. Format: docs/json-formats.md.
    #[arg(long, value_name = "FILE")]
    pub answers: PathBuf,
    /// Why the answers were given (omitted: read from standard input).
    #[arg(long, value_name = "TEXT")]
    pub rationale: Option<String>,
    /// The date of the assessment, YYYY-MM-DD (default: today).
    #[arg(long, value_name = "DATE")]
    pub on: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, clap::Args)]
pub struct DemoArgs {
    /// small (seconds), medium, or large (1M items, for benchmarks).
    #[arg(long, default_value = "small")]
    pub scale: String,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// The demo inspector's name; the password comes from `CCU_NEW_PASSWORD` or `CCU_PASSWORD`.
    #[arg(long, default_value = "DI Demo")]
    pub admin: String,
    /// Test mode: write the planted patterns' answers to this file.
    #[arg(long, hide = true)]
    pub answers: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add a user (inspectors only). Adding an inspector when there are already two needs a
    /// second inspector (four eyes).
    Add {
        name: String,
        #[arg(long, value_parser = parse_role)]
        role: Role,
        /// A second inspector's name; their password is `CCU_SECOND_PASSWORD`, or asked.
        #[arg(long, value_name = "NAME")]
        second_inspector: Option<String>,
    },
    /// List users and roles.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Change your own password, or (inspectors) give NAME a new one. Giving an inspector a new
    /// password needs a second inspector (four eyes).
    Passwd {
        name: Option<String>,
        /// A second inspector's name; their password is `CCU_SECOND_PASSWORD`, or asked.
        #[arg(long, value_name = "NAME")]
        second_inspector: Option<String>,
    },
    /// Remove a user (inspectors only). Run `rekey` afterwards.
    Remove { name: String },
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Check the whole hash chain, every transaction's signature and every role grant; names the
    /// first bad entry and every grant that does not verify.
    Verify {
        #[arg(long)]
        json: bool,
        /// Also check the chain still holds this signed head (written by `audit head --export`).
        #[arg(long, value_name = "FILE")]
        head: Option<PathBuf>,
    },
    /// Write the current chain head, signed by you, to FILE for write-once storage.
    Head {
        #[arg(long, value_name = "FILE")]
        export: PathBuf,
    },
    /// Print audit entries (inspectors only, with a purpose).
    Show {
        #[arg(long)]
        json: bool,
        /// First entry number to show.
        #[arg(long, default_value_t = 1)]
        from: i64,
        /// How many entries to show at most.
        #[arg(long, default_value_t = 1_000_000)]
        limit: usize,
    },
}

#[derive(Debug, Subcommand)]
pub enum PolicyCommand {
    /// Show, set or remove the longest time any session may stay open without input.
    IdleLock {
        /// Lock every session after at most this many minutes without input (1 to 60).
        #[arg(long, value_parser = clap::value_parser!(u32).range(1..=60))]
        minutes: Option<u32>,
        /// Remove the policy (each user's own setting applies).
        #[arg(long, conflicts_with = "minutes")]
        clear: bool,
    },
}

fn parse_role(text: &str) -> Result<Role, String> {
    text.parse::<Role>().map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_grammar_is_consistent() {
        Cli::command().debug_assert();
    }
}

/// Which links make the graph, for every graph command.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct GraphFilterArgs {
    /// Only links of these types (repeat or comma-separate).
    #[arg(long = "link-type", value_delimiter = ',', value_name = "CODE")]
    pub link_types: Vec<String>,
    /// Only links valid on this date (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub valid_on: Option<String>,
    /// Only links of these confidences (repeat or comma-separate).
    #[arg(long = "confidence", value_delimiter = ',', value_name = "CODE")]
    pub confidences: Vec<String>,
    /// Only links supported by intelligence items, or by imports.
    #[arg(long, value_name = "items|imports")]
    pub provenance: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum GraphCommand {
    /// The shortest path between two nominals.
    Path {
        from: i64,
        to: i64,
        /// Follow directed links only their way.
        #[arg(long)]
        directed: bool,
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        filter: GraphFilterArgs,
    },
    /// Every nominal within N links of one.
    Linked {
        id: i64,
        #[arg(long, default_value_t = 1)]
        hops: usize,
        #[arg(long)]
        directed: bool,
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        filter: GraphFilterArgs,
    },
    /// A centrality measure for every nominal, highest first.
    Centrality {
        #[arg(long, value_name = "degree|betweenness|closeness|eigenvector")]
        measure: String,
        #[arg(long, default_value_t = 20)]
        top: usize,
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        filter: GraphFilterArgs,
    },
    /// Communities (Louvain), largest first.
    Communities {
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        filter: GraphFilterArgs,
    },
    /// Saved charts.
    Chart {
        #[command(subcommand)]
        command: ChartCommand,
    },
    /// Employees with undeclared routes to OCGs, their members or criminal nominals.
    Exposure {
        #[arg(long, default_value_t = 3)]
        max_hops: usize,
        #[arg(long)]
        json: bool,
        /// Record the lead with this rank (1 = first) as an intelligence item (needs
        /// --grading and --handling).
        #[arg(long, value_name = "RANK")]
        record: Option<usize>,
        #[command(flatten)]
        grading: GradingArgs,
    },
}

/// The format of a chart's picture.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PictureFormat {
    Svg,
    Png,
}

#[derive(Debug, Subcommand)]
pub enum ChartCommand {
    /// Save the nominals within N links of nominal ID (links followed either way) as the
    /// chart NAME, laid out by the force layout until it settles, as on screen; a chart of
    /// that name is replaced.
    Save {
        name: String,
        #[arg(long, value_name = "ID")]
        around: i64,
        #[arg(long, value_name = "N", default_value_t = 1)]
        hops: usize,
        #[command(flatten)]
        filter: GraphFilterArgs,
    },
}

#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// The link graph as GraphML (for networkx, igraph, Gephi, yEd).
    Graphml {
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        #[command(flatten)]
        filter: GraphFilterArgs,
    },
    /// The graph, or a saved chart as laid out, as an i2 Analyst's Notebook chart (.anx).
    Anx {
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// A saved chart: its nominals where the analyst placed them, under its own filter.
        #[arg(
            long,
            value_name = "NAME",
            conflicts_with_all = ["link_types", "valid_on", "confidences", "provenance"]
        )]
        chart: Option<String>,
        #[command(flatten)]
        filter: GraphFilterArgs,
    },
    /// Every live nominal and the links between them as FollowTheMoney JSON lines (for
    /// `followthemoney`, Aleph, OpenSanctions tools).
    Ftm {
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// A saved chart as a picture, SVG or PNG (1600×1200, or --scale times that): its
    /// nominals where the analyst placed them and the links among them, drawn as on screen,
    /// under the handling marking.
    Chart {
        /// The saved chart's name.
        #[arg(long, value_name = "NAME")]
        chart: String,
        #[arg(long, value_enum)]
        format: PictureFormat,
        /// A PNG drawn this many times finer: 2 gives 3200×2400 (1 to 5).
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=5))]
        scale: Option<u32>,
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// The strategic threat assessment for a period, against the period of the same length
    /// before it, printed; with --out, written to a file instead (a disclosure), and one line
    /// says what was written where (--print prints the report as well).
    ThreatAssessment {
        /// First day of the period, YYYY-MM-DD.
        #[arg(long, value_name = "DATE")]
        from: String,
        /// Last day of the period, YYYY-MM-DD.
        #[arg(long, value_name = "DATE")]
        to: String,
        /// Write the report to FILE: .html or .pdf (the report with its charts) or .csv (its
        /// tables).
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// `sanitised` (for publication: no names, counts below 5 hidden) or `restricted`
        /// (names people; inspectors only).
        #[arg(long, value_name = "EDITION", default_value = "sanitised")]
        edition: String,
        /// Print the report as JSON (to the terminal: without --out, or with --print).
        #[arg(long)]
        json: bool,
        /// With --out, also print the report to the terminal (by default only one line says
        /// what was written where).
        #[arg(long, requires = "out")]
        print: bool,
    },
    /// The People Intelligence Board pack, written as HTML (a disclosure): the Beacon cohort
    /// today and what changed since the last board.
    Pib {
        /// The last board's date, YYYY-MM-DD (default: 28 days ago).
        #[arg(long, value_name = "DATE")]
        since: Option<String>,
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// The transferee information package for one employee (nominal ID), written as HTML (a
    /// disclosure): record, business interests, notifiable associations, and intelligence
    /// with each item's handling code and conditions.
    Transferee {
        id: i64,
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Who the package is for (the receiving unit's head, a post): recorded with the
        /// disclosure.
        #[arg(long, value_name = "TEXT")]
        recipient: String,
        /// Confirm that items with handling code C may go to the recipient under their
        /// conditions (refused without it when the package holds any).
        #[arg(long)]
        confirm_c_items: bool,
        /// Include the items left out by default: assessed E, or closed with no further action
        /// (inspectors; recorded).
        #[arg(long)]
        include_left_out: bool,
    },
    /// The subject profile of one nominal (ID) as a document to file or print, written as
    /// .html or .pdf (a disclosure): the record, vetting, associations, intelligence by role,
    /// assessments, interventions, conduct, interests, leads, activity and the timeline.
    Subject {
        id: i64,
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Show the analyst's text of the threat assessment for a period (the newest version, or
    /// every version with --all), or save a new version from a JSON file (analysts and
    /// inspectors): `{"summary": ..., "key_judgements": [...], "threats": [{"category": CODE,
    /// "assessment": ...}], "intelligence_requirements": [...], "recommendations": [...]}`.
    AssessmentText {
        /// First day of the period, YYYY-MM-DD.
        #[arg(long, value_name = "DATE")]
        from: String,
        /// Last day of the period, YYYY-MM-DD.
        #[arg(long, value_name = "DATE")]
        to: String,
        /// Save the text in FILE as the next version.
        #[arg(long, value_name = "FILE", conflicts_with = "all")]
        set: Option<PathBuf>,
        /// Show every version, newest first.
        #[arg(long)]
        all: bool,
        #[arg(long)]
        json: bool,
    },
    /// Show the control strategy, or replace it with the rows of a JSON file (analysts and
    /// inspectors): `[{"priority": ..., "intervention": ..., "protection": ..., "prevention": ...}]`.
    ControlStrategy {
        #[arg(long, value_name = "FILE")]
        set: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
}
