//! The Imports area: the import wizard (choose a file, preview its first rows, choose or map
//! a spec, check it, dry run, import with progress and cancel), the same for a FollowTheMoney
//! JSON lines file (no spec: FtM names its own properties), and the cross-reference leads
//! (run, filter, read the explanation, promote to intelligence). The session thread does the
//! reading and writing; this panel only asks and shows.

use super::app_command::{AppCommand, CommandQueue};
use super::session_view::SessionView;
use super::session_worker::Request;
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
    pub running: bool,
    pub notice: Option<String>,
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
            running: false,
            notice: None,
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

fn lead_kinds() -> [LeadKind; 5] {
    [
        LeadKind::WatchedLookup,
        LeadKind::CallsWithCriminals,
        LeadKind::HospitalityBeforeContract,
        LeadKind::SanctionedStillQuerying,
        LeadKind::UndeclaredAssociation,
    ]
}

impl ImportsPanel {
    /// The file chosen in the dialog: read its first rows.
    pub fn file_chosen(&mut self, path: PathBuf, commands: &CommandQueue) {
        self.wizard.file = Some(path.clone());
        self.wizard.preview = None;
        self.wizard.report = None;
        self.wizard.error = None;
        let delimiter = self.wizard.delimiter.bytes().next().unwrap_or(b',');
        commands.send(AppCommand::Send(Request::PreviewImport { path, delimiter }));
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
                    wizard.mapped_name.trim(),
                    version,
                    wizard.kind,
                    delimiter,
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
        commands.send(AppCommand::Send(Request::ImportFtmFile {
            path,
            options,
            cancel,
        }));
    }

