//! Drawing the chart: links (bundled past a budget), arrowheads, node shapes and labels, in one
//! pass over what is visible.

use super::{
    Arc, Color32, FrameStats, LinkChart, LinkGraph, NodeShape, Pos2, Rect, Stroke, Ui, Vec2, View,
    pos2, theme, vec2,
};

/// A link's words at its middle on a patch of background, only where the link is long enough
/// to carry them. Returns whether they were drawn.
fn paint_link_label(
    painter: &egui::Painter,
    sa: Pos2,
    sb: Pos2,
    text: String,
    font: &egui::FontId,
) -> bool {
    let galley = painter.layout_no_wrap(text, font.clone(), theme::MUTED);
    if (sb - sa).length() <= galley.size().x + 30.0 {
        return false;
    }
    let at = sa + (sb - sa) * 0.5 - galley.size() * 0.5;
    painter.rect_filled(
        Rect::from_min_size(at, galley.size()).expand(1.0),
        2.0,
        theme::CHART_BACKGROUND,
    );
    painter.galley(at, galley, theme::MUTED);
    true
}

impl LinkChart {
    /// A link type in words (the reference data's label), or its code when it has none.
    fn link_type_in_words(&self, link_type: u16) -> &str {
        self.rt
            .type_codes
            .get(usize::from(link_type))
            .map_or("", |code| {
                self.rt
                    .link_type_words
                    .get(code)
                    .map_or(code.as_str(), String::as_str)
            })
    }

    /// The links drawn one by one: bundled when parallel, dashed when weak, with arrowheads
    /// and, close in on few, their type in words.
    fn paint_link_segments(&self, painter: &egui::Painter, stats: &mut FrameStats) {
        let geometry = &self.rt.geometry;
        let edge_stroke = Stroke::new(theme::CHART_EDGE_WIDTH, theme::CHART_EDGE);
        let arrows = self.zoom >= theme::CHART_LABEL_MIN_ZOOM * 0.5;
        // Close in on few links: each says its type, in words, at its middle.
        let link_labels = self.zoom >= theme::CHART_LABEL_MIN_ZOOM
            && geometry.edge_segments.len() <= super::MAX_LINK_LABELS;
        let link_font = egui::FontId::proportional(theme::CHART_LINK_LABEL_SIZE);
        // Parallel links (several between the same two nominals) are drawn as one line that
        // says how many: solid if any of them is confirmed or probable, in words if they share a
        // type, "N links" if not.
        let mut bundles: std::collections::HashMap<(u32, u32), Bundle> =
            std::collections::HashMap::with_capacity(geometry.edge_segments.len());
        for &(_, _, index) in &geometry.edge_segments {
            let edge = self.rt.edges[index as usize];
            bundles
                .entry((edge.from.min(edge.to), edge.from.max(edge.to)))
                .and_modify(|b| {
                    b.count += 1;
                    b.weak &= edge.weak;
                    b.mixed |= b.link_type != edge.link_type;
                })
                .or_insert(Bundle {
                    first: index,
                    count: 1,
                    weak: edge.weak,
                    link_type: edge.link_type,
                    mixed: false,
                });
        }
        for &(sa, sb, index) in &geometry.edge_segments {
            let edge = self.rt.edges[index as usize];
            let Some(bundle) = bundles.get(&(edge.from.min(edge.to), edge.from.max(edge.to)))
            else {
                continue;
            };
            if bundle.first != index {
                stats.bundled_links += 1;
                continue;
            }
            if bundle.weak {
                painter.extend(egui::Shape::dashed_line(&[sa, sb], edge_stroke, 5.0, 4.0));
                stats.dashed_links_drawn += 1;
            } else {
                painter.line_segment([sa, sb], edge_stroke);
            }
            if edge.directed && arrows {
                let radius = self.rt.nodes[edge.to as usize].radius(self.zoom);
                arrowhead(painter, sa, sb, radius, edge_stroke);
            }
            if link_labels {
                let words = self.link_type_in_words(edge.link_type);
                let text = match (bundle.count, bundle.mixed) {
                    (1, _) => format!("{words}{}", edge.dates_in_words()),
                    (n, false) => format!("{words} \u{d7}{n}"),
                    (n, true) => format!("{n} links"),
                };
                if paint_link_label(painter, sa, sb, text, &link_font) {
                    stats.link_labels_drawn += 1;
                }
            }
        }
    }

