//! The assessment form: one risk instrument's factors with their guidance, an answer for each,
//! and the score worked out as the assessor answers (a bar per factor's contribution, the total
//! and the band in its colour), so the assessor sees why the band is what it is before saving.
//! Under Beacon, for a member of staff screening listed, the answers the data suggests are
//! pre-selected with their facts and evidence, and each must be accepted or changed before the
//! assessment can be saved: the detective answers every factor, the data only suggests.

use super::app_command::{CommandQueue, MainCommand};
use super::session::{Origin, Request, SearchOwner};
use super::session_view::SessionView;
use super::{theme, widgets};
use crate::domain::{IsoDate, NominalId, SearchQuery, SearchTarget};
use crate::risk::beacon_screen::SuggestedAnswer;
use crate::risk::{Answers, Factor, Instrument, Points, Score};
use crate::workbench::BeaconSuggestions;
use egui::{RichText, Ui};
use std::collections::BTreeSet;

/// State of the assessment form.
#[derive(Debug)]
pub struct AssessmentForm {
    /// The newest version of the chosen instrument, once the session thread has sent it.
    pub instrument: Option<Instrument>,
    /// The subject assessed: id and display name.
    pub subject: Option<(NominalId, String)>,
    answers: Answers,
    rationale: String,
    assessed_on: String,
    subject_query: String,
    last_subject_query: String,
    /// The search number whose answer fills the subject suggestions.
    pub subject_search: Option<u64>,
    pub subject_hits: Vec<crate::domain::SearchHit>,
    /// Set while the session thread saves.
    pub saving: bool,
    error: Option<String>,
    /// The answers Beacon screening suggests for the subject, once the session thread has
    /// sent them (only for the subject assessed).
    pub suggestions: Option<BeaconSuggestions>,
    /// The factors whose suggestion the detective accepted.
    accepted: BTreeSet<String>,
}

/// Where a suggested answer stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SuggestionState {
    /// Pre-selected, not yet accepted.
    Pending,
    Accepted,
    /// The detective chose another answer.
    Changed,
}

impl Default for AssessmentForm {
    fn default() -> Self {
        Self {
            instrument: None,
            subject: None,
            answers: Answers::new(),
            rationale: String::new(),
            assessed_on: IsoDate::today_utc().to_string(),
            subject_query: String::new(),
            last_subject_query: String::new(),
            subject_search: None,
            subject_hits: Vec::new(),
            saving: false,
            error: None,
            suggestions: None,
            accepted: BTreeSet::new(),
        }
    }
}

/// The score of answers given so far: each answered factor's contribution, and the full score
/// (total and band) once every factor is answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveScore {
    /// Per factor, in the instrument's order: its contribution if answered.
    pub contributions: Vec<Option<Points>>,
    /// The sum of the contributions so far.
    pub running_total: Points,
    /// The score with its band, when every factor is answered.
    pub complete: Option<Score>,
}

/// Scores `answers` under `instrument` as far as they go. Pure, so a frame can call it.
#[must_use]
pub fn live_score(instrument: &Instrument, answers: &Answers) -> LiveScore {
    let contributions: Vec<Option<Points>> = instrument
        .factors()
        .iter()
        .map(|factor| {
            answers
                .get(&factor.key)
                .and_then(|key| factor.option(key))
                .map(|(_, option)| factor.weight.times(option.score))
        })
        .collect();
    let running_total = contributions
        .iter()
        .flatten()
        .fold(Points(0), |sum, &points| sum + points);
    let complete = crate::risk::score(instrument, answers).ok();
    LiveScore {
        contributions,
        running_total,
        complete,
    }
}

/// An option's label, or its key when the factor has no such option.
fn option_label(factor: &Factor, key: &str) -> String {
    factor
        .option(key)
        .map_or_else(|| key.to_owned(), |(_, o)| o.label.clone())
}

/// The most a factor can add (its riskiest answer times its weight).
fn factor_max(factor: &Factor) -> Points {
    factor
        .options
        .iter()
        .map(|o| factor.weight.times(o.score))
        .max()
        .unwrap_or_default()
}

