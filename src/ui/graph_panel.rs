//! The Graph area: a link chart grown from a nominal (expand, find paths, hide, open profiles),
//! the exposure finder with its leads, saved charts, and exports. The chart holds only what the
//! analyst brought onto it; every question goes to the session thread, which answers from the
//! whole (filtered) graph and records the question in the audit log.

use super::app_command::{CommandQueue, MainCommand};
use super::grading_form::{GradingForm, GradingFormAnswer};
use super::link_chart::{ChartCommand, LinkChart};
use super::session::{GraphIntent, Origin, Request, SearchOwner};
use super::session_view::SessionView;
use super::theme;
use crate::domain::{LinkId, NominalId};
use crate::graph::chart_formatting::{ChartContext, ColourBy, SizeBy, format_chart};
use crate::graph::{
    ChartPlacement, ExposureLead, GraphAnswer, GraphFilter, GraphNode, GraphPath, GraphQuestion,
    LinkGraph, SavedChart, Subgraph,
};
use crate::workbench::ChartFormat;
use egui::{RichText, Ui};
use std::collections::{HashMap, HashSet};

/// State of the Graph area.
#[derive(Debug)]
pub struct GraphPanel {
    pub chart: LinkChart,
    /// The nominals and links on the chart.
    pub graph: LinkGraph,
    links_on_chart: HashSet<LinkId>,
    pub filter: GraphFilter,
    /// What is typed to find the nominal a chart opens on (a name, staff number, phone...).
    nominal_input: String,
    /// The newest search for it, its text, and what it found.
    pub nominal_search: Option<u64>,
    last_nominal_query: String,
    pub nominal_hits: Vec<crate::domain::SearchHit>,
    hops_input: String,
    max_hops_input: String,
    chart_name: String,
    pub leads: Option<Vec<ExposureLead>>,
    pub lead_names: HashMap<NominalId, String>,
    pub chart_names: Vec<(String, String)>,
    /// What the last question found, or why it found nothing.
    pub message: Option<String>,
    asked_for_names: bool,
    /// The exposure lead (by rank) being recorded, and the grading being chosen for its item.
    exposure_grading: Option<(usize, GradingForm)>,
    /// How the leads are grouped, filtered, sorted and paged.
    pub results: super::exposure_results::ExposureResults,
    /// The side panel's width as last drawn (kept in the app's settings between runs).
    pub side_panel_width: Option<f32>,
    /// Whether the side panel (filters and the exposure finder) is shown; hidden, the chart
    /// takes the whole area.
    pub side_panel_open: bool,
    /// What is on the chart, as a list (kind, then name), kept for the graph revision and
    /// hidden count it was made for.
    chart_list: Option<ChartList>,
    /// What the last expansion left out (beyond [`EXPAND_CAP`]), to add on request.
    pub left_out: Option<Subgraph>,
    /// How the chart is laid out.
    pub layout: ChartLayout,
    /// What sizes and colours the nodes (conditional formatting).
    pub size_by: SizeBy,
    pub colour_by: ColourBy,
    /// Flags, Beacon bands and live associations, read once from the workbench.
    context: Option<ChartContext>,
    asked_for_context: bool,
    /// What the chart's formatting was made from: the graph's revision and the choices.
    formatted_for: Option<(u64, SizeBy, ColourBy, bool)>,
}

/// The chart's layouts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ChartLayout {
    /// Linked nominals pulled together, the rest pushed apart (on the `chart-layout` thread).
    #[default]
    Force,
    /// Every nominal round a circle, kinds together.
    Circle,
    /// Rows grown from the selected nominal.
    Hierarchy,
    /// Each community (Louvain) round a circle of its own.
    Communities,
    /// Each OCG with its members round a circle of its own, everyone else in another.
    Ocgs,
}

impl ChartLayout {
    const ALL: [ChartLayout; 5] = [
        Self::Force,
        Self::Circle,
        Self::Hierarchy,
        Self::Communities,
        Self::Ocgs,
    ];

    fn words(self) -> &'static str {
        match self {
            Self::Force => "Force-directed",
            Self::Circle => "Circle",
            Self::Hierarchy => "Hierarchy from the selected",
            Self::Communities => "Grouped by community",
            Self::Ocgs => "Grouped by OCG",
        }
    }
}

/// What can be asked about the selected nominals, from the toolbar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SelectionQuestion {
    ShortestPath,
    AllShortestPaths,
    ConnectingNetwork,
}

