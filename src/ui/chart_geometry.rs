//! What the link chart puts on screen for one view: the visible nodes, the links in view, and
//! (when there are many) the plain ones already batched into one mesh each. It is built again
//! only when the positions, the view or the marks change. Between those (a settled chart, or
//! the frames between two layout snapshots of a big one) a frame reuses it, and the meshes go to
//! egui as shared pointers rather than being rebuilt from half a million links.

use super::theme;
use crate::domain::{LinkId, NominalId, NominalKind};
use crate::graph::communities::splitmix64;
use egui::{Mesh, Pos2, Rect, Stroke, Vec2, vec2};
use std::collections::{BTreeSet, HashSet};
use std::sync::Arc;

/// Above this many links in view (or plain nodes, zoomed out below the label zoom), they are
/// drawn as one mesh: tessellating that many shapes one by one costs several times as much.
pub(super) const BATCH_EDGES_ABOVE: usize = 3_000;

/// At most this many plain links are drawn at once. Beyond it (a big chart zoomed out) a stable
/// sample of them is drawn, and the chart says so: half a million one-point lines are a grey
/// field that costs a tenth of a second a frame to tessellate and upload, where fifty thousand
/// show the same structure at frame rate. The chart keeps its links in [`link_rank`] order, so
/// the sample is the first links in view in that order: the same links frame after frame, and
/// zooming in only adds links. Zooming in far enough draws every link again.
pub const MAX_DRAWN_EDGES: usize = 50_000;

/// Labels are drawn while at most this many nodes are visible; beyond it only marked nodes
/// (selected, on the highlighted path) keep theirs. More labels than this overlap on any
/// screen, and each costs a text layout per frame.
pub const MAX_LABELS: usize = 1_500;

/// A link's place in the sample drawn when there are too many: a hash of its id (one
/// `SplitMix64` step, as the graph's seeded samples use), so the sample is spread evenly over
/// the chart and does not depend on the order links were loaded in.
pub(super) fn link_rank(link: LinkId) -> u64 {
    #[expect(
        clippy::cast_sign_loss,
        reason = "the id's bits are hashed, not its value"
    )]
    let mut state = link.0 as u64;
    splitmix64(&mut state) >> 32
}

/// A node as the chart keeps it: what drawing needs, without the label.
#[derive(Debug, Clone, Copy)]
pub(super) struct CachedNode {
    pub id: NominalId,
    pub kind: NominalKind,
    pub ocg: bool,
    pub criminal: bool,
    /// Size as a multiple of the kind's (conditional formatting; 1 by default).
    pub scale: f32,
    /// Fill colour (the kind's unless the chart is coloured by something else).
    pub fill: egui::Color32,
    /// Markers by `NodeMarker::bit`.
    pub markers: u8,
    /// Among the most central: labelled at every zoom.
    pub prominent: bool,
    /// The icon drawn inside it (an employee's by whether they are police staff).
    pub icon: &'static [crate::graph::chart_style::IconPart],
}

impl CachedNode {
    /// The node's radius on screen at `zoom`.
    pub fn radius(&self, zoom: f32) -> f32 {
        (screen_radius(self.kind, zoom) * self.scale).max(theme::CHART_MIN_NODE_RADIUS)
    }

    /// Selected or on the highlighted path: always drawn as a shape with its rings.
    fn is_marked(&self, marks: &Marks<'_>) -> bool {
        self.prominent
            || marks.selection.contains(&self.id)
            || marks.highlight_nodes.contains(&self.id)
    }
}

/// A link as the chart keeps it: its ends by index into the cached nodes.
#[derive(Debug, Clone, Copy)]
pub(super) struct CachedEdge {
    pub from: u32,
    pub to: u32,
    pub link: LinkId,
    pub directed: bool,
    /// The link type, by its place in the chart's list of type codes.
    pub link_type: u16,
    /// Graded possible or doubtful: drawn dashed.
    pub weak: bool,
    /// When the link began and ended, if known (said on its label).
    pub valid_from: Option<crate::domain::IsoDate>,
    pub valid_to: Option<crate::domain::IsoDate>,
}

impl CachedEdge {
    /// The link's dates in words for its label: ", 2024-01-01 to 2025-03-01", ", from …",
    /// ", until …", or nothing.
    pub fn dates_in_words(&self) -> String {
        match (self.valid_from, self.valid_to) {
            (Some(from), Some(to)) => format!(", {from} to {to}"),
            (Some(from), None) => format!(", from {from}"),
            (None, Some(to)) => format!(", until {to}"),
            (None, None) => String::new(),
        }
    }
}

