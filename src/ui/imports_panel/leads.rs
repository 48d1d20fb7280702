//! The cross-reference leads half of the Imports area: run the engine, filter the leads, read a
//! lead's explanation, promote it to an intelligence item.

use super::{
    CommandQueue, ImportsPanel, LeadKind, Origin, Request, RichText, StoredLead, Ui, lead_kinds,
    theme, widgets,
};
use crate::ui::grading_form::{GradingForm, GradingFormAnswer};

impl ImportsPanel {
    pub(super) fn leads_ui(
        &mut self,
        ui: &mut Ui,
        session: &super::SessionView,
        commands: &CommandQueue,
    ) {
        let leads = &mut self.leads;
        if !leads.requested {
            leads.requested = true;
            leads.rows = None;
            commands.request(Origin::Leads, Request::Leads);
        }
        run_controls_ui(leads, ui, commands);
        ui.horizontal(|ui| {
            ui.label("Pattern:");
            let mut filter = leads.kind_filter;
            egui::ComboBox::from_id_salt("lead_kind_filter")
                .selected_text(filter.map_or("Every pattern", LeadKind::label))
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut filter, None, "Every pattern");
                    for kind in lead_kinds() {
                        ui.selectable_value(&mut filter, Some(kind), kind.label());
                    }
                })
                .response
                .widget_info(|| {
                    egui::WidgetInfo::labeled(egui::Role::ComboBox, true, "Pattern filter")
                });
            leads.kind_filter = filter;
            ui.checkbox(&mut leads.hide_promoted, "Hide promoted leads");
        });
        if let Some(notice) = &leads.notice {
            ui.label(RichText::new(notice).color(theme::OK));
        }
        let Some(rows) = &leads.rows else {
            widgets::busy_ui(ui, "Reading the leads…");
            return;
        };
        let shown: Vec<&StoredLead> = rows
            .iter()
            .filter(|l| leads.kind_filter.is_none_or(|k| k.as_str() == l.kind))
            .filter(|l| !leads.hide_promoted || l.promoted_item.is_none())
            .collect();
        ui.label(format!("{} of {} lead(s)", shown.len(), rows.len()));
        egui::ScrollArea::vertical()
            .id_salt("leads_scroll")
            .max_height(260.0)
            .show(ui, |ui| {
                egui::Grid::new("leads_grid").striped(true).show(ui, |ui| {
                    ui.label(RichText::new("Score").strong());
                    ui.label(RichText::new("Pattern").strong());
                    ui.label(RichText::new("Summary").strong());
                    ui.end_row();
                    for lead in &shown {
                        ui.label(lead.score.to_string());
                        let pattern = LeadKind::parse(&lead.kind)
                            .map_or_else(|| lead.kind.clone(), |k| k.label().to_owned());
                        ui.label(pattern);
                        let summary = lead.explanation.first().cloned().unwrap_or_default();
                        let summary = if lead.promoted_item.is_some() {
                            format!("{summary} (promoted)")
                        } else {
                            summary
                        };
                        if ui
                            .selectable_label(leads.selected == Some(lead.id), summary)
                            .clicked()
                        {
                            leads.selected = Some(lead.id);
                        }
                        ui.end_row();
                    }
                    // Below the threshold: seen, not kept, greyed so they read as context.
                    for below in leads
                        .below
                        .iter()
                        .filter(|b| leads.kind_filter.is_none_or(|k| k == b.kind))
                    {
                        let muted = |text: String| RichText::new(text).color(theme::MUTED);
                        ui.label(muted(below.score.to_string()));
                        ui.label(muted(below.kind.label().to_owned()));
                        ui.label(muted(format!(
                            "{} (below the threshold, not kept)",
                            below.explanation.join(" ")
                        )));
                        ui.end_row();
                    }
                });
            });
        let Some(lead) = leads
            .selected
            .and_then(|id| rows.iter().find(|l| l.id == id))
        else {
            return;
        };
        ui.separator();
        ui.label(RichText::new(format!("Lead {} · score {} of 100", lead.id, lead.score)).strong());
        for line in &lead.explanation {
            ui.label(line);
        }
        ui.label(
            RichText::new(format!(
                "First found {}, last found {}.",
                lead.first_found_at_utc, lead.last_found_at_utc
            ))
            .color(theme::MUTED),
        );
        if lead.promoted_item.is_some() {
            ui.label(
                RichText::new("Already recorded as an intelligence item.").color(theme::MUTED),
            );
            return;
        }
        // Promoting asks how the new item is graded, the suggestion for its kind prefilled.
        match &mut leads.grading {
            Some((id, form)) if *id == lead.id => {
                match form.ui(ui, &session.reference, "Record as intelligence") {
                    GradingFormAnswer::Confirmed => {
                        commands.request(
                            Origin::Leads,
                            Request::PromoteLead {
                                lead: lead.id,
                                grading: form.grading(),
                            },
                        );
                        leads.grading = None;
                    }
                    GradingFormAnswer::Cancelled => leads.grading = None,
                    GradingFormAnswer::Open => {}
                }
            }
            _ => {
                if ui.button("Promote to intelligence").clicked() {
                    let suggested = LeadKind::parse(&lead.kind).map_or_else(
                        crate::graph::suggested_exposure_grading,
                        LeadKind::suggested_grading,
                    );
                    leads.grading = Some((lead.id, GradingForm::suggesting(&suggested)));
                }
            }
        }
    }
}

/// The window and threshold of a run, and the button that starts it.
fn run_controls_ui(leads: &mut super::LeadsView, ui: &mut Ui, commands: &CommandQueue) {
    ui.horizontal(|ui| {
        let label = ui.label("Hospitality window (days)");
        ui.add(egui::TextEdit::singleline(&mut leads.window_days).desired_width(48.0))
            .labelled_by(label.id);
        let window: Option<i64> = leads
            .window_days
            .trim()
            .parse()
            .ok()
            .filter(|d| (0..=3650).contains(d));
        let label = ui.label("Threshold (score)");
        ui.add(egui::TextEdit::singleline(&mut leads.threshold).desired_width(32.0))
            .labelled_by(label.id)
            .on_hover_text(
                "Patterns scoring at least this (0 to 100) are kept as leads; the rest are \
                 listed greyed below them",
            );
        let threshold: Option<u32> = leads.threshold.trim().parse().ok().filter(|t| *t <= 100);
        if ui
            .add_enabled(
                window.is_some() && threshold.is_some() && !leads.running,
                egui::Button::new("Run cross-reference"),
            )
            .clicked()
            && let (Some(window_days), Some(threshold)) = (window, threshold)
        {
            leads.running = true;
            leads.notice = None;
            commands.request(
                Origin::Leads,
                Request::CrossReference {
                    window_days,
                    threshold,
                },
            );
        }
        if leads.running {
            ui.spinner();
        }
    });
}
