//! The graph of nominals and links, filtered as the analyst asks, with stable nominal ids.

use super::Adjacency;
use crate::domain::{IsoDate, LinkId, NominalId, NominalKind};
use petgraph::Directed;
use petgraph::stable_graph::{EdgeIndex, NodeIndex, StableGraph};
use rustc_hash::{FxBuildHasher, FxHashMap};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// A nominal as a node: what the graph needs to draw, filter and explain it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GraphNode {
    pub id: NominalId,
    pub kind: NominalKind,
    pub label: String,
    /// A person flagged as an OCG member, or an OCG itself.
    pub ocg: bool,
    /// A person flagged as criminal.
    pub criminal: bool,
}

impl GraphNode {
    /// Whether an employee's path to this nominal is a corruption exposure: OCGs, their
    /// members, and criminal nominals.
    #[must_use]
    pub fn is_exposure_target(&self) -> bool {
        self.ocg || self.criminal
    }
}

/// A link as an edge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GraphEdge {
    pub link: LinkId,
    pub from: NominalId,
    pub to: NominalId,
    /// Interned: a graph has a handful of link types and confidences, and a million links
    /// sharing them cost one reference count each rather than two allocations.
    pub link_type: Arc<str>,
    pub directed: bool,
    pub valid_from: Option<IsoDate>,
    pub valid_to: Option<IsoDate>,
    pub confidence: Arc<str>,
    /// How many intelligence items support the link; `None` when the graph was loaded without
    /// counting (counting a million links' provenance costs half a second, so the store counts
    /// only when a provenance filter asks).
    pub item_sources: Option<u32>,
    /// How many imports support the link; `None` when not counted.
    pub import_sources: Option<u32>,
}

impl GraphEdge {
    /// Whether the link held on `date` (open ends hold forever).
    #[must_use]
    pub fn valid_on(&self, date: IsoDate) -> bool {
        self.valid_from.is_none_or(|from| from <= date) && self.valid_to.is_none_or(|to| date <= to)
    }
}

/// Which provenance a link must have to be kept.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProvenanceFilter {
    /// Any (every link has some).
    #[default]
    Any,
    /// At least one intelligence item.
    IntelItems,
    /// At least one import.
    Imports,
}

/// Which links make the graph.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct GraphFilter {
    /// Only these link types (all when `None`).
    pub link_types: Option<BTreeSet<String>>,
    /// Only links valid on this date.
    pub valid_on: Option<IsoDate>,
    /// Only these confidence codes (all when `None`).
    pub confidences: Option<BTreeSet<String>>,
    pub provenance: ProvenanceFilter,
}

impl GraphFilter {
    /// Whether the filter needs each link's provenance counted.
    #[must_use]
    pub fn needs_provenance(&self) -> bool {
        self.provenance != ProvenanceFilter::Any
    }

    /// Whether `edge` passes the filter.
    #[must_use]
    pub fn keeps(&self, edge: &GraphEdge) -> bool {
        self.link_types
            .as_ref()
            .is_none_or(|types| types.contains(&*edge.link_type))
            && self.valid_on.is_none_or(|date| edge.valid_on(date))
            && self
                .confidences
                .as_ref()
                .is_none_or(|codes| codes.contains(&*edge.confidence))
            && match self.provenance {
                ProvenanceFilter::Any => true,
                ProvenanceFilter::IntelItems => edge.item_sources.is_some_and(|n| n > 0),
                ProvenanceFilter::Imports => edge.import_sources.is_some_and(|n| n > 0),
            }
    }
}

/// A path through the graph: the nominals in order and the link taken at each hop
/// (`links.len() == nodes.len() - 1`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GraphPath {
    pub nodes: Vec<NominalId>,
    pub links: Vec<LinkId>,
}

impl GraphPath {
    /// Number of hops.
    #[must_use]
    pub fn hops(&self) -> usize {
        self.links.len()
    }
}

/// Nominals and the links between them that pass a [`GraphFilter`]. Node and edge indices stay
/// stable when the graph is edited (a chart hides and adds nodes); nominal ids are the
/// workbench's own.
#[derive(Debug, Clone, Default)]
pub struct LinkGraph {
    graph: StableGraph<GraphNode, GraphEdge, Directed, u32>,
    index_of: FxHashMap<NominalId, NodeIndex<u32>>,
    /// Changes whenever the graph does (see [`Self::revision`]).
    revision: u64,
    /// The adjacencies last built, with the revision they were built from: a session asks
    /// many questions of one graph, and building the adjacency of a million links costs more
    /// than answering a path on it.
    adjacency_cache: Arc<Mutex<AdjacencyCache>>,
}

