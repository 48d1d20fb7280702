//! The Reports area: the strategic threat assessment for a chosen period, the analyst's
//! argument first (written here, `assessment_text_editor`), then its charts (`egui_plot`) and
//! tables, and its export as HTML behind a preview that says exactly what will
//! leave the workbench before a file is chosen; the PIB pack; the control strategy; and the
//! transferee information package (`transferee_view`), also behind a preview.

use super::app_command::{CommandQueue, MainCommand};
use super::assessment_text_editor::{AssessmentTextEditor, version_words};
use super::control_strategy_editor::{ControlStrategyEditor, control_strategy_table_ui};
use super::session::{Origin, Request};
use super::session_view::SessionView;
use super::transferee_view::TransfereeView;
use super::{theme, widgets};
use crate::domain::IsoDate;
use crate::risk::threat_assessment::{
    Edition, NOT_RANKED, NOT_WRITTEN, ThreatAssessment, Trend, paragraphs,
};
use egui::{RichText, Ui};
use egui_plot::{Bar, BarChart, Legend, Plot};

/// State of the Reports area.
#[derive(Debug)]
pub struct ReportsPanel {
    pub from: String,
    pub to: String,
    /// The edition to read and export: sanitised unless an inspector chooses restricted.
    pub edition: Edition,
    /// The assessment last read, and the period it was asked for.
    pub assessment: Option<Box<ThreatAssessment>>,
    pub waiting: bool,
    pub error: Option<String>,
    /// The export preview is open.
    pub previewing: bool,
    /// The control strategy, shown and edited.
    pub strategy: ControlStrategyEditor,
    /// The analyst's text of the period on screen, written and edited.
    pub text_editor: AssessmentTextEditor,
    /// The last People Intelligence Board's date, for the pack's changes.
    pub last_board: String,
    /// The transferee information package: its employee and its preview.
    pub transferee: TransfereeView,
}

impl Default for ReportsPanel {
    fn default() -> Self {
        let today = IsoDate::today_utc();
        Self {
            from: today.plus_days(-364).to_string(),
            to: today.to_string(),
            edition: Edition::Sanitised,
            assessment: None,
            waiting: false,
            error: None,
            previewing: false,
            strategy: ControlStrategyEditor::default(),
            text_editor: AssessmentTextEditor::default(),
            last_board: today.plus_days(-28).to_string(),
            transferee: TransfereeView::default(),
        }
    }
}

impl ReportsPanel {
    /// The session thread answered.
    pub fn assessed(&mut self, assessment: Box<ThreatAssessment>) {
        self.waiting = false;
        self.error = None;
        self.text_editor.period_changed();
        self.assessment = Some(assessment);
    }

    /// A request from this area (or another) failed: stop waiting (an edit stays open).
    pub fn failed(&mut self) {
        self.waiting = false;
        self.strategy.failed();
        self.text_editor.failed();
        self.transferee.failed();
    }

    fn period(&self) -> Result<(IsoDate, IsoDate), String> {
        let from = self
            .from
            .trim()
            .parse::<IsoDate>()
            .map_err(|_| "From: a date as YYYY-MM-DD".to_owned())?;
        let to = self
            .to
            .trim()
            .parse::<IsoDate>()
            .map_err(|_| "To: a date as YYYY-MM-DD".to_owned())?;
        if to < from {
            return Err("The period ends before it starts.".into());
        }
        Ok((from, to))
    }

