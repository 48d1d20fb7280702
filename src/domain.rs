//! Pure domain types: roles, permissions, users, audit entries, reference data, intelligence
//! items, nominals and links. No I/O, no SQL, no GUI.

mod audit_entry;
pub mod bulk_record;
mod clock;
mod code_labels;
mod conduct_outcome;
pub mod duplicates;
mod field_error;
mod grading;
mod ids;
mod intel_item;
mod intel_query;
mod iso_date;
mod link;
mod management_intervention;
mod nominal;
mod nominal_matcher;
mod notifiable_association;
mod permission;
pub mod phone;
mod reference_data;
mod role;
mod role_grant;
mod search;
pub mod search_ranking;
mod transferee_package;
mod user;
mod user_name_key;
mod validation;

pub use audit_entry::{
    AuditAction, AuditEntry, AuditHash, AuditRecordBytes, NewAuditEntry, audit_commit_statement,
    audit_head_statement, genesis_hash, genesis_hash_signed,
};
pub use bulk_record::{
    BulkRecord, BusinessInterest, CallRecord, CaseParty, CaseRow, DeploymentRow, FieldDef,
    FieldType, FieldValue, GiftHospitality, ImportKind, IntelItemRow, LinkRow, NaRegisterRow,
    NominalRef, NominalRow, ProcurementContract, RecordError, SubjectIdentity, SystemAuditEvent,
    VettingRecord, WORKFORCE_RECORD_TYPES, WorkforceRecord,
};
pub use clock::Clock;
pub use code_labels::CodeLabels;
pub use conduct_outcome::{ConductOutcome, ConductOutcomeKind, QUERYING_SANCTION_CATEGORIES};
pub use duplicates::DuplicateMatch;
pub use field_error::{FieldError, InvalidRecord};
pub use grading::{Grading, LegacyGrading, unknown_code_message};
pub use ids::{
    AssessmentId, AttachmentId, ImportId, InterventionId, ItemId, LeadId, LinkId, NominalId,
    NotifiableAssociationId,
};
pub use intel_item::{
    IntelItem, IntelItemFields, IntelItemVersion, MAX_NARRATIVE_CHARS, Subject, changed_fields,
    format_reference, looks_like_reference,
};
pub use intel_query::{IntelQuery, IntelRow, IntelSort, NOT_SCORED, SUMMARY_CHARS};
pub use iso_date::{BadDate, IsoDate};
pub use link::{Link, LinkFields, Provenance};
pub use management_intervention::{
    InterventionHistoryEntry, InterventionOutcome, InterventionProposal, InterventionState,
    InterventionStep, InterventionView, MAX_INTERVENTION_TEXT_CHARS, ManagementIntervention,
    MeetingRecord, OutcomeRecord, Preconditions, StepRefused, apply_step,
    check_decider_independent, check_step,
};
pub use nominal::{Nominal, NominalDetails, NominalKind, PersonFlags};
pub use nominal_matcher::NominalMatcher;
pub use notifiable_association::{
    MAX_NA_TEXT_CHARS, NA_DUE_WINDOW_DAYS, NA_REVIEW_INTERVAL_DAYS, NaChange, NaDraft, NaFilter,
    NaOrigin, NaRelationship, NaReview, NaReviewFilter, NaReviewOutcome, NaRow, NaStatus,
    NaVersion, NotifiableAssociation,
};
pub use permission::{Action, ActionKind};
pub use reference_data::{Code, INITIAL_STATUS, ReferenceData, ReferenceDataError, list};
pub use role::Role;
pub use role_grant::{
    GrantCheck, GrantKind, GrantProblem, GrantProblemReason, RoleGrant, SignedGrant, check_grants,
};
pub use search::{SearchHit, SearchQuery, SearchTarget};
pub use transferee_package::{LeftOut, TransfereePackage};
pub use user::{User, UserId};
pub use user_name_key::{mixes_look_alike_scripts, user_name_key};
pub use validation::{
    MAX_PURPOSE_CHARS, MIN_PASSWORD_CHARS, ValidationError, validate_password, validate_purpose,
    validate_user_name,
};