    fn start(&mut self, dry_run: bool, commands: &CommandQueue) {
        let Some(path) = self.wizard.file.clone() else {
            return;
        };
        match self.check_spec().and_then(|_| self.spec()) {
            Ok(spec) => {
                let cancel = self.begin(ImportFormat::Csv, dry_run);
                commands.send(AppCommand::Send(Request::ImportFile {
                    spec: Box::new(spec),
                    path,
                    options: ImportOptions {
                        dry_run,
                        skip_bad_rows: self.wizard.skip_bad_rows,
                    },
                    cancel,
                }));
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
            ImportsTab::Leads => self.leads_ui(ui, commands),
        }
    }

    fn wizard_ui(&mut self, ui: &mut Ui, commands: &CommandQueue) {
        let busy = self.wizard.running.is_some();
        let format_before = self.wizard.format;
        ui.add_enabled_ui(!busy, |ui| {
            ui.horizontal(|ui| {
                ui.label("File format");
                ui.radio_value(
                    &mut self.wizard.format,
                    ImportFormat::Csv,
                    "CSV through a spec",
                );
                ui.radio_value(
                    &mut self.wizard.format,
                    ImportFormat::Ftm,
                    "FollowTheMoney JSON lines",
                );
            });
            match self.wizard.format {
                ImportFormat::Csv => self.csv_ui(ui, commands),
                ImportFormat::Ftm => self.ftm_ui(ui, commands),
            }
        });
        if self.wizard.format != format_before {
            // An error was about the other kind of file.
            self.wizard.error = None;
        }
        if self.wizard.format == ImportFormat::Csv {
            match &self.wizard.check {
                Some(Ok(message)) => {
                    ui.label(RichText::new(message).color(theme::OK));
                }
                Some(Err(message)) => widgets::error_ui(ui, message),
                None => {}
            }
        }
        if let Some(running) = &self.wizard.running {
            running_ui(ui, running);
        }
        if let Some(error) = &self.wizard.error {
            widgets::error_ui(ui, error);
        }
        match self.wizard.format {
            ImportFormat::Csv => {
                if let Some(report) = &self.wizard.report {
                    report_ui(ui, report);
                }
            }
            ImportFormat::Ftm => {
                if let Some(report) = &self.wizard.ftm_report {
                    ftm_report_ui(ui, report);
                }
            }
        }
    }

    /// The FtM half of the wizard: the file, the options, the button.
    fn ftm_ui(&mut self, ui: &mut Ui, commands: &CommandQueue) {
        ui.horizontal(|ui| {
            ui.label("File");
            if ui.button("Choose FtM file…").clicked() {
                commands.send(AppCommand::PickFtmFile);
            }
            ui.label(
                self.wizard
                    .ftm_file
                    .as_ref()
                    .map_or_else(|| "No file chosen".to_owned(), |p| p.display().to_string()),
            );
        });
        ui.label(
            RichText::new(
                "Nominals and links, one entity a line (a regional unit's share, or a \
                 workbench's own export). Each entity is checked and matched to the \
                 workbench's nominals as a CSV row is; each link records this import as its \
                 source, or corroborates the link already recorded.",
            )
            .color(theme::MUTED),
        );
        ui.checkbox(
            &mut self.wizard.ftm_dry_run,
            "Dry run (read and match everything, then change nothing)",
        );
        ui.checkbox(
            &mut self.wizard.skip_bad_rows,
            "Skip bad lines (import the rest and list the rejected lines)",
        );
        let ready = self.wizard.ftm_file.is_some();
        let label = if self.wizard.ftm_dry_run {
            "Dry run the FtM file"
        } else {
            "Import the FtM file"
        };
        if ui.add_enabled(ready, egui::Button::new(label)).clicked() {
            self.start_ftm(commands);
        }
    }

    /// The CSV half of the wizard: kind, file, spec, preview, options, buttons.
    fn csv_ui(&mut self, ui: &mut Ui, commands: &CommandQueue) {
        egui::Grid::new("import_wizard_grid")
            .num_columns(2)
            .spacing([theme::ITEM_SPACING * 2.0, theme::ITEM_SPACING])
            .show(ui, |ui| {
                ui.label("Record kind");
                let mut kind = self.wizard.kind;
                egui::ComboBox::from_id_salt("import_kind")
                    .selected_text(kind.label())
                    .show_ui(ui, |ui| {
                        for k in ImportKind::ALL {
                            ui.selectable_value(&mut kind, k, k.label());
                        }
                    })
                    .response
                    .widget_info(|| {
                        egui::WidgetInfo::labeled(egui::Role::ComboBox, true, "Record kind")
                    });
                if kind != self.wizard.kind {
                    self.wizard.kind = kind;
                    self.wizard.mapping = mapping_for(kind);
                    self.wizard.mapped_name = format!("mapped-{}", kind.as_str().replace('_', "-"));
                    self.wizard.check = None;
                    if let Some(header) = self.wizard.preview.as_ref().map(|p| p.header.clone()) {
                        self.auto_map(&header);
                    }
                }
                ui.end_row();

                ui.label("File");
                ui.horizontal(|ui| {
                    if ui.button("Choose file…").clicked() {
                        commands.send(AppCommand::PickImportFile);
                    }
                    ui.label(
                        self.wizard.file.as_ref().map_or_else(
                            || "No file chosen".to_owned(),
                            |p| p.display().to_string(),
                        ),
                    );
                });
                ui.end_row();

                ui.label("Spec");
                ui.horizontal(|ui| {
                    ui.radio_value(&mut self.wizard.source, SpecSource::Shipped, "Shipped spec");
                    ui.radio_value(&mut self.wizard.source, SpecSource::File, "Spec file");
                    ui.radio_value(
                        &mut self.wizard.source,
                        SpecSource::Mapped,
                        "Map columns here",
                    );
                });
                ui.end_row();
            });
        match self.wizard.source {
            SpecSource::Shipped => {
                ui.label(
                    RichText::new(format!(
                        "The shipped spec for {} (assets/import_specs/{}.toml).",
                        self.wizard.kind.label(),
                        self.wizard.kind.as_str()
                    ))
                    .color(theme::MUTED),
                );
            }
            SpecSource::File => {
                ui.horizontal(|ui| {
                    if ui.button("Choose spec file…").clicked() {
                        commands.send(AppCommand::PickImportSpec);
                    }
                    if let Some((path, spec)) = &self.wizard.spec_file {
                        ui.label(format!(
                            "{} ({} v{})",
                            path.display(),
                            spec.name,
                            spec.version
                        ));
                    }
                });
            }
            SpecSource::Mapped => self.mapping_ui(ui),
        }
        self.preview_ui(ui);
        ui.checkbox(
            &mut self.wizard.skip_bad_rows,
            "Skip bad rows (import the rest and list the rejected rows)",
        );
        ui.horizontal(|ui| {
            if ui.button("Check the spec").clicked() {
                self.wizard.check = Some(self.check_spec());
            }
            let ready = self.wizard.file.is_some();
            if ui
                .add_enabled(ready, egui::Button::new("Dry run"))
                .clicked()
            {
                self.start(true, commands);
            }
            if ui.add_enabled(ready, egui::Button::new("Import")).clicked() {
                self.start(false, commands);
            }
        });
    }

    fn mapping_ui(&mut self, ui: &mut Ui) {
        let header = self
            .wizard
            .preview
            .as_ref()
            .map(|p| p.header.clone())
            .unwrap_or_default();
        ui.horizontal(|ui| {
            widgets::labelled_text_ui(ui, "Spec name", &mut self.wizard.mapped_name, "my-export");
        });
        ui.horizontal(|ui| {
            let label = ui.label("Spec version");
            ui.add(egui::TextEdit::singleline(&mut self.wizard.mapped_version).desired_width(48.0))
                .labelled_by(label.id);
            let label = ui.label("Delimiter");
            ui.add(egui::TextEdit::singleline(&mut self.wizard.delimiter).desired_width(24.0))
                .labelled_by(label.id);
        });
        if header.is_empty() {
            ui.label(RichText::new("Choose a file to map its columns.").color(theme::MUTED));
            return;
        }
        let kind = self.wizard.kind;
        egui::Grid::new("import_mapping_grid")
            .num_columns(3)
            .striped(true)
            .show(ui, |ui| {
                ui.label(RichText::new("Field").strong());
                ui.label(RichText::new("Column").strong());
                ui.label(RichText::new("Date format").strong());
                ui.end_row();
                for (def, mapping) in kind.fields().iter().zip(&mut self.wizard.mapping) {
                    let name = if def.required {
                        format!("{} (required)", def.name)
                    } else {
                        def.name.to_owned()
                    };
                    ui.label(&name);
                    let shown = if mapping.column.is_empty() {
                        "(not mapped)".to_owned()
                    } else {
                        mapping.column.clone()
                    };
                    let accessible = format!("Column for {}", def.name);
                    egui::ComboBox::from_id_salt(("import_map", def.name))
                        .selected_text(shown)
                        .show_ui(ui, |ui| {
                            ui.selectable_value(&mut mapping.column, String::new(), "(not mapped)");
                            for column in &header {
                                ui.selectable_value(&mut mapping.column, column.clone(), column);
                            }
                        })
                        .response
                        .widget_info(|| {
                            egui::WidgetInfo::labeled(egui::Role::ComboBox, true, &accessible)
                        });
                    if matches!(def.ty, FieldType::Date | FieldType::Timestamp) {
                        let label = format!("Date format for {}", def.name);
                        ui.add(
                            egui::TextEdit::singleline(&mut mapping.format)
                                .hint_text("ISO 8601, or [day]/[month]/[year]")
                                .desired_width(240.0),
                        )
                        .widget_info(|| {
                            egui::WidgetInfo::labeled(egui::Role::TextInput, true, &label)
                        });
                    } else {
                        ui.label("");
                    }
                    ui.end_row();
                }
            });
    }

    fn preview_ui(&self, ui: &mut Ui) {
        let Some(preview) = &self.wizard.preview else {
            if self.wizard.file.is_some() {
                widgets::busy_ui(ui, "Reading the first rows…");
            }
            return;
        };
        ui.label(RichText::new(format!("First {} row(s)", preview.rows.len())).strong());
        egui::ScrollArea::horizontal()
            .id_salt("import_preview_scroll")
            .max_height(180.0)
            .show(ui, |ui| {
                egui::Grid::new("import_preview_grid")
                    .striped(true)
                    .show(ui, |ui| {
                        for name in &preview.header {
                            ui.label(RichText::new(name).strong());
                        }
                        ui.end_row();
                        for row in &preview.rows {
                            for cell in row {
                                ui.label(cell);
                            }
                            ui.end_row();
                        }
                    });
            });
    }

    fn leads_ui(&mut self, ui: &mut Ui, commands: &CommandQueue) {
        let leads = &mut self.leads;
        if !leads.requested {
            leads.requested = true;
            leads.rows = None;
            commands.send(AppCommand::Send(Request::Leads));
        }
        ui.horizontal(|ui| {
            let label = ui.label("Hospitality window (days)");
            ui.add(egui::TextEdit::singleline(&mut leads.window_days).desired_width(48.0))
                .labelled_by(label.id);
            let window: Option<i64> = leads
                .window_days
                .trim()
                .parse()
                .ok()
                .filter(|d| (0..=3650).contains(d));
            if ui
                .add_enabled(
                    window.is_some() && !leads.running,
                    egui::Button::new("Run cross-reference"),
                )
                .clicked()
                && let Some(window_days) = window
            {
                leads.running = true;
                leads.notice = None;
                commands.send(AppCommand::Send(Request::CrossReference { window_days }));
            }
            if leads.running {
                ui.spinner();
            }
        });
        ui.horizontal(|ui| {
            ui.label("Pattern:");
            let mut filter = leads.kind_filter;
            egui::ComboBox::from_id_salt("lead_kind_filter")
                .selected_text(filter.map_or("Every pattern", LeadKind::label))
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut filter, None, "Every pattern");
                    for kind in lead_kinds() {
                        ui.selectable_value(&mut filter, Some(kind), kind.label());
                    }
                })
                .response
                .widget_info(|| {
                    egui::WidgetInfo::labeled(egui::Role::ComboBox, true, "Pattern filter")
                });
            leads.kind_filter = filter;
            ui.checkbox(&mut leads.hide_promoted, "Hide promoted leads");
        });
        if let Some(notice) = &leads.notice {
            ui.label(RichText::new(notice).color(theme::OK));
        }
        let Some(rows) = &leads.rows else {
            widgets::busy_ui(ui, "Reading the leads…");
            return;
        };
        let shown: Vec<&StoredLead> = rows
            .iter()
            .filter(|l| leads.kind_filter.is_none_or(|k| k.as_str() == l.kind))
            .filter(|l| !leads.hide_promoted || l.promoted_item.is_none())
            .collect();
        ui.label(format!("{} of {} lead(s)", shown.len(), rows.len()));
        egui::ScrollArea::vertical()
            .id_salt("leads_scroll")
            .max_height(260.0)
            .show(ui, |ui| {
                egui::Grid::new("leads_grid").striped(true).show(ui, |ui| {
                    ui.label(RichText::new("Score").strong());
                    ui.label(RichText::new("Pattern").strong());
                    ui.label(RichText::new("Summary").strong());
                    ui.end_row();
                    for lead in &shown {
                        ui.label(lead.score.to_string());
                        let pattern = LeadKind::parse(&lead.kind)
                            .map_or_else(|| lead.kind.clone(), |k| k.label().to_owned());
                        ui.label(pattern);
                        let summary = lead.explanation.first().cloned().unwrap_or_default();
                        let summary = if lead.promoted_item.is_some() {
                            format!("{summary} (promoted)")
                        } else {
                            summary
                        };
                        if ui
                            .selectable_label(leads.selected == Some(lead.id), summary)
                            .clicked()
                        {
                            leads.selected = Some(lead.id);
                        }
                        ui.end_row();
                    }
                });
            });
        let Some(lead) = leads
            .selected
            .and_then(|id| rows.iter().find(|l| l.id == id))
        else {
            return;
        };
        ui.separator();
        ui.label(RichText::new(format!("Lead {} · score {} of 100", lead.id, lead.score)).strong());
        for line in &lead.explanation {
            ui.label(line);
        }
        ui.label(
            RichText::new(format!(
                "First found {}, last found {}.",
                lead.first_found_at_utc, lead.last_found_at_utc
            ))
            .color(theme::MUTED),
        );
        if lead.promoted_item.is_some() {
            ui.label(
                RichText::new("Already recorded as an intelligence item.").color(theme::MUTED),
            );
        } else if ui.button("Promote to intelligence").clicked() {
            commands.send(AppCommand::Send(Request::PromoteLead(lead.id)));
        }
    }
}

