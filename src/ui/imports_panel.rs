//! The Imports area: the import wizard (choose a file, preview its first rows, choose or map
//! a spec, check it, dry run, import with progress and cancel), the same for a FollowTheMoney
//! JSON lines file (no spec: FtM names its own properties), and the cross-reference leads
//! (run, filter, read the explanation, promote to intelligence). The session thread does the
//! reading and writing; this panel only asks and shows.

mod leads;
mod reports;
mod wizard;

use super::app_command::{CommandQueue, MainCommand};
use super::session::{Origin, Request};
use super::session_view::SessionView;
use super::{theme, widgets};
use crate::domain::{FieldType, ImportKind, LeadId};
use crate::io::bulk_csv::{CsvPreview, RowError};
use crate::io::import_spec::{self, ColumnMapping, ColumnRef, ImportSpec};
use crate::risk::crossref::{DEFAULT_HOSPITALITY_WINDOW_DAYS, LeadKind};
use crate::store::StoredLead;
use crate::workbench::{FtmImportReport, ImportOptions, ImportProgress, ImportReport};
use egui::{RichText, Ui};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// The two halves of the area.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ImportsTab {
    #[default]
    Import,
    Leads,
}

/// Where the import's spec comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SpecSource {
    /// The spec shipped for the kind (`assets/import_specs/`).
    #[default]
    Shipped,
    /// A spec file the user chose.
    File,
    /// Columns mapped in the wizard.
    Mapped,
}

/// What kind of file the wizard imports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ImportFormat {
    /// Bulk CSV (audit events, calls, registers…) read through an import spec.
    #[default]
    Csv,
    /// FollowTheMoney JSON lines: nominals and links, one entity a line.
    Ftm,
}

impl ImportFormat {
    /// What the progress bar counts.
    fn unit(self) -> &'static str {
        match self {
            ImportFormat::Csv => "rows",
            ImportFormat::Ftm => "lines",
        }
    }
}

/// An import running on the session thread.
#[derive(Debug)]
pub struct RunningImport {
    pub format: ImportFormat,
    pub dry_run: bool,
    pub cancel: Arc<AtomicBool>,
    pub progress: Option<ImportProgress>,
}

/// The import wizard's state.
#[derive(Debug)]
pub struct ImportWizard {
    pub format: ImportFormat,
    pub kind: ImportKind,
    pub file: Option<PathBuf>,
    pub preview: Option<CsvPreview>,
    pub source: SpecSource,
    /// The spec file chosen, once read.
    pub spec_file: Option<(PathBuf, ImportSpec)>,
    /// One entry per field of the kind.
    pub mapping: Vec<ColumnMapping>,
    pub mapped_name: String,
    pub mapped_version: String,
    pub delimiter: String,
    /// The system whose ids the file's external id columns hold (`rms`), for a mapped spec.
    pub id_system: String,
    /// Import the good rows (or FtM lines) and list the bad ones, instead of refusing the file.
    pub skip_bad_rows: bool,
    /// The FollowTheMoney file chosen.
    pub ftm_file: Option<PathBuf>,
    /// Run the FtM import as a dry run: everything read and matched, nothing changed.
    pub ftm_dry_run: bool,
    /// The one import (CSV or FtM) running: the session thread runs one at a time.
    pub running: Option<RunningImport>,
    pub report: Option<ImportReport>,
    pub ftm_report: Option<FtmImportReport>,
    /// The outcome of "Check the spec".
    pub check: Option<Result<String, String>>,
    pub error: Option<String>,
}

impl Default for ImportWizard {
    fn default() -> Self {
        Self {
            format: ImportFormat::Csv,
            kind: ImportKind::AuditEvents,
            file: None,
            preview: None,
            source: SpecSource::Shipped,
            spec_file: None,
            mapping: mapping_for(ImportKind::AuditEvents),
            mapped_name: "mapped-audit-events".into(),
            mapped_version: "1".into(),
            delimiter: ",".into(),
            id_system: String::new(),
            skip_bad_rows: false,
            ftm_file: None,
            ftm_dry_run: false,
            running: None,
            report: None,
            ftm_report: None,
            check: None,
            error: None,
        }
    }
}

fn mapping_for(kind: ImportKind) -> Vec<ColumnMapping> {
    kind.fields()
        .iter()
        .map(|f| ColumnMapping {
            field: f.name.to_owned(),
            column: String::new(),
            format: String::new(),
        })
        .collect()
}

/// The leads half's state.
#[derive(Debug)]
pub struct LeadsView {
    pub rows: Option<Vec<StoredLead>>,
    requested: bool,
    pub kind_filter: Option<LeadKind>,
    pub hide_promoted: bool,
    pub selected: Option<LeadId>,
    pub window_days: String,
    /// The score from which a pattern is kept, as typed.
    pub threshold: String,
    /// What the last run found below the threshold (not kept: shown greyed under the leads).
    pub below: Vec<crate::workbench::BelowThreshold>,
    pub running: bool,
    pub notice: Option<String>,
    /// The lead being promoted, and the grading being chosen for its item.
    pub grading: Option<(LeadId, super::grading_form::GradingForm)>,
}

