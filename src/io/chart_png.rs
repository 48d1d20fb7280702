//! A link chart as a PNG, drawn on the CPU with tiny-skia: exports and reports must work on a
//! machine with no GPU and no window, and the library writes them (the command line as well as
//! the GUI). What is drawn where is the [`ChartScene`] the SVG draws too, in the chart's own
//! style (`graph::chart_style`, which the screen's theme uses), so the picture matches the
//! screen; labels and the handling marking are drawn with the font egui ships (Ubuntu Light),
//! its glyph outlines read by skrifa.

use super::chart_scene::{ChartScene, MAX_EXPORT_SIDE, Outline};
use crate::graph::chart_style::{self as style, Rgb};
use skrifa::MetadataProvider;
use skrifa::instance::{LocationRef, Size};
use skrifa::outline::{DrawSettings, OutlinePen};
use tiny_skia::{FillRule, Paint, PathBuilder, Pixmap, Stroke, StrokeDash, Transform};

/// Why a chart could not be exported.
#[derive(Debug, thiserror::Error)]
pub enum ChartPngError {
    #[error("an export must be between 1 and {MAX_EXPORT_SIDE} pixels a side, not {0}x{1}")]
    BadSize(u32, u32),
    #[error("a picture is drawn at a scale of 1 or more, not {0}")]
    BadScale(u32),
    #[error("could not encode the PNG: {0}")]
    Encode(#[from] image::ImageError),
}

/// Draws `scene` and encodes it as PNG, `scale` times finer than the scene's size: a scale of
/// 2 gives a picture twice as wide and twice as high, every line, shape and letter drawn at
/// twice the size, the same picture at a higher resolution (for print, or to zoom into).
///
/// # Errors
/// A scale of 0; a picture of no pixels, or above [`MAX_EXPORT_SIDE`] a side once scaled; an
/// encoder failure.
pub fn render_png(scene: &ChartScene<'_>, scale: u32) -> Result<Vec<u8>, ChartPngError> {
    if scale == 0 {
        return Err(ChartPngError::BadScale(scale));
    }
    let width = scene.width.saturating_mul(scale);
    let height = scene.height.saturating_mul(scale);
    if width == 0 || height == 0 || width > MAX_EXPORT_SIDE || height > MAX_EXPORT_SIDE {
        return Err(ChartPngError::BadSize(width, height));
    }
    let mut pixmap = Pixmap::new(width, height).ok_or(ChartPngError::BadSize(width, height))?;
    pixmap.fill(colour(style::BACKGROUND));
    #[expect(clippy::cast_precision_loss, reason = "scales are at most 8192")]
    let mut canvas = Canvas {
        pixmap: &mut pixmap,
        transform: Transform::from_scale(scale as f32, scale as f32),
    };
    draw_links(&mut canvas, scene);
    let font = skrifa::FontRef::new(epaint_default_fonts::UBUNTU_LIGHT).ok();
    for node in &scene.nodes {
        draw_node(&mut canvas, node);
        if let (Some(top), Some(font)) = (node.label_top, &font) {
            let text = Text {
                size: style::LABEL_SIZE,
                colour: style::LABEL,
            };
            text.draw(&mut canvas, font, &node.node.label, node.centre[0], top);
        }
    }
    if let Some(font) = &font {
        let text = Text {
            size: style::MARKING_SIZE,
            colour: style::MARKING,
        };
        #[expect(clippy::cast_precision_loss, reason = "picture sides are at most 8192")]
        let middle = scene.width as f32 / 2.0;
        for top in scene.marking_tops {
            text.draw(&mut canvas, font, scene.marking, middle, top);
        }
    }

    let image = image::RgbaImage::from_raw(width, height, unpremultiply(pixmap.take()))
        .ok_or(ChartPngError::BadSize(width, height))?;
    let mut png = Vec::new();
    image.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)?;
    Ok(png)
}

/// The pixmap and the scene-to-pixels transform every path is drawn with.
struct Canvas<'p> {
    pixmap: &'p mut Pixmap,
    transform: Transform,
}

impl Canvas<'_> {
    fn fill(&mut self, path: &tiny_skia::Path, c: Rgb) {
        self.pixmap
            .fill_path(path, &paint(c), FillRule::Winding, self.transform, None);
    }

    fn stroke(&mut self, path: &tiny_skia::Path, c: Rgb, stroke: &Stroke) {
        self.pixmap
            .stroke_path(path, &paint(c), stroke, self.transform, None);
    }
}

