//! Connected components of the link graph: which nominals can reach each other at all, links
//! walked either way (weakly connected). The analyst's first question of an imported network is
//! how many separate networks it holds and how big they are.

use super::{Adjacency, LinkGraph};
use crate::domain::NominalId;
use petgraph::visit::NodeIndexable;

/// The component of each dense node (numbered from 0 in the order of their lowest dense node),
/// and how many components there are, by breadth-first searches over `adj` (which should walk
/// every link both ways, as `graph.adjacency(false)` does).
#[must_use]
pub fn component_labels(adj: &Adjacency) -> (Vec<u32>, usize) {
    let n = adj.len();
    let mut labels = vec![u32::MAX; n];
    let mut queue: Vec<u32> = Vec::new();
    let mut count = 0u32;
    for start in 0..n {
        if labels[start] != u32::MAX {
            continue;
        }
        labels[start] = count;
        queue.clear();
        queue.push(u32::try_from(start).unwrap_or(u32::MAX));
        let mut head = 0;
        while let Some(&v) = queue.get(head) {
            head += 1;
            for &w in adj.neighbours(v as usize) {
                if labels[w as usize] == u32::MAX {
                    labels[w as usize] = count;
                    queue.push(w);
                }
            }
        }
        count += 1;
    }
    (labels, count as usize)
}

/// Finds the root of `v`'s set, halving the path on the way.
fn find(parent: &mut [u32], mut v: u32) -> u32 {
    while parent[v as usize] != v {
        let grandparent = parent[parent[v as usize] as usize];
        parent[v as usize] = grandparent;
        v = grandparent;
    }
    v
}

/// The weakly connected components of `graph`: largest first (ties by lowest id), each one's
/// ids sorted. Isolated nominals are components of one. Runs a union-find straight over the
/// links, so no adjacency is built.
#[must_use]
pub fn connected_components(graph: &LinkGraph) -> Vec<Vec<NominalId>> {
    let pg = graph.petgraph();
    let bound = pg.node_bound();
    let mut parent: Vec<u32> = (0..bound)
        .map(|i| u32::try_from(i).unwrap_or(u32::MAX))
        .collect();
    let mut size = vec![1u32; bound];
    for edge in pg.edge_indices() {
        let Some((a, b)) = pg.edge_endpoints(edge) else {
            continue;
        };
        let a = find(&mut parent, u32::try_from(a.index()).unwrap_or(u32::MAX));
        let b = find(&mut parent, u32::try_from(b.index()).unwrap_or(u32::MAX));
        if a != b {
            let (big, small) = if size[a as usize] >= size[b as usize] {
                (a, b)
            } else {
                (b, a)
            };
            parent[small as usize] = big;
            size[big as usize] += size[small as usize];
        }
    }
    // Group by root: the slot of each root's component in `groups`.
    let mut slot = vec![usize::MAX; bound];
    let mut groups: Vec<Vec<NominalId>> = Vec::new();
    for index in pg.node_indices() {
        let root = find(
            &mut parent,
            u32::try_from(index.index()).unwrap_or(u32::MAX),
        ) as usize;
        if slot[root] == usize::MAX {
            slot[root] = groups.len();
            groups.push(Vec::with_capacity(size[root] as usize));
        }
        groups[slot[root]].push(pg[index].id);
    }
    for group in &mut groups {
        group.sort_unstable();
    }
    groups.sort_unstable_by(|a, b| b.len().cmp(&a.len()).then_with(|| a[0].cmp(&b[0])));
    groups
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::paths::tests::{graph_of, two_triangles, undirected};

    fn ids(values: &[i64]) -> Vec<NominalId> {
        values.iter().map(|&v| NominalId(v)).collect()
    }

    #[test]
    fn two_triangles_with_a_bridge_are_one_component() {
        let graph = two_triangles();
        assert_eq!(connected_components(&graph), vec![ids(&[1, 2, 3, 4, 5, 6])]);
        let (labels, count) = component_labels(&graph.adjacency(false));
        assert_eq!(count, 1);
        assert!(labels.iter().all(|&l| l == 0));
    }

    #[test]
    fn disconnected_pieces_come_largest_first_with_isolated_nodes() {
        // 1-2-3 path, 4-5 pair, 6 alone, 7-8 pair.
        let graph = graph_of(8, &undirected(&[(1, 2), (2, 3), (5, 4), (8, 7)]));
        assert_eq!(
            connected_components(&graph),
            vec![ids(&[1, 2, 3]), ids(&[4, 5]), ids(&[7, 8]), ids(&[6])]
        );
        let (_, count) = component_labels(&graph.adjacency(false));
        assert_eq!(count, 4);
    }

    #[test]
    fn directed_and_parallel_links_join_weakly() {
        let graph = graph_of(
            4,
            &[
                (1, 1, 2, true),
                (2, 3, 2, true),
                (3, 3, 2, true),
                (4, 2, 3, false),
            ],
        );
        assert_eq!(
            connected_components(&graph),
            vec![ids(&[1, 2, 3]), ids(&[4])]
        );
    }
}