/// World-to-screen transform of one frame.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct View {
    pub origin: Pos2,
    pub zoom: f32,
}

impl View {
    pub fn to_screen(self, p: [f32; 2]) -> Pos2 {
        self.origin + vec2(p[0], p[1]) * self.zoom
    }

    pub fn to_world(self, s: Pos2) -> [f32; 2] {
        let v = (s - self.origin) / self.zoom;
        [v.x, v.y]
    }
}

/// A node's radius on screen at `zoom`, in screen points: its kind's size from zoom 1 inwards
/// (zooming in spreads the chart out, it does not blow the nodes up), shrinking to a dot as the
/// chart zooms out, never smaller than can be seen.
pub(super) fn screen_radius(kind: NominalKind, zoom: f32) -> f32 {
    let full = theme::chart_node_style(kind).2;
    (full * zoom.min(1.0)).max(theme::CHART_MIN_NODE_RADIUS)
}

/// The selection and the highlighted path: nodes and links marked out of the batches.
#[derive(Debug, Clone, Copy)]
pub(super) struct Marks<'a> {
    pub selection: &'a BTreeSet<NominalId>,
    pub highlight_nodes: &'a HashSet<NominalId>,
    pub highlight_links: &'a HashSet<LinkId>,
    /// The links of the highlighted path, by index into the cached links.
    pub highlight_edges: &'a [u32],
}

/// What a geometry was built from. `coords` and `marks` are counters the chart bumps whenever
/// positions or marks change, so comparing keys costs nothing.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct GeometryKey {
    pub coords: u64,
    pub marks: u64,
    pub selected: Option<NominalId>,
    pub view: View,
    pub rect: Rect,
}

/// The chart's geometry for one key.
#[derive(Debug, Default)]
pub(super) struct ChartGeometry {
    key: Option<GeometryKey>,
    /// Nodes in view (with a margin for radii and labels), by index into the cached nodes.
    pub visible: Vec<u32>,
    /// The plain links in view, in one mesh, when there are many.
    pub edge_mesh: Option<Arc<Mesh>>,
    /// The plain links in view, one by one (screen ends and index), when there are few.
    pub edge_segments: Vec<(Pos2, Pos2, u32)>,
    /// Links on the highlighted path that are in view, by index.
    pub highlighted_edges: Vec<u32>,
    /// Small plain nodes in one mesh, when zoomed out on many.
    pub dot_mesh: Option<Arc<Mesh>>,
    /// Visible nodes drawn as shapes (all of them unless there is a dot mesh).
    pub shaped_nodes: Vec<u32>,
    /// Links and nodes drawn.
    pub edges_drawn: usize,
    pub nodes_drawn: usize,
    /// Whether more links were in view than drawn (see [`MAX_DRAWN_EDGES`]).
    pub links_sampled: bool,
    /// Whether every visible node may carry its label (zoomed in enough, few enough nodes).
    pub all_labels: bool,
}

impl ChartGeometry {
    /// Whether this geometry was built for `key`.
    pub fn is_current(&self, key: &GeometryKey) -> bool {
        self.key.as_ref() == Some(key)
    }

