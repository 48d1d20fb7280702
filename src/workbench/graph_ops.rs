//! Link analysis for the session: loading the graph, the exposure finder and recording its
//! leads as intelligence, saved charts (laid out here too, headless, for the command line),
//! and the exports: GraphML, FtM, Analyst's Notebook, and a chart's picture as SVG or PNG.
//! Every consultation and disclosure is audited with the session's purpose.

use super::{Workbench, WorkbenchError};
use crate::domain::{
    Action, AuditAction, Grading, INITIAL_STATUS, IntelItem, IntelItemFields, InvalidRecord,
    IsoDate, NewAuditEntry, NominalId, Subject, list,
};
use crate::graph::{
    ChartPlacement, ExposureLead, ExposureOptions, ForceLayout, GraphAnswer, GraphEdge,
    GraphFilter, GraphPath, GraphQuestion, LinkGraph, SavedChart, find_exposures,
};
use crate::io::chart_scene::ChartScene;
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

/// A loaded graph and what it was loaded from.
#[derive(Debug)]
pub(crate) struct GraphCache {
    generation: u64,
    filter: GraphFilter,
    graph: Arc<LinkGraph>,
}

/// Exposure leads and the names to show beside them.
#[derive(Debug, Clone, PartialEq)]
pub struct ExposureFindings {
    /// Best first.
    pub leads: Vec<ExposureLead>,
    /// The display name of every nominal on a lead's route, by id, sorted by id; a nominal no
    /// longer stored is left out.
    pub names: Vec<(NominalId, String)>,
}

/// The size of an exported chart picture, in pixels (an SVG's too, in its own units); a PNG
/// is this times its [`ChartFormat::Png`] scale.
pub const CHART_PICTURE_SIZE_PX: (u32, u32) = (1600, 1200);

/// The finest scale a PNG of a chart is drawn at: 8000 by 6000 pixels, within
/// [`crate::io::chart_scene::MAX_EXPORT_SIDE`].
pub const MAX_CHART_PICTURE_SCALE: u32 = 5;

/// The most nominals [`Workbench::save_chart_around`] puts on a chart: a neighbourhood larger
/// than this is refused (fewer hops or a filter narrow it), not cut at random.
pub const MAX_CHART_AROUND_NOMINALS: usize = 2_000;

/// Iterations the headless layout of [`Workbench::save_chart_around`] runs at most; a chart of
/// [`MAX_CHART_AROUND_NOMINALS`] settles in a few hundred.
const HEADLESS_LAYOUT_ITERATIONS: usize = 3_000;

/// The layout's seed for a chart laid out headless: the same neighbourhood gives the same
/// chart.
const HEADLESS_LAYOUT_SEED: u64 = 23;

/// The format of a chart's exported picture.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartFormat {
    /// SVG: vectors, every nominal and link an element named by its label or type.
    Svg,
    /// PNG of [`CHART_PICTURE_SIZE_PX`] times `scale` (1 to [`MAX_CHART_PICTURE_SCALE`]): the
    /// same picture drawn finer. Needs the `chart-picture` feature.
    Png { scale: u32 },
}

impl ChartFormat {
    /// The format's name in the audit log.
    fn code(self) -> &'static str {
        match self {
            ChartFormat::Svg => "svg",
            ChartFormat::Png { .. } => "png",
        }
    }

    /// Refuses what cannot be drawn, before anything is asked or recorded.
    fn check(self) -> Result<(), WorkbenchError> {
        match self {
            ChartFormat::Png { .. } if !cfg!(feature = "chart-picture") => {
                Err(WorkbenchError::NoChartPictures)
            }
            ChartFormat::Png { scale } if scale == 0 || scale > MAX_CHART_PICTURE_SCALE => Err(
                WorkbenchError::Refused("a chart's PNG is drawn at a scale from 1 to 5"),
            ),
            ChartFormat::Svg | ChartFormat::Png { .. } => Ok(()),
        }
    }
}

/// The longest route the exposure finder may be asked for: beyond this the leads are noise and
/// the search grows with the whole graph.
pub const MAX_EXPOSURE_HOPS: usize = 6;

