//! A compact (CSR) adjacency of a [`LinkGraph`]: dense node numbers `0..n`, each node's
//! neighbours in one slice. Breadth-first searches and Brandes' betweenness run on this rather
//! than on petgraph's linked lists: it is a few arrays, cache-friendly and shareable across
//! threads.

use super::LinkGraph;
use crate::domain::{LinkId, NominalId};
use petgraph::visit::NodeIndexable;

/// Neighbours of every node, by dense number.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Adjacency {
    /// The nominal of each dense number.
    pub nominals: Vec<NominalId>,
    /// `neighbours[offsets[v]..offsets[v + 1]]` are the neighbours of `v`.
    pub offsets: Vec<usize>,
    pub neighbours: Vec<u32>,
    /// The link behind each entry of `neighbours`.
    pub links: Vec<LinkId>,
}

impl Adjacency {
    pub(super) fn from_graph(graph: &LinkGraph, follow_direction: bool) -> Self {
        let pg = graph.petgraph();
        let bound = pg.node_bound();
        let mut dense = vec![u32::MAX; bound];
        let mut nominals = Vec::with_capacity(pg.node_count());
        for index in pg.node_indices() {
            dense[index.index()] = u32::try_from(nominals.len()).unwrap_or(u32::MAX);
            nominals.push(pg[index].id);
        }
        let mut degree = vec![0usize; nominals.len()];
        let mut pairs: Vec<(u32, u32, LinkId)> = Vec::with_capacity(pg.edge_count() * 2);
        for edge in pg.edge_indices() {
            let Some((a, b)) = pg.edge_endpoints(edge) else {
                continue;
            };
            let (a, b) = (dense[a.index()], dense[b.index()]);
            let weight = &pg[edge];
            pairs.push((a, b, weight.link));
            if !(follow_direction && weight.directed) {
                pairs.push((b, a, weight.link));
            }
        }
        for &(a, _, _) in &pairs {
            degree[a as usize] += 1;
        }
        let mut offsets = Vec::with_capacity(nominals.len() + 1);
        offsets.push(0);
        for d in &degree {
            offsets.push(offsets.last().copied().unwrap_or(0) + d);
        }
        let mut fill = offsets.clone();
        let mut neighbours = vec![0u32; pairs.len()];
        let mut links = vec![LinkId(0); pairs.len()];
        for (a, b, link) in pairs {
            let at = fill[a as usize];
            neighbours[at] = b;
            links[at] = link;
            fill[a as usize] += 1;
        }
        Self {
            nominals,
            offsets,
            neighbours,
            links,
        }
    }

    /// Number of nodes.
    #[must_use]
    pub fn len(&self) -> usize {
        self.nominals.len()
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.nominals.is_empty()
    }

    /// The neighbours of `v`.
    #[must_use]
    pub fn neighbours(&self, v: usize) -> &[u32] {
        &self.neighbours[self.offsets[v]..self.offsets[v + 1]]
    }

    /// The links to the neighbours of `v`, in the same order.
    #[must_use]
    pub fn links_of(&self, v: usize) -> &[LinkId] {
        &self.links[self.offsets[v]..self.offsets[v + 1]]
    }

    /// The dense number of `id`, by a linear search (build a map for repeated look-ups).
    #[must_use]
    pub fn position(&self, id: NominalId) -> Option<usize> {
        self.nominals.iter().position(|&n| n == id)
    }

    /// The same nodes with every entry turned round: `u` is a neighbour of `v` here when `v` is
    /// a neighbour of `u` in `self`, through the same link. A directed search run backwards (from
    /// the target) walks this.
    #[must_use]
    pub fn reversed(&self) -> Self {
        let n = self.len();
        let mut offsets = vec![0usize; n + 1];
        for &w in &self.neighbours {
            offsets[w as usize + 1] += 1;
        }
        for v in 0..n {
            offsets[v + 1] += offsets[v];
        }
        let mut fill = offsets.clone();
        let mut neighbours = vec![0u32; self.neighbours.len()];
        let mut links = vec![LinkId(0); self.links.len()];
        for v in 0..n {
            let from = u32::try_from(v).unwrap_or(u32::MAX);
            for (&w, &link) in self.neighbours(v).iter().zip(self.links_of(v)) {
                let at = fill[w as usize];
                neighbours[at] = from;
                links[at] = link;
                fill[w as usize] += 1;
            }
        }
        Self {
            nominals: self.nominals.clone(),
            offsets,
            neighbours,
            links,
        }
    }

    /// The simple graph behind this adjacency, as networkx sees it after `nx.Graph(G)`: each
    /// node's neighbours sorted by dense number and each listed once, through the lowest link id
    /// among parallel links. Measures (degree, betweenness, communities) run on this, so two
    /// links between the same pair count as one connection.
    #[must_use]
    pub fn simple(&self) -> Self {
        let n = self.len();
        let mut offsets = Vec::with_capacity(n + 1);
        offsets.push(0);
        let mut neighbours = Vec::with_capacity(self.neighbours.len());
        let mut links = Vec::with_capacity(self.links.len());
        let mut entries: Vec<(u32, LinkId)> = Vec::new();
        for v in 0..n {
            entries.clear();
            entries.extend(
                self.neighbours(v)
                    .iter()
                    .copied()
                    .zip(self.links_of(v).iter().copied()),
            );
            entries.sort_unstable();
            entries.dedup_by_key(|entry| entry.0);
            for &(w, link) in &entries {
                neighbours.push(w);
                links.push(link);
            }
            offsets.push(neighbours.len());
        }
        Self {
            nominals: self.nominals.clone(),
            offsets,
            neighbours,
            links,
        }
    }

    /// Number of entries (links counted once per direction they can be walked).
    #[must_use]
    pub fn entry_count(&self) -> usize {
        self.neighbours.len()
    }

    /// A map from nominal to dense number.
    #[must_use]
    pub fn positions(&self) -> std::collections::HashMap<NominalId, usize> {
        self.nominals
            .iter()
            .enumerate()
            .map(|(v, &id)| (id, v))
            .collect()
    }
}
