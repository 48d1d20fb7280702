//! A subject's assessment history: a small chart of totals over time with each dot in its
//! band's colour, the list of saved assessments, one opened factor by factor, and re-scoring it
//! under another instrument version to see what a revision would change. A Beacon assessment's
//! answers that screening suggested are marked "From data", or "Changed from" the suggestion
//! where the detective gave another, with the facts behind each.

use super::app_command::CommandQueue;
use super::assessment_form::band_badge_ui;
use super::session::{Origin, Request};
use super::{theme, widgets};
use crate::domain::{AssessmentId, NominalId};
use crate::risk::{AssessmentRecord, Instrument, InstrumentVersionInfo, Rescore};
use egui::{RichText, Ui};

/// State of the history view.
#[derive(Debug, Default)]
pub struct AssessmentHistory {
    /// Whose history is shown, and their name.
    pub subject: Option<(NominalId, String)>,
    /// The subject's assessments, oldest first, once the session thread has sent them.
    pub records: Option<Vec<AssessmentRecord>>,
    selected: Option<AssessmentId>,
    rescore_version: Option<u32>,
    /// The last re-score asked for, with the assessment it is of.
    pub rescore: Option<(AssessmentId, Rescore)>,
}

impl AssessmentHistory {
    /// Shows `subject`'s history, asking for it.
    pub fn show_subject(&mut self, subject: NominalId, name: String, commands: &CommandQueue) {
        *self = Self {
            subject: Some((subject, name)),
            ..Self::default()
        };
        commands.request(Origin::Risk, Request::AssessmentsOf(subject));
    }

    /// The session thread's answer: kept only if it is still the subject shown.
    pub fn apply(&mut self, subject: NominalId, records: Vec<AssessmentRecord>) {
        if self.subject.as_ref().is_some_and(|(s, _)| *s == subject) {
            if self.selected.is_none() {
                self.selected = records.last().map(|r| r.id);
            }
            self.records = Some(records);
        }
    }

    pub fn ui(
        &mut self,
        ui: &mut Ui,
        instruments: Option<&[InstrumentVersionInfo]>,
        labels: Option<&Instrument>,
        commands: &CommandQueue,
    ) {
        let Some((_, name)) = self.subject.clone() else {
            ui.label(
                RichText::new(
                    "Choose a subject on the Assess tab, or open a nominal and choose Assess risk.",
                )
                .color(theme::MUTED),
            );
            return;
        };
        ui.label(RichText::new(format!("Assessments of {name}")).strong());
        let Some(records) = &self.records else {
            widgets::busy_ui(ui, "Reading the assessments…");
            return;
        };
        if records.is_empty() {
            ui.label("No assessment of this subject yet.");
            return;
        }
        history_chart_ui(ui, records);
        ui.add_space(theme::ITEM_SPACING);
        let mut open = None;
        egui::Grid::new("assessment_history")
            .striped(true)
            .num_columns(6)
            .show(ui, |ui| {
                for heading in [
                    "Assessed on",
                    "Instrument",
                    "Total",
                    "Band",
                    "Next review",
                    "",
                ] {
                    ui.label(RichText::new(heading).strong());
                }
                ui.end_row();
                for record in records.iter().rev() {
                    ui.label(record.assessed_on.to_string());
                    ui.label(format!("{} v{}", record.instrument, record.version));
                    ui.label(record.score.total.to_string());
                    band_badge_ui(ui, &record.score.band, &record.score.band_colour);
                    ui.label(record.next_review_on.to_string());
                    let is_open = self.selected == Some(record.id);
                    if ui
                        .selectable_label(is_open, format!("Open #{}", record.id))
                        .clicked()
                    {
                        open = Some(record.id);
                    }
                    ui.end_row();
                }
            });
        if let Some(id) = open {
            self.selected = Some(id);
            self.rescore_version = None;
        }
        let Some(record) = self
            .selected
            .and_then(|id| records.iter().find(|r| r.id == id))
            .cloned()
        else {
            return;
        };
        ui.add_space(theme::SECTION_SPACING);
        self.record_ui(ui, &record, instruments, labels, commands);
    }

