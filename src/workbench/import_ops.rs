//! Bulk imports in the session: one file, read as a stream through an import spec, written
//! in one transaction. All or nothing unless the user asks to skip bad rows; a dry run goes
//! through the same code and rolls back; a file imported before (same SHA-256) is refused;
//! progress is reported as rows, rows per second and time left, and the caller may cancel,
//! which rolls back.

use super::{Workbench, WorkbenchError, user_file};
use crate::domain::{
    Action, AuditAction, BulkRecord, ImportId, ImportKind, NewAuditEntry, NominalMatcher, list,
};
use crate::io::bulk_csv::{BulkCsvReader, CsvPreview, RowError};
use crate::io::import_spec::{ImportSpec, SubjectMatch};
use crate::store::{RecordMatch, SavedSpec, StoreTx};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::io::Read;
use std::ops::ControlFlow;
use std::path::Path;
use std::time::Instant;

/// Rejected rows kept in a report; past this only the count grows (memory stays flat).
pub const MAX_REJECTS_KEPT: usize = 100_000;

/// Rows parsed and matched on the parse thread before they are handed to the writer (and
/// between two progress reports).
const BATCH_ROWS: usize = 8192;

/// Batches in flight between the parse thread and the writer: memory stays flat whatever the
/// file's size.
const BATCHES_IN_FLIGHT: usize = 4;

/// Rows read and matched, in file order, with how far into the file they reach.
struct ParsedBatch {
    rows: BatchRows,
    bytes_read: u64,
}

/// What the parse side checks and matches rows with.
struct ParseContext<'a> {
    spec: &'a ImportSpec,
    matcher: &'a NominalMatcher,
    reference: &'a crate::domain::ReferenceData,
    today: crate::domain::IsoDate,
    /// The import being written: the provenance of the links it records.
    import_id: ImportId,
}

impl ParseContext<'_> {
    /// A nominal row normalised (phones to E.164) and checked against the reference data, as a
    /// nominal typed in is; other rows as read.
    fn checked(&self, row: crate::io::bulk_csv::BulkRow) -> Result<BulkRecord, RowError> {
        let problem = match &row.record {
            BulkRecord::Vetting(record) => {
                let current = |code: &str| self.reference.is_current(list::VETTING_LEVEL, code);
                if !current(&record.level) {
                    Some(crate::domain::FieldError::new(
                        "level",
                        crate::domain::unknown_code_message(self.reference, list::VETTING_LEVEL),
                    ))
                } else if record.post_requires.as_deref().is_some_and(|c| !current(c)) {
                    Some(crate::domain::FieldError::new(
                        "post_requires",
                        crate::domain::unknown_code_message(self.reference, list::VETTING_LEVEL),
                    ))
                } else {
                    None
                }
            }
            BulkRecord::NotifiableAssociation(entry) => {
                if self
                    .reference
                    .is_current(list::NA_CATEGORY, &entry.category)
                {
                    None
                } else {
                    Some(crate::domain::FieldError::new(
                        "category",
                        "not a category of the current notifiable association list",
                    ))
                }
            }
            _ => None,
        };
        if let Some(error) = problem {
            return Err(self.field_error(row.line, &error));
        }
        let BulkRecord::Nominal(mut nominal) = row.record else {
            return Ok(row.record);
        };
        let problem = nominal
            .details
            .normalise(super::DEFAULT_PHONE_REGION)
            .err()
            .or_else(|| {
                nominal
                    .details
                    .validate(self.reference, self.today)
                    .into_iter()
                    .next()
            });
        match problem {
            None => Ok(BulkRecord::Nominal(nominal)),
            Some(error) => Err(self.field_error(row.line, &error)),
        }
    }
}

/// The link a links row makes between the nominals its ends matched.
fn link_fields_of(
    link: &crate::domain::LinkRow,
    from: crate::domain::NominalId,
    to: crate::domain::NominalId,
    provenance: Vec<crate::domain::Provenance>,
) -> crate::domain::LinkFields {
    crate::domain::LinkFields {
        link_type: link.link_type.clone(),
        from,
        to,
        valid_from: link.valid_from,
        valid_to: link.valid_to,
        confidence: link.confidence.clone(),
        provenance,
    }
}

impl ParseContext<'_> {
    /// A field's problem as the row's error, in the column that fills the field (a grading
    /// field is named `grading.x` by the item's checks and `x` in a spec).
    fn field_error(&self, row_line: u64, error: &crate::domain::FieldError) -> RowError {
        RowError {
            line: row_line,
            column: self.spec.column_of(&spec_field_of(&error.field)),
            reason: format!("{}: {}", error.field, error.message),
        }
    }

    /// Checks a links row once its ends are matched: both ends found, and the link checked as
    /// one typed in is (type and confidence codes, dates in order, not to itself).
    fn link_checked(
        &self,
        row_line: u64,
        record: &BulkRecord,
        found: &RecordMatch,
    ) -> Result<(), RowError> {
        let BulkRecord::Link(link) = record else {
            return Ok(());
        };
        let end = |id: Option<crate::domain::NominalId>, field: &str| {
            id.ok_or_else(|| RowError {
                line: row_line,
                column: self.spec.column_of(field),
                reason: format!(
                    "{field}: no nominal in the workbench matches this end of the link"
                ),
            })
        };
        let fields = link_fields_of(
            link,
            end(found.link_from, "from_staff_number")?,
            end(found.link_to, "to_staff_number")?,
            vec![crate::domain::Provenance::Import {
                import_id: self.import_id,
            }],
        );
        match fields.validate(self.reference).into_iter().next() {
            None => Ok(()),
            Some(error) => Err(self.field_error(row_line, &error)),
        }
    }
}

/// The spec field that fills an item's field: `grading.x` is `x`, `legacy_grading.x` is
/// `legacy_x`.
fn spec_field_of(item_field: &str) -> String {
    if let Some(part) = item_field.strip_prefix("legacy_grading.") {
        format!("legacy_{part}")
    } else {
        item_field.trim_start_matches("grading.").to_owned()
    }
}