impl Default for LeadsView {
    fn default() -> Self {
        Self {
            rows: None,
            requested: false,
            kind_filter: None,
            hide_promoted: false,
            selected: None,
            window_days: DEFAULT_HOSPITALITY_WINDOW_DAYS.to_string(),
            threshold: crate::risk::crossref::LEAD_THRESHOLD.to_string(),
            below: Vec::new(),
            running: false,
            notice: None,
            grading: None,
        }
    }
}

/// State of the Imports area.
#[derive(Debug, Default)]
pub struct ImportsPanel {
    pub tab: ImportsTab,
    pub wizard: ImportWizard,
    pub leads: LeadsView,
}

fn lead_kinds() -> [LeadKind; 8] {
    LeadKind::ALL
}

impl ImportsPanel {
    /// The file chosen in the dialog: read its first rows.
    pub fn file_chosen(&mut self, path: PathBuf, commands: &CommandQueue) {
        self.wizard.file = Some(path.clone());
        self.wizard.preview = None;
        self.wizard.report = None;
        self.wizard.error = None;
        let delimiter = self.wizard.delimiter.bytes().next().unwrap_or(b',');
        commands.request(
            Origin::ImportWizard,
            Request::PreviewImport { path, delimiter },
        );
    }

    /// The FtM file chosen in the dialog (read when imported: FtM needs no preview to map).
    pub fn ftm_file_chosen(&mut self, path: PathBuf) {
        self.wizard.format = ImportFormat::Ftm;
        self.wizard.ftm_file = Some(path);
        self.wizard.ftm_report = None;
        self.wizard.error = None;
    }

    /// The spec file chosen in the dialog, read (or why not).
    pub fn spec_file_chosen(&mut self, path: PathBuf, spec: Result<ImportSpec, String>) {
        match spec {
            Ok(spec) => {
                self.wizard.kind = spec.kind;
                self.wizard.spec_file = Some((path, spec));
                self.wizard.source = SpecSource::File;
                self.wizard.check = None;
            }
            Err(message) => self.wizard.check = Some(Err(message)),
        }
    }

    /// The first rows arrived: map what can be mapped from the header.
    pub fn previewed(&mut self, path: &std::path::Path, preview: CsvPreview) {
        if self.wizard.file.as_deref() != Some(path) {
            return;
        }
        self.auto_map(&preview.header);
        self.wizard.preview = Some(preview);
    }

    /// Fills each unmapped field from the shipped spec's column names, or a header that reads
    /// as the field's name.
    fn auto_map(&mut self, header: &[String]) {
        let shipped = import_spec::shipped_spec(self.wizard.kind).ok();
        for mapping in &mut self.wizard.mapping {
            if !mapping.column.is_empty() {
                continue;
            }
            let from_shipped = shipped.as_ref().and_then(|spec| {
                let index = self.wizard.kind.field_index(&mapping.field)?;
                spec.columns.iter().find_map(|c| match &c.column {
                    ColumnRef::Name(name) if c.fields == [index] && header.contains(name) => {
                        Some(name.clone())
                    }
                    _ => None,
                })
            });
            let by_name = || {
                header
                    .iter()
                    .find(|h| h.to_lowercase().replace([' ', '-'], "_") == mapping.field)
                    .cloned()
            };
            if let Some(column) = from_shipped.or_else(by_name) {
                mapping.column = column;
            }
        }
    }

    pub fn import_progress(&mut self, progress: ImportProgress) {
        if let Some(running) = &mut self.wizard.running {
            running.progress = Some(progress);
        }
    }

    pub fn imported(&mut self, report: ImportReport) {
        self.wizard.running = None;
        self.wizard.error = None;
        self.wizard.report = Some(report);
        // New data: the leads may have changed.
        self.leads.requested = false;
    }

    pub fn ftm_imported(&mut self, report: FtmImportReport) {
        self.wizard.running = None;
        self.wizard.error = None;
        self.wizard.ftm_report = Some(report);
        // New nominals and links: the leads may have changed.
        self.leads.requested = false;
    }

    pub fn import_failed(&mut self, message: String) {
        self.wizard.running = None;
        self.wizard.error = Some(message);
    }

    pub fn leads_read(&mut self, rows: Vec<StoredLead>) {
        self.leads.running = false;
        self.leads.rows = Some(rows);
    }

