//! Read queries, available on an open store and inside a write transaction alike.

use super::attachments::{self, AttachmentInfo};
use super::{
    StoreError, bulk_records, crossref_facts, graph_source, intel_items, interventions, links,
    nominals, notifiable_associations, reference_versions, risk_records, search_index,
};
use crate::domain::{
    AttachmentId, IntelItem, IntelItemVersion, IntelQuery, IntelRow, ItemId, Link, Nominal,
    NominalDetails, NominalId, NominalKind, ReferenceData, SearchHit, SearchQuery, UserId,
};
use rusqlite::Connection;

/// A borrowed connection that only reads.
#[derive(Clone, Copy)]
pub struct StoreReader<'a> {
    conn: &'a Connection,
}

impl std::fmt::Debug for StoreReader<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("StoreReader")
    }
}

pub use super::nominals::NominalVersion;

impl<'a> StoreReader<'a> {
    pub(crate) fn new(conn: &'a Connection) -> Self {
        Self { conn }
    }

    /// The document saved for an import spec's name and version.
    ///
    /// # Errors
    /// SQL errors.
    pub fn import_spec_document(
        &self,
        name: &str,
        version: u32,
    ) -> Result<Option<String>, StoreError> {
        bulk_records::spec_document(self.conn, name, version)
    }

    /// Every saved import spec, by name then version.
    ///
    /// # Errors
    /// SQL errors.
    pub fn import_specs(&self) -> Result<Vec<bulk_records::SavedSpec>, StoreError> {
        bulk_records::specs(self.conn)
    }

    /// The earliest import of a file with this SHA-256 (hex).
    ///
    /// # Errors
    /// SQL errors.
    pub fn import_by_sha256(
        &self,
        sha256: &str,
        kind: &str,
        spec: Option<(&str, u32)>,
    ) -> Result<Option<bulk_records::EarlierImport>, StoreError> {
        bulk_records::import_by_sha256(self.conn, sha256, kind, spec)
    }

    /// The ids force systems give a nominal.
    ///
    /// # Errors
    /// SQL errors.
    pub fn external_ids_of(
        &self,
        nominal: crate::domain::NominalId,
    ) -> Result<Vec<super::ExternalId>, StoreError> {
        super::external_records::external_ids_of(self.conn, nominal)
    }

    /// Every case row with a matched victim.
    ///
    /// # Errors
    /// SQL errors; a malformed date.
    pub fn cases_with_victims(&self) -> Result<Vec<super::StoredCase>, StoreError> {
        super::external_records::cases_with_victims(self.conn)
    }

    /// Every command and control deployment row, in the order they happened.
    ///
    /// # Errors
    /// SQL errors; a malformed date of birth.
    pub fn deployments(&self) -> Result<Vec<super::StoredDeployment>, StoreError> {
        super::deployments::deployments(self.conn)
    }

    /// Each matched member of staff's current vetting record.
    ///
    /// # Errors
    /// SQL errors.
    pub fn current_vetting(
        &self,
    ) -> Result<Vec<(crate::domain::NominalId, crate::domain::VettingRecord)>, StoreError> {
        super::external_records::current_vetting(self.conn)
    }

    /// A member of staff's gifts and hospitality entries, oldest first.
    ///
    /// # Errors
    /// SQL errors; a malformed date.
    pub fn hospitality_of(
        &self,
        staff: crate::domain::NominalId,
    ) -> Result<Vec<crate::domain::GiftHospitality>, StoreError> {
        super::external_records::hospitality_of(self.conn, staff)
    }

    /// A member of staff's look-ups by system and month (`YYYY-MM`), oldest first.
    ///
    /// # Errors
    /// SQL errors.
    pub fn lookups_by_month(
        &self,
        staff: crate::domain::NominalId,
    ) -> Result<Vec<(String, String, u64)>, StoreError> {
        super::external_records::lookups_by_month(self.conn, staff)
    }

