//! Each request's wording, in one place (as rerun's `UICommand::text_and_tooltip`): what the
//! status bar says while it runs. A new request without wording fails to compile here.

use super::protocol::Request;

impl Request {
    /// What the status bar says while the request runs, as a user would say it.
    #[must_use]
    pub fn label(&self) -> &'static str {
        match self {
            Request::SetPurpose(_) => "Setting the purpose…",
            Request::ListUsers => "Loading users…",
            Request::AddUser { .. } => "Adding the user…",
            Request::RemoveUser(_) => "Removing the user…",
            Request::ResetPassword { .. } => "Resetting the password…",
            Request::ChangeOwnPassword { .. } => "Changing your password…",
            Request::Rekey => "Rotating the master key…",
            Request::Backup(_) => "Writing the backup…",
            Request::VerifyAudit => "Verifying the audit chain…",
            Request::ExportAuditHead(_) => "Writing the signed head…",
            Request::SetIdleLockPolicy(_) => "Setting the unit's idle lock policy…",
            Request::CheckAuditHead(_) => "Checking the log against the signed head…",
            Request::AuditPage { .. } => "Reading the audit log…",
            Request::IntelCount(_) | Request::IntelPage { .. } => "Reading the log…",
            Request::ViewItem(_) => "Opening the item…",
            Request::ItemHistory(_) => "Reading the history…",
            Request::CreateItem(_) | Request::UpdateItem { .. } => "Saving the item…",
            Request::ChangeStatus { .. } => "Changing the status…",
            Request::Search { .. } => "Searching…",
            Request::ViewNominal(_) => "Opening the nominal…",
            Request::CreateNominal { .. } => "Saving the nominal…",
            Request::ViewAttachment(_) => "Opening the attachment…",
            Request::AttachFile { .. } => "Attaching the file…",
            Request::ExportAttachment { .. } => "Saving the attachment…",
            Request::GraphQuery { .. } | Request::ShowLead(_) => "Analysing the graph…",
            Request::Exposures { .. } => "Finding exposures…",
            Request::RecordExposure { .. } | Request::PromoteLead { .. } => "Recording the lead…",
            Request::SaveChart(_) => "Saving the chart…",
            Request::ListCharts => "Listing the charts…",
            Request::ChartContext => "Reading flags, bands and associations for the chart…",
            Request::OpenChart(_) => "Opening the chart…",
            Request::ExportGraphml { .. } => "Exporting the graph…",
            Request::ExportChart { .. } => "Drawing the chart…",
            Request::ListInstruments => "Listing the instruments…",
            Request::LoadInstrument { .. } => "Opening the instrument…",
            Request::Assess { .. } => "Saving the assessment…",
            Request::AssessmentsOf(_) => "Reading the assessments…",
            Request::Rescore { .. } => "Re-scoring…",
            Request::PublishInstrument(_) | Request::PublishInstrumentFile(_) => {
                "Publishing the instrument…"
            }
            Request::BeaconCohort { .. } => "Reading the Beacon cohort…",
            Request::BeaconDue => "Reading who is due a Beacon assessment…",
            Request::BeaconScreen { .. } => "Screening the workforce for Beacon warning signs…",
            Request::OpenBeaconFinding(_) => "Opening the finding…",
            Request::BeaconSuggestions(_) => "Reading the answers the data suggests…",
            Request::ItemPriorityForm(_) => "Reading the item's priority…",
            Request::PrioritiseItem { .. } => "Saving the priority…",
            Request::RemoveFromCohort { .. } => "Removing from the cohort…",
            Request::RecordIopcDecision { .. } => "Recording the IOPC decision…",
            Request::ExportPibList { .. } => "Exporting the PIB list…",
            Request::ThreatAssessment { .. } => "Assessing the period…",
            Request::AssessmentTextVersions { .. } => "Reading the versions of the text…",
            Request::SaveAssessmentText { .. } => "Saving the analyst's text…",
            Request::ControlStrategy => "Reading the control strategy…",
            Request::ExportPibPack { .. } => "Exporting the PIB pack…",
            Request::ExportSubjectReport { .. } => "Writing the subject report…",
            Request::SetControlStrategy(_) => "Saving the control strategy…",
            Request::ExportThreatAssessment { .. } => "Exporting the threat assessment…",
            Request::TransfereePackage(_) | Request::TransfereePackageWithLeftOut(_) => {
                "Gathering the transferee package…"
            }
            Request::ExportTransfereePackage { .. } => "Exporting the transferee package…",
            Request::NaList { .. } | Request::NaCounts => "Reading the register…",
            Request::RegisterNa(_) => "Registering the association…",
            Request::ChangeNa { .. } => "Saving the entry…",
            Request::Interventions { .. } | Request::AwaitingDecision => {
                "Reading the interventions…"
            }
            Request::ViewIntervention(_) => "Opening the intervention…",
            Request::ProposeIntervention(_) => "Proposing the intervention…",
            Request::InterventionStep { .. } => "Saving the step…",
            Request::ExportIntervention { .. } => "Exporting the record…",
            Request::PreviewImport { .. } => "Reading the file…",
            Request::ImportFile { .. } | Request::ImportFtmFile { .. } => "Importing…",
            Request::CrossReference { .. } => "Cross-referencing…",
            Request::Leads => "Reading the leads…",
        }
    }

    /// Whether the status bar shows the request's [`label`](Request::label) with a spinner.
    /// Searches run as people type (no spinner for each), and the Imports area shows its own
    /// progress.
    #[must_use]
    pub fn shows_busy(&self) -> bool {
        !matches!(
            self,
            Request::Search { .. }
                | Request::PreviewImport { .. }
                | Request::ImportFile { .. }
                | Request::ImportFtmFile { .. }
                | Request::CrossReference { .. }
                | Request::Leads
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_label_is_words_ending_in_an_ellipsis() {
        let requests = [
            Request::ListUsers,
            Request::Rekey,
            Request::VerifyAudit,
            Request::Leads,
            Request::ControlStrategy,
        ];
        for request in requests {
            let label = request.label();
            assert!(label.ends_with('…'), "{label}");
            assert!(
                label.chars().next().is_some_and(char::is_uppercase),
                "{label}"
            );
        }
        assert!(Request::Rekey.shows_busy());
        assert!(!Request::Leads.shows_busy());
    }
}
