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
