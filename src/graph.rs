//! Link analysis: the graph of nominals and links, its queries and measures, and the exposure
//! finder. Pure: no SQL, no GUI. The workbench loads nominals and links from the store into a
//! [`LinkGraph`]; algorithms run on its compact adjacency ([`Adjacency`]), which is what makes
//! them fast on a million edges.

mod adjacency;
mod layout;
mod layout_worker;
mod link_graph;

pub use adjacency::Adjacency;
pub use layout::{ForceLayout, LayoutParams, LayoutState};
pub use layout_worker::{LayoutInput, LayoutSnapshot, LayoutWorker};
pub use link_graph::{GraphEdge, GraphFilter, GraphNode, GraphPath, LinkGraph, ProvenanceFilter};