    /// Calls between a nominal's phones and phones used by OCG members or criminals.
    ///
    /// # Errors
    /// SQL errors.
    pub fn calls_with_watched(&self, nominal: crate::domain::NominalId) -> Result<u64, StoreError> {
        super::external_records::calls_with_watched(self.conn, nominal)
    }

    /// A member of staff's vetting records, oldest grant first.
    ///
    /// # Errors
    /// SQL errors.
    pub fn vetting_of(
        &self,
        staff: crate::domain::NominalId,
    ) -> Result<Vec<crate::domain::VettingRecord>, StoreError> {
        super::external_records::vetting_of(self.conn, staff)
    }

    /// What identifies the live nominals a bulk row can speak of.
    ///
    /// # Errors
    /// SQL errors; a nominal whose details do not parse.
    pub fn nominal_matcher(&self) -> Result<crate::domain::NominalMatcher, StoreError> {
        bulk_records::load_matcher(self.conn)
    }

    /// How many records of a bulk kind the workbench holds.
    ///
    /// # Errors
    /// SQL errors.
    pub fn bulk_record_count(&self, kind: crate::domain::ImportKind) -> Result<u64, StoreError> {
        bulk_records::count(self.conn, kind)
    }

    /// The facts the cross-reference engine decides on (all but the graph's routes).
    ///
    /// # Errors
    /// SQL errors.
    pub fn crossref_facts(&self) -> Result<crate::risk::crossref::CrossrefFacts, StoreError> {
        crossref_facts::gather(self.conn)
    }

    /// Every cross-reference lead kept, best first.
    ///
    /// # Errors
    /// SQL errors.
    pub fn leads(&self) -> Result<Vec<crossref_facts::StoredLead>, StoreError> {
        crossref_facts::leads(self.conn)
    }

    /// One lead.
    ///
    /// # Errors
    /// SQL errors.
    pub fn lead(
        &self,
        id: crate::domain::LeadId,
    ) -> Result<Option<crossref_facts::StoredLead>, StoreError> {
        crossref_facts::lead(self.conn, id)
    }

    /// The newest reference data version.
    ///
    /// # Errors
    /// SQL errors.
    pub fn latest_reference(&self) -> Result<Option<ReferenceData>, StoreError> {
        reference_versions::latest(self.conn)
    }

    /// A reference data version.
    ///
    /// # Errors
    /// SQL errors.
    pub fn reference(&self, version: u32) -> Result<Option<ReferenceData>, StoreError> {
        reference_versions::get(self.conn, version)
    }

    /// Every published version: number, when, by whom.
    ///
    /// # Errors
    /// SQL errors.
    pub fn reference_versions(&self) -> Result<Vec<(u32, String, Option<UserId>)>, StoreError> {
        reference_versions::list(self.conn)
    }

    /// # Errors
    /// SQL errors.
    pub fn item_by_reference(&self, reference: &str) -> Result<Option<IntelItem>, StoreError> {
        intel_items::by_reference(self.conn, reference)
    }

    /// # Errors
    /// SQL errors.
    pub fn item(&self, id: ItemId) -> Result<Option<IntelItem>, StoreError> {
        intel_items::by_id(self.conn, id)
    }

    /// # Errors
    /// SQL errors.
    pub fn item_history(&self, id: ItemId) -> Result<Vec<IntelItemVersion>, StoreError> {
        intel_items::history(self.conn, id)
    }

    /// # Errors
    /// SQL errors.
    pub fn intel_count(&self, query: &IntelQuery, viewer: UserId) -> Result<u64, StoreError> {
        intel_items::count(self.conn, query, viewer)
    }

    /// # Errors
    /// SQL errors.
    pub fn intel_page(
        &self,
        query: &IntelQuery,
        offset: u64,
        limit: usize,
        viewer: UserId,
    ) -> Result<Vec<IntelRow>, StoreError> {
        intel_items::page(self.conn, query, offset, limit, viewer)
    }

