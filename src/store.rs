//! Persistence: the workbench folder, its `SQLCipher` store and its key slot files.
//!
//! **Only this module knows SQL.** Everything above it calls typed methods; nothing above it
//! sees a `rusqlite` type (tests reach the raw connection through the `test-hooks` feature).

mod attachments;
mod audit_log;
mod beacon_facts;
mod bulk_records;
mod clock;
mod connection;
mod crossref_facts;
mod deployments;
mod error;
mod external_records;
mod failed_login;
mod graph_source;
mod imports;
mod intel_items;
mod interventions;
mod item_restrictions;
mod known_heads;
mod layout;
mod links;
mod manifest;
mod migrations;
mod nominals;
mod notifiable_associations;
mod record_history;
mod reference_versions;
mod risk_records;
mod role_grants;
mod search_index;
mod store_reader;
mod store_tx;
#[cfg(feature = "test-hooks")]
pub mod tamper;
mod threat_figures;
mod users;

pub use attachments::AttachmentInfo;
pub use audit_log::{
    AuditBreak, AuditBreakReason, AuditHead, AuditSigner, AuditVerification, GrantProblemReport,
};
pub use beacon_facts::{EvidenceDetail, ScreeningCounts};
pub use bulk_records::{EarlierImport, RecordMatch, SavedSpec};
pub use clock::now_utc_rfc3339;
pub use connection::Store;
pub use crossref_facts::StoredLead;
pub use deployments::StoredDeployment;
pub use error::StoreError;
pub use external_records::{ExternalId, StoredCase};
pub use failed_login::{FailedLoginRecord, PendingFailedLogin};
pub use known_heads::{KnownHead, read_known_head, write_known_head};
pub use layout::{WORKBENCH_EXTENSION, WorkbenchLayout, sync_dir, write_atomically};
pub use links::ResolvedSource;
pub use manifest::Manifest;
pub use migrations::{MIGRATIONS, SCHEMA_VERSION};
pub use nominals::flags_bits;
pub use risk_records::NewAssessment;
pub use search_index::{
    DEFAULT_LIMIT as DEFAULT_SEARCH_LIMIT, ITEM_CANDIDATES as SEARCH_ITEM_CANDIDATES,
};
pub use store_reader::{NominalVersion, StoreReader};
pub use store_tx::{Actor, StoreTx};
pub use users::StoredUser;