/// Plain links solid, weak ones dashed (their arrowheads solid), then the highlighted path.
fn draw_links(canvas: &mut Canvas<'_>, scene: &ChartScene<'_>) {
    let mut solid = PathBuilder::new();
    let mut dashed = PathBuilder::new();
    let mut path = PathBuilder::new();
    for link in &scene.links {
        let line = if link.highlighted {
            &mut path
        } else if link.dashed {
            &mut dashed
        } else {
            &mut solid
        };
        line.move_to(link.from[0], link.from[1]);
        line.line_to(link.to[0], link.to[1]);
        if let Some([tip, left, right]) = link.arrow {
            let head = if link.highlighted {
                &mut path
            } else {
                &mut solid
            };
            for end in [left, right] {
                head.move_to(tip[0], tip[1]);
                head.line_to(end[0], end[1]);
            }
        }
    }
    let plain = Stroke {
        width: style::EDGE_WIDTH,
        ..Stroke::default()
    };
    if let Some(lines) = solid.finish() {
        canvas.stroke(&lines, style::EDGE, &plain);
    }
    if let Some(lines) = dashed.finish() {
        let stroke = Stroke {
            dash: StrokeDash::new(style::WEAK_LINK_DASH.to_vec(), 0.0),
            ..plain
        };
        canvas.stroke(&lines, style::EDGE, &stroke);
    }
    if let Some(lines) = path.finish() {
        let stroke = Stroke {
            width: style::PATH_WIDTH,
            ..Stroke::default()
        };
        canvas.stroke(&lines, style::PATH, &stroke);
    }
}

/// A nominal's shape, outline, icon and rings.
fn draw_node(canvas: &mut Canvas<'_>, node: &super::chart_scene::SceneNode<'_>) {
    if let Some(shape) = outline_path(&node.shape) {
        canvas.fill(&shape, node.fill);
        if node.outlined {
            let outline = Stroke {
                width: 1.0,
                ..Stroke::default()
            };
            canvas.stroke(&shape, style::NODE_OUTLINE, &outline);
        }
    }
    if !node.icon.is_empty() {
        let mut builder = PathBuilder::new();
        for part in &node.icon {
            push_outline(&mut builder, part);
        }
        if let Some(icon) = builder.finish() {
            canvas.fill(&icon, style::ICON);
        }
    }
    for ring in &node.rings {
        if let Some(circle) = PathBuilder::from_circle(node.centre[0], node.centre[1], ring.radius)
        {
            let stroke = Stroke {
                width: ring.width,
                ..Stroke::default()
            };
            canvas.stroke(&circle, ring.colour, &stroke);
        }
    }
}

fn outline_path(outline: &Outline) -> Option<tiny_skia::Path> {
    let mut builder = PathBuilder::new();
    push_outline(&mut builder, outline);
    builder.finish()
}