/// The entry a register row makes between the nominals it matched.
fn na_draft_of(
    entry: &crate::domain::NaRegisterRow,
    employee: crate::domain::NominalId,
    associate: crate::domain::NominalId,
) -> crate::domain::NaDraft {
    crate::domain::NaDraft {
        employee,
        associate,
        category: entry.category.clone(),
        origin: entry.origin,
        declared_on: entry.declared_on,
        conditions: entry.conditions.clone(),
        assessment: None,
        review_due_on: None,
        relationship: entry.relationship,
    }
}

/// The item an intelligence row makes, with its subject (if the row names one and it matched).
/// A row graded 5x5x5 keeps that grading as given; each 3x5x2 part the row leaves empty is the
/// one the reference data maps it to (an unmapped code stays empty and fails the item's checks,
/// naming the field).
fn item_fields_of(
    row: &crate::domain::IntelItemRow,
    subject: Option<crate::domain::NominalId>,
    reference: &crate::domain::ReferenceData,
) -> crate::domain::IntelItemFields {
    let mapped = |given: &str, legacy_list: &str, legacy_code: Option<&str>| -> String {
        if !given.is_empty() {
            return given.to_owned();
        }
        legacy_code
            .and_then(|code| reference.legacy_mapping(legacy_list, code))
            .unwrap_or_default()
            .to_owned()
    };
    let legacy = row.legacy.as_ref();
    crate::domain::IntelItemFields {
        received_on: row.received_on,
        source_type: row.source_type.clone(),
        narrative: row.narrative.clone(),
        grading: crate::domain::Grading {
            source_evaluation: mapped(
                &row.source_evaluation,
                list::LEGACY_SOURCE_EVALUATION,
                legacy.map(|l| l.source_evaluation.as_str()),
            ),
            intelligence_assessment: mapped(
                &row.intelligence_assessment,
                list::LEGACY_INTELLIGENCE_EVALUATION,
                legacy.map(|l| l.intelligence_evaluation.as_str()),
            ),
            handling_code: mapped(
                &row.handling_code,
                list::LEGACY_HANDLING_CODE,
                legacy.map(|l| l.handling_code.as_str()),
            ),
            handling_conditions: row.handling_conditions.clone(),
        },
        legacy_grading: row.legacy.clone(),
        category: row.category.clone(),
        subcategory: row.subcategory.clone(),
        subjects: subject
            .map(|nominal_id| crate::domain::Subject {
                nominal_id,
                role: "subject".into(),
            })
            .into_iter()
            .collect(),
        next_review_on: None,
    }
}

impl ParseContext<'_> {
    /// Checks an intelligence row as an item typed in is, once its subject is matched: a
    /// subject the row names must be a nominal the workbench has.
    fn conduct_checked(&self, row_line: u64, record: &BulkRecord) -> Result<(), RowError> {
        let BulkRecord::ConductOutcome(outcome) = record else {
            return Ok(());
        };
        match outcome
            .validate(self.reference, self.today)
            .into_iter()
            .next()
        {
            None => Ok(()),
            Some(error) => Err(self.field_error(row_line, &error)),
        }
    }

    /// Checks a register row once matched, as an entry typed in is: the employee and the
    /// associate found, not the same, the employee an employee (the workbench checks the rest
    /// when it registers the entry).
    fn association_checked(
        &self,
        row_line: u64,
        record: &BulkRecord,
        found: &RecordMatch,
    ) -> Result<(), RowError> {
        let BulkRecord::NotifiableAssociation(entry) = record else {
            return Ok(());
        };
        let missing = |field: &str, what: &str| RowError {
            line: row_line,
            column: self.spec.column_of(field),
            reason: format!("{field}: no nominal in the workbench matches the {what}"),
        };
        let employee = found
            .staff
            .ok_or_else(|| missing("employee_staff_number", "employee"))?;
        let associate = found
            .subject
            .ok_or_else(|| missing("associate_external_id", "associate"))?;
        let draft = na_draft_of(entry, employee, associate);
        match draft.validate().into_iter().next() {
            Some(error) => Err(self.field_error(row_line, &error)),
            None => Ok(()),
        }
    }

    fn item_checked(
        &self,
        row_line: u64,
        record: &BulkRecord,
        found: &RecordMatch,
    ) -> Result<(), RowError> {
        let BulkRecord::IntelItem(row) = record else {
            return Ok(());
        };
        if row.subject.is_some() && found.subject.is_none() {
            return Err(RowError {
                line: row_line,
                column: self.spec.column_of("subject_staff_number"),
                reason: "subject: no nominal in the workbench matches the subject".into(),
            });
        }
        // A legacy grading's own problem first: the 3x5x2 parts mapped from it are only
        // missing because of it.
        if let Some(error) = row
            .legacy
            .as_ref()
            .and_then(|legacy| legacy.validate(self.reference).into_iter().next())
        {
            return Err(self.field_error(row_line, &error));
        }
        let fields = item_fields_of(row, found.subject, self.reference);
        match fields
            .validate(self.reference, self.today)
            .into_iter()
            .next()
        {
            None => Ok(()),
            Some(error) => Err(self.field_error(row_line, &error)),
        }
    }
}

/// One batch's rows: read and matched, or rejected.
type BatchRows = Vec<Result<(BulkRecord, RecordMatch), RowError>>;

