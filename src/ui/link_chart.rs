//! The link chart: nominals and links drawn with egui's painter, laid out by a force layout on
//! the `chart-layout` thread. The chart changes nothing in the workbench: expanding a nominal,
//! finding a path or opening a profile come back as [`ChartCommand`]s for the app to carry out.
//!
//! A frame costs what is on screen: nodes and links outside the view are culled, labels are drawn
//! only when zoomed in far enough to read them, and accessible per-node widgets (what screen
//! readers and GUI tests find by label) exist only while few enough nodes are visible; beyond
//! that, clicks and drags are hit-tested by hand.

use super::chart_geometry::{
    CachedEdge, CachedNode, ChartGeometry, GeometryKey, Marks, View, link_rank, screen_radius,
};
use super::theme::{self, NodeShape};
use crate::domain::{IsoDate, LinkId, NominalId, NominalKind};
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
    /// Bumped whenever `coords` change.
    coords_version: u64,
    /// Bumped whenever the highlighted path changes.
    marks_version: u64,
    geometry: ChartGeometry,
    last_sequence: u64,
    layout_state: Option<LayoutState>,
    selected: Option<NominalId>,
    highlighted: Option<GraphPath>,
    highlight_nodes: HashSet<NominalId>,
    highlight_links: HashSet<LinkId>,
    /// The highlighted links by index into `edges`.
    highlight_edges: Vec<u32>,
    dragging: Option<NominalId>,
    menu_node: Option<NominalId>,
    fit_requested: bool,
    link_types: BTreeSet<String>,
    confidences: BTreeSet<String>,
    date_text: String,
    date_error: bool,
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

    /// The selected nominal.
    #[must_use]
    pub fn selected(&self) -> Option<NominalId> {
        self.rt.selected
    }

    pub fn select(&mut self, id: Option<NominalId>) {
        self.rt.selected = id;
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
        if self.rt.selected == Some(id) {
            self.rt.selected = None;
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

    /// Rebuilds the cache and tells the layout when the graph or the hidden set changed.
    fn sync_graph(&mut self, ctx: Option<&egui::Context>, graph: &LinkGraph) {
        let key = GraphKey::of(graph, self.hidden.len());
        if self.rt.key == Some(key) {
            return;
        }
        self.rt.key = Some(key);
        let first = self.rt.engine.is_none();
        if first {
            self.rt.engine = Some(if self.rt.inline {
                Engine::Inline(Box::new(ForceLayout::new(self.seed)))
            } else {
                let ctx = ctx.cloned();
                let repaint = ctx.map(|ctx| Box::new(move || ctx.request_repaint()) as Box<_>);
                match LayoutWorker::spawn(self.seed, repaint) {
                    Ok(worker) => Engine::Worker(worker),
                    // No thread to be had: lay out in the frame rather than not at all.
                    Err(_) => Engine::Inline(Box::new(ForceLayout::new(self.seed))),
                }
            });
        }
        let old_coords: HashMap<NominalId, [f32; 2]> = self
            .rt
            .nodes
            .iter()
            .zip(&self.rt.coords)
            .filter(|(_, p)| !p[0].is_nan())
            .map(|(n, p)| (n.id, *p))
            .collect();
        self.rt.nodes.clear();
        self.rt.index.clear();
        for node in graph.nodes() {
            if self.hidden.contains(&node.id) {
                continue;
            }
            #[expect(clippy::cast_possible_truncation, reason = "node counts fit u32")]
            self.rt.index.insert(node.id, self.rt.nodes.len() as u32);
            self.rt.nodes.push(CachedNode {
                id: node.id,
                kind: node.kind,
                ocg: node.ocg,
                criminal: node.criminal,
            });
        }
        self.rt.coords = self
            .rt
            .nodes
            .iter()
            .map(|n| {
                old_coords
                    .get(&n.id)
                    .or_else(|| self.positions.get(&n.id))
                    .copied()
                    .unwrap_or([f32::NAN, f32::NAN])
            })
            .collect();
        self.rt.coords_version += 1;
        self.rt.edges.clear();
        for edge in graph.edges() {
            if !self.rt.link_types.contains(&*edge.link_type) {
                self.rt.link_types.insert(edge.link_type.to_string());
            }
            if !self.rt.confidences.contains(&*edge.confidence) {
                self.rt.confidences.insert(edge.confidence.to_string());
            }
            if let (Some(&from), Some(&to)) =
                (self.rt.index.get(&edge.from), self.rt.index.get(&edge.to))
            {
                self.rt.edges.push(CachedEdge {
                    from,
                    to,
                    link: edge.link,
                    directed: edge.directed,
                });
            }
        }
        // Rank order: a big chart zoomed out draws the first links in view (see
        // `MAX_DRAWN_EDGES`).
        self.rt
            .edges
            .sort_by_cached_key(|edge| link_rank(edge.link));
        self.index_highlighted_edges();
        self.rt.generation += 1;
        let nodes: Vec<NominalId> = self.rt.nodes.iter().map(|n| n.id).collect();
        let edges: Vec<(NominalId, NominalId)> = self
            .rt
            .edges
            .iter()
            .map(|e| {
                (
                    self.rt.nodes[e.from as usize].id,
                    self.rt.nodes[e.to as usize].id,
                )
            })
            .collect();
        let generation = self.rt.generation;
        match &mut self.rt.engine {
            Some(Engine::Inline(layout)) => {
                if first {
                    for (&id, &p) in &self.positions {
                        layout.set_position(id, p);
                    }
                    for &id in &self.pinned {
                        layout.pin(id, true);
                    }
                }
                layout.set_graph(&nodes, &edges);
            }
            Some(Engine::Worker(worker)) => {
                if first {
                    for (&id, &p) in &self.positions {
                        let _ = worker.send(LayoutInput::SetPosition(id, p));
                    }
                    for &id in &self.pinned {
                        let _ = worker.send(LayoutInput::Pin(id, true));
                    }
                }
                // A stopped thread shows as a layout that never arrives; nothing to do here.
                let _ = worker.send(LayoutInput::SetGraph {
                    generation,
                    nodes,
                    edges,
                });
            }
            None => {}
        }
        self.rt.layout_state = Some(LayoutState::Moving);
    }

    /// Copies the newest positions from the layout; returns whether it still moves.
    fn pull_layout(&mut self) -> bool {
        let state = match &mut self.rt.engine {
            Some(Engine::Inline(layout)) => {
                let state = layout.step(INLINE_BUDGET);
                if layout.coordinates().len() == self.rt.coords.len()
                    && self.rt.coords.as_slice() != layout.coordinates()
                {
                    self.rt.coords.copy_from_slice(layout.coordinates());
                    self.rt.coords_version += 1;
                }
                state
            }
            Some(Engine::Worker(worker)) => {
                let Some(snapshot) = worker.snapshot() else {
                    return true;
                };
                if snapshot.generation != self.rt.generation {
                    return true;
                }
                if snapshot.sequence != self.rt.last_sequence
                    && snapshot.positions.len() == self.rt.coords.len()
                {
                    self.rt.last_sequence = snapshot.sequence;
                    self.rt.coords.copy_from_slice(&snapshot.positions);
                    self.rt.coords_version += 1;
                }
                snapshot.state
            }
            None => return false,
        };
        if state == LayoutState::Settled && self.rt.layout_state != Some(LayoutState::Settled) {
            // Saved with the chart: written once per settling, not every frame.
            for (node, p) in self.rt.nodes.iter().zip(&self.rt.coords) {
                self.positions.insert(node.id, *p);
            }
        }
        self.rt.layout_state = Some(state);
        state == LayoutState::Moving
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
    fn fit(&mut self, rect: Rect) -> bool {
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
        let margin = 40.0;
        let width = (max[0] - min[0]).max(1.0);
        let height = (max[1] - min[1]).max(1.0);
        self.zoom = ((rect.width() - 2.0 * margin) / width)
            .min((rect.height() - 2.0 * margin) / height)
            .clamp(theme::CHART_MIN_ZOOM, theme::CHART_MAX_ZOOM);
        let centre = [f32::midpoint(min[0], max[0]), f32::midpoint(min[1], max[1])];
        self.pan = [-centre[0] * self.zoom, -centre[1] * self.zoom];
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
            && self.fit(rect)
            && self.rt.layout_state != Some(LayoutState::Moving)
        {
            self.rt.fit_requested = false;
        }
        let background = ui.allocate_rect(rect, Sense::click_and_drag());
        background
            .widget_info(|| egui::WidgetInfo::labeled(egui::Role::Canvas, true, "Link chart"));
        self.pan_and_zoom(ui, rect, &background);
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
                selected: self.rt.selected,
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
        if widgets {
            for &i in &visible {
                let node = self.rt.nodes[i as usize];
                let centre = view.to_screen(self.rt.coords[i as usize]);
                let radius = self.screen_radius(node.kind).max(4.0);
                let node_rect = Rect::from_center_size(centre, Vec2::splat(radius * 2.0));
                let response = ui.interact(
                    node_rect,
                    ui.scope_id().with(("chart-node", node.id.0)),
                    Sense::click_and_drag(),
                );
                let label = graph.node(node.id).map_or("", |n| n.label.as_str());
                let selected = self.rt.selected == Some(node.id);
                response.widget_info(|| {
                    egui::WidgetInfo::selected(egui::Role::Button, true, selected, label)
                });
                self.node_response(&response, node.id, view, &mut commands);
            }
        } else {
            self.background_node_input(&background, &visible, view, &mut commands);
        }
        if background.clicked() && (widgets || self.hit(&visible, view, &background).is_none()) {
            self.rt.selected = None;
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

    fn screen_radius(&self, kind: NominalKind) -> f32 {
        screen_radius(kind, self.zoom)
    }

    fn pan_and_zoom(&mut self, ui: &Ui, rect: Rect, background: &Response) {
        if background.dragged() && self.rt.dragging.is_none() {
            let delta = background.drag_delta();
            self.pan[0] += delta.x;
            self.pan[1] += delta.y;
            self.rt.fit_requested = false;
        }
        if !ui.rect_contains_pointer(rect) {
            return;
        }
        let (scroll, pinch, pointer) = ui.input(|i| {
            (
                i.smooth_scroll_delta.y,
                i.zoom_delta(),
                i.pointer.hover_pos(),
            )
        });
        let factor = pinch * (scroll / 200.0).exp();
        if (factor - 1.0).abs() > f32::EPSILON
            && let Some(pointer) = pointer
        {
            // Zoom around the pointer: the world point under it stays under it.
            let origin = rect.center() + vec2(self.pan[0], self.pan[1]);
            let new_zoom = (self.zoom * factor).clamp(theme::CHART_MIN_ZOOM, theme::CHART_MAX_ZOOM);
            let world = (pointer - origin) / self.zoom;
            let new_origin = pointer - world * new_zoom;
            let pan = new_origin - rect.center();
            self.pan = [pan.x, pan.y];
            self.zoom = new_zoom;
            self.rt.fit_requested = false;
        }
    }

    /// Selection, expansion, dragging and the context menu of one node's widget.
    fn node_response(
        &mut self,
        response: &Response,
        id: NominalId,
        view: View,
        commands: &mut Vec<ChartCommand>,
    ) {
        if response.clicked() {
            self.rt.selected = Some(id);
        }
        if response.double_clicked() {
            commands.push(ChartCommand::Expand(id));
        }
        if response.drag_started() {
            self.rt.dragging = Some(id);
        }
        if response.dragged() && self.rt.dragging == Some(id) {
            self.drag_by(id, response.drag_delta(), view);
        }
        if response.drag_stopped() {
            self.rt.dragging = None;
        }
        response.context_menu(|ui| self.node_menu(ui, id, commands));
    }

    fn drag_by(&mut self, id: NominalId, delta: Vec2, view: View) {
        if delta == Vec2::ZERO {
            return;
        }
        if let Some(p) = self.position(id) {
            self.move_node(id, [p[0] + delta.x / view.zoom, p[1] + delta.y / view.zoom]);
        }
    }

    /// The visible node under the pointer of `response`, if any.
    fn hit(&self, visible: &[u32], view: View, response: &Response) -> Option<NominalId> {
        let pointer = response.interact_pointer_pos().or(response.hover_pos())?;
        let mut best: Option<(f32, NominalId)> = None;
        for &i in visible {
            let node = self.rt.nodes[i as usize];
            let d = view.to_screen(self.rt.coords[i as usize]).distance(pointer);
            let reach = self.screen_radius(node.kind).max(4.0);
            if d <= reach && best.is_none_or(|(b, _)| d < b) {
                best = Some((d, node.id));
            }
        }
        best.map(|(_, id)| id)
    }

    /// Node input hit-tested on the background, when too many nodes are visible for widgets.
    fn background_node_input(
        &mut self,
        background: &Response,
        visible: &[u32],
        view: View,
        commands: &mut Vec<ChartCommand>,
    ) {
        if background.drag_started() {
            self.rt.dragging = self.hit(visible, view, background);
        }
        if background.dragged()
            && let Some(id) = self.rt.dragging
        {
            self.drag_by(id, background.drag_delta(), view);
        }
        if background.drag_stopped() {
            self.rt.dragging = None;
        }
        if background.clicked()
            && let Some(id) = self.hit(visible, view, background)
        {
            self.rt.selected = Some(id);
        }
        if background.double_clicked()
            && let Some(id) = self.hit(visible, view, background)
        {
            commands.push(ChartCommand::Expand(id));
        }
        if background.secondary_clicked() {
            self.rt.menu_node = self.hit(visible, view, background);
        }
        background.context_menu(|ui| {
            if let Some(id) = self.rt.menu_node {
                self.node_menu(ui, id, commands);
            } else {
                self.background_menu(ui);
            }
        });
    }

    fn node_menu(&mut self, ui: &mut Ui, id: NominalId, commands: &mut Vec<ChartCommand>) {
        if ui.button("Expand").clicked() {
            commands.push(ChartCommand::Expand(id));
            ui.close();
        }
        let target = self.rt.selected.filter(|&s| s != id);
        if ui
            .add_enabled(target.is_some(), egui::Button::new("Find path to selected"))
            .clicked()
            && let Some(to) = target
        {
            commands.push(ChartCommand::FindPath { from: id, to });
            ui.close();
        }
        if ui.button("Show profile").clicked() {
            commands.push(ChartCommand::ShowProfile(id));
            ui.close();
        }
        let pinned = self.pinned.contains(&id);
        if ui.button(if pinned { "Unpin" } else { "Pin" }).clicked() {
            self.set_pinned(id, !pinned);
            ui.close();
        }
        if ui.button("Hide").clicked() {
            self.hide(id);
            commands.push(ChartCommand::Hide(id));
            ui.close();
        }
    }

    fn background_menu(&mut self, ui: &mut Ui) {
        if ui.button("Fit chart to view").clicked() {
            self.request_fit();
            ui.close();
        }
        if ui
            .add_enabled(
                !self.hidden.is_empty(),
                egui::Button::new(format!("Show {} hidden", self.hidden.len())),
            )
            .clicked()
        {
            self.unhide_all();
            ui.close();
        }
    }

    fn paint(&mut self, ui: &Ui, rect: Rect, view: View, graph: &LinkGraph, widgets: bool) {
        let painter = ui.painter_at(rect);
        painter.rect_filled(rect, 0.0, theme::CHART_BACKGROUND);
        let geometry = &self.rt.geometry;
        let mut stats = FrameStats {
            node_widgets: if widgets { geometry.visible.len() } else { 0 },
            nodes_drawn: geometry.nodes_drawn,
            edges_drawn: geometry.edges_drawn,
            links_sampled: geometry.links_sampled,
            labels_drawn: 0,
            geometry_rebuilt: false,
        };
        // Many links in view (zoomed out, or zoomed into a dense part of a big chart): one mesh
        // of thin quads, without anti-aliasing or arrowheads (that many arrowheads are noise).
        let edge_stroke = Stroke::new(theme::CHART_EDGE_WIDTH, theme::CHART_EDGE);
        if let Some(mesh) = &geometry.edge_mesh {
            painter.add(egui::Shape::Mesh(Arc::clone(mesh)));
        }
        let arrows = self.zoom >= theme::CHART_LABEL_MIN_ZOOM * 0.5;
        for &(sa, sb, index) in &geometry.edge_segments {
            painter.line_segment([sa, sb], edge_stroke);
            let edge = self.rt.edges[index as usize];
            if edge.directed && arrows {
                let radius = self.screen_radius(self.rt.nodes[edge.to as usize].kind);
                arrowhead(&painter, sa, sb, radius, edge_stroke);
            }
        }
        let path_stroke = Stroke::new(theme::CHART_PATH_WIDTH, theme::CHART_PATH);
        for &index in &geometry.highlighted_edges {
            let edge = self.rt.edges[index as usize];
            let sa = view.to_screen(self.rt.coords[edge.from as usize]);
            let sb = view.to_screen(self.rt.coords[edge.to as usize]);
            painter.line_segment([sa, sb], path_stroke);
            if edge.directed {
                let radius = self.screen_radius(self.rt.nodes[edge.to as usize].kind);
                arrowhead(&painter, sa, sb, radius, path_stroke);
            }
        }

        // Small plain nodes zoomed out: squares in one mesh, under the marked nodes.
        if let Some(mesh) = &geometry.dot_mesh {
            painter.add(egui::Shape::Mesh(Arc::clone(mesh)));
        }
        let zoomed_in = self.zoom >= theme::CHART_LABEL_MIN_ZOOM;
        let outline = Stroke::new(1.0, theme::CHART_NODE_OUTLINE);
        let font = egui::FontId::proportional(theme::CHART_LABEL_SIZE);
        for &i in &geometry.shaped_nodes {
            let node = self.rt.nodes[i as usize];
            let centre = view.to_screen(self.rt.coords[i as usize]);
            let (fill, shape, _) = theme::chart_node_style(node.kind);
            let radius = self.screen_radius(node.kind);
            let detailed = radius > 3.0;
            paint_shape(
                &painter,
                shape,
                centre,
                radius,
                fill,
                if detailed { outline } else { Stroke::NONE },
            );
            let mark = (theme::CHART_MARK_WIDTH * self.zoom).clamp(1.0, 6.0);
            let mut ring = radius + mark * 0.5 + 1.0;
            let mut rings: [(bool, Color32, f32); 4] = [
                (node.criminal, theme::CHART_CRIMINAL_MARK, mark),
                (node.ocg, theme::CHART_OCG_MARK, mark),
                (
                    self.rt.highlight_nodes.contains(&node.id),
                    theme::CHART_PATH,
                    theme::CHART_PATH_WIDTH,
                ),
                (
                    self.rt.selected == Some(node.id),
                    theme::CHART_SELECTION,
                    2.5,
                ),
            ];
            for (on, colour, width) in &mut rings {
                if *on {
                    painter.circle_stroke(centre, ring, Stroke::new(*width, *colour));
                    ring += *width + 1.0;
                }
            }
            let marked =
                self.rt.selected == Some(node.id) || self.rt.highlight_nodes.contains(&node.id);
            if zoomed_in
                && (geometry.all_labels || marked)
                && let Some(graph_node) = graph.node(node.id)
            {
                painter.text(
                    pos2(centre.x, centre.y + ring + theme::CHART_LABEL_GAP),
                    egui::Align2::CENTER_TOP,
                    &graph_node.label,
                    font.clone(),
                    theme::CHART_LABEL,
                );
                stats.labels_drawn += 1;
            }
        }
        if geometry.links_sampled {
            painter.text(
                rect.left_bottom() + vec2(8.0, -8.0),
                egui::Align2::LEFT_BOTTOM,
                format!(
                    "Overview: {} of the chart's {} links drawn. Zoom in to see them all.",
                    geometry.edges_drawn,
                    self.rt.edges.len()
                ),
                egui::FontId::proportional(12.0),
                theme::MUTED,
            );
        }
        if self.rt.nodes.is_empty() {
            painter.text(
                rect.center(),
                egui::Align2::CENTER_CENTER,
                "No nominals on this chart",
                egui::FontId::proportional(14.0),
                theme::MUTED,
            );
        }
        self.rt.stats = stats;
    }

    /// Checkboxes for the link types and confidences seen on this chart, and a valid-on date.
    /// Returns whether `filter` changed (the app then rebuilds the graph).
    pub fn filter_ui(&mut self, ui: &mut Ui, filter: &mut GraphFilter) -> bool {
        let mut changed = false;
        ui.label(RichText::new("Link types").strong());
        let mut types = self.rt.link_types.clone();
        types.extend(filter.link_types.iter().flatten().cloned());
        for link_type in &types {
            let mut on = filter
                .link_types
                .as_ref()
                .is_none_or(|set| set.contains(link_type));
            if ui
                .checkbox(&mut on, format!("Link type {link_type}"))
                .changed()
            {
                toggle(&mut filter.link_types, &types, link_type, on);
                changed = true;
            }
        }
        ui.add_space(theme::ITEM_SPACING);
        ui.label(RichText::new("Confidence").strong());
        let mut codes = self.rt.confidences.clone();
        codes.extend(filter.confidences.iter().flatten().cloned());
        for code in &codes {
            let mut on = filter
                .confidences
                .as_ref()
                .is_none_or(|set| set.contains(code));
            if ui.checkbox(&mut on, format!("Confidence {code}")).changed() {
                toggle(&mut filter.confidences, &codes, code, on);
                changed = true;
            }
        }
        ui.add_space(theme::ITEM_SPACING);
        if self.rt.date_text.is_empty()
            && let Some(date) = filter.valid_on
        {
            self.rt.date_text = date.to_string();
        }
        let label = ui.label("Valid on (YYYY-MM-DD)");
        let response = ui
            .add(egui::TextEdit::singleline(&mut self.rt.date_text).desired_width(120.0))
            .labelled_by(label.id);
        if response.changed() {
            let text = self.rt.date_text.trim();
            let parsed = if text.is_empty() {
                Some(None)
            } else {
                text.parse::<IsoDate>().ok().map(Some)
            };
            self.rt.date_error = parsed.is_none();
            if let Some(date) = parsed
                && date != filter.valid_on
            {
                filter.valid_on = date;
                changed = true;
            }
        }
        if self.rt.date_error {
            ui.colored_label(theme::DANGER, "Not a date: write YYYY-MM-DD");
        }
        changed
    }
}

/// Turns one value of an "all when `None`" set on or off.
fn toggle(set: &mut Option<BTreeSet<String>>, all: &BTreeSet<String>, value: &str, on: bool) {
    let mut current = set.clone().unwrap_or_else(|| all.clone());
    if on {
        current.insert(value.to_owned());
    } else {
        current.remove(value);
    }
    *set = if all.is_subset(&current) {
        None
    } else {
        Some(current)
    };
}

fn paint_shape(
    painter: &egui::Painter,
    shape: NodeShape,
    centre: Pos2,
    radius: f32,
    fill: Color32,
    outline: Stroke,
) {
    match shape {
        NodeShape::Circle => {
            painter.circle(centre, radius, fill, outline);
        }
        NodeShape::Square => {
            let rect = Rect::from_center_size(centre, Vec2::splat(radius * 1.7));
            painter.rect(rect, 0.0, fill, outline, egui::StrokeKind::Middle);
        }
        NodeShape::Diamond => {
            let r = radius * 1.15;
            painter.add(egui::Shape::convex_polygon(
                vec![
                    centre + vec2(0.0, -r),
                    centre + vec2(r, 0.0),
                    centre + vec2(0.0, r),
                    centre + vec2(-r, 0.0),
                ],
                fill,
                outline,
            ));
        }
    }
}

/// Two short lines at the target end of a directed link, stopping at the node's edge.
fn arrowhead(painter: &egui::Painter, from: Pos2, to: Pos2, radius: f32, stroke: Stroke) {
    let along = to - from;
    let length = along.length();
    if length <= radius + 1.0 {
        return;
    }
    let dir = along / length;
    let tip = to - dir * (radius + 1.0);
    let back = -dir * theme::CHART_ARROW_LENGTH;
    let side = vec2(-dir.y, dir.x) * theme::CHART_ARROW_LENGTH * 0.45;
    painter.line_segment([tip, tip + back + side], stroke);
    painter.line_segment([tip, tip + back - side], stroke);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toggling_every_value_back_on_means_all() {
        let all: BTreeSet<String> = ["a", "b"].into_iter().map(String::from).collect();
        let mut set = None;
        toggle(&mut set, &all, "a", false);
        assert_eq!(set, Some(["b".to_owned()].into_iter().collect()));
        toggle(&mut set, &all, "a", true);
        assert_eq!(set, None);
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
