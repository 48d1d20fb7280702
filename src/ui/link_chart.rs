//! The link chart: nominals and links drawn with egui's painter, laid out by a force layout on
//! the `chart-layout` thread. The chart changes nothing in the workbench: expanding a nominal,
//! finding a path or opening a profile come back as [`ChartCommand`]s for the app to carry out.
//!
//! A frame costs what is on screen: nodes and links outside the view are culled, labels are drawn
//! only when zoomed in far enough to read them, and accessible per-node widgets (what screen
//! readers and GUI tests find by label) exist only while few enough nodes are visible; beyond
//! that, clicks and drags are hit-tested by hand.

mod edits;
mod filter;
mod formatting;
mod interaction;
mod layout_sync;
mod paint;
use super::chart_geometry::{
    CachedEdge, CachedNode, ChartGeometry, GeometryKey, Marks, View, link_rank,
};
use super::theme::{self, NodeShape};
use crate::domain::{IsoDate, LinkId, NominalId};
use crate::graph::{
    ForceLayout, GraphFilter, GraphPath, LayoutInput, LayoutState, LayoutWorker, LinkGraph,
};
use egui::{Color32, Pos2, Rect, Response, RichText, Sense, Stroke, Ui, Vec2, pos2, vec2};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

/// What the chart asks the app to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChartCommand {
    /// Add the nominal's links and neighbours to the chart (double-click).
    Expand(NominalId),
    /// Find a path between two nominals (context menu "Find path to selected": `from` is the
    /// node the menu was opened on, `to` the selected one).
    FindPath { from: NominalId, to: NominalId },
    /// The nominal was hidden from the chart (already applied by the chart itself).
    Hide(NominalId),
    /// Open the nominal's profile.
    ShowProfile(NominalId),
}

/// Accessible per-node widgets are created only up to this many visible nodes: beyond it a frame
/// would spend its time on widgets nobody can tell apart at that zoom.
pub const MAX_NODE_WIDGETS: usize = 1_500;
/// Space kept around the chart's contents when it is fitted to its area, in screen points.
const FIT_MARGIN: f32 = 12.0;
/// The largest node's radius on screen (an OCG at zoom 1 or closer).
const MAX_NODE_RADIUS: f32 = 12.0;
/// Labels longer than this (in half-widths) are not made room for: a long one may run off.
const FIT_MAX_LABEL_HALF_WIDTH: f32 = 160.0;

/// Screen space to keep clear on each side when fitting.
#[derive(Debug, Clone, Copy)]
struct FitPadding {
    sides: f32,
    top: f32,
    bottom: f32,
}

/// The zoom and pan that put the world box `min`..`max` inside an area of `size` with `pad`
/// kept clear for node sizes and labels. Pan is the screen offset of the world origin from
/// the area's centre.
fn fit_view(min: [f32; 2], max: [f32; 2], size: Vec2, pad: FitPadding) -> (f32, [f32; 2]) {
    let width = (max[0] - min[0]).max(1.0);
    let height = (max[1] - min[1]).max(1.0);
    let room_x = (size.x - 2.0 * pad.sides).max(1.0);
    let room_y = (size.y - pad.top - pad.bottom).max(1.0);
    let zoom = (room_x / width)
        .min(room_y / height)
        .clamp(theme::CHART_MIN_ZOOM, theme::CHART_MAX_ZOOM);
    let centre = [f32::midpoint(min[0], max[0]), f32::midpoint(min[1], max[1])];
    // More room below (labels) than above: the contents sit that much higher.
    let lift = (pad.bottom - pad.top) / 2.0;
    (zoom, [-centre[0] * zoom, -centre[1] * zoom - lift])
}

/// Links are labelled with their type while at most this many are drawn one by one: more
/// labels than this cover the chart.
pub const MAX_LINK_LABELS: usize = 300;

/// Time the layout may take per frame when it runs inline (tests, small charts).
const INLINE_BUDGET: Duration = Duration::from_millis(4);