/// Reads the file's rows in batches, each matched to nominals, and hands them to `sink`
/// until the file ends or the sink stops; returns the hash of everything read. Before each
/// batch, `spent` frees the rows of batches the writer has finished with, here, and gives
/// back an emptied list to fill again (a new one is not zeroed page by page by the kernel).
fn parse_batches<R: Read>(
    mut rows: BulkCsvReader<'_, HashingReader<R>>,
    context: &ParseContext<'_>,
    spent: &mut dyn FnMut() -> Option<BatchRows>,
    sink: &mut dyn FnMut(ParsedBatch) -> bool,
) -> Sha256 {
    loop {
        let mut batch = spent().unwrap_or_else(|| Vec::with_capacity(BATCH_ROWS));
        while batch.len() < BATCH_ROWS {
            match rows.next_row() {
                Some(Ok(row)) => {
                    let line = row.line;
                    let checked = context.checked(row).and_then(|record| {
                        let found = match_record(
                            &record,
                            context.matcher,
                            (
                                &context.spec.match_subject_by,
                                context.spec.id_system.as_deref(),
                            ),
                        );
                        context.link_checked(line, &record, &found)?;
                        context.item_checked(line, &record, &found)?;
                        context.association_checked(line, &record, &found)?;
                        context.conduct_checked(line, &record)?;
                        Ok((record, found))
                    });
                    batch.push(checked);
                }
                Some(Err(error)) => batch.push(Err(error)),
                None => break,
            }
        }
        let done = batch.len() < BATCH_ROWS;
        let bytes_read = rows.bytes_read();
        if !batch.is_empty()
            && !sink(ParsedBatch {
                rows: batch,
                bytes_read,
            })
        {
            break;
        }
        if done {
            break;
        }
    }
    rows.into_inner().hasher
}

/// Reads and writes in turn on this thread (when no second thread can be had).
fn write_inline<R: Read>(
    rows: BulkCsvReader<'_, HashingReader<R>>,
    context: &ParseContext<'_>,
    write: &mut dyn FnMut(&ParsedBatch) -> Result<(), WorkbenchError>,
) -> Result<Sha256, WorkbenchError> {
    let mut failure = None;
    let hasher = parse_batches(
        rows,
        context,
        &mut || None,
        &mut |batch| match write(&batch) {
            Ok(()) => true,
            Err(error) => {
                failure = Some(error);
                false
            }
        },
    );
    failure.map_or(Ok(hasher), Err)
}

/// Parses on a scoped `import-parse` thread while the caller's thread writes, so the CSV
/// reading, date parsing and matching overlap the SQL inserts (two cores, twice the rows). The
/// writer hands each written batch back to be freed on the parse thread, where mimalloc frees
/// into the heap the rows came from (measured a little faster than freeing on the writer). If
/// no thread can be had, both happen on this one. Returns the file's hash once every row has
/// been written.
fn parse_and_write<R: Read + Send>(
    rows: BulkCsvReader<'_, HashingReader<R>>,
    context: &ParseContext<'_>,
    write: &mut dyn FnMut(&ParsedBatch) -> Result<(), WorkbenchError>,
) -> Result<Sha256, WorkbenchError> {
    std::thread::scope(|scope| {
        let (sender, receiver) = std::sync::mpsc::sync_channel::<ParsedBatch>(BATCHES_IN_FLIGHT);
        let (spent_sender, spent_receiver) = std::sync::mpsc::channel::<ParsedBatch>();
        // The reader goes to the thread once it exists, so it is still ours if it does not.
        let (rows_slot, rows_back) = std::sync::mpsc::channel();
        let parser = std::thread::Builder::new()
            .name("import-parse".into())
            .spawn_scoped(scope, move || {
                let rows = rows_back.recv().ok()?;
                let mut free_spent = || {
                    let mut emptied = None;
                    while let Ok(ParsedBatch { mut rows, .. }) = spent_receiver.try_recv() {
                        rows.clear();
                        emptied = Some(rows);
                    }
                    emptied
                };
                Some(parse_batches(
                    rows,
                    context,
                    &mut free_spent,
                    &mut |batch| sender.send(batch).is_ok(),
                ))
            });
        let parser = match parser {
            Ok(parser) => {
                if let Err(unsent) = rows_slot.send(rows) {
                    // The thread is gone already: read on this one.
                    return write_inline(unsent.0, context, write);
                }
                parser
            }
            Err(_) => return write_inline(rows, context, write),
        };
        let mut outcome = Ok(());
        for batch in &receiver {
            outcome = write(&batch);
            // Once the parser has finished, the batch is freed here as the send fails.
            let _ = spent_sender.send(batch);
            if outcome.is_err() {
                break;
            }
        }
        // Dropping the receiver stops the parser at its next batch.
        drop(receiver);
        let hasher = parser.join().ok().flatten();
        outcome?;
        hasher.ok_or(WorkbenchError::Refused("the import's reader stopped"))
    })
}

/// What the user asked of an import.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportOptions {
    /// Read and match everything, then roll back: shows what would be created and rejected.
    pub dry_run: bool,
    /// Import the good rows and report the bad ones, instead of refusing the file.
    pub skip_bad_rows: bool,
}

/// How far an import has got.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ImportProgress {
    pub rows: u64,
    pub bytes_read: u64,
    /// The file's size, when known.
    pub total_bytes: Option<u64>,
    pub elapsed_secs: f64,
}

impl ImportProgress {
    #[must_use]
    #[expect(clippy::cast_precision_loss, reason = "row counts far below 2^52")]
    pub fn rows_per_sec(&self) -> f64 {
        if self.elapsed_secs > 0.0 {
            self.rows as f64 / self.elapsed_secs
        } else {
            0.0
        }
    }

    /// The share of the file read, from 0 to 1.
    #[must_use]
    #[expect(
        clippy::cast_precision_loss,
        reason = "file sizes far below 2^52 bytes"
    )]
    pub fn fraction(&self) -> Option<f64> {
        self.total_bytes
            .filter(|&total| total > 0)
            .map(|total| (self.bytes_read as f64 / total as f64).min(1.0))
    }

    /// Seconds left at the rate so far.
    #[must_use]
    pub fn eta_secs(&self) -> Option<f64> {
        let fraction = self.fraction()?;
        (fraction > 0.0).then(|| self.elapsed_secs * (1.0 - fraction) / fraction)
    }
}