    fn record_ui(
        &mut self,
        ui: &mut Ui,
        record: &AssessmentRecord,
        instruments: Option<&[InstrumentVersionInfo]>,
        labels: Option<&Instrument>,
        commands: &CommandQueue,
    ) {
        // Option labels from the instrument the form holds, when it is this one.
        let labels = labels.filter(|i| i.key() == record.instrument);
        let option_label = |factor: &str, option: &str| {
            labels
                .and_then(|i| i.factor(factor))
                .and_then(|f| f.option(option))
                .map_or_else(|| option.to_owned(), |(_, o)| o.label.clone())
        };
        ui.label(
            RichText::new(format!(
                "Assessment #{} under {} version {}",
                record.id, record.instrument, record.version
            ))
            .strong(),
        );
        egui::Grid::new("assessment_factors")
            .striped(true)
            .num_columns(5)
            .show(ui, |ui| {
                for heading in ["Factor", "Answer", "Weight", "Contribution", "Data"] {
                    ui.label(RichText::new(heading).strong());
                }
                ui.end_row();
                for factor in &record.score.factors {
                    ui.label(&factor.factor);
                    ui.label(&factor.answer);
                    ui.label(factor.weight.to_string());
                    ui.label(factor.contribution.to_string());
                    match record.data_answer(&factor.factor) {
                        Some(data) => {
                            let words = if data.changed() {
                                RichText::new(format!(
                                    "Changed from {} (suggested from data)",
                                    option_label(&data.factor, &data.suggested)
                                ))
                                .color(theme::WARNING)
                            } else {
                                RichText::new("From data").color(theme::ACCENT)
                            };
                            ui.label(words).on_hover_text(data.facts.join("\n"));
                        }
                        None => {
                            ui.label("");
                        }
                    }
                    ui.end_row();
                }
            });
        if !record.data_answers.is_empty() {
            egui::CollapsingHeader::new("Facts behind the answers suggested from data")
                .id_salt(("data_answer_facts", record.id.0))
                .show(ui, |ui| {
                    for data in &record.data_answers {
                        let factor = labels
                            .and_then(|i| i.factor(&data.factor))
                            .map_or(data.factor.as_str(), |f| f.label.as_str());
                        ui.label(RichText::new(factor).strong());
                        for fact in &data.facts {
                            ui.label(RichText::new(fact).small());
                        }
                        ui.label(
                            RichText::new(format!(
                                "Evidence: {}",
                                widgets::count_words(data.evidence.len(), "row", "rows")
                            ))
                            .small()
                            .color(theme::MUTED),
                        );
                    }
                });
        }
        ui.label(format!("Rationale: {}", record.rationale));
        let versions: Vec<u32> = instruments
            .unwrap_or_default()
            .iter()
            .filter(|v| v.key == record.instrument && v.version != record.version)
            .map(|v| v.version)
            .collect();
        if versions.is_empty() {
            ui.label(
                RichText::new("No other version of this instrument to re-score under.")
                    .color(theme::MUTED),
            );
            return;
        }
        let mut version = self
            .rescore_version
            .filter(|v| versions.contains(v))
            .unwrap_or(versions[versions.len() - 1]);
        ui.horizontal(|ui| {
            ui.label("Re-score under version");
            egui::ComboBox::from_id_salt("rescore_version")
                .selected_text(version.to_string())
                .show_ui(ui, |ui| {
                    for v in &versions {
                        ui.selectable_value(&mut version, *v, v.to_string());
                    }
                })
                .response
                .widget_info(|| {
                    egui::WidgetInfo::labeled(egui::Role::ComboBox, true, "Re-score version")
                });
            if ui.button("Re-score").clicked() {
                commands.request(
                    Origin::Risk,
                    Request::Rescore {
                        id: record.id,
                        version,
                    },
                );
            }
        });
        self.rescore_version = Some(version);
        if let Some((id, rescore)) = &self.rescore
            && *id == record.id
        {
            rescore_ui(ui, rescore);
        }
    }
}