/// What the last frame drew: for tests and benchmarks of culling and level of detail.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FrameStats {
    pub nodes_drawn: usize,
    pub edges_drawn: usize,
    /// Whether more links were in view than drawn: a big chart zoomed out draws a sample.
    pub links_sampled: bool,
    pub labels_drawn: usize,
    /// Links labelled with their type (close in on few links).
    pub link_labels_drawn: usize,
    /// Links drawn dashed (graded possible or doubtful).
    pub dashed_links_drawn: usize,
    /// Links drawn as part of another's line (parallel links between the same two nominals).
    pub bundled_links: usize,
    pub node_widgets: usize,
    /// Whether the frame built the geometry afresh (positions, view or marks changed) rather
    /// than reusing the last frame's.
    pub geometry_rebuilt: bool,
}

/// Where the layout runs.
enum Engine {
    /// Stepped in the frame: deterministic, for tests and small charts.
    Inline(Box<ForceLayout>),
    /// On the `chart-layout` thread.
    Worker(LayoutWorker),
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Engine::Inline(_) => f.write_str("Inline"),
            Engine::Worker(_) => f.write_str("Worker"),
        }
    }
}

/// What identifies the graph a cache was built from: cheap to compare every frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct GraphKey {
    revision: u64,
    hidden: usize,
}

impl GraphKey {
    fn of(graph: &LinkGraph, hidden: usize) -> Self {
        Self {
            revision: graph.revision(),
            hidden,
        }
    }
}

/// Everything that is not saved with the chart.
#[derive(Debug, Default)]
struct Runtime {
    inline: bool,
    engine: Option<Engine>,
    generation: u64,
    key: Option<GraphKey>,
    nodes: Vec<CachedNode>,
    index: HashMap<NominalId, u32>,
    /// Positions aligned with `nodes`; NaN until laid out.
    coords: Vec<[f32; 2]>,
    edges: Vec<CachedEdge>,
    /// The link types' codes, in the order edges name them ([`CachedEdge::link_type`]).
    type_codes: Vec<String>,
    type_index: HashMap<String, u16>,
    /// Link type codes in words (the reference data's labels), given by the app.
    link_type_words: HashMap<String, String>,
    /// Bumped whenever `coords` change.
    coords_version: u64,
    /// Bumped whenever the highlighted path changes.
    marks_version: u64,
    geometry: ChartGeometry,
    last_sequence: u64,
    layout_state: Option<LayoutState>,
    /// The nominal selected last (menus and the hierarchy act on it).
    selected: Option<NominalId>,
    /// Every selected nominal (Shift- or Ctrl-click adds and removes), the last one included.
    selection: BTreeSet<NominalId>,
    highlighted: Option<GraphPath>,
    highlight_nodes: HashSet<NominalId>,
    highlight_links: HashSet<LinkId>,
    /// The highlighted links by index into `edges`.
    highlight_edges: Vec<u32>,
    dragging: Option<NominalId>,
    /// The analyst's edits, to undo and redo.
    history: edits::EditHistory,
    /// Nominals an arranged layout (circle, hierarchy) placed and holds; the analyst's own
    /// pins are not among them.
    arranged: HashSet<NominalId>,
    menu_node: Option<NominalId>,
    /// Conditional formatting: sizes, colours, markers and the legend.
    formatting: crate::graph::chart_formatting::Formatting,
    /// The largest node scale the formatting gives (fitting makes room for it).
    max_scale: f32,
    fit_requested: bool,
    link_types: BTreeSet<String>,
    confidences: BTreeSet<String>,
    date_text: String,
    date_error: bool,
    /// The first and last date any link seen on the chart starts or ends (the slider's range).
    date_range: Option<(IsoDate, IsoDate)>,
    /// When the replay through time last moved the date (seconds of egui time), while playing.
    replay_step_at: Option<f64>,
    stats: FrameStats,
}

