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
        changed
    }
}

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
