//! Communities of the link graph by Louvain modularity optimisation: groups of nominals more
//! densely linked among themselves than to the rest, which is how an analyst spots the
//! separate cells of a network.
//!
//! The graph is taken as undirected and unweighted, two links between the same pair counting
//! once (networkx's `nx.Graph(G)`). The method (Blondel et al., 2008) moves each node to the
//! neighbouring community that raises modularity most, until no move helps, then merges each
//! community into one node and repeats on the smaller graph. It is deterministic: nodes are
//! visited in a fixed order (dense order, or an order shuffled from a seed) and a tie between
//! communities goes to the lowest community number; a node stays put unless a move strictly
//! helps.

use super::{Adjacency, LinkGraph};
use crate::domain::NominalId;

/// A partition of the graph into communities.
#[derive(Debug, Clone, PartialEq)]
pub struct Communities {
    /// Each nominal's community (an index into `groups`), sorted by nominal id.
    pub membership: Vec<(NominalId, usize)>,
    /// The communities, largest first (ties by lowest id), each one's ids sorted.
    pub groups: Vec<Vec<NominalId>>,
    /// Newman's modularity of the partition.
    pub modularity: f64,
}

/// Smallest modularity gain (in links) that counts as an improvement; below it a node stays.
const GAIN_EPSILON: f64 = 1e-10;

/// Passes over the nodes of one level before giving up on it settling (it settles long before).
const MAX_PASSES: usize = 1_000;

/// An undirected weighted graph with self-loops, the graph of one Louvain level.
#[derive(Debug, Clone)]
struct LevelGraph {
    offsets: Vec<usize>,
    targets: Vec<u32>,
    weights: Vec<f64>,
    /// The weight of each node's self-loop (the links inside the community it stands for).
    self_loops: Vec<f64>,
}

impl LevelGraph {
    fn from_adjacency(adj: &Adjacency) -> Self {
        Self {
            offsets: adj.offsets.clone(),
            targets: adj.neighbours.clone(),
            weights: vec![1.0; adj.neighbours.len()],
            self_loops: vec![0.0; adj.len()],
        }
    }

    fn len(&self) -> usize {
        self.self_loops.len()
    }

    /// The weighted degree of `v` (a self-loop counts twice).
    fn degree(&self, v: usize) -> f64 {
        self.weights[self.offsets[v]..self.offsets[v + 1]]
            .iter()
            .sum::<f64>()
            + 2.0 * self.self_loops[v]
    }

    /// Moves nodes between communities until no move raises modularity; returns each node's
    /// community, renumbered `0..k` in order of first appearance, and `k`.
    fn settle(&self, order: &[usize]) -> (Vec<usize>, usize) {
        let n = self.len();
        let degrees: Vec<f64> = (0..n).map(|v| self.degree(v)).collect();
        let total_degree: f64 = degrees.iter().sum();
        let mut community: Vec<usize> = (0..n).collect();
        let mut community_degree = degrees.clone();
        let mut weight_to = vec![0.0f64; n];
        let mut touched: Vec<usize> = Vec::new();
        if total_degree > 0.0 {
            for _ in 0..MAX_PASSES {
                let mut moved = false;
                for &v in order {
                    let own = community[v];
                    let degree = degrees[v];
                    for at in self.offsets[v]..self.offsets[v + 1] {
                        let c = community[self.targets[at] as usize];
                        if weight_to[c] == 0.0 {
                            touched.push(c);
                        }
                        weight_to[c] += self.weights[at];
                    }
                    community_degree[own] -= degree;
                    let gain =
                        |c: usize| weight_to[c] - community_degree[c] * degree / total_degree;
                    let own_gain = gain(own);
                    let mut best: Option<(f64, usize)> = None;
                    for &c in &touched {
                        if c == own {
                            continue;
                        }
                        let g = gain(c);
                        let better = best.is_none_or(|(best_gain, best_c)| {
                            g > best_gain + GAIN_EPSILON
                                || ((g - best_gain).abs() <= GAIN_EPSILON && c < best_c)
                        });
                        if better {
                            best = Some((g, c));
                        }
                    }
                    let chosen = match best {
                        Some((g, c)) if g > own_gain + GAIN_EPSILON => c,
                        _ => own,
                    };
                    community_degree[chosen] += degree;
                    if chosen != own {
                        community[v] = chosen;
                        moved = true;
                    }
                    for &c in &touched {
                        weight_to[c] = 0.0;
                    }
                    touched.clear();
                }
                if !moved {
                    break;
                }
            }
        }
        let mut renumbered = vec![usize::MAX; n];
        let mut count = 0;
        for c in &mut community {
            if renumbered[*c] == usize::MAX {
                renumbered[*c] = count;
                count += 1;
            }
            *c = renumbered[*c];
        }
        (community, count)
    }

