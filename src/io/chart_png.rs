//! A link chart as a PNG, drawn on the CPU with tiny-skia: exports and reports must work on a
//! machine with no GPU and no window, and the library writes them (the command line as well as
//! the GUI). Colours, shapes and marks are the chart's own style (`graph::chart_style`, which
//! the screen's theme uses too), so the picture matches the screen; labels are drawn with the
//! font egui ships (Ubuntu Light), its glyph outlines read by skrifa.

use crate::domain::{LinkId, NominalId, NominalKind};
use crate::graph::chart_style::{self as style, NodeShape, Rgb};
use crate::graph::{GraphPath, LinkGraph};
use skrifa::MetadataProvider;
use skrifa::instance::{LocationRef, Size};
use skrifa::outline::{DrawSettings, OutlinePen};
use std::collections::{HashMap, HashSet};
use std::hash::BuildHasher;
use tiny_skia::{FillRule, Paint, PathBuilder, Pixmap, Stroke, Transform};

/// Largest side of an export, in pixels (a 16k square is a gigabyte of RGBA).
pub const MAX_EXPORT_SIDE: u32 = 8_192;
/// A small chart is not blown up beyond this (pixels per world unit).
const EXPORT_MAX_ZOOM: f32 = 1.5;
/// Labels are drawn only when nodes are at least this big (pixels), as on screen.
const LABEL_MIN_RADIUS: f32 = 5.0;