impl AssessmentForm {
    /// Starts a new assessment of `subject` (keeps the instrument).
    pub fn start_for(&mut self, subject: NominalId, name: String) {
        let instrument = self.instrument.take();
        *self = Self::default();
        self.instrument = instrument;
        self.subject = Some((subject, name));
    }

    /// A new instrument version arrived: answers to factors it no longer has are dropped.
    pub fn set_instrument(&mut self, instrument: Instrument) {
        let same_key = self
            .instrument
            .as_ref()
            .is_some_and(|old| old.key() == instrument.key());
        if same_key {
            self.answers.retain(|factor, answer| {
                instrument
                    .factor(factor)
                    .is_some_and(|f| f.option(answer).is_some())
            });
        } else {
            self.answers.clear();
            self.accepted.clear();
            if instrument.key() != crate::workbench::BEACON_INSTRUMENT {
                self.suggestions = None;
            }
        }
        self.instrument = Some(instrument);
        self.preselect_suggestions();
    }

    /// The answers screening suggests arrived: kept if they are for the subject assessed, each
    /// pre-selected (and not yet accepted).
    pub fn apply_suggestions(&mut self, suggestions: BeaconSuggestions) {
        if self.subject.as_ref().map(|(id, _)| *id) != Some(suggestions.employee) {
            return;
        }
        for suggestion in &suggestions.suggestions {
            self.accepted.remove(&suggestion.factor);
            self.answers
                .insert(suggestion.factor.clone(), suggestion.option.clone());
        }
        self.suggestions = Some(suggestions);
        self.preselect_suggestions();
    }

    /// Pre-selects each suggested answer the form has no answer for (under Beacon only).
    fn preselect_suggestions(&mut self) {
        let (Some(instrument), Some(suggestions)) = (&self.instrument, &self.suggestions) else {
            return;
        };
        if instrument.key() != crate::workbench::BEACON_INSTRUMENT {
            return;
        }
        for suggestion in &suggestions.suggestions {
            let known = instrument
                .factor(&suggestion.factor)
                .is_some_and(|f| f.option(&suggestion.option).is_some());
            if known && !self.answers.contains_key(&suggestion.factor) {
                self.answers
                    .insert(suggestion.factor.clone(), suggestion.option.clone());
            }
        }
    }

    /// The suggestion for `factor`, when the form shows suggestions (Beacon, this subject).
    fn suggestion(&self, factor: &str) -> Option<&SuggestedAnswer> {
        let instrument = self.instrument.as_ref()?;
        if instrument.key() != crate::workbench::BEACON_INSTRUMENT {
            return None;
        }
        self.suggestions
            .as_ref()?
            .suggestions
            .iter()
            .find(|s| s.factor == factor)
    }

    /// Where the suggestion for `factor` stands (`None` when nothing was suggested for it).
    #[must_use]
    pub fn suggestion_state(&self, factor: &str) -> Option<SuggestionState> {
        let suggestion = self.suggestion(factor)?;
        Some(if self.answers.get(factor) != Some(&suggestion.option) {
            SuggestionState::Changed
        } else if self.accepted.contains(factor) {
            SuggestionState::Accepted
        } else {
            SuggestionState::Pending
        })
    }

    /// How many suggestions are neither accepted nor changed.
    fn pending_suggestions(&self) -> usize {
        self.suggestions.as_ref().map_or(0, |suggestions| {
            suggestions
                .suggestions
                .iter()
                .filter(|s| self.suggestion_state(&s.factor) == Some(SuggestionState::Pending))
                .count()
        })
    }

    /// The assessment was saved: clear the answers for the next one, keep the subject.
    pub fn saved(&mut self) {
        self.saving = false;
        self.answers.clear();
        self.rationale.clear();
        self.error = None;
        self.suggestions = None;
        self.accepted.clear();
    }