/// A link chart. The public fields are what a saved chart keeps.
#[derive(Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct LinkChart {
    /// World positions as of the last settled layout or drag.
    pub positions: HashMap<NominalId, [f32; 2]>,
    /// Nodes the analyst placed by hand: the layout does not move them.
    pub pinned: BTreeSet<NominalId>,
    /// Nodes hidden from the chart.
    pub hidden: BTreeSet<NominalId>,
    /// Points per world unit.
    pub zoom: f32,
    /// Offset of the world origin from the centre of the canvas, in points.
    pub pan: [f32; 2],
    /// Seed of the layout, so a chart lays out the same way every time.
    pub seed: u64,
    /// Nominals the analyst grouped.
    pub groups: Vec<crate::graph::ChartGroup>,
    #[serde(skip)]
    rt: Runtime,
}

impl Default for LinkChart {
    fn default() -> Self {
        Self {
            positions: HashMap::new(),
            pinned: BTreeSet::new(),
            hidden: BTreeSet::new(),
            zoom: 1.0,
            pan: [0.0, 0.0],
            seed: 0x00c0_ffee,
            groups: Vec::new(),
            rt: Runtime::default(),
        }
    }
}

impl LinkChart {
    /// A chart whose layout runs on the `chart-layout` thread (the app's choice).
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// A chart whose layout steps inside the frame: deterministic, for tests.
    #[must_use]
    pub fn new_inline() -> Self {
        let mut chart = Self::default();
        chart.rt.inline = true;
        chart
    }

    /// The words links are labelled with on the chart, by link type code (the reference
    /// data's labels); a code without words is shown as it is.
    pub fn set_link_type_words(&mut self, words: HashMap<String, String>) {
        self.rt.link_type_words = words;
    }

    /// Whether the chart has been given words for its link types.
    #[must_use]
    pub fn has_link_type_words(&self) -> bool {
        !self.rt.link_type_words.is_empty()
    }

    /// Places nominals where an arranged layout says and holds them there, except those the
    /// analyst pinned by hand, which stay where they were left.
    pub fn arrange(&mut self, placed: &[(NominalId, [f32; 2])]) {
        self.release_arrangement();
        for &(id, at) in placed {
            if self.pinned.contains(&id) {
                continue;
            }
            self.move_node(id, at);
            self.rt.arranged.insert(id);
        }
    }

    /// Lets the force layout move again the nominals an arranged layout held.
    pub fn release_arrangement(&mut self) {
        for id in std::mem::take(&mut self.rt.arranged) {
            self.set_pinned(id, false);
        }
    }

    /// The selected nominal.
    #[must_use]
    pub fn selected(&self) -> Option<NominalId> {
        self.rt.selected
    }

    /// Selects `id` alone, or nothing.
    pub fn select(&mut self, id: Option<NominalId>) {
        self.rt.selected = id;
        self.rt.selection = id.into_iter().collect();
        self.rt.marks_version += 1;
    }

    /// Adds `id` to the selection, or takes it out if it was in (Shift- or Ctrl-click).
    pub fn toggle_selected(&mut self, id: NominalId) {
        if self.rt.selection.remove(&id) {
            if self.rt.selected == Some(id) {
                self.rt.selected = self.rt.selection.iter().next_back().copied();
            }
        } else {
            self.rt.selection.insert(id);
            self.rt.selected = Some(id);
        }
        self.rt.marks_version += 1;
    }

    /// Every selected nominal, by id.
    #[must_use]
    pub fn selection(&self) -> Vec<NominalId> {
        self.rt.selection.iter().copied().collect()
    }

    /// Whether the nominal is selected.
    #[must_use]
    pub fn is_selected(&self, id: NominalId) -> bool {
        self.rt.selection.contains(&id)
    }

    /// Draws `path` highlighted until cleared or replaced.
    pub fn highlight_path(&mut self, path: &GraphPath) {
        self.rt.highlight_nodes = path.nodes.iter().copied().collect();
        self.rt.highlight_links = path.links.iter().copied().collect();
        self.rt.highlighted = Some(path.clone());
        self.index_highlighted_edges();
    }

