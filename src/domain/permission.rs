//! Which role may do what: one table, checked by the library before every operation.

use super::Role;

/// An operation on the workbench that needs a permission check.
///
/// The GUI hides what a role cannot do, but that is convenience only: the library checks this
/// table on every call, so a hand-made request gets the same answer as a button.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// Add a user, remove one, or reset someone else's password.
    ManageUsers,
    /// See the list of users and their roles.
    ListUsers,
    /// Change one's own password.
    ChangeOwnPassword,
    /// Rotate the master key that encrypts the store.
    RotateMasterKey,
    /// Write an encrypted backup of the whole workbench.
    Backup,
    /// Read the entries of the audit log (a consultation of personal data).
    ViewAuditLog,
    /// Check the audit log's hash chain (reads no content).
    VerifyAuditLog,
    /// Create and edit intelligence items, change their status, attach files.
    RecordIntelligence,
    /// Read items, the log, their history and attachments (a consultation).
    ViewIntelligence,
    /// Create and edit nominals and links.
    RecordNominals,
    /// Read nominals and their links (a consultation).
    ViewNominals,
    /// Search items and nominals (a consultation).
    Search,
    /// Fold one nominal into another (both histories kept).
    MergeNominals,
    /// Publish a new version of the reference data (code lists).
    PublishReferenceData,
    /// Save an attachment to disk (a disclosure).
    ExportAttachment,
    /// Load the link graph and run its queries, measures and the exposure finder (a
    /// consultation).
    AnalyseGraph,
    /// Save or delete a link chart (node positions and filters).
    SaveChart,
    /// Write the graph or a chart to a file (GraphML, PNG): a disclosure.
    ExportGraph,
    /// Publish a new version of a risk instrument (the head of CCU revises the force's tools).
    PublishInstrument,
    /// Score a nominal under a risk instrument and save the assessment with its rationale.
    Assess,
    /// Register a notifiable association, change it, record its review, close it.
    RecordAssociations,
    /// Write a list or a record (the People Intelligence Board list, an intervention's
    /// authorisation record) to a file: a disclosure.
    ExportList,
    /// Propose a management intervention, withdraw one's proposal, record the meeting, the
    /// outcome and the review.
    RecordIntervention,
    /// Authorise or decline a management intervention (the head of CCU or deputy), and close it.
    DecideIntervention,
    /// Import a bulk file (audit logs, call records, registers) through an import spec.
    ImportData,
    /// Rehearse an import (a dry run): it changes nothing, but its match counts show what the
    /// unit holds, so it is a consultation, with a purpose, recorded with the file's hash.
    RehearseImport,
    /// Restrict an intelligence item to named users, or lift the restriction (need-to-know).
    RestrictItems,
    /// Include in a transferee package the intelligence it leaves out by default (assessed E,
    /// or closed with no further action).
    IncludeWithheldIntelligence,
    /// Run the cross-reference engine over imported data and read its leads (a consultation).
    CrossReference,
    /// Read the strategic threat assessment: the period's figures, trends, cohort and leads.
    ViewThreatAssessment,
    /// Write the threat assessment's text (summary, key judgements, ranked threats,
    /// requirements, recommendations) and the control strategy it ends with: the analyst who
    /// writes the assessment, and the inspector who answers for it.
    WriteThreatAssessment,
    /// Write a report (the threat assessment) to a file.
    ExportReport,
    /// Record a conduct outcome (Professional Standards' finding on an allegation) by hand.
    RecordConductOutcome,
    /// Read or write the restricted edition of the threat assessment, which names people (the
    /// sanitised edition needs only [`Action::ViewThreatAssessment`]).
    ViewRestrictedThreatAssessment,
    /// Take a subject out of the Operation Beacon cohort, with a rationale (the head of CCU or
    /// deputy; a new assessment brings them back).
    RemoveFromBeaconCohort,
    /// Record whether a Beacon subject was referred to the IOPC (or why not).
    RecordIopcDecision,
}

/// How the Data Protection Act 2018 s.62 logging duty sees an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActionKind {
    /// Administration of the workbench itself.
    Administration,
    /// Reading personal data: needs a justification (the session's purpose).
    Consultation,
    /// Letting data leave the workbench: needs a justification.
    Disclosure,
    /// Recording or altering personal data: logged, with the purpose when one is set.
    Collection,
}

impl Action {
    /// Every action, for table-driven tests and the access matrix in the docs.
    pub const ALL: [Action; 36] = [
        Action::ManageUsers,
        Action::ListUsers,
        Action::ChangeOwnPassword,
        Action::RotateMasterKey,
        Action::Backup,
        Action::ViewAuditLog,
        Action::VerifyAuditLog,
        Action::RecordIntelligence,
        Action::ViewIntelligence,
        Action::RecordNominals,
        Action::ViewNominals,
        Action::Search,
        Action::MergeNominals,
        Action::PublishReferenceData,
        Action::ExportAttachment,
        Action::AnalyseGraph,
        Action::SaveChart,
        Action::ExportGraph,
        Action::PublishInstrument,
        Action::Assess,
        Action::RecordAssociations,
        Action::ExportList,
        Action::RecordIntervention,
        Action::DecideIntervention,
        Action::ImportData,
        Action::RehearseImport,
        Action::RestrictItems,
        Action::IncludeWithheldIntelligence,
        Action::CrossReference,
        Action::ViewThreatAssessment,
        Action::WriteThreatAssessment,
        Action::ExportReport,
        Action::RecordConductOutcome,
        Action::ViewRestrictedThreatAssessment,
        Action::RemoveFromBeaconCohort,
        Action::RecordIopcDecision,
    ];