    pub fn ui(&mut self, ui: &mut Ui, session: &SessionView, commands: &CommandQueue) {
        if self.text_editor.edit_ui(ui, &session.reference, commands) {
            return;
        }
        ui.heading("Strategic threat assessment");
        ui.label(
            RichText::new(
                "The analyst's summary, key judgements, threats in priority order, \
                 requirements and recommendations; then intelligence received in the period \
                 against the period of the same length before it, live notifiable \
                 associations, the Beacon cohort, interventions, the most pressing exposure \
                 leads and the control strategy.",
            )
            .color(theme::MUTED),
        );
        if session.purpose.is_none() {
            ui.label("Set a purpose (top bar) to read or export reports.");
            return;
        }
        let may_restrict = session.may(crate::domain::Action::ViewRestrictedThreatAssessment);
        if !may_restrict {
            self.edition = Edition::Sanitised;
        }
        ui.horizontal(|ui| {
            widgets::labelled_date_ui(ui, "From", &mut self.from);
            widgets::labelled_date_ui(ui, "To", &mut self.to);
            if may_restrict {
                ui.label("Edition");
                egui::ComboBox::from_id_salt("ta_edition")
                    .selected_text(edition_words(self.edition))
                    .show_ui(ui, |ui| {
                        for edition in Edition::ALL {
                            ui.selectable_value(&mut self.edition, edition, edition_words(edition));
                        }
                    })
                    .response
                    .widget_info(|| {
                        egui::WidgetInfo::labeled(egui::Role::ComboBox, true, "Edition")
                    });
            }
            if ui
                .add_enabled(!self.waiting, egui::Button::new("Assess"))
                .clicked()
            {
                match self.period() {
                    Ok((from, to)) => {
                        self.error = None;
                        self.waiting = true;
                        commands.request(
                            Origin::Reports,
                            Request::ThreatAssessment {
                                from,
                                to,
                                edition: self.edition,
                            },
                        );
                    }
                    Err(message) => self.error = Some(message),
                }
            }
        });
        if let Some(error) = &self.error {
            widgets::error_ui(ui, error);
        }
        if self.waiting {
            widgets::busy_ui(ui, "Assessing…");
        }
        ui.horizontal(|ui| {
            widgets::labelled_date_ui(ui, "Last board", &mut self.last_board);
            if ui.button("Export the PIB pack…").clicked() {
                match self.last_board.trim().parse::<IsoDate>() {
                    Ok(since) => {
                        self.error = None;
                        commands.send(MainCommand::ExportPibPack { since });
                    }
                    Err(_) => self.error = Some("Last board: a date as YYYY-MM-DD".into()),
                }
            }
            ui.label(
                RichText::new(
                    "The Beacon cohort and what changed since the last board; a disclosure, \
                     recorded with the session's purpose.",
                )
                .color(theme::MUTED),
            );
        });
        egui::CollapsingHeader::new("The control strategy table")
            .default_open(false)
            .show(ui, |ui| self.strategy.ui(ui, session, commands));
        egui::CollapsingHeader::new("Transferee package")
            .default_open(false)
            .show(ui, |ui| {
                let may_include = session.may(crate::domain::Action::IncludeWithheldIntelligence);
                self.transferee.ui(ui, may_include, commands);
            });
        self.transferee.preview_ui(ui, commands);
        let Some(assessment) = &self.assessment else {
            return;
        };
        ui.separator();
        ui.horizontal(|ui| {
            ui.label(format!(
                "{} to {}: {} item(s) received; {} in the previous period ({} to {}).",
                assessment.from,
                assessment.to,
                assessment.current.total,
                assessment.previous.total,
                assessment.previous_from,
                assessment.previous_to
            ));
            if ui.button("Export the report…").clicked() {
                self.previewing = true;
            }
        });
        self.text_editor
            .actions_ui(ui, assessment, session, commands);
        if self.previewing {
            preview_ui(ui, assessment, &mut self.previewing, commands);
        }
        egui::ScrollArea::vertical()
            .id_salt("threat_assessment")
            .show(ui, |ui| assessment_ui(ui, assessment));
    }
}

