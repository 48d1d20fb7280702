//! The record commands: intel, attachment, nominal, link, search, reference, demo.

use super::args::{
    AttachmentCommand, DemoArgs, IntelCommand, IntelListArgs, JsonInput, LinkCommand,
    NominalCommand, ReferenceCommand, SearchArgs,
};
use super::credentials;
use crate::crypto::KdfParams;
use crate::demo::DemoScale;
use crate::domain::{
    AttachmentId, IntelQuery, IntelSort, IsoDate, NominalId, SearchQuery, SearchTarget, UserId,
    list,
};
use crate::io::record_json;
use crate::workbench::{DEMO_ANALYST, DEMO_DETECTIVE, DemoSpec, ItemView, Workbench};
use anyhow::{Context, Result, anyhow, bail};
use std::io::Read;
use std::path::Path;

/// Reads a JSON document from the file named, or standard input; returns its name and bytes.
pub(super) fn read_input(input: &JsonInput) -> Result<(String, Vec<u8>)> {
    match input.json.as_deref() {
        Some(path) if path != Path::new("-") => {
            let bytes = std::fs::read(path)
                .with_context(|| format!("could not read {}", path.display()))?;
            Ok((path.display().to_string(), bytes))
        }
        _ => {
            let mut bytes = Vec::new();
            std::io::stdin()
                .read_to_end(&mut bytes)
                .context("could not read the JSON document from standard input")?;
            Ok((String::from("standard input"), bytes))
        }
    }
}

fn date(text: Option<&str>, what: &str) -> Result<Option<IsoDate>> {
    text.map(|t| t.parse::<IsoDate>().map_err(|e| anyhow!("--{what}: {e}")))
        .transpose()
}

fn print_item(workbench: &Workbench, view: &ItemView) {
    let item = &view.item;
    let label = |list_name: &str, code: &str| workbench.label(list_name, code).to_owned();
    let grading = &item.fields.grading;
    println!(
        "{}  ({})",
        item.reference,
        label(list::INTEL_STATUS, &item.status)
    );
    println!("received    {}", item.fields.received_on);
    println!(
        "source      {}",
        label(list::SOURCE_TYPE, &item.fields.source_type)
    );
    let category = label(list::CORRUPTION_CATEGORY, &item.fields.category);
    match &item.fields.subcategory {
        Some(sub) => println!(
            "category    {category} / {}",
            label(list::CORRUPTION_SUBCATEGORY, sub)
        ),
        None => println!("category    {category}"),
    }
    println!("grading     {}", grading.short());
    if let Some(conditions) = &grading.handling_conditions {
        println!("conditions  {conditions}");
    }
    if let Some(legacy) = &item.fields.legacy_grading {
        let equivalent = legacy
            .mapped(workbench.reference_data())
            .map_or_else(|| String::from("none"), |g| g.short());
        println!(
            "5x5x5       {}{}{} (as originally graded; 3x5x2 equivalent {equivalent})",
            legacy.source_evaluation, legacy.intelligence_evaluation, legacy.handling_code
        );
    }
    for subject in &item.fields.subjects {
        let name = view
            .subject_names
            .iter()
            .find(|(id, _)| *id == subject.nominal_id)
            .map_or("a nominal not on record", |(_, name)| name.as_str());
        println!("subject     {name} ({})", subject.role);
    }
    for attachment in &view.attachments {
        println!(
            "attachment  {} {} ({} bytes, {})",
            attachment.id, attachment.file_name, attachment.size_bytes, attachment.media_type
        );
    }
    if let Some(review) = item.fields.next_review_on {
        println!("review by   {review}");
    }
    let owner = view
        .user_names
        .iter()
        .find(|(id, _)| *id == item.owner_id)
        .map_or("a former user", |(_, name)| name.as_str());
    println!(
        "version {} · owner {owner} · graded under reference data v{}",
        item.version, item.reference_version
    );
    println!();
    println!("{}", item.fields.narrative);
}

