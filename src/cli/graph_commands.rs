//! The link-analysis commands: `graph path|linked|centrality|communities|exposure|chart save`
//! and `export graphml|anx|ftm|chart`. Output names nominals by their workbench ids (and, in
//! text, their names).

use super::args::{ChartCommand, ExportCommand, GraphCommand, GraphFilterArgs, PictureFormat};
use crate::domain::{IsoDate, NominalId};
use crate::graph::{
    ExposureOptions, GraphAnswer, GraphFilter, GraphQuestion, Measure, ProvenanceFilter, Subgraph,
};
use crate::workbench::{CHART_PICTURE_SIZE_PX, ChartFormat, Workbench};
use anyhow::{Result, anyhow, bail};

impl GraphFilterArgs {
    fn to_filter(&self) -> Result<GraphFilter> {
        let set = |codes: &[String]| {
            (!codes.is_empty()).then(|| codes.iter().map(|c| c.trim().to_owned()).collect())
        };
        Ok(GraphFilter {
            link_types: set(&self.link_types),
            valid_on: self
                .valid_on
                .as_deref()
                .map(|d| d.parse::<IsoDate>().map_err(|e| anyhow!("--valid-on: {e}")))
                .transpose()?,
            confidences: set(&self.confidences),
            provenance: match self.provenance.as_deref() {
                None => ProvenanceFilter::Any,
                Some("items") => ProvenanceFilter::IntelItems,
                Some("imports") => ProvenanceFilter::Imports,
                Some(other) => bail!("--provenance: expected items or imports, not {other:?}"),
            },
        })
    }
}

#[expect(
    clippy::too_many_lines,
    reason = "one arm per graph command, each a call and its printing"
)]
pub fn run_graph(workbench: &mut Workbench, command: GraphCommand) -> Result<()> {
    match command {
        GraphCommand::Exposure {
            max_hops,
            json,
            record,
            grading,
        } => {
            let options = ExposureOptions {
                max_hops,
                ..ExposureOptions::default()
            };
            if let Some(rank) = record {
                let grading = super::record_commands::grading_from_args(
                    &grading,
                    &crate::graph::suggested_exposure_grading(),
                )?;
                let leads = workbench.find_exposures(&options)?;
                let lead = rank
                    .checked_sub(1)
                    .and_then(|index| leads.get(index))
                    .ok_or_else(|| anyhow!("--record: there are {} lead(s)", leads.len()))?;
                let item = workbench.record_exposure(lead, &grading)?;
                println!("{}", item.reference);
                return Ok(());
            }
            if json {
                let leads = workbench.find_exposures(&options)?;
                println!("{}", serde_json::to_string_pretty(&leads)?);
                return Ok(());
            }
            let findings = workbench.find_exposures_named(&options)?;
            let (leads, names) = (
                findings.leads,
                findings
                    .names
                    .into_iter()
                    .collect::<std::collections::HashMap<NominalId, String>>(),
            );
            if leads.is_empty() {
                println!("no undeclared routes within {max_hops} link(s)");
            }
            for (rank, lead) in leads.iter().enumerate() {
                let route: Vec<String> = lead
                    .path
                    .nodes
                    .iter()
                    .map(|n| name_and_id(names.get(n).map(String::as_str), *n))
                    .collect();
                println!(
                    "{:>3}. score {:.2}  {}",
                    rank + 1,
                    lead.score,
                    route.join(" - ")
                );
                for reason in &lead.reasons {
                    println!("       {reason}");
                }
            }
        }
        GraphCommand::Path {
            from,
            to,
            directed,
            json,
            filter,
        } => {
            let question = GraphQuestion::Path {
                from: NominalId(from),
                to: NominalId(to),
                follow_direction: directed,
            };
            let GraphAnswer::Path { path, network } =
                workbench.graph_query(&filter.to_filter()?, &question)?
            else {
                bail!("unexpected answer to a path question");
            };
            if json {
                println!("{}", serde_json::to_string_pretty(&path)?);
            } else if let Some(path) = path {
                let route: Vec<String> = path.nodes.iter().map(|&n| label(&network, n)).collect();
                println!("{} link(s): {}", path.hops(), route.join(" - "));
            } else {
                println!("no path between nominal {from} and nominal {to}");
            }
        }
        GraphCommand::Linked {
            id,
            hops,
            directed,
            json,
            filter,
        } => {
            let question = GraphQuestion::Linked {
                from: NominalId(id),
                hops,
                follow_direction: directed,
            };
            let GraphAnswer::Linked { within, network } =
                workbench.graph_query(&filter.to_filter()?, &question)?
            else {
                bail!("unexpected answer to a linked question");
            };
            if within.is_empty() {
                bail!(crate::workbench::WorkbenchError::NoSuchNominal);
            }
            if json {
                let rows: Vec<_> = within
                    .iter()
                    .map(|(n, d)| {
                        serde_json::json!({ "id": n, "hops": d, "label": network.label(*n) })
                    })
                    .collect();
                println!("{}", serde_json::to_string_pretty(&rows)?);
            } else {
                for (n, d) in &within {
                    println!("{d}  {}", label(&network, *n));
                }
            }
        }
        GraphCommand::Centrality {
            measure,
            top,
            json,
            filter,
        } => {
            let measure: Measure = measure.parse()?;
            let GraphAnswer::Centrality {
                measure,
                sampled_sources,
                top,
                network,
            } = workbench.graph_query(
                &filter.to_filter()?,
                &GraphQuestion::Centrality { measure, top },
            )?
            else {
                bail!("unexpected answer to a centrality question");
            };
            if json {
                let rows: Vec<_> = top
                    .iter()
                    .map(|(n, score)| {
                        serde_json::json!({ "id": n, "score": score, "label": network.label(*n) })
                    })
                    .collect();
                println!(
                    "{}",
                    serde_json::to_string_pretty(&serde_json::json!({
                        "measure": measure,
                        "sampled_sources": sampled_sources,
                        "top": rows,
                    }))?
                );
            } else {
                if let Some(sources) = sampled_sources {
                    println!("{measure} estimated from {sources} sampled sources");
                }
                for (rank, (n, score)) in top.iter().enumerate() {
                    println!("{:>3}. {score:.6}  {}", rank + 1, label(&network, *n));
                }
            }
        }
        GraphCommand::Chart {
            command:
                ChartCommand::Save {
                    name,
                    around,
                    hops,
                    filter,
                },
        } => {
            let chart = workbench.save_chart_around(
                &name,
                NominalId(around),
                hops,
                &filter.to_filter()?,
            )?;
            println!(
                "saved chart {name:?}: {} nominals within {hops} link(s) of nominal {around}; \
                 the save is recorded in the audit log",
                chart.placements.len()
            );
        }
        GraphCommand::Communities { json, filter } => {
            let GraphAnswer::Communities { modularity, groups } =
                workbench.graph_query(&filter.to_filter()?, &GraphQuestion::Communities)?
            else {
                bail!("unexpected answer to a communities question");
            };
            if json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&serde_json::json!({
                        "modularity": modularity,
                        "communities": groups,
                    }))?
                );
            } else {
                println!("{} communities, modularity {modularity:.4}", groups.len());
                for (index, group) in groups.iter().enumerate().take(20) {
                    let sample: Vec<String> =
                        group.iter().take(8).map(ToString::to_string).collect();
                    println!(
                        "{:>3}. {} nominals: {}{}",
                        index + 1,
                        group.len(),
                        sample.join(", "),
                        if group.len() > 8 { ", ..." } else { "" }
                    );
                }
            }
        }
    }
    Ok(())
}