    /// The graph of communities: one node per community, links between communities summed,
    /// links inside one becoming its self-loop.
    fn aggregate(&self, community: &[usize], count: usize) -> Self {
        let n = self.len();
        // Members of each community, by counting sort.
        let mut starts = vec![0usize; count + 1];
        for &c in community {
            starts[c + 1] += 1;
        }
        for c in 0..count {
            starts[c + 1] += starts[c];
        }
        let mut fill = starts.clone();
        let mut members = vec![0usize; n];
        for (v, &c) in community.iter().enumerate() {
            members[fill[c]] = v;
            fill[c] += 1;
        }
        let mut offsets = Vec::with_capacity(count + 1);
        offsets.push(0);
        let mut targets = Vec::new();
        let mut weights = Vec::new();
        let mut self_loops = vec![0.0; count];
        let mut weight_to = vec![0.0f64; count];
        let mut touched: Vec<usize> = Vec::new();
        for c in 0..count {
            let mut inside = 0.0;
            for &v in &members[starts[c]..starts[c + 1]] {
                self_loops[c] += self.self_loops[v];
                for at in self.offsets[v]..self.offsets[v + 1] {
                    let d = community[self.targets[at] as usize];
                    if d == c {
                        inside += self.weights[at];
                    } else {
                        if weight_to[d] == 0.0 {
                            touched.push(d);
                        }
                        weight_to[d] += self.weights[at];
                    }
                }
            }
            // Each link inside the community was seen from both ends.
            self_loops[c] += inside / 2.0;
            touched.sort_unstable();
            for &d in &touched {
                targets.push(u32::try_from(d).unwrap_or(u32::MAX));
                weights.push(weight_to[d]);
                weight_to[d] = 0.0;
            }
            touched.clear();
            offsets.push(targets.len());
        }
        Self {
            offsets,
            targets,
            weights,
            self_loops,
        }
    }
}

/// The order to visit `n` nodes in: dense order, or shuffled from `seed`.
fn visit_order(n: usize, seed: Option<u64>) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    if let Some(seed) = seed {
        let mut state = seed;
        for i in (1..n).rev() {
            let j = usize::try_from(splitmix64(&mut state) % (i as u64 + 1)).unwrap_or(0);
            order.swap(i, j);
        }
    }
    order
}

/// `SplitMix64`: a small, fast, well-mixed generator for reproducible shuffles and samples.
pub(crate) fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Louvain communities of a simple undirected adjacency (see [`Adjacency::simple`]): each dense
/// node's community, numbered largest community first (ties by lowest dense node).
#[must_use]
pub fn louvain_dense(adj: &Adjacency, seed: Option<u64>) -> Vec<usize> {
    let n = adj.len();
    let mut level = LevelGraph::from_adjacency(adj);
    // The level-graph node each original node is in.
    let mut membership: Vec<usize> = (0..n).collect();
    loop {
        let order = visit_order(level.len(), seed);
        let (community, count) = level.settle(&order);
        for m in &mut membership {
            *m = community[*m];
        }
        if count == level.len() {
            break;
        }
        level = level.aggregate(&community, count);
    }
    // Renumber: largest first, ties by lowest node (nodes are met in dense order).
    let count = membership.iter().max().map_or(0, |&m| m + 1);
    let mut sizes = vec![0usize; count];
    let mut first = vec![usize::MAX; count];
    for (v, &m) in membership.iter().enumerate() {
        sizes[m] += 1;
        first[m] = first[m].min(v);
    }
    let mut ranked: Vec<usize> = (0..count).collect();
    ranked.sort_unstable_by(|&a, &b| sizes[b].cmp(&sizes[a]).then(first[a].cmp(&first[b])));
    let mut rank = vec![0usize; count];
    for (position, &c) in ranked.iter().enumerate() {
        rank[c] = position;
    }
    membership.iter().map(|&m| rank[m]).collect()
}

