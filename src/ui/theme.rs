//! Design tokens: every colour and spacing the GUI uses, in one place.

use egui::{Color32, Context, CornerRadius, Stroke, Visuals};

/// Accent for primary actions and selection.
pub const ACCENT: Color32 = Color32::from_rgb(0x2f, 0x6f, 0xb3);
/// Errors and destructive actions.
pub const DANGER: Color32 = Color32::from_rgb(0xc0, 0x39, 0x2b);
/// Warnings (an action that needs care, an unverified chain).
pub const WARNING: Color32 = Color32::from_rgb(0xd6, 0x8a, 0x00);
/// Success (a verified chain).
pub const OK: Color32 = Color32::from_rgb(0x2e, 0x8b, 0x57);
/// Secondary text.
pub const MUTED: Color32 = Color32::from_rgb(0x80, 0x86, 0x8c);
/// Behind the words a search matched, in a result's snippet.
pub const SEARCH_MATCH: Color32 = Color32::from_rgb(0xff, 0xe8, 0x99);
/// The banner that marks every screen as holding sensitive material.
pub const PROTECTIVE_MARKING: Color32 = Color32::from_rgb(0x8e, 0x24, 0x24);
/// The unit's marking, at the top of every screen.
pub const PROTECTIVE_MARKING_TEXT: &str =
    "OFFICIAL-SENSITIVE · counter-corruption intelligence · need to know";
/// The width of the column the start, create and unlock screens sit in.
pub const START_COLUMN_WIDTH: f32 = 680.0;

/// Space between sections.
pub const SECTION_SPACING: f32 = 16.0;
/// Space kept free at the right of a scrolled column for its floating scroll bar.
pub const SCROLL_BAR_ROOM: f32 = 12.0;
/// Space between related items.
pub const ITEM_SPACING: f32 = 6.0;
/// Width of the navigation panel.
pub const NAV_WIDTH: f32 = 180.0;
/// Width of single-line form fields.
pub const FIELD_WIDTH: f32 = 320.0;
/// Height of one row in long tables.
pub const TABLE_ROW_HEIGHT: f32 = 20.0;

/// Applies the look to the context once at start-up.
pub fn apply(ctx: &Context) {
    let mut visuals = Visuals::light();
    visuals.selection.bg_fill = ACCENT.linear_multiply(0.35);
    visuals.selection.stroke = Stroke::new(1.0, ACCENT);
    visuals.hyperlink_color = ACCENT;
    visuals.widgets.noninteractive.corner_radius = CornerRadius::same(3);
    ctx.set_visuals(visuals);
    ctx.global_style_mut(|style| {
        style.spacing.item_spacing = egui::vec2(8.0, ITEM_SPACING);
        style.spacing.button_padding = egui::vec2(8.0, 4.0);
    });
}

// Link charts: the chart's own look lives in `graph::chart_style`, shared with the exported
// picture (`io::chart_png`); here are egui's colours for it and what only the screen needs.
// Sizes are in world units at zoom 1 (the layout's link length is 60).

use crate::graph::chart_style;
pub use crate::graph::chart_style::NodeShape;

const fn rgb(c: chart_style::Rgb) -> Color32 {
    Color32::from_rgb(c[0], c[1], c[2])
}

/// Background of the chart canvas.
pub const CHART_BACKGROUND: Color32 = rgb(chart_style::BACKGROUND);
/// A link.
pub const CHART_EDGE: Color32 = rgb(chart_style::EDGE);
/// Width of a link, in points.
pub const CHART_EDGE_WIDTH: f32 = chart_style::EDGE_WIDTH;
/// Colour and width (points) of the links and rings of a highlighted path.
pub const CHART_PATH: Color32 = rgb(chart_style::PATH);
pub const CHART_PATH_WIDTH: f32 = chart_style::PATH_WIDTH;
/// Ring around the selected node.
pub const CHART_SELECTION: Color32 = ACCENT;
/// Ring marking an OCG or an OCG member.
pub const CHART_OCG_MARK: Color32 = rgb(chart_style::OCG_MARK);
/// Ring marking a criminal nominal.
pub const CHART_CRIMINAL_MARK: Color32 = rgb(chart_style::CRIMINAL_MARK);
/// Width of the marking rings, in world units.
pub const CHART_MARK_WIDTH: f32 = chart_style::MARK_WIDTH;
/// Outline of every node.
pub const CHART_NODE_OUTLINE: Color32 = rgb(chart_style::NODE_OUTLINE);
/// Node labels.
pub const CHART_LABEL: Color32 = rgb(chart_style::LABEL);
/// Label size, in points.
pub const CHART_LABEL_SIZE: f32 = chart_style::LABEL_SIZE;
/// Labels are drawn only at this zoom or closer (level of detail).
pub const CHART_LABEL_MIN_ZOOM: f32 = 0.6;
/// Size of a link's label (its type in words), in points.
pub const CHART_LINK_LABEL_SIZE: f32 = 10.0;
/// Gap between a node and its label, in points.
pub const CHART_LABEL_GAP: f32 = chart_style::LABEL_GAP;
/// Length of an arrowhead's sides, in points.
pub const CHART_ARROW_LENGTH: f32 = chart_style::ARROW_LENGTH;
/// A node never draws smaller than this radius, in points, however far out the zoom.
pub const CHART_MIN_NODE_RADIUS: f32 = chart_style::MIN_NODE_RADIUS;
/// Zoom limits.
pub const CHART_MIN_ZOOM: f32 = chart_style::MIN_ZOOM;
pub const CHART_MAX_ZOOM: f32 = 8.0;

/// Fill colour, shape and radius (world units) of a kind of nominal on a chart: people round,
/// groups square, things diamonds, so a chart reads in greyscale too.
#[must_use]
pub fn chart_node_style(kind: crate::domain::NominalKind) -> (Color32, NodeShape, f32) {
    let (fill, shape, radius) = chart_style::node_style(kind);
    (rgb(fill), shape, radius)
}

// Risk tools.

/// Height of a factor's contribution bar, in points.
pub const RISK_BAR_HEIGHT: f32 = 10.0;
/// The empty part of a contribution bar.
pub const RISK_BAR_TRACK: Color32 = Color32::from_rgb(0xe4, 0xe6, 0xe8);
/// Size of the small chart of a subject's assessments, in points.
pub const RISK_HISTORY_CHART_SIZE: egui::Vec2 = egui::vec2(420.0, 140.0);
/// Radius of one assessment's dot on that chart.
pub const RISK_HISTORY_DOT_RADIUS: f32 = 4.5;

/// A colour written `#rrggbb` (as instruments give band colours); grey when it is not one.
#[must_use]
pub fn colour_from_hex(text: &str) -> Color32 {
    crate::graph::chart_formatting::hex_rgb(text).map_or(MUTED, rgb)
}

/// Black or white, whichever reads better on `fill`.
#[must_use]
pub fn text_on(fill: Color32) -> Color32 {
    let luma =
        0.299 * f32::from(fill.r()) + 0.587 * f32::from(fill.g()) + 0.114 * f32::from(fill.b());
    if luma > 150.0 {
        Color32::BLACK
    } else {
        Color32::WHITE
    }
}