/// The progress of the running import (CSV or FtM) and its Cancel button, which sets the flag
/// the session thread reads between rows: the import then stops and changes nothing.
fn running_ui(ui: &mut Ui, running: &RunningImport) {
    ui.add_space(theme::ITEM_SPACING);
    let fraction = running.progress.and_then(|p| p.fraction()).unwrap_or(0.0);
    let unit = running.format.unit();
    let text = running.progress.map_or_else(
        || "Starting…".to_owned(),
        |p| {
            let eta = p
                .eta_secs()
                .map(|s| format!(", about {s:.0} s left"))
                .unwrap_or_default();
            format!("{} {unit}, {:.0} {unit}/s{eta}", p.rows, p.rows_per_sec())
        },
    );
    #[allow(clippy::cast_possible_truncation)] // a fraction from 0 to 1
    ui.add(egui::ProgressBar::new(fraction as f32).text(text));
    ui.horizontal(|ui| {
        ui.label(if running.dry_run {
            "Dry run in progress"
        } else {
            "Import in progress"
        });
        if ui.button("Cancel").clicked() {
            running.cancel.store(true, Ordering::Relaxed);
        }
    });
}

/// A refusal of a file imported before, and the rejected rows or lines: where and why, never
/// a value (the library's messages hold none).
fn refusals_ui(
    ui: &mut Ui,
    already_imported: Option<crate::domain::ImportId>,
    (rejected, noun): (u64, &str),
    rejects: &[RowError],
    describe: impl Fn(&RowError) -> String,
) {
    if let Some(earlier) = already_imported {
        widgets::error_ui(
            ui,
            &format!(
                "This file was already imported (import {earlier}): an import would be refused."
            ),
        );
    }
    if rejected > 0 {
        widgets::error_ui(ui, &format!("{rejected} {noun} rejected:"));
        for reject in rejects.iter().take(20) {
            ui.label(describe(reject));
        }
    }
}

