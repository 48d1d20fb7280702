//! The bulk import and cross-reference commands: `import KIND FILE --spec SPEC`, `spec list`,
//! `crossref` and `lead list|promote`.

use super::args::{ImportArgs, LeadCommand, SpecCommand};
use crate::domain::{ImportKind, LeadId};
use crate::io::bulk_csv::{RowError, write_rejects};
use crate::io::import_spec::{self, ImportSpec};
use crate::io::record_json;
use crate::risk::crossref::CrossrefOptions;
use crate::store::StoredLead;
use crate::workbench::{ImportOptions, ImportProgress, ImportReport, Workbench};
use anyhow::{Context, Result, anyhow, bail};
use std::io::{IsTerminal, Write};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

/// The spec named on the command line: a TOML file, or the newest saved version of a name.
fn load_spec(workbench: &mut Workbench, spec: &str) -> Result<ImportSpec> {
    let path = Path::new(spec);
    if path.is_file() {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("could not read the spec {}", path.display()))?;
        return Ok(import_spec::parse(&text, &path.display().to_string())?);
    }
    let saved = workbench
        .import_specs()?
        .into_iter()
        .filter(|s| s.name == spec)
        .max_by_key(|s| s.version)
        .ok_or_else(|| {
            anyhow!(
                "--spec: {spec} is neither a file nor the name of a spec saved in the workbench"
            )
        })?;
    Ok(import_spec::parse(&saved.document, &saved.name)?)
}

fn progress_line(progress: &ImportProgress) -> String {
    use std::fmt::Write as _;
    let mut line = format!(
        "\r{:>12} rows  {:>9.0} rows/s",
        progress.rows,
        progress.rows_per_sec()
    );
    if let Some(fraction) = progress.fraction() {
        let _ = write!(line, "  {:>3.0}%", fraction * 100.0);
    }
    if let Some(eta) = progress.eta_secs() {
        let _ = write!(line, "  {eta:>5.0} s left");
    }
    line
}

fn print_report(report: &ImportReport, rejects_path: Option<&Path>) {
    let imported = if report.dry_run {
        "dry run: would import"
    } else {
        "imported"
    };
    println!(
        "{imported} {} of {} row(s) of {} from {} (spec {} v{}, SHA-256 {})",
        report.rows_imported,
        report.rows_read,
        report.kind.as_str(),
        report.source_name,
        report.spec_name,
        report.spec_version,
        report.sha256
    );
    for line in report.outcome_lines() {
        println!("{line}");
    }
    if report.rows_rejected > 0 {
        println!("rejected {} row(s)", report.rows_rejected);
        for reject in report.rejects.iter().take(10) {
            println!("  {reject}");
        }
        if let Some(path) = rejects_path {
            println!("rejects report: {}", path.display());
        }
    }
    if let Some(earlier) = report.already_imported {
        println!(
            "this file was already imported as {} under this spec version (import {earlier}): a real run would be refused",
            report.kind.as_str()
        );
    }
    if let Some(id) = report.import_id {
        println!("import {id} in {:.1} s", report.elapsed_secs);
    }
}

/// Where a rejects report goes when `--rejects` is not given: next to the workbench's own data
/// (a `NAME-rejects` folder beside the workbench folder), never beside the source file, which
/// may sit on a share or removable media. Named after the file and the time, so an earlier
/// report is never overwritten.
#[must_use]
pub fn default_rejects_path(workbench: &Path, file: &Path) -> PathBuf {
    let stem = workbench
        .file_stem()
        .map_or_else(|| "workbench".into(), |s| s.to_string_lossy().into_owned());
    let folder = workbench
        .parent()
        .unwrap_or_else(|| Path::new("."))
        .join(format!("{stem}-rejects"));
    let name = file
        .file_name()
        .map_or_else(|| "import".into(), |n| n.to_string_lossy().into_owned());
    let stamp = time::OffsetDateTime::now_utc().unix_timestamp();
    folder.join(format!("{name}.{stamp}.rejects.csv"))
}

