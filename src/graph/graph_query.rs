//! One question to the graph and its answer, as data: the CLI, the GUI and the audit log all
//! speak it, so each question is recorded once, in the same words, whichever asked.

use super::{
    GraphEdge, GraphNode, GraphPath, LinkGraph, Measure, betweenness_centrality_sampled,
    centrality, centrality::CentralityError, centrality::eigenvector_centrality_within,
    connecting_network, linked, louvain_communities, shortest_path, shortest_paths,
};
use crate::domain::{LinkId, NominalId};
use serde::{Deserialize, Serialize};

/// Above this many nominals, betweenness is estimated from [`BETWEENNESS_SAMPLE`] sources
/// rather than computed exactly from all of them (exact is quadratic: minutes on 100k nodes).
pub const EXACT_BETWEENNESS_MAX_NODES: usize = 20_000;
/// Sources sampled for estimated betweenness.
pub const BETWEENNESS_SAMPLE: usize = 500;
/// Rounds of power iteration allowed for eigenvector centrality (networkx stops at 100).
pub const EIGENVECTOR_ROUNDS: usize = 2_000;

/// A question to the graph.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "query", rename_all = "snake_case")]
pub enum GraphQuestion {
    /// The shortest path between two nominals.
    Path {
        from: NominalId,
        to: NominalId,
        follow_direction: bool,
    },
    /// Everything within `hops` links of a nominal.
    Linked {
        from: NominalId,
        hops: usize,
        follow_direction: bool,
    },
    /// The `top` nominals by a centrality measure.
    Centrality { measure: Measure, top: usize },
    /// Louvain communities.
    Communities,
    /// These nominals and the links among them (to open a saved chart, or show a lead).
    Among { nominals: Vec<NominalId> },
    /// Every shortest path between two nominals (at most `max_paths` of them).
    AllPaths {
        from: NominalId,
        to: NominalId,
        follow_direction: bool,
        max_paths: usize,
    },
    /// The connecting network of a set of nominals: every shortest path between two of them,
    /// pairs more than `max_hops` apart left unconnected.
    Connecting {
        nominals: Vec<NominalId>,
        max_hops: usize,
    },
}

/// Nominals and links to draw or print: part of the graph.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subgraph {
    pub nodes: Vec<GraphNode>,
    pub edges: Vec<GraphEdge>,
}

impl Subgraph {
    /// The nominals `ids` of `graph` and every link among them.
    #[must_use]
    pub fn among(graph: &LinkGraph, ids: &[NominalId]) -> Self {
        let nodes: Vec<GraphNode> = ids
            .iter()
            .filter_map(|id| graph.node(*id).cloned())
            .collect();
        let edges = super::paths::edges_among(graph, ids).cloned().collect();
        Self { nodes, edges }
    }

    /// The label of a nominal in it.
    #[must_use]
    pub fn label(&self, id: NominalId) -> Option<&str> {
        self.nodes
            .iter()
            .find(|n| n.id == id)
            .map(|n| n.label.as_str())
    }
}

/// The answer to a [`GraphQuestion`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "answer", rename_all = "snake_case")]
pub enum GraphAnswer {
    Path {
        path: Option<GraphPath>,
        network: Subgraph,
    },
    Linked {
        /// Each nominal with its distance in links, nearest first.
        within: Vec<(NominalId, usize)>,
        network: Subgraph,
    },
    Centrality {
        measure: Measure,
        /// Set when betweenness was estimated from this many sources.
        sampled_sources: Option<usize>,
        top: Vec<(NominalId, f64)>,
        /// The nominals of `top`, for their names.
        network: Subgraph,
    },
    Communities {
        modularity: f64,
        /// Largest first; each one's ids sorted.
        groups: Vec<Vec<NominalId>>,
    },
    Among {
        network: Subgraph,
    },
    /// Nominals and links to mark out together: the union of several shortest paths, or a
    /// connecting network.
    Network {
        /// How many shortest paths make it (all shortest paths), or `None` (a connecting
        /// network).
        paths: Option<usize>,
        /// The length of each shortest path, in links (0 for a connecting network).
        hops: usize,
        marked: GraphPath,
        network: Subgraph,
    },
}

