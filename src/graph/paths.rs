//! Paths through the link graph: breadth-first searches on the compact [`Adjacency`], the
//! shortest path (or every shortest path) between two nominals, the nominals within N hops of
//! one, and the connecting network of a set (Analyst's Notebook's "find connecting network").
//!
//! Links are unweighted: a path's length is its number of hops. The dense searches
//! (`*_dense`, [`bfs_distances`], [`bfs_tree`]) take an adjacency built once, so that callers
//! asking many questions of one graph (the exposure finder, the benchmark) do not rebuild it;
//! the graph-level functions build the adjacency they need and speak in nominal ids.

use super::{Adjacency, GraphPath, LinkGraph};
use crate::domain::{LinkId, NominalId};
use std::collections::{BTreeSet, HashSet};
use std::sync::Arc;

/// The hop count of a node a search did not reach.
pub const UNREACHED: u32 = u32::MAX;

/// The entry a node has in [`BfsTree::parent_entries`] when it has no parent (the source, or a
/// node the search did not reach).
pub const NO_ENTRY: usize = usize::MAX;

/// A dense number as the `u32` the adjacency stores (graphs have fewer than 4 billion nodes).
fn dense_u32(v: usize) -> u32 {
    u32::try_from(v).unwrap_or(u32::MAX)
}

/// The hop limit as a `u32`, unlimited when `None`.
fn hop_limit(max_hops: Option<usize>) -> u32 {
    max_hops.map_or(UNREACHED - 1, |hops| {
        u32::try_from(hops)
            .unwrap_or(UNREACHED - 1)
            .min(UNREACHED - 1)
    })
}

/// Hop counts from `source` to every node ([`UNREACHED`] where there is no path, or the path is
/// longer than `max_hops`).
#[must_use]
pub fn bfs_distances(adj: &Adjacency, source: usize, max_hops: Option<usize>) -> Vec<u32> {
    let n = adj.len();
    let mut distances_hops = vec![UNREACHED; n];
    if source >= n {
        return distances_hops;
    }
    let limit = hop_limit(max_hops);
    let mut queue: Vec<u32> = Vec::with_capacity(n.min(1 << 16));
    distances_hops[source] = 0;
    queue.push(dense_u32(source));
    let mut head = 0;
    while let Some(&v) = queue.get(head) {
        head += 1;
        let v = v as usize;
        let next = distances_hops[v] + 1;
        if next > limit {
            continue;
        }
        for &w in adj.neighbours(v) {
            let slot = &mut distances_hops[w as usize];
            if *slot == UNREACHED {
                *slot = next;
                queue.push(w);
            }
        }
    }
    distances_hops
}

/// A breadth-first search tree: hop counts, and how each node was first reached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BfsTree {
    pub source: usize,
    /// Hop count of each node from the source, [`UNREACHED`] where not reached.
    pub distances_hops: Vec<u32>,
    /// For each reached node but the source, the index into `adj.neighbours` / `adj.links` of
    /// the entry that first reached it (so the parent is the node owning that entry);
    /// [`NO_ENTRY`] otherwise.
    pub parent_entries: Vec<usize>,
    /// The parent of each reached node but the source ([`UNREACHED`] otherwise).
    pub parents: Vec<u32>,
    /// The reached nodes in the order the search reached them (by hop count).
    pub order: Vec<u32>,
}

impl BfsTree {
    /// The tree's path from the source to `target`: dense nodes and the link of each hop.
    #[must_use]
    pub fn path_to(&self, adj: &Adjacency, target: usize) -> Option<DensePath> {
        if self
            .distances_hops
            .get(target)
            .is_none_or(|&d| d == UNREACHED)
        {
            return None;
        }
        let mut nodes = vec![target];
        let mut links = Vec::new();
        let mut at = target;
        while at != self.source {
            let entry = self.parent_entries[at];
            links.push(*adj.links.get(entry)?);
            at = self.parents[at] as usize;
            nodes.push(at);
        }
        nodes.reverse();
        links.reverse();
        Some(DensePath { nodes, links })
    }
}