/// How many rows were matched to existing nominals, by role.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct MatchCounts {
    /// Members of staff, a register entry's employees, cases' and deployments' officers.
    pub staff: u64,
    /// Subjects looked up, items' subjects, register entries' associates, cases' victims,
    /// deployments' persons involved.
    pub subjects: u64,
    pub phones: u64,
    pub organisations: u64,
    /// The ends of links.
    pub link_ends: u64,
}

/// What an import did (or, dry, would do).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImportReport {
    /// `None` for a dry run.
    pub import_id: Option<ImportId>,
    pub kind: ImportKind,
    pub source_name: String,
    pub sha256: String,
    pub spec_name: String,
    pub spec_version: u32,
    pub dry_run: bool,
    pub rows_read: u64,
    pub rows_imported: u64,
    pub rows_rejected: u64,
    pub matched: MatchCounts,
    /// The first [`MAX_REJECTS_KEPT`] rejected rows: line, column, reason (never a value).
    pub rejects: Vec<RowError>,
    /// An earlier import of the same file (a dry run reports it; a real run is refused).
    pub already_imported: Option<ImportId>,
    /// Nominals recorded (rows of a nominals file that matched no nominal already there).
    pub nominals_created: u64,
    /// Links recorded (rows of a links file), each with the import as provenance.
    pub links_created: u64,
    /// Rows of a links file naming a link already recorded (same type, ends and dates), which
    /// gained the import as a further source instead of being recorded twice.
    pub links_corroborated: u64,
    /// Intelligence items recorded, and the first and last references they were given.
    pub items_created: u64,
    pub first_item: Option<String>,
    pub last_item: Option<String>,
    /// Register rows recorded as new live entries.
    pub associations_registered: u64,
    /// Register rows naming a pair with a live entry already: matched, not duplicated.
    pub associations_already_live: u64,
    pub elapsed_secs: f64,
}

impl ImportReport {
    /// What the import matched and recorded, in sentences (the CLI and the GUI both show
    /// these): a dry run says what it would record, in the same words.
    #[must_use]
    pub fn outcome_lines(&self) -> Vec<String> {
        let (recorded, gained) = if self.dry_run {
            ("would record", "would gain")
        } else {
            ("recorded", "gained")
        };
        let m = &self.matched;
        let mut lines = vec![format!(
            "Matched to nominals already in the workbench: {} staff, {} subjects, {} phones, \
             {} organisations, {} link ends.",
            m.staff, m.subjects, m.phones, m.organisations, m.link_ends
        )];
        match self.kind {
            ImportKind::Nominals => lines.push(format!(
                "This import {recorded} {} nominal(s) (the rest matched nominals already in the \
                 workbench or earlier in the file) and {} link(s) to their phones and OCGs.",
                self.nominals_created, self.links_created
            )),
            ImportKind::IntelItems => lines.push(format!(
                "This import {recorded} {} intelligence item(s){}.",
                self.items_created,
                match (&self.first_item, &self.last_item) {
                    (Some(first), Some(last)) if !self.dry_run => {
                        format!(", {first} to {last}, status received")
                    }
                    _ => String::new(),
                }
            )),
            ImportKind::Links => lines.push(format!(
                "This import {recorded} {} link(s), each with the import as provenance; {} were \
                 recorded already and {gained} the import as a further source.",
                self.links_created, self.links_corroborated
            )),
            ImportKind::NotifiableAssociations => lines.push(format!(
                "This import {recorded} {} register entr(ies); {} pair(s) had a live entry \
                 already and were matched, not duplicated.",
                self.associations_registered, self.associations_already_live
            )),
            _ => lines.push(format!(
                "This import {recorded} {} {} record(s).",
                self.rows_imported,
                self.kind.label().to_lowercase()
            )),
        }
        lines
    }
}

/// Hashes what the CSV reader reads, so the file is read once.
struct HashingReader<R> {
    inner: R,
    hasher: Sha256,
}

impl<R: Read> Read for HashingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }
}

/// The nominal one end of a link names: by its id in the spec's system, staff number, phone,
/// person, organisation name.
fn resolve_end(
    matcher: &NominalMatcher,
    id_system: Option<&str>,
    end: &crate::domain::NominalRef,
) -> Option<crate::domain::NominalId> {
    end.external_id
        .as_deref()
        .zip(id_system)
        .and_then(|(id, system)| matcher.external(system, id))
        .or_else(|| end.staff_number.as_deref().and_then(|s| matcher.staff(s)))
        .or_else(|| end.person.phone.as_deref().and_then(|p| matcher.phone(p)))
        .or_else(|| matcher.person(&end.person))
        .or_else(|| end.name.as_deref().and_then(|n| matcher.organisation(n)))
}

