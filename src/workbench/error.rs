//! Errors of workbench operations, worded for the person at the keyboard. None carries a name,
//! a purpose, record content or key material.

use crate::crypto::CryptoError;
use crate::domain::{Role, ValidationError};
use crate::store::StoreError;

/// Why a workbench operation failed.
#[derive(Debug, thiserror::Error)]
pub enum WorkbenchError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Crypto(#[from] CryptoError),
    #[error(transparent)]
    Validation(#[from] ValidationError),
    #[error("user name or password is incorrect{}", damaged_note(*.damaged_slots))]
    WrongCredentials {
        damaged_slots: usize,
        /// Seconds to wait before the next attempt (grows with consecutive failures).
        retry_after_secs: u64,
    },
    #[error("this user has been removed from the workbench")]
    UserRemoved,
    #[error(
        "your key slot is out of date: the master key was rotated after this copy of the slot was made"
    )]
    StaleSlot,
    #[error("a {role} may not {action}")]
    PermissionDenied { action: &'static str, role: Role },
    #[error(
        "set the purpose of this session (an operation reference or reason) before you {action}: the law asks for a justification"
    )]
    PurposeRequired { action: &'static str },
    #[error("no active user has that name")]
    UnknownUser,
    #[error("you cannot remove yourself; another inspector must do it")]
    CannotRemoveSelf,
    #[error("the workbench must keep at least one active inspector")]
    LastInspector,
    #[error("the current password is incorrect")]
    CurrentPasswordWrong,
    #[error("{0}")]
    Refused(&'static str),
    #[error(transparent)]
    Invalid(#[from] crate::domain::InvalidRecord),
    #[error(transparent)]
    ReferenceData(#[from] crate::domain::ReferenceDataError),
    #[error("no intelligence item has that reference")]
    NoSuchItem,
    /// A graph measure that cannot be computed on this graph (the message says why).
    #[error("{0}")]
    GraphQuery(String),
    #[error("no nominal has that id")]
    NoSuchNominal,
    #[error("no attachment has that id")]
    NoSuchAttachment,
    #[error("an item in status {from} cannot move to {to}; allowed next: {allowed}")]
    IllegalTransition {
        from: String,
        to: String,
        allowed: String,
    },
    #[error("{} likely duplicate(s) found: {}; check them, or confirm to create anyway", .0.len(), describe_duplicates(.0))]
    PossibleDuplicates(Vec<crate::domain::DuplicateMatch>),
    #[error("the attachment is {size} bytes; the limit is {limit} bytes")]
    AttachmentTooLarge { size: u64, limit: u64 },
    #[error("no risk instrument has that key and version")]
    NoSuchInstrument,
    #[error(
        "instrument {key} must be published as version {expected} (one more than the newest); the file says version {found}"
    )]
    InstrumentVersion {
        key: String,
        expected: u32,
        found: u32,
    },
    /// Answers that do not fit the instrument. Names factors only, never an answer.
    #[error("the answers do not fit the instrument: {0}")]
    Answers(String),
    #[error("no assessment has that id")]
    NoSuchAssessment,
    #[error("no notifiable association register entry has that id")]
    NoSuchAssociation,
    #[error("no management intervention has that id")]
    NoSuchIntervention,
    /// A step of an intervention's lifecycle that is not allowed now, or not to this user.
    #[error(transparent)]
    Step(#[from] crate::domain::StepRefused),
    /// A row (or the header) of a bulk file that cannot be imported; names the file, line,
    /// column and reason, never a value from the file.
    #[error("{source_name} {error}")]
    ImportRow {
        source_name: String,
        error: crate::io::bulk_csv::RowError,
    },
    #[error(
        "import spec {name} version {version} is already saved with different content; give the changed spec a new version"
    )]
    ImportSpecConflict { name: String, version: u32 },
    #[error(
        "{source_name} was already imported (import {earlier} at {at_utc}); the same file is not imported twice"
    )]
    AlreadyImported {
        source_name: String,
        earlier: crate::domain::ImportId,
        at_utc: String,
    },
    #[error("the import was cancelled; nothing was changed")]
    Cancelled,
    #[error("no cross-reference lead has that id")]
    NoSuchLead,
    /// A file the user named could not be read. Names the file by its file name only.
    #[error("could not read {file_name}: {reason}")]
    FileRead {
        file_name: String,
        reason: std::io::ErrorKind,
    },
    /// A chart picture that could not be drawn or encoded.
    #[cfg(feature = "chart-picture")]
    #[error(transparent)]
    ChartPicture(#[from] crate::io::chart_png::ChartPngError),
    /// This build cannot draw a chart as PNG (it was built without the `chart-picture`
    /// feature, which the GUI's build always has); SVG needs no feature.
    #[error(
        "this build cannot draw a chart as PNG (built without the chart-picture feature); export it as SVG"
    )]
    NoChartPictures,
    /// An instrument file that does not check: its file name, line and reason.
    #[error(transparent)]
    InstrumentFile(#[from] crate::io::instrument_file::InstrumentFileError),
    /// The user's standing is not backed by a role grant an inspector signed: someone changed
    /// the store outside the workbench.
    #[error(
        "your account's role is not backed by a grant signed by an inspector (the store was changed outside the workbench); ask another inspector to run audit verify"
    )]
    StandingNotSigned,
    /// Four eyes: the step needs a second inspector's name and password.
    #[error(
        "adding an inspector or giving an inspector a new password needs a second inspector: give their name and password"
    )]
    SecondInspectorNeeded,
    /// The second inspector's credentials did not open, or are not another active inspector's.
    #[error(
        "the second inspector's name or password is incorrect, or they are not another active inspector"
    )]
    SecondInspectorRefused,
    /// A disclosure would release items with handling code C without the discloser confirming
    /// their conditions allow it.
    #[error(
        "{count} item(s) in this disclosure have handling code C: check their conditions allow this release, then confirm it"
    )]
    CItemsNeedConfirmation { count: usize },
    /// The item is restricted to named users and this user is not one of them.
    #[error("restricted item {reference}: you are not on its list")]
    RestrictedItem { reference: String },
    /// A signed head file that cannot be read or does not belong to this workbench.
    #[error("the signed head file {file_name} {reason}")]
    HeadFile {
        file_name: String,
        reason: &'static str,
    },
}

fn describe_duplicates(matches: &[crate::domain::DuplicateMatch]) -> String {
    matches
        .iter()
        .map(|m| format!("nominal {} ({})", m.nominal_id, m.reasons.join(", ")))
        .collect::<Vec<_>>()
        .join("; ")
}

fn damaged_note(damaged_slots: usize) -> String {
    if damaged_slots == 0 {
        String::new()
    } else {
        format!(" ({damaged_slots} key slot file(s) are damaged and could not be tried)")
    }
}

impl WorkbenchError {
    /// Whether the error is a failed authentication (for exit codes and the GUI's wording).
    #[must_use]
    pub fn is_authentication_failure(&self) -> bool {
        matches!(
            self,
            WorkbenchError::WrongCredentials { .. }
                | WorkbenchError::UserRemoved
                | WorkbenchError::StaleSlot
                | WorkbenchError::StandingNotSigned
        )
    }

    /// Whether the error is a refusal by role or by law (no purpose).
    #[must_use]
    pub fn is_permission_failure(&self) -> bool {
        matches!(
            self,
            WorkbenchError::PermissionDenied { .. }
                | WorkbenchError::PurposeRequired { .. }
                | WorkbenchError::RestrictedItem { .. }
        )
    }
}