impl SelectionQuestion {
    const ALL: [SelectionQuestion; 3] = [
        Self::ShortestPath,
        Self::AllShortestPaths,
        Self::ConnectingNetwork,
    ];

    /// The button's words and its tooltip.
    fn text_and_tooltip(self) -> (&'static str, &'static str) {
        match self {
            Self::ShortestPath => (
                "Shortest path",
                "The shortest path between the two selected nominals (Shift-click to select two)",
            ),
            Self::AllShortestPaths => (
                "All shortest paths",
                "Every shortest path between the two selected nominals",
            ),
            Self::ConnectingNetwork => (
                "Connecting network",
                "Every nominal and link on a shortest path between two of the selected nominals",
            ),
        }
    }

    /// Whether `selected` nominals are what the question needs.
    fn accepts(self, selected: usize) -> bool {
        match self {
            Self::ShortestPath | Self::AllShortestPaths => selected == 2,
            Self::ConnectingNetwork => selected >= 2,
        }
    }

    /// What to select first, when the selection does not fit.
    fn needs(self) -> &'static str {
        match self {
            Self::ShortestPath | Self::AllShortestPaths => {
                "Select two nominals (click one, Shift-click the other)."
            }
            Self::ConnectingNetwork => {
                "Select two or more nominals (Shift-click to add to the selection)."
            }
        }
    }
}

/// The most shortest paths drawn at once between two nominals.
const MAX_SHORTEST_PATHS: usize = 50;
/// Nominals further apart than this are not connected by the connecting network.
const CONNECTING_MAX_HOPS: usize = 6;

/// The most new nominals one expansion puts on the chart; the rest wait to be asked for.
pub const EXPAND_CAP: usize = 200;

/// The rows of the list beside the chart, and what they were made from.
#[derive(Debug)]
struct ChartList {
    graph_revision: u64,
    hidden: usize,
    rows: Vec<(NominalId, String)>,
}

impl Default for GraphPanel {
    fn default() -> Self {
        Self {
            chart: LinkChart::new(),
            graph: LinkGraph::default(),
            links_on_chart: HashSet::new(),
            filter: GraphFilter::default(),
            nominal_input: String::new(),
            nominal_search: None,
            last_nominal_query: String::new(),
            nominal_hits: Vec::new(),
            hops_input: String::from("1"),
            max_hops_input: String::from("3"),
            chart_name: String::new(),
            leads: None,
            lead_names: HashMap::new(),
            chart_names: Vec::new(),
            message: None,
            asked_for_names: false,
            exposure_grading: None,
            results: super::exposure_results::ExposureResults::default(),
            side_panel_width: None,
            side_panel_open: true,
            chart_list: None,
            left_out: None,
            layout: ChartLayout::Force,
            size_by: SizeBy::Kind,
            colour_by: ColourBy::Kind,
            context: None,
            asked_for_context: false,
            formatted_for: None,
        }
    }
}

impl GraphPanel {
    /// A panel whose chart lays out inside the frame (deterministic, for tests).
    #[must_use]
    pub fn new_inline() -> Self {
        Self {
            chart: LinkChart::new_inline(),
            ..Self::default()
        }
    }

    /// The request that opens a chart on `id` and its neighbours.
    #[must_use]
    pub fn open_request(&self, id: NominalId, hops: usize) -> Request {
        Request::GraphQuery {
            intent: GraphIntent::Open,
            filter: self.filter.clone(),
            question: GraphQuestion::Linked {
                from: id,
                hops,
                follow_direction: false,
            },
        }
    }

