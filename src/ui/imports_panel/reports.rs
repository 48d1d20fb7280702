//! The reports an import ends with: the running import's progress and Cancel, the refusals, and
//! what a CSV or FtM import (or dry run) did.

use super::{
    FtmImportReport, ImportReport, Ordering, RichText, RowError, RunningImport, Ui, theme, widgets,
};

/// The progress of the running import (CSV or FtM) and its Cancel button, which sets the flag
/// the session thread reads between rows: the import then stops and changes nothing.
pub(super) fn running_ui(ui: &mut Ui, running: &RunningImport) {
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
    #[expect(clippy::cast_possible_truncation, reason = "a fraction from 0 to 1")]
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
pub(super) fn refusals_ui(
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
pub(super) fn ftm_report_ui(ui: &mut Ui, report: &FtmImportReport) {
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

pub(super) fn report_ui(ui: &mut Ui, report: &ImportReport) {
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
    for line in report.outcome_lines() {
        ui.label(line);
    }
    refusals_ui(
        ui,
        report.already_imported,
        (report.rows_rejected, "row(s)"),
        &report.rejects,
        ToString::to_string,
    );
}
