//! GUI tests of the link chart widget alone, with `egui_kittest`: nodes are found by their
//! labels (each drawn node is an accessible widget), expanded by double-click, hidden and
//! path-searched from the context menu, and a highlighted path is reported.

use crate::common::gui;

use ccu_workbench::domain::{LinkId, NominalId, NominalKind};
use ccu_workbench::graph::{GraphEdge, GraphFilter, GraphNode, GraphPath, LinkGraph};
use ccu_workbench::ui::{ChartCommand, LinkChart};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

struct State {
    graph: LinkGraph,
    chart: LinkChart,
    commands: Vec<ChartCommand>,
    filter: GraphFilter,
    filter_changed: bool,
    reference: ccu_workbench::domain::ReferenceData,
}

fn node(id: i64, kind: NominalKind, label: &str, ocg: bool, criminal: bool) -> GraphNode {
    GraphNode {
        id: NominalId(id),
        kind,
        label: label.to_owned(),
        ocg,
        criminal,
    }
}

fn link(id: i64, from: i64, to: i64, link_type: &str, directed: bool) -> GraphEdge {
    GraphEdge {
        link: LinkId(id),
        from: NominalId(from),
        to: NominalId(to),
        link_type: link_type.into(),
        directed,
        valid_from: None,
        valid_to: None,
        confidence: if id % 2 == 0 { "high" } else { "low" }.into(),
        item_sources: Some(1),
        import_sources: Some(0),
    }
}

fn graph() -> LinkGraph {
    let nodes = vec![
        node(
            1,
            NominalKind::Employee,
            "PC Robin FIELDHOUSE",
            false,
            false,
        ),
        node(2, NominalKind::Person, "Dean MARSH", false, false),
        node(3, NominalKind::Ocg, "Northside Crew", true, false),
        node(4, NominalKind::Phone, "07700 900123", false, false),
        node(5, NominalKind::Person, "Kyle BRENNAN", true, true),
        node(6, NominalKind::Vehicle, "AB12 CDE", false, false),
    ];
    let edges = vec![
        link(10, 1, 4, "uses_phone", true),
        link(11, 2, 4, "uses_phone", true),
        link(12, 2, 5, "associate", false),
        link(13, 5, 3, "member_of", true),
        link(14, 6, 5, "registered_keeper", true),
        link(15, 1, 2, "associate", false),
    ];
    LinkGraph::build(nodes, edges, &GraphFilter::default())
}

fn harness() -> Harness<'static, State> {
    let graph = graph();
    let mut chart = LinkChart::new_inline();
    chart.settle_layout(&graph, 10_000);
    chart.request_fit();
    let state = State {
        graph,
        chart,
        commands: Vec::new(),
        filter: GraphFilter::default(),
        filter_changed: false,
        reference: ccu_workbench::io::reference_file::shipped_default().unwrap(),
    };
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1000.0, 700.0))
        // kittest runs one frame per input event; a frame of 1/60 s (not the default 1/4 s)
        // lets two clicks make a double-click.
        .with_step_dt(1.0 / 60.0)
        .build_ui_state(
            |ui, state: &mut State| {
                egui::Panel::left("chart-filter").show(ui, |ui| {
                    state.filter_changed |=
                        state
                            .chart
                            .filter_ui(ui, &mut state.filter, &state.reference);
                });
                egui::CentralPanel::default().show(ui, |ui| {
                    let commands = state.chart.ui(ui, &state.graph);
                    state.commands.extend(commands);
                });
            },
            state,
        );
    gui::run_settled(&mut harness);
    harness
}

#[test]
fn every_node_is_found_by_its_label() {
    let harness = harness();
    for label in [
        "PC Robin FIELDHOUSE",
        "Dean MARSH",
        "Northside Crew",
        "07700 900123",
        "Kyle BRENNAN",
        "AB12 CDE",
    ] {
        harness.get_by_label(label);
    }
    let stats = harness.state().chart.stats();
    assert_eq!(stats.nodes_drawn, 6);
    assert_eq!(stats.edges_drawn, 6);
    assert_eq!(stats.labels_drawn, 6, "zoomed in far enough for labels");
}