impl Workbench {
    /// Loads the graph of live nominals and the links that pass `filter`, recording the
    /// consultation.
    ///
    /// # Errors
    /// Permission errors (a purpose is required); SQL errors.
    pub fn link_graph(&mut self, filter: &GraphFilter) -> Result<Arc<LinkGraph>, WorkbenchError> {
        self.require(Action::AnalyseGraph)?;
        let graph = self.cached_graph(filter)?;
        self.store.write(&self.actor(), |tx| {
            tx.audit(
                NewAuditEntry::new(AuditAction::GraphQueried, "graph").with_detail(
                    serde_json::json!({
                        "query": "load",
                        "filter": filter,
                        "nodes": graph.node_count(),
                        "links": graph.edge_count(),
                    })
                    .to_string(),
                ),
            )?;
            Ok(graph)
        })
    }

    /// The graph for `filter`, from the cache when nothing under it has changed.
    pub(super) fn cached_graph(
        &mut self,
        filter: &GraphFilter,
    ) -> Result<Arc<LinkGraph>, WorkbenchError> {
        let generation = self.store.graph_generation();
        if let Some(cache) = &self.graph_cache
            && cache.generation == generation
            && cache.filter == *filter
        {
            return Ok(Arc::clone(&cache.graph));
        }
        let graph = Arc::new(self.load_graph(filter)?);
        self.graph_cache = Some(GraphCache {
            generation,
            filter: filter.clone(),
            graph: Arc::clone(&graph),
        });
        Ok(graph)
    }

    /// Reads the graph from the store. The links are read on this thread and built into the
    /// graph on the `graph-build` thread batch by batch, so reading (SQLite and decryption)
    /// and building (petgraph) overlap: on a million links each takes about half the time.
    fn load_graph(&self, filter: &GraphFilter) -> Result<LinkGraph, WorkbenchError> {
        let reader = self.store.reader();
        // Links known only from items restricted to others do not exist for this user.
        let hidden_links = reader.links_only_from(&reader.hidden_items(self.user.id)?)?;
        let visible = |mut batch: Vec<GraphEdge>| {
            if !hidden_links.is_empty() {
                batch.retain(|edge| !hidden_links.contains(&edge.link));
            }
            batch
        };
        let nodes = reader.graph_nodes()?;
        let edge_capacity = reader.graph_edge_bound()?;
        let count_sources = filter.needs_provenance();
        let graph = LinkGraph::with_nodes(nodes, edge_capacity);
        std::thread::scope(|scope| {
            let (batches, received) = std::sync::mpsc::sync_channel::<Vec<GraphEdge>>(8);
            let builder = std::thread::Builder::new()
                .name("graph-build".into())
                .spawn_scoped(scope, move || {
                    let mut graph = graph;
                    for batch in received {
                        graph.extend_edges(batch, filter);
                    }
                    graph
                });
            let Ok(builder) = builder else {
                // No thread to be had: read and build on this one.
                let mut graph = LinkGraph::with_nodes(reader.graph_nodes()?, edge_capacity);
                reader.graph_edges_in_batches(count_sources, &mut |batch| {
                    graph.extend_edges(visible(batch), filter);
                })?;
                return Ok(graph);
            };
            let read = reader.graph_edges_in_batches(count_sources, &mut |batch| {
                // A builder that has stopped shows in `join` below.
                let _ = batches.send(visible(batch));
            });
            drop(batches);
            let graph = builder
                .join()
                .map_err(|_| WorkbenchError::GraphQuery("building the graph failed".into()))?;
            read?;
            Ok(graph)
        })
    }

    /// These nominals and the links among them that pass `filter`: the
    /// [`GraphQuestion::Among`] question, asked and recorded as [`Workbench::graph_query`]
    /// records it, with its one possible answer unwrapped.
    ///
    /// # Errors
    /// As [`Workbench::graph_query`].
    pub fn network_among(
        &mut self,
        filter: &GraphFilter,
        nominals: Vec<NominalId>,
    ) -> Result<crate::graph::Subgraph, WorkbenchError> {
        match self.graph_query(filter, &GraphQuestion::Among { nominals })? {
            GraphAnswer::Among { network } => Ok(network),
            _ => Err(WorkbenchError::Refused(
                "the graph gave an unexpected answer",
            )),
        }
    }