/// What an FtM import did, or would do.
fn ftm_report_ui(ui: &mut Ui, report: &FtmImportReport) {
    ui.add_space(theme::ITEM_SPACING);
    let accepted = report.entities_read - report.entities_rejected;
    let heading = if report.dry_run {
        format!(
            "Dry run: {accepted} of {} entities would be imported; nothing was changed.",
            report.entities_read
        )
    } else {
        format!(
            "Imported {accepted} of {} entities as import {}.",
            report.entities_read,
            report
                .import_id
                .map_or_else(String::new, |id| id.to_string())
        )
    };
    ui.label(RichText::new(heading).strong().color(theme::OK));
    ui.label(format!(
        "Nominals: {} created, {} matched to nominals already in the workbench or earlier in \
         the file.",
        report.nominals_created, report.nominals_matched
    ));
    ui.label(format!(
        "Links: {} created, each with this import as its source; {} already recorded, which \
         gained this import as a further source.",
        report.links_created, report.links_corroborated
    ));
    refusals_ui(
        ui,
        report.already_imported,
        (report.entities_rejected, "line(s)"),
        &report.rejects,
        |reject| match &reject.column {
            Some(property) => format!(
                "Line {}, property {property}: {}",
                reject.line, reject.reason
            ),
            None => format!("Line {}: {}", reject.line, reject.reason),
        },
    );
}