    /// Applies an answer from the session thread.
    pub fn apply_answer(&mut self, intent: GraphIntent, answer: GraphAnswer) {
        match answer {
            GraphAnswer::Linked { within, network } => {
                if intent == GraphIntent::Open {
                    self.asked_for_context = false;
                    self.clear_chart();
                    self.chart.groups.clear();
                    self.left_out = None;
                    let count = within.len();
                    self.add(&network);
                    self.message = Some(format!("{count} nominal(s) on the chart."));
                } else {
                    self.expand(&within, network);
                }
                self.chart.request_fit();
            }
            GraphAnswer::Path { path, network } => {
                if let Some(path) = path {
                    self.add(&network);
                    self.chart.highlight_path(&path);
                    self.chart.request_fit();
                    self.message = Some(format!("Path of {} link(s) highlighted.", path.hops()));
                } else {
                    self.chart.clear_highlight();
                    self.message = Some(String::from(
                        "No path between those nominals with the current filter.",
                    ));
                }
            }
            GraphAnswer::Among { network } => {
                if intent == GraphIntent::Refilter {
                    // The same chart under another filter: places, pins and the selection stay.
                    let placements = self.chart.positions.clone();
                    let pinned = self.chart.pinned.clone();
                    let selection = self.chart.selection();
                    self.clear_chart();
                    self.chart.positions = placements;
                    self.chart.pinned = pinned;
                    self.add(&network);
                    for id in selection {
                        if self.graph.contains(id) {
                            self.chart.toggle_selected(id);
                        }
                    }
                } else {
                    self.add(&network);
                }
            }
            GraphAnswer::Network {
                paths,
                hops,
                marked,
                network,
            } => {
                if marked.links.is_empty() {
                    self.chart.clear_highlight();
                    self.message = Some(String::from(
                        "Nothing connects the selected nominals with the current filter.",
                    ));
                } else {
                    self.add(&network);
                    self.chart.highlight_path(&marked);
                    self.chart.request_fit();
                    self.message = Some(match paths {
                        Some(count) => {
                            format!("{count} shortest path(s) of {hops} link(s) highlighted.")
                        }
                        None => format!(
                            "Connecting network of {} nominal(s) and {} link(s) highlighted.",
                            marked.nodes.len(),
                            marked.links.len()
                        ),
                    });
                }
            }
            GraphAnswer::Centrality { .. } | GraphAnswer::Communities { .. } => {}
        }
    }

    /// Asks for the shortest path, every shortest path or the connecting network of the
    /// selected nominals.
    fn ask_about_selection(&mut self, commands: &CommandQueue, question: SelectionQuestion) {
        let selection = self.chart.selection();
        let question = match (question, selection.as_slice()) {
            (SelectionQuestion::ShortestPath, &[from, to]) => GraphQuestion::Path {
                from,
                to,
                follow_direction: false,
            },
            (SelectionQuestion::AllShortestPaths, &[from, to]) => GraphQuestion::AllPaths {
                from,
                to,
                follow_direction: false,
                max_paths: MAX_SHORTEST_PATHS,
            },
            (SelectionQuestion::ConnectingNetwork, nominals) if nominals.len() >= 2 => {
                GraphQuestion::Connecting {
                    nominals: nominals.to_vec(),
                    max_hops: CONNECTING_MAX_HOPS,
                }
            }
            _ => {
                self.message = Some(String::from(question.needs()));
                return;
            }
        };
        self.ask(commands, GraphIntent::ShowPath, question);
    }

    /// What the workbench knows of the nominals (flags, bands, associations), for the markers
    /// and the colourings that need it.
    pub fn set_context(&mut self, context: ChartContext) {
        self.context = Some(context);
        self.formatted_for = None;
    }

    /// Formats the chart again when the graph or the choices changed since it was last done.
    fn refresh_formatting(&mut self) {
        let key = (
            self.graph.revision(),
            self.size_by,
            self.colour_by,
            self.context.is_some(),
        );
        if self.formatted_for == Some(key) {
            return;
        }
        self.formatted_for = Some(key);
        let empty = ChartContext::default();
        self.chart.set_formatting(format_chart(
            &self.graph,
            self.size_by,
            self.colour_by,
            self.context.as_ref().unwrap_or(&empty),
        ));
    }

    /// Shows a lead's route on the chart, highlighted.
    pub fn show_lead(&mut self, path: &GraphPath, network: &Subgraph) {
        self.add(network);
        self.chart.highlight_path(path);
        self.chart.request_fit();
    }

    /// Opens a saved chart: its nominals (as the store has them now), places and filter.
    pub fn open_saved(&mut self, saved: SavedChart, network: &Subgraph) {
        self.clear_chart();
        self.filter = saved.filter.clone();
        self.chart.positions = saved
            .placements
            .iter()
            .map(|p| (p.id, [p.x, p.y]))
            .collect();
        self.chart.pinned = saved
            .placements
            .iter()
            .filter(|p| p.pinned)
            .map(|p| p.id)
            .collect();
        self.chart.hidden = saved.hidden.iter().copied().collect();
        self.chart.groups = saved.groups.clone();
        self.add(network);
        if let Some(path) = &saved.highlighted {
            self.chart.highlight_path(path);
        }
        self.chart_name = saved.name;
        self.chart.request_fit();
    }