/// A breadth-first search from `source` that records how each node was reached, up to
/// `max_hops` hops.
#[must_use]
pub fn bfs_tree(adj: &Adjacency, source: usize, max_hops: Option<usize>) -> BfsTree {
    let n = adj.len();
    let mut tree = BfsTree {
        source,
        distances_hops: vec![UNREACHED; n],
        parent_entries: vec![NO_ENTRY; n],
        parents: vec![UNREACHED; n],
        order: Vec::new(),
    };
    if source >= n {
        return tree;
    }
    let limit = hop_limit(max_hops);
    tree.distances_hops[source] = 0;
    tree.order.push(dense_u32(source));
    let mut head = 0;
    while let Some(&v) = tree.order.get(head) {
        head += 1;
        let v = v as usize;
        let next = tree.distances_hops[v] + 1;
        if next > limit {
            continue;
        }
        let start = adj.offsets[v];
        for (offset, &w) in adj.neighbours(v).iter().enumerate() {
            let w_index = w as usize;
            if tree.distances_hops[w_index] == UNREACHED {
                tree.distances_hops[w_index] = next;
                tree.parent_entries[w_index] = start + offset;
                tree.parents[w_index] = dense_u32(v);
                tree.order.push(w);
            }
        }
    }
    tree
}

/// A path in dense node numbers: `links[i]` joins `nodes[i]` and `nodes[i + 1]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DensePath {
    pub nodes: Vec<usize>,
    pub links: Vec<LinkId>,
}

impl DensePath {
    /// The same path in nominal ids.
    #[must_use]
    pub fn to_graph_path(&self, adj: &Adjacency) -> GraphPath {
        GraphPath {
            nodes: self.nodes.iter().map(|&v| adj.nominals[v]).collect(),
            links: self.links.clone(),
        }
    }
}

/// The work of expanding a frontier: the sum of its nodes' degrees.
fn frontier_cost(adj: &Adjacency, frontier: &[usize]) -> usize {
    frontier
        .iter()
        .map(|&v| adj.offsets[v + 1] - adj.offsets[v])
        .sum()
}

/// One shortest path from `from` to `to` by a bidirectional breadth-first search: `forward`
/// is walked from `from`, `backward` (the [`Adjacency::reversed`] of `forward`, or `forward`
/// itself when every link is walked both ways) from `to`, a whole level at a time on the side
/// with less to expand. The first level on which the two searches meet holds a shortest path.
#[must_use]
pub fn shortest_path_dense(
    forward: &Adjacency,
    backward: &Adjacency,
    from: usize,
    to: usize,
) -> Option<DensePath> {
    let n = forward.len();
    if from >= n || to >= n || backward.len() != n {
        return None;
    }
    if from == to {
        return Some(DensePath {
            nodes: vec![from],
            links: Vec::new(),
        });
    }
    let mut forward_hops = vec![UNREACHED; n];
    let mut backward_hops = vec![UNREACHED; n];
    // The node each node was reached from, and the link, on either side.
    let mut forward_parent = vec![(UNREACHED, LinkId(0)); n];
    let mut backward_parent = vec![(UNREACHED, LinkId(0)); n];
    forward_hops[from] = 0;
    backward_hops[to] = 0;
    let mut forward_frontier = vec![from];
    let mut backward_frontier = vec![to];
    // The meeting hop with the fewest hops in all: (total hops, tail, head, link tail -> head),
    // the tail reached from `from`, the head reaching `to`.
    let mut best: Option<(u32, usize, usize, LinkId)> = None;
    while !forward_frontier.is_empty() && !backward_frontier.is_empty() {
        let mut next = Vec::new();
        if frontier_cost(forward, &forward_frontier) <= frontier_cost(backward, &backward_frontier)
        {
            for &u in &forward_frontier {
                for (&w, &link) in forward.neighbours(u).iter().zip(forward.links_of(u)) {
                    let w = w as usize;
                    if backward_hops[w] != UNREACHED {
                        let total = forward_hops[u] + 1 + backward_hops[w];
                        if best.is_none_or(|b| total < b.0) {
                            best = Some((total, u, w, link));
                        }
                    }
                    if forward_hops[w] == UNREACHED {
                        forward_hops[w] = forward_hops[u] + 1;
                        forward_parent[w] = (dense_u32(u), link);
                        next.push(w);
                    }
                }
            }
            forward_frontier = next;
        } else {
            for &w in &backward_frontier {
                for (&u, &link) in backward.neighbours(w).iter().zip(backward.links_of(w)) {
                    let u = u as usize;
                    if forward_hops[u] != UNREACHED {
                        let total = forward_hops[u] + 1 + backward_hops[w];
                        if best.is_none_or(|b| total < b.0) {
                            best = Some((total, u, w, link));
                        }
                    }
                    if backward_hops[u] == UNREACHED {
                        backward_hops[u] = backward_hops[w] + 1;
                        backward_parent[u] = (dense_u32(w), link);
                        next.push(u);
                    }
                }
            }
            backward_frontier = next;
        }
        if let Some((_, tail, head, link)) = best {
            let mut nodes = vec![tail];
            let mut links = Vec::new();
            let mut at = tail;
            while at != from {
                let (parent, parent_link) = forward_parent[at];
                links.push(parent_link);
                at = parent as usize;
                nodes.push(at);
            }
            nodes.reverse();
            links.reverse();
            links.push(link);
            nodes.push(head);
            let mut at = head;
            while at != to {
                let (child, child_link) = backward_parent[at];
                links.push(child_link);
                at = child as usize;
                nodes.push(at);
            }
            return Some(DensePath { nodes, links });
        }
    }
    None
}