pub fn run_intel(workbench: &mut Workbench, command: IntelCommand) -> Result<()> {
    match command {
        IntelCommand::Add { input, owner } => {
            let (name, bytes) = read_input(&input)?;
            let fields = record_json::parse_item(&name, &bytes)?;
            let item = workbench.create_item(&fields, owner.map(UserId))?;
            println!("{}", item.reference);
        }
        IntelCommand::Restrict { reference, users } => {
            let names: Vec<&str> = users.iter().map(String::as_str).collect();
            let list = workbench.restrict_item(&reference, &names)?;
            println!("{reference} is restricted to: {}", list.join(", "));
        }
        IntelCommand::Unrestrict { reference } => {
            workbench.unrestrict_item(&reference)?;
            println!("{reference} is no longer restricted");
        }
        IntelCommand::Show { reference, json } => {
            let view = workbench.view_item_with_context(&reference)?;
            if json {
                println!("{}", record_json::render(&view.item)?);
            } else {
                print_item(workbench, &view);
            }
        }
        IntelCommand::Update { reference, input } => {
            let current = workbench.view_item(&reference)?;
            let (name, bytes) = read_input(&input)?;
            let fields = record_json::patch_item(&name, &current.fields, &bytes)?;
            let item = workbench.update_item(&reference, &fields)?;
            println!("{} now at version {}", item.reference, item.version);
        }
        IntelCommand::Status {
            reference,
            status,
            reason,
        } => {
            let item = workbench.change_item_status(&reference, &status, &reason)?;
            println!(
                "{} is now {} (version {})",
                item.reference, item.status, item.version
            );
        }
        IntelCommand::Prioritise {
            reference,
            answers,
            rationale,
            on,
            json,
        } => {
            let bytes = std::fs::read(&answers)
                .with_context(|| format!("could not read {}", answers.display()))?;
            let answers = record_json::parse_answers(&answers.display().to_string(), &bytes)?;
            let assessed_on = match on.as_deref() {
                Some(text) => text.parse::<IsoDate>().map_err(|e| anyhow!("--on: {e}"))?,
                None => workbench.today(),
            };
            let priority =
                workbench.prioritise_item(&reference, &answers, &rationale, assessed_on)?;
            if json {
                println!("{}", record_json::render(&priority)?);
            } else {
                println!(
                    "{}: {} (score {}), next review {}",
                    priority.item,
                    priority.score.band,
                    priority.score.total.as_f64(),
                    priority.next_review_on
                );
            }
        }
        IntelCommand::History { reference, json } => {
            let history = workbench.item_history(&reference)?;
            if json {
                println!("{}", record_json::render(&history)?);
            } else if history.is_empty() {
                println!("no earlier versions");
            } else {
                for version in history {
                    println!(
                        "version {} replaced {} by user {}: {}",
                        version.version,
                        version.replaced_at_utc,
                        version.replaced_by,
                        version.change
                    );
                }
            }
        }
        IntelCommand::List(args) => list_items(workbench, &args)?,
        IntelCommand::Attach { reference, file } => {
            let info = workbench.attach_file_from_path(&reference, &file)?;
            println!(
                "attachment {} ({} bytes, {})",
                info.id, info.size_bytes, info.media_type
            );
        }
    }
    Ok(())
}

fn list_items(workbench: &mut Workbench, args: &IntelListArgs) -> Result<()> {
    let sort = match args.sort.as_str() {
        "reference" => IntelSort::Reference,
        "received_on" => IntelSort::ReceivedOn,
        "status" => IntelSort::Status,
        "category" => IntelSort::Category,
        "priority" => IntelSort::Priority,
        other => {
            bail!("--sort {other}: expected reference, received_on, status, category or priority")
        }
    };
    let query = IntelQuery {
        status: args.status.clone(),
        category: args.category.clone(),
        source_evaluation: args.source_evaluation.clone(),
        intelligence_assessment: args.assessment.clone(),
        handling_code: args.handling.clone(),
        received_from: date(args.from.as_deref(), "from")?,
        received_to: date(args.to.as_deref(), "to")?,
        owner_id: None,
        priority: args.priority.clone(),
        sort,
        descending: !args.ascending,
    };
    let rows = workbench.intel_page(&query, args.offset, args.limit)?;
    if args.json {
        println!("{}", record_json::render(&rows)?);
        return Ok(());
    }
    for row in rows {
        if row.restricted {
            println!(
                "{}  restricted item (you are not on its list)",
                row.reference
            );
            continue;
        }
        println!(
            "{}  {}  {:<6} {:<10} {:<24} {:<26} {}",
            row.reference,
            row.received_on,
            row.grading,
            row.priority.as_deref().unwrap_or("-"),
            workbench.label(list::INTEL_STATUS, &row.status),
            workbench.label(list::CORRUPTION_CATEGORY, &row.category),
            row.summary
        );
    }
    Ok(())
}