    /// The chart as it would be saved.
    #[must_use]
    pub fn to_saved(&self, name: &str) -> SavedChart {
        let mut placements: Vec<ChartPlacement> = self
            .graph
            .nodes()
            .filter_map(|node| {
                let [x, y] = self
                    .chart
                    .position(node.id)
                    .or_else(|| self.chart.positions.get(&node.id).copied())?;
                Some(ChartPlacement {
                    id: node.id,
                    x,
                    y,
                    pinned: self.chart.pinned.contains(&node.id),
                })
            })
            .collect();
        placements.sort_by_key(|p| p.id);
        SavedChart {
            name: name.trim().to_owned(),
            placements,
            hidden: self.chart.hidden.iter().copied().collect(),
            filter: self.filter.clone(),
            highlighted: self.chart.highlighted_path().cloned(),
            groups: self.chart.groups.clone(),
        }
    }

    fn clear_chart(&mut self) {
        self.graph = LinkGraph::default();
        self.links_on_chart.clear();
        self.chart.positions.clear();
        self.chart.pinned.clear();
        self.chart.unhide_all();
        self.chart.clear_highlight();
        self.chart.select(None);
        self.chart.clear_history();
        self.chart.release_arrangement();
        self.layout = ChartLayout::Force;
        self.left_out = None;
        self.chart.graph_changed();
    }

    fn add(&mut self, network: &Subgraph) {
        for node in &network.nodes {
            if !self.graph.contains(node.id) {
                self.graph.add_node(node.clone());
            }
        }
        for edge in &network.edges {
            // A link to a nominal not on the chart waits until that nominal comes.
            if self.graph.contains(edge.from)
                && self.graph.contains(edge.to)
                && self.links_on_chart.insert(edge.link)
            {
                self.graph.add_edge(edge.clone());
            }
        }
        self.chart.graph_changed();
    }

    /// Adds a nominal's neighbours, at most [`EXPAND_CAP`] new ones (nearest first, then by
    /// id); the rest are kept to add on request, and the message says how many.
    fn expand(&mut self, within: &[(NominalId, usize)], network: Subgraph) {
        let new: Vec<NominalId> = within
            .iter()
            .map(|(id, _)| *id)
            .filter(|id| !self.graph.contains(*id))
            .collect();
        if new.len() <= EXPAND_CAP {
            self.add(&network);
            self.left_out = None;
            self.message = Some(format!(
                "Expanded: {} new nominal(s) on the chart.",
                new.len()
            ));
            return;
        }
        let kept: HashSet<NominalId> = new.iter().take(EXPAND_CAP).copied().collect();
        let (now, later): (Vec<GraphNode>, Vec<GraphNode>) = network
            .nodes
            .into_iter()
            .partition(|n| self.graph.contains(n.id) || kept.contains(&n.id));
        let left = later.len();
        self.add(&Subgraph {
            nodes: now,
            edges: network.edges.clone(),
        });
        self.left_out = Some(Subgraph {
            nodes: later,
            edges: network.edges,
        });
        self.message = Some(format!(
            "Expanded: {EXPAND_CAP} of {} new nominal(s) on the chart; {left} left out \
             (\"Add the {left} left out\" brings them).",
            new.len()
        ));
    }

    /// Lays the chart out as `layout` says; the nominals the analyst pinned stay where they are.
    pub fn apply_layout(&mut self, layout: ChartLayout) {
        match layout {
            ChartLayout::Force => self.chart.release_arrangement(),
            ChartLayout::Circle => {
                let mut nominals: Vec<(crate::domain::NominalKind, String, NominalId)> = self
                    .graph
                    .nodes()
                    .filter(|n| !self.chart.hidden.contains(&n.id))
                    .map(|n| (n.kind, n.label.clone(), n.id))
                    .collect();
                nominals.sort();
                let ids: Vec<NominalId> = nominals.into_iter().map(|(_, _, id)| id).collect();
                self.chart.arrange(&crate::graph::circle_layout(&ids));
            }
            ChartLayout::Hierarchy => {
                let Some(root) = self.chart.selected() else {
                    self.message = Some(String::from(
                        "Select the nominal to grow the hierarchy from, then choose it again.",
                    ));
                    return;
                };
                self.chart
                    .arrange(&crate::graph::hierarchy_layout(&self.graph, root));
            }
            ChartLayout::Communities => {
                let groups = crate::graph::louvain_communities(&self.graph).groups;
                self.chart.arrange(&crate::graph::grouped_layout(&groups));
            }
            ChartLayout::Ocgs => {
                let groups = crate::graph::ocg_groups(&self.graph);
                self.chart.arrange(&crate::graph::grouped_layout(&groups));
            }
        }
        self.layout = layout;
        self.chart.request_fit();
    }