    /// Items concerning a nominal, with the nominal's role in each.
    ///
    /// # Errors
    /// SQL errors.
    pub fn items_for_nominal(
        &self,
        id: NominalId,
        limit: usize,
        viewer: UserId,
    ) -> Result<Vec<(IntelRow, String)>, StoreError> {
        intel_items::for_nominal(self.conn, id, limit, viewer)
    }

    /// The items `viewer` may not see (restricted to others).
    ///
    /// # Errors
    /// SQL errors.
    pub fn hidden_items(
        &self,
        viewer: UserId,
    ) -> Result<std::collections::HashSet<ItemId>, StoreError> {
        super::item_restrictions::hidden_items(self.conn, viewer)
    }

    /// The links whose only provenance is among `hidden` items.
    ///
    /// # Errors
    /// SQL errors.
    pub fn links_only_from(
        &self,
        hidden: &std::collections::HashSet<ItemId>,
    ) -> Result<std::collections::HashSet<crate::domain::LinkId>, StoreError> {
        super::item_restrictions::links_only_from(self.conn, hidden)
    }

    /// The users an item is restricted to (`None`: not restricted).
    ///
    /// # Errors
    /// SQL errors.
    pub fn item_restriction(&self, item: ItemId) -> Result<Option<Vec<UserId>>, StoreError> {
        super::item_restrictions::users_of(self.conn, item)
    }

    /// # Errors
    /// SQL errors.
    pub fn nominal(&self, id: NominalId) -> Result<Option<Nominal>, StoreError> {
        nominals::by_id(self.conn, id)
    }

    /// A nominal's display name as stored beside its details (kept in step on every write),
    /// without reading the details: what lists of many names need.
    ///
    /// # Errors
    /// SQL errors.
    pub fn nominal_display_name(&self, id: NominalId) -> Result<Option<String>, StoreError> {
        use rusqlite::OptionalExtension as _;
        Ok(self
            .conn
            .prepare_cached("SELECT display_name FROM nominals WHERE id = ?1")?
            .query_row([id.0], |row| row.get(0))
            .optional()?)
    }

    /// # Errors
    /// SQL errors.
    pub fn nominal_by_identity(
        &self,
        kind: NominalKind,
        key: &str,
    ) -> Result<Option<Nominal>, StoreError> {
        nominals::by_identity(self.conn, kind, key)
    }

    /// # Errors
    /// SQL errors.
    pub fn nominal_history(&self, id: NominalId) -> Result<Vec<NominalVersion>, StoreError> {
        nominals::history(self.conn, id)
    }

    /// # Errors
    /// SQL errors.
    pub fn duplicate_candidates(
        &self,
        details: &NominalDetails,
        limit: usize,
    ) -> Result<Vec<Nominal>, StoreError> {
        nominals::duplicate_candidates(self.conn, details, limit)
    }

    /// # Errors
    /// SQL errors.
    pub fn nominal_counts(&self) -> Result<Vec<(NominalKind, u64)>, StoreError> {
        nominals::counts(self.conn)
    }

    /// Intelligence received between `from` and `to` (both included), counted by category,
    /// source type, grading and status.
    ///
    /// # Errors
    /// SQL errors.
    pub fn intel_period_counts(
        &self,
        from: crate::domain::IsoDate,
        to: crate::domain::IsoDate,
    ) -> Result<crate::risk::threat_assessment::PeriodCounts, StoreError> {
        super::threat_figures::intel_period_counts(self.conn, from, to)
    }

    /// Interventions proposed between `from` and `to` (both included), by outcome.
    ///
    /// # Errors
    /// SQL errors.
    pub fn interventions_by_outcome(
        &self,
        from: crate::domain::IsoDate,
        to: crate::domain::IsoDate,
    ) -> Result<std::collections::BTreeMap<String, u64>, StoreError> {
        super::threat_figures::interventions_by_outcome(self.conn, from, to)
    }