    /// Whether a user holding `role` may perform this action.
    #[must_use]
    pub fn is_permitted_for(self, role: Role) -> bool {
        match self {
            Action::ManageUsers
            | Action::RotateMasterKey
            | Action::Backup
            | Action::ViewAuditLog
            | Action::MergeNominals
            | Action::PublishReferenceData
            | Action::PublishInstrument
            | Action::RestrictItems
            | Action::IncludeWithheldIntelligence
            | Action::ViewRestrictedThreatAssessment
            | Action::RemoveFromBeaconCohort
            | Action::RecordIopcDecision
            | Action::DecideIntervention => role == Role::Inspector,
            Action::WriteThreatAssessment => role != Role::Detective,
            Action::ListUsers
            | Action::ChangeOwnPassword
            | Action::VerifyAuditLog
            | Action::RecordIntelligence
            | Action::ViewIntelligence
            | Action::RecordNominals
            | Action::ViewNominals
            | Action::Search
            | Action::ExportAttachment
            | Action::AnalyseGraph
            | Action::SaveChart
            | Action::ExportGraph
            | Action::Assess
            | Action::RecordAssociations
            | Action::ExportList
            | Action::RecordIntervention
            | Action::ImportData
            | Action::RehearseImport
            | Action::CrossReference
            | Action::ViewThreatAssessment
            | Action::ExportReport
            | Action::RecordConductOutcome => true,
        }
    }

    /// Whether the action consults or discloses personal data, so the law asks for a reason.
    #[must_use]
    pub fn kind(self) -> ActionKind {
        match self {
            Action::ViewAuditLog
            | Action::ViewIntelligence
            | Action::ViewNominals
            | Action::Search
            | Action::AnalyseGraph
            | Action::CrossReference
            | Action::RehearseImport
            | Action::ViewRestrictedThreatAssessment
            | Action::ViewThreatAssessment => ActionKind::Consultation,
            Action::Backup
            | Action::ExportAttachment
            | Action::ExportGraph
            | Action::ExportList
            | Action::IncludeWithheldIntelligence
            | Action::ExportReport => ActionKind::Disclosure,
            Action::RecordIntelligence
            | Action::RecordNominals
            | Action::MergeNominals
            | Action::SaveChart
            | Action::Assess
            | Action::RecordAssociations
            | Action::RecordIntervention
            | Action::DecideIntervention
            | Action::ImportData
            | Action::RemoveFromBeaconCohort
            | Action::RecordIopcDecision
            | Action::RecordConductOutcome
            | Action::WriteThreatAssessment => ActionKind::Collection,
            Action::ManageUsers
            | Action::ListUsers
            | Action::ChangeOwnPassword
            | Action::RotateMasterKey
            | Action::VerifyAuditLog
            | Action::PublishReferenceData
            | Action::RestrictItems
            | Action::PublishInstrument => ActionKind::Administration,
        }
    }

    /// A short description for error messages and the access matrix.
    #[must_use]
    pub fn describe(self) -> &'static str {
        match self {
            Action::ManageUsers => "manage users",
            Action::ListUsers => "list users",
            Action::ChangeOwnPassword => "change own password",
            Action::RotateMasterKey => "rotate the master key",
            Action::Backup => "back up the workbench",
            Action::ViewAuditLog => "view the audit log",
            Action::VerifyAuditLog => "verify the audit log",
            Action::RecordIntelligence => "record intelligence",
            Action::ViewIntelligence => "view intelligence",
            Action::RecordNominals => "record nominals and links",
            Action::ViewNominals => "view nominals",
            Action::Search => "search",
            Action::MergeNominals => "merge nominals",
            Action::PublishReferenceData => "publish reference data",
            Action::ExportAttachment => "save an attachment to disk",
            Action::AnalyseGraph => "analyse the link graph",
            Action::SaveChart => "save a link chart",
            Action::ExportGraph => "export the graph or a chart",
            Action::PublishInstrument => "publish a risk instrument",
            Action::Assess => "record a risk assessment",
            Action::RecordAssociations => "record notifiable associations",
            Action::ExportList => "export a list or a record",
            Action::RecordIntervention => "propose or record a management intervention",
            Action::DecideIntervention => "decide a management intervention",
            Action::ImportData => "import bulk data",
            Action::RehearseImport => "rehearse an import (a dry run)",
            Action::RestrictItems => "restrict an item to named users",
            Action::IncludeWithheldIntelligence => {
                "include withheld intelligence in a transferee package"
            }
            Action::CrossReference => "cross-reference imported data",
            Action::ViewThreatAssessment => "read the strategic threat assessment",
            Action::WriteThreatAssessment => "write the threat assessment or its control strategy",
            Action::ExportReport => "export a report",
            Action::RecordConductOutcome => "record a conduct outcome",
            Action::ViewRestrictedThreatAssessment => {
                "read the restricted edition of the threat assessment"
            }
            Action::RemoveFromBeaconCohort => "remove a subject from the Beacon cohort",
            Action::RecordIopcDecision => "record an IOPC referral decision",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_inspectors_administer_users_keys_backups_and_audit_content() {
        for action in [
            Action::ManageUsers,
            Action::RotateMasterKey,
            Action::Backup,
            Action::ViewAuditLog,
        ] {
            assert!(action.is_permitted_for(Role::Inspector), "{action:?}");
            assert!(!action.is_permitted_for(Role::Detective), "{action:?}");
            assert!(!action.is_permitted_for(Role::Analyst), "{action:?}");
        }
    }

    #[test]
    fn everyone_may_change_their_password_and_verify_the_chain() {
        for role in Role::ALL {
            assert!(Action::ChangeOwnPassword.is_permitted_for(role));
            assert!(Action::VerifyAuditLog.is_permitted_for(role));
        }
    }
}
