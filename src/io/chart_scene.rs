//! What an exported picture of a chart shows, and where: the chart fitted between the handling
//! markings at the top and foot, each link with its ends, dash and arrowhead, each nominal with
//! its shape, icon, marking rings and the place of its label, in the chart's own style
//! (`graph::chart_style`). The PNG (`chart_png`) and the SVG (`chart_svg`) renderers both draw
//! a [`ChartScene`], so the two formats give the same picture and neither repeats the
//! geometry; this module needs no drawing library, so the SVG is there in every build.

use crate::domain::{LinkId, NominalId};
use crate::graph::chart_style::{self as style, NodeShape, Rgb};
use crate::graph::{GraphEdge, GraphNode, GraphPath, LinkGraph};
use std::collections::{HashMap, HashSet};
use std::hash::BuildHasher;

/// Largest side of a picture, in pixels (a 16k square is a gigabyte of RGBA).
pub const MAX_EXPORT_SIDE: u32 = 8_192;
/// A small chart is not blown up beyond this (pixels per world unit).
const EXPORT_MAX_ZOOM: f32 = 1.5;
/// Labels are drawn only when nodes are at least this big (pixels), as on screen.
const LABEL_MIN_RADIUS: f32 = 5.0;
/// Height of the bands at the top and at the foot that hold the handling marking, in pixels;
/// the chart is fitted between them.
pub const MARKING_BAND: f32 = 28.0;

/// Everything a picture of a chart shows, in the picture's pixels (y down).
#[derive(Debug, Clone)]
pub struct ChartScene<'g> {
    /// The picture's size in pixels.
    pub width: u32,
    pub height: u32,
    /// The handling marking, written at the top and at the foot.
    pub marking: &'g str,
    /// The top of the marking's text in the top band and in the foot band.
    pub marking_tops: [f32; 2],
    /// Links off the highlighted path first, so the path is drawn over them.
    pub links: Vec<SceneLink<'g>>,
    pub nodes: Vec<SceneNode<'g>>,
}

/// One link of a picture.
#[derive(Debug, Clone)]
pub struct SceneLink<'g> {
    pub edge: &'g GraphEdge,
    /// The link's type in words.
    pub words: String,
    pub from: [f32; 2],
    pub to: [f32; 2],
    /// On the highlighted path: drawn solid in the path's colour and width.
    pub highlighted: bool,
    /// Graded possible or doubtful, and not on the path: drawn dashed
    /// ([`style::WEAK_LINK_DASH`]), as on screen; its arrowhead stays solid.
    pub dashed: bool,
    /// A directed link's arrowhead, stopping at its target's edge: the tip, then the far end
    /// of each of its two sides.
    pub arrow: Option<[[f32; 2]; 3]>,
}

impl SceneLink<'_> {
    #[must_use]
    pub fn colour(&self) -> Rgb {
        if self.highlighted {
            style::PATH
        } else {
            style::EDGE
        }
    }

    #[must_use]
    pub fn width(&self) -> f32 {
        if self.highlighted {
            style::PATH_WIDTH
        } else {
            style::EDGE_WIDTH
        }
    }
}

/// A filled shape: a circle, or a convex polygon clockwise on screen.
#[derive(Debug, Clone, PartialEq)]
pub enum Outline {
    Circle { centre: [f32; 2], radius: f32 },
    Polygon(Vec<[f32; 2]>),
}

/// A ring around a nominal: criminal, OCG, or on the highlighted path.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ring {
    pub colour: Rgb,
    pub width: f32,
    pub radius: f32,
}