/// What the export will hold, shown before a file is chosen.
fn preview_ui(
    ui: &mut Ui,
    assessment: &ThreatAssessment,
    open: &mut bool,
    commands: &CommandQueue,
) {
    let mut close = false;
    egui::Window::new("Export preview")
        .collapsible(false)
        .resizable(false)
        .show(ui.ctx(), |ui| {
            ui.label(RichText::new("What will leave the workbench").strong());
            ui.label(format!(
                "One HTML page: the threat assessment for {} to {}, with its charts.",
                assessment.from, assessment.to
            ));
            let a = assessment;
            ui.label(RichText::new(a.edition.statement()).color(theme::WARNING));
            ui.label(match &a.text {
                Some(version) => format!(
                    "The analyst's text, version {}: the executive summary, {} key \
                     judgement(s), {} ranked threat(s), {} intelligence requirement(s) and {} \
                     recommendation(s), as written.",
                    version.version,
                    version.text.key_judgements.len(),
                    version.text.threats.len(),
                    version.text.intelligence_requirements.len(),
                    version.text.recommendations.len()
                ),
                None => String::from("No analyst's text: none was written for this period."),
            });
            ui.label(format!(
                "Counts of {} item(s) in the period and {} before it, by category, \
                 sub-category, source type, grading and status, and by the employee type, rank \
                 and department of the staff they concern; {} live notifiable association(s); \
                 a Beacon cohort of {}; {} intervention(s) by outcome.",
                a.count_text(a.current.total),
                a.count_text(a.previous.total),
                a.count_text(a.live_associations.values().sum::<u64>()),
                a.count_text(a.beacon_cohort),
                a.count_text(a.interventions_by_outcome.values().sum::<u64>())
            ));
            ui.label(match a.edition {
                Edition::Restricted => format!(
                    "Names: {} exposure lead(s), each naming an employee and a nominal of concern.",
                    a.top_exposures.len()
                ),
                Edition::Sanitised => format!(
                    "No names: {} exposure lead(s), each as a member of staff and a nominal of \
                     concern, with its distance and score.",
                    a.top_exposures.len()
                ),
            });
            ui.label(format!(
                "The control strategy: {} row(s).",
                assessment.control_strategy.len()
            ));
            ui.label(
                RichText::new(
                    "No intelligence item's text leaves with it. The export is recorded in the \
                     audit log with the session's purpose, the file's size and its SHA-256.",
                )
                .color(theme::MUTED),
            );
            ui.horizontal(|ui| {
                if ui.button("Choose where to save…").clicked() {
                    commands.send(MainCommand::ExportThreatAssessment {
                        from: assessment.from,
                        to: assessment.to,
                        edition: assessment.edition,
                    });
                    close = true;
                }
                if ui.button("Cancel").clicked() {
                    close = true;
                }
            });
        });
    if close {
        *open = false;
    }
}

/// Bars for this period and the previous one, side by side for each code, one row per code
/// named by its label on the axis (the first code at the top), the counts along the other axis.
fn trend_plot_ui(ui: &mut Ui, a: &ThreatAssessment, id: &str, rows: &[Trend]) {
    let n = rows.len();
    // Row i is drawn at height n - 1 - i, so the table's order reads top to bottom.
    #[expect(
        clippy::cast_precision_loss,
        reason = "a handful of codes; counts far below 2^52"
    )]
    let bar = |index: usize, offset: f64, count: u64, label: &str, fill: egui::Color32| {
        Bar::new((n - 1 - index) as f64 + offset, count as f64)
            .width(0.35)
            .name(label)
            .fill(fill)
    };
    let current: Vec<Bar> = rows
        .iter()
        .enumerate()
        .map(|(i, row)| {
            bar(
                i,
                0.2,
                a.count_drawn(row.current),
                &row.label,
                theme::ACCENT,
            )
        })
        .collect();
    let previous: Vec<Bar> = rows
        .iter()
        .enumerate()
        .map(|(i, row)| {
            bar(
                i,
                -0.2,
                a.count_drawn(row.previous),
                &row.label,
                theme::MUTED,
            )
        })
        .collect();
    let labels: Vec<String> = rows.iter().map(|row| row.label.clone()).collect();
    // The label column is as wide as the longest label (up to 60% of the width).
    let font = egui::TextStyle::Body.resolve(ui.style());
    let longest = labels
        .iter()
        .map(|label| {
            ui.fonts_mut(|fonts| {
                fonts
                    .layout_no_wrap(label.clone(), font.clone(), egui::Color32::BLACK)
                    .size()
                    .x
            })
        })
        .fold(0.0_f32, f32::max);
    let label_width = (longest + 12.0).min(ui.available_width() * 0.6);
    #[expect(clippy::cast_precision_loss, reason = "a handful of rows")]
    let height = 48.0 + 26.0 * n as f32;
    // Counts start at 0 and the axis always spans at least one item, so an edition that hides
    // small counts draws an empty chart from 0, not an axis around nothing.
    #[expect(clippy::cast_precision_loss, reason = "counts far below 2^52")]
    let most = rows
        .iter()
        .map(|r| a.count_drawn(r.current).max(a.count_drawn(r.previous)))
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    Plot::new(id)
        .height(height)
        .include_x(0.0)
        // Room on the right for the legend beside the longest bar.
        .include_x(most * 1.3)
        // Counts are whole: ticks at 1, 2, 5, 10... apart, never at fractions.
        .x_grid_spacer(egui_plot::uniform_grid_spacer(|input| {
            let span = input.bounds.1 - input.bounds.0;
            let step = [1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 200.0, 500.0, 1000.0]
                .into_iter()
                .find(|step| span / step <= 10.0)
                .unwrap_or(span / 10.0);
            [step, step * 5.0, step * 25.0]
        }))
        // Bottom right, where the smallest counts leave room (the largest bars are at the top).
        .legend(Legend::default().position(egui_plot::Corner::RightTop))
        .allow_zoom(false)
        .allow_drag(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .show_y(false)
        .x_axis_label("Intelligence items")
        .y_axis_min_width(label_width)
        .y_grid_spacer(move |input| {
            #[expect(
                clippy::cast_possible_truncation,
                clippy::cast_sign_loss,
                reason = "row positions are small whole numbers"
            )]
            let (from, to) = (
                input.bounds.0.ceil().max(0.0) as usize,
                input.bounds.1.floor().max(0.0) as usize,
            );
            #[expect(clippy::cast_precision_loss, reason = "row positions are small")]
            (from..=to.min(n.saturating_sub(1)))
                .map(|row| egui_plot::GridMark {
                    value: row as f64,
                    step_size: 1.0,
                })
                .collect()
        })
        .y_axis_formatter(move |mark, _| {
            #[expect(
                clippy::cast_possible_truncation,
                clippy::cast_sign_loss,
                reason = "row positions are small whole numbers"
            )]
            let row = mark.value.round() as usize;
            if (mark.value - mark.value.round()).abs() > 1e-6 || row >= n {
                return String::new();
            }
            labels[n - 1 - row].clone()
        })
        .show(ui, |plot| {
            plot.bar_chart(
                BarChart::new("This period", current)
                    .horizontal()
                    .color(theme::ACCENT),
            );
            plot.bar_chart(
                BarChart::new("Previous period", previous)
                    .horizontal()
                    .color(theme::MUTED),
            );
        });
}