fn push_outline(builder: &mut PathBuilder, outline: &Outline) {
    match outline {
        Outline::Circle { centre, radius } => builder.push_circle(centre[0], centre[1], *radius),
        Outline::Polygon(points) => {
            for (index, p) in points.iter().enumerate() {
                if index == 0 {
                    builder.move_to(p[0], p[1]);
                } else {
                    builder.line_to(p[0], p[1]);
                }
            }
            builder.close();
        }
    }
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

/// How a line of text is drawn: its size in points and its colour.
#[derive(Debug, Clone, Copy)]
struct Text {
    size: f32,
    colour: Rgb,
}

impl Text {
    /// Draws `text` centred on `x` with its top at `top`.
    fn draw(
        self,
        canvas: &mut Canvas<'_>,
        font: &skrifa::FontRef<'_>,
        text: &str,
        x: f32,
        top: f32,
    ) {
        let size = Size::new(self.size);
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
            canvas.fill(&path, self.colour);
        }
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
    use super::super::chart_scene::tests::{sample, words};
    use super::*;
    use crate::domain::{LinkId, NominalId};
    use crate::graph::{GraphPath, LinkGraph};
    use std::collections::HashMap;

    const MARKING: &str = crate::io::HANDLING_MARKING;

    fn picture(
        graph: &LinkGraph,
        positions: &HashMap<NominalId, [f32; 2]>,
        marking: &'static str,
        scale: u32,
    ) -> (Vec<u8>, image::RgbaImage) {
        let path = GraphPath {
            nodes: vec![NominalId(1), NominalId(2)],
            links: vec![LinkId(10)],
        };
        let scene = ChartScene::new(graph, positions, Some(&path), (400, 300), &words, marking);
        let png = render_png(&scene, scale).unwrap();
        let image = image::load_from_memory(&png).unwrap().to_rgba8();
        (png, image)
    }

    #[test]
    fn the_png_decodes_at_its_size_with_nodes_in_their_colours() {
        let (graph, positions) = sample("PC Robin FIELDHOUSE");
        let (png, image) = picture(&graph, &positions, MARKING, 1);
        assert_eq!(image.dimensions(), (400, 300));
        let path = GraphPath {
            nodes: vec![NominalId(1), NominalId(2)],
            links: vec![LinkId(10)],
        };
        let scene = ChartScene::new(&graph, &positions, Some(&path), (400, 300), &words, MARKING);
        for node in &scene.nodes {
            let [x, y] = node.centre;
            let (want, radius) = (node.fill, node.radius);
            // The fill, beside the icon (every icon keeps clear of the node's left side)...
            #[expect(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            let pixel = image.get_pixel((x - 0.75 * radius).round() as u32, y.round() as u32);
            assert_eq!(
                pixel.0,
                [want[0], want[1], want[2], 255],
                "fill of {node:?}"
            );
            // ...and the icon, in its own colour, at the centre of its first part.
            let at = match &node.icon[0] {
                Outline::Circle { centre, .. } => *centre,
                Outline::Polygon(points) => {
                    #[expect(clippy::cast_precision_loss, reason = "a few points")]
                    let n = points.len() as f32;
                    [
                        points.iter().map(|p| p[0]).sum::<f32>() / n,
                        points.iter().map(|p| p[1]).sum::<f32>() / n,
                    ]
                }
            };
            #[expect(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            let pixel = image.get_pixel(at[0].round() as u32, at[1].round() as u32);
            assert_eq!(
                pixel.0,
                [style::ICON[0], style::ICON[1], style::ICON[2], 255],
                "icon of {node:?}"
            );
        }
        // Labels were drawn: without them, the picture differs only in the label area.
        let mut unlabelled = LinkGraph::default();
        for node in graph.nodes() {
            unlabelled.add_node(crate::graph::GraphNode {
                label: String::new(),
                ..node.clone()
            });
        }
        for edge in graph.edges() {
            unlabelled.add_edge(edge.clone());
        }
        let (_, bare) = picture(&unlabelled, &positions, MARKING, 1);
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
    fn the_marking_is_drawn_at_the_top_and_foot_in_its_colour() {
        let (graph, positions) = sample("A");
        let (_, marked) = picture(&graph, &positions, MARKING, 1);
        let (_, unmarked) = picture(&graph, &positions, "", 1);
        let band = |image: &image::RgbaImage, top: u32| {
            (top..top + 20)
                .flat_map(|y| (0..400).map(move |x| (x, y)))
                .filter(|&(x, y)| {
                    let p = image.get_pixel(x, y).0;
                    // Near the marking's colour (anti-aliased edges aside).
                    p[0] > 0x60 && p[1] < 0x50 && p[2] < 0x50
                })
                .count()
        };
        for top in [2, 278] {
            assert!(band(&marked, top) > 50, "marking at {top}");
            assert_eq!(band(&unmarked, top), 0, "nothing else at {top}");
        }
    }

    #[test]
    fn a_finer_scale_draws_the_same_picture_at_a_higher_resolution() {
        let (graph, positions) = sample("PC Robin FIELDHOUSE");
        let (_, fine) = picture(&graph, &positions, MARKING, 3);
        assert_eq!(fine.dimensions(), (1200, 900));
        // Each node's fill lands in the same place, three times further out.
        let scene = ChartScene::new(&graph, &positions, None, (400, 300), &words, MARKING);
        for node in &scene.nodes {
            let [x, y] = [node.centre[0] - 0.75 * node.radius, node.centre[1]];
            #[expect(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            let pixel = fine.get_pixel((3.0 * x).round() as u32, (3.0 * y).round() as u32);
            assert_eq!(pixel.0[..3], node.fill, "{node:?}");
        }
    }

    #[test]
    fn a_bad_size_or_scale_is_refused() {
        let (graph, positions) = sample("A");
        let scene = |size| ChartScene::new(&graph, &positions, None, size, &words, MARKING);
        assert!(matches!(
            render_png(&scene((0, 10)), 1),
            Err(ChartPngError::BadSize(0, 10))
        ));
        assert!(matches!(
            render_png(&scene((2_000, 1_000)), 5),
            Err(ChartPngError::BadSize(10_000, 5_000))
        ));
        assert!(matches!(
            render_png(&scene((10, 10)), 0),
            Err(ChartPngError::BadScale(0))
        ));
        // An empty chart still exports (a blank picture under its marking).
        let empty = ChartScene::new(&graph, &HashMap::new(), None, (10, 10), &words, MARKING);
        assert!(render_png(&empty, 1).is_ok());
    }
}
