//! Audit log entries and the hash that chains them.
//!
//! Each entry's hash is SHA-256 over the previous entry's hash and the entry's canonical bytes, so
//! changing, inserting or deleting any entry other than the newest breaks every later link. The
//! newest entry (the chain head) is shown in the GUI so it can be noted outside the system; that
//! note is what catches truncation of the tail.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fmt;

/// A SHA-256 link of the audit chain.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct AuditHash(#[serde(with = "hex_bytes")] pub [u8; 32]);

impl AuditHash {
    /// The hash as 64 lowercase hex digits.
    #[must_use]
    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }

    /// The first 16 hex digits, enough for a person to compare by eye.
    #[must_use]
    pub fn short_hex(&self) -> String {
        hex::encode(&self.0[..8])
    }

    /// Reads a hash from its stored bytes; `None` if there are not exactly 32.
    #[must_use]
    pub fn from_slice(bytes: &[u8]) -> Option<Self> {
        <[u8; 32]>::try_from(bytes).ok().map(AuditHash)
    }
}

impl fmt::Debug for AuditHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AuditHash({})", self.short_hex())
    }
}

impl fmt::Display for AuditHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

mod hex_bytes {
    use serde::{Deserialize, Deserializer, Serializer, de::Error};

    pub fn serialize<S: Serializer>(bytes: &[u8; 32], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&hex::encode(bytes))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<[u8; 32], D::Error> {
        let text = String::deserialize(d)?;
        let bytes = hex::decode(text).map_err(D::Error::custom)?;
        <[u8; 32]>::try_from(bytes.as_slice()).map_err(|_| D::Error::custom("expected 32 bytes"))
    }
}

