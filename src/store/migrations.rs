//! The schema, as an append-only list of migrations.
//!
//! `PRAGMA user_version` counts the migrations applied. Never edit or reorder an entry once it has
//! shipped: add a new one. `tests/it/migrations.rs` pins each entry's hash to enforce that, and checks
//! every table is STRICT. Pragmas (the key first) are set on the connection, never in here.

use super::StoreError;
use rusqlite::Connection;

/// Each entry moves the schema from version `index` to `index + 1`, inside one transaction.
pub const MIGRATIONS: &[&str] = &[
    // 1: the foundation: workbench metadata, users, the hash-chained audit log.
    r"
CREATE TABLE workbench_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE users (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    role        TEXT NOT NULL CHECK (role IN ('detective', 'analyst', 'inspector')),
    slot_id     TEXT NOT NULL UNIQUE,
    public_key  BLOB NOT NULL CHECK (length(public_key) = 32),
    created_at  TEXT NOT NULL,
    created_by  INTEGER REFERENCES users(id),
    removed_at  TEXT,
    removed_by  INTEGER REFERENCES users(id)
) STRICT;

CREATE UNIQUE INDEX users_active_name ON users (name COLLATE NOCASE) WHERE removed_at IS NULL;

CREATE TABLE audit_log (
    seq           INTEGER PRIMARY KEY,
    at_utc        TEXT NOT NULL,
    user_id       INTEGER,
    user_name     TEXT NOT NULL,
    action        TEXT NOT NULL,
    object        TEXT NOT NULL,
    justification TEXT NOT NULL,
    detail        TEXT NOT NULL,
    prev_hash     BLOB NOT NULL,
    hash          BLOB NOT NULL
) STRICT;

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;

CREATE TABLE ingested_failed_logins (
    record_id TEXT PRIMARY KEY
) STRICT;
",
    // 2: the intelligence log: reference data versions, nominals, items, links, attachments,
    // imports, and the full-text index.
    r"
CREATE TABLE reference_versions (
    version      INTEGER PRIMARY KEY,
    document     TEXT NOT NULL,
    published_at TEXT NOT NULL,
    published_by INTEGER REFERENCES users(id)
) STRICT;

CREATE TABLE reference_counters (
    year INTEGER PRIMARY KEY,
    last INTEGER NOT NULL
) STRICT;

CREATE TABLE imports (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL,
    source_name TEXT NOT NULL,
    sha256      TEXT,
    row_count   INTEGER NOT NULL,
    detail      TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    created_by  INTEGER NOT NULL REFERENCES users(id)
) STRICT;

CREATE TABLE nominals (
    id            INTEGER PRIMARY KEY,
    kind          TEXT NOT NULL,
    display_name  TEXT NOT NULL,
    identity_key  TEXT,
    surname_key   TEXT,
    date_of_birth TEXT,
    flags         INTEGER NOT NULL DEFAULT 0,
    details       TEXT NOT NULL,
    version       INTEGER NOT NULL,
    created_at    TEXT NOT NULL,
    created_by    INTEGER NOT NULL REFERENCES users(id),
    updated_at    TEXT NOT NULL,
    updated_by    INTEGER NOT NULL REFERENCES users(id),
    merged_into   INTEGER REFERENCES nominals(id)
) STRICT;

CREATE UNIQUE INDEX nominals_identity ON nominals (kind, identity_key)
    WHERE identity_key IS NOT NULL AND merged_into IS NULL;
CREATE INDEX nominals_date_of_birth ON nominals (date_of_birth) WHERE date_of_birth IS NOT NULL;
CREATE INDEX nominals_surname_key ON nominals (surname_key) WHERE surname_key IS NOT NULL;
CREATE INDEX nominals_kind ON nominals (kind, id);

CREATE TABLE nominal_versions (
    nominal_id  INTEGER NOT NULL REFERENCES nominals(id),
    version     INTEGER NOT NULL,
    snapshot    TEXT NOT NULL,
    replaced_at TEXT NOT NULL,
    replaced_by INTEGER NOT NULL REFERENCES users(id),
    change      TEXT NOT NULL,
    PRIMARY KEY (nominal_id, version)
) STRICT;

CREATE TABLE intel_items (
    id                      INTEGER PRIMARY KEY,
    reference               TEXT NOT NULL UNIQUE,
    reference_version       INTEGER NOT NULL REFERENCES reference_versions(version),
    received_on             TEXT NOT NULL,
    source_type             TEXT NOT NULL,
    category                TEXT NOT NULL,
    subcategory             TEXT,
    source_evaluation       TEXT NOT NULL,
    intelligence_assessment TEXT NOT NULL,
    handling_code           TEXT NOT NULL,
    handling_conditions     TEXT,
    legacy_grading          TEXT,
    status                  TEXT NOT NULL,
    narrative               TEXT NOT NULL,
    owner_id                INTEGER NOT NULL REFERENCES users(id),
    next_review_on          TEXT,
    version                 INTEGER NOT NULL,
    created_at              TEXT NOT NULL,
    created_by              INTEGER NOT NULL REFERENCES users(id),
    updated_at              TEXT NOT NULL,
    updated_by              INTEGER NOT NULL REFERENCES users(id)
) STRICT;

CREATE INDEX intel_items_received ON intel_items (received_on, id);
CREATE INDEX intel_items_status ON intel_items (status, received_on, id);
CREATE INDEX intel_items_category ON intel_items (category, received_on, id);

CREATE TABLE intel_subjects (
    item_id    INTEGER NOT NULL REFERENCES intel_items(id),
    nominal_id INTEGER NOT NULL REFERENCES nominals(id),
    role       TEXT NOT NULL,
    PRIMARY KEY (item_id, nominal_id)
) STRICT, WITHOUT ROWID;

CREATE INDEX intel_subjects_nominal ON intel_subjects (nominal_id, item_id);

CREATE TABLE intel_item_versions (
    item_id     INTEGER NOT NULL REFERENCES intel_items(id),
    version     INTEGER NOT NULL,
    snapshot    TEXT NOT NULL,
    replaced_at TEXT NOT NULL,
    replaced_by INTEGER NOT NULL REFERENCES users(id),
    change      TEXT NOT NULL,
    PRIMARY KEY (item_id, version)
) STRICT;

CREATE TABLE links (
    id                INTEGER PRIMARY KEY,
    link_type         TEXT NOT NULL,
    from_id           INTEGER NOT NULL REFERENCES nominals(id),
    to_id             INTEGER NOT NULL REFERENCES nominals(id),
    directed          INTEGER NOT NULL CHECK (directed IN (0, 1)),
    valid_from        TEXT,
    valid_to          TEXT,
    confidence        TEXT NOT NULL,
    reference_version INTEGER NOT NULL REFERENCES reference_versions(version),
    created_at        TEXT NOT NULL,
    created_by        INTEGER NOT NULL REFERENCES users(id),
    CHECK (from_id <> to_id)
) STRICT;

CREATE INDEX links_from ON links (from_id);
CREATE INDEX links_to ON links (to_id);

CREATE TABLE link_provenance (
    link_id   INTEGER NOT NULL REFERENCES links(id),
    item_id   INTEGER REFERENCES intel_items(id),
    import_id INTEGER REFERENCES imports(id),
    CHECK ((item_id IS NULL) <> (import_id IS NULL))
) STRICT;

CREATE INDEX link_provenance_link ON link_provenance (link_id);
CREATE INDEX link_provenance_item ON link_provenance (item_id) WHERE item_id IS NOT NULL;

CREATE TABLE attachments (
    id         INTEGER PRIMARY KEY,
    item_id    INTEGER NOT NULL REFERENCES intel_items(id),
    file_name  TEXT NOT NULL,
    media_type TEXT NOT NULL,
    size_bytes INTEGER NOT NULL,
    sha256     TEXT NOT NULL,
    content    BLOB NOT NULL,
    added_at   TEXT NOT NULL,
    added_by   INTEGER NOT NULL REFERENCES users(id)
) STRICT;

CREATE INDEX attachments_item ON attachments (item_id);

-- Full-text index over items (rowid = 2 * id) and nominals (rowid = 2 * id + 1). `facets`
-- holds filter tokens (kind, category, status, grading), so filters are index intersections;
-- they start with `_`, kept inside tokens here and never part of a word a user types. Prefix
-- indexes of 2 and 3 characters make the as-you-type (prefix) search of the last word cheap.
CREATE VIRTUAL TABLE search_index USING fts5(
    title, body, facets, prefix = '2 3', tokenize = 'unicode61 remove_diacritics 2 tokenchars ''_'''
);
",
    // 3: nominals get a full-text index of their own (rowid = the nominal's id), so a search
    // reads the newest matching nominals without walking past every newer matching item.
    // Items stay in `search_index` at rowid 2 * id.
    r"
CREATE VIRTUAL TABLE nominal_search_index USING fts5(
    title, body, facets, prefix = '2 3', tokenize = 'unicode61 remove_diacritics 2 tokenchars ''_'''
);

INSERT INTO nominal_search_index (rowid, title, body, facets)
    SELECT rowid / 2, title, body, facets FROM search_index WHERE rowid % 2 = 1;

DELETE FROM search_index WHERE rowid % 2 = 1;
",
    // 4: link analysis: saved link charts, and the graph path behind an intelligence item
    // recorded from the exposure finder (its provenance: who, through whom, by which links).
    r"
CREATE TABLE charts (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    state      TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by INTEGER NOT NULL REFERENCES users(id),
    updated_at TEXT NOT NULL,
    updated_by INTEGER NOT NULL REFERENCES users(id)
) STRICT;

CREATE TABLE item_graph_paths (
    item_id    INTEGER NOT NULL REFERENCES intel_items(id),
    position   INTEGER NOT NULL CHECK (position >= 0),
    nominal_id INTEGER NOT NULL REFERENCES nominals(id),
    link_id    INTEGER REFERENCES links(id),
    PRIMARY KEY (item_id, position),
    CHECK ((position = 0) = (link_id IS NULL))
) STRICT;
",
    // 5: risk tools: every published version of every instrument (the shipped defaults have no
    // publisher), and assessments, each keeping the version that scored it, its answers and the
    // score explained factor by factor. Both are append-only: a score must be explainable at a
    // hearing years later exactly as it was given.
    r"
CREATE TABLE instrument_versions (
    id              INTEGER PRIMARY KEY,
    instrument_key  TEXT NOT NULL,
    version         INTEGER NOT NULL CHECK (version >= 1),
    definition      TEXT NOT NULL,
    published_at    TEXT NOT NULL,
    published_by    INTEGER REFERENCES users(id),
    shipped_default INTEGER NOT NULL CHECK (shipped_default IN (0, 1)),
    UNIQUE (instrument_key, version),
    CHECK ((published_by IS NULL) = (shipped_default = 1))
) STRICT;

CREATE TRIGGER instrument_versions_no_update BEFORE UPDATE ON instrument_versions
BEGIN SELECT RAISE(ABORT, 'instrument versions are append-only'); END;

CREATE TRIGGER instrument_versions_no_delete BEFORE DELETE ON instrument_versions
BEGIN SELECT RAISE(ABORT, 'instrument versions are append-only'); END;

CREATE TABLE assessments (
    id                    INTEGER PRIMARY KEY,
    instrument_version_id INTEGER NOT NULL REFERENCES instrument_versions(id),
    subject_id            INTEGER NOT NULL REFERENCES nominals(id),
    answers               TEXT NOT NULL,
    score                 TEXT NOT NULL,
    total_hundredths      INTEGER NOT NULL,
    band                  TEXT NOT NULL,
    rationale             TEXT NOT NULL CHECK (length(trim(rationale)) > 0),
    assessed_on           TEXT NOT NULL,
    next_review_on        TEXT NOT NULL,
    created_at            TEXT NOT NULL,
    created_by            INTEGER NOT NULL REFERENCES users(id)
) STRICT;

CREATE INDEX assessments_subject ON assessments (subject_id, assessed_on);

CREATE TRIGGER assessments_no_update BEFORE UPDATE ON assessments
BEGIN SELECT RAISE(ABORT, 'assessments are append-only'); END;

CREATE TRIGGER assessments_no_delete BEFORE DELETE ON assessments
BEGIN SELECT RAISE(ABORT, 'assessments are append-only'); END;
",
    // 6: the notifiable association register, with every earlier version of an entry.
    "
CREATE TABLE notifiable_associations (
    id               INTEGER PRIMARY KEY,
    employee_id      INTEGER NOT NULL REFERENCES nominals(id),
    associate_id     INTEGER NOT NULL REFERENCES nominals(id),
    category         TEXT NOT NULL,
    origin           TEXT NOT NULL CHECK (origin IN ('declared', 'discovered')),
    declared_on      TEXT NOT NULL,
    conditions       TEXT NOT NULL,
    assessment_id    INTEGER REFERENCES assessments(id),
    status           TEXT NOT NULL CHECK (status IN ('live', 'closed')),
    review_due_on    TEXT NOT NULL,
    last_reviewed_on TEXT,
    closed_on        TEXT,
    closed_reason    TEXT,
    link_id          INTEGER REFERENCES links(id),
    version          INTEGER NOT NULL,
    created_at       TEXT NOT NULL,
    created_by       INTEGER NOT NULL REFERENCES users(id),
    updated_at       TEXT NOT NULL,
    updated_by       INTEGER NOT NULL REFERENCES users(id),
    CHECK (employee_id <> associate_id),
    CHECK ((status = 'closed') = (closed_on IS NOT NULL))
) STRICT;

CREATE UNIQUE INDEX notifiable_associations_live_pair
    ON notifiable_associations (employee_id, associate_id) WHERE status = 'live';
CREATE INDEX notifiable_associations_review ON notifiable_associations (status, review_due_on);
CREATE INDEX notifiable_associations_employee ON notifiable_associations (employee_id);

CREATE TABLE notifiable_association_versions (
    association_id INTEGER NOT NULL REFERENCES notifiable_associations(id),
    version        INTEGER NOT NULL,
    snapshot       TEXT NOT NULL,
    replaced_at    TEXT NOT NULL,
    replaced_by    INTEGER NOT NULL REFERENCES users(id),
    change         TEXT NOT NULL,
    PRIMARY KEY (association_id, version)
) STRICT;
",
    // 7: management interventions, the items they rest on, and every step taken (append-only).
    "
CREATE TABLE interventions (
    id                 INTEGER PRIMARY KEY,
    subject_id         INTEGER NOT NULL REFERENCES nominals(id),
    category           TEXT NOT NULL,
    state              TEXT NOT NULL,
    outcome            TEXT,
    proposal           TEXT NOT NULL,
    meeting            TEXT,
    outcome_record     TEXT,
    proposed_by        INTEGER NOT NULL REFERENCES users(id),
    decided_by         INTEGER REFERENCES users(id),
    decision_rationale TEXT,
    version            INTEGER NOT NULL,
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL,
    CHECK (decided_by IS NULL OR decided_by <> proposed_by)
) STRICT;

CREATE INDEX interventions_state ON interventions (state);

CREATE TABLE intervention_items (
    intervention_id INTEGER NOT NULL REFERENCES interventions(id),
    item_id         INTEGER NOT NULL REFERENCES intel_items(id),
    PRIMARY KEY (intervention_id, item_id)
) STRICT;

CREATE TABLE intervention_steps (
    intervention_id INTEGER NOT NULL REFERENCES interventions(id),
    seq             INTEGER NOT NULL,
    step            TEXT NOT NULL,
    from_state      TEXT,
    to_state        TEXT NOT NULL,
    by_user         INTEGER NOT NULL REFERENCES users(id),
    at              TEXT NOT NULL,
    note            TEXT NOT NULL,
    PRIMARY KEY (intervention_id, seq)
) STRICT;

CREATE TRIGGER intervention_steps_no_update BEFORE UPDATE ON intervention_steps
BEGIN SELECT RAISE(ABORT, 'intervention steps are append-only'); END;

CREATE TRIGGER intervention_steps_no_delete BEFORE DELETE ON intervention_steps
BEGIN SELECT RAISE(ABORT, 'intervention steps are append-only'); END;
",
    // 8: bulk imports: the specs they were read with, and the records of each kind (the indexes
    // on matched nominals cover what cross-referencing reads, so it never visits the table). Nominal
    // columns hold the match made at import and carry no foreign key: millions of rows are
    // written per file, the ids come from the same transaction, and nominals are never deleted.
    "
CREATE TABLE import_specs (
    name     TEXT NOT NULL,
    version  INTEGER NOT NULL,
    kind     TEXT NOT NULL,
    document TEXT NOT NULL,
    saved_at TEXT NOT NULL,
    saved_by INTEGER NOT NULL REFERENCES users(id),
    PRIMARY KEY (name, version)
) STRICT;

CREATE INDEX imports_sha256 ON imports (sha256) WHERE sha256 IS NOT NULL;

CREATE TABLE system_audit_events (
    id              INTEGER PRIMARY KEY,
    import_id       INTEGER NOT NULL REFERENCES imports(id),
    occurred_at     INTEGER NOT NULL,
    staff_number    TEXT NOT NULL,
    staff_nominal   INTEGER,
    system          TEXT NOT NULL,
    subject_key     TEXT NOT NULL,
    subject_nominal INTEGER,
    reason_code     TEXT
) STRICT;

CREATE INDEX system_audit_events_subject
    ON system_audit_events (subject_nominal, staff_nominal, occurred_at, reason_code, system)
    WHERE subject_nominal IS NOT NULL;
CREATE INDEX system_audit_events_staff
    ON system_audit_events (staff_nominal, occurred_at, reason_code)
    WHERE staff_nominal IS NOT NULL;

CREATE TABLE call_records (
    id             INTEGER PRIMARY KEY,
    import_id      INTEGER NOT NULL REFERENCES imports(id),
    caller         TEXT NOT NULL,
    caller_nominal INTEGER,
    callee         TEXT NOT NULL,
    callee_nominal INTEGER,
    started_at     INTEGER NOT NULL,
    duration_secs  INTEGER NOT NULL CHECK (duration_secs >= 0),
    direction      TEXT NOT NULL CHECK (direction IN ('outgoing', 'incoming'))
) STRICT;

CREATE INDEX call_records_caller ON call_records (caller_nominal) WHERE caller_nominal IS NOT NULL;
CREATE INDEX call_records_callee ON call_records (callee_nominal) WHERE callee_nominal IS NOT NULL;

CREATE TABLE hospitality_entries (
    id               INTEGER PRIMARY KEY,
    import_id        INTEGER NOT NULL REFERENCES imports(id),
    staff_number     TEXT NOT NULL,
    staff_nominal    INTEGER,
    offered_on       TEXT NOT NULL,
    provider         TEXT NOT NULL,
    provider_key     TEXT NOT NULL,
    provider_nominal INTEGER,
    description      TEXT NOT NULL,
    value_pence      INTEGER,
    accepted         INTEGER NOT NULL CHECK (accepted IN (0, 1))
) STRICT;

CREATE TABLE business_interests (
    id                   INTEGER PRIMARY KEY,
    import_id            INTEGER NOT NULL REFERENCES imports(id),
    staff_number         TEXT NOT NULL,
    staff_nominal        INTEGER,
    organisation         TEXT NOT NULL,
    organisation_key     TEXT NOT NULL,
    organisation_nominal INTEGER,
    description          TEXT NOT NULL,
    declared_on          TEXT,
    approved             INTEGER NOT NULL CHECK (approved IN (0, 1))
) STRICT;

CREATE TABLE procurement_contracts (
    id               INTEGER PRIMARY KEY,
    import_id        INTEGER NOT NULL REFERENCES imports(id),
    reference        TEXT NOT NULL,
    supplier         TEXT NOT NULL,
    supplier_key     TEXT NOT NULL,
    supplier_nominal INTEGER,
    awarded_on       TEXT NOT NULL,
    value_pence      INTEGER,
    awarded_by       TEXT
) STRICT;

CREATE TABLE leads (
    id             INTEGER PRIMARY KEY,
    fingerprint    TEXT NOT NULL UNIQUE,
    kind           TEXT NOT NULL,
    employee_id    INTEGER REFERENCES nominals(id),
    score          INTEGER NOT NULL,
    summary        TEXT NOT NULL,
    detail         TEXT NOT NULL,
    first_found_at TEXT NOT NULL,
    last_found_at  TEXT NOT NULL,
    promoted_item  INTEGER REFERENCES intel_items(id)
) STRICT;
",
    // 9: the control strategy the threat assessment ends with: its rows in order, replaced
    // whole when edited (the audit log keeps who changed it and when).
    r"
CREATE TABLE control_strategy (
    position     INTEGER PRIMARY KEY,
    priority     TEXT NOT NULL,
    intervention TEXT NOT NULL,
    protection   TEXT NOT NULL,
    prevention   TEXT NOT NULL
) STRICT;
",
    // 10: performance reviews, sickness absences and complaints imported from HR and
    // Professional Standards extracts, for the transferee package.
    r"
CREATE TABLE workforce_records (
    id            INTEGER PRIMARY KEY,
    import_id     INTEGER NOT NULL REFERENCES imports(id),
    staff_number  TEXT NOT NULL,
    staff_nominal INTEGER,
    record_type   TEXT NOT NULL CHECK (record_type IN ('performance', 'sickness', 'complaint')),
    recorded_on   TEXT NOT NULL,
    ended_on      TEXT,
    summary       TEXT NOT NULL,
    outcome       TEXT,
    reference     TEXT
) STRICT;
CREATE INDEX workforce_records_by_staff ON workforce_records (staff_nominal, recorded_on);
",
    // 11: signed standing: role grants signed by inspectors, a signature on the chain head at
    // the end of every transaction, and the key that makes user names unique.
    r"
CREATE TABLE role_grants (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users(id),
    kind         TEXT NOT NULL,
    role         TEXT NOT NULL,
    name_key     TEXT NOT NULL,
    identity_key BLOB NOT NULL CHECK (length(identity_key) = 32),
    granted_at   TEXT NOT NULL,
    granted_by   INTEGER NOT NULL REFERENCES users(id),
    signer_key   BLOB NOT NULL CHECK (length(signer_key) = 32),
    signature    BLOB NOT NULL CHECK (length(signature) = 64),
    cosigned_by  INTEGER REFERENCES users(id),
    cosigner_key BLOB,
    cosignature  BLOB
) STRICT;
CREATE INDEX role_grants_by_user ON role_grants (user_id, id);

CREATE TRIGGER role_grants_no_update BEFORE UPDATE ON role_grants
BEGIN SELECT RAISE(ABORT, 'role grants are append-only'); END;
CREATE TRIGGER role_grants_no_delete BEFORE DELETE ON role_grants
BEGIN SELECT RAISE(ABORT, 'role grants are append-only'); END;

CREATE TABLE audit_signatures (
    seq        INTEGER PRIMARY KEY,
    first_seq  INTEGER NOT NULL,
    user_id    INTEGER NOT NULL,
    signer_key BLOB NOT NULL CHECK (length(signer_key) = 32),
    signature  BLOB NOT NULL CHECK (length(signature) = 64)
) STRICT;

CREATE TRIGGER audit_signatures_no_update BEFORE UPDATE ON audit_signatures
BEGIN SELECT RAISE(ABORT, 'audit signatures are append-only'); END;
CREATE TRIGGER audit_signatures_no_delete BEFORE DELETE ON audit_signatures
BEGIN SELECT RAISE(ABORT, 'audit signatures are append-only'); END;

ALTER TABLE users ADD COLUMN name_key TEXT;
CREATE INDEX users_active_name_key ON users (name_key) WHERE removed_at IS NULL;
",
    // 12: need-to-know: intelligence items restricted to named users.
    r"
CREATE TABLE item_restrictions (
    item_id       INTEGER PRIMARY KEY REFERENCES intel_items(id),
    restricted_at TEXT NOT NULL,
    restricted_by INTEGER NOT NULL REFERENCES users(id)
) STRICT;

CREATE TABLE item_restriction_users (
    item_id INTEGER NOT NULL REFERENCES item_restrictions(item_id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    PRIMARY KEY (item_id, user_id)
) STRICT;
",
    // 13: conduct outcomes (Police (Conduct) Regulations 2020 and the staff equivalent), imported
    // from Professional Standards or typed in; the only sanctions the workbench knows.
    r"
CREATE TABLE conduct_outcomes (
    id               INTEGER PRIMARY KEY,
    import_id        INTEGER REFERENCES imports(id),
    staff_number     TEXT NOT NULL,
    staff_nominal    INTEGER,
    decided_on       TEXT NOT NULL,
    category         TEXT NOT NULL,
    outcome          TEXT NOT NULL CHECK (outcome IN ('no_case_to_answer', 'management_advice',
                         'reflective_practice', 'written_warning', 'final_written_warning',
                         'reduction_in_rank', 'dismissal')),
    referred_to_iopc INTEGER NOT NULL CHECK (referred_to_iopc IN (0, 1)),
    created_at       TEXT NOT NULL,
    -- Who typed it in; an imported row's importer is on its import.
    created_by       INTEGER REFERENCES users(id)
) STRICT;
CREATE INDEX conduct_outcomes_by_staff ON conduct_outcomes (staff_nominal, decided_on);
CREATE INDEX conduct_outcomes_by_number ON conduct_outcomes (staff_number);
",
    // 14: notifiable association reviews with substance (who, the outcome, the rationale) and
    // the relationship beside the category (NULL for entries made before it existed).
    r"
ALTER TABLE notifiable_associations ADD COLUMN relationship TEXT
    CHECK (relationship IN ('close_family', 'extended_family', 'partner', 'friend', 'business',
                            'other'));
CREATE TABLE na_reviews (
    id             INTEGER PRIMARY KEY,
    association_id INTEGER NOT NULL REFERENCES notifiable_associations(id),
    reviewed_on    TEXT NOT NULL,
    reviewer       INTEGER NOT NULL REFERENCES users(id),
    outcome        TEXT NOT NULL CHECK (outcome IN ('continue_unchanged', 'conditions_changed',
                                                    'closed', 'escalated')),
    rationale      TEXT NOT NULL,
    next_due_on    TEXT,
    recorded_at    TEXT NOT NULL
) STRICT;
CREATE INDEX na_reviews_by_association ON na_reviews (association_id, reviewed_on);
CREATE TRIGGER na_reviews_no_update BEFORE UPDATE ON na_reviews
BEGIN SELECT RAISE(ABORT, 'a recorded review is not changed'); END;
CREATE TRIGGER na_reviews_no_delete BEFORE DELETE ON na_reviews
BEGIN SELECT RAISE(ABORT, 'a recorded review is not deleted'); END;
",
    // 15: intelligence prioritised item by item: each scoring kept (append-only), and the
    // item's latest band beside it for the log to sort and filter on.
    r"
CREATE TABLE item_priorities (
    id                    INTEGER PRIMARY KEY,
    item_id               INTEGER NOT NULL REFERENCES intel_items(id),
    instrument_version_id INTEGER NOT NULL REFERENCES instrument_versions(id),
    answers               TEXT NOT NULL,
    score                 TEXT NOT NULL,
    total_hundredths      INTEGER NOT NULL,
    band                  TEXT NOT NULL,
    band_rank             INTEGER NOT NULL,
    rationale             TEXT NOT NULL,
    assessed_on           TEXT NOT NULL,
    next_review_on        TEXT NOT NULL,
    created_at            TEXT NOT NULL,
    created_by            INTEGER NOT NULL REFERENCES users(id)
) STRICT;
CREATE INDEX item_priorities_by_item ON item_priorities (item_id, id);
CREATE TRIGGER item_priorities_no_update BEFORE UPDATE ON item_priorities
BEGIN SELECT RAISE(ABORT, 'a saved priority is not changed'); END;
CREATE TRIGGER item_priorities_no_delete BEFORE DELETE ON item_priorities
BEGIN SELECT RAISE(ABORT, 'a saved priority is not deleted'); END;
ALTER TABLE intel_items ADD COLUMN priority_band TEXT;
ALTER TABLE intel_items ADD COLUMN priority_rank INTEGER;
CREATE INDEX intel_items_by_priority ON intel_items (priority_rank, received_on, id);
",
    // 16: Operation Beacon: a subject removed from the cohort with an inspector's rationale (a
    // new assessment brings them back), and the IOPC referral decision for a subject. Both
    // append-only: the latest row stands, the earlier ones are the record.
    r"
CREATE TABLE beacon_removals (
    id          INTEGER PRIMARY KEY,
    subject_id  INTEGER NOT NULL REFERENCES nominals(id),
    -- The subject's latest Beacon assessment when removed: a later one brings them back.
    after_assessment INTEGER NOT NULL REFERENCES assessments(id),
    removed_on  TEXT NOT NULL,
    rationale   TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    created_by  INTEGER NOT NULL REFERENCES users(id)
) STRICT;
CREATE INDEX beacon_removals_by_subject ON beacon_removals (subject_id, removed_on);
CREATE TABLE beacon_iopc_decisions (
    id          INTEGER PRIMARY KEY,
    subject_id  INTEGER NOT NULL REFERENCES nominals(id),
    referred    INTEGER NOT NULL CHECK (referred IN (0, 1)),
    decided_on  TEXT NOT NULL,
    reason      TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    created_by  INTEGER NOT NULL REFERENCES users(id),
    CHECK (referred = 1 OR length(reason) > 0)
) STRICT;
CREATE INDEX beacon_iopc_by_subject ON beacon_iopc_decisions (subject_id, id);
CREATE TRIGGER beacon_removals_no_update BEFORE UPDATE ON beacon_removals
BEGIN SELECT RAISE(ABORT, 'a cohort removal is not changed'); END;
CREATE TRIGGER beacon_removals_no_delete BEFORE DELETE ON beacon_removals
BEGIN SELECT RAISE(ABORT, 'a cohort removal is not deleted'); END;
CREATE TRIGGER beacon_iopc_no_update BEFORE UPDATE ON beacon_iopc_decisions
BEGIN SELECT RAISE(ABORT, 'an IOPC decision is not changed'); END;
CREATE TRIGGER beacon_iopc_no_delete BEFORE DELETE ON beacon_iopc_decisions
BEGIN SELECT RAISE(ABORT, 'an IOPC decision is not deleted'); END;
",
    // 17: real extracts: the ids force systems give nominals (unique per system), the spec an
    // import was read with (the same file may be imported under another kind or spec), crime
    // and incident records with their victims and officers, and vetting records.
    r"
CREATE TABLE external_ids (
    system      TEXT NOT NULL,
    external_id TEXT NOT NULL,
    nominal_id  INTEGER NOT NULL REFERENCES nominals(id),
    import_id   INTEGER REFERENCES imports(id),
    created_at  TEXT NOT NULL,
    PRIMARY KEY (system, external_id)
) STRICT;
CREATE INDEX external_ids_by_nominal ON external_ids (nominal_id);
ALTER TABLE imports ADD COLUMN spec_name TEXT;
ALTER TABLE imports ADD COLUMN spec_version INTEGER;
CREATE TABLE cases (
    id              INTEGER PRIMARY KEY,
    import_id       INTEGER NOT NULL REFERENCES imports(id),
    reference       TEXT NOT NULL,
    victim_nominal  INTEGER,
    officer_number  TEXT,
    officer_nominal INTEGER,
    opened_on       TEXT NOT NULL,
    closed_on       TEXT,
    CHECK (closed_on IS NULL OR closed_on >= opened_on)
) STRICT;
CREATE INDEX cases_by_victim ON cases (victim_nominal) WHERE victim_nominal IS NOT NULL;
CREATE INDEX cases_by_reference ON cases (reference);
CREATE TABLE vetting_records (
    id            INTEGER PRIMARY KEY,
    import_id     INTEGER NOT NULL REFERENCES imports(id),
    staff_number  TEXT NOT NULL,
    staff_nominal INTEGER,
    level         TEXT NOT NULL,
    granted_on    TEXT,
    expires_on    TEXT,
    post_requires TEXT
) STRICT;
CREATE INDEX vetting_records_by_staff ON vetting_records (staff_nominal, granted_on);
",
    // 18: command and control deployments: one row per officer deployed to an incident per
    // person involved, the officer by staff number, the person by a system's id or by surname
    // and date of birth (as compared: upper case, single spaces), with the nominals each was
    // matched to; indexed for screening officers against the people they attended.
    r"
CREATE TABLE deployments (
    id                   INTEGER PRIMARY KEY,
    import_id            INTEGER NOT NULL REFERENCES imports(id),
    incident_reference   TEXT NOT NULL,
    deployed_at          INTEGER NOT NULL,
    officer_number       TEXT NOT NULL,
    officer_nominal      INTEGER,
    self_deployed        INTEGER NOT NULL CHECK (self_deployed IN (0, 1)),
    person_id_system     TEXT,
    person_external_id   TEXT,
    person_surname       TEXT,
    person_forenames     TEXT,
    person_date_of_birth TEXT,
    person_nominal       INTEGER,
    CHECK (person_external_id IS NOT NULL
           OR (person_surname IS NOT NULL AND person_date_of_birth IS NOT NULL))
) STRICT;
CREATE INDEX deployments_by_officer_number ON deployments (officer_number, deployed_at);
CREATE INDEX deployments_by_officer ON deployments (officer_nominal, deployed_at)
    WHERE officer_nominal IS NOT NULL;
CREATE INDEX deployments_by_person ON deployments (person_nominal, deployed_at)
    WHERE person_nominal IS NOT NULL;
CREATE INDEX deployments_by_person_id ON deployments (person_external_id, person_id_system)
    WHERE person_external_id IS NOT NULL;
CREATE INDEX deployments_by_person_name ON deployments (person_surname, person_date_of_birth)
    WHERE person_surname IS NOT NULL;
CREATE INDEX deployments_by_incident ON deployments (incident_reference);
",
    // 19: Beacon screening (issue 24). A case row says what its officer did on the case (a
    // liaison role explains contact while it is open) and whether the person it names is the
    // victim or a witness; a look-up may name the incident it was made for. A Beacon
    // assessment keeps, factor by factor, the answer screening suggested from the force's
    // data, the answer the detective gave, and the findings and evidence rows behind the
    // suggestion: append-only, as the assessment is.
    "
ALTER TABLE cases ADD COLUMN officer_role TEXT;
ALTER TABLE cases ADD COLUMN party_role TEXT NOT NULL DEFAULT 'victim'
    CHECK (party_role IN ('victim', 'witness'));
ALTER TABLE system_audit_events ADD COLUMN incident_reference TEXT;
CREATE TABLE assessment_data_answers (
    id               INTEGER PRIMARY KEY,
    assessment_id    INTEGER NOT NULL REFERENCES assessments(id),
    factor_key       TEXT NOT NULL,
    suggested_option TEXT NOT NULL,
    given_option     TEXT NOT NULL,
    evidence         TEXT NOT NULL,
    UNIQUE (assessment_id, factor_key)
) STRICT;
CREATE TRIGGER assessment_data_answers_no_update BEFORE UPDATE ON assessment_data_answers
BEGIN SELECT RAISE(ABORT, 'assessments are append-only'); END;
CREATE TRIGGER assessment_data_answers_no_delete BEFORE DELETE ON assessment_data_answers
BEGIN SELECT RAISE(ABORT, 'assessments are append-only'); END;
",
    // 20: the analyst's text of the threat assessment for a period (summary, key judgements,
    // ranked threats, requirements, recommendations as JSON), one row per saved version.
    "
CREATE TABLE assessment_texts (
    period_from TEXT NOT NULL,
    period_to   TEXT NOT NULL,
    version     INTEGER NOT NULL CHECK (version >= 1),
    body        TEXT NOT NULL,
    written_at  TEXT NOT NULL,
    written_by  INTEGER NOT NULL REFERENCES users(id),
    PRIMARY KEY (period_from, period_to, version)
) STRICT;
CREATE TRIGGER assessment_texts_no_update BEFORE UPDATE ON assessment_texts
BEGIN SELECT RAISE(ABORT, 'assessment texts are kept in versions'); END;
CREATE TRIGGER assessment_texts_no_delete BEFORE DELETE ON assessment_texts
BEGIN SELECT RAISE(ABORT, 'assessment texts are kept in versions'); END;
",
];

/// The schema version this build writes and reads.
#[expect(
    clippy::cast_possible_truncation,
    reason = "a handful of migrations, never 2^32"
)]
pub const SCHEMA_VERSION: u32 = MIGRATIONS.len() as u32;