fn trend_table_ui(ui: &mut Ui, a: &ThreatAssessment, id: &str, heading: &str, rows: &[Trend]) {
    egui::Grid::new(id)
        .striped(true)
        .num_columns(4)
        .show(ui, |ui| {
            for title in [heading, "This period", "Previous period", "Change"] {
                ui.label(RichText::new(title).strong());
            }
            ui.end_row();
            for row in rows {
                ui.label(&row.label);
                ui.label(a.count_text(row.current));
                ui.label(a.count_text(row.previous));
                ui.label(a.change_text(row));
                ui.end_row();
            }
        });
}

fn counts_ui(ui: &mut Ui, a: &ThreatAssessment, id: &str, heading: &str, rows: &[(String, u64)]) {
    egui::Grid::new(id)
        .striped(true)
        .num_columns(2)
        .show(ui, |ui| {
            ui.label(RichText::new(heading).strong());
            ui.label(RichText::new("Count").strong());
            ui.end_row();
            for (label, count) in rows {
                ui.label(label);
                ui.label(a.count_text(*count));
                ui.end_row();
            }
        });
}

/// A numbered list under its heading, or why it is empty.
fn numbered_ui(ui: &mut Ui, heading: &str, entries: &[String]) {
    ui.label(RichText::new(heading).heading());
    if entries.is_empty() {
        ui.label(RichText::new(NOT_WRITTEN).color(theme::MUTED));
    }
    for (index, entry) in entries.iter().enumerate() {
        ui.label(format!("{}. {}", index + 1, paragraphs(entry).join(" ")));
    }
    ui.add_space(theme::SECTION_SPACING);
}