    /// Brings the nominals the last expansion left out.
    fn add_left_out(&mut self) {
        if let Some(rest) = self.left_out.take() {
            let count = rest.nodes.len();
            self.add(&rest);
            self.message = Some(format!("{count} more nominal(s) on the chart."));
            self.chart.request_fit();
        }
    }

    fn ask(&self, commands: &CommandQueue, intent: GraphIntent, question: GraphQuestion) {
        commands.request(
            Origin::Graph,
            Request::GraphQuery {
                intent,
                filter: self.filter.clone(),
                question,
            },
        );
    }

    pub fn ui(&mut self, ui: &mut Ui, session: &SessionView, commands: &CommandQueue) {
        if session.purpose.is_none() {
            ui.label(
                RichText::new("Set the purpose of this session (at the top) to analyse the graph.")
                    .color(theme::WARNING),
            );
            return;
        }
        if !self.asked_for_names {
            self.asked_for_names = true;
            commands.request(Origin::Graph, Request::ListCharts);
        }
        if !self.asked_for_context {
            self.asked_for_context = true;
            commands.request(Origin::Graph, Request::ChartContext);
        }
        self.toolbar_ui(ui, commands);
        ui.horizontal(|ui| {
            if let Some(message) = &self.message {
                ui.label(RichText::new(message).color(theme::MUTED));
            }
            let left = self.left_out.as_ref().map_or(0, |rest| rest.nodes.len());
            if left > 0 && ui.button(format!("Add the {left} left out")).clicked() {
                self.add_left_out();
            }
        });
        ui.separator();
        if self.side_panel_open {
            let side_panel = egui::Panel::left("graph-filters")
                .resizable(true)
                .default_size(self.side_panel_width.unwrap_or(220.0))
                .show(ui, |ui| {
                    egui::ScrollArea::vertical().show(ui, |ui| {
                        if self
                            .chart
                            .filter_ui(ui, &mut self.filter, &session.reference)
                        {
                            let nominals: Vec<NominalId> =
                                self.graph.nodes().map(|n| n.id).collect();
                            self.ask(
                                commands,
                                GraphIntent::Refilter,
                                GraphQuestion::Among { nominals },
                            );
                        }
                        ui.add_space(theme::SECTION_SPACING);
                        self.chart_list_ui(ui);
                        ui.add_space(theme::SECTION_SPACING);
                        self.leads_ui(ui, session, commands);
                    });
                });
            self.side_panel_width = Some(side_panel.response.rect.width());
        }
        if !self.chart.has_link_type_words() {
            self.chart.set_link_type_words(
                session
                    .reference
                    .codes(crate::domain::list::LINK_TYPE)
                    .iter()
                    .map(|c| (c.code.clone(), c.label.clone()))
                    .collect(),
            );
        }
        self.refresh_formatting();
        let chart_commands = self.chart.ui(ui, &self.graph);
        for command in chart_commands {
            match command {
                ChartCommand::Expand(id) => self.ask(
                    commands,
                    GraphIntent::Expand,
                    GraphQuestion::Linked {
                        from: id,
                        hops: 1,
                        follow_direction: false,
                    },
                ),
                ChartCommand::FindPath { from, to } => self.ask(
                    commands,
                    GraphIntent::ShowPath,
                    GraphQuestion::Path {
                        from,
                        to,
                        follow_direction: false,
                    },
                ),
                ChartCommand::Hide(id) => self.chart.hide(id),
                ChartCommand::ShowProfile(id) => commands.send(MainCommand::OpenNominal(id)),
            }
        }
    }