/// The nominals a record speaks of, by the matcher and the spec's rules (its id system first,
/// then its subject rules in order).
pub(super) fn match_record(
    record: &BulkRecord,
    matcher: &NominalMatcher,
    spec: (&[SubjectMatch], Option<&str>),
) -> RecordMatch {
    let (subject_rules, id_system) = spec;
    match record {
        BulkRecord::AuditEvent(event) => {
            let mut subject_key = event.subject.key();
            // The key is `SURNAME|FORENAMES|DOB|PHONE`: a person is matched on the first three.
            let by_external = event
                .subject_external_id
                .as_deref()
                .zip(id_system)
                .and_then(|(id, system)| matcher.external(system, id));
            let subject = by_external.or_else(|| {
                let person_key = subject_key.rsplit_once('|').map_or("", |(head, _)| head);
                subject_rules.iter().find_map(|rule| match rule {
                    SubjectMatch::NameAndDob => matcher.person_by_key(person_key),
                    SubjectMatch::Phone => event
                        .subject
                        .phone
                        .as_deref()
                        .and_then(|p| matcher.phone(p)),
                })
            });
            // The system's id is kept with the event, so it can be matched again later.
            if let (Some(id), Some(system)) = (&event.subject_external_id, id_system) {
                subject_key.push('|');
                subject_key.push_str(system);
                subject_key.push(':');
                subject_key.push_str(id);
            }
            RecordMatch {
                staff: matcher.staff(&event.staff_number),
                subject,
                subject_key,
                ..RecordMatch::default()
            }
        }
        BulkRecord::Call(call) => RecordMatch {
            caller: matcher.phone(&call.caller),
            callee: matcher.phone(&call.callee),
            ..RecordMatch::default()
        },
        BulkRecord::Hospitality(entry) => RecordMatch {
            staff: matcher.staff(&entry.staff_number),
            organisation: matcher.organisation(&entry.provider),
            ..RecordMatch::default()
        },
        BulkRecord::BusinessInterest(interest) => RecordMatch {
            staff: matcher.staff(&interest.staff_number),
            organisation: matcher.organisation(&interest.organisation),
            ..RecordMatch::default()
        },
        BulkRecord::WorkforceRecord(record) => RecordMatch {
            staff: matcher.staff(&record.staff_number),
            ..RecordMatch::default()
        },
        BulkRecord::ConductOutcome(outcome) => RecordMatch {
            staff: matcher.staff(&outcome.staff_number),
            ..RecordMatch::default()
        },
        BulkRecord::Vetting(record) => RecordMatch {
            staff: matcher.staff(&record.staff_number),
            ..RecordMatch::default()
        },
        BulkRecord::NotifiableAssociation(entry) => RecordMatch {
            staff: matcher.staff(&entry.employee_staff_number),
            subject: resolve_end(matcher, id_system, &entry.associate),
            ..RecordMatch::default()
        },
        BulkRecord::Case(case) => RecordMatch {
            staff: case
                .officer_staff_number
                .as_deref()
                .and_then(|s| matcher.staff(s)),
            subject: resolve_end(matcher, id_system, &case.victim),
            ..RecordMatch::default()
        },
        BulkRecord::Deployment(deployment) => RecordMatch {
            staff: matcher.staff(&deployment.officer_staff_number),
            subject: resolve_end(matcher, id_system, &deployment.person),
            id_system: deployment
                .person
                .external_id
                .as_ref()
                .and(id_system)
                .map(str::to_owned),
            ..RecordMatch::default()
        },
        BulkRecord::Nominal(row) => {
            let by_external = row
                .external_id
                .as_deref()
                .zip(id_system)
                .and_then(|(id, system)| matcher.external(system, id));
            match by_external {
                // Known by its id: the same nominal, whatever its kind's own match says.
                Some(id) => RecordMatch {
                    subject: Some(id),
                    ..RecordMatch::default()
                },
                None => match_nominal(&row.details, matcher),
            }
        }
        BulkRecord::IntelItem(item) => RecordMatch {
            subject: item
                .subject
                .as_ref()
                .and_then(|s| resolve_end(matcher, id_system, s)),
            ..RecordMatch::default()
        },
        BulkRecord::Link(link) => RecordMatch {
            link_from: resolve_end(matcher, id_system, &link.from),
            link_to: resolve_end(matcher, id_system, &link.to),
            ..RecordMatch::default()
        },
        BulkRecord::Contract(contract) => RecordMatch {
            staff: contract
                .awarded_by
                .as_deref()
                .and_then(|s| matcher.staff(s)),
            organisation: matcher.organisation(&contract.supplier),
            ..RecordMatch::default()
        },
    }
}

/// The nominal a nominal row names, if the workbench has it: by staff number, person's name
/// with date of birth, phone, or organisation name (what a nominals CSV row and an FtM entity
/// are matched on).
pub(super) fn match_nominal(
    details: &crate::domain::NominalDetails,
    matcher: &NominalMatcher,
) -> RecordMatch {
    match details {
        crate::domain::NominalDetails::Employee { staff_number, .. } => RecordMatch {
            staff: matcher.staff(staff_number),
            ..RecordMatch::default()
        },
        crate::domain::NominalDetails::Person {
            forenames,
            surname,
            date_of_birth,
            ..
        } => RecordMatch {
            subject: matcher.person(&crate::domain::SubjectIdentity {
                surname: Some(surname.clone()),
                forenames: Some(forenames.clone()),
                date_of_birth: *date_of_birth,
                phone: None,
            }),
            ..RecordMatch::default()
        },
        crate::domain::NominalDetails::Phone { number } => RecordMatch {
            caller: matcher.phone(number),
            ..RecordMatch::default()
        },
        crate::domain::NominalDetails::Ocg { name, .. }
        | crate::domain::NominalDetails::Organisation { name, .. } => RecordMatch {
            organisation: matcher.organisation(name),
            ..RecordMatch::default()
        },
        _ => RecordMatch::default(),
    }
}

fn count_matches(counts: &mut MatchCounts, matched: &RecordMatch) {
    counts.staff += u64::from(matched.staff.is_some());
    counts.subjects += u64::from(matched.subject.is_some());
    counts.phones += u64::from(matched.caller.is_some()) + u64::from(matched.callee.is_some());
    counts.organisations += u64::from(matched.organisation.is_some());
    counts.link_ends +=
        u64::from(matched.link_from.is_some()) + u64::from(matched.link_to.is_some());
}

/// The nominals an import has recorded so far, by what identifies them in the file: a
/// nominal named twice (a person on two rows, the OCG of several members, a shared phone) is
/// recorded once.
#[derive(Default)]
struct FileNominals {
    recorded: std::collections::HashMap<String, crate::domain::NominalId>,
}