    /// Finds the highlighted path's links among the cached ones (after the path or the graph
    /// changed), so drawing a frame need not look for them among every link.
    fn index_highlighted_edges(&mut self) {
        self.rt.highlight_edges.clear();
        if !self.rt.highlight_links.is_empty() {
            for (index, edge) in self.rt.edges.iter().enumerate() {
                if self.rt.highlight_links.contains(&edge.link) {
                    #[expect(clippy::cast_possible_truncation, reason = "link counts fit u32")]
                    self.rt.highlight_edges.push(index as u32);
                }
            }
        }
        self.rt.marks_version += 1;
    }

    pub fn clear_highlight(&mut self) {
        self.rt.highlighted = None;
        self.rt.highlight_nodes.clear();
        self.rt.highlight_links.clear();
        self.index_highlighted_edges();
    }

    #[must_use]
    pub fn highlighted_path(&self) -> Option<&GraphPath> {
        self.rt.highlighted.as_ref()
    }

    /// Whether the nominal is on the highlighted path.
    #[must_use]
    pub fn is_highlighted(&self, id: NominalId) -> bool {
        self.rt.highlight_nodes.contains(&id)
    }

    /// Whether the link is on the highlighted path.
    #[must_use]
    pub fn is_link_highlighted(&self, link: LinkId) -> bool {
        self.rt.highlight_links.contains(&link)
    }

    /// Hides a nominal (as the context menu does).
    pub fn hide(&mut self, id: NominalId) {
        self.hidden.insert(id);
        if self.rt.selection.contains(&id) {
            self.toggle_selected(id);
        }
    }

    /// Shows every hidden nominal again.
    pub fn unhide_all(&mut self) {
        self.hidden.clear();
    }

    /// Zooms and pans to show the whole chart at the next frame (and while the layout is
    /// still moving, until it settles or the view is moved by hand).
    pub fn request_fit(&mut self) {
        self.rt.fit_requested = true;
    }

    /// Sets the view by hand: `zoom` points per world unit, `pan` the world origin's offset
    /// from the canvas centre. A pending fit is dropped, as when the analyst pans or zooms.
    pub fn set_view(&mut self, zoom: f32, pan: [f32; 2]) {
        self.rt.fit_requested = false;
        self.zoom = zoom.clamp(theme::CHART_MIN_ZOOM, theme::CHART_MAX_ZOOM);
        self.pan = pan;
    }

    /// What the last frame drew.
    #[must_use]
    pub fn stats(&self) -> FrameStats {
        self.rt.stats
    }

    /// The layout's state as of the last frame (`None` before the first layout).
    #[must_use]
    pub fn layout_state(&self) -> Option<LayoutState> {
        self.rt.layout_state
    }

    /// The current position of a visible node.
    #[must_use]
    pub fn position(&self, id: NominalId) -> Option<[f32; 2]> {
        let &i = self.rt.index.get(&id)?;
        let p = self.rt.coords[i as usize];
        (!p[0].is_nan()).then_some(p)
    }

    /// Forgets the cached graph, so the next frame sends it to the layout again (the graph
    /// changed in a way its counts and id sums cannot tell).
    pub fn graph_changed(&mut self) {
        self.rt.key = None;
    }

    /// Brings the layout up to date with `graph` and, for an inline chart, runs it until it
    /// settles (at most `max_iterations`). A worker chart only receives the graph. For tests and
    /// for exports that must not wait on frames.
    pub fn settle_layout(&mut self, graph: &LinkGraph, max_iterations: usize) {
        self.sync_graph(None, graph);
        if let Some(Engine::Inline(layout)) = &mut self.rt.engine {
            layout.settle(max_iterations);
        }
        self.pull_layout();
    }

