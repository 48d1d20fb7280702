//! Link-analysis benchmarks: building the graph and its adjacency, breadth-first search,
//! shortest paths, connected components, Louvain communities and the centrality measures, on
//! synthetic networks of 10k nodes / 50k links, 10k / 100k and 100k / 1M; then the same
//! operations in networkx (and igraph, if installed) on the two 10k graphs, for comparison.
//!
//! `cargo bench --bench graph` prints each figure next to its target. `CCU_BENCH_QUICK=1`
//! shrinks every graph (for CI smoke runs; the figures then mean little).

#![expect(
    clippy::expect_used,
    reason = "a benchmark that cannot set up its data stops with the reason"
)]

use ccu_workbench::domain::{LinkId, NominalId, NominalKind};
use ccu_workbench::graph::centrality::{
    betweenness_dense, betweenness_sampled_dense, closeness_dense, eigenvector_dense,
};
use ccu_workbench::graph::communities::{louvain_dense, modularity};
use ccu_workbench::graph::paths::shortest_path_dense;
use ccu_workbench::graph::{
    Adjacency, GraphEdge, GraphFilter, GraphNode, LinkGraph, bfs_distances, connected_components,
};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

fn report(name: &str, measured: &str, target: &str) {
    println!("{name:<58} {measured:>22}   target: {target}");
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

fn secs(d: Duration) -> String {
    format!("{:.2} s", d.as_secs_f64())
}

/// `SplitMix64`: the same graphs on every run.
fn next_random(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn below(state: &mut u64, span: usize) -> usize {
    usize::try_from(next_random(state) % span as u64).expect("fits")
}

/// A network with communities: nominals in clusters of 100, 90% of links inside a cluster
/// (one end picked with a preference for low-numbered members, so degrees are skewed), 10%
/// between any two nominals. A few links repeat a pair, as real data does.
fn synthetic(nodes: usize, links: usize, seed: u64) -> (Vec<GraphNode>, Vec<GraphEdge>) {
    let mut state = seed;
    let node_list = (0..nodes)
        .map(|i| GraphNode {
            id: NominalId(i64::try_from(i).expect("fits") + 1),
            kind: NominalKind::Person,
            label: String::new(),
            ocg: false,
            criminal: false,
        })
        .collect();
    let mut edges = Vec::with_capacity(links);
    let cluster_size = 100.min(nodes);
    while edges.len() < links {
        let a = below(&mut state, nodes);
        let b = if below(&mut state, 10) == 0 {
            below(&mut state, nodes)
        } else {
            let base = a - a % cluster_size;
            // The smaller of two draws: low-numbered members gather more links.
            let span = cluster_size.min(nodes - base);
            base + below(&mut state, span).min(below(&mut state, span))
        };
        if a == b {
            continue;
        }
        let link = i64::try_from(edges.len()).expect("fits") + 1;
        edges.push(GraphEdge {
            link: LinkId(link),
            from: NominalId(i64::try_from(a).expect("fits") + 1),
            to: NominalId(i64::try_from(b).expect("fits") + 1),
            link_type: "".into(),
            directed: false,
            valid_from: None,
            valid_to: None,
            confidence: "".into(),
            item_sources: Some(1),
            import_sources: Some(0),
        });
    }
    (node_list, edges)
}

/// Loading the graph from an encrypted workbench: `nodes` nominals and `links` links (each with
/// one intelligence item as provenance) written straight into the store, then the first
/// `Workbench::link_graph` of a session (SQL read of nominals, links and provenance counts,
/// graph build, audit entry).
fn store_load(label: &str, nodes: usize, links: usize) {
    use ccu_workbench::Workbench;
    use ccu_workbench::crypto::KdfParams;
    let dir = tempfile::tempdir().expect("temporary directory");
    let root = dir.path().join("load.ccuwb");
    let mut wb = Workbench::create(
        &root,
        "DI Benchmark",
        "benchmark password",
        KdfParams::INSECURE_FAST_FOR_TESTS,
    )
    .expect("workbench");
    let (node_list, edges) = synthetic(nodes, links, 99);
    let start = Instant::now();
    {
        let conn = wb.store_for_tests().raw_connection();
        conn.execute_batch("BEGIN").expect("begin");
        {
            let now = "2026-11-22T00:00:00Z";
            let mut insert = conn
                .prepare(
                    "INSERT INTO nominals (id, kind, display_name, flags, details, version,
                        created_at, created_by, updated_at, updated_by)
                     VALUES (?1, 'person', ?2, 0, '{}', 1, ?3, 1, ?3, 1)",
                )
                .expect("prepare");
            for node in &node_list {
                insert
                    .execute(rusqlite::params![
                        node.id.0,
                        format!("Person {}", node.id),
                        now
                    ])
                    .expect("nominal");
            }
            conn.execute(
                "INSERT INTO intel_items (id, reference, received_on, source_type, narrative,
                    source_evaluation, intelligence_assessment, handling_code, category, status,
                    owner_id, reference_version, version, created_at, created_by, updated_at,
                    updated_by)
                 VALUES (1, 'CCU/2026/000001', '2026-01-01', 'audit_check', 'Synthetic.', '2',
                    'C', 'P', 'other', 'received', 1, 1, 1, ?1, 1, ?1, 1)",
                [now],
            )
            .expect("item");
            let mut link = conn
                .prepare(
                    "INSERT INTO links (id, link_type, from_id, to_id, directed, confidence,
                        reference_version, created_at, created_by)
                     VALUES (?1, 'associate', ?2, ?3, 0, 'probable', 1, ?4, 1)",
                )
                .expect("prepare");
            let mut source = conn
                .prepare("INSERT INTO link_provenance (link_id, item_id) VALUES (?1, 1)")
                .expect("prepare");
            for edge in &edges {
                link.execute(rusqlite::params![edge.link.0, edge.from.0, edge.to.0, now])
                    .expect("link");
                source.execute([edge.link.0]).expect("provenance");
            }
        }
        conn.execute_batch("COMMIT").expect("commit");
    }
    report(
        &format!("{label}: write the synthetic graph into a workbench"),
        &secs(start.elapsed()),
        "-",
    );
    // Where the time goes: reading nominals, reading links, building the graph.
    let (nodes_read, edges_read, built) = {
        let reader = wb.store_for_tests().reader();
        let start = Instant::now();
        let nominals = reader.graph_nodes().expect("nominals");
        let nodes_read = start.elapsed();
        let start = Instant::now();
        let links = reader.graph_edges(false).expect("links");
        let edges_read = start.elapsed();
        let start = Instant::now();
        let graph = LinkGraph::build(nominals, links, &GraphFilter::default());
        let built = start.elapsed();
        std::hint::black_box(graph);
        (nodes_read, edges_read, built)
    };
    report(
        &format!("  {label}: read nominals / read links / build, warm"),
        &format!("{} / {} / {}", ms(nodes_read), ms(edges_read), ms(built)),
        "-",
    );
    wb.set_purpose("OP-BENCH-GRAPH").expect("purpose");
    let start = Instant::now();
    let graph = wb
        .link_graph(&GraphFilter::default())
        .expect("load the graph");
    let loaded = start.elapsed();
    assert_eq!(graph.edge_count(), links);
    report(
        &format!("{label}: load the graph from the store (first in a session)"),
        &ms(loaded),
        "<= 1 s on 100k/1M",
    );
    let start = Instant::now();
    let again = wb.link_graph(&GraphFilter::default()).expect("graph");
    report(
        &format!("{label}: the same graph again (unchanged data: kept by the session)"),
        &ms(start.elapsed()),
        "-",
    );
    std::hint::black_box(again);
}