    /// Performance reviews, sickness absences and complaints imported against a member of
    /// staff, oldest first.
    ///
    /// # Errors
    /// SQL errors.
    pub fn workforce_records_of(
        &self,
        staff: crate::domain::NominalId,
    ) -> Result<Vec<crate::domain::WorkforceRecord>, StoreError> {
        super::bulk_records::workforce_records_of(self.conn, staff)
    }

    /// Conduct outcomes, oldest first: one member of staff's (by nominal, or by staff number
    /// for a row no nominal matched), or everyone's.
    ///
    /// # Errors
    /// SQL errors.
    pub fn conduct_outcomes(
        &self,
        staff: Option<(Option<crate::domain::NominalId>, &str)>,
    ) -> Result<Vec<crate::domain::ConductOutcome>, StoreError> {
        super::bulk_records::conduct_outcomes(self.conn, staff)
    }

    /// The business interests registered against a member of staff.
    ///
    /// # Errors
    /// SQL errors.
    pub fn business_interests_of(
        &self,
        staff: NominalId,
    ) -> Result<Vec<crate::domain::BusinessInterest>, StoreError> {
        super::bulk_records::business_interests_of(self.conn, staff)
    }

    /// The control strategy, in order.
    ///
    /// # Errors
    /// SQL errors.
    pub fn control_strategy(
        &self,
    ) -> Result<Vec<crate::risk::threat_assessment::ControlStrategyRow>, StoreError> {
        super::threat_figures::control_strategy(self.conn)
    }

    /// Every version of the analyst's text for exactly the period `from`–`to`, newest first.
    ///
    /// # Errors
    /// SQL errors; [`StoreError::Damaged`] if a stored text cannot be read.
    pub fn assessment_text_versions(
        &self,
        from: crate::domain::IsoDate,
        to: crate::domain::IsoDate,
    ) -> Result<Vec<crate::risk::threat_assessment::AssessmentTextVersion>, StoreError> {
        super::threat_figures::assessment_text_versions(self.conn, from, to)
    }

    /// The newest version of the analyst's text for exactly the period `from`–`to`, if any.
    ///
    /// # Errors
    /// SQL errors; [`StoreError::Damaged`] if the stored text cannot be read.
    pub fn newest_assessment_text(
        &self,
        from: crate::domain::IsoDate,
        to: crate::domain::IsoDate,
    ) -> Result<Option<crate::risk::threat_assessment::AssessmentTextVersion>, StoreError> {
        super::threat_figures::newest_assessment_text(self.conn, from, to)
    }

    /// Every live (unmerged) nominal, by id.
    ///
    /// # Errors
    /// SQL errors.
    pub fn live_nominals(&self) -> Result<Vec<Nominal>, StoreError> {
        nominals::all_live(self.conn)
    }

    /// Every link between live nominals, by id, without its sources.
    ///
    /// # Errors
    /// SQL errors.
    pub fn live_links(&self) -> Result<Vec<Link>, StoreError> {
        links::between_live(self.conn)
    }

    /// # Errors
    /// SQL errors.
    pub fn links_for_nominal(&self, id: NominalId) -> Result<Vec<Link>, StoreError> {
        links::for_nominal(self.conn, id)
    }

    /// # Errors
    /// SQL errors.
    pub fn attachments(&self, item: ItemId) -> Result<Vec<AttachmentInfo>, StoreError> {
        attachments::for_item(self.conn, item)
    }

    /// # Errors
    /// SQL errors.
    pub fn attachment(
        &self,
        id: AttachmentId,
    ) -> Result<Option<(AttachmentInfo, Vec<u8>)>, StoreError> {
        attachments::content(self.conn, id)
    }

    /// # Errors
    /// SQL errors.
    pub fn search(&self, query: &SearchQuery) -> Result<Vec<SearchHit>, StoreError> {
        search_index::search(self.conn, query)
    }