    /// A lead was recorded as an item: say so, and read the leads again on the next frame.
    pub fn lead_promoted(&mut self, lead: LeadId, reference: &str) {
        self.leads.notice = Some(format!("Lead {lead} recorded as {reference}."));
        self.leads.requested = false;
        self.leads.rows = None;
    }

    /// A request failed: stop waiting for it.
    pub fn failed(&mut self) {
        self.leads.running = false;
    }

    /// The spec the wizard would import with, or why there is none.
    fn spec(&self) -> Result<ImportSpec, String> {
        let wizard = &self.wizard;
        match wizard.source {
            SpecSource::Shipped => {
                import_spec::shipped_spec(wizard.kind).map_err(|e| e.to_string())
            }
            SpecSource::File => wizard
                .spec_file
                .as_ref()
                .map(|(_, spec)| spec.clone())
                .ok_or_else(|| "choose a spec file first".to_owned()),
            SpecSource::Mapped => {
                let version: u32 = wizard
                    .mapped_version
                    .trim()
                    .parse()
                    .map_err(|_| "the spec version must be a whole number".to_owned())?;
                let mut chars = wizard.delimiter.chars();
                let (Some(delimiter), None) = (chars.next(), chars.next()) else {
                    return Err("the delimiter must be one character".into());
                };
                import_spec::spec_from_mapping(
                    import_spec::MappedSpec {
                        name: wizard.mapped_name.trim(),
                        version,
                        kind: wizard.kind,
                        delimiter,
                        id_system: Some(wizard.id_system.as_str()),
                    },
                    &wizard.mapping,
                )
                .map_err(|e| e.to_string())
            }
        }
    }

    /// Checks the spec against the file's header.
    fn check_spec(&self) -> Result<String, String> {
        let spec = self.spec()?;
        if spec.kind != self.wizard.kind {
            return Err(format!(
                "the spec is for {}, not {}",
                spec.kind.label(),
                self.wizard.kind.label()
            ));
        }
        if let Some(preview) = &self.wizard.preview
            && spec.header
        {
            for column in &spec.columns {
                if let ColumnRef::Name(name) = &column.column
                    && !preview.header.contains(name)
                {
                    return Err(format!("the file has no column \"{name}\""));
                }
            }
        }
        Ok(format!(
            "Spec {} version {} reads {} column(s) into {}.",
            spec.name,
            spec.version,
            spec.columns.len(),
            spec.kind.label()
        ))
    }

    /// Marks an import as running (either kind) and forgets the last outcome; returns the
    /// cancel flag the session thread will read.
    fn begin(&mut self, format: ImportFormat, dry_run: bool) -> Arc<AtomicBool> {
        let cancel = Arc::new(AtomicBool::new(false));
        self.wizard.running = Some(RunningImport {
            format,
            dry_run,
            cancel: Arc::clone(&cancel),
            progress: None,
        });
        self.wizard.report = None;
        self.wizard.ftm_report = None;
        self.wizard.error = None;
        cancel
    }

    fn start_ftm(&mut self, commands: &CommandQueue) {
        let Some(path) = self.wizard.ftm_file.clone() else {
            return;
        };
        let options = ImportOptions {
            dry_run: self.wizard.ftm_dry_run,
            skip_bad_rows: self.wizard.skip_bad_rows,
        };
        let cancel = self.begin(ImportFormat::Ftm, options.dry_run);
        commands.request(
            Origin::ImportWizard,
            Request::ImportFtmFile {
                path,
                options,
                cancel,
            },
        );
    }

    fn start(&mut self, dry_run: bool, commands: &CommandQueue) {
        let Some(path) = self.wizard.file.clone() else {
            return;
        };
        match self.check_spec().and_then(|_| self.spec()) {
            Ok(spec) => {
                let cancel = self.begin(ImportFormat::Csv, dry_run);
                commands.request(
                    Origin::ImportWizard,
                    Request::ImportFile {
                        spec: Box::new(spec),
                        path,
                        options: ImportOptions {
                            dry_run,
                            skip_bad_rows: self.wizard.skip_bad_rows,
                        },
                        cancel,
                    },
                );
            }
            Err(message) => self.wizard.check = Some(Err(message)),
        }
    }

    pub fn ui(&mut self, ui: &mut Ui, session: &SessionView, commands: &CommandQueue) {
        if session.purpose.is_none() {
            ui.label(
                RichText::new("Set a purpose (top bar) to import data or read leads.")
                    .color(theme::MUTED),
            );
            return;
        }
        ui.horizontal(|ui| {
            ui.selectable_value(&mut self.tab, ImportsTab::Import, "Import a file");
            ui.selectable_value(&mut self.tab, ImportsTab::Leads, "Cross-reference leads");
        });
        ui.separator();
        match self.tab {
            ImportsTab::Import => self.wizard_ui(ui, commands),
            ImportsTab::Leads => self.leads_ui(ui, session, commands),
        }
    }
}