/// One nominal of a picture.
#[derive(Debug, Clone)]
pub struct SceneNode<'g> {
    pub node: &'g GraphNode,
    pub centre: [f32; 2],
    pub radius: f32,
    pub fill: Rgb,
    pub shape: Outline,
    /// Whether the shape is outlined in [`style::NODE_OUTLINE`] (not when it is tiny).
    pub outlined: bool,
    /// The kind's icon, filled in [`style::ICON`]; empty when the node is too small to show it.
    pub icon: Vec<Outline>,
    pub rings: Vec<Ring>,
    /// The top of the label, centred under the node, when the node is big enough to carry
    /// one.
    pub label_top: Option<f32>,
}

impl<'g> ChartScene<'g> {
    /// Lays `graph` out for a picture of `size_px`: the nominals at `positions` (world units;
    /// nominals without a position are left out, with their links) fitted between the marking
    /// bands, `highlighted` drawn as on screen, each link's type put in words by `words`.
    #[must_use]
    pub fn new<S: BuildHasher>(
        graph: &'g LinkGraph,
        positions: &HashMap<NominalId, [f32; 2], S>,
        highlighted: Option<&GraphPath>,
        size_px: (u32, u32),
        words: &dyn Fn(&str) -> String,
        marking: &'g str,
    ) -> Self {
        let (width, height) = size_px;
        let fit = Fit::new(graph, positions, width, height);
        let path_nodes: HashSet<NominalId> = highlighted
            .map(|p| p.nodes.iter().copied().collect())
            .unwrap_or_default();
        let path_links: HashSet<LinkId> = highlighted
            .map(|p| p.links.iter().copied().collect())
            .unwrap_or_default();
        let mut links = Vec::with_capacity(graph.edge_count());
        for on_path in [false, true] {
            for edge in graph.edges() {
                if path_links.contains(&edge.link) != on_path {
                    continue;
                }
                let (Some(a), Some(b)) = (positions.get(&edge.from), positions.get(&edge.to))
                else {
                    continue;
                };
                let (from, to) = (fit.apply(*a), fit.apply(*b));
                let arrow = graph
                    .node(edge.to)
                    .filter(|_| edge.directed)
                    .and_then(|target| {
                        let radius = fit.node_radius(style::node_style(target.kind).2);
                        arrowhead(from, to, radius)
                    });
                links.push(SceneLink {
                    edge,
                    words: words(&edge.link_type),
                    from,
                    to,
                    highlighted: on_path,
                    dashed: !on_path && style::is_weak_link(&edge.confidence),
                    arrow,
                });
            }
        }
        let nodes = graph
            .nodes()
            .filter_map(|node| {
                let centre = fit.apply(*positions.get(&node.id)?);
                Some(scene_node(
                    node,
                    centre,
                    fit.zoom,
                    path_nodes.contains(&node.id),
                ))
            })
            .collect();
        let inset = (MARKING_BAND - style::MARKING_SIZE) / 2.0;
        #[expect(clippy::cast_precision_loss, reason = "picture sides are at most 8192")]
        let foot = height as f32 - MARKING_BAND + inset;
        ChartScene {
            width,
            height,
            marking,
            marking_tops: [inset, foot],
            links,
            nodes,
        }
    }
}

fn scene_node(node: &GraphNode, centre: [f32; 2], zoom: f32, on_path: bool) -> SceneNode<'_> {
    let [x, y] = centre;
    let (fill, shape, world_radius) = style::node_style(node.kind);
    let radius = (world_radius * zoom).max(style::MIN_NODE_RADIUS);
    let icon = if radius >= style::ICON_MIN_RADIUS {
        let unit = radius * style::icon_scale(shape);
        let place = |p: [f32; 2]| [x + p[0] * unit, y + p[1] * unit];
        style::icon(node.kind)
            .iter()
            .map(|part| match *part {
                style::IconPart::Circle { centre, radius } => Outline::Circle {
                    centre: place(centre),
                    radius: radius * unit,
                },
                style::IconPart::Polygon(points) => {
                    Outline::Polygon(points.iter().map(|&p| place(p)).collect())
                }
            })
            .collect()
    } else {
        Vec::new()
    };
    let mark = (style::MARK_WIDTH * zoom).clamp(1.0, 6.0);
    let mut ring = radius + mark * 0.5 + 1.0;
    let mut rings = Vec::new();
    for (on, colour, width) in [
        (node.criminal, style::CRIMINAL_MARK, mark),
        (node.ocg, style::OCG_MARK, mark),
        (on_path, style::PATH, style::PATH_WIDTH),
    ] {
        if on {
            rings.push(Ring {
                colour,
                width,
                radius: ring,
            });
            ring += width + 1.0;
        }
    }
    SceneNode {
        node,
        centre,
        radius,
        fill,
        shape: shape_outline(shape, x, y, radius),
        outlined: radius > 3.0,
        icon,
        rings,
        label_top: (radius >= LABEL_MIN_RADIUS).then_some(y + ring + style::LABEL_GAP),
    }
}