    /// Answers a question on the graph that passes `filter`, recording the question (which
    /// names nominals by id only) and the size of the answer.
    ///
    /// # Errors
    /// [`WorkbenchError::Refused`] when the measure cannot be computed on this graph;
    /// permission errors (a purpose is required); SQL errors.
    pub fn graph_query(
        &mut self,
        filter: &GraphFilter,
        question: &GraphQuestion,
    ) -> Result<GraphAnswer, WorkbenchError> {
        self.require(Action::AnalyseGraph)?;
        let graph = self.cached_graph(filter)?;
        let answer = crate::graph::answer(&graph, question)
            .map_err(|err| WorkbenchError::GraphQuery(err.to_string()))?;
        self.store.write(&self.actor(), |tx| {
            tx.audit(
                NewAuditEntry::new(AuditAction::GraphQueried, "graph").with_detail(
                    serde_json::json!({
                        "question": question,
                        "filter": filter,
                        "answer_size": answer.size(),
                    })
                    .to_string(),
                ),
            )?;
            Ok::<(), WorkbenchError>(())
        })?;
        Ok(answer)
    }

    /// `options` with what the finder needs beyond the graph, read from the store: who is a
    /// journalist or a private investigator, since when flagged nominals carry their flags, and
    /// the words for link types and confidences.
    pub(super) fn exposure_options(
        &self,
        options: &ExposureOptions,
    ) -> Result<ExposureOptions, WorkbenchError> {
        Ok(ExposureOptions {
            context: self.store.reader().exposure_context()?,
            ..options.clone()
        })
    }

    /// Runs the exposure finder over the whole graph (links valid today or undated), best
    /// leads first.
    ///
    /// # Errors
    /// [`WorkbenchError::Refused`] for a hop limit of 0 or above [`MAX_EXPOSURE_HOPS`];
    /// permission errors; SQL errors.
    pub fn find_exposures(
        &mut self,
        options: &ExposureOptions,
    ) -> Result<Vec<ExposureLead>, WorkbenchError> {
        Ok(self.exposures(options, false)?.leads)
    }

    /// Runs the exposure finder as [`Workbench::find_exposures`] does (one `graph.exposures`
    /// entry) and reads, in the same transaction, the display name of every nominal on a
    /// lead's route: the employee, the target, the employee's own contact on the route (the
    /// party of a notifiable association registered from the lead) and those between.
    ///
    /// # Errors
    /// As [`Workbench::find_exposures`] (`AnalyseGraph`, a purpose is required); store errors
    /// reading the names (none is swallowed).
    pub fn find_exposures_named(
        &mut self,
        options: &ExposureOptions,
    ) -> Result<ExposureFindings, WorkbenchError> {
        self.exposures(options, true)
    }

    fn exposures(
        &mut self,
        options: &ExposureOptions,
        named: bool,
    ) -> Result<ExposureFindings, WorkbenchError> {
        self.require(Action::AnalyseGraph)?;
        if options.max_hops == 0 || options.max_hops > MAX_EXPOSURE_HOPS {
            return Err(WorkbenchError::Refused(
                "the exposure finder looks between 1 and 6 links away",
            ));
        }
        let filter = GraphFilter {
            valid_on: Some(self.today()),
            ..GraphFilter::default()
        };
        let graph = self.cached_graph(&filter)?;
        let options = self.exposure_options(options)?;
        let options = &options;
        self.store.write(&self.actor(), |tx| {
            let leads = find_exposures(&graph, options);
            tx.audit(
                NewAuditEntry::new(AuditAction::ExposureSearched, "graph").with_detail(
                    serde_json::json!({
                        "max_hops": options.max_hops,
                        "declared_link_type": options.declared_link_type,
                        "leads": leads.len(),
                    })
                    .to_string(),
                ),
            )?;
            let mut route_names = Vec::new();
            if named {
                let mut ids: Vec<NominalId> = leads
                    .iter()
                    .flat_map(|l| l.path.nodes.iter().copied().chain([l.employee, l.target]))
                    .collect();
                ids.sort_unstable();
                ids.dedup();
                let reader = tx.reader();
                for id in ids {
                    if let Some(nominal) = reader.nominal(id)? {
                        route_names.push((id, nominal.details.display_name()));
                    }
                }
            }
            Ok(ExposureFindings {
                leads,
                names: route_names,
            })
        })
    }

