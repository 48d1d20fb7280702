//! The intelligence log: a virtualised table over the whole log, filtered and sorted in the
//! store. A frame draws only the visible rows from a page cache; pages are fetched from the
//! session thread as they scroll into view, so a million rows cost what a screenful costs.

use super::app_command::{CommandQueue, MainCommand};
use super::session::{Origin, Request};
use super::session_view::SessionView;
use super::{theme, widgets};
use crate::domain::{IntelQuery, IntelRow, IntelSort, IsoDate, list};
use egui::{RichText, Ui};
use egui_extras::{Column, TableBuilder};
use std::collections::{BTreeMap, BTreeSet};

/// Rows fetched per request.
pub const PAGE_ROWS: usize = 200;

/// State of the log table.
#[derive(Debug)]
pub struct IntelLogPanel {
    /// The query the table shows.
    pub query: IntelQuery,
    /// Rows matching the query, once counted.
    pub total: Option<u64>,
    pages: BTreeMap<u64, Vec<IntelRow>>,
    requested: BTreeSet<u64>,
    count_requested: bool,
    /// The selected row (keyboard navigation).
    pub selected: Option<u64>,
    from_text: String,
    to_text: String,
    filter_error: Option<String>,
    /// Rows drawn in the last frame (the table must never draw more than a screenful).
    pub rows_drawn_last_frame: usize,
}

impl Default for IntelLogPanel {
    fn default() -> Self {
        Self {
            query: IntelQuery {
                descending: true,
                ..IntelQuery::default()
            },
            total: None,
            pages: BTreeMap::new(),
            requested: BTreeSet::new(),
            count_requested: false,
            selected: None,
            from_text: String::new(),
            to_text: String::new(),
            filter_error: None,
            rows_drawn_last_frame: 0,
        }
    }
}

impl IntelLogPanel {
    /// Forgets everything fetched (the query changed, or items were recorded).
    pub fn invalidate(&mut self) {
        self.total = None;
        self.pages.clear();
        self.requested.clear();
        self.count_requested = false;
    }

    fn set_query(&mut self, query: IntelQuery) {
        if query != self.query {
            self.query = query;
            self.selected = None;
            self.invalidate();
        }
    }

    /// A count for `query` arrived.
    pub fn apply_count(&mut self, query: &IntelQuery, count: u64) {
        if *query == self.query {
            self.total = Some(count);
        }
    }

    /// A page for `query` arrived.
    pub fn apply_page(&mut self, query: &IntelQuery, offset: u64, rows: Vec<IntelRow>) {
        if *query == self.query {
            let page = offset / PAGE_ROWS as u64;
            self.requested.remove(&page);
            self.pages.insert(page, rows);
        }
    }

    fn row(&self, index: u64) -> Option<&IntelRow> {
        let page = index / PAGE_ROWS as u64;
        let within = usize::try_from(index % PAGE_ROWS as u64).ok()?;
        self.pages.get(&page).and_then(|rows| rows.get(within))
    }

    /// The reference of the row at `index` in the current order, if loaded.
    #[must_use]
    pub fn row_reference(&self, index: u64) -> Option<&str> {
        self.row(index).map(|r| r.reference.as_str())
    }

    /// The reference of the selected row, if loaded.
    #[must_use]
    pub fn selected_reference(&self) -> Option<&str> {
        self.selected
            .and_then(|i| self.row(i))
            .map(|r| r.reference.as_str())
    }

    pub fn ui(&mut self, ui: &mut Ui, session: &SessionView, commands: &CommandQueue) {
        if session.purpose.is_none() {
            ui.label(
                RichText::new("Set a purpose in the top bar to read the log: each look at it is recorded with its justification.")
                    .color(theme::WARNING),
            );
            return;
        }
        self.filters_ui(ui, session, commands);
        if !self.count_requested {
            self.count_requested = true;
            commands.request(Origin::IntelLog, Request::IntelCount(self.query.clone()));
        }
        self.keyboard(ui, commands);
        let Some(total) = self.total else {
            widgets::busy_ui(ui, "Counting…");
            return;
        };
        ui.label(RichText::new(format!("{total} items")).color(theme::MUTED));
        self.table_ui(ui, session, commands, total);
    }

