//! Link analysis: the graph of nominals and links, its queries and measures, and the exposure
//! finder. Pure: no SQL, no GUI. The workbench loads nominals and links from the store into a
//! [`LinkGraph`]; algorithms run on its compact adjacency ([`Adjacency`]), which is what makes
//! them fast on a million edges.

mod adjacency;
mod exposure;
mod link_graph;
mod saved_chart;

pub use adjacency::Adjacency;
pub use exposure::{ExposureLead, ExposureOptions, find_exposures};
pub use link_graph::{GraphEdge, GraphFilter, GraphNode, GraphPath, LinkGraph, ProvenanceFilter};
pub use saved_chart::{ChartPlacement, SavedChart};
