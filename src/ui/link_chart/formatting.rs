//! The chart's conditional formatting on screen: sizes, fills and markers from a
//! [`Formatting`] put on the cached nodes, and the legend that says what they mean, drawn over
//! the chart's top-right corner as widgets (so it can be read, and found by label).

use super::{LinkChart, Rect, RichText, Ui, theme, vec2};
use crate::graph::chart_formatting::{Formatting, NodeMarker};
use egui::{Color32, Pos2, Stroke};

/// Markers are drawn on nodes at least this big on screen (points).
pub(super) const MARKER_MIN_RADIUS: f32 = 5.0;
/// A marker disc's radius (points).
const MARKER_RADIUS: f32 = 6.0;

fn colour(rgb: crate::graph::chart_style::Rgb) -> Color32 {
    Color32::from_rgb(rgb[0], rgb[1], rgb[2])
}

impl LinkChart {
    /// Sizes, colours and marks the nodes as `formatting` says, until replaced.
    pub fn set_formatting(&mut self, formatting: Formatting) {
        self.rt.formatting = formatting;
        self.apply_formatting();
    }

    /// The formatting the chart draws with.
    #[must_use]
    pub fn formatting(&self) -> &Formatting {
        &self.rt.formatting
    }

    /// Puts the formatting on the cached nodes (after the formatting or the nodes changed).
    pub(super) fn apply_formatting(&mut self) {
        let formatting = &self.rt.formatting;
        for node in &mut self.rt.nodes {
            node.scale = formatting.scale.get(&node.id).copied().unwrap_or(1.0);
            node.fill = formatting
                .fill
                .get(&node.id)
                .map_or_else(|| theme::chart_node_style(node.kind).0, |rgb| colour(*rgb));
            node.markers = formatting.markers.get(&node.id).copied().unwrap_or(0);
            node.prominent = formatting.prominent.contains(&node.id);
            node.icon = crate::graph::chart_style::node_icon(
                node.kind,
                formatting.police_staff.contains(&node.id),
            );
        }
        self.rt.max_scale = self
            .rt
            .nodes
            .iter()
            .map(|n| n.scale)
            .fold(1.0_f32, f32::max);
        self.rt.marks_version += 1;
    }

    /// The legend in the chart's top-right corner: what the colours, sizes and markers mean.
    pub(super) fn legend_ui(&self, ui: &mut Ui, rect: Rect) {
        let formatting = &self.rt.formatting;
        if self.rt.nodes.is_empty()
            || (formatting.legend.is_empty()
                && formatting.size_legend.is_none()
                && formatting.markers_shown.is_empty())
        {
            return;
        }
        let width = 230.0;
        let area = Rect::from_min_size(
            rect.right_top() + vec2(-width - 8.0, 8.0),
            vec2(width, rect.height() - 16.0),
        );
        let mut child = ui.new_child(egui::UiBuilder::new().max_rect(area));
        egui::Frame::popup(child.style())
            .fill(theme::CHART_BACKGROUND.gamma_multiply(0.95))
            .show(&mut child, |ui| {
                ui.label(RichText::new("Legend").strong().color(theme::CHART_LABEL));
                for entry in &formatting.legend {
                    match entry.kind {
                        Some((kind, staff)) => kind_row(ui, kind, staff, &entry.words),
                        None => swatch_row(ui, colour(entry.colour), None, &entry.words),
                    }
                }
                if let Some(size) = &formatting.size_legend {
                    ui.label(RichText::new(size).color(theme::CHART_LABEL));
                }
                for marker in &formatting.markers_shown {
                    swatch_row(
                        ui,
                        colour(marker.colour()),
                        Some(marker.letter()),
                        marker.words(),
                    );
                }
            });
    }
}

/// Room round a group's members inside its box (points), and the box's colours.
const GROUP_PADDING: f32 = 28.0;
const GROUP_FILL: Color32 = Color32::from_rgba_premultiplied(0x2f, 0x6f, 0xb3, 0x12);
const GROUP_EDGE: Color32 = Color32::from_rgb(0x5b, 0x7f, 0xa6);