    /// The toolbar's middle: layout, undo and redo, formatting, and the questions about the
    /// selected nominals.
    fn arrange_ui(&mut self, ui: &mut Ui, commands: &CommandQueue) {
        let mut layout = self.layout;
        egui::ComboBox::from_id_salt("chart_layout")
            .selected_text(layout.words())
            .show_ui(ui, |ui| {
                for choice in ChartLayout::ALL {
                    ui.selectable_value(&mut layout, choice, choice.words());
                }
            })
            .response
            .widget_info(|| egui::WidgetInfo::labeled(egui::Role::ComboBox, true, "Layout"));
        if layout != self.layout {
            self.apply_layout(layout);
        }
        if ui.button("Show hidden").clicked() {
            self.chart.show_hidden_by_hand();
        }
        ui.separator();
        egui::ComboBox::from_id_salt("chart_size_by")
            .selected_text(format!("Size: {}", self.size_by.words()))
            .show_ui(ui, |ui| {
                for choice in SizeBy::ALL {
                    ui.selectable_value(&mut self.size_by, choice, choice.words());
                }
            })
            .response
            .on_hover_text("Size the nominals by a centrality measure on this chart")
            .widget_info(|| egui::WidgetInfo::labeled(egui::Role::ComboBox, true, "Size by"));
        let colour_before = self.colour_by;
        egui::ComboBox::from_id_salt("chart_colour_by")
            .selected_text(format!("Colour: {}", self.colour_by.words()))
            .show_ui(ui, |ui| {
                for choice in ColourBy::ALL {
                    ui.selectable_value(&mut self.colour_by, choice, choice.words());
                }
            })
            .response
            .on_hover_text(
                "Colour the nominals by kind, community, Beacon band or notifiable association",
            )
            .widget_info(|| egui::WidgetInfo::labeled(egui::Role::ComboBox, true, "Colour by"));
        if self.colour_by != colour_before && self.colour_by.needs_context() {
            // Bands and associations as they are now, not as when the chart was opened.
            self.asked_for_context = false;
        }
        ui.separator();
        let selected = self.chart.selection().len();
        if ui
            .add_enabled(selected >= 2, egui::Button::new("Group"))
            .on_hover_text("Put the selected nominals in a named box (Shift-click to select)")
            .on_disabled_hover_text("Select two or more nominals to group them")
            .clicked()
            && let Some(name) = self.chart.group_selection_by_hand()
        {
            self.message = Some(format!("{selected} nominal(s) grouped as {name}."));
        }
        if ui
            .add_enabled(
                self.chart.selection_is_grouped(),
                egui::Button::new("Ungroup"),
            )
            .on_hover_text("Take the selected nominals' groups apart")
            .clicked()
        {
            let count = self.chart.ungroup_selection_by_hand();
            self.message = Some(format!("{count} group(s) taken apart."));
        }
        ui.label(RichText::new(format!("{selected} selected")).color(theme::MUTED));
        for question in SelectionQuestion::ALL {
            let (text, tooltip) = question.text_and_tooltip();
            if ui
                .add_enabled(question.accepts(selected), egui::Button::new(text))
                .on_hover_text(tooltip)
                .on_disabled_hover_text(question.needs())
                .clicked()
            {
                self.ask_about_selection(commands, question);
            }
        }
        if ui
            .add_enabled(self.chart.can_undo(), egui::Button::new("Undo"))
            .on_hover_text("Undo the last hide, pin or move on the chart (Ctrl+Z)")
            .clicked()
        {
            self.chart.undo();
        }
        if ui
            .add_enabled(self.chart.can_redo(), egui::Button::new("Redo"))
            .on_hover_text("Make the undone edit again (Ctrl+Shift+Z)")
            .clicked()
        {
            self.chart.redo();
        }
    }