/// What an audit entry records. The stored text (`as_str`) is part of the hashed entry, so it
/// must never change for an existing variant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AuditAction {
    /// The workbench was created (first entry of every chain).
    WorkbenchCreated,
    /// A user unlocked the workbench.
    Login,
    /// Someone failed to unlock it (recorded at the next successful unlock).
    LoginFailed,
    /// The session was locked or closed.
    Logout,
    /// The user set the purpose recorded against their consultations.
    PurposeSet,
    UserAdded,
    UserRemoved,
    /// A user changed their own password.
    PasswordChanged,
    /// An inspector gave a user a new password (and a new key slot).
    PasswordReset,
    UsersListed,
    MasterKeyRotated,
    BackupWritten,
    AuditViewed,
    AuditVerified,
    /// The plaintext manifest did not match the store and was rewritten from it.
    ManifestRepaired,
    ReferencePublished,
    ItemCreated,
    ItemEdited,
    ItemStatusChanged,
    ItemViewed,
    ItemHistoryViewed,
    ConductOutcomeRecorded,
    ItemPrioritised,
    CohortRemoval,
    IopcDecisionRecorded,
    BeaconDueViewed,
    /// Beacon screening run across the workforce (counts and ids only).
    BeaconScreened,
    /// A Beacon finding opened: the person it concerns named, with the evidence.
    BeaconFindingOpened,
    /// The answers screening suggests for one member of staff's Beacon assessment.
    BeaconSuggested,
    ConductOutcomesViewed,
    IntelListed,
    NominalCreated,
    NominalEdited,
    NominalViewed,
    /// A subject profile read: everything held about one nominal, one consultation.
    SubjectViewed,
    NominalsMerged,
    DuplicatesChecked,
    LinkCreated,
    AttachmentAdded,
    AttachmentViewed,
    AttachmentExported,
    Searched,
    DemoGenerated,
    /// A graph query or measure was run (the question and the answer's size are the detail).
    GraphQueried,
    /// The exposure finder was run.
    ExposureSearched,
    ChartSaved,
    ChartOpened,
    ChartDeleted,
    /// The graph was written as GraphML, or a chart as PNG.
    GraphExported,
    /// A version of a risk instrument was stored (published, or a shipped default installed).
    InstrumentPublished,
    /// A risk assessment was scored and saved.
    AssessmentRecorded,
    /// Saved assessments were read (a consultation).
    AssessmentViewed,
    /// A saved assessment was scored again under another version, changing nothing stored.
    AssessmentRescored,
    /// A notifiable association was registered (declared or discovered).
    AssociationRegistered,
    /// A register entry changed: conditions, category, assessment, review, closure.
    AssociationChanged,
    /// Register entries were read (a consultation).
    AssociationViewed,
    /// The Beacon cohort was read (a consultation).
    CohortViewed,
    /// A list (the People Intelligence Board list) was written to a file: a disclosure.
    ListExported,
    /// A management intervention was proposed.
    InterventionProposed,
    /// A management intervention moved on a step (decided, withdrawn, met, reviewed, closed).
    InterventionStepTaken,
    /// Interventions were read (a consultation).
    InterventionViewed,
    /// An intervention's authorisation record was written to a file: a disclosure.
    InterventionExported,
    /// A bulk file was imported (file SHA-256, rows and spec version in the detail).
    BulkImported,
    /// The cross-reference engine ran over imported data (a consultation).
    CrossReferenced,
    /// A cross-reference lead was recorded as an intelligence item.
    LeadPromoted,
    /// Kept cross-reference leads were read (a consultation).
    LeadsViewed,
    /// The strategic threat assessment for a period was read (a consultation).
    ThreatAssessmentViewed,
    /// The control strategy was replaced (its rows in the detail's count only).
    ControlStrategyEdited,
    /// A version of the analyst's text of the threat assessment was saved (the period and the
    /// version in the detail, never the text).
    AssessmentTextSaved,
    /// A report was written to a file: a disclosure.
    ReportExported,
    /// A report's content was shown before an export (a consultation of what it discloses).
    ReportPreviewed,
    /// Signing was switched on for a workbench made before entries were signed: the first
    /// inspector to unlock became the root of the role grants (their key is in the detail).
    SigningEnabled,
    /// At unlock, the chain no longer held the head this machine last saw: the store was
    /// replaced by an older copy or its tail was cut.
    RollbackSuspected,
    /// At unlock, a role grant did not verify (the user and the grant are in the detail).
    GrantInvalid,
    /// A backup was restored (by an inspector, whose credentials opened it).
    BackupRestored,
    /// A signed chain head was written to a file, for write-once storage.
    AuditHeadExported,
    /// The chain was checked against a signed head from a file.
    AuditHeadChecked,
    /// A disclosure's file was written in full (its started entry is the disclosure's own action;
    /// this one, with the hash, follows before the file takes its name).
    ExportCompleted,
    /// Something was refused: an action the role does not allow, or a consultation without a
    /// purpose (the action and the reason are in the detail).
    PermissionRefused,
    /// An import was rehearsed (a dry run): nothing changed, but the match counts were seen
    /// (the file's name, kind, SHA-256 and rows are in the detail).
    ImportRehearsed,
    /// An inspector changed the unit's session policy (the longest idle time before a lock).
    SessionPolicyChanged,
    /// An item was restricted to named users (their ids in the detail).
    ItemRestricted,
    /// An item's restriction was lifted.
    ItemUnrestricted,
}

