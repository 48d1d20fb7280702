//! How the exposure finder's leads are read: grouped by member of staff (a force's run finds
//! hundreds of routes, many from the same few people), filtered by what the target is and how
//! many links away, sorted as the analyst asks, and shown a page of staff at a time. A lead keeps
//! its rank in the finder's best-first order, so "lead 3" names the same route in every view.

use super::theme;
use crate::domain::NominalId;
use crate::graph::{ExposureLead, TARGET_KINDS, target_kind_words};
use egui::{RichText, Ui};
use std::collections::HashMap;

/// Staff shown per page.
pub const STAFF_PER_PAGE: usize = 20;

/// The order the groups are shown in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ExposureSort {
    /// The member of staff with the best-scoring route first.
    #[default]
    BestScore,
    /// The member of staff with the most routes first.
    MostRoutes,
    /// By the member of staff's name.
    Name,
}

impl ExposureSort {
    const ALL: [ExposureSort; 3] = [Self::BestScore, Self::MostRoutes, Self::Name];

    fn words(self) -> &'static str {
        match self {
            Self::BestScore => "Best route first",
            Self::MostRoutes => "Most routes first",
            Self::Name => "By name",
        }
    }
}

/// One member of staff and their routes, best first, each with its rank among all leads.
#[derive(Debug, Clone, PartialEq)]
pub struct StaffGroup {
    pub employee: NominalId,
    pub name: String,
    pub ranks: Vec<usize>,
    pub best_score: f64,
}

/// The view's choices.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ExposureResults {
    /// Only targets of this kind (every kind when `None`).
    pub target_kind: Option<String>,
    /// Only routes of exactly this many links (any when `None`).
    pub hops: Option<usize>,
    pub sort: ExposureSort,
    /// The page shown, from 0.
    pub page: usize,
}

impl ExposureResults {
    /// The leads that pass the filters, grouped by member of staff and sorted.
    #[must_use]
    pub fn groups(
        &self,
        leads: &[ExposureLead],
        names: &HashMap<NominalId, String>,
    ) -> Vec<StaffGroup> {
        let mut by_employee: HashMap<NominalId, StaffGroup> = HashMap::new();
        for (rank, lead) in leads.iter().enumerate() {
            if self
                .target_kind
                .as_deref()
                .is_some_and(|kind| kind != lead.target_kind)
                || self.hops.is_some_and(|hops| hops != lead.path.hops())
            {
                continue;
            }
            let group = by_employee
                .entry(lead.employee)
                .or_insert_with(|| StaffGroup {
                    employee: lead.employee,
                    name: names
                        .get(&lead.employee)
                        .cloned()
                        .unwrap_or_else(|| format!("nominal {}", lead.employee)),
                    ranks: Vec::new(),
                    best_score: lead.score,
                });
            group.ranks.push(rank);
            group.best_score = group.best_score.max(lead.score);
        }
        let mut groups: Vec<StaffGroup> = by_employee.into_values().collect();
        match self.sort {
            ExposureSort::BestScore => groups.sort_by(|a, b| {
                b.best_score
                    .total_cmp(&a.best_score)
                    .then(a.ranks[0].cmp(&b.ranks[0]))
            }),
            ExposureSort::MostRoutes => groups.sort_by(|a, b| {
                b.ranks
                    .len()
                    .cmp(&a.ranks.len())
                    .then(a.ranks[0].cmp(&b.ranks[0]))
            }),
            ExposureSort::Name => {
                groups.sort_by(|a, b| a.name.cmp(&b.name).then(a.employee.cmp(&b.employee)));
            }
        }
        groups
    }

