//! The link chart's arranged layouts, beside the force-directed one (`layout`): a circle, and a
//! hierarchy grown from one nominal. Pure functions of the chart's nominals and links: the chart
//! places its nominals where they say, leaving where they were those the analyst placed by hand.
//!
//! Distances are in world units, the force layout's (a link's ideal length is 60).

use super::LinkGraph;
use crate::domain::NominalId;
use std::collections::{HashMap, HashSet, VecDeque};

/// Room given to each nominal around the circle, and between the rows and the nominals of a
/// hierarchy.
const CIRCLE_SPACING: f32 = 60.0;
const ROW_GAP: f32 = 110.0;
const COLUMN_GAP: f32 = 80.0;

/// `ids` evenly round a circle centred on the origin, in the order given (the chart gives them
/// by kind, then name, so kinds sit together), the first at the top.
#[must_use]
pub fn circle_layout(ids: &[NominalId]) -> Vec<(NominalId, [f32; 2])> {
    #[expect(clippy::cast_precision_loss, reason = "a chart's nominal count")]
    let n = ids.len() as f32;
    if ids.len() == 1 {
        return vec![(ids[0], [0.0, 0.0])];
    }
    let radius = (n * CIRCLE_SPACING / std::f32::consts::TAU).max(CIRCLE_SPACING);
    ids.iter()
        .enumerate()
        .map(|(i, id)| {
            #[expect(clippy::cast_precision_loss, reason = "a chart's nominal count")]
            let angle = std::f32::consts::TAU * i as f32 / n - std::f32::consts::FRAC_PI_2;
            (*id, [radius * angle.cos(), radius * angle.sin()])
        })
        .collect()
}

/// A hierarchy grown from `root` over the links of `graph`, walked both ways: the root on the
/// top row, each nominal one row below the nearest nominal that reaches it, each row centred,
/// and its nominals in the order their parents sit (so branches do not cross more than they
/// must). Nominals `root` does not reach go on a row of their own at the foot.
#[must_use]
pub fn hierarchy_layout(graph: &LinkGraph, root: NominalId) -> Vec<(NominalId, [f32; 2])> {
    let mut rows: Vec<Vec<NominalId>> = Vec::new();
    let mut level: HashMap<NominalId, usize> = HashMap::new();
    if graph.contains(root) {
        level.insert(root, 0);
        let mut queue = VecDeque::from([root]);
        while let Some(v) = queue.pop_front() {
            let depth = level[&v];
            if rows.len() <= depth {
                rows.push(Vec::new());
            }
            rows[depth].push(v);
            let mut next: Vec<NominalId> = graph
                .edges_of(v)
                .map(|e| if e.from == v { e.to } else { e.from })
                .filter(|w| !level.contains_key(w))
                .collect();
            next.sort_unstable();
            next.dedup();
            for w in next {
                level.insert(w, depth + 1);
                queue.push_back(w);
            }
        }
    }
    let reached: HashSet<NominalId> = level.keys().copied().collect();
    let mut unreached: Vec<NominalId> = graph
        .nodes()
        .map(|n| n.id)
        .filter(|id| !reached.contains(id))
        .collect();
    unreached.sort_unstable();
    if !unreached.is_empty() {
        rows.push(unreached);
    }
    let mut placed = Vec::with_capacity(graph.node_count());
    for (depth, row) in rows.iter().enumerate() {
        #[expect(clippy::cast_precision_loss, reason = "rows and columns of a chart")]
        let (y, width) = (
            depth as f32 * ROW_GAP,
            (row.len().saturating_sub(1)) as f32 * COLUMN_GAP,
        );
        for (column, id) in row.iter().enumerate() {
            #[expect(clippy::cast_precision_loss, reason = "rows and columns of a chart")]
            let x = column as f32 * COLUMN_GAP - width / 2.0;
            placed.push((*id, [x, y]));
        }
    }
    placed
}