    pub fn ui(&mut self, ui: &mut Ui, session: &SessionView, commands: &CommandQueue) {
        self.subject_ui(ui, commands);
        ui.add_space(theme::ITEM_SPACING);
        let Some(instrument) = self.instrument.clone() else {
            widgets::busy_ui(ui, "Opening the instrument…");
            return;
        };
        ui.label(
            RichText::new(format!(
                "{} (version {})",
                instrument.spec().name,
                instrument.version()
            ))
            .strong(),
        );
        ui.label(RichText::new(&instrument.spec().description).color(theme::MUTED));
        self.suggestions_summary_ui(ui);
        ui.add_space(theme::ITEM_SPACING);
        let live = live_score(&instrument, &self.answers);
        ui.columns(2, |columns| {
            egui::ScrollArea::vertical()
                .id_salt("assessment_factors")
                .show(&mut columns[0], |ui| {
                    // Room for the scroll bar, which floats over the content's right edge.
                    ui.set_max_width(ui.available_width() - theme::SCROLL_BAR_ROOM);
                    self.factors_ui(ui, &instrument);
                    self.save_ui(ui, session, &instrument, &live, commands);
                });
            score_ui(&mut columns[1], &instrument, &live);
        });
    }

    fn subject_ui(&mut self, ui: &mut Ui, commands: &CommandQueue) {
        ui.horizontal(|ui| {
            ui.label("Subject:");
            match &self.subject {
                Some((_, name)) => {
                    ui.label(RichText::new(name.as_str()).strong());
                }
                None => {
                    ui.label(RichText::new("none chosen").color(theme::MUTED));
                }
            }
        });
        widgets::labelled_text_ui(
            ui,
            "Find the subject",
            &mut self.subject_query,
            "name, staff number…",
        );
        let query = self.subject_query.trim().to_owned();
        if query.chars().count() >= 2 && query != self.last_subject_query {
            self.last_subject_query.clone_from(&query);
            commands.send(MainCommand::Search(
                SearchOwner::Risk,
                SearchQuery {
                    text: query,
                    nominals_only: true,
                    limit: Some(8),
                    ..SearchQuery::default()
                },
            ));
        }
        let mut chosen = None;
        ui.horizontal_wrapped(|ui| {
            for hit in &self.subject_hits {
                let SearchTarget::Nominal { id } = hit.target else {
                    continue;
                };
                if self.subject.as_ref().is_some_and(|(s, _)| *s == id) {
                    continue;
                }
                if ui.button(format!("Assess {}", hit.title)).clicked() {
                    chosen = Some((id, hit.title.clone()));
                }
            }
        });
        if let Some((id, name)) = chosen {
            // Suggestions are for one subject: another subject starts without them.
            self.suggestions = None;
            self.accepted.clear();
            self.subject = Some((id, name));
            self.subject_query.clear();
            self.last_subject_query.clear();
            self.subject_hits.clear();
        }
    }

    fn factors_ui(&mut self, ui: &mut Ui, instrument: &Instrument) {
        for factor in instrument.factors() {
            ui.add_space(theme::ITEM_SPACING);
            ui.label(RichText::new(&factor.label).strong());
            ui.label(RichText::new(&factor.guidance).color(theme::MUTED).small());
            let chosen = self.answers.get(&factor.key).cloned();
            let selected = chosen
                .as_deref()
                .and_then(|key| factor.option(key))
                .map_or("Choose an answer", |(_, o)| o.label.as_str())
                .to_owned();
            let mut picked = None;
            egui::ComboBox::from_id_salt(("factor", &factor.key))
                .selected_text(selected)
                .width(theme::FIELD_WIDTH)
                .show_ui(ui, |ui| {
                    for option in &factor.options {
                        let is_chosen = chosen.as_deref() == Some(option.key.as_str());
                        if ui.selectable_label(is_chosen, &option.label).clicked() {
                            picked = Some(option.key.clone());
                        }
                    }
                })
                .response
                .widget_info(|| {
                    egui::WidgetInfo::labeled(egui::Role::ComboBox, true, &factor.label)
                });
            if let Some(key) = picked {
                self.answers.insert(factor.key.clone(), key);
            }
            self.suggestion_ui(ui, factor);
        }
    }