/// "Name (id)" from an answer's network.
fn label(network: &Subgraph, id: NominalId) -> String {
    name_and_id(network.label(id), id)
}

/// "Name (id)", or "nominal id" when the name is not known.
fn name_and_id(name: Option<&str>, id: NominalId) -> String {
    name.map_or_else(|| format!("nominal {id}"), |name| format!("{name} ({id})"))
}

pub fn run_export(workbench: &mut Workbench, command: ExportCommand) -> Result<()> {
    match command {
        ExportCommand::Graphml { out, filter } => {
            let (nodes, links) = workbench.export_graphml(&filter.to_filter()?, &out)?;
            println!(
                "wrote {} ({nodes} nominals, {links} links); the export is recorded in the audit log",
                out.display()
            );
        }
        ExportCommand::Anx { out, chart, filter } => {
            let (nodes, links) = match chart {
                Some(name) => workbench.export_chart_anx(&name, &out)?,
                None => workbench.export_anx(&filter.to_filter()?, &out)?,
            };
            println!(
                "wrote {} ({nodes} nominals, {links} links as an Analyst's Notebook chart); the \
                 export is recorded in the audit log",
                out.display()
            );
        }
        ExportCommand::Chart {
            chart,
            format,
            scale,
            out,
        } => {
            let (format, picture) = match (format, scale) {
                (PictureFormat::Svg, None) => (ChartFormat::Svg, "an SVG picture".to_owned()),
                (PictureFormat::Svg, Some(_)) => bail!("--scale is for --format png"),
                (PictureFormat::Png, scale) => {
                    let scale = scale.unwrap_or(1);
                    let (width, height) = CHART_PICTURE_SIZE_PX;
                    (
                        ChartFormat::Png { scale },
                        format!("a {}x{} PNG picture", width * scale, height * scale),
                    )
                }
            };
            let (nodes, links) = workbench.export_chart(&chart, format, &out)?;
            println!(
                "wrote {} ({nodes} nominals, {links} links as {picture}); the export is \
                 recorded in the audit log",
                out.display()
            );
        }
        ExportCommand::Ftm { out } => {
            let (nominals, links) = workbench.export_ftm(&out)?;
            println!(
                "wrote {} ({nominals} nominals, {links} links as FollowTheMoney entities); the \
                 export is recorded in the audit log",
                out.display()
            );
        }
    }
    Ok(())
}