/// Each group round a circle of its own, the circles side by side in rows (largest group
/// first, top left), far enough apart that no two overlap: a chart grouped by community or
/// by OCG. Groups are given largest first; a nominal in no group is not placed.
#[must_use]
pub fn grouped_layout(groups: &[Vec<NominalId>]) -> Vec<(NominalId, [f32; 2])> {
    let circles: Vec<Vec<(NominalId, [f32; 2])>> =
        groups.iter().map(|group| circle_layout(group)).collect();
    let radius_of = |circle: &Vec<(NominalId, [f32; 2])>| {
        circle
            .iter()
            .map(|(_, p)| p[0].hypot(p[1]))
            .fold(0.0_f32, f32::max)
    };
    // As many circles a row as make the whole roughly square.
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_precision_loss,
        reason = "a count of groups"
    )]
    let per_row = ((groups.len() as f32).sqrt().ceil() as usize).max(1);
    let mut placed = Vec::new();
    let mut y = 0.0_f32;
    for row in circles.chunks(per_row) {
        let row_radius = row.iter().map(radius_of).fold(0.0_f32, f32::max);
        let mut x = 0.0_f32;
        for circle in row {
            let radius = radius_of(circle);
            x += radius;
            placed.extend(
                circle
                    .iter()
                    .map(|&(id, p)| (id, [p[0] + x, p[1] + y + row_radius])),
            );
            x += radius + GROUP_GAP;
        }
        y += 2.0 * row_radius + GROUP_GAP;
    }
    placed
}

/// Space between two groups' circles.
const GROUP_GAP: f32 = 90.0;