/// Newman's modularity of a partition (each dense node's community) of a simple undirected
/// adjacency: the share of links inside communities less the share expected at random, as
/// `networkx.community.modularity` computes it (resolution 1). Zero for a graph with no links.
#[must_use]
pub fn modularity(adj: &Adjacency, membership: &[usize]) -> f64 {
    let entries = adj.neighbours.len();
    if entries == 0 {
        return 0.0;
    }
    #[expect(clippy::cast_precision_loss, reason = "link counts are far below 2^52")]
    let total_degree = entries as f64;
    let count = membership.iter().max().map_or(0, |&m| m + 1);
    let mut inside = vec![0usize; count];
    let mut degree = vec![0usize; count];
    for v in 0..adj.len() {
        let c = membership[v];
        degree[c] += adj.neighbours(v).len();
        inside[c] += adj
            .neighbours(v)
            .iter()
            .filter(|&&w| membership[w as usize] == c)
            .count();
    }
    #[expect(clippy::cast_precision_loss, reason = "degree sums are far below 2^52")]
    inside
        .iter()
        .zip(&degree)
        .map(|(&links, &d)| {
            let share = d as f64 / total_degree;
            links as f64 / total_degree - share * share
        })
        .sum()
}

/// The Louvain communities of `graph` (visited in dense order).
#[must_use]
pub fn louvain_communities(graph: &LinkGraph) -> Communities {
    louvain_communities_seeded(graph, None)
}

