//! FollowTheMoney imports in the session: a JSON lines file of nominals and links (from a
//! regional unit, or a workbench's own export) recorded through the same rules as a CSV
//! import. Nominals are checked as typed ones are and matched to the workbench's before any is
//! recorded (staff number, phone, name with date of birth, organisation name, then identity key);
//! links join the entities of the file and carry the import as their source, corroborating a
//! link the workbench already has. One transaction: all or nothing unless asked to skip bad
//! lines; a file imported before is refused; a dry run rolls back.
//!
//! Unlike a CSV row, an FtM entity has an id: two entities of one file with different ids are
//! two records to the sender, so both are kept (the duplicate finder can then offer them for a
//! merge), unless the workbench can hold only one (the same staff number, phone, account or
//! vehicle).

use super::import_ops::{
    ImportOptions, ImportProgress, earlier_import_of, match_nominal, record_import,
};
use super::{Workbench, WorkbenchError};
use crate::domain::{Action, ImportId, LinkFields, NominalId, list};
use crate::io::bulk_csv::{MAX_ROW_BYTES, RowError};
use crate::io::ftm::{FtmLink, FtmRecord, read_ftm_line};
use crate::store::StoreTx;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::io::BufRead;
use std::ops::ControlFlow;
use std::time::Instant;

/// The confidence of a link the file does not grade (shared intelligence, not yet assessed).
const UNGRADED_CONFIDENCE: &str = "possible";

/// Lines read between two progress reports.
const PROGRESS_LINES: u64 = 1000;

/// What an FtM import did (or, dry, would do).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FtmImportReport {
    /// `None` for a dry run.
    pub import_id: Option<ImportId>,
    pub source_name: String,
    pub sha256: String,
    pub dry_run: bool,
    /// Entities read (lines that were not blank).
    pub entities_read: u64,
    pub entities_rejected: u64,
    /// Nominals recorded, and those that matched one the workbench (or the file) had.
    pub nominals_created: u64,
    pub nominals_matched: u64,
    pub links_created: u64,
    /// Links the workbench already had, which gained the import as a further source.
    pub links_corroborated: u64,
    /// The first rejected lines: line, property, reason (never a value).
    pub rejects: Vec<RowError>,
    /// An earlier import of the same file (a dry run reports it; a real run is refused).
    pub already_imported: Option<ImportId>,
    pub elapsed_secs: f64,
}

impl Workbench {
    /// Imports a FollowTheMoney JSON lines file. `source_name` names the file in errors, the
    /// imports table and the audit log; `progress` is called every thousand lines, and
    /// returning `Break` cancels, changing nothing.
    ///
    /// # Errors
    /// [`WorkbenchError::ImportRow`] for the first bad line (unless skipping bad lines);
    /// [`WorkbenchError::AlreadyImported`]; [`WorkbenchError::Cancelled`]; permission errors;
    /// I/O and SQL errors. In every case the workbench is unchanged.
    pub fn import_ftm<R: BufRead>(
        &mut self,
        source_name: &str,
        reader: R,
        total_bytes: Option<u64>,
        options: ImportOptions,
        progress: &mut dyn FnMut(&ImportProgress) -> ControlFlow<()>,
    ) -> Result<FtmImportReport, WorkbenchError> {
        self.require(if options.dry_run {
            Action::RehearseImport
        } else {
            Action::ImportData
        })?;
        let actor = self.actor();
        let source_name = super::import_ops::file_name(source_name);
        let today = self.today();
        let work = |tx: &mut StoreTx<'_>| {
            run_ftm_import(
                tx,
                &source_name,
                today,
                reader,
                total_bytes,
                options,
                progress,
            )
        };
        if options.dry_run {
            let report = self.store.rehearse(&actor, work)?;
            self.record_dry_run(
                "ftm",
                &report.source_name,
                &report.sha256,
                report.entities_read,
            )?;
            Ok(report)
        } else {
            self.store.write(&actor, work)
        }
    }
}

/// Where a bad line goes: into the report when skipping, else it ends the import.
fn reject(
    report: &mut FtmImportReport,
    options: ImportOptions,
    source_name: &str,
    error: RowError,
) -> Result<(), WorkbenchError> {
    if !options.skip_bad_rows {
        return Err(WorkbenchError::ImportRow {
            source_name: source_name.to_owned(),
            error,
        });
    }
    report.entities_rejected += 1;
    if report.rejects.len() < super::MAX_REJECTS_KEPT {
        report.rejects.push(error);
    }
    Ok(())
}

