//! The subject's timeline drawn on one time axis, a lane per kind of record, as Analyst's
//! Notebook's timeline draws a hand-built chart, but made from the records: drag to pan,
//! Ctrl+scroll (or the buttons) to zoom around the pointer, "Fit" to see everything, a kind
//! chosen to show only its lane, and a click on an event to open its record. Every event is an
//! accessible button named by its date, kind and summary, so the keyboard and the tests reach
//! it as they reach any other.

use super::app_command::{CommandQueue, MainCommand, RecordRef};
use super::theme;
use crate::domain::{IsoDate, NominalId};
use crate::workbench::{TimelineEvent, timeline_kind_words};
use egui::{Align2, Color32, FontId, Pos2, Rect, RichText, Sense, Stroke, Ui, vec2};

/// The kinds in the order their lanes are drawn, top to bottom: the subject's own records
/// first, the imported registers after.
const LANE_ORDER: [&str; 11] = [
    "intelligence",
    "association",
    "association_review",
    "assessment",
    "intervention",
    "conduct_outcome",
    "lead",
    "business_interest",
    "hospitality",
    "vetting_granted",
    "vetting_expires",
];

/// The list under the chart shows this many lines; more scroll in their own box.
const LIST_LINES: usize = 15;
const LANE_HEIGHT: f32 = 24.0;
const LANE_LABEL_WIDTH: f32 = 150.0;
const AXIS_HEIGHT: f32 = 22.0;
const EVENT_RADIUS: f32 = 5.5;
/// The narrowest span the view zooms to, in days.
const MIN_SPAN_DAYS: f64 = 14.0;
/// Room either side of the records when the view fits them, as a share of their span.
const FIT_MARGIN: f64 = 0.04;

/// A kind's colour on the timeline.
fn lane_colour(kind: &str) -> Color32 {
    match kind {
        "intelligence" => theme::ACCENT,
        "association" | "association_review" => Color32::from_rgb(0x7b, 0x3f, 0xa0),
        "assessment" => Color32::from_rgb(0x1e, 0x88, 0x7e),
        "intervention" => Color32::from_rgb(0xb3, 0x5a, 0x1f),
        "conduct_outcome" => theme::DANGER,
        "lead" => theme::WARNING,
        _ => theme::MUTED,
    }
}

fn day_number(date: IsoDate) -> f64 {
    f64::from(date.0.to_julian_day())
}

fn date_of_day(day: f64) -> Option<IsoDate> {
    #[expect(
        clippy::cast_possible_truncation,
        reason = "a day number on screen is well inside i32"
    )]
    time::Date::from_julian_day(day.floor() as i32)
        .ok()
        .map(IsoDate)
}

/// The timeline's state: the kind shown (all when `None`) and the days in view (the records'
/// span when `None`).
#[derive(Debug, Default, Clone, PartialEq)]
pub struct TimelineView {
    pub kind: Option<String>,
    /// First and last day in view, as Julian day numbers.
    pub span_days: Option<(f64, f64)>,
}

impl TimelineView {
    /// The profile changed: show everything again.
    pub fn reset(&mut self) {
        *self = Self::default();
    }