/// Every shortest path from `from` to `to`, at most `max_paths` of them, in lexicographic order
/// of their nominal ids. A hop over parallel links is taken through the lowest link id, so paths
/// differ in the nominals they pass through.
#[must_use]
pub fn shortest_paths_dense(
    forward: &Adjacency,
    backward: &Adjacency,
    from: usize,
    to: usize,
    max_paths: usize,
) -> Vec<DensePath> {
    let n = forward.len();
    if from >= n || to >= n || backward.len() != n || max_paths == 0 {
        return Vec::new();
    }
    // Hop counts from `from`, as far as the level of `to` (every nearer node is labelled by
    // the time `to` is).
    let mut hops = vec![UNREACHED; n];
    hops[from] = 0;
    let mut queue = vec![dense_u32(from)];
    let mut head = 0;
    'search: while let Some(&v) = queue.get(head) {
        head += 1;
        let v = v as usize;
        if v == to {
            break;
        }
        for &w in forward.neighbours(v) {
            if hops[w as usize] == UNREACHED {
                hops[w as usize] = hops[v] + 1;
                queue.push(w);
                if w as usize == to {
                    break 'search;
                }
            }
        }
    }
    if hops[to] == UNREACHED {
        return Vec::new();
    }
    // The nodes on some shortest path: walk back from `to` through nodes one hop nearer.
    let mut on_path = vec![false; n];
    on_path[to] = true;
    let mut stack = vec![to];
    while let Some(v) = stack.pop() {
        if hops[v] == 0 {
            continue;
        }
        for &u in backward.neighbours(v) {
            let u = u as usize;
            if hops[u] != UNREACHED && hops[u] + 1 == hops[v] && !on_path[u] {
                on_path[u] = true;
                stack.push(u);
            }
        }
    }
    let search = PathSearch {
        forward,
        hops: &hops,
        on_path: &on_path,
        to,
        max_paths,
    };
    let mut found = Vec::new();
    let mut path = DensePath {
        nodes: vec![from],
        links: Vec::new(),
    };
    search.extend(&mut path, &mut found);
    found
}

/// The depth-first enumeration of shortest paths over the nodes known to lie on one.
struct PathSearch<'a> {
    forward: &'a Adjacency,
    hops: &'a [u32],
    on_path: &'a [bool],
    to: usize,
    max_paths: usize,
}