    /// What the data suggests in all: how many suggestions are accepted, changed or still
    /// to decide, and what changed since the subject's last Beacon assessment.
    fn suggestions_summary_ui(&self, ui: &mut Ui) {
        let Some(suggestions) = &self.suggestions else {
            return;
        };
        if self.instrument.as_ref().map(Instrument::key)
            != Some(crate::workbench::BEACON_INSTRUMENT)
        {
            return;
        }
        let states: Vec<SuggestionState> = suggestions
            .suggestions
            .iter()
            .filter_map(|s| self.suggestion_state(&s.factor))
            .collect();
        let count = |state| states.iter().filter(|s| **s == state).count();
        ui.add_space(theme::ITEM_SPACING);
        ui.label(
            RichText::new(format!(
                "Answers suggested from data for {} (from {}): {} accepted, {} changed, {} to decide.",
                widgets::count_words(states.len(), "factor", "factors"),
                widgets::count_words(suggestions.findings.len(), "finding", "findings"),
                count(SuggestionState::Accepted),
                count(SuggestionState::Changed),
                count(SuggestionState::Pending),
            ))
            .color(theme::ACCENT),
        );
        ui.label(
            RichText::new(
                "Each is pre-selected: accept it, or choose another answer. The saved assessment keeps both.",
            )
            .small()
            .color(theme::MUTED),
        );
        if let Some(changes) = &suggestions.changes {
            for words in &changes.words {
                ui.label(RichText::new(words).small().color(theme::WARNING));
            }
        }
    }

    /// The suggestion from data under a factor: the option, the facts, the evidence rows, and
    /// whether the detective accepted it or chose another answer.
    fn suggestion_ui(&mut self, ui: &mut Ui, factor: &Factor) {
        let Some(suggestion) = self.suggestion(&factor.key).cloned() else {
            return;
        };
        let Some(state) = self.suggestion_state(&factor.key) else {
            return;
        };
        let suggested_label = option_label(factor, &suggestion.option);
        ui.group(|ui| {
            ui.set_width(ui.available_width());
            ui.label(
                RichText::new(format!("Suggested from data: {suggested_label}"))
                    .color(theme::ACCENT)
                    .strong(),
            );
            for fact in &suggestion.facts {
                ui.label(RichText::new(fact).small());
            }
            if suggestion.evidence.is_empty() {
                ui.label(
                    RichText::new("No evidence rows.")
                        .small()
                        .color(theme::MUTED),
                );
            } else {
                egui::CollapsingHeader::new(
                    RichText::new(format!(
                        "Evidence: {}",
                        widgets::count_words(suggestion.evidence.len(), "row", "rows")
                    ))
                    .small(),
                )
                .id_salt(("suggestion_evidence", &factor.key))
                .show(ui, |ui| {
                    let rows = suggestion
                        .evidence
                        .iter()
                        .map(|row| format!("{} #{}", row.source.label(), row.id))
                        .collect::<Vec<_>>()
                        .join(", ");
                    ui.label(RichText::new(rows).small().color(theme::MUTED));
                });
            }
            match state {
                SuggestionState::Changed => {
                    ui.label(
                        RichText::new(format!("Changed from {suggested_label}"))
                            .color(theme::WARNING)
                            .strong(),
                    );
                }
                SuggestionState::Pending | SuggestionState::Accepted => {
                    let mut accepted = state == SuggestionState::Accepted;
                    let response = ui.checkbox(&mut accepted, "Accept");
                    response.widget_info(|| {
                        egui::WidgetInfo::selected(
                            egui::Role::CheckBox,
                            true,
                            accepted,
                            format!("Accept the suggestion for {}", factor.label),
                        )
                    });
                    if response.changed() {
                        if accepted {
                            self.accepted.insert(factor.key.clone());
                        } else {
                            self.accepted.remove(&factor.key);
                        }
                    }
                    if !accepted {
                        ui.label(
                            RichText::new("Accept it, or choose another answer above.")
                                .small()
                                .color(theme::MUTED),
                        );
                    }
                }
            }
        });
    }