/// What a re-score changed: the totals and bands, then each factor that differs.
fn rescore_ui(ui: &mut Ui, rescore: &Rescore) {
    ui.label(format!(
        "Version {}: {} ({}); under version {}: {} ({})",
        rescore.before.version,
        rescore.before.total,
        rescore.before.band,
        rescore.after.version,
        rescore.after.total,
        rescore.after.band
    ));
    if rescore.changes.is_empty() {
        ui.label("No factor scores differently.");
        return;
    }
    egui::Grid::new("rescore_changes")
        .striped(true)
        .num_columns(3)
        .show(ui, |ui| {
            for heading in ["Factor", "Before", "After"] {
                ui.label(RichText::new(heading).strong());
            }
            ui.end_row();
            for change in &rescore.changes {
                ui.label(&change.factor);
                ui.label(
                    change
                        .before
                        .map_or_else(|| "(new)".into(), |p| p.to_string()),
                );
                let after = change
                    .after
                    .map_or_else(|| "(removed)".into(), |p| p.to_string());
                if change.assumed_lowest {
                    ui.label(format!("{after} (lowest answer assumed)"));
                } else {
                    ui.label(after);
                }
                ui.end_row();
            }
        });
}

/// One assessment on a totals chart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TotalsPoint {
    pub on: crate::domain::IsoDate,
    pub total_hundredths: i64,
    /// The total as written, and the band, for the chart's description.
    pub total: String,
    pub band: String,
    pub band_colour: String,
}

fn history_chart_ui(ui: &mut Ui, records: &[AssessmentRecord]) {
    let points: Vec<TotalsPoint> = records
        .iter()
        .map(|r| TotalsPoint {
            on: r.assessed_on,
            total_hundredths: r.score.total.0,
            total: r.score.total.to_string(),
            band: r.score.band.clone(),
            band_colour: r.score.band_colour.clone(),
        })
        .collect();
    totals_chart_ui(ui, "Assessment history chart", &points);
}

/// Totals over time: a line through the assessments, each dot in its band's colour. The x axis
/// is the assessment date, so the gaps between reviews show. `name` is what a screen reader
/// hears before the points.
pub(crate) fn totals_chart_ui(ui: &mut Ui, name: &str, records: &[TotalsPoint]) {
    let (rect, response) =
        ui.allocate_exact_size(theme::RISK_HISTORY_CHART_SIZE, egui::Sense::hover());
    let painter = ui.painter_at(rect);
    painter.rect_filled(rect, 3.0, theme::CHART_BACKGROUND);
    let inner = rect.shrink(theme::RISK_HISTORY_DOT_RADIUS * 3.0);
    let days: Vec<i64> = records
        .iter()
        .map(|r| i64::from(r.on.0.to_julian_day()))
        .collect();
    let first = days.iter().copied().min().unwrap_or(0);
    let span_days = (days.iter().copied().max().unwrap_or(0) - first).max(1);
    let top = records
        .iter()
        .map(|r| r.total_hundredths)
        .max()
        .unwrap_or(0)
        .max(1);
    #[expect(clippy::cast_precision_loss, reason = "days and hundredths are small")]
    let points: Vec<egui::Pos2> = records
        .iter()
        .zip(&days)
        .map(|(record, day)| {
            let x = if records.len() == 1 {
                0.5
            } else {
                (day - first) as f32 / span_days as f32
            };
            let y = record.total_hundredths.max(0) as f32 / top as f32;
            egui::pos2(
                inner.left() + x * inner.width(),
                inner.bottom() - y * inner.height(),
            )
        })
        .collect();
    painter.add(egui::Shape::line(
        points.clone(),
        egui::Stroke::new(1.5, theme::CHART_EDGE),
    ));
    for (point, record) in points.iter().zip(records) {
        painter.circle_filled(
            *point,
            theme::RISK_HISTORY_DOT_RADIUS,
            theme::colour_from_hex(&record.band_colour),
        );
    }
    let description = records
        .iter()
        .map(|r| format!("{} {} {}", r.on, r.total, r.band))
        .collect::<Vec<_>>()
        .join("; ");
    response.widget_info(|| {
        egui::WidgetInfo::labeled(egui::Role::Image, true, format!("{name}: {description}"))
    });
}
