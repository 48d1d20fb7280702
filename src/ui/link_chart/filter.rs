//! The chart's filter: checkboxes for the link types and confidences seen on the chart, and a
//! valid-on date.

use super::{BTreeSet, GraphFilter, IsoDate, LinkChart, RichText, Ui, theme};

impl LinkChart {
    /// Checkboxes for the link types and confidences seen on this chart, and a valid-on date.
    /// Returns whether `filter` changed (the app then rebuilds the graph).
    pub fn filter_ui(
        &mut self,
        ui: &mut Ui,
        filter: &mut GraphFilter,
        reference: &crate::domain::ReferenceData,
    ) -> bool {
        let mut changed = false;
        ui.label(RichText::new("Link types").strong());
        let mut types = self.rt.link_types.clone();
        types.extend(filter.link_types.iter().flatten().cloned());
        for link_type in &types {
            let mut on = filter
                .link_types
                .as_ref()
                .is_none_or(|set| set.contains(link_type));
            if ui
                .checkbox(
                    &mut on,
                    reference.label(crate::domain::list::LINK_TYPE, link_type),
                )
                .changed()
            {
                toggle(&mut filter.link_types, &types, link_type, on);
                changed = true;
            }
        }
        ui.add_space(theme::ITEM_SPACING);
        ui.label(RichText::new("Confidence").strong());
        let mut codes = self.rt.confidences.clone();
        codes.extend(filter.confidences.iter().flatten().cloned());
        for code in &codes {
            let mut on = filter
                .confidences
                .as_ref()
                .is_none_or(|set| set.contains(code));
            if ui
                .checkbox(
                    &mut on,
                    reference.label(crate::domain::list::LINK_CONFIDENCE, code),
                )
                .changed()
            {
                toggle(&mut filter.confidences, &codes, code, on);
                changed = true;
            }
        }
        ui.add_space(theme::ITEM_SPACING);
        if self.rt.date_text.is_empty()
            && let Some(date) = filter.valid_on
        {
            self.rt.date_text = date.to_string();
        }
        let label = ui.label("Valid on (YYYY-MM-DD)");
        let response = ui
            .add(egui::TextEdit::singleline(&mut self.rt.date_text).desired_width(120.0))
            .labelled_by(label.id);
        if response.changed() {
            let text = self.rt.date_text.trim();
            let parsed = if text.is_empty() {
                Some(None)
            } else {
                text.parse::<IsoDate>().ok().map(Some)
            };
            self.rt.date_error = parsed.is_none();
            if let Some(date) = parsed
                && date != filter.valid_on
            {
                filter.valid_on = date;
                changed = true;
            }
        }
        if self.rt.date_error {
            ui.colored_label(theme::DANGER, "Not a date: write YYYY-MM-DD");
        }
        if self.valid_on_slider_ui(ui, filter) {
            changed = true;
        }
        changed
    }

    /// A slider over the dates the chart's links start and end, and a replay that moves it
    /// through them step by step, so the network is seen as it stood on each day.
    fn valid_on_slider_ui(&mut self, ui: &mut Ui, filter: &mut GraphFilter) -> bool {
        let Some((first, last)) = self.rt.date_range else {
            ui.label(RichText::new("No link on this chart is dated.").color(theme::MUTED));
            return false;
        };
        let span = (last.0 - first.0).whole_days().max(0);
        let mut day = filter
            .valid_on
            .map_or(span, |date| (date.0 - first.0).whole_days().clamp(0, span));
        let mut chosen = None;
        let mut cleared = false;
        let label = ui.label("Valid on date");
        #[expect(clippy::cast_precision_loss, reason = "a span of days")]
        let response = ui
            .add(
                egui::Slider::new(&mut day, 0..=span)
                    .show_value(false)
                    .custom_formatter(move |value, _| {
                        #[expect(clippy::cast_possible_truncation, reason = "a day in the span")]
                        first.plus_days(value as i64).to_string()
                    })
                    .step_by(1.0_f64.min(span as f64)),
            )
            .labelled_by(label.id);
        if response.changed() && !response.dragged() || response.drag_stopped() {
            chosen = Some(first.plus_days(day));
        }
        ui.horizontal(|ui| {
            ui.label(
                RichText::new(
                    filter
                        .valid_on
                        .map_or_else(|| String::from("All dates"), |date| format!("As on {date}")),
                )
                .color(theme::MUTED),
            );
            let playing = self.rt.replay_step_at.is_some();
            if ui
                .button(if playing { "Stop" } else { "Replay" })
                .on_hover_text(
                    "Step the date from the first link's to the last, a few times a second",
                )
                .clicked()
            {
                if playing {
                    self.rt.replay_step_at = None;
                } else {
                    self.rt.replay_step_at = Some(ui.input(|i| i.time));
                    chosen = Some(first);
                }
            }
            if filter.valid_on.is_some() && ui.button("All dates").clicked() {
                self.rt.replay_step_at = None;
                self.rt.date_text.clear();
                filter.valid_on = None;
                chosen = None;
                cleared = true;
            }
        });
        if let Some(at) = self.rt.replay_step_at
            && chosen.is_none()
        {
            let now = ui.input(|i| i.time);
            if now - at >= REPLAY_STEP.as_secs_f64() {
                let step = (span / REPLAY_STEPS).max(1);
                let next = filter.valid_on.map_or(first, |date| date.plus_days(step));
                if next > last {
                    self.rt.replay_step_at = None;
                } else {
                    self.rt.replay_step_at = Some(now);
                    chosen = Some(next);
                }
            }
            ui.ctx().request_repaint_after(REPLAY_STEP);
        }
        match chosen {
            Some(date) if filter.valid_on != Some(date) => {
                filter.valid_on = Some(date);
                self.rt.date_text = date.to_string();
                self.rt.date_error = false;
                true
            }
            _ => cleared,
        }
    }
}

/// Seconds between two steps of the replay through time, and how many steps it takes.
const REPLAY_STEP: std::time::Duration = std::time::Duration::from_millis(600);
const REPLAY_STEPS: i64 = 24;

/// Turns one value of an "all when `None`" set on or off.
pub(super) fn toggle(
    set: &mut Option<BTreeSet<String>>,
    all: &BTreeSet<String>,
    value: &str,
    on: bool,
) {
    let mut current = set.clone().unwrap_or_else(|| all.clone());
    if on {
        current.insert(value.to_owned());
    } else {
        current.remove(value);
    }
    *set = if all.is_subset(&current) {
        None
    } else {
        Some(current)
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toggling_every_value_back_on_means_all() {
        let all: BTreeSet<String> = ["a", "b"].into_iter().map(String::from).collect();
        let mut set = None;
        toggle(&mut set, &all, "a", false);
        assert_eq!(set, Some(["b".to_owned()].into_iter().collect()));
        toggle(&mut set, &all, "a", true);
        assert_eq!(set, None);
    }
}
