//! Exit codes, so scripts can tell failures apart. Listed in the README.

use crate::store::StoreError;
use crate::workbench::WorkbenchError;

/// Exit code for a failure: 1 other, 2 usage, 3 authentication, 4 permission, 5 audit chain
/// broken, 6 not a workbench / damaged / newer version, 7 invalid input (a record, a document,
/// a status change, likely duplicates).
#[must_use]
pub fn exit_code_for(err: &anyhow::Error) -> u8 {
    if err
        .downcast_ref::<super::commands::AuditChainBroken>()
        .is_some()
    {
        return 5;
    }
    if err
        .downcast_ref::<crate::io::record_json::JsonDocumentError>()
        .is_some()
        || err
            .downcast_ref::<crate::domain::ReferenceDataError>()
            .is_some()
        || err
            .downcast_ref::<crate::graph::CentralityError>()
            .is_some()
        || err
            .downcast_ref::<crate::io::instrument_file::InstrumentFileError>()
            .is_some()
        || err
            .downcast_ref::<crate::io::import_spec::ImportSpecError>()
            .is_some()
    {
        return 7;
    }
    let Some(wb) = err.downcast_ref::<WorkbenchError>() else {
        return 1;
    };
    if wb.is_authentication_failure() {
        return 3;
    }
    if wb.is_permission_failure() {
        return 4;
    }
    match wb {
        WorkbenchError::Step(
            crate::domain::StepRefused::InspectorOnly(_)
            | crate::domain::StepRefused::OwnProposal
            | crate::domain::StepRefused::NotProposer
            | crate::domain::StepRefused::DeciderSetUpByProposer,
        )
        | WorkbenchError::SecondInspectorNeeded
        | WorkbenchError::SecondInspectorRefused => 4,
        WorkbenchError::Step(_)
        | WorkbenchError::Invalid(_)
        | WorkbenchError::ReferenceData(_)
        | WorkbenchError::IllegalTransition { .. }
        | WorkbenchError::PossibleDuplicates(_)
        | WorkbenchError::InstrumentVersion { .. }
        | WorkbenchError::InstrumentFile(_)
        | WorkbenchError::Answers(_)
        | WorkbenchError::ImportRow { .. }
        | WorkbenchError::ImportSpecConflict { .. }
        | WorkbenchError::AlreadyImported { .. } => 7,
        WorkbenchError::Store(
            StoreError::NotAWorkbench(_)
            | StoreError::Damaged(_)
            | StoreError::NewerVersion { .. }
            | StoreError::SlotFile { .. },
        ) => 6,
        _ => 1,
    }
}