    fn toolbar_ui(&mut self, ui: &mut Ui, commands: &CommandQueue) {
        ui.horizontal_wrapped(|ui| {
            let label = ui.label("Open a chart on");
            ui.add(
                egui::TextEdit::singleline(&mut self.nominal_input)
                    .desired_width(200.0)
                    .hint_text("name, staff number, phone, registration"),
            )
            .labelled_by(label.id);
            let label = ui.label("Hops");
            ui.add(egui::TextEdit::singleline(&mut self.hops_input).desired_width(30.0))
                .labelled_by(label.id);
            let query = self.nominal_input.trim().to_owned();
            if query.chars().count() >= 2 && query != self.last_nominal_query {
                self.last_nominal_query.clone_from(&query);
                commands.send(MainCommand::Search(
                    SearchOwner::Graph,
                    crate::domain::SearchQuery {
                        text: query,
                        nominals_only: true,
                        limit: Some(6),
                        ..crate::domain::SearchQuery::default()
                    },
                ));
            }
            let hops = self
                .hops_input
                .trim()
                .parse::<usize>()
                .ok()
                .filter(|h| (1..=4).contains(h));
            let mut chosen = None;
            for hit in &self.nominal_hits {
                if let crate::domain::SearchTarget::Nominal { id } = hit.target
                    && ui.button(format!("Chart {}", hit.title)).clicked()
                {
                    chosen = Some(id);
                }
            }
            if let Some(id) = chosen {
                match hops {
                    Some(hops) => {
                        commands.request(Origin::Graph, self.open_request(id, hops));
                        self.nominal_input.clear();
                        self.last_nominal_query.clear();
                        self.nominal_hits.clear();
                    }
                    None => self.message = Some(String::from("Give 1 to 4 hops.")),
                }
            }
            ui.separator();
            let toggle = if self.side_panel_open {
                "Hide side panel"
            } else {
                "Show side panel"
            };
            if ui
                .button(toggle)
                .on_hover_text(
                    "The filters and the exposure finder; hidden, the chart has the whole area",
                )
                .clicked()
            {
                self.side_panel_open = !self.side_panel_open;
                // The chart's area changed: frame it again.
                self.chart.request_fit();
            }
            if ui.button("Fit").clicked() {
                self.chart.request_fit();
            }
            self.arrange_ui(ui, commands);
            ui.separator();
            let label = ui.label("Chart name");
            ui.add(egui::TextEdit::singleline(&mut self.chart_name).desired_width(160.0))
                .labelled_by(label.id);
            if ui.button("Save chart").clicked() {
                if self.chart_name.trim().is_empty() {
                    self.message = Some(String::from("Give the chart a name to save it."));
                } else {
                    commands.request(
                        Origin::Graph,
                        Request::SaveChart(Box::new(self.to_saved(&self.chart_name))),
                    );
                }
            }
            if !self.chart_names.is_empty() {
                ui.menu_button("Open saved chart", |ui| {
                    for (name, saved_at) in &self.chart_names {
                        if ui
                            .button(format!("{name} ({saved_at})"))
                            .on_hover_text("Open this chart")
                            .clicked()
                        {
                            commands.request(Origin::Graph, Request::OpenChart(name.clone()));
                            ui.close();
                        }
                    }
                });
            }
            ui.separator();
            ui.menu_button("Export", |ui| {
                if ui
                    .button("Chart as SVG")
                    .on_hover_text("Vectors, under the handling marking: for reports and printing")
                    .clicked()
                {
                    commands.send(MainCommand::ExportChart(
                        Box::new(self.to_saved("chart")),
                        ChartFormat::Svg,
                    ));
                    ui.close();
                }
                for (words, scale) in [("Chart as PNG", 1), ("Chart as PNG, 3\u{d7} resolution", 3)]
                {
                    if ui
                        .button(words)
                        .on_hover_text("A picture under the handling marking")
                        .clicked()
                    {
                        commands.send(MainCommand::ExportChart(
                            Box::new(self.to_saved("chart")),
                            ChartFormat::Png { scale },
                        ));
                        ui.close();
                    }
                }
                if ui
                    .button("Graph as GraphML")
                    .on_hover_text("The filtered graph, for networkx, igraph, Gephi or yEd")
                    .clicked()
                {
                    commands.send(MainCommand::ExportGraphml(self.filter.clone()));
                    ui.close();
                }
            });
        });
    }

    /// What is on the chart as a list beside it, kind then name: a click selects the nominal
    /// on the chart. Long lists scroll in their own box, drawing only the rows in view.
    fn chart_list_ui(&mut self, ui: &mut Ui) {
        let revision = self.graph.revision();
        let hidden = self.chart.hidden.len();
        if self
            .chart_list
            .as_ref()
            .is_none_or(|l| l.graph_revision != revision || l.hidden != hidden)
        {
            let mut rows: Vec<(crate::domain::NominalKind, String, NominalId)> = self
                .graph
                .nodes()
                .filter(|n| !self.chart.hidden.contains(&n.id))
                .map(|n| (n.kind, n.label.clone(), n.id))
                .collect();
            rows.sort();
            let list = rows
                .into_iter()
                .map(|(kind, label, id)| (id, format!("{} · {label}", kind.label())))
                .collect();
            self.chart_list = Some(ChartList {
                graph_revision: revision,
                hidden,
                rows: list,
            });
        }
        let Some(ChartList { rows: list, .. }) = &self.chart_list else {
            return;
        };
        let selected = self.chart.selected();
        let mut chosen = None;
        egui::CollapsingHeader::new(format!("On the chart ({})", list.len()))
            .id_salt("chart_list")
            .show(ui, |ui| {
                if list.is_empty() {
                    ui.label(
                        RichText::new("Nothing yet: open a chart on a nominal above.")
                            .color(theme::MUTED),
                    );
                    return;
                }
                let row_height = ui.text_style_height(&egui::TextStyle::Body);
                egui::ScrollArea::vertical()
                    .id_salt("chart_list_rows")
                    .max_height(row_height * 12.0)
                    .show_rows(ui, row_height, list.len(), |ui, rows| {
                        for (id, words) in &list[rows] {
                            if ui.selectable_label(selected == Some(*id), words).clicked() {
                                chosen = Some(*id);
                            }
                        }
                    });
            });
        if let Some(id) = chosen {
            self.chart.select(Some(id));
        }
    }