/// The schema version recorded in the store.
///
/// # Errors
/// SQL errors (a wrong key or damage shows up here first).
pub fn schema_version(conn: &Connection) -> Result<u32, StoreError> {
    let version: i64 = conn.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    u32::try_from(version).map_err(|_| StoreError::Damaged("schema version out of range".into()))
}

/// Refuses a store written by a newer build, before anything is written to it.
///
/// # Errors
/// [`StoreError::NewerVersion`].
pub fn refuse_newer(found: u32) -> Result<(), StoreError> {
    if found > SCHEMA_VERSION {
        return Err(StoreError::NewerVersion {
            what: "schema",
            found,
            supported: SCHEMA_VERSION,
        });
    }
    Ok(())
}

/// Applies every pending migration, each in its own transaction together with its version bump.
///
/// # Errors
/// [`StoreError::NewerVersion`] if the store is newer than this build; SQL errors.
pub fn migrate(conn: &mut Connection) -> Result<u32, StoreError> {
    let current = schema_version(conn)?;
    refuse_newer(current)?;
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(current as usize) {
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        tx.execute_batch(sql)?;
        tx.pragma_update(
            None,
            "user_version",
            i64::try_from(index + 1).unwrap_or(i64::MAX),
        )?;
        tx.commit()?;
    }
    Ok(SCHEMA_VERSION)
}