/// Writes the rejected rows (line, column, reason: never a value) to the rejects report.
fn write_rejects_report(args: &ImportArgs, rejects: &[RowError]) -> Result<PathBuf> {
    let path = args
        .rejects
        .clone()
        .ok_or_else(|| anyhow!("--rejects: no place was given for the rejects report"))?;
    if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(folder).with_context(|| {
            format!(
                "could not create the folder for the rejects report {}",
                folder.display()
            )
        })?;
    }
    // Never over an earlier report: a second one in the same second gets a number.
    let mut candidate = path.clone();
    let mut attempt = 1;
    let out = loop {
        match std::fs::File::create_new(&candidate) {
            Ok(file) => break file,
            Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists && attempt < 100 => {
                attempt += 1;
                let name = path
                    .file_name()
                    .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
                let (stem, extension) = name
                    .strip_suffix(".rejects.csv")
                    .map_or((name.as_str(), ""), |stem| (stem, ".rejects.csv"));
                candidate = path.with_file_name(format!("{stem}-{attempt}{extension}"));
            }
            Err(err) => {
                return Err(err).with_context(|| {
                    format!("could not write the rejects report {}", candidate.display())
                });
            }
        }
    };
    let path = candidate;
    write_rejects(std::io::BufWriter::new(out), rejects)
        .with_context(|| format!("could not write the rejects report {}", path.display()))?;
    Ok(path)
}

/// Progress on the terminal's error stream, overwriting one line, when `show`.
fn terminal_progress(show: bool) -> impl FnMut(&ImportProgress) -> ControlFlow<()> {
    move |progress| {
        if show {
            let mut err = std::io::stderr();
            let _ = write!(err, "{}", progress_line(progress));
            let _ = err.flush();
        }
        ControlFlow::Continue(())
    }
}

/// `import ftm FILE`: a FollowTheMoney JSON lines file, matched and recorded as nominals and
/// links.
fn run_ftm_import(workbench: &mut Workbench, args: &ImportArgs) -> Result<()> {
    if args.spec.is_some() {
        bail!("--spec: an FtM file is read without a spec");
    }
    let show_progress = std::io::stderr().is_terminal() && !args.json;
    let mut on_progress = terminal_progress(show_progress);
    let options = ImportOptions {
        dry_run: args.dry_run,
        skip_bad_rows: args.skip_bad_rows,
    };
    let result = workbench.import_ftm_file(&args.file, options, &mut on_progress);
    if show_progress {
        eprintln!();
    }
    let report = result?;
    let rejects = if report.entities_rejected > 0 {
        Some(write_rejects_report(args, &report.rejects)?)
    } else {
        None
    };
    if args.json {
        println!("{}", record_json::render(&report)?);
        return Ok(());
    }
    let verb = if report.dry_run {
        "would import"
    } else {
        "imported"
    };
    println!(
        "{verb} {} of {} entities from {}: {} nominal(s) created, {} matched; {} link(s) created, {} corroborated",
        report.entities_read - report.entities_rejected,
        report.entities_read,
        report.source_name,
        report.nominals_created,
        report.nominals_matched,
        report.links_created,
        report.links_corroborated
    );
    if let Some(earlier) = report.already_imported {
        println!("this file was imported before (import {earlier})");
    }
    if let Some(path) = rejects {
        println!(
            "{} line(s) rejected; see {}",
            report.entities_rejected,
            path.display()
        );
    }
    Ok(())
}

pub fn run_import(workbench: &mut Workbench, args: &ImportArgs) -> Result<()> {
    if args.kind == "ftm" {
        return run_ftm_import(workbench, args);
    }
    let kind = ImportKind::parse(&args.kind).ok_or_else(|| {
        anyhow!(
            "KIND: expected ftm or one of {}",
            ImportKind::ALL.map(ImportKind::as_str).join(", ")
        )
    })?;
    let spec_name = args
        .spec
        .as_deref()
        .ok_or_else(|| anyhow!("--spec: a CSV import needs its spec"))?;
    let spec = load_spec(workbench, spec_name)?;
    if spec.kind != kind {
        bail!(
            "the spec {} v{} is for {}, not {}",
            spec.name,
            spec.version,
            spec.kind.as_str(),
            kind.as_str()
        );
    }
    let show_progress = std::io::stderr().is_terminal() && !args.json;
    let mut on_progress = terminal_progress(show_progress);
    let options = ImportOptions {
        dry_run: args.dry_run,
        skip_bad_rows: args.skip_bad_rows,
    };
    let result = workbench.import_bulk_file(&spec, &args.file, options, &mut on_progress);
    if show_progress {
        eprintln!();
    }
    let report = result?;
    let rejects_path = if report.rows_rejected > 0 {
        Some(write_rejects_report(args, &report.rejects)?)
    } else {
        None
    };
    if args.json {
        println!("{}", record_json::render(&report)?);
    } else {
        print_report(&report, rejects_path.as_deref());
    }
    Ok(())
}

