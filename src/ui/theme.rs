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
/// The banner that marks every screen as holding sensitive material.
pub const PROTECTIVE_MARKING: Color32 = Color32::from_rgb(0x8e, 0x24, 0x24);

/// Space between sections.
pub const SECTION_SPACING: f32 = 16.0;
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

// Link charts. Sizes are in world units at zoom 1 (the layout's link length is 60).

/// Background of the chart canvas.
pub const CHART_BACKGROUND: Color32 = Color32::from_rgb(0xfb, 0xfb, 0xfa);
/// A link.
pub const CHART_EDGE: Color32 = Color32::from_rgb(0xa8, 0xad, 0xb3);
/// Width of a link, in points.
pub const CHART_EDGE_WIDTH: f32 = 1.0;
/// Colour and width (points) of the links and rings of a highlighted path.
pub const CHART_PATH: Color32 = Color32::from_rgb(0xe0, 0x7b, 0x00);
pub const CHART_PATH_WIDTH: f32 = 3.5;
/// Ring around the selected node.
pub const CHART_SELECTION: Color32 = ACCENT;
/// Ring marking an OCG or an OCG member.
pub const CHART_OCG_MARK: Color32 = Color32::from_rgb(0x6a, 0x1b, 0x9a);
/// Ring marking a criminal nominal.
pub const CHART_CRIMINAL_MARK: Color32 = DANGER;
/// Width of the marking rings, in world units.
pub const CHART_MARK_WIDTH: f32 = 3.0;
/// Outline of every node.
pub const CHART_NODE_OUTLINE: Color32 = Color32::from_rgb(0x30, 0x34, 0x38);
/// Node labels.
pub const CHART_LABEL: Color32 = Color32::from_rgb(0x20, 0x24, 0x28);
/// Label size, in points.
pub const CHART_LABEL_SIZE: f32 = 12.0;
/// Labels are drawn only at this zoom or closer (level of detail).
pub const CHART_LABEL_MIN_ZOOM: f32 = 0.6;
/// Gap between a node and its label, in points.
pub const CHART_LABEL_GAP: f32 = 3.0;
/// Length of an arrowhead's sides, in points.
pub const CHART_ARROW_LENGTH: f32 = 9.0;
/// A node never draws smaller than this radius, in points, however far out the zoom.
pub const CHART_MIN_NODE_RADIUS: f32 = 1.5;
/// Zoom limits.
pub const CHART_MIN_ZOOM: f32 = 0.01;
pub const CHART_MAX_ZOOM: f32 = 8.0;

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
pub fn chart_node_style(kind: crate::domain::NominalKind) -> (Color32, NodeShape, f32) {
    use crate::domain::NominalKind as K;
    match kind {
        K::Employee => (Color32::from_rgb(0x2f, 0x6f, 0xb3), NodeShape::Circle, 11.0),
        K::Person => (Color32::from_rgb(0x4c, 0xa2, 0x6b), NodeShape::Circle, 9.0),
        K::Ocg => (Color32::from_rgb(0xb0, 0x3a, 0x48), NodeShape::Square, 12.0),
        K::Organisation => (Color32::from_rgb(0x8a, 0x6d, 0x3b), NodeShape::Square, 10.0),
        K::Phone => (Color32::from_rgb(0x16, 0x9f, 0xb0), NodeShape::Diamond, 7.0),
        K::Account => (Color32::from_rgb(0xc9, 0xa2, 0x27), NodeShape::Diamond, 7.0),
        K::Vehicle => (Color32::from_rgb(0x7a, 0x5c, 0xc0), NodeShape::Diamond, 7.0),
        K::Address => (Color32::from_rgb(0x6b, 0x75, 0x80), NodeShape::Diamond, 7.0),
    }
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
    let digits = text.strip_prefix('#').unwrap_or(text);
    if digits.len() != 6 {
        return MUTED;
    }
    match u32::from_str_radix(digits, 16) {
        Ok(rgb) => {
            let [_, r, g, b] = rgb.to_be_bytes();
            Color32::from_rgb(r, g, b)
        }
        Err(_) => MUTED,
    }
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
