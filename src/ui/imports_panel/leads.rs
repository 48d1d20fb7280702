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
                // Every pattern in view at once: no scrolling inside the list.
                .height(400.0)
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
        let below: Vec<&crate::workbench::BelowThreshold> = leads
            .below
            .iter()
            .filter(|b| leads.kind_filter.is_none_or(|k| k == b.kind))
            .collect();
        if !below.is_empty() {
            ui.label(
                RichText::new(format!(
                    "{} pattern(s) below the threshold, greyed after the leads: seen, not kept.",
                    below.len()
                ))
                .color(theme::MUTED),
            );
        }
        if let Some(id) = leads_table_ui(ui, &shown, &below, leads.selected) {
            leads.selected = Some(id);
        }
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
        if ui.button("Open the member of staff's profile").clicked() {
            commands.send(crate::ui::app_command::MainCommand::OpenNominal(
                lead.employee,
            ));
        }
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

/// The leads, then the patterns below the threshold greyed; the lead clicked, if any.
fn leads_table_ui(
    ui: &mut Ui,
    shown: &[&StoredLead],
    below: &[&crate::workbench::BelowThreshold],
    selected: Option<crate::domain::LeadId>,
) -> Option<crate::domain::LeadId> {
    // One line per row (the whole summary on hover, and below when selected), and only the
    // rows in view laid out: a large force's run leaves hundreds of thousands of patterns
    // below the threshold.
    let mut clicked = None;
    // The list takes the height left, keeping room for a selected lead's details below it.
    let height = (ui.available_height() - 220.0).max(200.0);
    egui_extras::TableBuilder::new(ui)
        .id_salt("leads_table")
        .striped(true)
        .sense(egui::Sense::click())
        .max_scroll_height(height)
        .column(egui_extras::Column::auto().at_least(48.0))
        .column(egui_extras::Column::auto().at_least(220.0))
        .column(egui_extras::Column::remainder().at_least(240.0).clip(true))
        .header(theme::TABLE_ROW_HEIGHT + 4.0, |mut header| {
            for title in ["Score", "Pattern", "Summary"] {
                header.col(|ui| {
                    ui.label(RichText::new(title).strong());
                });
            }
        })
        .body(|body| {
            body.rows(
                theme::TABLE_ROW_HEIGHT,
                shown.len() + below.len(),
                |mut row| {
                    let index = row.index();
                    if let Some(lead) = shown.get(index) {
                        row.set_selected(selected == Some(lead.id));
                        let pattern = LeadKind::parse(&lead.kind)
                            .map_or_else(|| lead.kind.clone(), |k| k.label().to_owned());
                        let summary = lead.explanation.first().cloned().unwrap_or_default();
                        let summary = if lead.promoted_item.is_some() {
                            format!("{summary} (promoted)")
                        } else {
                            summary
                        };
                        for cell in [lead.score.to_string(), pattern, summary] {
                            row.col(|ui| {
                                ui.add(egui::Label::new(cell).truncate().selectable(false));
                            });
                        }
                        if row.response().clicked() {
                            clicked = Some(lead.id);
                        }
                    } else if let Some(below) = below.get(index - shown.len()) {
                        // Below the threshold: seen, not kept, greyed so it reads as context.
                        let cells = [
                            below.score.to_string(),
                            below.kind.label().to_owned(),
                            format!(
                                "{} (below the threshold, not kept)",
                                below.explanation.join(" · ")
                            ),
                        ];
                        for cell in cells {
                            row.col(|ui| {
                                ui.add(
                                    egui::Label::new(RichText::new(cell).color(theme::MUTED))
                                        .truncate()
                                        .selectable(false),
                                );
                            });
                        }
                    }
                },
            );
        });
    clicked
}