    /// The timeline for `events` (oldest first), with the kind filter and zoom controls.
    /// `subject` is the profile's subject, for records shown per subject.
    pub fn ui(
        &mut self,
        ui: &mut Ui,
        events: &[TimelineEvent],
        subject: (NominalId, &str),
        commands: &CommandQueue,
    ) {
        ui.add_space(theme::SECTION_SPACING);
        ui.label(RichText::new(format!("Timeline ({})", events.len())).strong());
        if events.is_empty() {
            ui.label(RichText::new("Nothing dated is held about them.").color(theme::MUTED));
            return;
        }
        let lanes: Vec<&str> = LANE_ORDER
            .iter()
            .copied()
            .chain(
                events
                    .iter()
                    .map(|e| e.kind.as_str())
                    .filter(|k| !LANE_ORDER.contains(k)),
            )
            .filter(|k| events.iter().any(|e| e.kind == *k))
            .fold(Vec::new(), |mut lanes, k| {
                if !lanes.contains(&k) {
                    lanes.push(k);
                }
                lanes
            });
        let fit = self.fitted(events);
        ui.horizontal(|ui| {
            ui.label("Show:");
            egui::ComboBox::from_id_salt("timeline_kind")
                .selected_text(
                    self.kind
                        .as_deref()
                        .map_or("Every kind", timeline_kind_words),
                )
                .height(400.0)
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.kind, None, "Every kind");
                    for k in &lanes {
                        ui.selectable_value(
                            &mut self.kind,
                            Some((*k).to_owned()),
                            timeline_kind_words(k),
                        );
                    }
                })
                .response
                .widget_info(|| {
                    egui::WidgetInfo::labeled(egui::Role::ComboBox, true, "Timeline kind")
                });
            let (first, last) = self.span_days.unwrap_or(fit);
            if ui.button("Zoom in").clicked() {
                self.zoom(f64::midpoint(first, last), 0.5, fit);
            }
            if ui.button("Zoom out").clicked() {
                self.zoom(f64::midpoint(first, last), 2.0, fit);
            }
            if ui
                .add_enabled(self.span_days.is_some(), egui::Button::new("Fit"))
                .clicked()
            {
                self.span_days = None;
            }
            ui.label(
                RichText::new("Drag to pan, Ctrl+scroll to zoom, click an event to open it.")
                    .color(theme::MUTED),
            );
        });
        let shown_lanes: Vec<&str> = lanes
            .iter()
            .copied()
            .filter(|k| self.kind.as_deref().is_none_or(|kind| kind == *k))
            .collect();
        self.chart_ui(ui, events, &shown_lanes, fit, subject, commands);
        self.list_ui(ui, events, subject, commands);
    }

    /// The first and last day of the records, with a margin.
    fn fitted(&self, events: &[TimelineEvent]) -> (f64, f64) {
        let first = events.first().map_or(0.0, |e| day_number(e.on));
        let last = events.last().map_or(0.0, |e| day_number(e.on));
        let margin = ((last - first) * FIT_MARGIN).max(MIN_SPAN_DAYS / 2.0);
        let _ = self;
        (first - margin, last + margin)
    }

    /// Zooms by `factor` (below 1 closer) keeping `centre_day` where it is on screen.
    fn zoom(&mut self, centre_day: f64, factor: f64, fit: (f64, f64)) {
        let (first, last) = self.span_days.unwrap_or(fit);
        let span = ((last - first) * factor).max(MIN_SPAN_DAYS);
        let share = if last > first {
            (centre_day - first) / (last - first)
        } else {
            0.5
        };
        let new_first = centre_day - span * share;
        self.span_days = Some((new_first, new_first + span));
    }

    fn chart_ui(
        &mut self,
        ui: &mut Ui,
        events: &[TimelineEvent],
        lanes: &[&str],
        fit: (f64, f64),
        subject: (NominalId, &str),
        commands: &CommandQueue,
    ) {
        #[expect(clippy::cast_precision_loss, reason = "a handful of lanes")]
        let height = lanes.len() as f32 * LANE_HEIGHT + AXIS_HEIGHT;
        let width = ui.available_width().max(LANE_LABEL_WIDTH + 200.0);
        let (rect, response) = ui.allocate_exact_size(vec2(width, height), Sense::click_and_drag());
        let plot = Rect::from_min_max(
            Pos2::new(rect.left() + LANE_LABEL_WIDTH, rect.top()),
            Pos2::new(rect.right() - 8.0, rect.bottom() - AXIS_HEIGHT),
        );
        let (first, last) = self.span_days.unwrap_or(fit);
        let span = (last - first).max(1.0);
        let per_day = f64::from(plot.width()) / span;
        // Pan by dragging; zoom around the pointer with Ctrl+scroll or a pinch.
        if response.dragged() {
            let days = -f64::from(response.drag_delta().x) / per_day;
            self.span_days = Some((first + days, last + days));
        }
        if response.hovered() {
            let zoom = ui.input(egui::InputState::zoom_delta);
            if (zoom - 1.0).abs() > f32::EPSILON
                && let Some(pointer) = response.hover_pos()
            {
                let centre = first + f64::from(pointer.x - plot.left()) / per_day;
                self.zoom(centre, 1.0 / f64::from(zoom), fit);
            }
        }
        let (first, last) = self.span_days.unwrap_or(fit);
        let per_day = f64::from(plot.width()) / (last - first).max(1.0);
        #[expect(clippy::cast_possible_truncation, reason = "a screen coordinate")]
        let x_of = |day: f64| plot.left() + ((day - first) * per_day) as f32;

        let painter = ui.painter_at(rect);
        let visuals = ui.visuals();
        painter.rect_filled(plot, 2.0, visuals.extreme_bg_color);
        let font = FontId::proportional(12.0);
        for (index, kind) in lanes.iter().enumerate() {
            #[expect(clippy::cast_precision_loss, reason = "a handful of lanes")]
            let top = rect.top() + index as f32 * LANE_HEIGHT;
            let centre_y = top + LANE_HEIGHT / 2.0;
            painter.text(
                Pos2::new(rect.left(), centre_y),
                Align2::LEFT_CENTER,
                timeline_kind_words(kind),
                font.clone(),
                visuals.text_color(),
            );
            painter.line_segment(
                [
                    Pos2::new(plot.left(), top + LANE_HEIGHT),
                    Pos2::new(plot.right(), top + LANE_HEIGHT),
                ],
                Stroke::new(1.0, visuals.faint_bg_color),
            );
        }
        // The axis: ticks at whole years, quarters, months, weeks or days as the span allows.
        let (step, label_of) = tick_step(last - first);
        let mut tick = first_tick(first, step);
        while tick <= last {
            let x = x_of(tick);
            if x >= plot.left() && x <= plot.right() {
                painter.line_segment(
                    [Pos2::new(x, plot.top()), Pos2::new(x, plot.bottom() + 4.0)],
                    Stroke::new(1.0, visuals.widgets.noninteractive.bg_stroke.color),
                );
                if let Some(date) = date_of_day(tick) {
                    painter.text(
                        Pos2::new(x + 2.0, plot.bottom() + 4.0),
                        Align2::LEFT_TOP,
                        label_of(date),
                        FontId::proportional(11.0),
                        theme::MUTED,
                    );
                }
            }
            tick = next_tick(tick, step);
        }
        // The events: a dot each, on its lane at its day. Events closer than a dot's width on
        // one lane are drawn as one larger dot with their count (hundreds of items in a year
        // would otherwise be hundreds of overlapping buttons): clicking it zooms in on them.
        // Each dot in view is a button named by its date, kind and summary.
        let clusters = clusters(events, lanes, x_of, (plot.left(), plot.right()));
        let mut open = None;
        let mut zoom_to = None;
        for (lane, x, members) in &clusters {
            let first = &events[members[0]];
            let last = &events[members[members.len() - 1]];
            #[expect(clippy::cast_precision_loss, reason = "a handful of lanes")]
            let y = rect.top() + *lane as f32 * LANE_HEIGHT + LANE_HEIGHT / 2.0;
            let centre = Pos2::new(*x, y);
            let name = if members.len() == 1 {
                format!(
                    "{} {}: {}",
                    first.on,
                    timeline_kind_words(&first.kind),
                    first.summary
                )
            } else {
                format!(
                    "{} {} events from {} to {}",
                    members.len(),
                    timeline_kind_words(&first.kind),
                    first.on,
                    last.on
                )
            };
            let radius = if members.len() == 1 {
                EVENT_RADIUS
            } else {
                EVENT_RADIUS + 2.5
            };
            let hit = Rect::from_center_size(centre, vec2(radius * 2.0, LANE_HEIGHT - 4.0));
            let event_response = ui
                .interact(
                    hit,
                    ui.scope_id().with(("timeline_event", members[0])),
                    Sense::click(),
                )
                .on_hover_text(&name);
            event_response
                .widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &name));
            let colour = lane_colour(&first.kind);
            let grow = if event_response.hovered() || event_response.has_focus() {
                2.0
            } else {
                0.0
            };
            painter.circle(
                centre,
                radius + grow,
                colour,
                Stroke::new(1.0, Color32::WHITE),
            );
            if members.len() > 1 {
                painter.text(
                    centre,
                    Align2::CENTER_CENTER,
                    members.len().min(99).to_string(),
                    FontId::proportional(8.0),
                    Color32::WHITE,
                );
            }
            if event_response.clicked() {
                if members.len() == 1 {
                    open = Some(first.reference.clone());
                } else {
                    zoom_to = Some((day_number(first.on), day_number(last.on)));
                }
            }
        }
        if let Some(reference) = open {
            open_event(&reference, subject, commands);
        }
        if let Some((from, to)) = zoom_to {
            let margin = ((to - from) * 0.2).max(MIN_SPAN_DAYS / 2.0);
            self.span_days = Some((from - margin, to + margin));
        }
    }

    /// The same events as a list, filtered by the kind: the words in full, each line opening
    /// its record.
    fn list_ui(
        &self,
        ui: &mut Ui,
        events: &[TimelineEvent],
        subject: (NominalId, &str),
        commands: &CommandQueue,
    ) {
        ui.add_space(theme::ITEM_SPACING);
        let shown: Vec<&TimelineEvent> = events
            .iter()
            .filter(|e| self.kind.as_deref().is_none_or(|k| k == e.kind))
            .collect();
        let line = |ui: &mut Ui, event: &TimelineEvent| {
            ui.horizontal(|ui| {
                ui.label(RichText::new(event.on.to_string()).monospace());
                ui.label(RichText::new(timeline_kind_words(&event.kind)).color(theme::MUTED));
                if event.reference.is_empty() {
                    ui.add(egui::Label::new(&event.summary).truncate());
                } else if ui.link(&event.summary).clicked() {
                    open_event(&event.reference, subject, commands);
                }
            });
        };
        if shown.len() <= LIST_LINES {
            for event in shown {
                line(ui, event);
            }
            return;
        }
        // Hundreds of events scroll in their own box, only the lines in view drawn.
        let row_height = ui.text_style_height(&egui::TextStyle::Body) + ui.spacing().item_spacing.y;
        #[expect(clippy::cast_precision_loss, reason = "a few lines")]
        let height = row_height * LIST_LINES as f32;
        egui::ScrollArea::vertical()
            .id_salt("timeline_list")
            .max_height(height)
            .auto_shrink([false, true])
            .show_rows(
                ui,
                row_height - ui.spacing().item_spacing.y,
                shown.len(),
                |ui, rows| {
                    for event in &shown[rows] {
                        line(ui, event);
                    }
                },
            );
    }
}