/// The Louvain communities of `graph`, nodes visited in an order shuffled from `seed` when one
/// is given (another seed may find another, equally valid, partition).
#[must_use]
pub fn louvain_communities_seeded(graph: &LinkGraph, seed: Option<u64>) -> Communities {
    let adj = graph.adjacency(false).simple();
    let dense = louvain_dense(&adj, seed);
    let modularity = modularity(&adj, &dense);
    let count = dense.iter().max().map_or(0, |&m| m + 1);
    let mut groups = vec![Vec::new(); count];
    let mut membership: Vec<(NominalId, usize)> = adj
        .nominals
        .iter()
        .zip(&dense)
        .map(|(&id, &c)| (id, c))
        .collect();
    membership.sort_unstable();
    for &(id, c) in &membership {
        groups[c].push(id);
    }
    // Dense order need not be id order: rank again by size, then lowest id.
    let mut order: Vec<usize> = (0..count).collect();
    order.sort_unstable_by(|&a, &b| {
        groups[b]
            .len()
            .cmp(&groups[a].len())
            .then(groups[a][0].cmp(&groups[b][0]))
    });
    let mut rank = vec![0usize; count];
    for (position, &c) in order.iter().enumerate() {
        rank[c] = position;
    }
    for entry in &mut membership {
        entry.1 = rank[entry.1];
    }
    let groups = order
        .into_iter()
        .map(|c| std::mem::take(&mut groups[c]))
        .collect();
    Communities {
        membership,
        groups,
        modularity,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::paths::tests::{graph_of, two_triangles, undirected};

    fn ids(values: &[i64]) -> Vec<NominalId> {
        values.iter().map(|&v| NominalId(v)).collect()
    }

    #[test]
    fn two_triangles_split_at_the_bridge() {
        let communities = louvain_communities(&two_triangles());
        assert_eq!(communities.groups, vec![ids(&[1, 2, 3]), ids(&[4, 5, 6])]);
        // networkx 3.6.1: nx.community.modularity(G, [{1,2,3},{4,5,6}]) on the two triangles
        // joined by the bridge 3-4 (7 edges) = 0.35714285714285715 (5/14).
        assert!((communities.modularity - 0.357_142_857_142_857_15).abs() < 1e-12);
        assert_eq!(communities.membership[0], (NominalId(1), 0));
        assert_eq!(communities.membership[5], (NominalId(6), 1));
    }

    #[test]
    fn parallel_links_count_once() {
        // The two triangles again, the bridge and one triangle link doubled.
        let graph = graph_of(
            6,
            &[
                (1, 1, 2, false),
                (2, 2, 3, false),
                (3, 1, 3, false),
                (4, 3, 4, false),
                (5, 4, 5, false),
                (6, 5, 6, false),
                (7, 4, 6, false),
                (8, 3, 4, false),
                (9, 2, 1, true),
            ],
        );
        let communities = louvain_communities(&graph);
        assert_eq!(communities.groups, vec![ids(&[1, 2, 3]), ids(&[4, 5, 6])]);
        assert!((communities.modularity - 5.0 / 14.0).abs() < 1e-12);
    }

    #[test]
    fn modularity_matches_networkx_on_a_star_and_singletons() {
        // networkx 3.6.1: star_graph(4) (hub 0, leaves 1..4), partition [{0,1,2},{3},{4}]:
        // nx.community.modularity = -0.09375.
        let graph = graph_of(5, &undirected(&[(1, 2), (1, 3), (1, 4), (1, 5)]));
        let adj = graph.adjacency(false).simple();
        let membership = [0, 0, 0, 1, 2];
        assert!((modularity(&adj, &membership) - (-0.093_75)).abs() < 1e-12);
        // A star is one community.
        let communities = louvain_communities(&graph);
        assert_eq!(communities.groups.len(), 1);
    }

    #[test]
    fn disconnected_pairs_and_isolated_nodes_are_their_own_communities() {
        let graph = graph_of(5, &undirected(&[(1, 2), (3, 4)]));
        let communities = louvain_communities(&graph);
        assert_eq!(
            communities.groups,
            vec![ids(&[1, 2]), ids(&[3, 4]), ids(&[5])]
        );
        // networkx 3.6.1: modularity of [{1,2},{3,4},{5}] on this graph = 0.5.
        assert!((communities.modularity - 0.5).abs() < 1e-12);
        let empty = graph_of(3, &[]);
        let communities = louvain_communities(&empty);
        assert_eq!(communities.groups.len(), 3);
        assert!(communities.modularity.abs() < 1e-12);
    }

    #[test]
    fn seeded_runs_repeat_themselves() {
        let mut state = 3u64;
        let mut links = Vec::new();
        for link in 0..400 {
            let block = (link % 4) * 25;
            let a = block + i64::try_from(splitmix64(&mut state) % 25).unwrap() + 1;
            let b = if link % 10 == 0 {
                i64::try_from(splitmix64(&mut state) % 100).unwrap() + 1
            } else {
                block + i64::try_from(splitmix64(&mut state) % 25).unwrap() + 1
            };
            if a != b {
                links.push((link, a, b, false));
            }
        }
        let graph = graph_of(100, &links);
        let first = louvain_communities_seeded(&graph, Some(9));
        let again = louvain_communities_seeded(&graph, Some(9));
        assert_eq!(first, again);
        let plain = louvain_communities(&graph);
        assert_eq!(plain, louvain_communities(&graph));
        // Four planted blocks: the partition finds strong structure.
        assert!(plain.modularity > 0.5, "modularity {}", plain.modularity);
        let adj = graph.adjacency(false).simple();
        let positions = adj.positions();
        let mut dense = vec![0; adj.len()];
        for &(id, c) in &plain.membership {
            dense[positions[&id]] = c;
        }
        assert!((modularity(&adj, &dense) - plain.modularity).abs() < 1e-12);
    }
}