    /// Records an exposure lead as a new intelligence item (status `received`, category
    /// inappropriate association, graded as the detective judged it: the GUI and the CLI offer
    /// [`crate::graph::suggested_exposure_grading`]), with the employee as subject, the target
    /// as associate and everyone between as mentioned, and the path kept as the item's
    /// provenance. The path is checked against the store first: every link must still join the
    /// nominals it is said to join.
    ///
    /// # Errors
    /// [`WorkbenchError::Refused`] if the path no longer holds; [`WorkbenchError::Invalid`] for
    /// a grading the reference data refuses; permission errors; SQL errors.
    pub fn record_exposure(
        &mut self,
        lead: &ExposureLead,
        grading: &Grading,
    ) -> Result<IntelItem, WorkbenchError> {
        self.require(Action::RecordIntelligence)?;
        let path = &lead.path;
        if path.nodes.len() < 2 || path.links.len() + 1 != path.nodes.len() {
            return Err(WorkbenchError::Refused(
                "an exposure path needs at least one link",
            ));
        }
        let today = self.today();
        let version = self.reference.version;
        let owner = self.user.id;
        let reference_data = self.reference.clone();
        self.store.write(&self.actor(), |tx| {
            let reader = tx.reader();
            // Each link must still join the nominals either side of it; its type names the hop.
            let mut link_types = Vec::with_capacity(path.links.len());
            for (hop, pair) in path.nodes.windows(2).enumerate() {
                let link = reader
                    .links_for_nominal(pair[0])?
                    .into_iter()
                    .find(|link| {
                        link.id == path.links[hop]
                            && ((link.fields.from == pair[0] && link.fields.to == pair[1])
                                || (link.fields.from == pair[1] && link.fields.to == pair[0]))
                    })
                    .ok_or(WorkbenchError::Refused(
                        "the path no longer holds: a link on it has changed",
                    ))?;
                link_types.push(link.fields.link_type);
            }
            let mut names = Vec::with_capacity(path.nodes.len());
            for &id in &path.nodes {
                let nominal = reader.nominal(id)?.ok_or(WorkbenchError::NoSuchNominal)?;
                names.push(nominal.details.display_name());
            }
            let fields = exposure_item_fields(lead, &names, &link_types, today, grading);
            InvalidRecord::check(
                "the intelligence item",
                fields.validate(&reference_data, today),
            )?;
            let (id, reference) =
                tx.insert_item(&fields, version, INITIAL_STATUS, owner, today.year())?;
            tx.insert_item_graph_path(id, path)?;
            tx.audit(
                NewAuditEntry::new(AuditAction::ItemCreated, format!("item:{reference}"))
                    .with_detail(
                        serde_json::json!({
                            "id": id.0,
                            "reference_version": version,
                            "from": "exposure_finder",
                            "path_nominals": path.nodes.iter().map(|n| n.0).collect::<Vec<_>>(),
                            "path_links": path.links.iter().map(|l| l.0).collect::<Vec<_>>(),
                        })
                        .to_string(),
                    ),
            )?;
            tx.reader().item(id)?.ok_or(WorkbenchError::NoSuchItem)
        })
    }