    fn save_ui(
        &mut self,
        ui: &mut Ui,
        session: &SessionView,
        instrument: &Instrument,
        live: &LiveScore,
        commands: &CommandQueue,
    ) {
        ui.add_space(theme::SECTION_SPACING);
        widgets::labelled_date_ui(ui, "Assessed on", &mut self.assessed_on);
        let label = ui.label("Rationale");
        ui.add(
            egui::TextEdit::multiline(&mut self.rationale)
                .hint_text("why these answers: what the intelligence and the data show")
                .desired_rows(4)
                .desired_width(f32::INFINITY),
        )
        .labelled_by(label.id);
        let problem = if self.subject.is_none() {
            Some("choose the subject")
        } else if self.pending_suggestions() > 0 {
            Some("accept or change every answer suggested from data")
        } else if live.complete.is_none() {
            Some("answer every factor")
        } else if self.rationale.trim().is_empty() {
            Some("give the rationale")
        } else if self.assessed_on.parse::<IsoDate>().is_err() {
            Some("the date is written YYYY-MM-DD")
        } else if session.purpose.is_none() {
            Some("set the purpose first (top bar)")
        } else {
            None
        };
        ui.horizontal(|ui| {
            let mut save = ui.add_enabled(
                problem.is_none() && !self.saving,
                egui::Button::new("Save assessment"),
            );
            if let Some(problem) = problem {
                save = save.on_disabled_hover_text(format!("To save: {problem}."));
            }
            if let Some(problem) = problem {
                ui.label(RichText::new(format!("To save: {problem}.")).color(theme::MUTED));
            }
            if save.clicked()
                && let (Some((subject, _)), Ok(assessed_on)) =
                    (&self.subject, self.assessed_on.parse::<IsoDate>())
            {
                self.saving = true;
                self.error = None;
                commands.request(
                    Origin::Risk,
                    Request::Assess {
                        key: instrument.key().to_owned(),
                        subject: *subject,
                        answers: self.answers.clone(),
                        rationale: self.rationale.clone(),
                        assessed_on,
                    },
                );
            }
        });
        if let Some(error) = &self.error {
            widgets::error_ui(ui, error);
        }
    }

    /// Saving failed: show why beside the button.
    pub fn failed(&mut self, message: String) {
        self.saving = false;
        self.error = Some(message);
    }
}

/// The live score: a bar per factor, the total and the band in its colour.
fn score_ui(ui: &mut Ui, instrument: &Instrument, live: &LiveScore) {
    ui.label(RichText::new("Score").strong());
    let scale = instrument
        .factors()
        .iter()
        .map(factor_max)
        .max()
        .unwrap_or_default();
    for (factor, contribution) in instrument.factors().iter().zip(&live.contributions) {
        let text = match contribution {
            Some(points) => format!("{}: {points}", factor.label),
            None => format!("{}: not answered", factor.label),
        };
        ui.label(RichText::new(text).small());
        contribution_bar_ui(ui, contribution.unwrap_or_default(), scale);
    }
    ui.add_space(theme::ITEM_SPACING);
    let answered = live.contributions.iter().flatten().count();
    if let Some(score) = &live.complete {
        ui.label(RichText::new(format!("Total {}", score.total)).heading());
        band_badge_ui(ui, &score.band, &score.band_colour);
        if let Some(factor) = &score.raised_by {
            let label = instrument
                .factor(factor)
                .map_or(factor.as_str(), |f| &f.label);
            ui.label(
                RichText::new(format!("Band raised by the answer to \"{label}\"."))
                    .color(theme::WARNING),
            );
        }
        ui.label(
            RichText::new(format!("Next review in {} days.", score.review_days))
                .color(theme::MUTED),
        );
    } else {
        ui.label(RichText::new(format!("Score so far {}", live.running_total)).heading());
        ui.label(
            RichText::new(format!(
                "{answered} of {} factors answered: the band shows once all are.",
                instrument.factors().len()
            ))
            .color(theme::MUTED),
        );
    }
}

/// A horizontal bar `points / scale` of the available width.
fn contribution_bar_ui(ui: &mut Ui, points: Points, scale: Points) {
    let width = ui.available_width().min(theme::FIELD_WIDTH);
    let (rect, _) = ui.allocate_exact_size(
        egui::vec2(width, theme::RISK_BAR_HEIGHT),
        egui::Sense::hover(),
    );
    let painter = ui.painter();
    painter.rect_filled(rect, 2.0, theme::RISK_BAR_TRACK);
    if scale.0 > 0 && points.0 > 0 {
        let fraction = (points.as_f64() / scale.as_f64()).clamp(0.0, 1.0);
        #[expect(clippy::cast_possible_truncation, reason = "a fraction of a width")]
        let filled = rect.width() * fraction as f32;
        let bar = egui::Rect::from_min_size(rect.min, egui::vec2(filled, rect.height()));
        painter.rect_filled(bar, 2.0, theme::ACCENT);
    }
}