fn open_event(reference: &str, subject: (NominalId, &str), commands: &CommandQueue) {
    if reference.is_empty() {
        return;
    }
    commands.send(MainCommand::OpenRecord(RecordRef {
        reference: reference.to_owned(),
        subject: Some((subject.0, subject.1.to_owned())),
    }));
}

/// The events in view on each lane as dots, `(lane, x, events)`: events closer than a dot's
/// width on one lane share one (events are oldest first, so x only grows).
fn clusters(
    events: &[TimelineEvent],
    lanes: &[&str],
    x_of: impl Fn(f64) -> f32,
    (left, right): (f32, f32),
) -> Vec<(usize, f32, Vec<usize>)> {
    let mut clusters: Vec<(usize, f32, Vec<usize>)> = Vec::new();
    for (index, event) in events.iter().enumerate() {
        let Some(lane) = lanes.iter().position(|k| *k == event.kind) else {
            continue;
        };
        let x = x_of(day_number(event.on));
        if x < left - EVENT_RADIUS || x > right + EVENT_RADIUS {
            continue;
        }
        match clusters.iter_mut().rev().find(|(l, _, _)| *l == lane) {
            Some((_, cluster_x, members)) if x - *cluster_x < EVENT_RADIUS * 2.0 => {
                members.push(index);
            }
            _ => clusters.push((lane, x, vec![index])),
        }
    }
    clusters
}