impl PathSearch<'_> {
    fn extend(&self, path: &mut DensePath, found: &mut Vec<DensePath>) {
        let Some(&at) = path.nodes.last() else {
            return;
        };
        if at == self.to {
            found.push(path.clone());
            return;
        }
        // The next nodes, each once through its lowest link, in nominal-id order.
        let mut steps: Vec<(NominalId, usize, LinkId)> = self
            .forward
            .neighbours(at)
            .iter()
            .zip(self.forward.links_of(at))
            .filter(|&(&w, _)| {
                let w = w as usize;
                self.on_path[w] && self.hops[w] == self.hops[at] + 1
            })
            .map(|(&w, &link)| (self.forward.nominals[w as usize], w as usize, link))
            .collect();
        steps.sort_unstable_by_key(|&(id, _, link)| (id, link));
        steps.dedup_by_key(|step| step.1);
        for (_, w, link) in steps {
            if found.len() >= self.max_paths {
                return;
            }
            path.nodes.push(w);
            path.links.push(link);
            self.extend(path, found);
            path.nodes.pop();
            path.links.pop();
        }
    }
}

/// The adjacency to search forward and the one to search backward.
fn both_ways(graph: &LinkGraph, follow_direction: bool) -> (Arc<Adjacency>, Option<Adjacency>) {
    let forward = graph.adjacency(follow_direction);
    let backward = follow_direction.then(|| forward.reversed());
    (forward, backward)
}

/// One shortest path from `from` to `to` (fewest hops), walking directed links only their way
/// when `follow_direction`. `None` when either nominal is missing or there is no path.
#[must_use]
pub fn shortest_path(
    graph: &LinkGraph,
    from: NominalId,
    to: NominalId,
    follow_direction: bool,
) -> Option<GraphPath> {
    let (forward, backward) = both_ways(graph, follow_direction);
    let from = forward.position(from)?;
    let to = forward.position(to)?;
    shortest_path_dense(&forward, backward.as_ref().unwrap_or(&*forward), from, to)
        .map(|path| path.to_graph_path(&forward))
}

/// Every shortest path from `from` to `to`, at most `max_paths`, in lexicographic order of
/// their nominal ids (see [`shortest_paths_dense`]).
#[must_use]
pub fn shortest_paths(
    graph: &LinkGraph,
    from: NominalId,
    to: NominalId,
    follow_direction: bool,
    max_paths: usize,
) -> Vec<GraphPath> {
    let (forward, backward) = both_ways(graph, follow_direction);
    let (Some(from), Some(to)) = (forward.position(from), forward.position(to)) else {
        return Vec::new();
    };
    shortest_paths_dense(
        &forward,
        backward.as_ref().unwrap_or(&*forward),
        from,
        to,
        max_paths,
    )
    .iter()
    .map(|path| path.to_graph_path(&forward))
    .collect()
}

/// Every nominal within `hops` hops of `from` (itself included, at 0), with its hop count,
/// sorted by hop count then id. Empty when `from` is not in the graph.
#[must_use]
pub fn linked(
    graph: &LinkGraph,
    from: NominalId,
    hops: usize,
    follow_direction: bool,
) -> Vec<(NominalId, usize)> {
    let adj = graph.adjacency(follow_direction);
    let Some(source) = adj.position(from) else {
        return Vec::new();
    };
    let distances_hops = bfs_distances(&adj, source, Some(hops));
    let mut within: Vec<(NominalId, usize)> = distances_hops
        .iter()
        .enumerate()
        .filter(|&(_, &d)| d != UNREACHED)
        .map(|(v, &d)| (adj.nominals[v], d as usize))
        .collect();
    within.sort_unstable_by_key(|&(id, d)| (d, id));
    within
}

/// The members of staff within `max_hops` links of `from`, each with one shortest route (from
/// `from` to them, every link walked both ways), nearest first then by id: who in the force can
/// reach a person or an organised crime group, and how. The search stops expanding once it has
/// reached `max_reached` nominals, and says so (`capped`), so a hub (a busy phone, a shared
/// address) cannot make a profile read the whole graph.
#[must_use]
pub fn staff_within(
    graph: &LinkGraph,
    from: NominalId,
    max_hops: usize,
    max_reached: usize,
) -> StaffWithin {
    use std::collections::HashMap;
    let mut reached: HashMap<NominalId, (NominalId, LinkId, usize)> = HashMap::new();
    let mut within = StaffWithin::default();
    if !graph.contains(from) {
        return within;
    }
    let mut frontier = vec![from];
    let mut staff = Vec::new();
    'levels: for hops in 1..=max_hops {
        let mut next = Vec::new();
        for &v in &frontier {
            for edge in graph.edges_of(v) {
                let w = if edge.from == v { edge.to } else { edge.from };
                if w == from || reached.contains_key(&w) {
                    continue;
                }
                if reached.len() >= max_reached {
                    within.capped = true;
                    break 'levels;
                }
                reached.insert(w, (v, edge.link, hops));
                if graph
                    .node(w)
                    .is_some_and(|n| n.kind == crate::domain::NominalKind::Employee)
                {
                    staff.push((hops, w));
                }
                next.push(w);
            }
        }
        frontier = next;
    }
    staff.sort_unstable();
    for (_, employee) in staff {
        let mut nodes = vec![employee];
        let mut links = Vec::new();
        let mut at = employee;
        while let Some(&(parent, link, _)) = reached.get(&at) {
            links.push(link);
            nodes.push(parent);
            at = parent;
        }
        nodes.reverse();
        links.reverse();
        within.routes.push(GraphPath { nodes, links });
    }
    within
}