/// The band's label on its colour.
pub fn band_badge_ui(ui: &mut Ui, band: &str, colour: &str) {
    let fill = theme::colour_from_hex(colour);
    ui.label(
        RichText::new(format!("Band: {band}"))
            .strong()
            .color(theme::text_on(fill))
            .background_color(fill),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn beacon() -> Instrument {
        crate::io::instrument_file::shipped()
            .unwrap()
            .into_iter()
            .find(|i| i.key() == "beacon")
            .unwrap()
    }

    fn suggestions_for(employee: NominalId) -> BeaconSuggestions {
        BeaconSuggestions {
            employee,
            instrument_version: beacon().version(),
            suggestions: vec![
                SuggestedAnswer {
                    factor: "lookups_after_closure".into(),
                    option: "repeated".into(),
                    facts: vec!["3 look-ups after closure.".into()],
                    findings: vec!["lookups_after_closure-1-2-1".into()],
                    evidence: Vec::new(),
                },
                SuggestedAnswer {
                    factor: "call_records".into(),
                    option: "none_found".into(),
                    facts: Vec::new(),
                    findings: Vec::new(),
                    evidence: Vec::new(),
                },
            ],
            findings: Vec::new(),
            changes: None,
        }
    }

    #[test]
    fn suggestions_are_preselected_and_each_must_be_accepted_or_changed() {
        let mut form = AssessmentForm::default();
        form.start_for(NominalId(1), "PC One".into());
        // The suggestions may arrive before the instrument: they are pre-selected all the same.
        form.apply_suggestions(suggestions_for(NominalId(1)));
        form.set_instrument(beacon());
        assert_eq!(
            form.answers
                .get("lookups_after_closure")
                .map(String::as_str),
            Some("repeated")
        );
        assert_eq!(
            form.suggestion_state("lookups_after_closure"),
            Some(SuggestionState::Pending)
        );
        assert_eq!(form.pending_suggestions(), 2);
        form.accepted.insert("call_records".into());
        form.answers
            .insert("lookups_after_closure".into(), "single".into());
        assert_eq!(
            form.suggestion_state("lookups_after_closure"),
            Some(SuggestionState::Changed)
        );
        assert_eq!(
            form.suggestion_state("call_records"),
            Some(SuggestionState::Accepted)
        );
        assert_eq!(form.pending_suggestions(), 0);
        assert_eq!(form.suggestion_state("presents"), None);
    }

    #[test]
    fn suggestions_for_another_subject_are_dropped_and_a_new_subject_clears_them() {
        let mut form = AssessmentForm::default();
        form.set_instrument(beacon());
        form.start_for(NominalId(1), "PC One".into());
        form.apply_suggestions(suggestions_for(NominalId(2)));
        assert!(form.suggestions.is_none());
        form.apply_suggestions(suggestions_for(NominalId(1)));
        assert!(form.suggestions.is_some());
        form.start_for(NominalId(3), "PC Three".into());
        assert!(form.suggestions.is_none());
        assert_eq!(form.pending_suggestions(), 0);
    }

    #[test]
    fn a_partial_score_sums_the_answered_factors_and_has_no_band() {
        let instrument = beacon();
        let mut answers = Answers::new();
        let factor = &instrument.factors()[0];
        let riskiest = factor.options.last().unwrap();
        answers.insert(factor.key.clone(), riskiest.key.clone());
        let live = live_score(&instrument, &answers);
        assert_eq!(live.running_total, factor.weight.times(riskiest.score));
        assert!(live.complete.is_none());
        assert_eq!(live.contributions.iter().flatten().count(), 1);
    }

    #[test]
    fn a_complete_score_is_the_scorer_s_score() {
        let instrument = beacon();
        let answers: Answers = instrument
            .factors()
            .iter()
            .map(|f| (f.key.clone(), f.options[f.options.len() / 2].key.clone()))
            .collect();
        let live = live_score(&instrument, &answers);
        let score = crate::risk::score(&instrument, &answers).unwrap();
        assert_eq!(live.running_total, score.total);
        assert_eq!(live.complete, Some(score));
    }
}