    /// Every live nominal as a graph node.
    ///
    /// # Errors
    /// SQL errors.
    pub fn graph_nodes(&self) -> Result<Vec<crate::graph::GraphNode>, StoreError> {
        graph_source::nodes(self.conn)
    }

    /// Every link as a graph edge, with its provenance counted when `count_sources`.
    ///
    /// # Errors
    /// SQL errors.
    pub fn graph_edges(
        &self,
        count_sources: bool,
    ) -> Result<Vec<crate::graph::GraphEdge>, StoreError> {
        graph_source::edges(self.conn, count_sources)
    }

    /// Every link as a graph edge, handed to `sink` in batches as it is read (so a graph can be
    /// built on another thread meanwhile), with its provenance counted when `count_sources`.
    ///
    /// # Errors
    /// SQL errors.
    pub fn graph_edges_in_batches(
        &self,
        count_sources: bool,
        sink: &mut dyn FnMut(Vec<crate::graph::GraphEdge>),
    ) -> Result<(), StoreError> {
        graph_source::edges_in_batches(self.conn, count_sources, sink)
    }

    /// An upper bound of the number of links (the largest link id), cheap to ask, for sizing a
    /// graph before its links are read.
    ///
    /// # Errors
    /// SQL errors.
    pub fn graph_edge_bound(&self) -> Result<usize, StoreError> {
        graph_source::link_id_bound(self.conn)
    }

    /// A saved chart.
    ///
    /// # Errors
    /// SQL errors; a damaged chart.
    pub fn chart(&self, name: &str) -> Result<Option<crate::graph::SavedChart>, StoreError> {
        graph_source::chart(self.conn, name)
    }

    /// Saved charts: name and when last saved.
    ///
    /// # Errors
    /// SQL errors.
    pub fn chart_names(&self) -> Result<Vec<(String, String)>, StoreError> {
        graph_source::chart_names(self.conn)
    }

    /// The graph path an item was recorded from.
    ///
    /// # Errors
    /// SQL errors.
    pub fn item_graph_path(
        &self,
        item: ItemId,
    ) -> Result<Option<crate::graph::GraphPath>, StoreError> {
        graph_source::item_path(self.conn, item)
    }

    /// The newest version number of an instrument, if it has any.
    ///
    /// # Errors
    /// SQL errors.
    pub fn latest_instrument_version(&self, key: &str) -> Result<Option<u32>, StoreError> {
        risk_records::latest_version(self.conn, key)
    }

    /// A version of an instrument (the newest when `version` is `None`), with the id of its row
    /// (what an assessment refers to).
    ///
    /// # Errors
    /// SQL errors; a damaged definition.
    pub fn instrument(
        &self,
        key: &str,
        version: Option<u32>,
    ) -> Result<Option<(i64, crate::risk::Instrument)>, StoreError> {
        risk_records::instrument(self.conn, key, version)
    }

    /// Every stored instrument version, by key then version.
    ///
    /// # Errors
    /// SQL errors; a damaged definition.
    pub fn instrument_versions(
        &self,
    ) -> Result<Vec<crate::risk::InstrumentVersionInfo>, StoreError> {
        risk_records::versions(self.conn)
    }

    /// One saved assessment.
    ///
    /// # Errors
    /// SQL errors; a damaged record.
    pub fn assessment(
        &self,
        id: crate::domain::AssessmentId,
    ) -> Result<Option<crate::risk::AssessmentRecord>, StoreError> {
        risk_records::assessment(self.conn, id)
    }

    /// Beacon screening of the workforce (or of `scope`, one member of staff) as `viewer`
    /// sees the data: every finding, best first, and what was read.
    ///
    /// # Errors
    /// SQL errors.
    pub fn beacon_screen(
        &self,
        viewer: UserId,
        scope: Option<crate::domain::NominalId>,
    ) -> Result<
        (
            Vec<crate::risk::beacon_screen::BeaconFinding>,
            super::beacon_facts::ScreeningCounts,
        ),
        StoreError,
    > {
        super::beacon_facts::screen(self.conn, viewer, scope)
    }

