//! The exposure finder: for every employee, the shortest routes within K hops to an OCG, an OCG
//! member, a criminal nominal, a journalist or a private investigator (seed 000's control
//! strategy names disclosure to the media and to private investigators beside organised crime)
//! that no declared notifiable association explains. Each lead carries its path as the
//! explanation, so an analyst can judge it and record it as intelligence with the path as
//! provenance.
//!
//! "Explained" means the route passes through (or ends at) someone the employee has declared:
//! the force already knows that association and has assessed it. The search therefore never
//! enters an employee's declared associates, unless the associate changed after the
//! declaration: gained an OCG or criminal flag, or a criminal link (`criminal_associate`,
//! `ocg_member`) dated after it. Then the route comes back, saying so ("declared 2024-03-01;
//! became an OCG member 2025-06-10"). A route stops at the first target on it: the OCG behind a
//! member is reported with the member, not as a second lead.

use super::{GraphEdge, GraphPath, LinkGraph};
use crate::domain::{IsoDate, LinkId, NominalId, NominalKind};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet, VecDeque};

/// What the finder looks for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExposureOptions {
    /// Longest route, in links.
    pub max_hops: usize,
    /// The link type that records a declared notifiable association.
    pub declared_link_type: String,
    /// What the graph itself does not carry: who is a journalist or a private investigator,
    /// and since when a flagged nominal carries its flag. Filled by the workbench from the
    /// store; empty, the finder looks for OCGs and criminals only and never brings a declared
    /// route back.
    #[serde(skip)]
    pub context: ExposureContext,
}

impl Default for ExposureOptions {
    fn default() -> Self {
        Self {
            max_hops: 3,
            declared_link_type: String::from("declared_association"),
            context: ExposureContext::default(),
        }
    }
}

/// Facts about nominals beyond the graph's, for the finder.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExposureContext {
    pub journalists: HashSet<NominalId>,
    pub private_investigators: HashSet<NominalId>,
    /// Since when each flagged nominal has carried its flags: the day an edit set the flag,
    /// from the nominal's history (none for a nominal recorded with it).
    pub flagged_since: HashMap<NominalId, FlaggedSince>,
    /// Words for link type and confidence codes (the reference data's labels), so reasons read
    /// as words; a code without one is shown as it is.
    pub labels: HashMap<String, String>,
}

/// The days a nominal's OCG and criminal flags were set.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FlaggedSince {
    pub ocg_member: Option<IsoDate>,
    pub criminal: Option<IsoDate>,
}

/// Link types that tie someone to crime: gaining one after a declaration brings the declared
/// route back.
const CRIMINAL_LINK_TYPES: [&str; 2] = ["criminal_associate", "ocg_member"];

/// Why a declared associate's route comes back, if it does: the associate became an OCG member
/// or a criminal, or gained a criminal link, after `declared_on`.
fn changed_since_declared(
    graph: &LinkGraph,
    context: &ExposureContext,
    adjacency: &super::Adjacency,
    edges: &HashMap<LinkId, &GraphEdge>,
    associate: usize,
    declared_on: IsoDate,
) -> Option<String> {
    let id = adjacency.nominals[associate];
    let node = graph.node(id)?;
    let since = context.flagged_since.get(&id).copied().unwrap_or_default();
    if node.ocg
        && let Some(on) = since.ocg_member.filter(|on| *on > declared_on)
    {
        return Some(format!("declared {declared_on}; became an OCG member {on}"));
    }
    if node.criminal
        && let Some(on) = since.criminal.filter(|on| *on > declared_on)
    {
        return Some(format!("declared {declared_on}; flagged as criminal {on}"));
    }
    adjacency
        .links_of(associate)
        .iter()
        .filter_map(|link| edges.get(link))
        .filter(|edge| CRIMINAL_LINK_TYPES.contains(&&*edge.link_type))
        .filter_map(|edge| edge.valid_from.filter(|from| *from > declared_on))
        .min()
        .map(|from| format!("declared {declared_on}; a new criminal link from {from}"))
}