/// World to pixels: the chart's bounding box fitted into the picture with a margin, between
/// the marking bands.
#[derive(Debug, Clone, Copy)]
struct Fit {
    zoom: f32,
    offset: [f32; 2],
}

impl Fit {
    #[expect(clippy::cast_precision_loss, reason = "picture sides are at most 8192")]
    fn new<S: BuildHasher>(
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
            .min((h - 2.0 * (margin + MARKING_BAND)) / span[1])
            .clamp(style::MIN_ZOOM, EXPORT_MAX_ZOOM);
        let centre = [f32::midpoint(min[0], max[0]), f32::midpoint(min[1], max[1])];
        Fit {
            zoom,
            offset: [w / 2.0 - centre[0] * zoom, h / 2.0 - centre[1] * zoom],
        }
    }

    fn apply(self, p: [f32; 2]) -> [f32; 2] {
        [
            p[0] * self.zoom + self.offset[0],
            p[1] * self.zoom + self.offset[1],
        ]
    }

    fn node_radius(self, world_radius: f32) -> f32 {
        (world_radius * self.zoom).max(style::MIN_NODE_RADIUS)
    }
}

fn shape_outline(shape: NodeShape, x: f32, y: f32, radius: f32) -> Outline {
    match shape {
        NodeShape::Circle => Outline::Circle {
            centre: [x, y],
            radius,
        },
        NodeShape::Square => {
            let half = radius * 0.85;
            Outline::Polygon(vec![
                [x - half, y - half],
                [x + half, y - half],
                [x + half, y + half],
                [x - half, y + half],
            ])
        }
        NodeShape::Diamond => {
            let r = radius * 1.15;
            Outline::Polygon(vec![[x, y - r], [x + r, y], [x, y + r], [x - r, y]])
        }
    }
}