impl LinkChart {
    /// The screen box round each group's visible members, with its index.
    fn group_boxes(&self, view: super::View) -> Vec<(usize, Rect)> {
        self.groups
            .iter()
            .enumerate()
            .filter_map(|(index, group)| {
                let mut members = group.members.iter().filter_map(|id| {
                    let &i = self.rt.index.get(id)?;
                    let p = self.rt.coords[i as usize];
                    (!p[0].is_nan()).then(|| view.to_screen(p))
                });
                let first = members.next()?;
                let mut bounds = Rect::from_min_max(first, first);
                for p in members {
                    bounds.extend_with(p);
                }
                Some((index, bounds.expand(GROUP_PADDING)))
            })
            .collect()
    }

    /// Each group as a tinted box under its members, its name at the top left.
    pub(super) fn paint_groups(&self, painter: &egui::Painter, view: super::View) {
        for (index, rect) in self.group_boxes(view) {
            painter.rect(
                rect,
                6.0,
                GROUP_FILL,
                Stroke::new(1.0, GROUP_EDGE),
                egui::StrokeKind::Middle,
            );
            painter.text(
                rect.left_top() + vec2(4.0, -2.0),
                egui::Align2::LEFT_BOTTOM,
                &self.groups[index].name,
                egui::FontId::proportional(11.0),
                GROUP_EDGE,
            );
        }
    }

    /// A click on a group's name selects its members.
    pub(super) fn group_input(&mut self, ui: &Ui, view: super::View) {
        for (index, rect) in self.group_boxes(view) {
            let group = &self.groups[index];
            let name_rect =
                Rect::from_min_size(rect.left_top() - vec2(0.0, 16.0), vec2(90.0, 16.0));
            let response = ui.interact(
                name_rect,
                ui.scope_id().with(("chart-group", index)),
                egui::Sense::click(),
            );
            let label = format!("{} ({} nominals)", group.name, group.members.len());
            response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &label));
            if response.clicked() {
                let members = group.members.clone();
                self.select(None);
                for id in members {
                    self.toggle_selected(id);
                }
            }
        }
    }
}

/// A kind's node with its icon, as the chart draws it, and the words beside it.
fn kind_row(ui: &mut Ui, kind: crate::domain::NominalKind, police_staff: bool, words: &str) {
    ui.horizontal(|ui| {
        let (rect, _) = ui.allocate_exact_size(vec2(18.0, 18.0), egui::Sense::hover());
        let (fill, shape, _) = theme::chart_node_style(kind);
        let radius = 8.0;
        super::paint::paint_shape(
            ui.painter(),
            shape,
            rect.center(),
            radius,
            fill,
            Stroke::new(1.0, theme::CHART_NODE_OUTLINE),
        );
        let parts = crate::graph::chart_style::node_icon(kind, police_staff);
        super::paint::paint_icon(ui.painter(), parts, shape, rect.center(), radius);
        ui.label(RichText::new(words).color(theme::CHART_LABEL));
    });
}

/// A coloured disc (with a letter, for a marker) and the words beside it.
fn swatch_row(ui: &mut Ui, fill: Color32, letter: Option<&str>, words: &str) {
    ui.horizontal(|ui| {
        let (rect, _) = ui.allocate_exact_size(vec2(14.0, 14.0), egui::Sense::hover());
        ui.painter().circle(
            rect.center(),
            6.0,
            fill,
            Stroke::new(1.0, theme::CHART_NODE_OUTLINE),
        );
        if let Some(letter) = letter {
            ui.painter().text(
                rect.center(),
                egui::Align2::CENTER_CENTER,
                letter,
                egui::FontId::proportional(9.0),
                Color32::WHITE,
            );
        }
        ui.label(RichText::new(words).color(theme::CHART_LABEL));
    });
}

/// A node's markers: small lettered discs along its top-right, outside its shape.
pub(super) fn paint_markers(painter: &egui::Painter, markers: u8, centre: Pos2, radius: f32) {
    let mut at = centre + vec2(radius * 0.8, -radius * 0.8);
    for marker in NodeMarker::ALL {
        if markers & marker.bit() == 0 {
            continue;
        }
        painter.circle(
            at,
            MARKER_RADIUS,
            colour(marker.colour()),
            Stroke::new(1.0, Color32::WHITE),
        );
        painter.text(
            at,
            egui::Align2::CENTER_CENTER,
            marker.letter(),
            egui::FontId::proportional(9.0),
            Color32::WHITE,
        );
        at.x += MARKER_RADIUS * 2.0 + 1.0;
    }
}