/// Our timings on one graph, for the comparison with networkx.
#[derive(Default)]
struct Ours {
    shortest_path: Duration,
    components: Duration,
    louvain: Duration,
    betweenness_exact: Option<Duration>,
    betweenness_sampled: Option<Duration>,
}

const SAMPLE_SOURCES: usize = 500;

fn run(
    label: &str,
    nodes: usize,
    links: usize,
    big: bool,
    exact_betweenness: bool,
    closeness: bool,
    graphml: Option<&Path>,
) -> Ours {
    println!("\n== {label}: {nodes} nodes, {links} links");
    let mut ours = Ours::default();
    let (node_list, edges) = synthetic(nodes, links, 42);
    let start = Instant::now();
    let graph = LinkGraph::build(node_list, edges, &GraphFilter::default());
    let built = start.elapsed();
    let start = Instant::now();
    let adj = graph.adjacency(false);
    let adjacency_time = start.elapsed();
    let start = Instant::now();
    let simple: Adjacency = adj.simple();
    let simple_time = start.elapsed();
    report(&format!("{label}: build LinkGraph"), &ms(built), "-");
    report(
        &format!("{label}: adjacency (CSR)"),
        &ms(adjacency_time),
        "-",
    );
    report(
        &format!("{label}: simple adjacency (dedup)"),
        &ms(simple_time),
        "-",
    );

    let mut bfs = Duration::MAX;
    let mut reached = 0;
    for _ in 0..5 {
        let start = Instant::now();
        let hops = bfs_distances(&adj, 0, None);
        bfs = bfs.min(start.elapsed());
        reached = hops.iter().filter(|&&d| d != u32::MAX).count();
    }
    report(
        &format!("{label}: BFS from one node (best of 5, {reached} reached)"),
        &ms(bfs),
        if big { "<= 80 ms" } else { "-" },
    );

    let mut state = 99u64;
    let start = Instant::now();
    let mut hops_total = 0;
    for _ in 0..20 {
        let a = below(&mut state, nodes);
        let b = below(&mut state, nodes);
        hops_total += shortest_path_dense(&adj, &adj, a, b).map_or(0, |p| p.links.len());
    }
    ours.shortest_path = start.elapsed() / 20;
    report(
        &format!(
            "{label}: shortest path (mean of 20 pairs, {:.1} hops)",
            f64::from(u32::try_from(hops_total).expect("fits")) / 20.0
        ),
        &ms(ours.shortest_path),
        if big { "<= 10 ms" } else { "-" },
    );

    let start = Instant::now();
    let components = connected_components(&graph);
    ours.components = start.elapsed();
    report(
        &format!("{label}: connected components ({})", components.len()),
        &ms(ours.components),
        if big { "<= 100 ms" } else { "-" },
    );

    let start = Instant::now();
    let membership = louvain_dense(&simple, None);
    ours.louvain = start.elapsed();
    let groups = membership.iter().max().map_or(0, |&m| m + 1);
    report(
        &format!(
            "{label}: Louvain ({groups} groups, Q = {:.4})",
            modularity(&simple, &membership)
        ),
        &secs(ours.louvain),
        if big { "<= 7 s" } else { "-" },
    );

    if exact_betweenness {
        let start = Instant::now();
        let scores = betweenness_dense(&simple);
        let took = start.elapsed();
        ours.betweenness_exact = Some(took);
        std::hint::black_box(scores);
        report(
            &format!("{label}: betweenness, exact"),
            &secs(took),
            if label == "10k/100k" { "<= 35 s" } else { "-" },
        );
    }
    if big || graphml.is_some() {
        let start = Instant::now();
        let scores = betweenness_sampled_dense(&simple, SAMPLE_SOURCES, 1);
        let took = start.elapsed();
        ours.betweenness_sampled = Some(took);
        std::hint::black_box(scores);
        report(
            &format!("{label}: betweenness, sampled ({SAMPLE_SOURCES} sources)"),
            &secs(took),
            "-",
        );
    }
    if closeness {
        let start = Instant::now();
        std::hint::black_box(closeness_dense(&simple));
        report(&format!("{label}: closeness"), &secs(start.elapsed()), "-");
    }
    if big {
        let start = Instant::now();
        let result = eigenvector_dense(&simple);
        report(
            &format!(
                "{label}: eigenvector ({})",
                if result.is_ok() {
                    "converged"
                } else {
                    "did not converge"
                }
            ),
            &ms(start.elapsed()),
            "-",
        );
    }
    if let Some(path) = graphml {
        let file = std::fs::File::create(path).expect("GraphML file");
        ccu_workbench::io::graphml::write_graphml(&graph, std::io::BufWriter::new(file))
            .expect("GraphML written");
    }
    ours
}