    /// The graph path an item was recorded from, if it came from the exposure finder.
    ///
    /// # Errors
    /// [`WorkbenchError::NoSuchItem`]; permission errors; SQL errors.
    pub fn item_graph_path(
        &mut self,
        reference: &str,
    ) -> Result<Option<GraphPath>, WorkbenchError> {
        self.require(Action::ViewIntelligence)?;
        let reader = self.store.reader();
        let item = super::intel_ops::existing_item(reader, reference, Some(self.user.id))?;
        Ok(reader.item_graph_path(item.id)?)
    }

    /// Saves a chart (replacing one of the same name).
    ///
    /// # Errors
    /// [`WorkbenchError::Refused`] for an empty name; permission errors; SQL errors.
    pub fn save_chart(&mut self, chart: &SavedChart) -> Result<(), WorkbenchError> {
        self.require(Action::SaveChart)?;
        if chart.name.trim().is_empty() {
            return Err(WorkbenchError::Refused("a chart needs a name"));
        }
        self.store.write(&self.actor(), |tx| {
            let id = tx.save_chart(chart)?;
            tx.audit(
                NewAuditEntry::new(AuditAction::ChartSaved, format!("chart:{id}")).with_detail(
                    serde_json::json!({ "nominals": chart.placements.len() }).to_string(),
                ),
            )?;
            Ok(())
        })
    }

    /// Opens a saved chart, recording the consultation.
    ///
    /// # Errors
    /// [`WorkbenchError::Refused`] if there is none of that name; permission errors.
    pub fn open_chart(&mut self, name: &str) -> Result<SavedChart, WorkbenchError> {
        self.require(Action::AnalyseGraph)?;
        self.store.write(&self.actor(), |tx| {
            let chart = tx
                .reader()
                .chart(name)?
                .ok_or(WorkbenchError::Refused("no saved chart has that name"))?;
            tx.audit(
                NewAuditEntry::new(AuditAction::ChartOpened, "chart").with_detail(
                    serde_json::json!({ "nominals": chart.placements.len() }).to_string(),
                ),
            )?;
            Ok(chart)
        })
    }

    /// The saved charts: name and when last saved.
    ///
    /// # Errors
    /// Permission errors; SQL errors.
    pub fn chart_names(&mut self) -> Result<Vec<(String, String)>, WorkbenchError> {
        self.require(Action::AnalyseGraph)?;
        Ok(self.store.reader().chart_names()?)
    }

    /// Deletes a saved chart.
    ///
    /// # Errors
    /// [`WorkbenchError::Refused`] if there is none of that name; permission errors.
    pub fn delete_chart(&mut self, name: &str) -> Result<(), WorkbenchError> {
        self.require(Action::SaveChart)?;
        self.store.write(&self.actor(), |tx| {
            if !tx.delete_chart(name)? {
                return Err(WorkbenchError::Refused("no saved chart has that name"));
            }
            tx.audit(NewAuditEntry::new(AuditAction::ChartDeleted, "chart"))?;
            Ok(())
        })
    }

    /// Writes the graph as GraphML to `out` (which must not exist): a disclosure, recorded
    /// with the purpose before the file is written; if it cannot be recorded, nothing is written.
    ///
    /// # Errors
    /// Permission errors (a purpose is required); `out` exists; I/O and SQL errors.
    pub fn export_graphml(
        &mut self,
        filter: &GraphFilter,
        out: &Path,
    ) -> Result<(usize, usize), WorkbenchError> {
        self.require(Action::ExportGraph)?;
        let graph = self.cached_graph(filter)?;
        self.write_export(
            out,
            AuditAction::GraphExported,
            "graph",
            "graphml",
            |file| crate::io::graphml::write_graphml(&graph, file),
        )?;
        Ok((graph.node_count(), graph.edge_count()))
    }

    /// Writes the graph to `out` (which must not exist) as an i2 Analyst's Notebook chart
    /// (`.anx`): a disclosure, recorded like [`Workbench::export_graphml`]. Returns how many
    /// nominals and links were written.
    ///
    /// # Errors
    /// Permission errors (a purpose is required); `out` exists; I/O and SQL errors.
    pub fn export_anx(
        &mut self,
        filter: &GraphFilter,
        out: &Path,
    ) -> Result<(usize, usize), WorkbenchError> {
        self.require(Action::ExportGraph)?;
        let graph = self.cached_graph(filter)?;
        self.write_export(out, AuditAction::GraphExported, "graph", "anx", |file| {
            crate::io::anx::write_anx(&graph, &HashMap::new(), file)
        })?;
        Ok((graph.node_count(), graph.edge_count()))
    }