    fn move_node(&mut self, id: NominalId, world: [f32; 2]) {
        if let Some(&i) = self.rt.index.get(&id) {
            self.rt.coords[i as usize] = world;
            self.rt.coords_version += 1;
        }
        self.positions.insert(id, world);
        self.pinned.insert(id);
        match &mut self.rt.engine {
            Some(Engine::Inline(layout)) => {
                layout.set_position(id, world);
                layout.pin(id, true);
            }
            Some(Engine::Worker(worker)) => {
                let _ = worker.send(LayoutInput::Drag(id, world));
            }
            None => {}
        }
    }

    fn set_pinned(&mut self, id: NominalId, pinned: bool) {
        if pinned {
            self.pinned.insert(id);
        } else {
            self.pinned.remove(&id);
        }
        match &mut self.rt.engine {
            Some(Engine::Inline(layout)) => layout.pin(id, pinned),
            Some(Engine::Worker(worker)) => {
                let _ = worker.send(LayoutInput::Pin(id, pinned));
            }
            None => {}
        }
    }

    /// Zooms and pans so every placed node is in `rect`; false when none is placed yet (the
    /// layout has not answered), so the caller can try again next frame.
    fn fit(&mut self, rect: Rect, graph: &LinkGraph) -> bool {
        let mut min = [f32::INFINITY; 2];
        let mut max = [f32::NEG_INFINITY; 2];
        for p in self.rt.coords.iter().filter(|p| !p[0].is_nan()) {
            for axis in 0..2 {
                min[axis] = min[axis].min(p[axis]);
                max[axis] = max[axis].max(p[axis]);
            }
        }
        if min[0] > max[0] {
            return false;
        }
        // Room for the largest node and the longest label (drawn centred under its node).
        let longest_label = self
            .rt
            .nodes
            .iter()
            .filter_map(|n| graph.node(n.id))
            .map(|n| n.label.chars().count())
            .max()
            .unwrap_or(0);
        #[expect(clippy::cast_precision_loss, reason = "a label's length")]
        let label_half_width =
            (longest_label as f32 * theme::CHART_LABEL_SIZE * 0.3).min(FIT_MAX_LABEL_HALF_WIDTH);
        let largest = MAX_NODE_RADIUS * self.rt.max_scale.max(1.0);
        let pad = FitPadding {
            sides: FIT_MARGIN + largest + label_half_width,
            top: FIT_MARGIN + largest,
            bottom: FIT_MARGIN + largest + theme::CHART_LABEL_GAP + theme::CHART_LABEL_SIZE * 1.3,
        };
        let (zoom, pan) = fit_view(min, max, rect.size(), pad);
        self.zoom = zoom;
        self.pan = pan;
        true
    }