/// The arrowhead of a link from `from` to `to`, whose target has `radius`: none when the
/// link is too short to show one.
fn arrowhead(from: [f32; 2], to: [f32; 2], radius: f32) -> Option<[[f32; 2]; 3]> {
    let along = [to[0] - from[0], to[1] - from[1]];
    let length = along[0].hypot(along[1]);
    if length <= radius + 1.0 {
        return None;
    }
    let dir = [along[0] / length, along[1] / length];
    let tip = [
        to[0] - dir[0] * (radius + 1.0),
        to[1] - dir[1] * (radius + 1.0),
    ];
    let l = style::ARROW_LENGTH;
    let side = [-dir[1] * l * 0.45, dir[0] * l * 0.45];
    let end = |sign: f32| {
        [
            tip[0] - dir[0] * l + sign * side[0],
            tip[1] - dir[1] * l + sign * side[1],
        ]
    };
    Some([tip, end(1.0), end(-1.0)])
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::domain::NominalKind;
    use crate::graph::{GraphFilter, GraphNode};

    /// Three nominals in a row, a directed link between the first two and a possible one
    /// between the last two.
    pub(in crate::io) fn sample(label: &str) -> (LinkGraph, HashMap<NominalId, [f32; 2]>) {
        let node = |id, kind, label: &str| GraphNode {
            id: NominalId(id),
            kind,
            label: label.to_owned(),
            ocg: false,
            criminal: id == 2,
        };
        let edge = |id, from, to, confidence: &str| GraphEdge {
            link: LinkId(id),
            from: NominalId(from),
            to: NominalId(to),
            link_type: "criminal_associate".into(),
            directed: id == 10,
            valid_from: None,
            valid_to: None,
            confidence: confidence.into(),
            item_sources: Some(1),
            import_sources: Some(0),
        };
        let graph = LinkGraph::build(
            vec![
                node(1, NominalKind::Employee, label),
                node(2, NominalKind::Person, "Dean MARSH"),
                node(3, NominalKind::Phone, "07700 900123"),
            ],
            vec![edge(10, 1, 2, "probable"), edge(11, 2, 3, "possible")],
            &GraphFilter::default(),
        );
        let positions = [
            (NominalId(1), [0.0, 0.0]),
            (NominalId(2), [100.0, 0.0]),
            (NominalId(3), [100.0, 80.0]),
        ]
        .into_iter()
        .collect();
        (graph, positions)
    }

    pub(in crate::io) fn words(code: &str) -> String {
        code.replace('_', " ")
    }

    #[test]
    fn the_chart_fits_between_the_markings_with_its_path_on_top() {
        let (graph, positions) = sample("PC Robin FIELDHOUSE");
        let path = GraphPath {
            nodes: vec![NominalId(1), NominalId(2)],
            links: vec![LinkId(10)],
        };
        let scene = ChartScene::new(&graph, &positions, Some(&path), (400, 300), &words, "M");
        assert_eq!(scene.nodes.len(), 3);
        for node in &scene.nodes {
            let [x, y] = node.centre;
            assert!((0.0..400.0).contains(&x), "{x}");
            assert!((MARKING_BAND..300.0 - MARKING_BAND).contains(&y), "{y}");
        }
        let ids: Vec<_> = scene.links.iter().map(|l| l.edge.link).collect();
        assert_eq!(ids, [LinkId(11), LinkId(10)], "the path's link last");
        let (weak, on_path) = (&scene.links[0], &scene.links[1]);
        assert!(weak.dashed && !weak.highlighted && weak.arrow.is_none());
        assert!(on_path.highlighted && !on_path.dashed && on_path.arrow.is_some());
        assert_eq!(weak.words, "criminal associate");
        // The criminal on the path wears both rings, the path's outside.
        let dean = &scene.nodes[1];
        let colours: Vec<_> = dean.rings.iter().map(|r| r.colour).collect();
        assert_eq!(colours, [style::CRIMINAL_MARK, style::PATH]);
        assert!(dean.label_top.unwrap() > dean.rings[1].radius + dean.centre[1]);
        // An arrow stops short of its target's edge.
        let [tip, ..] = on_path.arrow.unwrap();
        assert!((dean.centre[0] - tip[0] - dean.radius - 1.0).abs() < 0.01);
        let inset = (MARKING_BAND - style::MARKING_SIZE) / 2.0;
        assert!((scene.marking_tops[0] - inset).abs() < 1e-6);
        assert!((scene.marking_tops[1] - (300.0 - MARKING_BAND + inset)).abs() < 1e-6);
    }

    #[test]
    fn nominals_without_a_place_are_left_out_with_their_links() {
        let (graph, mut positions) = sample("A");
        positions.remove(&NominalId(3));
        let scene = ChartScene::new(&graph, &positions, None, (400, 300), &words, "M");
        assert_eq!(scene.nodes.len(), 2);
        assert_eq!(scene.links.len(), 1);
        let empty = ChartScene::new(&graph, &HashMap::new(), None, (10, 10), &words, "M");
        assert!(empty.nodes.is_empty() && empty.links.is_empty());
    }
}