pub fn run_attachment(workbench: &mut Workbench, command: AttachmentCommand) -> Result<()> {
    match command {
        AttachmentCommand::List { reference, json } => {
            let list = workbench.attachments(&reference)?;
            if json {
                println!("{}", record_json::render(&list)?);
            } else {
                for info in list {
                    println!(
                        "{}  {}  {} bytes  {}",
                        info.id, info.file_name, info.size_bytes, info.media_type
                    );
                }
            }
        }
        AttachmentCommand::Save { id, out } => {
            let info = workbench.export_attachment(AttachmentId(id), &out)?;
            println!(
                "saved {} bytes to {} (recorded as a disclosure)",
                info.size_bytes,
                out.display()
            );
        }
    }
    Ok(())
}

pub fn run_nominal(workbench: &mut Workbench, command: NominalCommand) -> Result<()> {
    match command {
        NominalCommand::Add {
            input,
            allow_duplicates,
        } => {
            let (name, bytes) = read_input(&input)?;
            let details = record_json::parse_nominal(&name, &bytes)?;
            let nominal = workbench.create_nominal(details, allow_duplicates)?;
            println!("{}", nominal.id);
        }
        NominalCommand::Show { id, json } => {
            let profile = workbench.view_nominal(NominalId(id))?;
            if json {
                println!("{}", record_json::render(&profile)?);
                return Ok(());
            }
            let nominal = &profile.nominal;
            println!(
                "{} {}  ({})",
                nominal.details.kind().label(),
                nominal.id,
                nominal.details.display_name()
            );
            if let Some(into) = nominal.merged_into {
                println!("merged into nominal {into}");
            }
            println!("{}", record_json::render(&nominal.details)?);
            for external in &profile.external_ids {
                println!("id in {}: {}", external.system, external.id);
            }
            for link in &profile.links {
                let other = if link.fields.from == nominal.id {
                    link.fields.to
                } else {
                    link.fields.from
                };
                let name = profile
                    .linked_names
                    .iter()
                    .find(|(id, _)| *id == other)
                    .map_or("", |(_, n)| n.as_str());
                println!(
                    "link {}  {}  nominal {} {}  ({})",
                    link.id,
                    workbench.label(list::LINK_TYPE, &link.fields.link_type),
                    other,
                    name,
                    link.fields.confidence
                );
            }
            for (row, role) in &profile.items {
                println!(
                    "item {}  {}  {}  {}",
                    row.reference, row.received_on, role, row.summary
                );
            }
        }
        NominalCommand::Duplicates { input } => {
            let (name, bytes) = read_input(&input)?;
            let details = record_json::parse_nominal(&name, &bytes)?;
            let matches = workbench.check_duplicates(details)?;
            println!("{}", record_json::render(&matches)?);
        }
        NominalCommand::Update { id, input } => {
            let (name, bytes) = read_input(&input)?;
            let details = record_json::parse_nominal(&name, &bytes)?;
            let nominal = workbench.update_nominal(NominalId(id), details)?;
            println!("nominal {} now at version {}", nominal.id, nominal.version);
        }
        NominalCommand::Merge { keep, merged } => {
            let nominal = workbench.merge_nominals(NominalId(keep), NominalId(merged))?;
            println!("nominal {merged} merged into {}", nominal.id);
        }
    }
    Ok(())
}

pub fn run_link(workbench: &mut Workbench, command: LinkCommand) -> Result<()> {
    match command {
        LinkCommand::Add { input } => {
            let (name, bytes) = read_input(&input)?;
            let fields = record_json::parse_link(&name, &bytes)?;
            let link = workbench.create_link(&fields)?;
            println!("{}", link.id);
        }
    }
    Ok(())
}

pub fn run_search(workbench: &mut Workbench, args: &SearchArgs) -> Result<()> {
    let query = SearchQuery {
        text: args.words.join(" "),
        items_only: args.items,
        nominals_only: args.nominals,
        nominal_kind: None,
        category: args.category.clone(),
        status: args.status.clone(),
        source_evaluation: args.source_evaluation.clone(),
        intelligence_assessment: args.assessment.clone(),
        received_from: date(args.from.as_deref(), "from")?,
        received_to: date(args.to.as_deref(), "to")?,
        limit: Some(args.limit),
    };
    let hits = workbench.search(&query)?;
    if args.json {
        println!("{}", record_json::render(&hits)?);
        return Ok(());
    }
    for hit in hits {
        let what = match hit.target {
            SearchTarget::Item { .. } => String::from("item   "),
            SearchTarget::Nominal { id } => format!("nominal {id}"),
        };
        println!("{what}  {}  {}", hit.title, hit.snippet);
    }
    Ok(())
}