fn report_ui(ui: &mut Ui, report: &ImportReport) {
    ui.add_space(theme::ITEM_SPACING);
    let heading = if report.dry_run {
        format!(
            "Dry run: {} of {} row(s) would be imported; nothing was changed.",
            report.rows_imported, report.rows_read
        )
    } else {
        format!(
            "Imported {} of {} row(s) as import {}.",
            report.rows_imported,
            report.rows_read,
            report
                .import_id
                .map_or_else(String::new, |id| id.to_string())
        )
    };
    ui.label(RichText::new(heading).strong().color(theme::OK));
    ui.label(format!(
        "Matched to nominals: {} staff, {} subjects, {} phones, {} organisations.",
        report.matched.staff,
        report.matched.subjects,
        report.matched.phones,
        report.matched.organisations
    ));
    if report.kind == ImportKind::Nominals {
        ui.label(format!(
            "{} nominal(s) recorded; the rest matched nominals already in the workbench or earlier in the file.",
            report.nominals_created
        ));
    }
    if report.kind == ImportKind::IntelItems {
        ui.label(format!(
            "{} intelligence item(s) recorded{}.",
            report.items_created,
            match (&report.first_item, &report.last_item) {
                (Some(first), Some(last)) => format!(", {first} to {last}, status received"),
                _ => String::new(),
            }
        ));
    }
    if report.kind == ImportKind::Links {
        ui.label(format!(
            "{} link(s) recorded, each with this import as provenance; {} already recorded, \
             which gained this import as a further source.",
            report.links_created, report.links_corroborated
        ));
    }
    refusals_ui(
        ui,
        report.already_imported,
        (report.rows_rejected, "row(s)"),
        &report.rejects,
        ToString::to_string,
    );
}