/// Why a chart could not be exported.
#[derive(Debug, thiserror::Error)]
pub enum ChartPngError {
    #[error("an export must be between 1 and {MAX_EXPORT_SIDE} pixels a side, not {0}x{1}")]
    BadSize(u32, u32),
    #[error("could not encode the PNG: {0}")]
    Encode(#[from] image::ImageError),
}

/// Draws `graph` at `positions` (world units; nodes without a position are left out) fitted
/// into `size_px`, with `highlighted` drawn as on screen, and encodes it as PNG.
pub fn render_png<S: BuildHasher>(
    graph: &LinkGraph,
    positions: &HashMap<NominalId, [f32; 2], S>,
    highlighted: Option<&GraphPath>,
    size_px: (u32, u32),
) -> Result<Vec<u8>, ChartPngError> {
    let (width, height) = size_px;
    if width == 0 || height == 0 || width > MAX_EXPORT_SIDE || height > MAX_EXPORT_SIDE {
        return Err(ChartPngError::BadSize(width, height));
    }
    let mut pixmap = Pixmap::new(width, height).ok_or(ChartPngError::BadSize(width, height))?;
    pixmap.fill(colour(style::BACKGROUND));
    let transform = fit(graph, positions, width, height);
    let path_nodes: HashSet<NominalId> = highlighted
        .map(|p| p.nodes.iter().copied().collect())
        .unwrap_or_default();
    let path_links: HashSet<LinkId> = highlighted
        .map(|p| p.links.iter().copied().collect())
        .unwrap_or_default();
    let zoom = transform.zoom;

    let edge = paint(style::EDGE);
    let edge_stroke = Stroke {
        width: style::EDGE_WIDTH,
        ..Stroke::default()
    };
    let path_paint = paint(style::PATH);
    let path_stroke = Stroke {
        width: style::PATH_WIDTH,
        ..Stroke::default()
    };
    // Highlighted links last, so they are on top.
    for on_path in [false, true] {
        let mut builder = PathBuilder::new();
        for e in graph.edges() {
            if path_links.contains(&e.link) != on_path {
                continue;
            }
            let (Some(a), Some(b)) = (positions.get(&e.from), positions.get(&e.to)) else {
                continue;
            };
            let (a, b) = (transform.apply(*a), transform.apply(*b));
            builder.move_to(a[0], a[1]);
            builder.line_to(b[0], b[1]);
            if e.directed
                && let Some(to) = graph.node(e.to)
            {
                let radius = node_radius(style::node_style(to.kind).2, zoom);
                arrowhead(&mut builder, a, b, radius);
            }
        }
        if let Some(path) = builder.finish() {
            let (p, s) = if on_path {
                (&path_paint, &path_stroke)
            } else {
                (&edge, &edge_stroke)
            };
            pixmap.stroke_path(&path, p, s, Transform::identity(), None);
        }
    }

    let font = skrifa::FontRef::new(epaint_default_fonts::UBUNTU_LIGHT).ok();
    let outline = Stroke {
        width: 1.0,
        ..Stroke::default()
    };
    for node in graph.nodes() {
        let Some(p) = positions.get(&node.id) else {
            continue;
        };
        let [x, y] = transform.apply(*p);
        let (fill, shape, world_radius) = style::node_style(node.kind);
        let radius = node_radius(world_radius, zoom);
        if let Some(path) = shape_path(shape, x, y, radius) {
            pixmap.fill_path(
                &path,
                &paint(fill),
                FillRule::Winding,
                Transform::identity(),
                None,
            );
            if radius > 3.0 {
                pixmap.stroke_path(
                    &path,
                    &paint(style::NODE_OUTLINE),
                    &outline,
                    Transform::identity(),
                    None,
                );
            }
            if radius >= style::ICON_MIN_RADIUS {
                draw_icon(&mut pixmap, node.kind, shape, x, y, radius);
            }
        }
        let mark = (style::MARK_WIDTH * zoom).clamp(1.0, 6.0);
        let mut ring = radius + mark * 0.5 + 1.0;
        for (on, ring_colour, ring_width) in [
            (node.criminal, style::CRIMINAL_MARK, mark),
            (node.ocg, style::OCG_MARK, mark),
            (
                path_nodes.contains(&node.id),
                style::PATH,
                style::PATH_WIDTH,
            ),
        ] {
            if on && let Some(circle) = PathBuilder::from_circle(x, y, ring) {
                let stroke = Stroke {
                    width: ring_width,
                    ..Stroke::default()
                };
                pixmap.stroke_path(
                    &circle,
                    &paint(ring_colour),
                    &stroke,
                    Transform::identity(),
                    None,
                );
                ring += ring_width + 1.0;
            }
        }
        if radius >= LABEL_MIN_RADIUS
            && let Some(font) = &font
        {
            draw_label(
                &mut pixmap,
                font,
                &node.label,
                x,
                y + ring + style::LABEL_GAP,
            );
        }
    }

    let image = image::RgbaImage::from_raw(width, height, unpremultiply(pixmap.take()))
        .ok_or(ChartPngError::BadSize(width, height))?;
    let mut png = Vec::new();
    image.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)?;
    Ok(png)
}

/// World to pixels: the chart's bounding box fitted into the image with a margin.
#[derive(Debug, Clone, Copy)]
struct Fit {
    zoom: f32,
    offset: [f32; 2],
}

impl Fit {
    fn apply(self, p: [f32; 2]) -> [f32; 2] {
        [
            p[0] * self.zoom + self.offset[0],
            p[1] * self.zoom + self.offset[1],
        ]
    }
}

#[expect(clippy::cast_precision_loss, reason = "image sides are at most 8192")]
fn fit<S: BuildHasher>(
    graph: &LinkGraph,
    positions: &HashMap<NominalId, [f32; 2], S>,
    w: u32,
    h: u32,
) -> Fit {
    let mut min = [f32::INFINITY; 2];
    let mut max = [f32::NEG_INFINITY; 2];
    for node in graph.nodes() {
        if let Some(p) = positions.get(&node.id) {
            for axis in 0..2 {
                min[axis] = min[axis].min(p[axis]);
                max[axis] = max[axis].max(p[axis]);
            }
        }
    }
    let (w, h) = (w as f32, h as f32);
    if min[0] > max[0] {
        return Fit {
            zoom: 1.0,
            offset: [w / 2.0, h / 2.0],
        };
    }
    // Room for the largest node, its rings and a label.
    let margin = (w.min(h) * 0.12).clamp(4.0, 80.0);
    let span = [(max[0] - min[0]).max(1.0), (max[1] - min[1]).max(1.0)];
    let zoom = ((w - 2.0 * margin) / span[0])
        .min((h - 2.0 * margin) / span[1])
        .clamp(style::MIN_ZOOM, EXPORT_MAX_ZOOM);
    let centre = [f32::midpoint(min[0], max[0]), f32::midpoint(min[1], max[1])];
    Fit {
        zoom,
        offset: [w / 2.0 - centre[0] * zoom, h / 2.0 - centre[1] * zoom],
    }
}