impl AuditAction {
    /// The stable code stored in the log.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            AuditAction::WorkbenchCreated => "workbench.create",
            AuditAction::Login => "login",
            AuditAction::LoginFailed => "login.failed",
            AuditAction::Logout => "logout",
            AuditAction::PurposeSet => "purpose.set",
            AuditAction::UserAdded => "user.add",
            AuditAction::UserRemoved => "user.remove",
            AuditAction::PasswordChanged => "user.password",
            AuditAction::PasswordReset => "user.password_reset",
            AuditAction::UsersListed => "user.list",
            AuditAction::MasterKeyRotated => "key.rotate",
            AuditAction::BackupWritten => "backup",
            AuditAction::AuditViewed => "audit.view",
            AuditAction::AuditVerified => "audit.verify",
            AuditAction::ManifestRepaired => "manifest.repair",
            AuditAction::ReferencePublished => "reference.publish",
            AuditAction::ItemCreated => "item.create",
            AuditAction::ItemEdited => "item.edit",
            AuditAction::ItemStatusChanged => "item.status",
            AuditAction::ItemViewed => "item.view",
            AuditAction::ItemHistoryViewed => "item.history",
            AuditAction::ConductOutcomeRecorded => "conduct.record",
            AuditAction::ItemPrioritised => "item.priority",
            AuditAction::CohortRemoval => "cohort.remove",
            AuditAction::IopcDecisionRecorded => "cohort.iopc",
            AuditAction::BeaconDueViewed => "cohort.due",
            AuditAction::BeaconScreened => "beacon.screen",
            AuditAction::BeaconFindingOpened => "beacon.finding",
            AuditAction::BeaconSuggested => "beacon.suggest",
            AuditAction::ConductOutcomesViewed => "conduct.view",
            AuditAction::IntelListed => "item.list",
            AuditAction::NominalCreated => "nominal.create",
            AuditAction::NominalEdited => "nominal.edit",
            AuditAction::NominalViewed => "nominal.view",
            AuditAction::SubjectViewed => "subject.view",
            AuditAction::NominalsMerged => "nominal.merge",
            AuditAction::DuplicatesChecked => "nominal.duplicates",
            AuditAction::LinkCreated => "link.create",
            AuditAction::AttachmentAdded => "attachment.add",
            AuditAction::AttachmentViewed => "attachment.view",
            AuditAction::AttachmentExported => "attachment.export",
            AuditAction::Searched => "search",
            AuditAction::DemoGenerated => "demo.generate",
            AuditAction::GraphQueried => "graph.query",
            AuditAction::ExposureSearched => "graph.exposure",
            AuditAction::ChartSaved => "chart.save",
            AuditAction::ChartOpened => "chart.open",
            AuditAction::ChartDeleted => "chart.delete",
            AuditAction::GraphExported => "graph.export",
            AuditAction::InstrumentPublished => "instrument.publish",
            AuditAction::AssessmentRecorded => "assessment.create",
            AuditAction::AssessmentViewed => "assessment.view",
            AuditAction::AssessmentRescored => "assessment.rescore",
            AuditAction::AssociationRegistered => "association.create",
            AuditAction::AssociationChanged => "association.update",
            AuditAction::AssociationViewed => "association.view",
            AuditAction::CohortViewed => "cohort.view",
            AuditAction::ListExported => "list.export",
            AuditAction::InterventionProposed => "intervention.propose",
            AuditAction::InterventionStepTaken => "intervention.step",
            AuditAction::InterventionViewed => "intervention.view",
            AuditAction::InterventionExported => "intervention.export",
            AuditAction::BulkImported => "import.bulk",
            AuditAction::CrossReferenced => "crossref.run",
            AuditAction::LeadPromoted => "lead.promote",
            AuditAction::LeadsViewed => "lead.view",
            AuditAction::ThreatAssessmentViewed => "report.threat_assessment.view",
            AuditAction::ControlStrategyEdited => "report.control_strategy.edit",
            AuditAction::AssessmentTextSaved => "report.assessment_text.save",
            AuditAction::ReportExported => "report.export",
            AuditAction::ReportPreviewed => "report.preview",
            AuditAction::SigningEnabled => "signing.enable",
            AuditAction::RollbackSuspected => "audit.rollback_suspected",
            AuditAction::GrantInvalid => "security.grant_invalid",
            AuditAction::BackupRestored => "backup.restore",
            AuditAction::AuditHeadExported => "audit.head_export",
            AuditAction::AuditHeadChecked => "audit.head_check",
            AuditAction::ExportCompleted => "export.complete",
            AuditAction::PermissionRefused => "permission.refused",
            AuditAction::ImportRehearsed => "import.dry_run",
            AuditAction::SessionPolicyChanged => "policy.idle_lock",
            AuditAction::ItemRestricted => "item.restrict",
            AuditAction::ItemUnrestricted => "item.unrestrict",
        }
    }
}