    fn filters_ui(&mut self, ui: &mut Ui, session: &SessionView, commands: &CommandQueue) {
        let mut query = self.query.clone();
        ui.horizontal_wrapped(|ui| {
            if ui.button("New item").clicked() {
                commands.send(MainCommand::NewItem);
            }
            ui.separator();
            code_filter_ui(ui, "Status", list::INTEL_STATUS, &mut query.status, session);
            code_filter_ui(
                ui,
                "Category",
                list::CORRUPTION_CATEGORY,
                &mut query.category,
                session,
            );
            code_filter_ui(
                ui,
                "Source evaluation",
                list::SOURCE_EVALUATION,
                &mut query.source_evaluation,
                session,
            );
            code_filter_ui(
                ui,
                "Assessment",
                list::INTELLIGENCE_ASSESSMENT,
                &mut query.intelligence_assessment,
                session,
            );
            priority_filter_ui(ui, &mut query.priority);
            let from = widgets::labelled_date_ui(ui, "Received from", &mut self.from_text);
            let to = widgets::labelled_date_ui(ui, "Received to", &mut self.to_text);
            if from.lost_focus() || to.lost_focus() || ui.button("Apply dates").clicked() {
                match (
                    parse_optional_date(&self.from_text),
                    parse_optional_date(&self.to_text),
                ) {
                    (Ok(from), Ok(to)) => {
                        self.filter_error = None;
                        query.received_from = from;
                        query.received_to = to;
                    }
                    _ => self.filter_error = Some(String::from("dates are written YYYY-MM-DD")),
                }
            }
            if ui.button("Clear filters").clicked() {
                self.from_text.clear();
                self.to_text.clear();
                query = IntelQuery {
                    sort: query.sort,
                    descending: query.descending,
                    ..IntelQuery::default()
                };
            }
        });
        if let Some(error) = &self.filter_error {
            widgets::error_ui(ui, error);
        }
        self.set_query(query);
    }

    fn keyboard(&mut self, ui: &Ui, commands: &CommandQueue) {
        let total = self.total.unwrap_or(0);
        if total == 0 || ui.ctx().memory(|m| m.focused().is_some()) {
            return;
        }
        let (down, up, enter) = ui.input(|i| {
            (
                i.key_pressed(egui::Key::ArrowDown),
                i.key_pressed(egui::Key::ArrowUp),
                i.key_pressed(egui::Key::Enter),
            )
        });
        if down {
            self.selected = Some(self.selected.map_or(0, |s| (s + 1).min(total - 1)));
        }
        if up {
            self.selected = Some(self.selected.map_or(0, |s| s.saturating_sub(1)));
        }
        if enter && let Some(reference) = self.selected_reference() {
            commands.send(MainCommand::OpenItem(reference.to_owned()));
        }
    }

    fn sort_header(&mut self, ui: &mut Ui, title: &str, sort: Option<IntelSort>) {
        let Some(sort) = sort else {
            ui.strong(title);
            return;
        };
        let arrow = if self.query.sort == sort {
            if self.query.descending { " v" } else { " ^" }
        } else {
            ""
        };
        if ui
            .button(RichText::new(format!("{title}{arrow}")).strong())
            .clicked()
        {
            let mut query = self.query.clone();
            if query.sort == sort {
                query.descending = !query.descending;
            } else {
                query.sort = sort;
                query.descending = matches!(
                    sort,
                    IntelSort::ReceivedOn | IntelSort::Reference | IntelSort::Priority
                );
            }
            self.set_query(query);
        }
    }

