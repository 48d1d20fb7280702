//! One write transaction, with the audit entries that record it.

use super::StoreError;
use super::audit_log::{self, AuditSigner};
use super::links::ResolvedSource;
use super::now_utc_rfc3339;
use super::role_grants;
use super::store_reader::StoreReader;
use super::users::{self, StoredUser};
use super::{
    attachments, bulk_records, crossref_facts, graph_source, imports, intel_items, interventions,
    links, nominals, notifiable_associations, reference_versions, risk_records,
};
use crate::crypto::{SigningPublicKey, SlotId};
use crate::domain::{
    AttachmentId, AuditHash, ImportId, IntelItem, IntelItemFields, ItemId, LinkFields, LinkId,
    NewAuditEntry, Nominal, NominalDetails, NominalId, ReferenceData, Role, SignedGrant, UserId,
};
use rusqlite::Transaction;

/// Who is acting, and why: stamped on every audit entry of a transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user_id: Option<UserId>,
    pub user_name: String,
    /// The session's current purpose: the justification for consultation and disclosure.
    pub justification: String,
}

impl Actor {
    /// Used when no user is identified (ingesting failed-login records before the login entry).
    #[must_use]
    pub fn system() -> Self {
        Self {
            user_id: None,
            user_name: String::from("(system)"),
            justification: String::new(),
        }
    }
}

/// A write transaction in progress. Dropped without `commit`, it rolls back.
pub struct StoreTx<'a> {
    tx: Transaction<'a>,
    actor: Actor,
    genesis: AuditHash,
    /// Signs the head the transaction leaves, when it appended entries.
    signer: Option<&'a AuditSigner>,
    workbench_id: &'a str,
    head: Option<(i64, AuditHash)>,
    /// The first entry this transaction appended.
    first_appended: Option<i64>,
    /// Whether nominals or links were written (a loaded link graph is then out of date).
    graph_changed: bool,
}

impl std::fmt::Debug for StoreTx<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoreTx").finish_non_exhaustive()
    }
}

impl<'a> StoreTx<'a> {
    pub(crate) fn new(
        tx: Transaction<'a>,
        actor: &Actor,
        genesis: AuditHash,
        signer: Option<&'a AuditSigner>,
        workbench_id: &'a str,
    ) -> Self {
        Self {
            tx,
            actor: actor.clone(),
            genesis,
            signer,
            workbench_id,
            head: None,
            first_appended: None,
            graph_changed: false,
        }
    }

    /// Signs the head the transaction's entries left (one signature per commit, however many
    /// entries), then commits; returns whether nominals or links changed.
    pub(crate) fn commit(self) -> Result<bool, StoreError> {
        if let (Some(signer), Some(head), Some(first)) =
            (self.signer, self.head, self.first_appended)
        {
            audit_log::sign_commit(&self.tx, signer, self.workbench_id, first, head)?;
        }
        self.tx.commit()?;
        Ok(self.graph_changed)
    }

    /// The id the next role grant gets (it is part of what is signed).
    ///
    /// # Errors
    /// SQL errors.
    pub fn next_grant_id(&self) -> Result<i64, StoreError> {
        role_grants::next_id(&self.tx)
    }

    /// Stores a signed role grant.
    ///
    /// # Errors
    /// SQL errors.
    pub fn insert_grant(&mut self, grant: &SignedGrant) -> Result<(), StoreError> {
        role_grants::insert(&self.tx, grant)
    }

    /// Every role grant, in order, and the ids of rows that do not parse.
    ///
    /// # Errors
    /// SQL errors.
    pub fn all_grants(&self) -> Result<(Vec<SignedGrant>, Vec<i64>), StoreError> {
        role_grants::all(&self.tx)
    }