/// One undeclared route from an employee to an exposure target.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExposureLead {
    pub employee: NominalId,
    pub target: NominalId,
    /// From the employee to the target.
    pub path: GraphPath,
    /// Higher is more pressing: closer, stronger links, OCG before criminal.
    pub score: f64,
    /// Why it scored as it did, in words.
    pub reasons: Vec<String>,
    /// The OCGs the target is linked to (for a member), for context.
    pub target_ocgs: Vec<NominalId>,
    /// What makes the target one: `ocg`, `ocg_member`, `criminal`, `private_investigator` or
    /// `journalist` (see [`target_kind_words`]).
    #[serde(default)]
    pub target_kind: String,
}

/// Every kind of exposure target, most pressing first.
pub const TARGET_KINDS: [&str; 5] = [
    "ocg",
    "ocg_member",
    "criminal",
    "private_investigator",
    "journalist",
];

/// A target kind in words.
#[must_use]
pub fn target_kind_words(kind: &str) -> &str {
    match kind {
        "ocg" => "OCG",
        "ocg_member" => "OCG member",
        "criminal" => "Flagged criminal",
        "private_investigator" => "Private investigator",
        "journalist" => "Journalist",
        other => other,
    }
}

/// How much a link of this confidence counts; the weakest link on a route bounds its score.
fn confidence_weight(code: &str) -> f64 {
    match code {
        "confirmed" => 1.0,
        "probable" => 0.8,
        "possible" => 0.6,
        "doubtful" => 0.3,
        _ => 0.5,
    }
}

/// The grading a detective is offered when recording an exposure lead as intelligence, to
/// change as they judge: a route through links of mixed provenance, an inference to be
/// assessed, `2C P`.
#[must_use]
pub fn suggested_exposure_grading() -> crate::domain::Grading {
    crate::domain::Grading {
        source_evaluation: "2".into(),
        intelligence_assessment: "C".into(),
        handling_code: "P".into(),
        handling_conditions: None,
    }
}

/// Every lead, best first.
#[must_use]
pub fn find_exposures(graph: &LinkGraph, options: &ExposureOptions) -> Vec<ExposureLead> {
    let adjacency = graph.adjacency(false);
    let positions = adjacency.positions();
    let edges: HashMap<LinkId, &GraphEdge> = graph.edges().map(|e| (e.link, e)).collect();
    let nodes: Vec<_> = adjacency
        .nominals
        .iter()
        .map(|id| graph.node(*id))
        .collect();
    let context = &options.context;
    let is_target = |v: usize| {
        nodes[v].is_some_and(super::link_graph::GraphNode::is_exposure_target)
            || context.journalists.contains(&adjacency.nominals[v])
            || context
                .private_investigators
                .contains(&adjacency.nominals[v])
    };
    let mut leads = Vec::new();
    for (start, node) in nodes.iter().enumerate() {
        if !node.is_some_and(|n| n.kind == NominalKind::Employee) {
            continue;
        }
        // Declared associates, except those that changed after their declaration: their
        // routes come back, with the reason.
        let mut declared: HashSet<usize> = HashSet::new();
        let mut changed: HashMap<NominalId, String> = HashMap::new();
        for (&v, link) in adjacency
            .neighbours(start)
            .iter()
            .zip(adjacency.links_of(start))
        {
            let Some(edge) = edges
                .get(link)
                .filter(|e| *e.link_type == *options.declared_link_type)
            else {
                continue;
            };
            let v = v as usize;
            match edge.valid_from.and_then(|declared_on| {
                changed_since_declared(graph, context, &adjacency, &edges, v, declared_on)
            }) {
                Some(reason) => {
                    changed.insert(adjacency.nominals[v], reason);
                }
                None => {
                    declared.insert(v);
                }
            }
        }
        // Breadth-first, never entering a declared associate, never passing a target.
        let mut parent: HashMap<usize, (usize, LinkId)> = HashMap::new();
        let mut depth: HashMap<usize, usize> = HashMap::from([(start, 0)]);
        let mut queue = VecDeque::from([start]);
        let mut reached = Vec::new();
        while let Some(v) = queue.pop_front() {
            let d = depth[&v];
            if d == options.max_hops || (v != start && is_target(v)) {
                continue;
            }
            for (&w, &link) in adjacency.neighbours(v).iter().zip(adjacency.links_of(v)) {
                let w = w as usize;
                if depth.contains_key(&w) || declared.contains(&w) {
                    continue;
                }
                depth.insert(w, d + 1);
                parent.insert(w, (v, link));
                if is_target(w) {
                    reached.push(w);
                }
                queue.push_back(w);
            }
        }
        for target in reached {
            let mut path_nodes = vec![adjacency.nominals[target]];
            let mut path_links = Vec::new();
            let mut at = target;
            while let Some(&(previous, link)) = parent.get(&at) {
                path_nodes.push(adjacency.nominals[previous]);
                path_links.push(link);
                at = previous;
            }
            path_nodes.reverse();
            path_links.reverse();
            let path = GraphPath {
                nodes: path_nodes,
                links: path_links,
            };
            leads.push(score_lead(
                graph, &edges, &positions, &adjacency, context, &changed, path,
            ));
        }
    }
    leads.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(a.path.hops().cmp(&b.path.hops()))
            .then(a.employee.cmp(&b.employee))
            .then(a.target.cmp(&b.target))
    });
    leads
}