/// The analyst's argument, as the report prints it.
fn argument_ui(ui: &mut Ui, a: &ThreatAssessment) {
    ui.label(RichText::new("Executive summary").heading());
    match &a.text {
        Some(version) => {
            for paragraph in paragraphs(&version.text.summary) {
                ui.label(paragraph);
            }
            ui.label(RichText::new(version_words(version)).color(theme::MUTED));
        }
        None => {
            ui.label(
                RichText::new(
                    "The analyst has not yet written the assessment for this period: an \
                     analyst or inspector can write it with \"Write the analyst's text for \
                     this period\" above. The figures follow.",
                )
                .color(theme::MUTED),
            );
        }
    }
    ui.add_space(theme::SECTION_SPACING);
    let text = a.text.as_ref().map(|v| &v.text);
    numbered_ui(
        ui,
        "Key judgements",
        text.map_or(&[][..], |t| &t.key_judgements),
    );
    ui.label(RichText::new("Threats in priority order").heading());
    let threats = a.priority_threats();
    if threats.is_empty() {
        ui.label(RichText::new(NOT_RANKED).color(theme::MUTED));
    }
    for threat in &threats {
        ui.label(RichText::new(format!("{}. {}", threat.priority, threat.trend.label)).strong());
        ui.label(a.received_words(&threat.trend));
        if !threat.subcategories.is_empty() {
            trend_table_ui(
                ui,
                a,
                &format!("ta_threat_{}", threat.priority),
                "Sub-category",
                &threat.subcategories,
            );
        }
        for paragraph in paragraphs(&threat.assessment) {
            ui.label(paragraph);
        }
        ui.add_space(theme::ITEM_SPACING);
    }
    ui.add_space(theme::SECTION_SPACING);
    numbered_ui(
        ui,
        "Intelligence requirements",
        text.map_or(&[][..], |t| &t.intelligence_requirements),
    );
    numbered_ui(
        ui,
        "Recommendations",
        text.map_or(&[][..], |t| &t.recommendations),
    );
}

fn assessment_ui(ui: &mut Ui, a: &ThreatAssessment) {
    ui.label(RichText::new(a.edition.statement()).color(theme::WARNING));
    ui.add_space(theme::ITEM_SPACING);
    argument_ui(ui, a);
    ui.label(RichText::new("The figures").heading());
    for table in a.figure_tables() {
        ui.label(RichText::new(table.title).strong());
        if table.rows.is_empty() {
            ui.label(RichText::new("None in either period.").color(theme::MUTED));
            ui.add_space(theme::SECTION_SPACING);
            continue;
        }
        trend_plot_ui(ui, a, &format!("ta_{}_plot", table.key), &table.rows);
        trend_table_ui(
            ui,
            a,
            &format!("ta_{}", table.key),
            table.heading,
            &table.rows,
        );
        ui.add_space(theme::SECTION_SPACING);
    }
    ui.label(RichText::new(format!("Live notifiable associations on {}", a.to)).strong());
    counts_ui(ui, a, "ta_na", "Category", &a.live_association_rows());
    ui.add_space(theme::SECTION_SPACING);
    ui.label(RichText::new(format!("Beacon cohort: {}", a.count_text(a.beacon_cohort))).strong());
    counts_ui(ui, a, "ta_beacon", "Band", &a.beacon_bands);
    ui.add_space(theme::SECTION_SPACING);
    ui.label(RichText::new("Interventions proposed in the period").strong());
    counts_ui(ui, a, "ta_interventions", "Outcome", &a.intervention_rows());
    ui.add_space(theme::SECTION_SPACING);
    ui.label(RichText::new("Most pressing exposure leads").strong());
    egui::Grid::new("ta_exposures")
        .striped(true)
        .num_columns(4)
        .show(ui, |ui| {
            for title in ["Employee", "Nominal of concern", "Links away", "Score"] {
                ui.label(RichText::new(title).strong());
            }
            ui.end_row();
            for lead in &a.top_exposures {
                ui.label(&lead.employee);
                ui.label(&lead.target);
                ui.label(lead.hops.to_string());
                ui.label(format!("{:.2}", lead.score));
                ui.end_row();
            }
        });
    ui.add_space(theme::SECTION_SPACING);
    ui.label(RichText::new("Control strategy").strong());
    if a.control_strategy.is_empty() {
        ui.label("Not yet set (Reports, The control strategy table).");
    }
    control_strategy_table_ui(ui, "ta_strategy", &a.control_strategy);
}

/// An edition in words, for the choice.
fn edition_words(edition: Edition) -> &'static str {
    match edition {
        Edition::Sanitised => "Sanitised (for publication)",
        Edition::Restricted => "Restricted (names people)",
    }
}
