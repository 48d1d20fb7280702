//! How a link chart looks: the colour, shape and size of each kind of nominal, the links,
//! the marking rings and the labels. Shared by the chart on screen (`ui::link_chart`, through
//! `ui::theme`, which turns these colours into egui's) and the exported picture
//! (`io::chart_scene`, drawn by `io::chart_png` and `io::chart_svg`), so they match; plain data, so neither needs the other's toolkit.
//!
//! Sizes are in world units at zoom 1 (the layout's link length is 60) unless said otherwise.

use crate::domain::NominalKind;

/// An opaque colour: red, green, blue.
pub type Rgb = [u8; 3];

/// Background of the chart canvas.
pub const BACKGROUND: Rgb = [0xfb, 0xfb, 0xfa];
/// A link.
pub const EDGE: Rgb = [0xa8, 0xad, 0xb3];
/// Width of a link, in points.
pub const EDGE_WIDTH: f32 = 1.0;
/// Colour and width (points) of the links and rings of a highlighted path.
pub const PATH: Rgb = [0xe0, 0x7b, 0x00];
pub const PATH_WIDTH: f32 = 3.5;
/// Ring marking an OCG or an OCG member.
pub const OCG_MARK: Rgb = [0x6a, 0x1b, 0x9a];
/// Ring marking a criminal nominal (the GUI's danger colour).
pub const CRIMINAL_MARK: Rgb = [0xc0, 0x39, 0x2b];
/// Width of the marking rings, in world units.
pub const MARK_WIDTH: f32 = 3.0;
/// Outline of every node.
pub const NODE_OUTLINE: Rgb = [0x30, 0x34, 0x38];
/// Node labels.
pub const LABEL: Rgb = [0x20, 0x24, 0x28];
/// Label size, in points.
pub const LABEL_SIZE: f32 = 12.0;
/// Gap between a node and its label, in points.
pub const LABEL_GAP: f32 = 3.0;
/// Dashes and gaps (points) of a link graded possible or doubtful.
pub const WEAK_LINK_DASH: [f32; 2] = [5.0, 4.0];

/// Whether a link of this confidence is drawn dashed: graded possible or doubtful.
#[must_use]
pub fn is_weak_link(confidence: &str) -> bool {
    matches!(confidence, "possible" | "doubtful")
}

/// The handling marking on an exported chart picture: colour (the GUI's marking colour) and
/// size in points.
pub const MARKING: Rgb = [0x8e, 0x24, 0x24];
pub const MARKING_SIZE: f32 = 14.0;
/// Length of an arrowhead's sides, in points.
pub const ARROW_LENGTH: f32 = 9.0;
/// A node never draws smaller than this radius, in points, however far out the zoom.
pub const MIN_NODE_RADIUS: f32 = 1.5;
/// The furthest a chart zooms out.
pub const MIN_ZOOM: f32 = 0.01;

/// How a kind of nominal is drawn on a chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeShape {
    Circle,
    Square,
    Diamond,
}

/// Fill colour, shape and radius (world units) of a kind of nominal on a chart: people round,
/// groups square, things diamonds, so a chart reads in greyscale too.
#[must_use]
pub fn node_style(kind: NominalKind) -> (Rgb, NodeShape, f32) {
    use NominalKind as K;
    match kind {
        K::Employee => ([0x2f, 0x6f, 0xb3], NodeShape::Circle, 11.0),
        K::Person => ([0x4c, 0xa2, 0x6b], NodeShape::Circle, 9.0),
        K::Ocg => ([0xb0, 0x3a, 0x48], NodeShape::Square, 12.0),
        K::Organisation => ([0x8a, 0x6d, 0x3b], NodeShape::Square, 10.0),
        K::Phone => ([0x16, 0x9f, 0xb0], NodeShape::Diamond, 7.0),
        K::Account => ([0xc9, 0xa2, 0x27], NodeShape::Diamond, 7.0),
        K::Vehicle => ([0x7a, 0x5c, 0xc0], NodeShape::Diamond, 7.0),
        K::Address => ([0x6b, 0x75, 0x80], NodeShape::Diamond, 7.0),
    }
}