impl fmt::Display for AuditAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a caller supplies to record an event; the store adds the sequence number, time, user
/// and chain links inside the same transaction as the change it records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAuditEntry {
    pub action: AuditAction,
    /// What was acted on, as `kind:id` (for example `user:3`), or `workbench`.
    pub object: String,
    /// Free-form structured detail (JSON), never a secret.
    pub detail: String,
}

impl NewAuditEntry {
    #[must_use]
    pub fn new(action: AuditAction, object: impl Into<String>) -> Self {
        Self {
            action,
            object: object.into(),
            detail: String::new(),
        }
    }

    #[must_use]
    pub fn with_detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = detail.into();
        self
    }
}

/// One stored entry of the audit log, as read back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// 1-based position in the chain.
    pub seq: i64,
    /// UTC time, RFC 3339 with milliseconds.
    pub at_utc: String,
    /// The user who acted, if known (a failed login has none).
    pub user_id: Option<i64>,
    /// The user's name at the time, or what was typed for a failed login.
    pub user_name: String,
    pub action: String,
    pub object: String,
    /// The session's purpose at the time: the justification the law asks for.
    pub justification: String,
    pub detail: String,
    pub prev_hash: AuditHash,
    pub hash: AuditHash,
}

/// The fields of an entry as raw bytes, exactly as stored, so verification can hash what is on
/// disk even when tampering has made a text field invalid UTF-8.
#[derive(Debug, Clone, Copy)]
pub struct AuditRecordBytes<'a> {
    pub seq: i64,
    pub at_utc: &'a [u8],
    pub user_id: Option<i64>,
    pub user_name: &'a [u8],
    pub action: &'a [u8],
    pub object: &'a [u8],
    pub justification: &'a [u8],
    pub detail: &'a [u8],
}

impl AuditRecordBytes<'_> {
    /// The chain link for this entry: SHA-256 over a domain tag, the previous hash and every
    /// field, each length-prefixed so no two different entries share an encoding.
    #[must_use]
    pub fn chain_hash(&self, prev: &AuditHash) -> AuditHash {
        let mut hasher = Sha256::new();
        hasher.update(b"CCU-AUDIT-ENTRY-1\0");
        hasher.update(prev.0);
        hasher.update(self.seq.to_be_bytes());
        match self.user_id {
            Some(id) => {
                hasher.update([1]);
                hasher.update(id.to_be_bytes());
            }
            None => hasher.update([0]),
        }
        for field in [
            self.at_utc,
            self.user_name,
            self.action,
            self.object,
            self.justification,
            self.detail,
        ] {
            hasher.update((field.len() as u64).to_be_bytes());
            hasher.update(field);
        }
        AuditHash(hasher.finalize().into())
    }
}

impl AuditEntry {
    /// The entry's fields as the bytes that are hashed.
    #[must_use]
    pub fn record_bytes(&self) -> AuditRecordBytes<'_> {
        AuditRecordBytes {
            seq: self.seq,
            at_utc: self.at_utc.as_bytes(),
            user_id: self.user_id,
            user_name: self.user_name.as_bytes(),
            action: self.action.as_bytes(),
            object: self.object.as_bytes(),
            justification: self.justification.as_bytes(),
            detail: self.detail.as_bytes(),
        }
    }
}

/// The `prev_hash` of the first entry: bound to the workbench's random id, so a chain cannot be
/// moved from one workbench to another.
#[must_use]
pub fn genesis_hash(workbench_id: &str) -> AuditHash {
    let mut hasher = Sha256::new();
    hasher.update(b"CCU-AUDIT-GENESIS-1\0");
    hasher.update(workbench_id.as_bytes());
    AuditHash(hasher.finalize().into())
}