    /// Draws the chart in the space left in `ui` and handles its input.
    pub fn ui(&mut self, ui: &mut Ui, graph: &LinkGraph) -> Vec<ChartCommand> {
        let mut commands = Vec::new();
        self.sync_graph(Some(ui.ctx()), graph);
        let moving = self.pull_layout();
        if moving && matches!(self.rt.engine, Some(Engine::Inline(_))) {
            ui.ctx().request_repaint();
        }
        let rect = ui.available_rect_before_wrap();
        // A fit asked for while the layout is still moving follows it until it settles, so
        // the chart opened or grown is in view when it comes to rest.
        if self.rt.fit_requested
            && self.fit(rect, graph)
            && self.rt.layout_state != Some(LayoutState::Moving)
        {
            self.rt.fit_requested = false;
        }
        let background = ui.allocate_rect(rect, Sense::click_and_drag());
        background
            .widget_info(|| egui::WidgetInfo::labeled(egui::Role::Canvas, true, "Link chart"));
        self.pan_and_zoom(ui, rect, &background);
        // Ctrl+Z and Ctrl+Shift+Z (or Ctrl+Y) undo and redo the chart's edits while the pointer
        // is over it (a text field elsewhere keeps its own).
        if background.hovered() || background.has_focus() {
            let (redo, undo) = ui.input_mut(|i| {
                let redo = i.consume_shortcut(&egui::KeyboardShortcut::new(
                    egui::Modifiers::COMMAND | egui::Modifiers::SHIFT,
                    egui::Key::Z,
                )) || i.consume_shortcut(&egui::KeyboardShortcut::new(
                    egui::Modifiers::COMMAND,
                    egui::Key::Y,
                ));
                let undo = i.consume_shortcut(&egui::KeyboardShortcut::new(
                    egui::Modifiers::COMMAND,
                    egui::Key::Z,
                ));
                (redo, undo)
            });
            if redo {
                self.redo();
            } else if undo {
                self.undo();
            }
        }
        let view = View {
            origin: rect.center() + vec2(self.pan[0], self.pan[1]),
            zoom: self.zoom,
        };

        // What is in view, and the batched meshes: built again only when positions, view or
        // marks changed since the last frame.
        let key = self.geometry_key(view, rect);
        let rebuilt = !self.rt.geometry.is_current(&key);
        if rebuilt {
            let marks = Marks {
                selection: &self.rt.selection,
                highlight_nodes: &self.rt.highlight_nodes,
                highlight_links: &self.rt.highlight_links,
                highlight_edges: &self.rt.highlight_edges,
            };
            self.rt
                .geometry
                .rebuild(key, &self.rt.nodes, &self.rt.coords, &self.rt.edges, &marks);
        }
        let visible = std::mem::take(&mut self.rt.geometry.visible);

        let widgets = visible.len() <= MAX_NODE_WIDGETS;
        self.group_input(ui, view);
        if widgets {
            for &i in &visible {
                let node = self.rt.nodes[i as usize];
                let centre = view.to_screen(self.rt.coords[i as usize]);
                let radius = node.radius(self.zoom).max(4.0);
                let node_rect = Rect::from_center_size(centre, Vec2::splat(radius * 2.0));
                let response = ui.interact(
                    node_rect,
                    ui.scope_id().with(("chart-node", node.id.0)),
                    Sense::click_and_drag(),
                );
                let label = graph.node(node.id).map_or("", |n| n.label.as_str());
                let selected = self.rt.selection.contains(&node.id);
                response.widget_info(|| {
                    egui::WidgetInfo::selected(egui::Role::Button, true, selected, label)
                });
                self.node_response(&response, node.id, view, &mut commands);
            }
        } else {
            self.background_node_input(&background, &visible, view, &mut commands);
        }
        if background.clicked() && (widgets || self.hit(&visible, view, &background).is_none()) {
            self.select(None);
        }
        if widgets {
            background.context_menu(|ui| self.background_menu(ui));
        }

        self.rt.geometry.visible = visible;
        if !self.rt.geometry.is_current(&self.geometry_key(view, rect)) {
            // Input in this frame moved a node or changed the marks: this frame draws what it
            // had, the next one (asked for now) the change.
            ui.ctx().request_repaint();
        }
        self.paint(ui, rect, view, graph, widgets);
        self.legend_ui(ui, rect);
        self.rt.stats.geometry_rebuilt = rebuilt;
        commands
    }