    pub(super) fn paint(
        &mut self,
        ui: &Ui,
        rect: Rect,
        view: View,
        graph: &LinkGraph,
        widgets: bool,
    ) {
        let painter = ui.painter_at(rect);
        painter.rect_filled(rect, 0.0, theme::CHART_BACKGROUND);
        let geometry = &self.rt.geometry;
        let mut stats = FrameStats {
            node_widgets: if widgets { geometry.visible.len() } else { 0 },
            nodes_drawn: geometry.nodes_drawn,
            edges_drawn: geometry.edges_drawn,
            links_sampled: geometry.links_sampled,
            labels_drawn: 0,
            link_labels_drawn: 0,
            dashed_links_drawn: 0,
            bundled_links: 0,
            geometry_rebuilt: false,
        };
        // Many links in view (zoomed out, or zoomed into a dense part of a big chart): one mesh
        // of thin quads, without anti-aliasing or arrowheads (that many arrowheads are noise).
        if let Some(mesh) = &geometry.edge_mesh {
            painter.add(egui::Shape::Mesh(Arc::clone(mesh)));
        }
        self.paint_groups(&painter, view);
        self.paint_link_segments(&painter, &mut stats);
        let path_stroke = Stroke::new(theme::CHART_PATH_WIDTH, theme::CHART_PATH);
        let path_font = egui::FontId::proportional(theme::CHART_LINK_LABEL_SIZE);
        for &index in &geometry.highlighted_edges {
            let edge = self.rt.edges[index as usize];
            let sa = view.to_screen(self.rt.coords[edge.from as usize]);
            let sb = view.to_screen(self.rt.coords[edge.to as usize]);
            painter.line_segment([sa, sb], path_stroke);
            if edge.directed {
                let radius = self.rt.nodes[edge.to as usize].radius(self.zoom);
                arrowhead(&painter, sa, sb, radius, path_stroke);
            }
            // The path's links say what they are at any zoom where their words fit.
            let text = format!(
                "{}{}",
                self.link_type_in_words(edge.link_type),
                edge.dates_in_words()
            );
            if paint_link_label(&painter, sa, sb, text, &path_font) {
                stats.link_labels_drawn += 1;
            }
        }

        // Small plain nodes zoomed out: squares in one mesh, under the marked nodes.
        if let Some(mesh) = &geometry.dot_mesh {
            painter.add(egui::Shape::Mesh(Arc::clone(mesh)));
        }
        let zoomed_in = self.zoom >= theme::CHART_LABEL_MIN_ZOOM;
        let mut labels: Vec<(u8, crate::domain::NominalId, Pos2)> = Vec::new();
        let outline = Stroke::new(1.0, theme::CHART_NODE_OUTLINE);
        let font = egui::FontId::proportional(theme::CHART_LABEL_SIZE);
        for &i in &geometry.shaped_nodes {
            let node = self.rt.nodes[i as usize];
            let centre = view.to_screen(self.rt.coords[i as usize]);
            let (_, shape, _) = theme::chart_node_style(node.kind);
            let fill = node.fill;
            let radius = node.radius(self.zoom);
            let detailed = radius > 3.0;
            paint_shape(
                &painter,
                shape,
                centre,
                radius,
                fill,
                if detailed { outline } else { Stroke::NONE },
            );
            if radius >= crate::graph::chart_style::ICON_MIN_RADIUS {
                paint_icon(&painter, node.icon, shape, centre, radius);
            }
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
                    self.rt.selection.contains(&node.id),
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
            if node.markers != 0 && radius >= super::formatting::MARKER_MIN_RADIUS {
                super::formatting::paint_markers(&painter, node.markers, centre, radius);
            }
            // Every label close in on few nodes; the selected, the highlighted and the most
            // central at every zoom.
            let priority = if self.rt.selection.contains(&node.id) {
                0
            } else if self.rt.highlight_nodes.contains(&node.id) {
                1
            } else if node.prominent {
                2
            } else {
                3
            };
            if zoomed_in && geometry.all_labels || priority < 3 {
                labels.push((
                    priority,
                    node.id,
                    pos2(centre.x, centre.y + ring + theme::CHART_LABEL_GAP),
                ));
            }
        }
        // Labels after every node, so none is drawn over. Close in every one is drawn; further
        // out only those that do not cover one drawn before them, the selected first.
        let crowded = !(zoomed_in && geometry.all_labels);
        labels.sort_by_key(|&(priority, id, _)| (priority, id));
        let mut taken: Vec<Rect> = Vec::new();
        for (_, id, at) in labels {
            let Some(graph_node) = graph.node(id) else {
                continue;
            };
            let galley =
                painter.layout_no_wrap(graph_node.label.clone(), font.clone(), theme::CHART_LABEL);
            let label_rect =
                Rect::from_min_size(pos2(at.x - galley.size().x / 2.0, at.y), galley.size());
            if crowded && taken.iter().any(|r| r.intersects(label_rect)) {
                continue;
            }
            if crowded {
                taken.push(label_rect);
            }
            painter.galley(label_rect.min, galley, theme::CHART_LABEL);
            stats.labels_drawn += 1;
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
}

/// A kind's icon inside its node: white vector shapes from [`crate::graph::chart_style::icon`],
/// the same the exported picture draws.
pub(super) fn paint_icon(
    painter: &egui::Painter,
    parts: &[crate::graph::chart_style::IconPart],
    shape: NodeShape,
    centre: Pos2,
    radius: f32,
) {
    use crate::graph::chart_style::{self as style, IconPart};
    let unit = radius * style::icon_scale(shape);
    let colour = Color32::from_rgb(style::ICON[0], style::ICON[1], style::ICON[2]);
    for part in parts {
        match *part {
            IconPart::Circle {
                centre: c,
                radius: r,
            } => {
                painter.circle_filled(centre + vec2(c[0], c[1]) * unit, r * unit, colour);
            }
            IconPart::Polygon(points) => {
                painter.add(egui::Shape::convex_polygon(
                    points
                        .iter()
                        .map(|p| centre + vec2(p[0], p[1]) * unit)
                        .collect(),
                    colour,
                    Stroke::NONE,
                ));
            }
        }
    }
}

pub(super) fn paint_shape(
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
pub(super) fn arrowhead(
    painter: &egui::Painter,
    from: Pos2,
    to: Pos2,
    radius: f32,
    stroke: Stroke,
) {
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

/// Links between the same two nominals, drawn as one.
#[derive(Debug, Clone, Copy)]
struct Bundle {
    /// The link drawn for them all (the first in view).
    first: u32,
    count: u32,
    /// Every one of them possible or doubtful.
    weak: bool,
    link_type: u16,
    /// Not all of one type.
    mixed: bool,
}