#[test]
fn double_click_expands_the_node() {
    let mut harness = harness();
    // kittest runs a frame per event; at the harness's short step both clicks fall within the
    // double-click delay.
    let robin = harness.get_by_label("PC Robin FIELDHOUSE");
    robin.click();
    robin.click();
    gui::run_settled(&mut harness);
    assert!(
        harness
            .state()
            .commands
            .contains(&ChartCommand::Expand(NominalId(1))),
        "{:?}",
        harness.state().commands
    );
    assert_eq!(harness.state().chart.selected(), Some(NominalId(1)));
}

#[test]
fn hide_from_the_context_menu_removes_the_node() {
    let mut harness = harness();
    harness.get_by_label("Dean MARSH").click_secondary();
    gui::run_settled(&mut harness);
    harness.get_by_label("Hide").click();
    gui::run_settled(&mut harness);
    assert!(harness.query_by_label("Dean MARSH").is_none());
    assert!(harness.state().chart.hidden.contains(&NominalId(2)));
    assert_eq!(
        harness.state().commands,
        vec![ChartCommand::Hide(NominalId(2))]
    );
    // The rest of the chart is still there, without Dean's links (the layout adjusts, so fit
    // it to the view again).
    harness.state_mut().chart.request_fit();
    gui::run_settled(&mut harness);
    harness.get_by_label("Kyle BRENNAN");
    assert_eq!(harness.state().chart.stats().nodes_drawn, 5);
    assert_eq!(harness.state().chart.stats().edges_drawn, 3);
}

#[test]
fn find_path_to_selected_from_the_context_menu() {
    let mut harness = harness();
    harness.get_by_label("PC Robin FIELDHOUSE").click();
    gui::run_settled(&mut harness);
    assert_eq!(harness.state().chart.selected(), Some(NominalId(1)));
    harness.get_by_label("Kyle BRENNAN").click_secondary();
    gui::run_settled(&mut harness);
    harness.get_by_label("Find path to selected").click();
    gui::run_settled(&mut harness);
    assert_eq!(
        harness.state().commands,
        vec![ChartCommand::FindPath {
            from: NominalId(5),
            to: NominalId(1)
        }]
    );
}

#[test]
fn show_profile_from_the_context_menu() {
    let mut harness = harness();
    harness.get_by_label("Northside Crew").click_secondary();
    gui::run_settled(&mut harness);
    harness.get_by_label("Show profile").click();
    gui::run_settled(&mut harness);
    assert_eq!(
        harness.state().commands,
        vec![ChartCommand::ShowProfile(NominalId(3))]
    );
}

#[test]
fn a_highlighted_path_is_reported() {
    let mut harness = harness();
    let path = GraphPath {
        nodes: vec![NominalId(1), NominalId(2), NominalId(5)],
        links: vec![LinkId(15), LinkId(12)],
    };
    harness.state_mut().chart.highlight_path(&path);
    gui::run_settled(&mut harness);
    let chart = &harness.state().chart;
    assert_eq!(chart.highlighted_path(), Some(&path));
    for id in [1, 2, 5] {
        assert!(chart.is_highlighted(NominalId(id)));
    }
    assert!(!chart.is_highlighted(NominalId(3)));
    assert!(chart.is_link_highlighted(LinkId(12)));
    assert!(!chart.is_link_highlighted(LinkId(13)));
    assert_eq!(chart.stats().edges_drawn, 6);
}

#[test]
fn the_filter_panel_turns_a_link_type_off() {
    let mut harness = harness();
    harness.get_by_label("Uses phone").click();
    gui::run_settled(&mut harness);
    let state = harness.state();
    assert!(state.filter_changed);
    let types = state.filter.link_types.as_ref().unwrap();
    assert!(!types.contains("uses_phone"));
    assert!(types.contains("associate"));
}

#[test]
fn zoomed_out_hides_labels_and_culls_off_screen_nodes() {
    let mut harness = harness();
    harness.state_mut().chart.zoom = 0.3;
    gui::run_settled(&mut harness);
    assert_eq!(harness.state().chart.stats().labels_drawn, 0);
    // Pan the whole chart off screen: nothing is drawn.
    harness.state_mut().chart.pan = [10_000.0, 0.0];
    gui::run_settled(&mut harness);
    let stats = harness.state().chart.stats();
    assert_eq!((stats.nodes_drawn, stats.edges_drawn), (0, 0));
}