/// The undirected and the directed adjacency of one revision of a graph.
#[derive(Debug, Default)]
struct AdjacencyCache {
    revision: u64,
    undirected: Option<Arc<Adjacency>>,
    directed: Option<Arc<Adjacency>>,
}

/// Revisions are unique across every graph of the process, so two graphs built separately
/// never share one.
static NEXT_REVISION: AtomicU64 = AtomicU64::new(1);

fn next_revision() -> u64 {
    NEXT_REVISION.fetch_add(1, Ordering::Relaxed)
}

impl LinkGraph {
    /// Builds the graph from every nominal and the links that pass `filter`. A link whose ends
    /// are not among `nodes` is left out.
    #[must_use]
    pub fn build(
        nodes: Vec<GraphNode>,
        edges: impl IntoIterator<Item = GraphEdge>,
        filter: &GraphFilter,
    ) -> Self {
        let edges = edges.into_iter();
        let mut built = Self::with_nodes(nodes, edges.size_hint().0);
        built.extend_edges(edges, filter);
        built
    }

    /// A graph of `nodes` and no links yet, with room for `edge_capacity` links (the links
    /// then come in batches through [`Self::extend_edges`]).
    #[must_use]
    pub fn with_nodes(nodes: Vec<GraphNode>, edge_capacity: usize) -> Self {
        let mut graph = StableGraph::with_capacity(nodes.len(), edge_capacity);
        let mut index_of = FxHashMap::with_capacity_and_hasher(nodes.len(), FxBuildHasher);
        for node in nodes {
            let id = node.id;
            let index = graph.add_node(node);
            index_of.insert(id, index);
        }
        Self {
            graph,
            index_of,
            revision: next_revision(),
            adjacency_cache: Arc::default(),
        }
    }

    /// Adds the links that pass `filter` (those whose ends are not in the graph are left out).
    pub fn extend_edges(
        &mut self,
        edges: impl IntoIterator<Item = GraphEdge>,
        filter: &GraphFilter,
    ) {
        for edge in edges {
            if filter.keeps(&edge) {
                self.insert_edge(edge);
            }
        }
        self.changed();
    }

    /// Marks the graph changed: a new revision, and a cache of its own (a clone of the old
    /// revision keeps the old one).
    fn changed(&mut self) {
        self.revision = next_revision();
        self.adjacency_cache = Arc::default();
    }

    /// A number that changes whenever nodes or links are added or removed, and is shared only
    /// by clones of the same graph: a cheap way for a view to tell whether what it drew from
    /// is still current, where comparing the graphs would cost a pass over every link.
    #[must_use]
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// Adds a nominal (or replaces its details); returns its index.
    pub fn add_node(&mut self, node: GraphNode) -> NodeIndex<u32> {
        self.changed();
        if let Some(&index) = self.index_of.get(&node.id) {
            self.graph[index] = node;
            return index;
        }
        let id = node.id;
        let index = self.graph.add_node(node);
        self.index_of.insert(id, index);
        index
    }

    /// Adds a link between two nominals already in the graph; `None` if either is missing.
    pub fn add_edge(&mut self, edge: GraphEdge) -> Option<EdgeIndex<u32>> {
        self.changed();
        self.insert_edge(edge)
    }

    fn insert_edge(&mut self, edge: GraphEdge) -> Option<EdgeIndex<u32>> {
        let from = *self.index_of.get(&edge.from)?;
        let to = *self.index_of.get(&edge.to)?;
        Some(self.graph.add_edge(from, to, edge))
    }

    /// Removes a nominal and its links.
    pub fn remove_node(&mut self, id: NominalId) -> Option<GraphNode> {
        self.changed();
        let index = self.index_of.remove(&id)?;
        self.graph.remove_node(index)
    }

    #[must_use]
    pub fn node_count(&self) -> usize {
        self.graph.node_count()
    }

    #[must_use]
    pub fn edge_count(&self) -> usize {
        self.graph.edge_count()
    }

    #[must_use]
    pub fn contains(&self, id: NominalId) -> bool {
        self.index_of.contains_key(&id)
    }

    #[must_use]
    pub fn node(&self, id: NominalId) -> Option<&GraphNode> {
        self.index_of.get(&id).map(|&index| &self.graph[index])
    }

