//! The risk commands: `instrument list`, `instrument publish FILE`, `assess`.

use super::args::{AssessArgs, InstrumentCommand};
use crate::domain::{IsoDate, NominalId};
use crate::io::record_json;
use crate::risk::AssessmentRecord;
use crate::workbench::Workbench;
use anyhow::{Context, Result, anyhow};
use std::io::Read;

pub fn run_instrument(workbench: &mut Workbench, command: InstrumentCommand) -> Result<()> {
    match command {
        InstrumentCommand::List { json } => {
            let versions = workbench.instruments()?;
            if json {
                println!("{}", record_json::render(&versions)?);
            } else {
                println!(
                    "{:<24} {:>7} {:<6} {:<24} {:<24} NAME",
                    "KEY", "VERSION", "LATEST", "PUBLISHED", "BY"
                );
                for v in versions {
                    println!(
                        "{:<24} {:>7} {:<6} {:<24} {:<24} {}",
                        v.key,
                        v.version,
                        if v.latest { "yes" } else { "" },
                        v.published_at_utc,
                        v.publisher,
                        v.name
                    );
                }
            }
        }
        InstrumentCommand::Publish { file } => {
            // A file that does not check is refused naming it and the line: "FILE line N: reason".
            let (key, version) = workbench.publish_instrument_file(&file)?;
            println!("published instrument {key} version {version}");
        }
    }
    Ok(())
}

pub fn run_assess(workbench: &mut Workbench, args: &AssessArgs) -> Result<()> {
    let bytes = std::fs::read(&args.answers)
        .with_context(|| format!("could not read {}", args.answers.display()))?;
    let answers = record_json::parse_answers(&args.answers.display().to_string(), &bytes)?;
    let rationale = if let Some(text) = &args.rationale {
        text.clone()
    } else {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .context("could not read the rationale from standard input")?;
        text
    };
    let assessed_on = match args.on.as_deref() {
        Some(text) => text.parse::<IsoDate>().map_err(|e| anyhow!("--on: {e}"))?,
        None => workbench.today(),
    };
    let record = workbench.assess(
        &args.instrument,
        NominalId(args.subject),
        &answers,
        &rationale,
        assessed_on,
    )?;
    if args.json {
        println!("{}", record_json::render(&assessment_json(&record))?);
    } else {
        print_assessment(&record);
    }
    Ok(())
}

/// The `assess --json` document (docs/json-formats.md): the score's total, band and each
/// factor's contribution at the top level, so scripts need not dig.
fn assessment_json(record: &AssessmentRecord) -> serde_json::Value {
    serde_json::json!({
        "id": record.id,
        "instrument": record.instrument,
        "version": record.version,
        "subject": record.subject,
        "assessed_on": record.assessed_on,
        "next_review_on": record.next_review_on,
        "total": record.score.total,
        "band": record.score.band,
        "band_colour": record.score.band_colour,
        "raised_by": record.score.raised_by,
        "review_days": record.score.review_days,
        "factors": record.score.factors,
        "rationale": record.rationale,
        "created_at_utc": record.created_at_utc,
        "created_by": record.created_by,
    })
}

fn print_assessment(record: &AssessmentRecord) {
    println!(
        "assessment {}: {} version {}, nominal {}",
        record.id, record.instrument, record.version, record.subject
    );
    println!("total       {} ({})", record.score.total, record.score.band);
    if let Some(factor) = &record.score.raised_by {
        println!("raised by   {factor}");
    }
    for factor in &record.score.factors {
        println!(
            "  {:<40} {:<20} {:>6} x {:>3} = {}",
            factor.factor, factor.answer, factor.weight, factor.answer_score, factor.contribution
        );
    }
    println!("assessed    {}", record.assessed_on);
    println!("next review {}", record.next_review_on);
}