    /// Writes the saved chart `name` to `out` (which must not exist) as an Analyst's Notebook
    /// chart: the nominals on it (not those hidden) where the analyst placed them, and the
    /// links between them that its filter keeps. A disclosure, recorded like
    /// [`Workbench::export_graphml`]. Returns how many nominals and links were written.
    ///
    /// # Errors
    /// [`WorkbenchError::Refused`] if there is no chart of that name; permission errors (a
    /// purpose is required); `out` exists; I/O and SQL errors.
    pub fn export_chart_anx(
        &mut self,
        name: &str,
        out: &Path,
    ) -> Result<(usize, usize), WorkbenchError> {
        self.require(Action::ExportGraph)?;
        let chart = self
            .store
            .reader()
            .chart(name)?
            .ok_or(WorkbenchError::Refused("no saved chart has that name"))?;
        let graph = self.cached_graph(&chart.filter)?;
        let positions: HashMap<NominalId, (i64, i64)> = chart
            .placements
            .iter()
            .filter(|placed| !chart.hidden.contains(&placed.id) && graph.contains(placed.id))
            .map(|placed| (placed.id, (chart_units(placed.x), chart_units(placed.y))))
            .collect();
        let nodes = graph
            .nodes()
            .filter(|node| positions.contains_key(&node.id))
            .cloned()
            .collect();
        let edges: Vec<_> = graph
            .edges()
            .filter(|edge| positions.contains_key(&edge.from) && positions.contains_key(&edge.to))
            .cloned()
            .collect();
        let on_chart = LinkGraph::build(nodes, edges, &chart.filter);
        self.write_export(out, AuditAction::GraphExported, "chart", "anx", |file| {
            crate::io::anx::write_anx(&on_chart, &positions, file)
        })?;
        Ok((on_chart.node_count(), on_chart.edge_count()))
    }

    /// Writes every live nominal and the links between them to `out` (which must not exist)
    /// as FollowTheMoney JSON lines: a disclosure, recorded like
    /// [`Workbench::export_graphml`]. Returns how many nominals and links were written.
    ///
    /// # Errors
    /// Permission errors (a purpose is required); `out` exists; I/O and SQL errors.
    pub fn export_ftm(&mut self, out: &Path) -> Result<(usize, usize), WorkbenchError> {
        self.require(Action::ExportGraph)?;
        let nominals = self.store.reader().live_nominals()?;
        let hidden_links = {
            let reader = self.store.reader();
            reader.links_only_from(&reader.hidden_items(self.user.id)?)?
        };
        let links: Vec<_> = self
            .store
            .reader()
            .live_links()?
            .into_iter()
            .filter(|link| !hidden_links.contains(&link.id))
            .collect();
        let mut written = (0, 0);
        self.write_export(out, AuditAction::GraphExported, "graph", "ftm", |file| {
            written = crate::io::ftm::write_ftm(&nominals, &links, file)?;
            Ok(())
        })?;
        Ok(written)
    }

    /// Draws the saved chart `name` as a picture in `format` and writes it to `out` (which
    /// must not exist): the chart's nominals (not those hidden) where the analyst placed them,
    /// and the links among them that its filter keeps, as the session's graph has them now,
    /// with its highlighted path and the handling marking at the top and foot. Gathering them
    /// is a graph question, recorded as one (`graph.query`, as the chart on screen asks it);
    /// the picture is a disclosure, recorded like [`Workbench::export_graphml`]
    /// (`graph.export` on `chart`, format `svg` or `png`). Returns how many nominals and links
    /// it shows.
    ///
    /// # Errors
    /// [`WorkbenchError::Refused`] if there is no chart of that name or for a PNG scale out of
    /// range; [`WorkbenchError::NoChartPictures`] for a PNG in a build without the
    /// `chart-picture` feature; permission errors (`ExportGraph` and `AnalyseGraph`, a purpose
    /// is required); `out` exists; I/O and SQL errors.
    pub fn export_chart(
        &mut self,
        name: &str,
        format: ChartFormat,
        out: &Path,
    ) -> Result<(usize, usize), WorkbenchError> {
        self.require(Action::ExportGraph)?;
        format.check()?;
        let chart = self
            .store
            .reader()
            .chart(name)?
            .ok_or(WorkbenchError::Refused("no saved chart has that name"))?;
        self.export_chart_as(&chart, format, out)
    }

