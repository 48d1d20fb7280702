//! Global search (Ctrl+K): results as you type, arrow keys to choose, Enter to open, Escape to
//! close. Every search the session thread runs is recorded with the purpose.

use super::app_command::{CommandQueue, MainCommand};
use super::session::SearchOwner;
use super::theme;
use crate::domain::{SearchHit, SearchQuery, SearchTarget};
use egui::{RichText, Ui};
use std::time::{Duration, Instant};

/// Wait this long after the last keystroke before searching (one recorded search per pause,
/// not per letter).
const DEBOUNCE: Duration = Duration::from_millis(250);

/// State of the search window.
#[derive(Debug, Default)]
pub struct SearchOverlay {
    pub open: bool,
    text: String,
    sent_text: String,
    changed_at: Option<Instant>,
    pub search_number: Option<u64>,
    pub hits: Vec<SearchHit>,
    selected: usize,
    focus_requested: bool,
}

impl SearchOverlay {
    pub fn open(&mut self) {
        self.open = true;
        self.focus_requested = false;
        self.selected = 0;
    }

    pub fn close(&mut self) {
        self.open = false;
    }

    /// Results of the search numbered `number` (older answers are ignored).
    pub fn apply(&mut self, number: u64, hits: Vec<SearchHit>) {
        if self.search_number == Some(number) {
            self.hits = hits;
            self.selected = 0;
        }
    }

    pub fn ui(&mut self, ui: &mut Ui, commands: &CommandQueue) {
        if !self.open {
            return;
        }
        let ctx = ui.ctx().clone();
        let mut open = true;
        egui::Window::new("Search")
            .open(&mut open)
            .collapsible(false)
            .resizable(false)
            .anchor(egui::Align2::CENTER_TOP, [0.0, 60.0])
            .default_width(640.0)
            .show(&ctx, |ui| {
                let label = ui.label("Search items and nominals");
                let field = ui
                    .add(
                        egui::TextEdit::singleline(&mut self.text)
                            .hint_text("words; the last one matches as you type")
                            .desired_width(600.0),
                    )
                    .labelled_by(label.id);
                if !self.focus_requested {
                    field.request_focus();
                    self.focus_requested = true;
                }
                if field.changed() {
                    self.changed_at = Some(Instant::now());
                }
                if let Some(at) = self.changed_at {
                    let waited = at.elapsed();
                    if waited >= DEBOUNCE {
                        self.changed_at = None;
                        if self.text.trim() != self.sent_text.trim() && !self.text.trim().is_empty()
                        {
                            self.sent_text.clone_from(&self.text);
                            commands.send(MainCommand::Search(
                                SearchOwner::Global,
                                SearchQuery {
                                    text: self.text.clone(),
                                    limit: Some(30),
                                    ..SearchQuery::default()
                                },
                            ));
                        }
                    } else {
                        ui.ctx()
                            .request_repaint_after(DEBOUNCE.saturating_sub(waited));
                    }
                }
                let (down, up, enter, escape) = ui.input(|i| {
                    (
                        i.key_pressed(egui::Key::ArrowDown),
                        i.key_pressed(egui::Key::ArrowUp),
                        i.key_pressed(egui::Key::Enter),
                        i.key_pressed(egui::Key::Escape),
                    )
                });
                if down && !self.hits.is_empty() {
                    self.selected = (self.selected + 1).min(self.hits.len() - 1);
                }
                if up {
                    self.selected = self.selected.saturating_sub(1);
                }
                if escape {
                    self.open = false;
                }
                let mut chosen = None;
                if enter && !self.hits.is_empty() {
                    chosen = Some(self.hits[self.selected].target);
                }
                ui.add_space(theme::ITEM_SPACING);
                if self.hits.is_empty() && !self.sent_text.is_empty() {
                    ui.label(RichText::new("No results.").color(theme::MUTED));
                }
                egui::ScrollArea::vertical()
                    .max_height(420.0)
                    .show(ui, |ui| {
                        for (index, hit) in self.hits.iter().enumerate() {
                            let kind = match hit.target {
                                SearchTarget::Item { .. } => "Item",
                                SearchTarget::Nominal { .. } => "Nominal",
                            };
                            let text = highlighted(
                                ui,
                                &format!("{kind} · {} — {}", hit.title, hit.snippet),
                            );
                            if ui.selectable_label(index == self.selected, text).clicked() {
                                chosen = Some(hit.target);
                            }
                        }
                    });
                if let Some(target) = chosen {
                    self.open = false;
                    commands.send(match target {
                        SearchTarget::Item { .. } => {
                            let reference = self
                                .hits
                                .iter()
                                .find(|h| h.target == target)
                                .map(|h| h.title.clone())
                                .unwrap_or_default();
                            MainCommand::OpenItem(reference)
                        }
                        SearchTarget::Nominal { id } => MainCommand::OpenNominal(id),
                    });
                }
            });
        if !open {
            self.open = false;
        }
    }
}

/// A search result's text with the matched words highlighted (the snippet marks them between
/// `«` and `»`; the marks themselves are not shown).
fn highlighted(ui: &Ui, text: &str) -> egui::text::LayoutJob {
    let font = egui::TextStyle::Body.resolve(ui.style());
    let plain = egui::TextFormat {
        font_id: font.clone(),
        color: ui.visuals().text_color(),
        ..egui::TextFormat::default()
    };
    let matched = egui::TextFormat {
        font_id: font,
        color: ui.visuals().strong_text_color(),
        background: theme::SEARCH_MATCH,
        ..egui::TextFormat::default()
    };
    let mut job = egui::text::LayoutJob::default();
    let mut rest = text;
    while let Some(open) = rest.find('«') {
        job.append(&rest[..open], 0.0, plain.clone());
        let after = &rest[open + '«'.len_utf8()..];
        let close = after.find('»').unwrap_or(after.len());
        job.append(&after[..close], 0.0, matched.clone());
        rest = after.get(close + '»'.len_utf8()..).unwrap_or("");
    }
    job.append(rest, 0.0, plain);
    job
}
