//! GUI tests of the link chart's level of detail on a big chart (issue 4's frame-rate targets):
//! a chart with more links in view than `MAX_DRAWN_EDGES` draws a stable sample of them and
//! says so, the highlighted path is drawn whatever the sample, labels give way when too many
//! nodes are in view, and a frame where nothing changed reuses the last frame's geometry.

use crate::common::gui;

use ccu_workbench::domain::{LinkId, NominalId, NominalKind};
use ccu_workbench::graph::{GraphEdge, GraphFilter, GraphNode, GraphPath, LinkGraph};
use ccu_workbench::ui::{LinkChart, MAX_DRAWN_EDGES, MAX_LABELS};
use egui_kittest::Harness;

/// Nominals on a square grid of side `side`, one world unit apart.
const SIDE: i64 = 50;
/// More links than the chart draws at once, so the overview samples them.
const LINKS: i64 = 60_000;

struct State {
    graph: LinkGraph,
    chart: LinkChart,
}

fn position(id: i64) -> [f32; 2] {
    let i = id - 1;
    #[expect(
        clippy::cast_precision_loss,
        reason = "a grid of a few thousand nominals"
    )]
    [(i % SIDE) as f32 * 10.0, (i / SIDE) as f32 * 10.0]
}

/// `SIDE`² nominals and `LINKS` links between pseudo-random pairs (a fixed sequence, so every
/// run draws the same chart).
fn big_graph() -> LinkGraph {
    let count = SIDE * SIDE;
    let nodes = (1..=count)
        .map(|id| GraphNode {
            id: NominalId(id),
            kind: NominalKind::Person,
            label: format!("Synthetic nominal {id}"),
            ocg: false,
            criminal: false,
        })
        .collect();
    let mut state = 7_u64;
    let mut next = || {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        i64::try_from(state >> 33).unwrap() % count + 1
    };
    let mut edges = Vec::new();
    for link in 1..=LINKS {
        let from = next();
        let mut to = next();
        if to == from {
            to = from % count + 1;
        }
        edges.push(GraphEdge {
            link: LinkId(link),
            from: NominalId(from),
            to: NominalId(to),
            link_type: "associate".into(),
            directed: false,
            valid_from: None,
            valid_to: None,
            confidence: "probable".into(),
            item_sources: Some(1),
            import_sources: Some(0),
        });
    }
    LinkGraph::build(nodes, edges, &GraphFilter::default())
}

/// The big chart with every nominal pinned on its grid point (so no layout moves them), fitted
/// in view.
fn harness() -> Harness<'static, State> {
    let graph = big_graph();
    let mut chart = LinkChart::new_inline();
    for node in graph.nodes() {
        chart.positions.insert(node.id, position(node.id.0));
        chart.pinned.insert(node.id);
    }
    chart.settle_layout(&graph, 10);
    chart.request_fit();
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1000.0, 700.0))
        .build_ui_state(
            |ui, state: &mut State| {
                egui::CentralPanel::default().show(ui, |ui| {
                    let _ = state.chart.ui(ui, &state.graph);
                });
            },
            State { graph, chart },
        );
    gui::run_settled(&mut harness);
    harness
}

#[test]
fn a_big_chart_zoomed_out_draws_a_sample_of_its_links_and_every_link_when_zoomed_in() {
    let mut harness = harness();
    let stats = harness.state().chart.stats();
    assert_eq!(stats.nodes_drawn, 2_500, "every nominal is drawn");
    assert!(stats.links_sampled, "more links in view than drawn");
    assert_eq!(stats.edges_drawn, MAX_DRAWN_EDGES);

    // Zoomed in on one corner: few enough links in view to draw them all.
    harness.state_mut().chart.set_view(8.0, [0.0, 0.0]);
    gui::run_settled(&mut harness);
    let stats = harness.state().chart.stats();
    assert!(!stats.links_sampled);
    assert!(stats.edges_drawn > 0 && stats.edges_drawn < MAX_DRAWN_EDGES);
}

#[test]
fn the_sample_is_the_same_from_frame_to_frame() {
    let mut harness = harness();
    let before = harness.state().chart.stats();
    // Move the view a point and back: the geometry is built twice more, the same way.
    let (zoom, pan) = (harness.state().chart.zoom, harness.state().chart.pan);
    harness
        .state_mut()
        .chart
        .set_view(zoom, [pan[0] + 1.0, pan[1]]);
    gui::run_settled(&mut harness);
    harness.state_mut().chart.set_view(zoom, pan);
    gui::run_settled(&mut harness);
    let after = harness.state().chart.stats();
    assert!(after.geometry_rebuilt);
    assert_eq!(
        (after.edges_drawn, after.links_sampled),
        (before.edges_drawn, before.links_sampled)
    );
}