    /// Every node, in index order.
    pub fn nodes(&self) -> impl Iterator<Item = &GraphNode> + '_ {
        self.graph.node_weights()
    }

    /// Every edge, in index order.
    pub fn edges(&self) -> impl Iterator<Item = &GraphEdge> + '_ {
        self.graph.edge_weights()
    }

    /// The edges touching `id`, either way.
    pub fn edges_of(&self, id: NominalId) -> impl Iterator<Item = &GraphEdge> + '_ {
        let index = self.index_of.get(&id).copied();
        index.into_iter().flat_map(move |index| {
            self.graph
                .edges_directed(index, petgraph::Direction::Outgoing)
                .chain(
                    self.graph
                        .edges_directed(index, petgraph::Direction::Incoming),
                )
                .map(|edge| edge.weight())
        })
    }

    /// The petgraph graph, for algorithms that want it.
    #[must_use]
    pub fn petgraph(&self) -> &StableGraph<GraphNode, GraphEdge, Directed, u32> {
        &self.graph
    }

    /// The compact adjacency of the graph: every link both ways, or, when
    /// `follow_direction`, directed links only from `from` to `to` (undirected links both ways).
    #[must_use]
    pub fn adjacency(&self, follow_direction: bool) -> Arc<Adjacency> {
        // A poisoned lock only means another thread panicked mid-build: build afresh.
        let Ok(mut cache) = self.adjacency_cache.lock() else {
            return Arc::new(Adjacency::from_graph(self, follow_direction));
        };
        if cache.revision != self.revision {
            *cache = AdjacencyCache {
                revision: self.revision,
                ..AdjacencyCache::default()
            };
        }
        let slot = if follow_direction {
            &mut cache.directed
        } else {
            &mut cache.undirected
        };
        Arc::clone(
            slot.get_or_insert_with(|| Arc::new(Adjacency::from_graph(self, follow_direction))),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(id: i64) -> GraphNode {
        GraphNode {
            id: NominalId(id),
            kind: NominalKind::Person,
            label: format!("Nominal {id}"),
            ocg: false,
            criminal: false,
        }
    }

    fn edge(link: i64, from: i64, to: i64, link_type: &str) -> GraphEdge {
        GraphEdge {
            link: LinkId(link),
            from: NominalId(from),
            to: NominalId(to),
            link_type: link_type.into(),
            directed: false,
            valid_from: None,
            valid_to: None,
            confidence: "probable".into(),
            item_sources: None,
            import_sources: None,
        }
    }

    #[test]
    fn links_added_in_batches_make_the_graph_built_at_once() {
        let nodes: Vec<_> = (1..=4).map(node).collect();
        let edges = vec![
            edge(1, 1, 2, "associate"),
            edge(2, 2, 3, "family"),
            edge(3, 3, 9, "associate"),
            edge(4, 3, 4, "associate"),
        ];
        let filter = GraphFilter {
            link_types: Some(BTreeSet::from(["associate".to_owned()])),
            ..GraphFilter::default()
        };
        let at_once = LinkGraph::build(nodes.clone(), edges.clone(), &filter);
        let mut batched = LinkGraph::with_nodes(nodes, 1);
        batched.extend_edges(edges[..2].to_vec(), &filter);
        batched.extend_edges(edges[2..].to_vec(), &filter);
        let links = |g: &LinkGraph| g.edges().map(|e| e.link).collect::<Vec<_>>();
        // The family link is filtered out, and the link to a nominal not in the graph dropped.
        assert_eq!(links(&at_once), vec![LinkId(1), LinkId(4)]);
        assert_eq!(links(&batched), links(&at_once));
        assert_eq!(batched.node_count(), at_once.node_count());
    }

    #[test]
    fn the_revision_changes_with_every_edit_and_only_clones_share_it() {
        let mut graph = LinkGraph::build(vec![node(1), node(2)], [], &GraphFilter::default());
        let other = LinkGraph::build(vec![node(1), node(2)], [], &GraphFilter::default());
        assert_ne!(graph.revision(), other.revision());
        assert_eq!(graph.clone().revision(), graph.revision());
        let mut seen = vec![graph.revision()];
        graph.add_node(node(3));
        seen.push(graph.revision());
        graph.add_edge(edge(1, 1, 3, "associate"));
        seen.push(graph.revision());
        graph.extend_edges([edge(2, 2, 3, "associate")], &GraphFilter::default());
        seen.push(graph.revision());
        graph.remove_node(NominalId(2));
        seen.push(graph.revision());
        let distinct: BTreeSet<_> = seen.iter().collect();
        assert_eq!(distinct.len(), seen.len(), "{seen:?}");
    }
}