    fn geometry_key(&self, view: View, rect: Rect) -> GeometryKey {
        GeometryKey {
            coords: self.rt.coords_version,
            marks: self.rt.marks_version,
            selected: self.rt.selected,
            view,
            rect,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::NominalKind;
    use crate::ui::chart_geometry::screen_radius;

    #[test]
    fn fit_keeps_every_node_and_its_label_inside_the_area() {
        let pad = FitPadding {
            sides: 60.0,
            top: 20.0,
            bottom: 40.0,
        };
        let size = vec2(800.0, 500.0);
        for (min, max) in [
            ([-300.0, -100.0], [500.0, 900.0]),
            ([0.0, 0.0], [2000.0, 10.0]),
            ([5.0, 5.0], [5.0, 5.0]),
        ] {
            let (zoom, pan) = fit_view(min, max, size, pad);
            for corner in [min, max, [min[0], max[1]], [max[0], min[1]]] {
                // Screen position relative to the area's top-left.
                let x = size.x / 2.0 + pan[0] + corner[0] * zoom;
                let y = size.y / 2.0 + pan[1] + corner[1] * zoom;
                assert!(
                    x - pad.sides >= -0.01 && x + pad.sides <= size.x + 0.01,
                    "{x}"
                );
                assert!(
                    y - pad.top >= -0.01 && y + pad.bottom <= size.y + 0.01,
                    "{y}"
                );
            }
        }
    }

    #[test]
    fn nodes_keep_their_size_zoomed_in_and_shrink_to_dots_zoomed_out() {
        let full = theme::chart_node_style(NominalKind::Ocg).2;
        assert!((screen_radius(NominalKind::Ocg, 1.0) - full).abs() < f32::EPSILON);
        assert!((screen_radius(NominalKind::Ocg, 6.0) - full).abs() < f32::EPSILON);
        assert!(screen_radius(NominalKind::Ocg, 0.25) < full / 2.0);
        assert!(
            (screen_radius(NominalKind::Ocg, 0.001) - theme::CHART_MIN_NODE_RADIUS).abs()
                < f32::EPSILON
        );
        assert!(MAX_NODE_RADIUS >= full);
    }

    #[test]
    fn edits_undo_and_redo_in_order_and_a_new_edit_drops_the_redo() {
        use crate::domain::NominalKind;
        use crate::graph::{GraphFilter, GraphNode};
        let graph = LinkGraph::build(
            (1..=3)
                .map(|id| GraphNode {
                    id: NominalId(id),
                    kind: NominalKind::Person,
                    label: format!("N{id}"),
                    ocg: false,
                    criminal: false,
                })
                .collect(),
            vec![],
            &GraphFilter::default(),
        );
        let mut chart = LinkChart::new_inline();
        chart.positions.insert(NominalId(1), [0.0, 0.0]);
        chart.settle_layout(&graph, 5);
        let start = chart.position(NominalId(1)).unwrap();
        chart.hide_by_hand(NominalId(2));
        chart.pin_by_hand(NominalId(3), true);
        chart.drag_began(NominalId(1));
        chart.move_node(NominalId(1), [40.0, 50.0]);
        chart.drag_ended();
        chart.show_hidden_by_hand();
        assert!(chart.hidden.is_empty());

        chart.undo(); // the hidden are hidden again
        assert!(chart.hidden.contains(&NominalId(2)));
        chart.undo(); // the move
        assert_eq!(chart.position(NominalId(1)), Some(start));
        assert!(!chart.pinned.contains(&NominalId(1)));
        chart.undo(); // the pin
        assert!(!chart.pinned.contains(&NominalId(3)));
        chart.undo(); // the hide
        assert!(chart.hidden.is_empty());
        assert!(!chart.can_undo());

        chart.redo();
        chart.redo();
        assert!(chart.hidden.contains(&NominalId(2)) && chart.pinned.contains(&NominalId(3)));
        assert!(chart.can_redo());
        // A new edit: what could have been redone is gone.
        chart.pin_by_hand(NominalId(2), true);
        assert!(!chart.can_redo());
    }

    #[test]
    fn saved_parts_round_trip_through_json() {
        let mut chart = LinkChart::new_inline();
        chart.positions.insert(NominalId(4), [1.5, -2.0]);
        chart.pinned.insert(NominalId(4));
        chart.hidden.insert(NominalId(9));
        chart.zoom = 0.5;
        let json = serde_json::to_string(&chart).unwrap();
        let back: LinkChart = serde_json::from_str(&json).unwrap();
        assert_eq!(back.positions, chart.positions);
        assert_eq!(back.pinned, chart.pinned);
        assert_eq!(back.hidden, chart.hidden);
        assert!((back.zoom - 0.5).abs() < f32::EPSILON);
        let empty: LinkChart = serde_json::from_str("{}").unwrap();
        assert!((empty.zoom - 1.0).abs() < f32::EPSILON);
    }
}