/// The chart's nominals grouped by OCG: each OCG with the members linked to it, largest first,
/// then everyone else as one group. A member linked to two OCGs goes with the first (by id).
#[must_use]
pub fn ocg_groups(graph: &LinkGraph) -> Vec<Vec<NominalId>> {
    let mut placed: HashSet<NominalId> = HashSet::new();
    let mut groups: Vec<Vec<NominalId>> = Vec::new();
    let mut ocgs: Vec<NominalId> = graph
        .nodes()
        .filter(|n| n.kind == crate::domain::NominalKind::Ocg)
        .map(|n| n.id)
        .collect();
    ocgs.sort_unstable();
    for ocg in ocgs {
        let mut group = vec![ocg];
        placed.insert(ocg);
        let mut members: Vec<NominalId> = graph
            .edges_of(ocg)
            .map(|e| if e.from == ocg { e.to } else { e.from })
            .filter(|id| graph.node(*id).is_some_and(|n| n.ocg) && !placed.contains(id))
            .collect();
        members.sort_unstable();
        members.dedup();
        placed.extend(members.iter().copied());
        group.extend(members);
        groups.push(group);
    }
    groups.sort_by_key(|g| std::cmp::Reverse(g.len()));
    let mut rest: Vec<NominalId> = graph
        .nodes()
        .map(|n| n.id)
        .filter(|id| !placed.contains(id))
        .collect();
    rest.sort_unstable();
    if !rest.is_empty() {
        groups.push(rest);
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::paths::tests::{graph_of, undirected};

    #[test]
    fn a_circle_puts_every_nominal_at_the_same_distance_in_order() {
        let ids: Vec<NominalId> = (1..=12).map(NominalId).collect();
        let placed = circle_layout(&ids);
        let radius = placed[0].1[0].hypot(placed[0].1[1]);
        assert!(
            placed
                .iter()
                .all(|(_, p)| (p[0].hypot(p[1]) - radius).abs() < 1e-3)
        );
        // The first at the top, the order kept going round.
        assert!(placed[0].1[0].abs() < 1e-3 && placed[0].1[1] < 0.0);
        assert_eq!(placed.iter().map(|p| p.0).collect::<Vec<_>>(), ids);
        // Neighbours on the circle are a link's length apart, near enough.
        let gap = (placed[1].1[0] - placed[0].1[0]).hypot(placed[1].1[1] - placed[0].1[1]);
        assert!((gap - CIRCLE_SPACING).abs() < 2.0, "{gap}");
    }

    #[test]
    fn a_hierarchy_puts_each_nominal_one_row_below_the_nearest_that_reaches_it() {
        // 1 - 2, 1 - 3, 2 - 4, 3 - 4 (4 reached at depth 2 once), 5 alone.
        let graph = graph_of(5, &undirected(&[(1, 2), (1, 3), (2, 4), (3, 4)]));
        let placed: HashMap<NominalId, [f32; 2]> =
            hierarchy_layout(&graph, NominalId(1)).into_iter().collect();
        assert_eq!(placed.len(), 5);
        let row = |id: i64| placed[&NominalId(id)][1] / ROW_GAP;
        assert!((row(1) - 0.0).abs() < 1e-3);
        assert!((row(2) - 1.0).abs() < 1e-3 && (row(3) - 1.0).abs() < 1e-3);
        assert!((row(4) - 2.0).abs() < 1e-3);
        // The one not reached, on a row of its own at the foot; every row centred.
        assert!((row(5) - 3.0).abs() < 1e-3);
        assert!((placed[&NominalId(2)][0] + placed[&NominalId(3)][0]).abs() < 1e-3);
    }

    #[test]
    fn groups_sit_in_circles_that_do_not_overlap() {
        let groups: Vec<Vec<NominalId>> = [12, 6, 3, 1, 1]
            .iter()
            .scan(0_i64, |next, &size| {
                let group = (*next..*next + size).map(NominalId).collect();
                *next += size;
                Some(group)
            })
            .collect();
        let placed: HashMap<NominalId, [f32; 2]> = grouped_layout(&groups).into_iter().collect();
        assert_eq!(placed.len(), 23);
        let centre = |group: &Vec<NominalId>| {
            #[expect(clippy::cast_precision_loss, reason = "a small group")]
            let n = group.len() as f32;
            let sum = group.iter().fold([0.0, 0.0], |acc, id| {
                [acc[0] + placed[id][0], acc[1] + placed[id][1]]
            });
            [sum[0] / n, sum[1] / n]
        };
        let radius = |group: &Vec<NominalId>| {
            let c = centre(group);
            group
                .iter()
                .map(|id| (placed[id][0] - c[0]).hypot(placed[id][1] - c[1]))
                .fold(0.0_f32, f32::max)
        };
        for (i, a) in groups.iter().enumerate() {
            for b in &groups[i + 1..] {
                let (ca, cb) = (centre(a), centre(b));
                let apart = (ca[0] - cb[0]).hypot(ca[1] - cb[1]);
                assert!(apart > radius(a) + radius(b) + 1.0, "{apart}");
            }
        }
    }

    #[test]
    fn an_ocg_is_grouped_with_its_members_and_the_rest_together() {
        use crate::domain::{LinkId, NominalKind};
        use crate::graph::{GraphEdge, GraphFilter, GraphNode};
        let node = |id: i64, kind, ocg| GraphNode {
            id: NominalId(id),
            kind,
            label: format!("N{id}"),
            ocg,
            criminal: false,
        };
        let edge = |link: i64, from: i64, to: i64| GraphEdge {
            link: LinkId(link),
            from: NominalId(from),
            to: NominalId(to),
            link_type: "ocg_member".into(),
            directed: false,
            valid_from: None,
            valid_to: None,
            confidence: "probable".into(),
            item_sources: Some(1),
            import_sources: Some(0),
        };
        let graph = LinkGraph::build(
            vec![
                node(1, NominalKind::Ocg, true),
                node(2, NominalKind::Person, true),
                node(3, NominalKind::Person, true),
                node(4, NominalKind::Person, false),
                node(5, NominalKind::Employee, false),
            ],
            vec![edge(1, 2, 1), edge(2, 1, 3), edge(3, 1, 4), edge(4, 5, 4)],
            &GraphFilter::default(),
        );
        let groups = ocg_groups(&graph);
        assert_eq!(
            groups,
            vec![
                vec![NominalId(1), NominalId(2), NominalId(3)],
                vec![NominalId(4), NominalId(5)],
            ]
        );
    }
}