    fn leads_ui(&mut self, ui: &mut Ui, session: &SessionView, commands: &CommandQueue) {
        ui.label(RichText::new("Exposure finder").strong());
        ui.horizontal(|ui| {
            let label = ui.label("Within links");
            ui.add(egui::TextEdit::singleline(&mut self.max_hops_input).desired_width(30.0))
                .labelled_by(label.id);
            if ui.button("Find exposures").clicked() {
                match self.max_hops_input.trim().parse::<usize>() {
                    Ok(max_hops)
                        if (1..=crate::workbench::MAX_EXPOSURE_HOPS).contains(&max_hops) =>
                    {
                        commands.request(Origin::Graph, Request::Exposures { max_hops });
                    }
                    _ => self.message = Some(String::from("Look 1 to 6 links away.")),
                }
            }
        });
        let Some(leads) = &self.leads else {
            return;
        };
        if leads.is_empty() {
            ui.label("No undeclared routes found.");
            return;
        }
        let (groups, _, _) = self.results.controls_ui(ui, leads, &self.lead_names);
        if groups.is_empty() {
            ui.label(RichText::new("No route passes these filters.").color(theme::MUTED));
        }
        let name = |id: &NominalId| {
            self.lead_names
                .get(id)
                .cloned()
                .unwrap_or_else(|| format!("nominal {id}"))
        };
        for group in groups {
            egui::CollapsingHeader::new(format!(
                "{} · {} route(s) · best score {:.2}",
                group.name,
                group.ranks.len(),
                group.best_score
            ))
            .id_salt(("exposure_group", group.employee))
            .default_open(true)
            .show(ui, |ui| {
                for &rank in &group.ranks {
                    let lead = &leads[rank];
                    ui.group(|ui| {
                        ui.label(format!(
                            "{}. To {} ({}), {} link(s), score {:.2}",
                            rank + 1,
                            name(&lead.target),
                            crate::graph::target_kind_words(&lead.target_kind),
                            lead.path.hops(),
                            lead.score
                        ));
                        for reason in &lead.reasons {
                            ui.label(RichText::new(reason).color(theme::MUTED));
                        }
                        ui.horizontal_wrapped(|ui| {
                            if ui.button(format!("Show lead {}", rank + 1)).clicked() {
                                commands.request(
                                    Origin::Graph,
                                    Request::ShowLead(Box::new(lead.clone())),
                                );
                            }
                            if ui
                                .button(format!("Record lead {} as an item", rank + 1))
                                .clicked()
                            {
                                self.exposure_grading = Some((
                                    rank,
                                    GradingForm::suggesting(
                                        &crate::graph::suggested_exposure_grading(),
                                    ),
                                ));
                            }
                            // The association to declare is the employee's own contact on the
                            // route.
                            if let Some(&associate) = lead.path.nodes.get(1)
                                && ui
                                    .button(format!(
                                        "Register lead {} as a notifiable association",
                                        rank + 1
                                    ))
                                    .clicked()
                            {
                                commands.send(MainCommand::RegisterDiscoveredNa {
                                    employee: (lead.employee, name(&lead.employee)),
                                    associate: (associate, name(&associate)),
                                });
                            }
                        });
                        // Recording asks how the new item is graded, the suggestion prefilled.
                        if let Some((graded_rank, form)) = &mut self.exposure_grading
                            && *graded_rank == rank
                        {
                            match form.ui(ui, &session.reference, "Record as intelligence") {
                                GradingFormAnswer::Confirmed => {
                                    commands.request(
                                        Origin::Graph,
                                        Request::RecordExposure {
                                            lead: Box::new(lead.clone()),
                                            grading: form.grading(),
                                        },
                                    );
                                    self.exposure_grading = None;
                                }
                                GradingFormAnswer::Cancelled => self.exposure_grading = None,
                                GradingFormAnswer::Open => {}
                            }
                        }
                    });
                }
            });
        }
    }
}
