//! The graph measures checked against networkx on a synthetic network: the workbench writes the
//! graph as GraphML, `tests/networkx_measures.py` reads it with networkx and prints its figures,
//! and ours must agree (betweenness within 1e-9, the others within 1e-6).
//!
//! Without networkx the test says it was skipped and passes, unless `CCU_REQUIRE_NETWORKX=1`
//! (CI with networkx installed), when a missing networkx fails it.

use ccu_workbench::domain::{LinkId, NominalId, NominalKind};
use ccu_workbench::graph::{
    self, GraphEdge, GraphFilter, GraphNode, LinkGraph, Measure, connected_components,
    louvain_communities,
};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::process::Command;

/// `SplitMix64`, so the graph is the same on every run.
fn next_random(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn node(id: i64) -> GraphNode {
    GraphNode {
        id: NominalId(id),
        kind: NominalKind::Person,
        label: format!("Nominal {id}"),
        ocg: false,
        criminal: false,
    }
}

fn edge(link: i64, from: i64, to: i64, directed: bool) -> GraphEdge {
    GraphEdge {
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
    }
}

/// 300 nominals in six clusters of 48 (ids 1..=288) with 1,200 links, mostly within a cluster,
/// 30 of them repeated as parallel links and some directed; nominals 289..=297 form a separate
/// ring and 298..=300 stand alone.
fn synthetic_graph() -> LinkGraph {
    let mut state = 2026u64;
    let mut edges = Vec::new();
    let mut link = 100i64;
    let pick = |state: &mut u64, span: u64| i64::try_from(next_random(state) % span).unwrap_or(0);
    while edges.len() < 1_170 {
        let cluster = pick(&mut state, 6) * 48;
        let a = cluster + pick(&mut state, 48) + 1;
        let b = if pick(&mut state, 10) == 0 {
            pick(&mut state, 288) + 1
        } else {
            cluster + pick(&mut state, 48) + 1
        };
        if a == b {
            continue;
        }
        link += 1;
        edges.push(edge(link, a, b, pick(&mut state, 4) == 0));
    }
    for i in 0..30 {
        let original: &GraphEdge = &edges[i * 37];
        let (from, to) = (original.to.0, original.from.0);
        link += 1;
        edges.push(edge(link, from, to, false));
    }
    for a in 289..=297 {
        link += 1;
        edges.push(edge(link, a, if a == 297 { 289 } else { a + 1 }, false));
    }
    LinkGraph::build(
        (1..=300).map(node).collect(),
        edges,
        &GraphFilter::default(),
    )
}

fn networkx_available() -> bool {
    Command::new("python3")
        .args(["-c", "import networkx"])
        .output()
        .is_ok_and(|out| out.status.success())
}

fn scores_of(reference: &serde_json::Value, measure: &str) -> HashMap<String, f64> {
    reference[measure]
        .as_object()
        .unwrap_or_else(|| panic!("networkx gave no {measure}"))
        .iter()
        .map(|(node, value)| (node.clone(), value.as_f64().unwrap()))
        .collect()
}

#[test]
fn measures_agree_with_networkx() {
    if !networkx_available() {
        assert!(
            std::env::var("CCU_REQUIRE_NETWORKX").as_deref() != Ok("1"),
            "CCU_REQUIRE_NETWORKX=1 but python3 cannot import networkx"
        );
        println!("skipped: networkx not installed (python3 -c 'import networkx' failed)");
        return;
    }
    let graph = synthetic_graph();
    assert_eq!(graph.node_count(), 300);
    assert_eq!(graph.edge_count(), 1_209);
    let dir = tempfile::tempdir().unwrap();
    let graphml_path = dir.path().join("graph.graphml");
    let file = std::fs::File::create(&graphml_path).unwrap();
    ccu_workbench::io::graphml::write_graphml(&graph, std::io::BufWriter::new(file)).unwrap();

    let communities = louvain_communities(&graph);
    let partition: BTreeMap<String, usize> = communities
        .membership
        .iter()
        .map(|&(id, c)| (format!("n{id}"), c))
        .collect();
    let partition_path = dir.path().join("partition.json");
    std::fs::write(&partition_path, serde_json::to_vec(&partition).unwrap()).unwrap();

    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/networkx_measures.py");
    let out = Command::new("python3")
        .arg(&script)
        .arg(&graphml_path)
        .arg(&partition_path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "networkx script failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let reference: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(reference["nodes"], 300);

    for (measure, tolerance) in [
        (Measure::Degree, 1e-6),
        (Measure::Betweenness, 1e-9),
        (Measure::Closeness, 1e-6),
        (Measure::Eigenvector, 1e-6),
    ] {
        let theirs = scores_of(&reference, measure.as_str());
        let ours = graph::centrality(&graph, measure).unwrap();
        assert_eq!(ours.scores.len(), theirs.len(), "{measure}");
        let mut worst = 0.0f64;
        for &(id, score) in &ours.scores {
            let want = theirs[&format!("n{id}")];
            worst = worst.max((score - want).abs());
            assert!(
                (score - want).abs() <= tolerance,
                "{measure} of n{id}: ours {score}, networkx {want}"
            );
        }
        println!("{measure}: largest difference from networkx {worst:e}");
    }

    let their_modularity = reference["modularity"].as_f64().unwrap();
    assert!(
        (communities.modularity - their_modularity).abs() <= 1e-9,
        "modularity: ours {}, networkx {their_modularity}",
        communities.modularity
    );
    assert!(communities.modularity > 0.3, "six planted clusters");
    println!(
        "communities: {} groups, modularity {} (networkx {their_modularity})",
        communities.groups.len(),
        communities.modularity
    );

    let components = connected_components(&graph);
    assert_eq!(
        components.len(),
        usize::try_from(reference["components"].as_u64().unwrap()).unwrap()
    );
    assert_eq!(components[1].len(), 9);
}