impl GraphAnswer {
    /// How many nominals the answer names (for the audit log).
    #[must_use]
    pub fn size(&self) -> usize {
        match self {
            GraphAnswer::Path { path, .. } => path.as_ref().map_or(0, |p| p.nodes.len()),
            GraphAnswer::Linked { within, .. } => within.len(),
            GraphAnswer::Centrality { top, .. } => top.len(),
            GraphAnswer::Communities { groups, .. } => groups.len(),
            GraphAnswer::Among { network } => network.nodes.len(),
            GraphAnswer::Network { marked, .. } => marked.nodes.len(),
        }
    }
}

/// Why a question has no answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GraphQueryError {
    #[error(transparent)]
    Centrality(#[from] CentralityError),
    #[error(
        "closeness is computed exactly, from every nominal: this graph has {nodes} nominals, above the {max} it is offered for; filter the graph first"
    )]
    TooLarge { nodes: usize, max: usize },
}

/// Answers `question` on `graph`.
///
/// # Errors
/// Eigenvector centrality that does not converge; closeness on a graph too big for it.
pub fn answer(graph: &LinkGraph, question: &GraphQuestion) -> Result<GraphAnswer, GraphQueryError> {
    Ok(match question {
        &GraphQuestion::Path {
            from,
            to,
            follow_direction,
        } => {
            let path = shortest_path(graph, from, to, follow_direction);
            let network = path
                .as_ref()
                .map(|p| Subgraph::among(graph, &p.nodes))
                .unwrap_or_default();
            GraphAnswer::Path { path, network }
        }
        &GraphQuestion::Linked {
            from,
            hops,
            follow_direction,
        } => {
            let within = linked(graph, from, hops, follow_direction);
            let ids: Vec<NominalId> = within.iter().map(|(id, _)| *id).collect();
            GraphAnswer::Linked {
                network: Subgraph::among(graph, &ids),
                within,
            }
        }
        &GraphQuestion::Centrality { measure, top } => {
            if measure == Measure::Closeness && graph.node_count() > EXACT_BETWEENNESS_MAX_NODES {
                return Err(GraphQueryError::TooLarge {
                    nodes: graph.node_count(),
                    max: EXACT_BETWEENNESS_MAX_NODES,
                });
            }
            let (scores, sampled_sources) = if measure == Measure::Betweenness
                && graph.node_count() > EXACT_BETWEENNESS_MAX_NODES
            {
                (
                    betweenness_centrality_sampled(graph, BETWEENNESS_SAMPLE, 2026),
                    Some(BETWEENNESS_SAMPLE),
                )
            } else if measure == Measure::Eigenvector {
                (
                    eigenvector_centrality_within(graph, EIGENVECTOR_ROUNDS)?,
                    None,
                )
            } else {
                (centrality(graph, measure)?, None)
            };
            let top = scores.top(top);
            let ids: Vec<NominalId> = top.iter().map(|(id, _)| *id).collect();
            GraphAnswer::Centrality {
                measure,
                sampled_sources,
                network: Subgraph::among(graph, &ids),
                top,
            }
        }
        GraphQuestion::Communities => {
            let found = louvain_communities(graph);
            GraphAnswer::Communities {
                modularity: found.modularity,
                groups: found.groups,
            }
        }
        GraphQuestion::Among { nominals } => GraphAnswer::Among {
            network: Subgraph::among(graph, nominals),
        },
        &GraphQuestion::AllPaths {
            from,
            to,
            follow_direction,
            max_paths,
        } => {
            let paths = shortest_paths(graph, from, to, follow_direction, max_paths);
            let mut nodes: Vec<NominalId> = paths.iter().flat_map(|p| p.nodes.clone()).collect();
            let mut links: Vec<LinkId> = paths.iter().flat_map(|p| p.links.clone()).collect();
            nodes.sort_unstable();
            nodes.dedup();
            links.sort_unstable();
            links.dedup();
            GraphAnswer::Network {
                hops: paths.first().map_or(0, GraphPath::hops),
                paths: Some(paths.len()),
                network: Subgraph::among(graph, &nodes),
                marked: GraphPath { nodes, links },
            }
        }
        GraphQuestion::Connecting { nominals, max_hops } => {
            let (nodes, links) = connecting_network(graph, nominals, Some(*max_hops));
            GraphAnswer::Network {
                hops: 0,
                paths: None,
                network: Subgraph::among(graph, &nodes),
                marked: GraphPath { nodes, links },
            }
        }
    })
}