fn node_radius(world_radius: f32, zoom: f32) -> f32 {
    (world_radius * zoom).max(style::MIN_NODE_RADIUS)
}

fn colour(c: Rgb) -> tiny_skia::Color {
    tiny_skia::Color::from_rgba8(c[0], c[1], c[2], 255)
}

fn paint(c: Rgb) -> Paint<'static> {
    let mut paint = Paint::default();
    paint.set_color(colour(c));
    paint.anti_alias = true;
    paint
}

/// A kind's icon inside its node, from the shapes the screen draws ([`style::icon`]).
fn draw_icon(
    pixmap: &mut Pixmap,
    kind: NominalKind,
    shape: NodeShape,
    x: f32,
    y: f32,
    radius: f32,
) {
    let unit = radius * style::icon_scale(shape);
    let mut builder = PathBuilder::new();
    for part in style::icon(kind) {
        match *part {
            style::IconPart::Circle { centre, radius } => {
                builder.push_circle(x + centre[0] * unit, y + centre[1] * unit, radius * unit);
            }
            style::IconPart::Polygon(points) => {
                for (index, p) in points.iter().enumerate() {
                    let (px, py) = (x + p[0] * unit, y + p[1] * unit);
                    if index == 0 {
                        builder.move_to(px, py);
                    } else {
                        builder.line_to(px, py);
                    }
                }
                builder.close();
            }
        }
    }
    if let Some(path) = builder.finish() {
        pixmap.fill_path(
            &path,
            &paint(style::ICON),
            FillRule::Winding,
            Transform::identity(),
            None,
        );
    }
}

fn shape_path(shape: NodeShape, x: f32, y: f32, radius: f32) -> Option<tiny_skia::Path> {
    match shape {
        NodeShape::Circle => PathBuilder::from_circle(x, y, radius),
        NodeShape::Square => {
            let half = radius * 0.85;
            tiny_skia::Rect::from_ltrb(x - half, y - half, x + half, y + half)
                .map(PathBuilder::from_rect)
        }
        NodeShape::Diamond => {
            let r = radius * 1.15;
            let mut builder = PathBuilder::new();
            builder.move_to(x, y - r);
            builder.line_to(x + r, y);
            builder.line_to(x, y + r);
            builder.line_to(x - r, y);
            builder.close();
            builder.finish()
        }
    }
}

fn arrowhead(builder: &mut PathBuilder, from: [f32; 2], to: [f32; 2], radius: f32) {
    let along = [to[0] - from[0], to[1] - from[1]];
    let length = along[0].hypot(along[1]);
    if length <= radius + 1.0 {
        return;
    }
    let dir = [along[0] / length, along[1] / length];
    let tip = [
        to[0] - dir[0] * (radius + 1.0),
        to[1] - dir[1] * (radius + 1.0),
    ];
    let l = style::ARROW_LENGTH;
    let side = [-dir[1] * l * 0.45, dir[0] * l * 0.45];
    for sign in [1.0, -1.0] {
        builder.move_to(tip[0], tip[1]);
        builder.line_to(
            tip[0] - dir[0] * l + sign * side[0],
            tip[1] - dir[1] * l + sign * side[1],
        );
    }
}