    /// The filters, the sort and the page controls; returns the groups on the page shown, and
    /// how many groups and routes passed the filters.
    pub fn controls_ui(
        &mut self,
        ui: &mut Ui,
        leads: &[ExposureLead],
        names: &HashMap<NominalId, String>,
    ) -> (Vec<StaffGroup>, usize, usize) {
        let before = self.clone();
        let max_hops = leads.iter().map(|l| l.path.hops()).max().unwrap_or(0);
        ui.horizontal_wrapped(|ui| {
            ui.label("Target");
            egui::ComboBox::from_id_salt("exposure_target_kind")
                .selected_text(
                    self.target_kind
                        .as_deref()
                        .map_or("Every kind", target_kind_words),
                )
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.target_kind, None, "Every kind");
                    for kind in TARGET_KINDS {
                        if leads.iter().any(|l| l.target_kind == kind) {
                            ui.selectable_value(
                                &mut self.target_kind,
                                Some(kind.to_owned()),
                                target_kind_words(kind),
                            );
                        }
                    }
                })
                .response
                .widget_info(|| {
                    egui::WidgetInfo::labeled(egui::Role::ComboBox, true, "Target kind")
                });
            ui.label("Links");
            egui::ComboBox::from_id_salt("exposure_hops")
                .selected_text(
                    self.hops
                        .map_or_else(|| "Any number".to_owned(), |h| h.to_string()),
                )
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.hops, None, "Any number");
                    for hops in 1..=max_hops {
                        ui.selectable_value(&mut self.hops, Some(hops), hops.to_string());
                    }
                })
                .response
                .widget_info(|| {
                    egui::WidgetInfo::labeled(egui::Role::ComboBox, true, "Links away")
                });
            ui.label("Order");
            egui::ComboBox::from_id_salt("exposure_sort")
                .selected_text(self.sort.words())
                .show_ui(ui, |ui| {
                    for sort in ExposureSort::ALL {
                        ui.selectable_value(&mut self.sort, sort, sort.words());
                    }
                })
                .response
                .widget_info(|| egui::WidgetInfo::labeled(egui::Role::ComboBox, true, "Order"));
        });
        // A new filter or order starts again at the first page.
        if self.target_kind != before.target_kind
            || self.hops != before.hops
            || self.sort != before.sort
        {
            self.page = 0;
        }
        let groups = self.groups(leads, names);
        let routes: usize = groups.iter().map(|g| g.ranks.len()).sum();
        let pages = groups.len().div_ceil(STAFF_PER_PAGE).max(1);
        self.page = self.page.min(pages - 1);
        ui.horizontal(|ui| {
            ui.label(
                RichText::new(format!(
                    "{routes} route(s) from {} member(s) of staff; page {} of {pages}",
                    groups.len(),
                    self.page + 1
                ))
                .color(theme::MUTED),
            );
            if ui
                .add_enabled(self.page > 0, egui::Button::new("Previous page"))
                .clicked()
            {
                self.page -= 1;
            }
            if ui
                .add_enabled(self.page + 1 < pages, egui::Button::new("Next page"))
                .clicked()
            {
                self.page += 1;
            }
        });
        let shown: Vec<StaffGroup> = groups
            .iter()
            .skip(self.page * STAFF_PER_PAGE)
            .take(STAFF_PER_PAGE)
            .cloned()
            .collect();
        (shown, groups.len(), routes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::GraphPath;

    fn lead(employee: i64, target: i64, hops: usize, score: f64, kind: &str) -> ExposureLead {
        let mut nodes = vec![NominalId(employee)];
        nodes.extend((0..hops).map(|i| NominalId(1000 + i64::try_from(i).unwrap())));
        *nodes.last_mut().unwrap() = NominalId(target);
        ExposureLead {
            employee: NominalId(employee),
            target: NominalId(target),
            path: GraphPath {
                nodes,
                links: (0..hops)
                    .map(|i| crate::domain::LinkId(i64::try_from(i).unwrap()))
                    .collect(),
            },
            score,
            reasons: vec![],
            target_ocgs: vec![],
            target_kind: kind.into(),
        }
    }

    #[test]
    fn leads_group_by_member_of_staff_filter_and_sort() {
        // Best first, as the finder gives them.
        let leads = vec![
            lead(1, 50, 1, 1.0, "ocg_member"),
            lead(2, 51, 1, 0.8, "criminal"),
            lead(2, 52, 2, 0.5, "ocg"),
            lead(2, 53, 3, 0.3, "criminal"),
            lead(3, 50, 2, 0.4, "ocg_member"),
        ];
        let names: HashMap<NominalId, String> = [
            (NominalId(1), "Cole".to_owned()),
            (NominalId(2), "Abbott".to_owned()),
            (NominalId(3), "Baird".to_owned()),
        ]
        .into_iter()
        .collect();
        let mut view = ExposureResults::default();
        let order = |view: &ExposureResults| -> Vec<(i64, Vec<usize>)> {
            view.groups(&leads, &names)
                .into_iter()
                .map(|g| (g.employee.0, g.ranks))
                .collect()
        };
        assert_eq!(
            order(&view),
            [(1, vec![0]), (2, vec![1, 2, 3]), (3, vec![4])]
        );
        view.sort = ExposureSort::MostRoutes;
        assert_eq!(order(&view)[0].0, 2);
        view.sort = ExposureSort::Name;
        assert_eq!(
            order(&view).iter().map(|g| g.0).collect::<Vec<_>>(),
            [2, 3, 1]
        );
        view.target_kind = Some("criminal".into());
        assert_eq!(order(&view), [(2, vec![1, 3])]);
        view.target_kind = None;
        view.hops = Some(2);
        assert_eq!(order(&view), [(2, vec![2]), (3, vec![4])]);
    }
}