/// What [`staff_within`] found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StaffWithin {
    /// From the nominal asked about to a member of staff, nearest first.
    pub routes: Vec<GraphPath>,
    /// The search stopped at its cap: there may be more.
    pub capped: bool,
}

/// The links with both ends among `nominals`, sorted by id: with [`linked`], the network
/// around a nominal.
#[must_use]
pub fn links_among(graph: &LinkGraph, nominals: &[NominalId]) -> Vec<LinkId> {
    let mut links: Vec<LinkId> = edges_among(graph, nominals).map(|edge| edge.link).collect();
    links.sort_unstable();
    links.dedup();
    links
}

/// The edges with both ends among `nominals`, found from the members' own links (a path or a
/// neighbourhood in a graph of a million links costs its members' degrees, not the million),
/// each once.
pub fn edges_among<'a>(
    graph: &'a LinkGraph,
    nominals: &[NominalId],
) -> impl Iterator<Item = &'a super::GraphEdge> + 'a {
    let members: HashSet<NominalId> = nominals.iter().copied().collect();
    let mut seen: HashSet<LinkId> = HashSet::new();
    let mut edges = Vec::new();
    for &id in &members {
        for edge in graph.edges_of(id) {
            if members.contains(&edge.from) && members.contains(&edge.to) && seen.insert(edge.link)
            {
                edges.push(edge);
            }
        }
    }
    edges.sort_by_key(|edge| edge.link);
    edges.into_iter()
}

