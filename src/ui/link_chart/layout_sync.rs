//! Keeping the chart and its layout thread in step: the per-frame cache rebuilt when the graph or
//! the hidden set changes, and the newest positions pulled from the layout.

use super::{
    CachedEdge, CachedNode, Engine, ForceLayout, GraphKey, HashMap, INLINE_BUDGET, LayoutInput,
    LayoutState, LayoutWorker, LinkChart, LinkGraph, NominalId, link_rank,
};

impl LinkChart {
    /// Rebuilds the cache and tells the layout when the graph or the hidden set changed.
    pub(super) fn sync_graph(&mut self, ctx: Option<&egui::Context>, graph: &LinkGraph) {
        let key = GraphKey::of(graph, self.hidden.len());
        if self.rt.key == Some(key) {
            return;
        }
        self.rt.key = Some(key);
        let first = self.rt.engine.is_none();
        if first {
            self.rt.engine = Some(if self.rt.inline {
                Engine::Inline(Box::new(ForceLayout::new(self.seed)))
            } else {
                let ctx = ctx.cloned();
                let repaint = ctx.map(|ctx| Box::new(move || ctx.request_repaint()) as Box<_>);
                match LayoutWorker::spawn(self.seed, repaint) {
                    Ok(worker) => Engine::Worker(worker),
                    // No thread to be had: lay out in the frame rather than not at all.
                    Err(_) => Engine::Inline(Box::new(ForceLayout::new(self.seed))),
                }
            });
        }
        let old_coords: HashMap<NominalId, [f32; 2]> = self
            .rt
            .nodes
            .iter()
            .zip(&self.rt.coords)
            .filter(|(_, p)| !p[0].is_nan())
            .map(|(n, p)| (n.id, *p))
            .collect();
        self.rt.nodes.clear();
        self.rt.index.clear();
        for node in graph.nodes() {
            if self.hidden.contains(&node.id) {
                continue;
            }
            #[expect(clippy::cast_possible_truncation, reason = "node counts fit u32")]
            self.rt.index.insert(node.id, self.rt.nodes.len() as u32);
            self.rt.nodes.push(CachedNode {
                id: node.id,
                kind: node.kind,
                ocg: node.ocg,
                criminal: node.criminal,
                scale: 1.0,
                fill: super::theme::chart_node_style(node.kind).0,
                markers: 0,
                prominent: false,
                icon: crate::graph::chart_style::icon(node.kind),
            });
        }
        self.apply_formatting();
        self.rt.coords = self
            .rt
            .nodes
            .iter()
            .map(|n| {
                old_coords
                    .get(&n.id)
                    .or_else(|| self.positions.get(&n.id))
                    .copied()
                    .unwrap_or([f32::NAN, f32::NAN])
            })
            .collect();
        self.rt.coords_version += 1;
        self.rt.edges.clear();
        for edge in graph.edges() {
            if !self.rt.link_types.contains(&*edge.link_type) {
                self.rt.link_types.insert(edge.link_type.to_string());
            }
            for date in [edge.valid_from, edge.valid_to].into_iter().flatten() {
                self.rt.date_range = Some(match self.rt.date_range {
                    Some((first, last)) => (first.min(date), last.max(date)),
                    None => (date, date),
                });
            }
            if !self.rt.confidences.contains(&*edge.confidence) {
                self.rt.confidences.insert(edge.confidence.to_string());
            }
            if let (Some(&from), Some(&to)) =
                (self.rt.index.get(&edge.from), self.rt.index.get(&edge.to))
            {
                let link_type = if let Some(&index) = self.rt.type_index.get(&*edge.link_type) {
                    index
                } else {
                    let index = u16::try_from(self.rt.type_codes.len()).unwrap_or(u16::MAX);
                    self.rt.type_codes.push(edge.link_type.to_string());
                    self.rt.type_index.insert(edge.link_type.to_string(), index);
                    index
                };
                self.rt.edges.push(CachedEdge {
                    from,
                    to,
                    link: edge.link,
                    directed: edge.directed,
                    link_type,
                    weak: matches!(&*edge.confidence, "possible" | "doubtful"),
                    valid_from: edge.valid_from,
                    valid_to: edge.valid_to,
                });
            }
        }
        // Rank order: a big chart zoomed out draws the first links in view (see
        // `MAX_DRAWN_EDGES`).
        self.rt
            .edges
            .sort_by_cached_key(|edge| link_rank(edge.link));
        self.index_highlighted_edges();
        self.rt.generation += 1;
        let nodes: Vec<NominalId> = self.rt.nodes.iter().map(|n| n.id).collect();
        let edges: Vec<(NominalId, NominalId)> = self
            .rt
            .edges
            .iter()
            .map(|e| {
                (
                    self.rt.nodes[e.from as usize].id,
                    self.rt.nodes[e.to as usize].id,
                )
            })
            .collect();
        let generation = self.rt.generation;
        match &mut self.rt.engine {
            Some(Engine::Inline(layout)) => {
                if first {
                    for (&id, &p) in &self.positions {
                        layout.set_position(id, p);
                    }
                    for &id in &self.pinned {
                        layout.pin(id, true);
                    }
                }
                layout.set_graph(&nodes, &edges);
            }
            Some(Engine::Worker(worker)) => {
                if first {
                    for (&id, &p) in &self.positions {
                        let _ = worker.send(LayoutInput::SetPosition(id, p));
                    }
                    for &id in &self.pinned {
                        let _ = worker.send(LayoutInput::Pin(id, true));
                    }
                }
                // A stopped thread shows as a layout that never arrives; nothing to do here.
                let _ = worker.send(LayoutInput::SetGraph {
                    generation,
                    nodes,
                    edges,
                });
            }
            None => {}
        }
        self.rt.layout_state = Some(LayoutState::Moving);
    }

    /// Copies the newest positions from the layout; returns whether it still moves.
    pub(super) fn pull_layout(&mut self) -> bool {
        let state = match &mut self.rt.engine {
            Some(Engine::Inline(layout)) => {
                let state = layout.step(INLINE_BUDGET);
                if layout.coordinates().len() == self.rt.coords.len()
                    && self.rt.coords.as_slice() != layout.coordinates()
                {
                    self.rt.coords.copy_from_slice(layout.coordinates());
                    self.rt.coords_version += 1;
                }
                state
            }
            Some(Engine::Worker(worker)) => {
                let Some(snapshot) = worker.snapshot() else {
                    return true;
                };
                if snapshot.generation != self.rt.generation {
                    return true;
                }
                if snapshot.sequence != self.rt.last_sequence
                    && snapshot.positions.len() == self.rt.coords.len()
                {
                    self.rt.last_sequence = snapshot.sequence;
                    self.rt.coords.copy_from_slice(&snapshot.positions);
                    self.rt.coords_version += 1;
                }
                snapshot.state
            }
            None => return false,
        };
        if state == LayoutState::Settled && self.rt.layout_state != Some(LayoutState::Settled) {
            // Saved with the chart: written once per settling, not every frame.
            for (node, p) in self.rt.nodes.iter().zip(&self.rt.coords) {
                self.positions.insert(node.id, *p);
            }
        }
        self.rt.layout_state = Some(state);
        state == LayoutState::Moving
    }
}