/// How far apart the axis's ticks are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TickStep {
    Years(i32),
    Months(u8),
    Days(u16),
}

fn tick_step(span_days: f64) -> (TickStep, fn(IsoDate) -> String) {
    fn year(d: IsoDate) -> String {
        d.year().to_string()
    }
    fn month(d: IsoDate) -> String {
        format!("{} {}", &month_name(d)[..3], d.year())
    }
    fn day(d: IsoDate) -> String {
        d.to_string()
    }
    if span_days > 365.0 * 12.0 {
        (TickStep::Years(5), year)
    } else if span_days > 365.0 * 5.0 {
        (TickStep::Years(2), year)
    } else if span_days > 365.0 * 2.0 {
        (TickStep::Years(1), year)
    } else if span_days > 365.0 {
        (TickStep::Months(3), month)
    } else if span_days > 120.0 {
        (TickStep::Months(1), month)
    } else if span_days > 40.0 {
        (TickStep::Days(7), day)
    } else {
        (TickStep::Days(2), day)
    }
}

fn month_name(d: IsoDate) -> String {
    d.0.month().to_string()
}

/// The first tick at or after `day`.
fn first_tick(day: f64, step: TickStep) -> f64 {
    let Some(date) = date_of_day(day) else {
        return day;
    };
    let start = match step {
        TickStep::Years(n) => {
            let year = date.year() - date.year().rem_euclid(n) + n;
            time::Date::from_calendar_date(year, time::Month::January, 1).ok()
        }
        TickStep::Months(n) => {
            let month0 = u8::from(date.0.month()) - 1;
            let month0 = month0 - month0 % n;
            time::Month::try_from(month0 + 1)
                .ok()
                .and_then(|m| time::Date::from_calendar_date(date.year(), m, 1).ok())
                .map(|d| add_months(d, n))
        }
        TickStep::Days(_) => Some(date.0),
    };
    start.map_or(day, |d| f64::from(d.to_julian_day()))
}