#[test]
fn the_highlighted_path_is_drawn_whatever_the_sample() {
    let mut harness = harness();
    // Every link: the sample leaves some out, the highlight must not.
    let links: Vec<LinkId> = harness.state().graph.edges().map(|e| e.link).collect();
    let first = harness
        .state()
        .graph
        .edges()
        .find(|e| e.link == links[0])
        .cloned()
        .unwrap();
    let path = GraphPath {
        nodes: vec![first.from, first.to],
        links: vec![first.link],
    };
    harness.state_mut().chart.highlight_path(&path);
    gui::run_settled(&mut harness);
    let stats = harness.state().chart.stats();
    assert!(stats.links_sampled);
    assert_eq!(
        stats.edges_drawn,
        MAX_DRAWN_EDGES + 1,
        "the sample, and the highlighted link besides it"
    );
}

#[test]
fn labels_give_way_when_too_many_nodes_are_in_view_except_the_selected_one() {
    let mut harness = harness();
    // Zoomed in far enough for labels, with every nominal still in view (a tall canvas).
    harness.state_mut().chart.set_view(1.0, [-245.0, -245.0]);
    gui::run_settled(&mut harness);
    let stats = harness.state().chart.stats();
    assert!(stats.nodes_drawn > MAX_LABELS);
    assert_eq!(stats.labels_drawn, 0);
    harness.state_mut().chart.select(Some(NominalId(1)));
    gui::run_settled(&mut harness);
    assert_eq!(harness.state().chart.stats().labels_drawn, 1);
}

#[test]
fn a_frame_where_nothing_changed_reuses_the_geometry() {
    let mut harness = harness();
    harness.run_steps(1);
    assert!(!harness.state().chart.stats().geometry_rebuilt);
    harness.state_mut().chart.select(Some(NominalId(2)));
    harness.run_steps(1);
    assert!(harness.state().chart.stats().geometry_rebuilt);
    harness.run_steps(1);
    assert!(!harness.state().chart.stats().geometry_rebuilt);
}

/// Issue 23: close in on a few links, each is labelled with its type in words, a possible link
/// is dashed, and two links between the same nominals are one line that says so; far out, no
/// link carries a label.
#[test]
fn links_say_their_type_close_in_and_possible_links_are_dashed() {
    let node = |id: i64| GraphNode {
        id: NominalId(id),
        kind: NominalKind::Person,
        label: format!("Synthetic nominal {id}"),
        ocg: false,
        criminal: false,
    };
    let edge = |link: i64, from: i64, to: i64, confidence: &str| GraphEdge {
        link: LinkId(link),
        from: NominalId(from),
        to: NominalId(to),
        link_type: "criminal_associate".into(),
        directed: false,
        valid_from: None,
        valid_to: None,
        confidence: confidence.into(),
        item_sources: Some(1),
        import_sources: Some(0),
    };
    let graph = LinkGraph::build(
        vec![node(1), node(2), node(3)],
        vec![
            edge(1, 1, 2, "confirmed"),
            edge(2, 2, 3, "possible"),
            edge(3, 2, 1, "possible"),
        ],
        &GraphFilter::default(),
    );
    let mut chart = LinkChart::new_inline();
    for (id, at) in [(1, [0.0, 0.0]), (2, [300.0, 0.0]), (3, [300.0, 300.0])] {
        chart.positions.insert(NominalId(id), at);
        chart.pinned.insert(NominalId(id));
    }
    chart.set_link_type_words(
        [(
            "criminal_associate".to_owned(),
            "Criminal associate".to_owned(),
        )]
        .into_iter()
        .collect(),
    );
    chart.settle_layout(&graph, 10);
    chart.request_fit();
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1000.0, 700.0))
        .build_ui_state(
            |ui, state: &mut State| {
                egui::CentralPanel::default().show(ui, |ui| {
                    let _ = state.chart.ui(ui, &state.graph);
                });
            },
            State { graph, chart },
        );
    gui::run_settled(&mut harness);
    let stats = harness.state().chart.stats();
    assert_eq!(stats.link_labels_drawn, 2);
    // 1-2 twice (one confirmed: solid), 2-3 possible (dashed).
    assert_eq!(stats.bundled_links, 1);
    assert_eq!(stats.dashed_links_drawn, 1);
    // Far out, the links are too short to carry words.
    harness.state_mut().chart.set_view(0.1, [0.0, 0.0]);
    gui::run_settled(&mut harness);
    assert_eq!(harness.state().chart.stats().link_labels_drawn, 0);
}
