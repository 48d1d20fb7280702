//! The workbench a user has unlocked: every operation checks the role, records the audit entry in
//! the same transaction as the change, and keeps key material only as long as the session.

mod attachment_ops;
mod beacon_ops;
mod beacon_screen_ops;
mod chart_context_ops;
mod conduct_ops;
mod crossref_ops;
mod demo_load;
mod disclosure;
mod error;
mod failed_login_delay;
mod ftm_import_ops;
mod graph_ops;
mod import_file_ops;
mod import_ops;
mod intel_ops;
mod intervention_ops;
mod keyring;
mod link_ops;
mod na_ops;
mod nominal_ops;
mod priority_ops;
mod reference_ops;
mod report_ops;
mod restriction_ops;
mod risk_ops;
mod search_ops;
mod session;
mod session_policy;
mod subject_ops;
mod subject_sections;
mod user_file;

pub use attachment_ops::{MAX_ATTACHMENT_BYTES, sniff_media_type};
pub use beacon_screen_ops::{
    BeaconScreening, BeaconSuggestions, OpenedFinding, ScreenedEmployee, ScreeningChanges,
};
pub use crossref_ops::{BelowThreshold, CrossrefRun};
pub use demo_load::{DEMO_ANALYST, DEMO_DETECTIVE, DemoProgress, DemoSpec};
pub use disclosure::Release;
pub use error::WorkbenchError;
pub use failed_login_delay::failed_login_delay_secs;
pub use ftm_import_ops::FtmImportReport;
pub use graph_ops::{
    CHART_PICTURE_SIZE_PX, ChartFormat, ExposureFindings, MAX_CHART_AROUND_NOMINALS,
    MAX_CHART_PICTURE_SCALE, MAX_EXPOSURE_HOPS,
};
#[cfg(feature = "test-hooks")]
pub use import_ops::import_into_store_for_benchmarks;
pub use import_ops::{
    ImportOptions, ImportProgress, ImportReport, MAX_REJECTS_KEPT, MatchCounts, PREVIEW_ROWS,
};
pub use intel_ops::{ItemView, MAX_PAGE_ROWS};
pub use intervention_ops::{InterventionCounts, outcome_from_code};
pub use keyring::{
    BackupReport, HeadCheck, RekeyReport, SecondInspector, UnlockWarning, restore_backup,
};
pub use na_ops::DECLARED_LINK_TYPE;
pub use nominal_ops::{DEFAULT_PHONE_REGION, NominalProfile};
pub use report_ops::TOP_EXPOSURES;
pub use risk_ops::{BEACON_INSTRUMENT, MAX_RATIONALE_CHARS};
pub use session::Workbench;
pub use subject_ops::{
    LookupsInMonth, STAFF_ROUTE_HOPS, STAFF_ROUTE_MAX_REACHED, SUBJECT_ITEMS_SHOWN, StaffRoute,
    SubjectAssessment, SubjectAssociation, SubjectIntervention, SubjectItem, SubjectProfile,
    TimelineEvent, VettingSummary, instrument_words,
};
pub use subject_sections::{ProfileLine, ProfileSection, timeline_kind_words};

/// Display names of nominals, each read once (`nominal N` for one that is gone): what lists
/// and explanations show beside ids.
fn display_names(
    reader: crate::store::StoreReader<'_>,
    ids: impl IntoIterator<Item = crate::domain::NominalId>,
) -> Result<std::collections::HashMap<crate::domain::NominalId, String>, WorkbenchError> {
    let mut names = std::collections::HashMap::new();
    for id in ids {
        if let std::collections::hash_map::Entry::Vacant(slot) = names.entry(id) {
            let name = reader
                .nominal_display_name(id)?
                .unwrap_or_else(|| format!("nominal {id}"));
            slot.insert(name);
        }
    }
    Ok(names)
}