pub fn run_reference(workbench: &mut Workbench, command: ReferenceCommand) -> Result<()> {
    match command {
        ReferenceCommand::Show { version, json } => {
            let data = match version {
                Some(v) => workbench
                    .reference_version(v)?
                    .ok_or_else(|| anyhow!("no reference data version {v}"))?,
                None => workbench.reference_data().clone(),
            };
            if json {
                println!("{}", crate::io::reference_file::render(&data)?);
            } else {
                println!("reference data version {}: {}", data.version, data.title);
                for (name, codes) in &data.lists {
                    println!(
                        "{name}: {}",
                        codes
                            .iter()
                            .map(|c| c.code.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    );
                }
            }
        }
        ReferenceCommand::Publish { file } => {
            let bytes = std::fs::read(&file)
                .with_context(|| format!("could not read {}", file.display()))?;
            let data = crate::io::reference_file::parse(&bytes)
                .with_context(|| file.display().to_string())?;
            let version = workbench.publish_reference_data(data)?;
            println!("published reference data version {version}");
        }
    }
    Ok(())
}

pub fn run_demo(path: &Path, args: &DemoArgs) -> Result<()> {
    let scale = DemoScale::parse(&args.scale)
        .ok_or_else(|| anyhow!("--scale {}: expected small, medium or large", args.scale))?;
    let password = match credentials::env_password_or("CCU_NEW_PASSWORD", "CCU_PASSWORD") {
        Some(password) => password,
        None => credentials::new_password("Password for the demo users")?,
    };
    let started = std::time::Instant::now();
    let mut last_report = std::time::Instant::now();
    let mut progress = |p: crate::workbench::DemoProgress| {
        if last_report.elapsed().as_secs() >= 2 || p.done == p.total {
            eprintln!("{}: {}/{}", p.stage, p.done, p.total);
            last_report = std::time::Instant::now();
        }
    };
    let cancel = std::sync::atomic::AtomicBool::new(false);
    let spec = DemoSpec {
        admin_name: &args.admin,
        password: &password,
        kdf: KdfParams::INTERACTIVE,
        scale,
        seed: args.seed,
    };
    let (workbench, answers) = Workbench::create_demo(path, &spec, &mut progress, &cancel)
        .context("could not build the demo workbench")?;
    workbench.lock()?;
    if let Some(answers_path) = &args.answers {
        std::fs::write(answers_path, record_json::render(&answers)?)
            .with_context(|| format!("could not write {}", answers_path.display()))?;
    }
    println!(
        "demo workbench {} ({} scale, seed {}): {} nominals, {} links, {} items in {:.1} s",
        path.display(),
        scale.as_str(),
        args.seed,
        answers.nominals,
        answers.links,
        answers.items,
        started.elapsed().as_secs_f64()
    );
    println!(
        "users: {} (inspector), {DEMO_DETECTIVE} (detective), {DEMO_ANALYST} (analyst), all with the password given",
        args.admin
    );
    Ok(())
}

/// The grading `--grading 2B --handling P|C [--conditions TEXT]` gives. Without both flags the
/// command is refused, naming the suggestion, so that no item is recorded with a grading
/// nobody chose; the codes themselves are checked by the workbench against the reference data.
///
/// # Errors
/// A missing flag, or a grading that is not a digit and a letter.
pub fn grading_from_args(
    args: &super::args::GradingArgs,
    suggested: &crate::domain::Grading,
) -> Result<crate::domain::Grading> {
    let suggestion = format!(
        "suggested: --grading {}{} --handling {}",
        suggested.source_evaluation, suggested.intelligence_assessment, suggested.handling_code
    );
    let (Some(grading), Some(handling)) = (&args.grading, &args.handling) else {
        return Err(anyhow!(
            "say how the item is graded: --grading and --handling are required ({suggestion})"
        ));
    };
    let grading = grading.trim();
    let mut chars = grading.chars();
    let (Some(source), Some(assessment), None) = (chars.next(), chars.next(), chars.next()) else {
        return Err(anyhow!(
            "--grading: a source evaluation and an intelligence assessment together, such as 2B"
        ));
    };
    Ok(crate::domain::Grading {
        source_evaluation: source.to_string(),
        intelligence_assessment: assessment.to_ascii_uppercase().to_string(),
        handling_code: handling.trim().to_ascii_uppercase(),
        handling_conditions: args
            .conditions
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(str::to_owned),
    })
}