    /// Draws `chart` (the one on screen, saved or not) in `format` and writes it to `out`, as
    /// [`Workbench::export_chart`] does.
    ///
    /// # Errors
    /// As [`Workbench::export_chart`].
    pub fn export_drawn_chart(
        &mut self,
        chart: &SavedChart,
        format: ChartFormat,
        out: &Path,
    ) -> Result<(usize, usize), WorkbenchError> {
        self.require(Action::ExportGraph)?;
        format.check()?;
        self.export_chart_as(chart, format, out)
    }

    /// The picture of `chart` in `format` (already checked), written as a disclosure.
    fn export_chart_as(
        &mut self,
        chart: &SavedChart,
        format: ChartFormat,
        out: &Path,
    ) -> Result<(usize, usize), WorkbenchError> {
        let nominals = chart
            .placements
            .iter()
            .map(|p| p.id)
            .filter(|id| !chart.hidden.contains(id))
            .collect();
        let network = self.network_among(&chart.filter, nominals)?;
        let positions: HashMap<NominalId, [f32; 2]> = chart
            .placements
            .iter()
            .map(|p| (p.id, [p.x, p.y]))
            .collect();
        let picture = LinkGraph::build(network.nodes, network.edges, &GraphFilter::default());
        let reference = &self.reference;
        let words = |code: &str| reference.label(list::LINK_TYPE, code).to_owned();
        let scene = ChartScene::new(
            &picture,
            &positions,
            chart.highlighted.as_ref(),
            CHART_PICTURE_SIZE_PX,
            &words,
            crate::io::HANDLING_MARKING,
        );
        let png: Option<Vec<u8>> = match format {
            ChartFormat::Svg => None,
            #[cfg(feature = "chart-picture")]
            ChartFormat::Png { scale } => Some(crate::io::chart_png::render_png(&scene, scale)?),
            #[cfg(not(feature = "chart-picture"))]
            ChartFormat::Png { .. } => return Err(WorkbenchError::NoChartPictures),
        };
        self.write_export(
            out,
            AuditAction::GraphExported,
            "chart",
            format.code(),
            |file| match &png {
                Some(png) => std::io::Write::write_all(file, png),
                None => crate::io::chart_svg::write_svg(&scene, file),
            },
        )?;
        Ok((picture.node_count(), picture.edge_count()))
    }

