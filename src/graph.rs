//! Link analysis: the graph of nominals and links, its queries and measures, and the exposure
//! finder. Pure: no SQL, no GUI. The workbench loads nominals and links from the store into a
//! [`LinkGraph`]; algorithms run on its compact adjacency ([`Adjacency`]), which is what makes
//! them fast on a million edges.

mod adjacency;
pub mod centrality;
pub mod chart_formatting;
mod chart_layouts;
pub mod chart_style;
pub mod communities;
pub mod components;
mod exposure;
mod graph_query;
mod layout;
mod layout_worker;
mod link_graph;
pub mod paths;
mod saved_chart;

pub use adjacency::Adjacency;
pub use centrality::{
    Centrality, CentralityError, Measure, betweenness_centrality, betweenness_centrality_sampled,
    centrality, closeness_centrality, degree_centrality, eigenvector_centrality,
};
pub use chart_layouts::{circle_layout, grouped_layout, hierarchy_layout, ocg_groups};
pub use communities::{Communities, louvain_communities, louvain_communities_seeded, modularity};
pub use components::{component_labels, connected_components};
pub use exposure::{
    ExposureContext, ExposureLead, ExposureOptions, FlaggedSince, TARGET_KINDS, find_exposures,
    suggested_exposure_grading, target_kind_words,
};
pub use graph_query::{
    BETWEENNESS_SAMPLE, EXACT_BETWEENNESS_MAX_NODES, GraphAnswer, GraphQueryError, GraphQuestion,
    Subgraph, answer,
};
pub use layout::{ForceLayout, LayoutParams, LayoutState};
pub use layout_worker::{LayoutInput, LayoutSnapshot, LayoutWorker};
pub use link_graph::{GraphEdge, GraphFilter, GraphNode, GraphPath, LinkGraph, ProvenanceFilter};
pub use paths::{
    BfsTree, DensePath, StaffWithin, bfs_distances, bfs_tree, connecting_network, linked,
    links_among, shortest_path, shortest_paths, staff_within,
};
pub use saved_chart::{ChartGroup, ChartPlacement, SavedChart};
