//! The chart's input: pan and zoom, a node's selection, expansion and dragging, hit-testing
//! when nodes are drawn without widgets, and the context menus.

use super::{ChartCommand, LinkChart, NominalId, Rect, Response, Ui, Vec2, View, theme, vec2};

impl LinkChart {
    pub(super) fn pan_and_zoom(&mut self, ui: &Ui, rect: Rect, background: &Response) {
        if background.dragged() && self.rt.dragging.is_none() {
            let delta = background.drag_delta();
            self.pan[0] += delta.x;
            self.pan[1] += delta.y;
            self.rt.fit_requested = false;
        }
        if !ui.rect_contains_pointer(rect) {
            return;
        }
        let (scroll, pinch, pointer) = ui.input(|i| {
            (
                i.smooth_scroll_delta.y,
                i.zoom_delta(),
                i.pointer.hover_pos(),
            )
        });
        let factor = pinch * (scroll / 200.0).exp();
        if (factor - 1.0).abs() > f32::EPSILON
            && let Some(pointer) = pointer
        {
            // Zoom around the pointer: the world point under it stays under it.
            let origin = rect.center() + vec2(self.pan[0], self.pan[1]);
            let new_zoom = (self.zoom * factor).clamp(theme::CHART_MIN_ZOOM, theme::CHART_MAX_ZOOM);
            let world = (pointer - origin) / self.zoom;
            let new_origin = pointer - world * new_zoom;
            let pan = new_origin - rect.center();
            self.pan = [pan.x, pan.y];
            self.zoom = new_zoom;
            self.rt.fit_requested = false;
        }
    }

    /// Selection, expansion, dragging and the context menu of one node's widget.
    pub(super) fn node_response(
        &mut self,
        response: &Response,
        id: NominalId,
        view: View,
        commands: &mut Vec<ChartCommand>,
    ) {
        if response.clicked() {
            self.click_select(&response.ctx, id);
        }
        if response.double_clicked() {
            commands.push(ChartCommand::Expand(id));
        }
        if response.drag_started() {
            self.rt.dragging = Some(id);
            self.drag_began(id);
        }
        if response.dragged() && self.rt.dragging == Some(id) {
            self.drag_by(id, response.drag_delta(), view);
        }
        if response.drag_stopped() {
            self.rt.dragging = None;
            self.drag_ended();
        }
        response.context_menu(|ui| self.node_menu(ui, id, commands));
    }

    /// A click selects the nominal alone; with Shift or Ctrl it adds it to the selection or
    /// takes it out.
    fn click_select(&mut self, ctx: &egui::Context, id: NominalId) {
        if ctx.input(|i| i.modifiers.shift || i.modifiers.command) {
            self.toggle_selected(id);
        } else {
            self.select(Some(id));
        }
    }

    pub(super) fn drag_by(&mut self, id: NominalId, delta: Vec2, view: View) {
        if delta == Vec2::ZERO {
            return;
        }
        if let Some(p) = self.position(id) {
            self.move_node(id, [p[0] + delta.x / view.zoom, p[1] + delta.y / view.zoom]);
        }
    }

    /// The visible node under the pointer of `response`, if any.
    pub(super) fn hit(
        &self,
        visible: &[u32],
        view: View,
        response: &Response,
    ) -> Option<NominalId> {
        let pointer = response.interact_pointer_pos().or(response.hover_pos())?;
        let mut best: Option<(f32, NominalId)> = None;
        for &i in visible {
            let node = self.rt.nodes[i as usize];
            let d = view.to_screen(self.rt.coords[i as usize]).distance(pointer);
            let reach = node.radius(self.zoom).max(4.0);
            if d <= reach && best.is_none_or(|(b, _)| d < b) {
                best = Some((d, node.id));
            }
        }
        best.map(|(_, id)| id)
    }

    /// Node input hit-tested on the background, when too many nodes are visible for widgets.
    pub(super) fn background_node_input(
        &mut self,
        background: &Response,
        visible: &[u32],
        view: View,
        commands: &mut Vec<ChartCommand>,
    ) {
        if background.drag_started() {
            self.rt.dragging = self.hit(visible, view, background);
            if let Some(id) = self.rt.dragging {
                self.drag_began(id);
            }
        }
        if background.dragged()
            && let Some(id) = self.rt.dragging
        {
            self.drag_by(id, background.drag_delta(), view);
        }
        if background.drag_stopped() && self.rt.dragging.take().is_some() {
            self.drag_ended();
        }
        if background.clicked()
            && let Some(id) = self.hit(visible, view, background)
        {
            self.click_select(&background.ctx, id);
        }
        if background.double_clicked()
            && let Some(id) = self.hit(visible, view, background)
        {
            commands.push(ChartCommand::Expand(id));
        }
        if background.secondary_clicked() {
            self.rt.menu_node = self.hit(visible, view, background);
        }
        background.context_menu(|ui| {
            if let Some(id) = self.rt.menu_node {
                self.node_menu(ui, id, commands);
            } else {
                self.background_menu(ui);
            }
        });
    }

    pub(super) fn node_menu(
        &mut self,
        ui: &mut Ui,
        id: NominalId,
        commands: &mut Vec<ChartCommand>,
    ) {
        if ui.button("Expand").clicked() {
            commands.push(ChartCommand::Expand(id));
            ui.close();
        }
        let target = self.rt.selected.filter(|&s| s != id);
        if ui
            .add_enabled(target.is_some(), egui::Button::new("Find path to selected"))
            .clicked()
            && let Some(to) = target
        {
            commands.push(ChartCommand::FindPath { from: id, to });
            ui.close();
        }
        if ui.button("Show profile").clicked() {
            commands.push(ChartCommand::ShowProfile(id));
            ui.close();
        }
        let pinned = self.pinned.contains(&id);
        if ui.button(if pinned { "Unpin" } else { "Pin" }).clicked() {
            self.pin_by_hand(id, !pinned);
            ui.close();
        }
        if ui.button("Hide").clicked() {
            self.hide_by_hand(id);
            commands.push(ChartCommand::Hide(id));
            ui.close();
        }
    }

    pub(super) fn background_menu(&mut self, ui: &mut Ui) {
        if ui.button("Fit chart to view").clicked() {
            self.request_fit();
            ui.close();
        }
        if ui
            .add_enabled(
                !self.hidden.is_empty(),
                egui::Button::new(format!("Show {} hidden", self.hidden.len())),
            )
            .clicked()
        {
            self.show_hidden_by_hand();
            ui.close();
        }
    }
}