    /// Builds the geometry for `key` from the cached nodes, their positions and the links.
    pub fn rebuild(
        &mut self,
        key: GeometryKey,
        nodes: &[CachedNode],
        coords: &[[f32; 2]],
        edges: &[CachedEdge],
        marks: &Marks<'_>,
    ) {
        let view = key.view;
        let rect = key.rect;
        // Culling: nodes in view, with a margin for radii and labels.
        let margin = 30.0;
        let lo = view.to_world(rect.min - vec2(margin, margin));
        let hi = view.to_world(rect.max + vec2(margin, margin));
        self.visible.clear();
        for (i, p) in coords.iter().enumerate() {
            if p[0] >= lo[0] && p[0] <= hi[0] && p[1] >= lo[1] && p[1] <= hi[1] {
                #[expect(clippy::cast_possible_truncation, reason = "node counts fit u32")]
                self.visible.push(i as u32);
            }
        }

        // Links in view: culled by bounding box; those shorter than a point are not worth
        // drawing. The links come in rank order: the first MAX_DRAWN_EDGES in view are the sample.
        let clip = rect.expand(2.0);
        let check_highlight = !marks.highlight_links.is_empty();
        self.highlighted_edges.clear();
        self.edge_segments.clear();
        self.links_sampled = false;
        let in_view = |edge: &CachedEdge| -> Option<(Pos2, Pos2)> {
            let a = coords[edge.from as usize];
            let b = coords[edge.to as usize];
            if a[0].is_nan() || b[0].is_nan() {
                return None;
            }
            let (sa, sb) = (view.to_screen(a), view.to_screen(b));
            (Rect::from_two_pos(sa, sb).intersects(clip) && (sa - sb).length_sq() >= 1.0)
                .then_some((sa, sb))
        };
        for (index, edge) in edges.iter().enumerate() {
            if check_highlight && marks.highlight_links.contains(&edge.link) {
                continue;
            }
            if let Some((sa, sb)) = in_view(edge) {
                if self.edge_segments.len() == MAX_DRAWN_EDGES {
                    self.links_sampled = true;
                    break;
                }
                #[expect(clippy::cast_possible_truncation, reason = "link counts fit u32")]
                self.edge_segments.push((sa, sb, index as u32));
            }
        }
        for &index in marks.highlight_edges {
            if edges.get(index as usize).and_then(in_view).is_some() {
                self.highlighted_edges.push(index);
            }
        }
        self.edges_drawn = self.edge_segments.len() + self.highlighted_edges.len();
        // The meshes' memory is reused: by the next rebuild egui has let go of them.
        let mut edge_mesh = reusable(self.edge_mesh.take());
        let mut dot_mesh = reusable(self.dot_mesh.take());
        if self.edge_segments.len() > BATCH_EDGES_ABOVE {
            let stroke = Stroke::new(theme::CHART_EDGE_WIDTH, theme::CHART_EDGE);
            edge_mesh.reserve_vertices(self.edge_segments.len() * 4);
            edge_mesh.reserve_triangles(self.edge_segments.len() * 2);
            for &(sa, sb, _) in &self.edge_segments {
                push_segment(&mut edge_mesh, sa, sb, stroke);
            }
            self.edge_segments.clear();
            self.edge_mesh = Some(Arc::new(edge_mesh));
        }

        // Nodes: many small plain ones zoomed out go into one mesh of squares; a tessellated
        // circle each cost as much as all the links together.
        self.all_labels =
            view.zoom >= theme::CHART_LABEL_MIN_ZOOM && self.visible.len() <= MAX_LABELS;
        self.shaped_nodes.clear();
        self.nodes_drawn = self.visible.len();
        if self.visible.len() > BATCH_EDGES_ABOVE && !self.all_labels {
            let mesh = &mut dot_mesh;
            mesh.reserve_vertices(self.visible.len() * 4);
            mesh.reserve_triangles(self.visible.len() * 2);
            for &i in &self.visible {
                let node = nodes[i as usize];
                let radius = node.radius(view.zoom);
                if radius > 3.0 || node.is_marked(marks) {
                    self.shaped_nodes.push(i);
                    continue;
                }
                let centre = view.to_screen(coords[i as usize]);
                // A criminal or OCG flag shows as a square of its colour around the node, as
                // the ring does on a node drawn as a shape.
                let flag = if node.criminal {
                    Some(theme::CHART_CRIMINAL_MARK)
                } else if node.ocg {
                    Some(theme::CHART_OCG_MARK)
                } else {
                    None
                };
                if let Some(colour) = flag {
                    mesh.add_colored_rect(
                        Rect::from_center_size(centre, Vec2::splat(radius * 2.0 + 3.0)),
                        colour,
                    );
                }
                mesh.add_colored_rect(
                    Rect::from_center_size(centre, Vec2::splat(radius * 2.0)),
                    node.fill,
                );
            }
            self.dot_mesh = Some(Arc::new(dot_mesh));
        } else {
            self.shaped_nodes.extend_from_slice(&self.visible);
        }
        self.key = Some(key);
    }
}

/// The mesh of a previous geometry, emptied, if nothing else holds it; else a new one.
fn reusable(mesh: Option<Arc<Mesh>>) -> Mesh {
    let mut mesh = mesh
        .and_then(|mesh| Arc::try_unwrap(mesh).ok())
        .unwrap_or_default();
    mesh.clear();
    mesh
}

/// A line as a quad in `mesh`.
fn push_segment(mesh: &mut Mesh, a: Pos2, b: Pos2, stroke: Stroke) {
    let along = b - a;
    let length = along.length();
    if length <= f32::EPSILON {
        return;
    }
    let normal = vec2(-along.y, along.x) / length * (stroke.width * 0.5);
    #[expect(
        clippy::cast_possible_truncation,
        reason = "egui meshes index with u32"
    )]
    let base = mesh.vertices.len() as u32;
    for p in [a + normal, a - normal, b - normal, b + normal] {
        mesh.colored_vertex(p, stroke.color);
    }
    mesh.add_triangle(base, base + 1, base + 2);
    mesh.add_triangle(base, base + 2, base + 3);
}
