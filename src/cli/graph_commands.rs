//! The link-analysis commands: `graph path|linked|centrality|communities|exposure` and
//! `export graphml`. Output names nominals by their workbench ids (and, in text, their names).

use super::args::{ExportCommand, GraphCommand, GraphFilterArgs};
use crate::domain::{IsoDate, NominalId};
use crate::graph::{ExposureOptions, GraphFilter, LinkGraph, ProvenanceFilter};
use crate::workbench::Workbench;
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

/// "Name (id)" for text output.
fn named(graph: &LinkGraph, id: NominalId) -> String {
    graph.node(id).map_or_else(
        || format!("nominal {id}"),
        |n| format!("{} ({id})", n.label),
    )
}

pub fn run_graph(workbench: &mut Workbench, command: GraphCommand) -> Result<()> {
    match command {
        GraphCommand::Exposure {
            max_hops,
            json,
            record,
        } => {
            let leads = workbench.find_exposures(&ExposureOptions {
                max_hops,
                ..ExposureOptions::default()
            })?;
            if let Some(rank) = record {
                let lead = rank
                    .checked_sub(1)
                    .and_then(|index| leads.get(index))
                    .ok_or_else(|| anyhow!("--record: there are {} lead(s)", leads.len()))?;
                let item = workbench.record_exposure(lead)?;
                println!("{}", item.reference);
                return Ok(());
            }
            if json {
                println!("{}", serde_json::to_string_pretty(&leads)?);
                return Ok(());
            }
            let graph = workbench.link_graph(&GraphFilter::default())?;
            if leads.is_empty() {
                println!("no undeclared routes within {max_hops} link(s)");
            }
            for (rank, lead) in leads.iter().enumerate() {
                let route: Vec<String> =
                    lead.path.nodes.iter().map(|&n| named(&graph, n)).collect();
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
        _ => bail!("this graph command is not available yet"),
    }
    Ok(())
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
    }
    Ok(())
}