impl FileNominals {
    /// The nominal the file recorded already for these details, or a new one (a person
    /// without a date of birth is never taken for another).
    fn find_or_record(
        &mut self,
        tx: &mut StoreTx<'_>,
        details: &crate::domain::NominalDetails,
        report: &mut ImportReport,
    ) -> Result<crate::domain::NominalId, WorkbenchError> {
        let key = nominal_key(details);
        if let Some(id) = key.as_ref().and_then(|key| self.recorded.get(key)) {
            return Ok(*id);
        }
        let id = tx.insert_nominal(details)?;
        report.nominals_created += 1;
        if let Some(key) = key {
            self.recorded.insert(key, id);
        }
        Ok(id)
    }
}

/// What identifies a nominal within one file: its identity key, a person's name and date of
/// birth, or an organisation's compared name; `None` when nothing does (a person without a
/// date of birth).
fn nominal_key(details: &crate::domain::NominalDetails) -> Option<String> {
    use crate::domain::NominalDetails;
    use crate::domain::bulk_record::{name_key, organisation_key};
    let key = match details {
        NominalDetails::Person {
            forenames,
            surname,
            date_of_birth,
            ..
        } => format!(
            "{}|{}|{}",
            name_key(surname),
            name_key(forenames),
            (*date_of_birth)?
        ),
        NominalDetails::Ocg { name, .. } | NominalDetails::Organisation { name, .. } => {
            organisation_key(name)
        }
        _ => details.identity_key()?,
    };
    Some(format!("{}:{key}", details.kind().as_str()))
}

/// An earlier import of the file with this SHA-256, as the same kind under the same spec
/// version: a dry run reports it, a real import is refused.
pub(super) fn earlier_import_of(
    tx: &StoreTx<'_>,
    (sha256, kind, spec): (&str, &str, Option<(&str, u32)>),
    options: ImportOptions,
    source_name: &str,
) -> Result<Option<ImportId>, WorkbenchError> {
    match tx.reader().import_by_sha256(sha256, kind, spec)? {
        None => Ok(None),
        Some(earlier) if options.dry_run => Ok(Some(earlier.id)),
        Some(earlier) => Err(WorkbenchError::AlreadyImported {
            source_name: source_name.to_owned(),
            earlier: earlier.id,
            at_utc: earlier.at_utc,
        }),
    }
}

/// Closes an import: its row in the imports table (hash, rows, `detail`) and its audit entry,
/// which adds the kind, the file's name and its hash to `detail`.
pub(super) fn record_import(
    tx: &mut StoreTx<'_>,
    import_id: ImportId,
    (kind, source_name, sha256): (&str, &str, &str),
    rows: u64,
    detail: serde_json::Value,
) -> Result<(), WorkbenchError> {
    tx.finish_import(import_id, sha256, rows, &detail.to_string())?;
    let mut audit_detail = detail;
    audit_detail["kind"] = kind.into();
    audit_detail["file"] = source_name.into();
    audit_detail["sha256"] = sha256.into();
    tx.audit(
        NewAuditEntry::new(AuditAction::BulkImported, format!("import:{import_id}"))
            .with_detail(audit_detail.to_string()),
    )?;
    Ok(())
}