    fn table_ui(
        &mut self,
        ui: &mut Ui,
        session: &SessionView,
        commands: &CommandQueue,
        total: u64,
    ) {
        let rows = usize::try_from(total).unwrap_or(usize::MAX);
        let mut wanted = BTreeSet::new();
        let mut drawn = 0;
        let mut clicked = None;
        let mut builder = TableBuilder::new(ui)
            .striped(true)
            .sense(egui::Sense::click())
            .column(Column::auto().at_least(130.0))
            .column(Column::auto().at_least(90.0))
            .column(Column::auto().at_least(60.0))
            .column(Column::auto().at_least(80.0))
            .column(Column::auto().at_least(150.0))
            .column(Column::auto().at_least(170.0))
            .column(Column::remainder().at_least(200.0));
        if let Some(selected) = self.selected {
            builder = builder.scroll_to_row(usize::try_from(selected).unwrap_or(0), None);
        }
        let headers = [
            ("Reference", Some(IntelSort::Reference)),
            ("Received", Some(IntelSort::ReceivedOn)),
            ("Grading", None),
            ("Priority", Some(IntelSort::Priority)),
            ("Status", Some(IntelSort::Status)),
            ("Category", Some(IntelSort::Category)),
            ("Summary", None),
        ];
        builder
            .header(theme::TABLE_ROW_HEIGHT + 4.0, |mut header| {
                for (title, sort) in headers {
                    header.col(|ui| self.sort_header(ui, title, sort));
                }
            })
            .body(|body| {
                body.rows(theme::TABLE_ROW_HEIGHT, rows, |mut row| {
                    drawn += 1;
                    let index = u64::try_from(row.index()).unwrap_or(0);
                    row.set_selected(self.selected == Some(index));
                    if let Some(item) = self.row(index) {
                        let reference = &session.reference;
                        // An item restricted to others: its reference, and nothing else.
                        let cells = if item.restricted {
                            [
                                item.reference.clone(),
                                String::from("—"),
                                String::from("—"),
                                String::from("—"),
                                String::from("—"),
                                String::from("—"),
                                String::from("Restricted item: you are not on its list"),
                            ]
                        } else {
                            [
                                item.reference.clone(),
                                item.received_on.to_string(),
                                item.grading.clone(),
                                item.priority
                                    .clone()
                                    .unwrap_or_else(|| String::from("Not scored")),
                                reference.label(list::INTEL_STATUS, &item.status).to_owned(),
                                reference
                                    .label(list::CORRUPTION_CATEGORY, &item.category)
                                    .to_owned(),
                                item.summary.clone(),
                            ]
                        };
                        for cell in cells {
                            row.col(|ui| {
                                ui.add(egui::Label::new(cell).truncate().selectable(false));
                            });
                        }
                        if row.response().clicked() {
                            clicked = Some((index, item.reference.clone()));
                        }
                    } else {
                        wanted.insert(index / PAGE_ROWS as u64);
                        row.col(|ui| {
                            ui.label(RichText::new("…").color(theme::MUTED));
                        });
                    }
                });
            });
        self.rows_drawn_last_frame = drawn;
        if let Some((index, reference)) = clicked {
            self.selected = Some(index);
            commands.send(MainCommand::OpenItem(reference));
        }
        for page in wanted {
            if self.requested.insert(page) {
                commands.request(
                    Origin::IntelLog,
                    Request::IntelPage {
                        query: self.query.clone(),
                        offset: page * PAGE_ROWS as u64,
                        limit: PAGE_ROWS,
                    },
                );
            }
        }
    }
}

fn parse_optional_date(text: &str) -> Result<Option<IsoDate>, crate::domain::BadDate> {
    let text = text.trim();
    if text.is_empty() {
        Ok(None)
    } else {
        text.parse().map(Some)
    }
}

/// A label, then a combo box over a code list with an "any" choice, named by the label.
fn code_filter_ui(
    ui: &mut Ui,
    label: &str,
    list_name: &str,
    value: &mut Option<String>,
    session: &SessionView,
) {
    let selected = value
        .as_deref()
        .map_or("any", |code| session.reference.label(list_name, code))
        .to_owned();
    ui.label(label);
    egui::ComboBox::from_id_salt(label)
        .selected_text(selected)
        .width(150.0)
        .show_ui(ui, |ui| {
            ui.selectable_value(value, None, "any");
            for code in session.reference.codes(list_name) {
                ui.selectable_value(value, Some(code.code.clone()), &code.label);
            }
        })
        .response
        .widget_info(|| egui::WidgetInfo::labeled(egui::Role::ComboBox, true, label));
}

/// The priority bands an item can be in: those of the newest shipped intelligence priority
/// instrument, most urgent first (a force's own instrument with other bands is filtered by
/// sorting on the column instead).
fn priority_bands() -> Vec<String> {
    let mut bands: Vec<String> = crate::io::instrument_file::shipped()
        .unwrap_or_default()
        .into_iter()
        .filter(|i| i.key() == crate::risk::ITEM_PRIORITY_INSTRUMENT)
        .max_by_key(crate::risk::Instrument::version)
        .map(|i| i.bands().iter().map(|b| b.label.clone()).collect())
        .unwrap_or_default();
    bands.reverse();
    bands
}

/// The Priority filter: any, one band, or items not yet scored.
fn priority_filter_ui(ui: &mut Ui, value: &mut Option<String>) {
    ui.label("Priority");
    let shown = match value.as_deref() {
        None => String::from("any"),
        Some(crate::domain::NOT_SCORED) => String::from("Not scored"),
        Some(band) => band.to_owned(),
    };
    egui::ComboBox::from_id_salt("priority_filter")
        .selected_text(shown)
        .show_ui(ui, |ui| {
            ui.selectable_value(value, None, "any");
            for band in priority_bands() {
                ui.selectable_value(value, Some(band.clone()), band);
            }
            ui.selectable_value(
                value,
                Some(crate::domain::NOT_SCORED.to_owned()),
                "Not scored",
            );
        })
        .response
        .widget_info(|| egui::WidgetInfo::labeled(egui::Role::ComboBox, true, "Priority filter"));
}
