//! How a link chart looks: the colour, shape and size of each kind of nominal, the links,
//! the marking rings and the labels. Shared by the chart on screen (`ui::link_chart`, through
//! `ui::theme`, which turns these colours into egui's) and the exported picture
//! (`io::chart_png`), so the two match; plain data, so neither needs the other's toolkit.
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