#[expect(
    clippy::too_many_lines,
    reason = "one pass over the file: entities, then the links held until every entity is known"
)]
fn run_ftm_import<R: BufRead>(
    tx: &mut StoreTx<'_>,
    source_name: &str,
    today: crate::domain::IsoDate,
    mut reader: R,
    total_bytes: Option<u64>,
    options: ImportOptions,
    progress: &mut dyn FnMut(&ImportProgress) -> ControlFlow<()>,
) -> Result<FtmImportReport, WorkbenchError> {
    let started = Instant::now();
    let matcher = tx.reader().nominal_matcher()?;
    let reference = tx
        .reader()
        .latest_reference()?
        .ok_or(WorkbenchError::Refused(
            "the workbench has no reference data",
        ))?;
    let import_id = tx.insert_import("ftm", source_name, None, "{}")?;
    let mut report = FtmImportReport {
        import_id: None,
        source_name: source_name.to_owned(),
        sha256: String::new(),
        dry_run: options.dry_run,
        entities_read: 0,
        entities_rejected: 0,
        nominals_created: 0,
        nominals_matched: 0,
        links_created: 0,
        links_corroborated: 0,
        rejects: Vec::new(),
        already_imported: None,
        elapsed_secs: 0.0,
    };
    // The file's entities as the workbench's nominals.
    let mut nominal_of: HashMap<String, NominalId> = HashMap::new();
    // Links wait until every entity is known: a file may name an entity after a link to it.
    let mut links: Vec<(u64, FtmLink)> = Vec::new();
    let mut hasher = Sha256::new();
    let mut bytes_read = 0u64;
    let mut line = Vec::new();
    let mut number = 0u64;
    loop {
        line.clear();
        let read = std::io::Read::take(&mut reader, MAX_ROW_BYTES as u64 + 1)
            .read_until(b'\n', &mut line)
            .map_err(|e| crate::store::StoreError::io("read", "the FtM file", e))?;
        if read == 0 {
            break;
        }
        number += 1;
        hasher.update(&line);
        bytes_read += read as u64;
        if line.len() > MAX_ROW_BYTES && !line.ends_with(b"\n") {
            return Err(WorkbenchError::ImportRow {
                source_name: source_name.to_owned(),
                error: RowError {
                    line: number,
                    column: None,
                    reason: format!("the line is longer than the limit of {MAX_ROW_BYTES} bytes"),
                },
            });
        }
        let Ok(text) = std::str::from_utf8(&line) else {
            report.entities_read += 1;
            let error = RowError {
                line: number,
                column: None,
                reason: "not valid UTF-8 (the file must be UTF-8)".into(),
            };
            reject(&mut report, options, source_name, error)?;
            continue;
        };
        // Tools on Windows often begin a UTF-8 file with a byte order mark.
        let text = if number == 1 {
            text.strip_prefix('\u{feff}').unwrap_or(text)
        } else {
            text
        };
        if text.trim().is_empty() {
            continue;
        }
        report.entities_read += 1;
        if report.entities_read.is_multiple_of(PROGRESS_LINES) {
            let snapshot = ImportProgress {
                rows: report.entities_read,
                bytes_read,
                total_bytes,
                elapsed_secs: started.elapsed().as_secs_f64(),
            };
            if progress(&snapshot).is_break() {
                return Err(WorkbenchError::Cancelled);
            }
        }
        let record = match read_ftm_line(number, text.trim_end()) {
            Ok(record) => record,
            Err(error) => {
                reject(&mut report, options, source_name, error)?;
                continue;
            }
        };
        let (id, mut details) = match record {
            FtmRecord::Link(ftm_link) => {
                links.push((number, ftm_link));
                continue;
            }
            FtmRecord::Nominal { id, details } => (id, details),
        };
        if nominal_of.contains_key(&id) {
            let error = RowError {
                line: number,
                column: Some("id".into()),
                reason: "an entity id the file has used before".into(),
            };
            reject(&mut report, options, source_name, error)?;
            continue;
        }
        // Checked as a nominal typed in is.
        let problem = details
            .normalise(super::DEFAULT_PHONE_REGION)
            .err()
            .or_else(|| details.validate(&reference, today).into_iter().next());
        if let Some(problem) = problem {
            let error = RowError {
                line: number,
                column: Some(problem.field.clone()),
                reason: format!("{}: {}", problem.field, problem.message),
            };
            reject(&mut report, options, source_name, error)?;
            continue;
        }
        let found = match_nominal(&details, &matcher);
        // Matched as a nominals CSV row is, against the workbench as it was; then by identity
        // key, which the workbench holds once (this file's earlier entities included).
        let by_rules = found
            .staff
            .or(found.subject)
            .or(found.caller)
            .or(found.organisation);
        let known = match (by_rules, details.identity_key()) {
            (Some(id), _) => Some(id),
            (None, Some(key)) => tx
                .reader()
                .nominal_by_identity(details.kind(), &key)?
                .filter(|n| n.merged_into.is_none())
                .map(|n| n.id),
            (None, None) => None,
        };
        let nominal = if let Some(existing) = known {
            report.nominals_matched += 1;
            existing
        } else {
            report.nominals_created += 1;
            tx.insert_nominal(&details)?
        };
        nominal_of.insert(id, nominal);
    }
    for (number, link) in links {
        let end = |id: &str, property: &str| {
            nominal_of.get(id).copied().ok_or_else(|| RowError {
                line: number,
                column: Some(property.to_owned()),
                reason: "the link names an entity the file does not hold (or that was rejected)"
                    .into(),
            })
        };
        let ends = end(&link.from, link.from_property)
            .and_then(|from| Ok((from, end(&link.to, link.to_property)?)));
        let (from, to) = match ends {
            Ok(ends) => ends,
            Err(error) => {
                reject(&mut report, options, source_name, error)?;
                continue;
            }
        };
        let link_type = link
            .named_type
            .as_deref()
            .filter(|t| reference.has(list::LINK_TYPE, t))
            .unwrap_or(link.schema_type)
            .to_owned();
        // Checked as a typed link is, with the import as its source; the store records that
        // source beside the link (or beside the same link already there).
        let mut fields = LinkFields {
            link_type,
            from,
            to,
            valid_from: link.valid_from,
            valid_to: link.valid_to,
            confidence: link
                .confidence
                .unwrap_or_else(|| UNGRADED_CONFIDENCE.to_owned()),
            provenance: vec![crate::domain::Provenance::Import { import_id }],
        };
        if let Some(problem) = fields.validate(&reference).into_iter().next() {
            let error = RowError {
                line: number,
                column: Some(problem.field.clone()),
                reason: format!("{}: {}", problem.field, problem.message),
            };
            reject(&mut report, options, source_name, error)?;
            continue;
        }
        fields.provenance.clear();
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
    if report.entities_read == 0 {
        return Err(WorkbenchError::ImportRow {
            source_name: source_name.to_owned(),
            error: RowError {
                line: 1,
                column: None,
                reason: "the file has no entities".into(),
            },
        });
    }
    if report.entities_read == report.entities_rejected {
        return Err(WorkbenchError::ImportRow {
            source_name: source_name.to_owned(),
            error: RowError {
                line: report.rejects.first().map_or(1, |e| e.line),
                column: None,
                reason: "no entity of the file could be imported".into(),
            },
        });
    }
    report.sha256 = hex::encode(hasher.finalize());
    report.already_imported =
        earlier_import_of(tx, (&report.sha256, "ftm", None), options, source_name)?;
    let detail = serde_json::json!({
        "format": "ftm",
        "entities_read": report.entities_read,
        "entities_rejected": report.entities_rejected,
        "nominals_created": report.nominals_created,
        "nominals_matched": report.nominals_matched,
        "links_created": report.links_created,
        "links_corroborated": report.links_corroborated,
        "skip_bad_rows": options.skip_bad_rows,
    });
    record_import(
        tx,
        import_id,
        ("ftm", source_name, &report.sha256),
        report.entities_read - report.entities_rejected,
        detail,
    )?;
    if !options.dry_run {
        report.import_id = Some(import_id);
    }
    report.elapsed_secs = started.elapsed().as_secs_f64();
    Ok(report)
}
