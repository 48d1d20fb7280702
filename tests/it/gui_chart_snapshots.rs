//! Snapshot images of the link chart (issue 23) at three zoom levels: far out (dots, the most
//! central still labelled), at the working zoom (icons, labels, markers, a group, the legend)
//! and close in (links in words with their dates). A small chart of every kind of nominal is
//! placed by hand so the pictures do not depend on the layout; `UPDATE_SNAPSHOTS=1 cargo test
//! gui_chart_snapshots` writes them again after a deliberate change.

use crate::common::gui;
use ccu_workbench::domain::{LinkId, NominalId, NominalKind};
use ccu_workbench::graph::chart_formatting::{
    BeaconMark, ChartContext, ColourBy, NodeFlags, SizeBy, format_chart,
};
use ccu_workbench::graph::{ChartGroup, GraphEdge, GraphFilter, GraphNode, GraphPath, LinkGraph};
use ccu_workbench::ui::LinkChart;
use egui_kittest::{Harness, SnapshotOptions};
use std::collections::HashMap;

struct State {
    graph: LinkGraph,
    chart: LinkChart,
}

/// (id, kind, label, OCG member or OCG, criminal, x, y)
type NominalRow = (i64, NominalKind, &'static str, bool, bool, f32, f32);
const NOMINALS: [NominalRow; 11] = [
    (
        1,
        NominalKind::Employee,
        "PC Robin QUARRY (AB77)",
        false,
        false,
        0.0,
        0.0,
    ),
    (
        2,
        NominalKind::Person,
        "Dean MARSH",
        false,
        true,
        160.0,
        -40.0,
    ),
    (
        3,
        NominalKind::Person,
        "Kyle BRENNAN",
        true,
        false,
        320.0,
        0.0,
    ),
    (
        4,
        NominalKind::Ocg,
        "Northside Crew",
        true,
        false,
        470.0,
        40.0,
    ),
    (
        5,
        NominalKind::Phone,
        "07700 900123",
        false,
        false,
        80.0,
        130.0,
    ),
    (
        6,
        NominalKind::Vehicle,
        "AB12 CDE",
        false,
        false,
        260.0,
        150.0,
    ),
    (
        7,
        NominalKind::Address,
        "12 Synthetic Row",
        false,
        false,
        -140.0,
        90.0,
    ),
    (
        8,
        NominalKind::Account,
        "Acct 00-11-22 12345678",
        false,
        false,
        420.0,
        170.0,
    ),
    (
        9,
        NominalKind::Organisation,
        "Quarry Motors Ltd",
        false,
        false,
        -130.0,
        -110.0,
    ),
    (
        10,
        NominalKind::Person,
        "Jo PRESSMAN",
        false,
        false,
        120.0,
        -170.0,
    ),
    (
        11,
        NominalKind::Employee,
        "Sam LEDGER (S4410)",
        false,
        false,
        -40.0,
        200.0,
    ),
];

/// (link, from, to, type, confidence, valid from)
type LinkRow = (
    i64,
    i64,
    i64,
    &'static str,
    &'static str,
    Option<&'static str>,
);
const LINKS: [LinkRow; 12] = [
    (1, 1, 2, "friend", "probable", Some("2024-03-01")),
    (2, 2, 3, "criminal_associate", "possible", None),
    (3, 3, 4, "ocg_member", "confirmed", Some("2023-01-01")),
    (4, 1, 5, "uses_phone", "confirmed", None),
    (5, 2, 5, "called", "probable", Some("2025-06-01")),
    (6, 2, 5, "called", "probable", Some("2025-07-01")),
    (7, 3, 6, "uses_vehicle", "probable", None),
    (8, 1, 7, "lives_at", "confirmed", None),
    (9, 4, 8, "holds_account", "possible", None),
    (10, 1, 9, "director_of", "confirmed", None),
    (11, 10, 1, "associate", "doubtful", None),
    (12, 11, 7, "lives_at", "confirmed", Some("2022-09-01")),
];

fn graph() -> LinkGraph {
    let nodes: Vec<GraphNode> = NOMINALS
        .iter()
        .map(|&(id, kind, label, ocg, criminal, _, _)| GraphNode {
            id: NominalId(id),
            kind,
            label: label.into(),
            ocg,
            criminal,
        })
        .collect();
    let edges: Vec<GraphEdge> = LINKS
        .iter()
        .map(
            |&(link, from, to, link_type, confidence, since)| GraphEdge {
                link: LinkId(link),
                from: NominalId(from),
                to: NominalId(to),
                link_type: link_type.into(),
                directed: link_type == "called",
                valid_from: since.map(|d| d.parse().unwrap()),
                valid_to: None,
                confidence: confidence.into(),
                item_sources: Some(1),
                import_sources: Some(0),
            },
        )
        .collect();
    LinkGraph::build(nodes, edges, &GraphFilter::default())
}

fn context() -> ChartContext {
    let mut context = ChartContext::default();
    context.beacon.insert(
        NominalId(1),
        BeaconMark {
            band: "High".into(),
            colour: "#ef6c00".into(),
            rank: 2,
        },
    );
    context.live_associations.insert(NominalId(1));
    context.police_staff.insert(NominalId(11));
    context.live_associations.insert(NominalId(2));
    context.flags.insert(
        NominalId(10),
        NodeFlags {
            journalist: true,
            ..NodeFlags::default()
        },
    );
    context
}

/// The chart placed by hand, formatted by kind with its markers, a group and a highlighted
/// path, at `zoom` centred on the chart.
fn harness(zoom: f32, colour_by: ColourBy) -> Harness<'static, State> {
    let graph = graph();
    let mut chart = LinkChart::new_inline();
    for &(id, _, _, _, _, x, y) in &NOMINALS {
        chart.positions.insert(NominalId(id), [x, y]);
        chart.pinned.insert(NominalId(id));
    }
    chart.set_link_type_words(HashMap::from(
        [
            ("friend", "Friend"),
            ("criminal_associate", "Criminal associate"),
            ("ocg_member", "OCG member"),
            ("uses_phone", "Uses phone"),
            ("called", "Called"),
            ("uses_vehicle", "Uses vehicle"),
            ("lives_at", "Lives at"),
            ("holds_account", "Holds account"),
            ("director_of", "Director of"),
            ("associate", "Associate"),
        ]
        .map(|(code, words)| (code.to_owned(), words.to_owned())),
    ));
    chart.groups.push(ChartGroup {
        name: "Group 1".into(),
        members: vec![NominalId(3), NominalId(4)],
    });
    chart.settle_layout(&graph, 5);
    chart.set_formatting(format_chart(&graph, SizeBy::Kind, colour_by, &context()));
    chart.highlight_path(&GraphPath {
        nodes: vec![NominalId(1), NominalId(2), NominalId(3)],
        links: vec![LinkId(1), LinkId(2)],
    });
    chart.set_view(zoom, [-170.0 * zoom, -20.0 * zoom]);
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1000.0, 620.0))
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

fn options() -> SnapshotOptions {
    SnapshotOptions::new().max_failed_pixels(100)
}

#[test]
fn the_chart_far_out_shows_dots_and_keeps_the_most_central_labelled() {
    let mut harness = harness(0.25, ColourBy::Kind);
    assert_eq!(harness.state().chart.stats().nodes_drawn, 11);
    harness.snapshot_options("link_chart_far", &options());
}

#[test]
fn the_chart_at_working_zoom_shows_icons_labels_markers_and_the_legend() {
    let mut harness = harness(1.0, ColourBy::Kind);
    let stats = harness.state().chart.stats();
    assert_eq!(stats.labels_drawn, 11);
    harness.snapshot_options("link_chart_working", &options());
}

#[test]
fn the_chart_close_in_says_each_link_in_words_with_its_dates() {
    let mut harness = harness(2.2, ColourBy::BeaconBand);
    assert!(harness.state().chart.stats().link_labels_drawn > 0);
    harness.snapshot_options("link_chart_close", &options());
}