    /// Saves the nominals within `hops` links of `around` (following links either way among
    /// those that pass `filter`) as the chart `name`, replacing one of that name, laid out by
    /// the force layout run here until it settles, `around` held at the centre meanwhile: what
    /// the analyst would get by expanding `around` on screen and waiting. Gathering them is a
    /// graph question, recorded as one; the chart is saved and recorded as
    /// [`Workbench::save_chart`] does. `graph chart save` calls this. Returns the chart saved.
    ///
    /// # Errors
    /// [`WorkbenchError::Refused`] for an empty name or more than
    /// [`MAX_CHART_AROUND_NOMINALS`] nominals; [`WorkbenchError::NoSuchNominal`]; permission
    /// errors (`SaveChart` and `AnalyseGraph`, a purpose is required); SQL errors.
    pub fn save_chart_around(
        &mut self,
        name: &str,
        around: NominalId,
        hops: usize,
        filter: &GraphFilter,
    ) -> Result<SavedChart, WorkbenchError> {
        self.require(Action::SaveChart)?;
        if name.trim().is_empty() {
            return Err(WorkbenchError::Refused("a chart needs a name"));
        }
        let question = GraphQuestion::Linked {
            from: around,
            hops,
            follow_direction: false,
        };
        let GraphAnswer::Linked { within, network } = self.graph_query(filter, &question)? else {
            return Err(WorkbenchError::Refused(
                "the graph gave an unexpected answer",
            ));
        };
        if within.is_empty() {
            return Err(WorkbenchError::NoSuchNominal);
        }
        if within.len() > MAX_CHART_AROUND_NOMINALS {
            return Err(WorkbenchError::Refused(
                "more than 2,000 nominals are that close: ask for fewer hops or filter the links",
            ));
        }
        let ids: Vec<NominalId> = within.iter().map(|&(id, _)| id).collect();
        let links: Vec<(NominalId, NominalId)> =
            network.edges.iter().map(|e| (e.from, e.to)).collect();
        let mut layout = ForceLayout::new(HEADLESS_LAYOUT_SEED);
        layout.set_position(around, [0.0, 0.0]);
        layout.pin(around, true);
        layout.set_graph(&ids, &links);
        layout.settle(HEADLESS_LAYOUT_ITERATIONS);
        let chart = SavedChart {
            name: name.to_owned(),
            placements: layout
                .positions()
                .map(|(id, [x, y])| ChartPlacement {
                    id,
                    x,
                    y,
                    pinned: false,
                })
                .collect(),
            hidden: Vec::new(),
            filter: filter.clone(),
            highlighted: None,
            groups: Vec::new(),
        };
        self.save_chart(&chart)?;
        Ok(chart)
    }
}

/// The item recorded from a lead: the path in words, the reasons, and who is who.
fn exposure_item_fields(
    lead: &ExposureLead,
    names: &[String],
    link_types: &[String],
    today: IsoDate,
    grading: &Grading,
) -> IntelItemFields {
    use std::fmt::Write as _;
    let mut route = names.first().cloned().unwrap_or_default();
    for (name, link_type) in names.iter().skip(1).zip(link_types) {
        let _ = write!(route, " -[{}]- {name}", link_type.replace('_', " "));
    }
    let narrative = format!(
        "Exposure finder: an undeclared route of {} link(s) from an employee to a nominal of \
         concern. Route: {route}. {}. Recorded from link analysis for assessment.",
        lead.path.hops(),
        lead.reasons.join("; ")
    );
    let last = lead.path.nodes.len().saturating_sub(1);
    let subjects = lead
        .path
        .nodes
        .iter()
        .enumerate()
        .map(|(position, &nominal_id)| Subject {
            nominal_id,
            role: match position {
                0 => "subject",
                p if p == last => "associate",
                _ => "mentioned",
            }
            .into(),
        })
        .collect::<Vec<_>>();
    IntelItemFields {
        received_on: today,
        source_type: "audit_check".into(),
        narrative,
        grading: grading.clone(),
        legacy_grading: None,
        category: "inappropriate_association".into(),
        subcategory: None,
        subjects: dedup_subjects(subjects),
        next_review_on: None,
    }
}

/// A nominal appears once among the subjects, in its first role.
fn dedup_subjects(subjects: Vec<Subject>) -> Vec<Subject> {
    let mut seen: Vec<NominalId> = Vec::new();
    subjects
        .into_iter()
        .filter(|s| {
            let fresh = !seen.contains(&s.nominal_id);
            seen.push(s.nominal_id);
            fresh
        })
        .collect()
}

/// A chart coordinate in whole units (a chart's units are points; ANB's are close enough to
/// keep the picture's shape). Out-of-range values, which no drawn chart has, are clamped.
#[expect(
    clippy::cast_possible_truncation,
    reason = "rounded and clamped to a range i64 holds exactly"
)]
fn chart_units(coordinate: f32) -> i64 {
    if coordinate.is_finite() {
        f64::from(coordinate).round().clamp(-1.0e15, 1.0e15) as i64
    } else {
        0
    }
}