/// The colour icons are drawn in, on a node's fill.
pub const ICON: Rgb = [0xff, 0xff, 0xff];
/// Nodes smaller than this radius on screen (points) are drawn without their icon: it could
/// not be told apart.
pub const ICON_MIN_RADIUS: f32 = 6.0;

/// One part of a kind's icon, in units of the node's radius from its centre (y down). Every
/// polygon is convex and clockwise on screen, so any renderer fills it the same way.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum IconPart {
    Circle { centre: [f32; 2], radius: f32 },
    Polygon(&'static [[f32; 2]]),
}

use IconPart::{Circle, Polygon};

const HEAD_AND_SHOULDERS: &[IconPart] = &[
    Circle {
        centre: [0.0, -0.25],
        radius: 0.22,
    },
    Polygon(&[[-0.48, 0.5], [-0.32, 0.05], [0.32, 0.05], [0.48, 0.5]]),
];
const OFFICER: &[IconPart] = &[
    // A peaked cap over a head and shoulders.
    Polygon(&[[-0.3, -0.42], [0.3, -0.42], [0.22, -0.3], [-0.22, -0.3]]),
    Circle {
        centre: [0.0, -0.13],
        radius: 0.17,
    },
    Polygon(&[[-0.46, 0.52], [-0.3, 0.12], [0.3, 0.12], [0.46, 0.52]]),
];
const POLICE_STAFF: &[IconPart] = &[
    // A head and shoulders with an identity card worn on a lanyard, beside them.
    Circle {
        centre: [-0.1, -0.22],
        radius: 0.2,
    },
    Polygon(&[[-0.52, 0.5], [-0.38, 0.06], [0.18, 0.06], [0.32, 0.5]]),
    Polygon(&[[0.36, -0.1], [0.6, -0.1], [0.6, 0.22], [0.36, 0.22]]),
];
const GROUP: &[IconPart] = &[
    Circle {
        centre: [-0.3, -0.12],
        radius: 0.14,
    },
    Circle {
        centre: [0.3, -0.12],
        radius: 0.14,
    },
    Circle {
        centre: [0.0, -0.28],
        radius: 0.17,
    },
    Polygon(&[[-0.52, 0.45], [-0.44, 0.08], [0.44, 0.08], [0.52, 0.45]]),
];
const BUILDING: &[IconPart] = &[
    Polygon(&[[-0.05, -0.5], [0.4, -0.5], [0.4, 0.5], [-0.05, 0.5]]),
    Polygon(&[[-0.45, -0.1], [-0.1, -0.1], [-0.1, 0.5], [-0.45, 0.5]]),
];
const HANDSET: &[IconPart] = &[Polygon(&[
    [-0.2, -0.5],
    [0.2, -0.5],
    [0.26, -0.44],
    [0.26, 0.44],
    [0.2, 0.5],
    [-0.2, 0.5],
    [-0.26, 0.44],
    [-0.26, -0.44],
])];
const CARD: &[IconPart] = &[Polygon(&[
    [-0.5, -0.3],
    [0.5, -0.3],
    [0.5, 0.3],
    [-0.5, 0.3],
])];
const CAR: &[IconPart] = &[
    Polygon(&[[-0.3, -0.05], [-0.18, -0.3], [0.18, -0.3], [0.3, -0.05]]),
    Polygon(&[[-0.55, -0.05], [0.55, -0.05], [0.55, 0.22], [-0.55, 0.22]]),
    Circle {
        centre: [-0.3, 0.26],
        radius: 0.13,
    },
    Circle {
        centre: [0.3, 0.26],
        radius: 0.13,
    },
];
const HOUSE: &[IconPart] = &[
    Polygon(&[[-0.52, -0.02], [0.0, -0.5], [0.52, -0.02]]),
    Polygon(&[[-0.36, -0.02], [0.36, -0.02], [0.36, 0.48], [-0.36, 0.48]]),
];