fn score_lead(
    graph: &LinkGraph,
    edges: &HashMap<LinkId, &GraphEdge>,
    positions: &HashMap<NominalId, usize>,
    adjacency: &super::Adjacency,
    context: &ExposureContext,
    changed: &HashMap<NominalId, String>,
    path: GraphPath,
) -> ExposureLead {
    let employee = path.nodes[0];
    let target = path.nodes[path.nodes.len() - 1];
    let target_node = graph.node(target);
    let mut reasons = Vec::new();
    let hops = path.hops();
    let plural = if hops == 1 { "" } else { "s" };
    let through_changed: Vec<&String> = path.nodes.iter().filter_map(|n| changed.get(n)).collect();
    if through_changed.is_empty() {
        reasons.push(format!(
            "{hops} link{plural} from the employee, none of them through a declared association."
        ));
    } else {
        reasons.push(format!(
            "{hops} link{plural} from the employee, through a declared association that changed \
             after it was declared."
        ));
        reasons.extend(through_changed.into_iter().cloned());
    }
    let (kind_weight, target_kind, what) = match target_node {
        Some(n) if n.kind == NominalKind::Ocg => (1.0, "ocg", "The target is an OCG."),
        Some(n) if n.ocg => (1.0, "ocg_member", "The target is a member of an OCG."),
        Some(n) if n.criminal => (0.8, "criminal", "The target is flagged as criminal."),
        _ if context.private_investigators.contains(&target) => (
            0.7,
            "private_investigator",
            "The target is a private investigator: disclosure to private investigators.",
        ),
        _ if context.journalists.contains(&target) => (
            0.6,
            "journalist",
            "The target is a journalist: disclosure to the media.",
        ),
        _ => (0.8, "criminal", "The target is flagged as criminal."),
    };
    reasons.push(what.to_owned());
    let weakest = path
        .links
        .iter()
        .filter_map(|link| edges.get(link))
        .min_by(|a, b| {
            confidence_weight(&a.confidence).total_cmp(&confidence_weight(&b.confidence))
        });
    let confidence = weakest.map_or(0.5, |e| confidence_weight(&e.confidence));
    if let Some(edge) = weakest {
        let words = |code: &str| {
            context
                .labels
                .get(code)
                .cloned()
                .unwrap_or_else(|| code.to_owned())
        };
        reasons.push(format!(
            "The weakest link: {}, {}.",
            words(&edge.link_type),
            words(&edge.confidence).to_lowercase()
        ));
    }
    #[expect(clippy::cast_precision_loss, reason = "hop counts are tiny")]
    let score = kind_weight * confidence / hops.max(1) as f64;
    let target_ocgs = positions
        .get(&target)
        .map(|&v| {
            let mut ocgs: Vec<NominalId> = adjacency
                .neighbours(v)
                .iter()
                .map(|&w| adjacency.nominals[w as usize])
                .filter(|id| graph.node(*id).is_some_and(|n| n.kind == NominalKind::Ocg))
                .collect();
            ocgs.sort_unstable();
            ocgs.dedup();
            ocgs
        })
        .unwrap_or_default();
    ExposureLead {
        employee,
        target,
        path,
        score,
        reasons,
        target_ocgs,
        target_kind: target_kind.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::{GraphFilter, GraphNode};

    fn node(id: i64, kind: NominalKind, ocg: bool, criminal: bool) -> GraphNode {
        GraphNode {
            id: NominalId(id),
            kind,
            label: format!("N{id}"),
            ocg,
            criminal,
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
            item_sources: Some(1),
            import_sources: Some(0),
        }
    }

    /// 1 employee -friend- 2 person -criminal associate- 3 OCG member -member- 4 OCG;
    /// 5 employee -declared- 6 person -friend- 7 criminal; 5 -friend- 8 -friend- 9 -friend- 10
    /// criminal (four links: beyond three hops).
    fn graph() -> LinkGraph {
        LinkGraph::build(
            vec![
                node(1, NominalKind::Employee, false, false),
                node(2, NominalKind::Person, false, false),
                node(3, NominalKind::Person, true, false),
                node(4, NominalKind::Ocg, true, false),
                node(5, NominalKind::Employee, false, false),
                node(6, NominalKind::Person, false, false),
                node(7, NominalKind::Person, false, true),
                node(8, NominalKind::Person, false, false),
                node(9, NominalKind::Person, false, false),
                node(10, NominalKind::Person, false, false),
                node(11, NominalKind::Person, false, true),
            ],
            [
                edge(1, 1, 2, "friend"),
                edge(2, 2, 3, "criminal_associate"),
                edge(3, 3, 4, "ocg_member"),
                edge(4, 5, 6, "declared_association"),
                edge(5, 6, 7, "friend"),
                edge(6, 5, 8, "friend"),
                edge(7, 8, 9, "friend"),
                edge(8, 9, 10, "friend"),
                edge(9, 10, 11, "friend"),
            ],
            &GraphFilter::default(),
        )
    }

    #[test]
    fn an_undeclared_route_to_an_ocg_member_is_a_lead_with_its_path() {
        let leads = find_exposures(&graph(), &ExposureOptions::default());
        assert_eq!(leads.len(), 1, "{leads:?}");
        let lead = &leads[0];
        assert_eq!(lead.employee, NominalId(1));
        assert_eq!(lead.target, NominalId(3));
        assert_eq!(lead.path.nodes, [NominalId(1), NominalId(2), NominalId(3)]);
        assert_eq!(lead.path.links, [LinkId(1), LinkId(2)]);
        assert_eq!(lead.target_ocgs, [NominalId(4)]);
    }

    #[test]
    fn a_route_through_a_declared_associate_is_explained_and_longer_routes_are_cut() {
        let leads = find_exposures(&graph(), &ExposureOptions::default());
        assert!(
            leads.iter().all(|l| l.employee != NominalId(5)),
            "{leads:?}"
        );
        let longer = find_exposures(
            &graph(),
            &ExposureOptions {
                max_hops: 4,
                ..ExposureOptions::default()
            },
        );
        assert!(
            longer
                .iter()
                .any(|l| l.employee == NominalId(5) && l.target == NominalId(11))
        );
        assert!(longer.iter().all(|l| l.target != NominalId(7)));
    }

    #[test]
    fn closer_targets_rank_first() {
        let mut g = graph();
        g.add_edge(edge(20, 1, 7, "friend"));
        let leads = find_exposures(&g, &ExposureOptions::default());
        assert_eq!(leads[0].target, NominalId(7));
        assert_eq!(leads[0].path.hops(), 1);
    }
}