fn seconds_of(value: &serde_json::Value, key: &str) -> Option<Duration> {
    value[key].as_f64().map(Duration::from_secs_f64)
}

fn ratio(name: &str, ours: Option<Duration>, theirs: Option<Duration>, note: &str) {
    if let (Some(ours), Some(theirs)) = (ours, theirs) {
        println!(
            "  {name:<34} ours {:>12}  theirs {:>12}  ours/theirs {:>8.4}  {note}",
            ms(ours),
            ms(theirs),
            ours.as_secs_f64() / theirs.as_secs_f64()
        );
    }
}

fn peers(runs: &[(String, std::path::PathBuf, Ours)]) {
    let available = Command::new("python3")
        .args(["-c", "import networkx"])
        .output()
        .is_ok_and(|out| out.status.success());
    if !available {
        println!("\nnetworkx comparison skipped: python3 cannot import networkx");
        return;
    }
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/networkx_peer.py");
    println!("\n== Peers (networkx, igraph) on the same GraphML; this takes a few minutes");
    let out = Command::new("python3")
        .arg(script)
        .args(runs.iter().map(|(_, path, _)| path))
        .output()
        .expect("python3 runs");
    if !out.status.success() {
        println!(
            "peer script failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        return;
    }
    let figures: serde_json::Value = serde_json::from_slice(&out.stdout).expect("peer JSON");
    println!("networkx {}", figures["networkx_version"]);
    for (label, path, ours) in runs {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        for peer in ["networkx", "igraph"] {
            let theirs = &figures[name][peer];
            if theirs.is_null() {
                println!("{label} vs {peer}: not installed");
                continue;
            }
            println!("{label} vs {peer}:");
            ratio(
                "shortest path (mean of 20)",
                Some(ours.shortest_path),
                seconds_of(theirs, "shortest_path_s"),
                "",
            );
            ratio(
                "connected components",
                Some(ours.components),
                seconds_of(theirs, "components_s"),
                "",
            );
            ratio(
                "Louvain",
                Some(ours.louvain),
                seconds_of(theirs, "louvain_s"),
                "",
            );
            let mode = theirs["betweenness_mode"].as_str().unwrap_or("?");
            let ours_betweenness = if mode == "exact" {
                ours.betweenness_exact
            } else {
                ours.betweenness_sampled
            };
            ratio(
                "betweenness",
                ours_betweenness,
                seconds_of(theirs, "betweenness_s"),
                &format!("({peer} {mode}; ours the same)"),
            );
        }
    }
}

fn main() {
    let quick = std::env::var_os("CCU_BENCH_QUICK").is_some();
    println!(
        "CCU Workbench link-analysis benchmarks ({} mode, {} CPUs)",
        if quick { "quick" } else { "full" },
        std::thread::available_parallelism().map_or(0, std::num::NonZero::get)
    );
    let scale = if quick { 10 } else { 1 };
    // `CCU_BENCH_GRAPH_LOAD_ONLY=1`: only the load from the store (when tuning it).
    if std::env::var_os("CCU_BENCH_GRAPH_LOAD_ONLY").is_some() {
        store_load("100k/1M", 100_000 / scale, 1_000_000 / scale);
        return;
    }
    let dir = tempfile::tempdir().expect("temporary directory");
    let small_path = dir.path().join("graph_10k_50k.graphml");
    let medium_path = dir.path().join("graph_10k_100k.graphml");
    let small = run(
        "10k/50k",
        10_000 / scale,
        50_000 / scale,
        false,
        true,
        true,
        Some(&small_path),
    );
    let medium = run(
        "10k/100k",
        10_000 / scale,
        100_000 / scale,
        false,
        true,
        false,
        Some(&medium_path),
    );
    run(
        "100k/1M",
        100_000 / scale,
        1_000_000 / scale,
        true,
        false,
        false,
        None,
    );
    store_load("100k/1M", 100_000 / scale, 1_000_000 / scale);
    peers(&[
        ("10k/50k".into(), small_path, small),
        ("10k/100k".into(), medium_path, medium),
    ]);
}