/// An employee's icon: the officer's peaked cap, or police staff's identity card.
#[must_use]
pub fn employee_icon(police_staff: bool) -> &'static [IconPart] {
    if police_staff { POLICE_STAFF } else { OFFICER }
}

/// A nominal's icon: its kind's, an employee's by whether they are police staff.
#[must_use]
pub fn node_icon(kind: NominalKind, police_staff: bool) -> &'static [IconPart] {
    if kind == NominalKind::Employee {
        employee_icon(police_staff)
    } else {
        icon(kind)
    }
}

/// A kind's icon, drawn in [`ICON`] inside its node: the same vector shapes on screen and in
/// the exported picture.
#[must_use]
pub fn icon(kind: NominalKind) -> &'static [IconPart] {
    use NominalKind as K;
    match kind {
        K::Employee => OFFICER,
        K::Person => HEAD_AND_SHOULDERS,
        K::Ocg => GROUP,
        K::Organisation => BUILDING,
        K::Phone => HANDSET,
        K::Account => CARD,
        K::Vehicle => CAR,
        K::Address => HOUSE,
    }
}

/// How much of a node's radius its icon may fill: a diamond's inside is smaller than a
/// circle's.
#[must_use]
pub fn icon_scale(shape: NodeShape) -> f32 {
    match shape {
        NodeShape::Circle => 0.95,
        NodeShape::Square => 0.8,
        NodeShape::Diamond => 0.62,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every polygon convex (a renderer that fills only convex shapes draws it right) and every
    /// part inside its node's shape.
    #[test]
    fn icons_are_convex_and_stay_inside_their_node() {
        let every = NominalKind::ALL
            .into_iter()
            .map(|kind| (kind, icon(kind)))
            .chain([(NominalKind::Employee, employee_icon(true))]);
        for (kind, parts) in every {
            let (_, shape, _) = node_style(kind);
            let scale = icon_scale(shape);
            // Inside the node: a circle of radius 1, a square of half-side 0.85, a diamond of
            // half-diagonal 1.15.
            let inside = |p: [f32; 2]| match shape {
                NodeShape::Circle => p[0].hypot(p[1]) <= 1.0,
                NodeShape::Square => p[0].abs() <= 0.85 && p[1].abs() <= 0.85,
                NodeShape::Diamond => p[0].abs() + p[1].abs() <= 1.15,
            };
            for part in parts {
                match *part {
                    IconPart::Circle { centre, radius } => {
                        for d in [[1.0, 0.0], [-1.0, 0.0], [0.0, 1.0], [0.0, -1.0]] {
                            let p = [
                                (centre[0] + d[0] * radius) * scale,
                                (centre[1] + d[1] * radius) * scale,
                            ];
                            assert!(inside(p), "{kind:?} circle at {p:?}");
                        }
                    }
                    IconPart::Polygon(points) => {
                        let count = points.len();
                        // The turn at every corner goes the same way: +1 or -1, 0 until known.
                        let mut turn = 0_i8;
                        for i in 0..count {
                            let (p0, p1, p2) =
                                (points[i], points[(i + 1) % count], points[(i + 2) % count]);
                            let cross = (p1[0] - p0[0]) * (p2[1] - p1[1])
                                - (p1[1] - p0[1]) * (p2[0] - p1[0]);
                            if cross.abs() > 1e-6 {
                                let this = if cross > 0.0 { 1 } else { -1 };
                                assert!(turn == 0 || turn == this, "{kind:?} concave");
                                // Clockwise on screen (y down), as egui's feathering expects.
                                assert_eq!(this, 1, "{kind:?} not clockwise");
                                turn = this;
                            }
                            let p = [p0[0] * scale, p0[1] * scale];
                            assert!(inside(p), "{kind:?} polygon point {p:?}");
                        }
                    }
                }
            }
        }
    }
}