/// The `prev_hash` of the first entry of a workbench made since entries are signed: bound to the
/// workbench's random id and to the first inspector's signing key, so the root of every role
/// grant cannot be swapped without breaking the chain from its first entry.
#[must_use]
pub fn genesis_hash_signed(workbench_id: &str, root_signing_key: &[u8; 32]) -> AuditHash {
    let mut hasher = Sha256::new();
    hasher.update(b"CCU-AUDIT-GENESIS-2\0");
    hasher.update((workbench_id.len() as u64).to_be_bytes());
    hasher.update(workbench_id.as_bytes());
    hasher.update(root_signing_key);
    AuditHash(hasher.finalize().into())
}

/// What a transaction's author signs when it commits: the range of entries it wrote
/// (`first_seq..=seq`) and the chain head after them. The range matters: a head's hash covers
/// every entry before it, so without it an entry planted after the last commit would be vouched
/// for by the next signer; with it, an entry outside every signed range is reported unsigned.
#[must_use]
pub fn audit_commit_statement(
    workbench_id: &str,
    first_seq: i64,
    seq: i64,
    head: &AuditHash,
) -> Vec<u8> {
    let mut out = Vec::with_capacity(104);
    out.extend_from_slice(b"CCU-AUDIT-COMMIT-1\0");
    out.extend_from_slice(&(workbench_id.len() as u64).to_be_bytes());
    out.extend_from_slice(workbench_id.as_bytes());
    out.extend_from_slice(&first_seq.to_be_bytes());
    out.extend_from_slice(&seq.to_be_bytes());
    out.extend_from_slice(&head.0);
    out
}

/// What an exported head is signed over: the chain head at the time. A signature on a head
/// vouches for every entry up to it, since each hash covers all before it.
#[must_use]
pub fn audit_head_statement(workbench_id: &str, seq: i64, head: &AuditHash) -> Vec<u8> {
    let mut out = Vec::with_capacity(96);
    out.extend_from_slice(b"CCU-AUDIT-HEAD-1\0");
    out.extend_from_slice(&(workbench_id.len() as u64).to_be_bytes());
    out.extend_from_slice(workbench_id.as_bytes());
    out.extend_from_slice(&seq.to_be_bytes());
    out.extend_from_slice(&head.0);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> AuditEntry {
        AuditEntry {
            seq: 1,
            at_utc: "2026-11-22T10:00:00.000Z".into(),
            user_id: Some(1),
            user_name: "DI Example".into(),
            action: "login".into(),
            object: "workbench".into(),
            justification: String::new(),
            detail: String::new(),
            prev_hash: genesis_hash("wb"),
            hash: AuditHash([0; 32]),
        }
    }

    #[test]
    fn every_field_changes_the_hash() {
        let base = sample();
        let prev = base.prev_hash;
        let reference = base.record_bytes().chain_hash(&prev);
        let mut variants = Vec::new();
        let mut e = base.clone();
        e.seq = 2;
        variants.push(e);
        let mut e = base.clone();
        e.user_id = None;
        variants.push(e);
        let mut e = base.clone();
        e.at_utc.push('1');
        variants.push(e);
        let mut e = base.clone();
        e.user_name.push('x');
        variants.push(e);
        let mut e = base.clone();
        e.action = "logout".into();
        variants.push(e);
        let mut e = base.clone();
        e.object.push('x');
        variants.push(e);
        let mut e = base.clone();
        e.justification.push('x');
        variants.push(e);
        let mut e = base.clone();
        e.detail.push('x');
        variants.push(e);
        for v in variants {
            assert_ne!(v.record_bytes().chain_hash(&prev), reference, "{v:?}");
        }
        assert_ne!(
            base.record_bytes().chain_hash(&genesis_hash("other")),
            reference
        );
    }

    #[test]
    fn length_prefixes_keep_field_boundaries_apart() {
        let mut a = sample();
        a.object = "ab".into();
        a.justification = "c".into();
        let mut b = sample();
        b.object = "a".into();
        b.justification = "bc".into();
        let prev = a.prev_hash;
        assert_ne!(
            a.record_bytes().chain_hash(&prev),
            b.record_bytes().chain_hash(&prev)
        );
    }
}