pub fn run_spec(workbench: &mut Workbench, command: &SpecCommand) -> Result<()> {
    match command {
        SpecCommand::List { json } => {
            let specs = workbench.import_specs()?;
            if *json {
                let rows: Vec<serde_json::Value> = specs
                    .iter()
                    .map(|s| {
                        serde_json::json!({
                            "name": s.name, "version": s.version, "kind": s.kind,
                            "saved_at": s.saved_at_utc,
                        })
                    })
                    .collect();
                println!("{}", record_json::render(&rows)?);
            } else {
                println!("{:<32} {:>7} {:<20} SAVED", "NAME", "VERSION", "KIND");
                for s in &specs {
                    println!(
                        "{:<32} {:>7} {:<20} {}",
                        s.name, s.version, s.kind, s.saved_at_utc
                    );
                }
                println!("{} spec(s)", specs.len());
            }
            Ok(())
        }
    }
}

fn print_leads(leads: &[StoredLead]) {
    for lead in leads {
        let promoted = lead
            .promoted_item
            .map(|item| format!(" (promoted: item {item})"))
            .unwrap_or_default();
        println!(
            "lead {} [{}] score {}{promoted}",
            lead.id, lead.kind, lead.score
        );
        for line in &lead.explanation {
            println!("    {line}");
        }
    }
    println!("{} lead(s)", leads.len());
}

/// Patterns below the threshold printed on the terminal: the best few; `--json` lists every one.
const BELOW_SHOWN: usize = 20;

pub fn run_crossref(
    workbench: &mut Workbench,
    options: &CrossrefOptions,
    json: bool,
) -> Result<()> {
    if !(0..=3650).contains(&options.hospitality_window_days) {
        bail!("--hospitality-window-days: between 0 and 3650");
    }
    if options.threshold > 100 {
        bail!("--threshold: a score between 0 and 100");
    }
    let run = workbench.cross_reference(options)?;
    if json {
        println!("{}", record_json::render(&run)?);
    } else {
        println!(
            "looked at {} look-up(s) of watched people, {} call(s) on staff phones, {} hospitality entr(ies), {} contract(s), {} sanction(s), {} undeclared route(s)",
            run.lookups,
            run.calls,
            run.hospitality,
            run.contracts,
            run.sanctions,
            run.undeclared_routes
        );
        print_leads(&run.leads);
        println!(
            "{} pattern(s) scored below the threshold of {} and were not kept{}",
            run.below_threshold.len(),
            run.threshold,
            if run.below_threshold.is_empty() {
                "."
            } else {
                "; the best of them:"
            }
        );
        for below in run.below_threshold.iter().take(BELOW_SHOWN) {
            println!(
                "  (below) {:>3}  {}",
                below.score,
                super::commands::escape_for_terminal(below.kind.label())
            );
            for line in &below.explanation {
                println!("    {}", super::commands::escape_for_terminal(line));
            }
        }
        if run.below_threshold.len() > BELOW_SHOWN {
            println!(
                "  … and {} more below the threshold (crossref --json lists them all)",
                run.below_threshold.len() - BELOW_SHOWN
            );
        }
    }
    Ok(())
}

pub fn run_lead(workbench: &mut Workbench, command: &LeadCommand) -> Result<()> {
    match command {
        LeadCommand::List { json } => {
            let leads = workbench.leads()?;
            if *json {
                println!("{}", record_json::render(&leads)?);
            } else {
                print_leads(&leads);
            }
        }
        LeadCommand::Promote { id, grading } => {
            let kind = workbench
                .leads()?
                .into_iter()
                .find(|lead| lead.id == LeadId(*id))
                .and_then(|lead| crate::risk::crossref::LeadKind::parse(&lead.kind))
                .ok_or_else(|| anyhow!("no lead has id {id}"))?;
            let grading =
                super::record_commands::grading_from_args(grading, &kind.suggested_grading())?;
            let item = workbench.promote_lead(LeadId(*id), &grading)?;
            println!("lead {id} recorded as {}", item.reference);
        }
    }
    Ok(())
}