/// The file's name without its folders (the imports table and the audit log name files so).
pub(super) fn file_name(source_name: &str) -> String {
    std::path::Path::new(source_name).file_name().map_or_else(
        || source_name.to_owned(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// How many rows after the first an import preview shows.
pub const PREVIEW_ROWS: usize = 8;

impl Workbench {
    /// Imports one bulk file through `spec`. `source_name` names the file in errors, the
    /// imports table and the audit log; `total_bytes` (the file's size, when known) lets
    /// progress give a fraction and time left. `progress` is called every few thousand rows
    /// and at the end; returning `Break` cancels, and nothing is changed.
    ///
    /// The spec is saved in the workbench under its name and version the first time it is
    /// used.
    ///
    /// # Errors
    /// [`WorkbenchError::ImportRow`] for the first bad row (unless skipping bad rows, where a
    /// file with no good row at all is still refused); [`WorkbenchError::AlreadyImported`];
    /// [`WorkbenchError::ImportSpecConflict`]; [`WorkbenchError::Cancelled`]; permission
    /// errors; SQL errors. In every case the workbench is unchanged.
    pub fn import_bulk<R: Read + Send>(
        &mut self,
        spec: &ImportSpec,
        source_name: &str,
        reader: R,
        total_bytes: Option<u64>,
        options: ImportOptions,
        progress: &mut dyn FnMut(&ImportProgress) -> ControlFlow<()>,
    ) -> Result<ImportReport, WorkbenchError> {
        self.require(if options.dry_run {
            Action::RehearseImport
        } else {
            Action::ImportData
        })?;
        let actor = self.actor();
        let source_name = file_name(source_name);
        let owner = self.user.id;
        let today = self.today();
        let work = |tx: &mut StoreTx<'_>| {
            run_import(
                tx,
                owner,
                today,
                spec,
                &source_name,
                reader,
                total_bytes,
                options,
                progress,
            )
        };
        if options.dry_run {
            let report = self.store.rehearse(&actor, work)?;
            self.record_dry_run(
                spec.kind.as_str(),
                &report.source_name,
                &report.sha256,
                report.rows_imported,
            )?;
            Ok(report)
        } else {
            self.store.write(&actor, work)
        }
    }

    /// Records a dry run: it changed nothing, but its match counts show what the unit holds.
    pub(super) fn record_dry_run(
        &mut self,
        kind: &str,
        source_name: &str,
        sha256: &str,
        rows: u64,
    ) -> Result<(), WorkbenchError> {
        let detail = serde_json::json!({
            "kind": kind,
            "file": source_name,
            "sha256": sha256,
            "rows": rows,
        });
        self.store.write(&self.actor(), |tx| {
            tx.audit(
                NewAuditEntry::new(AuditAction::ImportRehearsed, "import")
                    .with_detail(detail.to_string()),
            )
        })?;
        Ok(())
    }

    /// The first row and up to [`PREVIEW_ROWS`] more of a delimited file, for the user to map
    /// its columns before an import. Reads only the user's own file (nothing of the
    /// workbench's), so it changes nothing and is not audited; it needs the right to import.
    ///
    /// # Errors
    /// Permission errors (`ImportData`); [`WorkbenchError::FileRead`] naming the file by its
    /// file name; [`WorkbenchError::ImportRow`] (an empty file, a bad row) by line and column,
    /// never with a cell's value.
    pub fn preview_import(
        &mut self,
        path: &Path,
        delimiter: u8,
    ) -> Result<CsvPreview, WorkbenchError> {
        self.require(Action::ImportData)?;
        let file = user_file::open(path)?;
        crate::io::bulk_csv::preview(std::io::BufReader::new(file), delimiter, PREVIEW_ROWS)
            .map_err(|error| WorkbenchError::ImportRow {
                source_name: user_file::file_name(path),
                error,
            })
    }

    /// Every import spec saved in the workbench.
    ///
    /// # Errors
    /// Permission errors; SQL errors.
    pub fn import_specs(&mut self) -> Result<Vec<SavedSpec>, WorkbenchError> {
        self.require(Action::ImportData)?;
        Ok(self.store.reader().import_specs()?)
    }

    /// How many records of a bulk kind the workbench holds.
    ///
    /// # Errors
    /// Permission errors; SQL errors.
    pub fn bulk_record_count(&mut self, kind: ImportKind) -> Result<u64, WorkbenchError> {
        self.require(Action::ImportData)?;
        Ok(self.store.reader().bulk_record_count(kind)?)
    }
}

/// The import engine on a store, under no session: what [`Workbench::import_bulk`] runs after
/// its permission check, exposed so benchmarks can run the identical path on an encrypted
/// and an unencrypted store.
///
/// # Errors
/// As [`Workbench::import_bulk`].
#[cfg(feature = "test-hooks")]
pub fn import_into_store_for_benchmarks<R: Read + Send>(
    store: &mut crate::store::Store,
    actor: &crate::store::Actor,
    spec: &ImportSpec,
    reader: R,
    total_bytes: Option<u64>,
    progress: &mut dyn FnMut(&ImportProgress) -> ControlFlow<()>,
) -> Result<ImportReport, WorkbenchError> {
    store.write(actor, |tx| {
        run_import(
            tx,
            actor.user_id.unwrap_or(crate::domain::UserId(1)),
            crate::domain::Clock::system().today(),
            spec,
            "benchmark.csv",
            reader,
            total_bytes,
            ImportOptions::default(),
            progress,
        )
    })
}

#[expect(
    clippy::too_many_lines,
    reason = "the parse thread and the writer of one import, side by side"
)]
#[expect(
    clippy::too_many_arguments,
    reason = "one import: its transaction, owner, spec, source, reader, size, options and progress"
)]
fn run_import<R: Read + Send>(
    tx: &mut StoreTx<'_>,
    owner: crate::domain::UserId,
    today: crate::domain::IsoDate,
    spec: &ImportSpec,
    source_name: &str,
    reader: R,
    total_bytes: Option<u64>,
    options: ImportOptions,
    progress: &mut dyn FnMut(&ImportProgress) -> ControlFlow<()>,
) -> Result<ImportReport, WorkbenchError> {
    let started = Instant::now();
    let row_error = |error: RowError| WorkbenchError::ImportRow {
        source_name: source_name.to_owned(),
        error,
    };
    match tx.reader().import_spec_document(&spec.name, spec.version)? {
        Some(saved) if saved != spec.document => {
            return Err(WorkbenchError::ImportSpecConflict {
                name: spec.name.clone(),
                version: spec.version,
            });
        }
        Some(_) => {}
        None => tx.insert_import_spec(&spec.name, spec.version, spec.kind, &spec.document)?,
    }
    let matcher = tx.reader().nominal_matcher()?;
    let reference = tx
        .reader()
        .latest_reference()?
        .ok_or(WorkbenchError::Refused(
            "the workbench has no reference data",
        ))?;
    let import_id = tx.insert_import(spec.kind.as_str(), source_name, None, "{}")?;
    let hashing = HashingReader {
        inner: reader,
        hasher: Sha256::new(),
    };
    let rows = BulkCsvReader::new(spec, hashing)
        .map_err(row_error)?
        .refusing_dates_after(today);
    let mut report = ImportReport {
        import_id: None,
        kind: spec.kind,
        source_name: source_name.to_owned(),
        sha256: String::new(),
        spec_name: spec.name.clone(),
        spec_version: spec.version,
        dry_run: options.dry_run,
        rows_read: 0,
        rows_imported: 0,
        rows_rejected: 0,
        matched: MatchCounts::default(),
        rejects: Vec::new(),
        already_imported: None,
        nominals_created: 0,
        links_created: 0,
        links_corroborated: 0,
        items_created: 0,
        first_item: None,
        last_item: None,
        associations_registered: 0,
        associations_already_live: 0,
        elapsed_secs: 0.0,
    };
    let snapshot = |rows_read: u64, bytes_read: u64| ImportProgress {
        rows: rows_read,
        bytes_read,
        total_bytes,
        elapsed_secs: started.elapsed().as_secs_f64(),
    };
    let mut nominals = FileNominals::default();
    // Writes one batch; an error (cancelled, or a bad row not skipped) stops the import.
    let mut write_batch = |batch: &ParsedBatch| -> Result<(), WorkbenchError> {
        let mut plain = Vec::with_capacity(batch.rows.len());
        for row in &batch.rows {
            report.rows_read += 1;
            let (record, found) = match row {
                Ok(row) => row,
                Err(error) if options.skip_bad_rows => {
                    report.rows_rejected += 1;
                    if report.rejects.len() < MAX_REJECTS_KEPT {
                        report.rejects.push(error.clone());
                    }
                    continue;
                }
                Err(error) => return Err(row_error(error.clone())),
            };
            report.rows_imported += 1;
            count_matches(&mut report.matched, found);
            match record {
                BulkRecord::Nominal(row) => {
                    let id = match (found.staff)
                        .or(found.subject)
                        .or(found.caller)
                        .or(found.organisation)
                    {
                        Some(id) => id,
                        None => nominals.find_or_record(tx, &row.details, &mut report)?,
                    };
                    if let (Some(external), Some(system)) = (&row.external_id, &spec.id_system) {
                        tx.add_external_id(id, system, external, Some(import_id))?;
                    }
                    let mut link_to = |tx: &mut StoreTx<'_>,
                                       report: &mut ImportReport,
                                       link_type: &str,
                                       details: crate::domain::NominalDetails|
                     -> Result<(), WorkbenchError> {
                        let other = match match_nominal(&details, &matcher) {
                            RecordMatch {
                                caller: Some(id), ..
                            }
                            | RecordMatch {
                                organisation: Some(id),
                                ..
                            } => id,
                            _ => nominals.find_or_record(tx, &details, report)?,
                        };
                        let fields = crate::domain::LinkFields {
                            link_type: link_type.to_owned(),
                            from: id,
                            to: other,
                            valid_from: None,
                            valid_to: None,
                            confidence: "confirmed".into(),
                            provenance: Vec::new(),
                        };
                        if tx.record_imported_link(
                            &fields,
                            reference.link_is_directed(link_type),
                            reference.version,
                            import_id,
                        )? {
                            report.links_created += 1;
                        } else {
                            report.links_corroborated += 1;
                        }
                        Ok(())
                    };
                    if let Some(number) = &row.phone {
                        link_to(
                            tx,
                            &mut report,
                            "uses_phone",
                            crate::domain::NominalDetails::Phone {
                                number: number.clone(),
                            },
                        )?;
                    }
                    if let Some(name) = &row.ocg_name {
                        link_to(
                            tx,
                            &mut report,
                            "ocg_member",
                            crate::domain::NominalDetails::Ocg {
                                name: name.clone(),
                                description: String::new(),
                            },
                        )?;
                    }
                }
                BulkRecord::NotifiableAssociation(entry) => {
                    let (Some(employee), Some(associate)) = (found.staff, found.subject) else {
                        // Checked on the parse side; a row without both never gets here.
                        continue;
                    };
                    let draft = na_draft_of(entry, employee, associate);
                    match super::na_ops::register_in(
                        tx,
                        &draft,
                        (
                            reference.version,
                            reference.link_is_directed(super::na_ops::DECLARED_LINK_TYPE),
                        ),
                        Some(import_id),
                    )? {
                        Some(_) => report.associations_registered += 1,
                        None => report.associations_already_live += 1,
                    }
                }
                BulkRecord::IntelItem(row) => {
                    let fields = item_fields_of(row, found.subject, &reference);
                    let (_, item_reference) = tx.insert_item(
                        &fields,
                        reference.version,
                        crate::domain::INITIAL_STATUS,
                        owner,
                        today.year(),
                    )?;
                    report.items_created += 1;
                    report
                        .first_item
                        .get_or_insert_with(|| item_reference.clone());
                    report.last_item = Some(item_reference);
                }
                BulkRecord::Link(link) => {
                    let (Some(from), Some(to)) = (found.link_from, found.link_to) else {
                        // Checked on the parse side; a row without both ends never gets here.
                        continue;
                    };
                    // The import is the link's source, given to the store beside it. A link
                    // the workbench has already (or the file named before) is corroborated.
                    let fields = link_fields_of(link, from, to, Vec::new());
                    let created = tx.record_imported_link(
                        &fields,
                        reference.link_is_directed(&fields.link_type),
                        reference.version,
                        import_id,
                    )?;
                    if created {
                        report.links_created += 1;
                    } else {
                        report.links_corroborated += 1;
                    }
                }
                _ => plain.push((record, found)),
            }
        }
        tx.insert_bulk_records(import_id, &plain)?;
        if progress(&snapshot(report.rows_read, batch.bytes_read)).is_break() {
            return Err(WorkbenchError::Cancelled);
        }
        Ok(())
    };
    let context = ParseContext {
        spec,
        matcher: &matcher,
        reference: &reference,
        today,
        import_id,
    };
    let hasher = parse_and_write(rows, &context, &mut write_batch)?;
    if report.rows_read == 0 {
        return Err(row_error(RowError {
            line: if spec.header { 2 } else { 1 },
            column: None,
            reason: "the file has no rows".into(),
        }));
    }
    if report.rows_imported == 0 {
        return Err(row_error(RowError {
            line: report.rejects.first().map_or(1, |e| e.line),
            column: None,
            reason: "no row of the file could be imported".into(),
        }));
    }
    report.sha256 = hex::encode(hasher.finalize());
    report.already_imported = earlier_import_of(
        tx,
        (
            &report.sha256,
            spec.kind.as_str(),
            Some((&spec.name, spec.version)),
        ),
        options,
        source_name,
    )?;
    tx.set_import_spec(import_id, &spec.name, spec.version)?;
    let detail = serde_json::json!({
        "spec": spec.name,
        "spec_version": spec.version,
        "rows_read": report.rows_read,
        "rows_imported": report.rows_imported,
        "rows_rejected": report.rows_rejected,
        "nominals_created": report.nominals_created,
        "links_created": report.links_created,
        "links_corroborated": report.links_corroborated,
        "items_created": report.items_created,
        "first_item": report.first_item,
        "last_item": report.last_item,
        "skip_bad_rows": options.skip_bad_rows,
    });
    record_import(
        tx,
        import_id,
        (spec.kind.as_str(), source_name, &report.sha256),
        report.rows_imported,
        detail,
    )?;
    if !options.dry_run {
        report.import_id = Some(import_id);
    }
    report.elapsed_secs = started.elapsed().as_secs_f64();
    Ok(report)
}