/// Collects glyph outlines into a tiny-skia path, flipping the font's y-up coordinates and
/// moving them to the pen position.
struct GlyphPen<'a> {
    builder: &'a mut PathBuilder,
    x: f32,
    y: f32,
}

impl OutlinePen for GlyphPen<'_> {
    fn move_to(&mut self, x: f32, y: f32) {
        self.builder.move_to(self.x + x, self.y - y);
    }
    fn line_to(&mut self, x: f32, y: f32) {
        self.builder.line_to(self.x + x, self.y - y);
    }
    fn quad_to(&mut self, cx0: f32, cy0: f32, x: f32, y: f32) {
        self.builder
            .quad_to(self.x + cx0, self.y - cy0, self.x + x, self.y - y);
    }
    fn curve_to(&mut self, cx0: f32, cy0: f32, cx1: f32, cy1: f32, x: f32, y: f32) {
        self.builder.cubic_to(
            self.x + cx0,
            self.y - cy0,
            self.x + cx1,
            self.y - cy1,
            self.x + x,
            self.y - y,
        );
    }
    fn close(&mut self) {
        self.builder.close();
    }
}

/// Draws `text` centred on `x` with its top at `top`.
fn draw_label(pixmap: &mut Pixmap, font: &skrifa::FontRef<'_>, text: &str, x: f32, top: f32) {
    let size = Size::new(style::LABEL_SIZE);
    let charmap = font.charmap();
    let metrics = font.glyph_metrics(size, LocationRef::default());
    let ascent = font.metrics(size, LocationRef::default()).ascent;
    let outlines = font.outline_glyphs();
    let glyphs: Vec<_> = text
        .chars()
        .filter_map(|c| charmap.map(c).or_else(|| charmap.map('?')))
        .collect();
    let width: f32 = glyphs
        .iter()
        .filter_map(|&g| metrics.advance_width(g))
        .sum();
    let mut builder = PathBuilder::new();
    let mut pen_x = x - width / 2.0;
    for glyph in glyphs {
        if let Some(outline) = outlines.get(glyph) {
            let mut pen = GlyphPen {
                builder: &mut builder,
                x: pen_x,
                y: top + ascent,
            };
            // A glyph that fails to draw is left out; the rest of the label still reads.
            let _ = outline.draw(
                DrawSettings::unhinted(size, LocationRef::default()),
                &mut pen,
            );
        }
        pen_x += metrics.advance_width(glyph).unwrap_or(0.0);
    }
    if let Some(path) = builder.finish() {
        pixmap.fill_path(
            &path,
            &paint(style::LABEL),
            FillRule::Winding,
            Transform::identity(),
            None,
        );
    }
}