fn add_months(date: time::Date, months: u8) -> time::Date {
    let mut month = date.month();
    let mut year = date.year();
    for _ in 0..months {
        month = month.next();
        if month == time::Month::January {
            year += 1;
        }
    }
    time::Date::from_calendar_date(year, month, 1).unwrap_or(date)
}

fn next_tick(day: f64, step: TickStep) -> f64 {
    let Some(date) = date_of_day(day) else {
        return day + 1.0;
    };
    let next = match step {
        TickStep::Years(n) => {
            time::Date::from_calendar_date(date.year() + n, date.0.month(), 1).unwrap_or(date.0)
        }
        TickStep::Months(n) => add_months(date.0, n),
        TickStep::Days(n) => date.0 + time::Duration::days(i64::from(n)),
    };
    let next = f64::from(next.to_julian_day());
    if next > day { next } else { day + 1.0 }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> f64 {
        day_number(text.parse().unwrap())
    }

    #[test]
    fn ticks_fall_on_whole_years_months_and_days() {
        let first = first_tick(day("2023-05-17"), TickStep::Years(1));
        assert_eq!(date_of_day(first).unwrap().to_string(), "2024-01-01");
        let next = next_tick(first, TickStep::Years(2));
        assert_eq!(date_of_day(next).unwrap().to_string(), "2026-01-01");
        let quarter = first_tick(day("2023-05-17"), TickStep::Months(3));
        assert_eq!(date_of_day(quarter).unwrap().to_string(), "2023-07-01");
        let month = next_tick(day("2023-12-01"), TickStep::Months(1));
        assert_eq!(date_of_day(month).unwrap().to_string(), "2024-01-01");
        let week = next_tick(day("2023-12-30"), TickStep::Days(7));
        assert_eq!(date_of_day(week).unwrap().to_string(), "2024-01-06");
    }

    #[test]
    fn events_closer_than_a_dot_share_one_and_events_out_of_view_are_left_out() {
        let event = |on: &str, kind: &str| TimelineEvent {
            on: on.parse().unwrap(),
            kind: kind.into(),
            summary: String::new(),
            reference: String::new(),
        };
        let events = [
            event("2025-01-01", "intelligence"),
            event("2025-01-02", "intelligence"),
            event("2025-01-02", "assessment"),
            event("2025-03-01", "intelligence"),
            event("2026-01-01", "intelligence"),
        ];
        let lanes = ["intelligence", "assessment"];
        let start = day("2025-01-01");
        // One pixel a day, the view 200 days wide.
        #[expect(clippy::cast_possible_truncation, reason = "a test's pixels")]
        let x_of = |d: f64| (d - start) as f32;
        let found = clusters(&events, &lanes, x_of, (0.0, 200.0));
        let members: Vec<(usize, Vec<usize>)> =
            found.into_iter().map(|(lane, _, m)| (lane, m)).collect();
        assert_eq!(members, [(0, vec![0, 1]), (1, vec![2]), (0, vec![3])]);
    }

    #[test]
    fn zooming_keeps_the_day_under_the_pointer_and_stops_at_two_weeks() {
        let mut view = TimelineView::default();
        let fit = (day("2020-01-01"), day("2024-01-01"));
        let centre = day("2021-01-01");
        view.zoom(centre, 0.5, fit);
        let (first, last) = view.span_days.unwrap();
        let share_before = (centre - fit.0) / (fit.1 - fit.0);
        let share_after = (centre - first) / (last - first);
        assert!((share_before - share_after).abs() < 1e-9);
        assert!(((last - first) - (fit.1 - fit.0) / 2.0).abs() < 1e-9);
        for _ in 0..40 {
            view.zoom(centre, 0.5, fit);
        }
        let (first, last) = view.span_days.unwrap();
        assert!((last - first - MIN_SPAN_DAYS).abs() < 1e-9);
    }
}