/// The connecting network of a set of nominals: the set itself, and every nominal and link on a
/// shortest path (links walked either way) between two of its members, pairs more than
/// `max_hops` apart left unconnected. Every link of a hop counts, parallel ones included.
/// Nominals and links come back sorted by id; members not in the graph are left out.
#[must_use]
pub fn connecting_network(
    graph: &LinkGraph,
    nominals: &[NominalId],
    max_hops: Option<usize>,
) -> (Vec<NominalId>, Vec<LinkId>) {
    let adj = graph.adjacency(false);
    let positions = adj.positions();
    let members: Vec<usize> = nominals
        .iter()
        .filter_map(|id| positions.get(id).copied())
        .collect::<BTreeSet<usize>>()
        .into_iter()
        .collect();
    let mut in_network = vec![false; adj.len()];
    for &m in &members {
        in_network[m] = true;
    }
    let mut links: Vec<LinkId> = Vec::new();
    // Which walk last visited each node, so each walk visits a node once without clearing.
    let mut visited_by = vec![usize::MAX; adj.len()];
    let mut walk = 0usize;
    let mut stack = Vec::new();
    for (i, &a) in members.iter().enumerate() {
        let hops = bfs_distances(&adj, a, max_hops);
        for &b in &members[i + 1..] {
            if hops[b] == UNREACHED {
                continue;
            }
            walk += 1;
            visited_by[b] = walk;
            stack.push(b);
            while let Some(v) = stack.pop() {
                in_network[v] = true;
                if hops[v] == 0 {
                    continue;
                }
                for (&u, &link) in adj.neighbours(v).iter().zip(adj.links_of(v)) {
                    let u = u as usize;
                    if hops[u] != UNREACHED && hops[u] + 1 == hops[v] {
                        links.push(link);
                        if visited_by[u] != walk {
                            visited_by[u] = walk;
                            stack.push(u);
                        }
                    }
                }
            }
        }
    }
    let mut nodes: Vec<NominalId> = in_network
        .iter()
        .enumerate()
        .filter(|&(_, &kept)| kept)
        .map(|(v, _)| adj.nominals[v])
        .collect();
    nodes.sort_unstable();
    links.sort_unstable();
    links.dedup();
    (nodes, links)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::domain::NominalKind;
    use crate::graph::{GraphEdge, GraphFilter, GraphNode};

    /// A graph of nodes `1..=nodes` and the given links `(link id, from, to, directed)`.
    pub(crate) fn graph_of(nodes: i64, links: &[(i64, i64, i64, bool)]) -> LinkGraph {
        LinkGraph::build(
            (1..=nodes)
                .map(|id| GraphNode {
                    id: NominalId(id),
                    kind: NominalKind::Person,
                    label: format!("N{id}"),
                    ocg: false,
                    criminal: false,
                })
                .collect(),
            links.iter().map(|&(link, from, to, directed)| GraphEdge {
                link: LinkId(link),
                from: NominalId(from),
                to: NominalId(to),
                link_type: "associate".into(),
                directed,
                valid_from: None,
                valid_to: None,
                confidence: "probable".into(),
                item_sources: Some(1),
                import_sources: Some(0),
            }),
            &GraphFilter::default(),
        )
    }

    /// Undirected links between consecutive pairs, numbered from 1.
    pub(crate) fn undirected(pairs: &[(i64, i64)]) -> Vec<(i64, i64, i64, bool)> {
        (1..)
            .zip(pairs)
            .map(|(link, &(a, b))| (link, a, b, false))
            .collect()
    }

    #[test]
    fn staff_within_finds_each_member_of_staff_by_a_shortest_route_and_stops_at_the_cap() {
        // 1 (the OCG) - 2 - 3 (staff) - 4 - 5 (staff, 4 links away); 1 - 6 (staff) directly;
        // 2 - 7 - 3 is a second, longer way to 3.
        let mut graph = graph_of(
            7,
            &undirected(&[(1, 2), (2, 3), (3, 4), (4, 5), (1, 6), (2, 7), (7, 3)]),
        );
        for id in [3, 5, 6] {
            graph.add_node(GraphNode {
                id: NominalId(id),
                kind: NominalKind::Employee,
                label: format!("N{id}"),
                ocg: false,
                criminal: false,
            });
        }
        let within = staff_within(&graph, NominalId(1), 3, 100);
        assert!(!within.capped);
        let routes: Vec<Vec<i64>> = within
            .routes
            .iter()
            .map(|p| p.nodes.iter().map(|n| n.0).collect())
            .collect();
        assert_eq!(routes, [vec![1, 6], vec![1, 2, 3]]);
        assert_eq!(within.routes[1].links, [LinkId(1), LinkId(2)]);
        assert_eq!(staff_within(&graph, NominalId(1), 4, 100).routes.len(), 3);
        // Two nominals reached (2 and 6, in link order) and the search stops.
        let capped = staff_within(&graph, NominalId(1), 3, 2);
        assert!(capped.capped);
        assert_eq!(capped.routes.len(), 1);
        assert!(
            staff_within(&graph, NominalId(99), 3, 100)
                .routes
                .is_empty()
        );
    }

    fn ids(values: &[i64]) -> Vec<NominalId> {
        values.iter().map(|&v| NominalId(v)).collect()
    }

    fn link_ids(values: &[i64]) -> Vec<LinkId> {
        values.iter().map(|&v| LinkId(v)).collect()
    }

    /// Two triangles (1-2-3, 4-5-6) joined by the bridge 3-4.
    pub(crate) fn two_triangles() -> LinkGraph {
        graph_of(
            6,
            &undirected(&[(1, 2), (2, 3), (1, 3), (3, 4), (4, 5), (5, 6), (4, 6)]),
        )
    }

    #[test]
    fn path_graph_shortest_path_walks_every_hop() {
        let graph = graph_of(5, &undirected(&[(1, 2), (2, 3), (3, 4), (4, 5)]));
        let path = shortest_path(&graph, NominalId(1), NominalId(5), false).unwrap();
        assert_eq!(path.nodes, ids(&[1, 2, 3, 4, 5]));
        assert_eq!(path.links, link_ids(&[1, 2, 3, 4]));
        let back = shortest_path(&graph, NominalId(5), NominalId(1), false).unwrap();
        assert_eq!(back.nodes, ids(&[5, 4, 3, 2, 1]));
        let same = shortest_path(&graph, NominalId(3), NominalId(3), false).unwrap();
        assert_eq!(same.hops(), 0);
        assert!(shortest_path(&graph, NominalId(1), NominalId(99), false).is_none());
    }

    #[test]
    fn bridge_carries_the_path_between_triangles() {
        let graph = two_triangles();
        let path = shortest_path(&graph, NominalId(1), NominalId(6), false).unwrap();
        assert_eq!(path.nodes, ids(&[1, 3, 4, 6]));
        assert_eq!(path.links, link_ids(&[3, 4, 7]));
    }

    #[test]
    fn disconnected_pair_has_no_path() {
        let graph = graph_of(4, &undirected(&[(1, 2), (3, 4)]));
        assert!(shortest_path(&graph, NominalId(1), NominalId(4), false).is_none());
        assert!(shortest_paths(&graph, NominalId(1), NominalId(4), false, 10).is_empty());
        let adj = graph.adjacency(false);
        let distances_hops = bfs_distances(&adj, 0, None);
        assert_eq!(distances_hops, vec![0, 1, UNREACHED, UNREACHED]);
    }

    #[test]
    fn directed_chain_is_walked_its_way_only_when_direction_is_followed() {
        let graph = graph_of(3, &[(1, 1, 2, true), (2, 2, 3, true)]);
        let along = shortest_path(&graph, NominalId(1), NominalId(3), true).unwrap();
        assert_eq!(along.nodes, ids(&[1, 2, 3]));
        assert!(shortest_path(&graph, NominalId(3), NominalId(1), true).is_none());
        let against = shortest_path(&graph, NominalId(3), NominalId(1), false).unwrap();
        assert_eq!(against.nodes, ids(&[3, 2, 1]));
        assert_eq!(against.links, link_ids(&[2, 1]));
        assert_eq!(
            linked(&graph, NominalId(3), 5, true),
            vec![(NominalId(3), 0)]
        );
        assert_eq!(
            linked(&graph, NominalId(3), 5, false),
            vec![(NominalId(3), 0), (NominalId(2), 1), (NominalId(1), 2)]
        );
        assert_eq!(
            shortest_paths(&graph, NominalId(1), NominalId(3), true, 5).len(),
            1
        );
        assert!(shortest_paths(&graph, NominalId(3), NominalId(1), true, 5).is_empty());
    }

    #[test]
    fn all_shortest_paths_come_in_id_order_and_parallel_links_count_once() {
        // A square 1-2-4, 1-3-4, with two links between 1 and 2.
        let graph = graph_of(
            4,
            &[
                (10, 1, 2, false),
                (11, 1, 2, false),
                (12, 1, 3, false),
                (13, 2, 4, false),
                (14, 3, 4, false),
            ],
        );
        let paths = shortest_paths(&graph, NominalId(1), NominalId(4), false, 10);
        assert_eq!(paths.len(), 2);
        assert_eq!(paths[0].nodes, ids(&[1, 2, 4]));
        assert_eq!(paths[0].links, link_ids(&[10, 13]));
        assert_eq!(paths[1].nodes, ids(&[1, 3, 4]));
        assert_eq!(
            shortest_paths(&graph, NominalId(1), NominalId(4), false, 1),
            vec![paths[0].clone()]
        );
    }

    #[test]
    fn star_neighbourhood_by_hops() {
        let graph = graph_of(5, &undirected(&[(1, 2), (1, 3), (1, 4), (1, 5)]));
        let around_leaf = linked(&graph, NominalId(2), 1, false);
        assert_eq!(around_leaf, vec![(NominalId(2), 0), (NominalId(1), 1)]);
        let two = linked(&graph, NominalId(2), 2, false);
        assert_eq!(two.len(), 5);
        assert_eq!(two[2], (NominalId(3), 2));
        let members: Vec<NominalId> = around_leaf.iter().map(|&(id, _)| id).collect();
        assert_eq!(links_among(&graph, &members), link_ids(&[1]));
        // Hub to leaves: every path goes through the hub.
        let paths = shortest_paths(&graph, NominalId(2), NominalId(5), false, 10);
        assert_eq!(paths.len(), 1);
        assert_eq!(paths[0].nodes, ids(&[2, 1, 5]));
    }

    #[test]
    fn connecting_network_joins_members_through_the_bridge() {
        let graph = two_triangles();
        let (nodes, links) = connecting_network(&graph, &ids(&[1, 5]), None);
        // 1-3-4-5 is the only shortest path.
        assert_eq!(nodes, ids(&[1, 3, 4, 5]));
        assert_eq!(links, link_ids(&[3, 4, 5]));
        let (nodes, links) = connecting_network(&graph, &ids(&[1, 5]), Some(2));
        assert_eq!(nodes, ids(&[1, 5]));
        assert!(links.is_empty());
        // Square with parallel links: both shortest paths and both parallel links.
        let square = graph_of(
            4,
            &[
                (10, 1, 2, false),
                (11, 1, 2, false),
                (12, 1, 3, false),
                (13, 2, 4, false),
                (14, 3, 4, false),
            ],
        );
        let (nodes, links) = connecting_network(&square, &ids(&[1, 4, 99]), None);
        assert_eq!(nodes, ids(&[1, 2, 3, 4]));
        assert_eq!(links, link_ids(&[10, 11, 12, 13, 14]));
    }

    #[test]
    fn bfs_tree_paths_follow_parents() {
        let graph = two_triangles();
        let adj = graph.adjacency(false);
        let source = adj.position(NominalId(1)).unwrap();
        let tree = bfs_tree(&adj, source, Some(2));
        let to_four = tree
            .path_to(&adj, adj.position(NominalId(4)).unwrap())
            .unwrap();
        assert_eq!(to_four.to_graph_path(&adj).nodes, ids(&[1, 3, 4]));
        assert!(
            tree.path_to(&adj, adj.position(NominalId(6)).unwrap())
                .is_none()
        );
        assert_eq!(tree.order.len(), 4);
    }

    /// A small deterministic random number generator for the randomised comparisons.
    pub(crate) fn splitmix(state: &mut u64) -> u64 {
        *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = *state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    #[test]
    fn bidirectional_search_agrees_with_plain_search_on_random_graphs() {
        let mut state = 7u64;
        for round in 0..30 {
            let nodes = 40;
            let mut links = Vec::new();
            for link in 0..60 {
                let a = i64::try_from(splitmix(&mut state) % nodes).unwrap() + 1;
                let b = i64::try_from(splitmix(&mut state) % nodes).unwrap() + 1;
                if a != b {
                    links.push((link, a, b, round % 2 == 0 && link % 3 == 0));
                }
            }
            let graph = graph_of(40, &links);
            for follow_direction in [false, true] {
                let forward = graph.adjacency(follow_direction);
                let backward = forward.reversed();
                for from in 0..40 {
                    let hops = bfs_distances(&forward, from, None);
                    for (to, &hops_to) in hops.iter().enumerate() {
                        let path = shortest_path_dense(&forward, &backward, from, to);
                        match path {
                            None => assert_eq!(hops_to, UNREACHED),
                            Some(path) => {
                                assert_eq!(u32::try_from(path.links.len()).unwrap(), hops_to);
                                for (i, pair) in path.nodes.windows(2).enumerate() {
                                    let at = forward.neighbours(pair[0]);
                                    let position = at.iter().position(|&w| w as usize == pair[1]);
                                    assert!(position.is_some(), "hop {i} is not a link");
                                }
                            }
                        }
                        let all = shortest_paths_dense(&forward, &backward, from, to, 1000);
                        if hops_to == UNREACHED {
                            assert!(all.is_empty());
                        } else {
                            assert!(!all.is_empty());
                            assert!(
                                all.iter()
                                    .all(|p| u32::try_from(p.links.len()).unwrap() == hops_to)
                            );
                        }
                    }
                }
            }
        }
    }
}