    /// Records that entries are signed from `first_seq` on, under `root_key` (switching
    /// signing on for a workbench made before it).
    ///
    /// # Errors
    /// SQL errors.
    pub fn enable_signing(
        &mut self,
        root_key: &SigningPublicKey,
        first_seq: i64,
    ) -> Result<(), StoreError> {
        for (key, value) in [
            ("root_signing_key", root_key.to_hex()),
            ("signed_from_seq", first_seq.to_string()),
        ] {
            self.tx.execute(
                "INSERT INTO workbench_meta (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )?;
        }
        Ok(())
    }

    /// The user the transaction acts as (`None` for the system).
    #[must_use]
    pub fn actor_user(&self) -> Option<UserId> {
        self.actor.user_id
    }

    /// Restricts an item to `users` (replacing an earlier list); the loaded graph is then out of
    /// date for the others.
    ///
    /// # Errors
    /// SQL errors.
    pub fn restrict_item(&mut self, item: ItemId, users: &[UserId]) -> Result<(), StoreError> {
        let by = self.actor_id()?;
        super::item_restrictions::restrict(&self.tx, item, users, by, &now_utc_rfc3339())?;
        self.graph_changed = true;
        Ok(())
    }

    /// Lifts an item's restriction; whether there was one.
    ///
    /// # Errors
    /// SQL errors.
    pub fn unrestrict_item(&mut self, item: ItemId) -> Result<bool, StoreError> {
        let lifted = super::item_restrictions::unrestrict(&self.tx, item)?;
        self.graph_changed = true;
        Ok(lifted)
    }

    /// Sets (or with `None` removes) a `workbench_meta` value.
    ///
    /// # Errors
    /// SQL errors.
    pub fn set_meta(&mut self, key: &str, value: Option<&str>) -> Result<(), StoreError> {
        match value {
            Some(value) => self.tx.execute(
                "INSERT INTO workbench_meta (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )?,
            None => self
                .tx
                .execute("DELETE FROM workbench_meta WHERE key = ?1", [key])?,
        };
        Ok(())
    }

    /// Whether the chain holds entry `seq` with `hash`.
    ///
    /// # Errors
    /// SQL errors.
    pub fn audit_contains(&self, seq: i64, hash: &AuditHash) -> Result<bool, StoreError> {
        audit_log::contains(&self.tx, seq, hash)
    }

    /// The sequence number the next audit entry will get.
    ///
    /// # Errors
    /// SQL errors.
    pub fn next_audit_seq(&self) -> Result<i64, StoreError> {
        let head = match self.head {
            Some(head) => head,
            None => audit_log::head(&self.tx, &self.genesis)?.as_pair(),
        };
        Ok(head.0 + 1)
    }

    /// Appends an entry to the audit chain, as the transaction's actor.
    ///
    /// # Errors
    /// SQL errors.
    pub fn audit(&mut self, entry: NewAuditEntry) -> Result<i64, StoreError> {
        let actor = self.actor.clone();
        self.audit_as(&actor, &now_utc_rfc3339(), entry)
    }

    /// Appends an entry with an explicit actor and time (a failed login recorded later keeps the
    /// time of the attempt and what was typed as the name).
    ///
    /// # Errors
    /// SQL errors.
    pub fn audit_as(
        &mut self,
        actor: &Actor,
        at_utc: &str,
        entry: NewAuditEntry,
    ) -> Result<i64, StoreError> {
        let head = match self.head {
            Some(head) => head,
            None => audit_log::head(&self.tx, &self.genesis)?.as_pair(),
        };
        let (seq, hash) = audit_log::append(&self.tx, head, actor, at_utc, entry)?;
        self.head = Some((seq, hash));
        self.first_appended.get_or_insert(seq);
        Ok(seq)
    }

    /// Adds a user; returns their id.
    ///
    /// # Errors
    /// [`StoreError::Conflict`] if an active user already has that name; SQL errors.
    pub fn insert_user(
        &mut self,
        name: &str,
        role: Role,
        slot_id: SlotId,
        public_key: &[u8; 32],
    ) -> Result<UserId, StoreError> {
        users::insert(
            &self.tx,
            name,
            role,
            slot_id,
            public_key,
            self.actor.user_id,
        )
    }

    /// The active user with this name (case-insensitive).
    ///
    /// # Errors
    /// SQL errors.
    pub fn active_user_by_name(&self, name: &str) -> Result<Option<StoredUser>, StoreError> {
        users::active_by_name(&self.tx, name)
    }

    /// Every user, active and removed.
    ///
    /// # Errors
    /// SQL errors.
    pub fn all_users(&self) -> Result<Vec<StoredUser>, StoreError> {
        users::all(&self.tx)
    }

    /// Marks a user removed (they stay in the table for the audit trail).
    ///
    /// # Errors
    /// SQL errors.
    pub fn remove_user(&mut self, id: UserId) -> Result<(), StoreError> {
        users::mark_removed(&self.tx, id, self.actor.user_id)
    }

    /// Points a user at a new key slot (after an inspector's password reset).
    ///
    /// # Errors
    /// SQL errors.
    pub fn replace_user_slot(
        &mut self,
        id: UserId,
        slot_id: SlotId,
        public_key: &[u8; 32],
    ) -> Result<(), StoreError> {
        users::replace_slot(&self.tx, id, slot_id, public_key)
    }

    /// Records that a failed-login record was ingested; false if it already was.
    ///
    /// # Errors
    /// SQL errors.
    pub fn mark_failed_login_ingested(&mut self, record_id: &str) -> Result<bool, StoreError> {
        let inserted = self.tx.execute(
            "INSERT OR IGNORE INTO ingested_failed_logins (record_id) VALUES (?1)",
            [record_id],
        )?;
        Ok(inserted == 1)
    }

    /// Read queries inside this transaction (they see its uncommitted changes).
    #[must_use]
    pub fn reader(&self) -> StoreReader<'_> {
        StoreReader::new(&self.tx)
    }

    fn actor_id(&self) -> Result<UserId, StoreError> {
        self.actor.user_id.ok_or(StoreError::Conflict(
            "records are written by a signed-in user",
        ))
    }

    /// Stores a new reference data version (numbered one more than the newest).
    ///
    /// # Errors
    /// [`StoreError::Conflict`] for a wrong version number; SQL errors.
    pub fn insert_reference_version(&mut self, data: &ReferenceData) -> Result<(), StoreError> {
        reference_versions::insert(&self.tx, data, self.actor.user_id)
    }

    /// Inserts a new item (validated by the caller) and returns its id and reference.
    ///
    /// # Errors
    /// [`StoreError::Missing`] if a subject nominal does not exist; SQL errors.
    pub fn insert_item(
        &mut self,
        fields: &IntelItemFields,
        reference_version: u32,
        status: &str,
        owner: UserId,
        recorded_year: i32,
    ) -> Result<(ItemId, String), StoreError> {
        let by = self.actor_id()?;
        intel_items::insert(
            &self.tx,
            fields,
            reference_version,
            status,
            owner,
            by,
            recorded_year,
        )
    }

    /// Replaces an item's fields, archiving `previous`.
    ///
    /// # Errors
    /// [`StoreError::Conflict`] if the item changed since `previous` was read; SQL errors.
    pub fn update_item(
        &mut self,
        previous: &IntelItem,
        fields: &IntelItemFields,
        reference_version: u32,
        change: &str,
    ) -> Result<(), StoreError> {
        let by = self.actor_id()?;
        intel_items::update_fields(&self.tx, previous, fields, reference_version, by, change)
    }

    /// Moves an item to a new status, archiving `previous`.
    ///
    /// # Errors
    /// As [`StoreTx::update_item`].
    pub fn set_item_status(
        &mut self,
        previous: &IntelItem,
        status: &str,
        change: &str,
    ) -> Result<(), StoreError> {
        let by = self.actor_id()?;
        intel_items::set_status(&self.tx, previous, status, by, change)
    }

    /// Inserts a nominal (validated by the caller).
    ///
    /// # Errors
    /// [`StoreError::Conflict`] if its identity key is taken; SQL errors.
    pub fn insert_nominal(&mut self, details: &NominalDetails) -> Result<NominalId, StoreError> {
        let by = self.actor_id()?;
        self.graph_changed = true;
        nominals::insert(&self.tx, details, by)
    }

    /// Replaces a nominal's details, archiving `previous`.
    ///
    /// # Errors
    /// As [`StoreTx::insert_nominal`], or a concurrent change.
    pub fn update_nominal(
        &mut self,
        previous: &Nominal,
        details: &NominalDetails,
    ) -> Result<(), StoreError> {
        let by = self.actor_id()?;
        self.graph_changed = true;
        nominals::update(&self.tx, previous, details, by)
    }

    /// Merges `merged` into `kept`.
    ///
    /// # Errors
    /// SQL errors.
    pub fn merge_nominals(&mut self, kept: &Nominal, merged: &Nominal) -> Result<(), StoreError> {
        let by = self.actor_id()?;
        self.graph_changed = true;
        nominals::merge(&self.tx, kept, merged, by)
    }

    /// Saves a chart under its name (replacing one of that name); returns its id.
    ///
    /// # Errors
    /// SQL errors.
    pub fn save_chart(&mut self, chart: &crate::graph::SavedChart) -> Result<i64, StoreError> {
        let by = self.actor_id()?;
        graph_source::save_chart(&self.tx, chart, by)
    }

    /// Deletes a saved chart; whether it existed.
    ///
    /// # Errors
    /// SQL errors.
    pub fn delete_chart(&mut self, name: &str) -> Result<bool, StoreError> {
        graph_source::delete_chart(&self.tx, name)
    }

    /// Records the graph path an item was recorded from.
    ///
    /// # Errors
    /// SQL errors (an unknown nominal or link).
    pub fn insert_item_graph_path(
        &mut self,
        item: ItemId,
        path: &crate::graph::GraphPath,
    ) -> Result<(), StoreError> {
        graph_source::insert_item_path(&self.tx, item, path)
    }

    /// Inserts a link after checking its nominals and sources exist.
    ///
    /// # Errors
    /// [`StoreError::Missing`]; SQL errors.
    pub fn insert_link(
        &mut self,
        fields: &LinkFields,
        directed: bool,
        reference_version: u32,
    ) -> Result<LinkId, StoreError> {
        let by = self.actor_id()?;
        self.graph_changed = true;
        links::insert(&self.tx, fields, directed, reference_version, by)
    }

    /// Inserts a link whose nominals and sources the caller created in this transaction.
    ///
    /// # Errors
    /// SQL errors.
    pub fn insert_link_resolved(
        &mut self,
        fields: &LinkFields,
        directed: bool,
        reference_version: u32,
        sources: &[ResolvedSource],
    ) -> Result<LinkId, StoreError> {
        let by = self.actor_id()?;
        self.graph_changed = true;
        links::insert_resolved(&self.tx, fields, directed, reference_version, by, sources)
    }

    /// Records a link an import names: a link already recorded with the same type, ends and
    /// dates gains the import as a further source (returns `false`) rather than being
    /// recorded twice; otherwise the link is inserted with the import as its source (`true`).
    ///
    /// # Errors
    /// SQL errors.
    pub fn record_imported_link(
        &mut self,
        fields: &LinkFields,
        directed: bool,
        reference_version: u32,
        import: crate::domain::ImportId,
    ) -> Result<bool, StoreError> {
        if let Some(existing) = links::find_same(&self.tx, fields, directed)? {
            links::add_import_source(&self.tx, existing, import)?;
            return Ok(false);
        }
        self.insert_link_resolved(
            fields,
            directed,
            reference_version,
            &[ResolvedSource::Import(import)],
        )?;
        Ok(true)
    }

    /// Stores an attachment's content inside the store.
    ///
    /// # Errors
    /// SQL errors.
    pub fn insert_attachment(
        &mut self,
        item: ItemId,
        file_name: &str,
        media_type: &str,
        content: &[u8],
        sha256: &str,
    ) -> Result<AttachmentId, StoreError> {
        let by = self.actor_id()?;
        attachments::insert(&self.tx, item, file_name, media_type, content, sha256, by)
    }

    /// Records an import (or demo generation).
    ///
    /// # Errors
    /// SQL errors.
    pub fn insert_import(
        &mut self,
        kind: &str,
        source_name: &str,
        sha256: Option<&str>,
        detail: &str,
    ) -> Result<ImportId, StoreError> {
        let by = self.actor_id()?;
        imports::insert(&self.tx, kind, source_name, sha256, 0, detail, by)
    }

    /// Saves an import spec's document under its name and version.
    ///
    /// # Errors
    /// SQL errors (a name and version saved twice is a constraint error; check first).
    pub fn insert_import_spec(
        &mut self,
        name: &str,
        version: u32,
        kind: crate::domain::ImportKind,
        document: &str,
    ) -> Result<(), StoreError> {
        let by = self.actor_id()?;
        bulk_records::insert_spec(&self.tx, name, version, kind, document, by)
    }

    /// Writes a batch of bulk records of an import, each with the nominals it was matched to.
    ///
    /// # Errors
    /// SQL errors.
    pub fn insert_bulk_records(
        &mut self,
        import: ImportId,
        rows: &[(&crate::domain::BulkRecord, &bulk_records::RecordMatch)],
    ) -> Result<(), StoreError> {
        bulk_records::insert_records(&self.tx, import, rows)
    }

    /// Stores a conduct outcome typed in (validated by the caller), matched to the member of
    /// staff's nominal where the workbench has one.
    ///
    /// # Errors
    /// SQL errors.
    pub fn insert_conduct_outcome(
        &mut self,
        outcome: &crate::domain::ConductOutcome,
        staff: Option<crate::domain::NominalId>,
    ) -> Result<(), StoreError> {
        let by = self.actor_id()?;
        bulk_records::insert_conduct_outcome(&self.tx, None, outcome, staff, Some(by))
    }

    /// Writes one bulk record of an import, with the nominals it was matched to.
    ///
    /// # Errors
    /// SQL errors.
    pub fn insert_bulk_record(
        &mut self,
        import: ImportId,
        record: &crate::domain::BulkRecord,
        matched: &bulk_records::RecordMatch,
    ) -> Result<(), StoreError> {
        bulk_records::insert_record(&self.tx, import, record, matched)
    }

    /// Records what a finished bulk import read: the file's SHA-256, the rows, the detail.
    ///
    /// # Errors
    /// SQL errors.
    pub fn finish_import(
        &mut self,
        id: ImportId,
        sha256: &str,
        rows: u64,
        detail: &str,
    ) -> Result<(), StoreError> {
        imports::finish(&self.tx, id, sha256, rows, detail)
    }

    /// Records the spec an import was read with (what "already imported" compares).
    ///
    /// # Errors
    /// SQL errors.
    pub fn set_import_spec(
        &mut self,
        id: ImportId,
        name: &str,
        version: u32,
    ) -> Result<(), StoreError> {
        self.tx.execute(
            "UPDATE imports SET spec_name = ?2, spec_version = ?3 WHERE id = ?1",
            rusqlite::params![id.0, name, version],
        )?;
        Ok(())
    }

    /// Records an id a force system gives a nominal (kept with the nominal that has it if the
    /// system's id is taken); whether it was added.
    ///
    /// # Errors
    /// SQL errors.
    pub fn add_external_id(
        &mut self,
        nominal: crate::domain::NominalId,
        system: &str,
        id: &str,
        import: Option<ImportId>,
    ) -> Result<bool, StoreError> {
        super::external_records::add_external_id(&self.tx, nominal, system, id, import)
    }

    /// Replaces the control strategy with `rows`, in their order.
    ///
    /// # Errors
    /// SQL errors.
    pub fn replace_control_strategy(
        &mut self,
        rows: &[crate::risk::threat_assessment::ControlStrategyRow],
    ) -> Result<(), StoreError> {
        super::threat_figures::replace_control_strategy(&self.tx, rows)
    }

    /// Adds version `version` of the analyst's text for the period, written by the actor now.
    ///
    /// # Errors
    /// [`StoreError::Conflict`] for the system actor; SQL errors (a version already saved is a
    /// constraint error).
    pub fn insert_assessment_text(
        &mut self,
        from: crate::domain::IsoDate,
        to: crate::domain::IsoDate,
        version: u32,
        text: &crate::risk::threat_assessment::AssessmentText,
    ) -> Result<(), StoreError> {
        let by = self.actor_id()?;
        super::threat_figures::insert_assessment_text(
            &self.tx,
            from,
            to,
            version,
            text,
            by,
            &now_utc_rfc3339(),
        )
    }

    /// Keeps a cross-reference lead (the same fingerprint updates it); returns its id.
    ///
    /// # Errors
    /// SQL errors.
    pub fn upsert_lead(
        &mut self,
        lead: &crate::risk::crossref::FoundLead,
        explanation: &[String],
    ) -> Result<crate::domain::LeadId, StoreError> {
        crossref_facts::upsert_lead(&self.tx, lead, explanation)
    }

    /// Records the item a lead was promoted to.
    ///
    /// # Errors
    /// SQL errors.
    pub fn set_lead_promoted(
        &mut self,
        lead: crate::domain::LeadId,
        item: ItemId,
    ) -> Result<(), StoreError> {
        crossref_facts::set_promoted(&self.tx, lead, item)
    }

    /// Sets an import's row count once it has finished.
    ///
    /// # Errors
    /// SQL errors.
    pub fn set_import_rows(&mut self, id: ImportId, rows: u64) -> Result<(), StoreError> {
        imports::set_row_count(&self.tx, id, rows)
    }

    /// Stores a version of an instrument a signed-in inspector publishes (numbered by the
    /// caller; the store refuses a key and version stored twice); returns its row id.
    ///
    /// # Errors
    /// SQL errors.
    pub fn insert_instrument_version(
        &mut self,
        instrument: &crate::risk::Instrument,
    ) -> Result<i64, StoreError> {
        let by = self.actor_id()?;
        risk_records::insert_instrument(&self.tx, instrument, Some(by))
    }

    /// Stores an instrument shipped with the product (no publisher); returns its row id.
    ///
    /// # Errors
    /// SQL errors.
    pub fn insert_shipped_instrument(
        &mut self,
        instrument: &crate::risk::Instrument,
    ) -> Result<i64, StoreError> {
        risk_records::insert_instrument(&self.tx, instrument, None)
    }

    /// Saves an item's priority score (scored by the caller) and its band beside the item.
    ///
    /// # Errors
    /// SQL errors.
    pub fn insert_item_priority(
        &mut self,
        item: crate::domain::ItemId,
        instrument_version_id: i64,
        priority: &crate::risk::ItemPriority,
        band_rank: usize,
    ) -> Result<(), StoreError> {
        let by = self.actor_id()?;
        risk_records::insert_item_priority(
            &self.tx,
            item,
            instrument_version_id,
            priority,
            band_rank,
            by,
        )
    }

    /// Records a subject's removal from the Beacon cohort.
    ///
    /// # Errors
    /// SQL errors.
    pub fn insert_beacon_removal(
        &mut self,
        subject: crate::domain::NominalId,
        after_assessment: crate::domain::AssessmentId,
        removed_on: crate::domain::IsoDate,
        rationale: &str,
    ) -> Result<(), StoreError> {
        let by = self.actor_id()?;
        risk_records::insert_beacon_removal(
            &self.tx,
            subject,
            after_assessment,
            removed_on,
            rationale,
            by,
        )
    }

    /// Records an IOPC referral decision for a Beacon subject.
    ///
    /// # Errors
    /// SQL errors.
    pub fn insert_iopc_decision(
        &mut self,
        subject: crate::domain::NominalId,
        decision: &crate::risk::IopcDecision,
    ) -> Result<(), StoreError> {
        let by = self.actor_id()?;
        risk_records::insert_iopc_decision(&self.tx, subject, decision, by)
    }

    /// Saves an assessment scored by the caller; returns its id.
    ///
    /// # Errors
    /// SQL errors (an unknown subject or instrument version).
    pub fn insert_assessment(
        &mut self,
        assessment: &risk_records::NewAssessment<'_>,
    ) -> Result<crate::domain::AssessmentId, StoreError> {
        let by = self.actor_id()?;
        risk_records::insert_assessment(&self.tx, assessment, by)
    }

    /// Keeps, with a new assessment, the answers screening suggested and those given.
    ///
    /// # Errors
    /// SQL errors.
    pub fn insert_data_answers(
        &mut self,
        assessment: crate::domain::AssessmentId,
        answers: &[crate::risk::DataAnswer],
    ) -> Result<(), StoreError> {
        risk_records::insert_data_answers(&self.tx, assessment, answers)
    }

    /// Registers a notifiable association (checked by the caller), with the link that records
    /// it in the graph if one was added; returns its id.
    ///
    /// # Errors
    /// SQL errors (a second live entry for the pair, unknown nominals).
    pub fn insert_notifiable_association(
        &mut self,
        draft: &crate::domain::NaDraft,
        link: Option<LinkId>,
    ) -> Result<crate::domain::NotifiableAssociationId, StoreError> {
        let by = self.actor_id()?;
        notifiable_associations::insert(&self.tx, draft, link, by)
    }

    /// Replaces a register entry, keeping the previous version with `change`.
    ///
    /// # Errors
    /// [`StoreError::Conflict`] if it changed since it was read; SQL errors.
    pub fn update_notifiable_association(
        &mut self,
        previous: &crate::domain::NotifiableAssociation,
        next: &crate::domain::NotifiableAssociation,
        change: &str,
    ) -> Result<(), StoreError> {
        let by = self.actor_id()?;
        notifiable_associations::update(&self.tx, previous, next, change, by)
    }

    /// Records an annual review of a register entry, by the signed-in user.
    ///
    /// # Errors
    /// SQL errors.
    pub fn insert_na_review(
        &mut self,
        association: crate::domain::NotifiableAssociationId,
        reviewed_on: crate::domain::IsoDate,
        outcome: crate::domain::NaReviewOutcome,
        rationale: &str,
        next_due_on: Option<crate::domain::IsoDate>,
    ) -> Result<(), StoreError> {
        let reviewer = self.actor_id()?;
        notifiable_associations::insert_review(
            &self.tx,
            &crate::domain::NaReview {
                association,
                reviewed_on,
                reviewer,
                reviewer_name: String::new(),
                outcome,
                rationale: rationale.trim().to_owned(),
                next_due_on,
            },
        )
    }

    /// Stores a proposed intervention resting on `items`; returns its id.
    ///
    /// # Errors
    /// SQL errors (unknown subject or items).
    pub fn insert_intervention(
        &mut self,
        proposal: &crate::domain::InterventionProposal,
        items: &[ItemId],
    ) -> Result<crate::domain::InterventionId, StoreError> {
        let by = self.actor_id()?;
        interventions::insert(&self.tx, proposal, items, by, None)
    }

    /// Inserts an intervention proposed at `at_utc` (RFC 3339) rather than now: for the demo,
    /// whose interventions have a past.
    ///
    /// # Errors
    /// SQL errors.
    pub(crate) fn insert_intervention_at(
        &mut self,
        proposal: &crate::domain::InterventionProposal,
        items: &[ItemId],
        at_utc: &str,
    ) -> Result<crate::domain::InterventionId, StoreError> {
        let by = self.actor_id()?;
        interventions::insert(&self.tx, proposal, items, by, Some(at_utc))
    }

    /// Records one step of an intervention (`next` is `previous` one step on).
    ///
    /// # Errors
    /// [`StoreError::Conflict`] if it changed since it was read; SQL errors.
    pub fn update_intervention(
        &mut self,
        previous: &crate::domain::ManagementIntervention,
        next: &crate::domain::ManagementIntervention,
    ) -> Result<(), StoreError> {
        interventions::update(&self.tx, previous, next)
    }
}