    /// Evidence rows in words, for an opened finding.
    ///
    /// # Errors
    /// SQL errors.
    pub fn beacon_evidence(
        &self,
        evidence: &[crate::risk::beacon_screen::EvidenceRow],
    ) -> Result<Vec<super::beacon_facts::EvidenceDetail>, StoreError> {
        super::beacon_facts::evidence_details(self.conn, evidence)
    }

    /// A subject's assessments, oldest first.
    ///
    /// # Errors
    /// SQL errors; a damaged record.
    pub fn assessments_of(
        &self,
        subject: NominalId,
    ) -> Result<Vec<crate::risk::AssessmentRecord>, StoreError> {
        risk_records::assessments_of(self.conn, subject)
    }

    /// Every assessment under any version of instrument `key`, by subject, oldest first.
    ///
    /// # Errors
    /// SQL errors; a damaged record.
    pub fn assessments_under(
        &self,
        key: &str,
    ) -> Result<Vec<crate::risk::AssessmentRecord>, StoreError> {
        risk_records::assessments_under(self.conn, key)
    }

    /// One register entry.
    ///
    /// # Errors
    /// SQL errors; a damaged record.
    pub fn notifiable_association(
        &self,
        id: crate::domain::NotifiableAssociationId,
    ) -> Result<Option<crate::domain::NotifiableAssociation>, StoreError> {
        notifiable_associations::get(self.conn, id)
    }

    /// Every register entry, oldest first.
    ///
    /// # Errors
    /// SQL errors; a damaged record.
    pub fn notifiable_associations(
        &self,
    ) -> Result<Vec<crate::domain::NotifiableAssociation>, StoreError> {
        notifiable_associations::all(self.conn)
    }

    /// The live entry for this pair, if any.
    ///
    /// # Errors
    /// SQL errors.
    pub fn live_association(
        &self,
        employee: NominalId,
        associate: NominalId,
    ) -> Result<Option<crate::domain::NotifiableAssociationId>, StoreError> {
        notifiable_associations::live_for_pair(self.conn, employee, associate)
    }

    /// Live register entries by category code, largest first.
    ///
    /// # Errors
    /// SQL errors.
    pub fn live_association_counts(&self) -> Result<Vec<(String, usize)>, StoreError> {
        notifiable_associations::live_counts(self.conn)
    }

    /// For each subject removed from the Beacon cohort on or before `as_of`, the assessment the
    /// removal came after.
    ///
    /// # Errors
    /// SQL errors.
    pub fn beacon_removals(
        &self,
        as_of: crate::domain::IsoDate,
    ) -> Result<
        std::collections::HashMap<crate::domain::NominalId, crate::domain::AssessmentId>,
        StoreError,
    > {
        risk_records::beacon_removals(self.conn, as_of)
    }

    /// Each Beacon subject's latest IOPC referral decision.
    ///
    /// # Errors
    /// SQL errors.
    pub fn iopc_decisions(
        &self,
    ) -> Result<
        std::collections::HashMap<crate::domain::NominalId, crate::risk::IopcDecision>,
        StoreError,
    > {
        risk_records::iopc_decisions(self.conn)
    }

    /// Employees due a Beacon assessment: (subject, item, received on, last assessment).
    ///
    /// # Errors
    /// SQL errors.
    pub fn beacon_due(
        &self,
        beacon_key: &str,
    ) -> Result<Vec<risk_records::BeaconDueRow>, StoreError> {
        risk_records::beacon_due(self.conn, beacon_key)
    }

    /// An item's priority scores, oldest first.
    ///
    /// # Errors
    /// SQL errors; a damaged record.
    pub fn item_priorities(
        &self,
        item: crate::domain::ItemId,
        reference: &str,
    ) -> Result<Vec<crate::risk::ItemPriority>, StoreError> {
        risk_records::item_priorities(self.conn, item, reference)
    }