/// tiny-skia stores premultiplied alpha; PNG wants it straight.
fn unpremultiply(mut data: Vec<u8>) -> Vec<u8> {
    for px in data.chunks_exact_mut(4) {
        let a = u16::from(px[3]);
        if a != 0 && a != 255 {
            for c in &mut px[..3] {
                let straight = ((u16::from(*c) * 255 + a / 2) / a).min(255) as u8;
                *c = straight;
            }
        }
    }
    data
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::NominalKind;
    use crate::graph::{GraphEdge, GraphFilter, GraphNode};

    fn graph() -> LinkGraph {
        let node = |id, kind, label: &str| GraphNode {
            id: NominalId(id),
            kind,
            label: label.to_owned(),
            ocg: false,
            criminal: false,
        };
        let edge = |id, from, to| GraphEdge {
            link: LinkId(id),
            from: NominalId(from),
            to: NominalId(to),
            link_type: "associate".into(),
            directed: true,
            valid_from: None,
            valid_to: None,
            confidence: "high".into(),
            item_sources: Some(1),
            import_sources: Some(0),
        };
        LinkGraph::build(
            vec![
                node(1, NominalKind::Employee, "PC Robin FIELDHOUSE"),
                node(2, NominalKind::Person, "Dean MARSH"),
                node(3, NominalKind::Phone, "07700 900123"),
            ],
            vec![edge(10, 1, 2), edge(11, 2, 3)],
            &GraphFilter::default(),
        )
    }

    #[test]
    fn the_png_decodes_at_its_size_with_nodes_in_their_colours() {
        let graph = graph();
        let positions: HashMap<_, _> = [
            (NominalId(1), [0.0, 0.0]),
            (NominalId(2), [100.0, 0.0]),
            (NominalId(3), [100.0, 80.0]),
        ]
        .into_iter()
        .collect();
        let path = GraphPath {
            nodes: vec![NominalId(1), NominalId(2)],
            links: vec![LinkId(10)],
        };
        let png = render_png(&graph, &positions, Some(&path), (400, 300)).unwrap();
        let image = image::load_from_memory(&png).unwrap().to_rgba8();
        assert_eq!(image.dimensions(), (400, 300));
        let fit = fit(&graph, &positions, 400, 300);
        for (id, kind) in [
            (1, NominalKind::Employee),
            (2, NominalKind::Person),
            (3, NominalKind::Phone),
        ] {
            let [x, y] = fit.apply(positions[&NominalId(id)]);
            let (want, shape, world_radius) = style::node_style(kind);
            let radius = node_radius(world_radius, fit.zoom);
            // The fill, beside the icon (every icon keeps clear of the node's left side)...
            #[expect(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            let pixel = image.get_pixel((x - 0.75 * radius).round() as u32, y.round() as u32);
            assert_eq!(
                pixel.0,
                [want[0], want[1], want[2], 255],
                "fill of node {id}"
            );
            // ...and the icon, in its own colour, at the centre of its first part.
            let unit = radius * style::icon_scale(shape);
            let at = match style::icon(kind)[0] {
                style::IconPart::Circle { centre, .. } => centre,
                style::IconPart::Polygon(points) => {
                    #[expect(clippy::cast_precision_loss, reason = "a few points")]
                    let n = points.len() as f32;
                    [
                        points.iter().map(|p| p[0]).sum::<f32>() / n,
                        points.iter().map(|p| p[1]).sum::<f32>() / n,
                    ]
                }
            };
            #[expect(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            let pixel = image.get_pixel(
                (x + at[0] * unit).round() as u32,
                (y + at[1] * unit).round() as u32,
            );
            assert_eq!(
                pixel.0,
                [style::ICON[0], style::ICON[1], style::ICON[2], 255],
                "icon of node {id}"
            );
        }
        // Labels were drawn: without them, the picture differs only in the label area.
        let mut unlabelled = LinkGraph::default();
        for node in graph.nodes() {
            unlabelled.add_node(GraphNode {
                label: String::new(),
                ..node.clone()
            });
        }
        for edge in graph.edges() {
            unlabelled.add_edge(edge.clone());
        }
        let bare = render_png(&unlabelled, &positions, Some(&path), (400, 300)).unwrap();
        let bare = image::load_from_memory(&bare).unwrap().to_rgba8();
        let differing = image
            .pixels()
            .zip(bare.pixels())
            .filter(|(a, b)| a != b)
            .count();
        assert!(differing > 100, "{differing} label pixels");
        if let Ok(dir) = std::env::var("CCU_CHART_PNG_DIR") {
            std::fs::write(std::path::Path::new(&dir).join("chart.png"), &png).unwrap();
        }
    }

    #[test]
    fn a_bad_size_is_refused() {
        let graph = graph();
        assert!(matches!(
            render_png(&graph, &HashMap::new(), None, (0, 10)),
            Err(ChartPngError::BadSize(0, 10))
        ));
        // An empty chart still exports (a blank picture).
        assert!(render_png(&graph, &HashMap::new(), None, (10, 10)).is_ok());
    }
}