    /// People flagged vulnerable, journalist or private investigator, for a chart's markers.
    ///
    /// # Errors
    /// SQL errors.
    pub fn chart_flags(
        &self,
    ) -> Result<
        std::collections::HashMap<
            crate::domain::NominalId,
            crate::graph::chart_formatting::NodeFlags,
        >,
        StoreError,
    > {
        super::graph_source::chart_flags(self.conn)
    }

    /// Employees recorded as police staff, for a chart's icons.
    ///
    /// # Errors
    /// SQL errors.
    pub fn police_staff(
        &self,
    ) -> Result<std::collections::HashSet<crate::domain::NominalId>, StoreError> {
        super::graph_source::police_staff(self.conn)
    }

    /// What the exposure finder needs beyond the graph (journalists, private investigators,
    /// since when flagged nominals carry their flags).
    ///
    /// # Errors
    /// SQL errors.
    pub fn exposure_context(&self) -> Result<crate::graph::ExposureContext, StoreError> {
        let mut context = super::graph_source::exposure_context(self.conn)?;
        // Words for the link types and confidences the reasons name, from the reference data.
        if let Some(reference) = self.latest_reference()? {
            for list_name in [
                crate::domain::list::LINK_TYPE,
                crate::domain::list::LINK_CONFIDENCE,
            ] {
                for code in reference.codes(list_name) {
                    context.labels.insert(code.code.clone(), code.label.clone());
                }
            }
        }
        Ok(context)
    }

    /// Live register entries by relationship (`not_recorded` where none was given).
    ///
    /// # Errors
    /// SQL errors.
    pub fn live_association_counts_by_relationship(
        &self,
    ) -> Result<Vec<(String, usize)>, StoreError> {
        notifiable_associations::live_counts_by_relationship(self.conn)
    }

    /// A register entry's reviews, oldest first, with the reviewers' names.
    ///
    /// # Errors
    /// SQL errors; a damaged record.
    pub fn na_reviews(
        &self,
        id: crate::domain::NotifiableAssociationId,
    ) -> Result<Vec<crate::domain::NaReview>, StoreError> {
        notifiable_associations::reviews(self.conn, id)
    }

    /// Register entries live on `date`, by category.
    ///
    /// # Errors
    /// SQL errors.
    pub fn live_association_counts_on(
        &self,
        date: crate::domain::IsoDate,
    ) -> Result<Vec<(String, usize)>, StoreError> {
        notifiable_associations::live_counts_on(self.conn, date)
    }

    /// Every earlier version of a register entry, oldest first.
    ///
    /// # Errors
    /// SQL errors; a damaged record.
    pub fn notifiable_association_history(
        &self,
        id: crate::domain::NotifiableAssociationId,
    ) -> Result<Vec<crate::domain::NaVersion>, StoreError> {
        notifiable_associations::history(self.conn, id)
    }

    /// One management intervention with its steps.
    ///
    /// # Errors
    /// SQL errors; a damaged record.
    pub fn intervention(
        &self,
        id: crate::domain::InterventionId,
    ) -> Result<Option<crate::domain::ManagementIntervention>, StoreError> {
        interventions::get(self.conn, id)
    }

    /// Every management intervention (in `state`, if given), newest first.
    ///
    /// # Errors
    /// SQL errors; a damaged record.
    pub fn interventions(
        &self,
        state: Option<crate::domain::InterventionState>,
    ) -> Result<Vec<crate::domain::ManagementIntervention>, StoreError> {
        interventions::list(self.conn, state)
    }

    /// The names of users by id (owners and authors in records).
    ///
    /// # Errors
    /// SQL errors.
    pub fn user_names(&self) -> Result<std::collections::HashMap<UserId, String>, StoreError> {
        let mut stmt = self.conn.prepare_cached("SELECT id, name FROM users")?;
        let rows = stmt.query_map([], |row| Ok((UserId(row.get(0)?), row.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
