//! Force-directed layout for link charts: Fruchterman–Reingold forces with Barnes–Hut
//! repulsion, so a step costs O(n log n) and a chart of 100,000 nominals still settles.
//!
//! Nodes repel each other (approximated by a quadtree: a far cell acts as one body at its
//! centre of mass), links pull their ends together, and a weak gravity keeps disconnected parts
//! on screen. A temperature caps how far a node may move in one iteration and cools every
//! iteration, which is what makes the layout settle. Everything is seeded: the same graph and
//! seed give the same picture, so a saved chart reopens as it was.

use crate::domain::NominalId;
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

/// Whether the layout still moves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LayoutState {
    /// Nodes moved more than the threshold in the last iteration.
    Moving,
    /// The largest move of the last iteration was below the threshold; stepping is useless until
    /// the graph, a pin or a position changes.
    Settled,
}

/// The forces and their cooling. The defaults suit charts drawn at a node radius of about a
/// tenth of [`LayoutParams::ideal_length`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LayoutParams {
    /// The length a link tends to (Fruchterman–Reingold's `k`), in world units.
    pub ideal_length: f32,
    /// Barnes–Hut opening angle: a cell whose size over distance is below it is one body.
    /// Larger is faster and coarser.
    pub theta: f32,
    /// Pull of every node towards the origin, per unit of distance.
    pub gravity: f32,
    /// Temperature kept after each iteration (below 1).
    pub cooling: f32,
    /// The layout has settled when no node moved further than this in an iteration.
    pub settle_threshold: f32,
}

impl Default for LayoutParams {
    fn default() -> Self {
        Self {
            ideal_length: 60.0,
            theta: 0.9,
            gravity: 0.05,
            cooling: 0.94,
            settle_threshold: 0.6,
        }
    }
}

/// Bodies per quadtree leaf: small leaves are computed exactly, which is faster than splitting
/// them further.
const LEAF_BODIES: usize = 4;
/// Depth at which the tree stops splitting (coincident nodes would otherwise recurse forever).
const MAX_DEPTH: u32 = 24;
/// Distance below which two nodes are treated as this close, so forces stay finite.
const MIN_DISTANCE: f32 = 0.01;

/// A force-directed layout of nominal ids. See the module documentation.
#[derive(Debug, Clone)]
pub struct ForceLayout {
    params: LayoutParams,
    rng: SplitMix,
    ids: Vec<NominalId>,
    index: HashMap<NominalId, usize>,
    positions: Vec<[f32; 2]>,
    pinned: Vec<bool>,
    edges: Vec<(u32, u32)>,
    /// Positions of nodes set before they were in the graph, or removed from it: a node shown
    /// again goes back where it was.
    remembered: HashMap<NominalId, [f32; 2]>,
    /// Pins of nodes not (yet) in the graph.
    pinned_ids: HashSet<NominalId>,
    temperature: f32,
    state: LayoutState,
    iterations: u64,
}

impl ForceLayout {
    /// An empty layout with the default forces.
    #[must_use]
    pub fn new(seed: u64) -> Self {
        Self::with_params(seed, LayoutParams::default())
    }

    /// An empty layout with the given forces.
    #[must_use]
    pub fn with_params(seed: u64, params: LayoutParams) -> Self {
        Self {
            params,
            rng: SplitMix(seed),
            ids: Vec::new(),
            index: HashMap::new(),
            positions: Vec::new(),
            pinned: Vec::new(),
            edges: Vec::new(),
            remembered: HashMap::new(),
            pinned_ids: HashSet::new(),
            temperature: 0.0,
            state: LayoutState::Settled,
            iterations: 0,
        }
    }

    #[must_use]
    pub fn params(&self) -> LayoutParams {
        self.params
    }

    /// Replaces the graph. Nodes already placed keep their positions (and nodes seen before
    /// go back where they were); a new node is placed near a placed neighbour, so adding the
    /// neighbours of one nominal grows the chart around it instead of scattering it. Edges whose
    /// ends are not among `nodes` are ignored. The ids are kept in the order given:
    /// [`ForceLayout::coordinates`] follows it.
    pub fn set_graph(&mut self, nodes: &[NominalId], edges: &[(NominalId, NominalId)]) {
        let old_count = self.ids.len();
        for (id, position) in self.ids.iter().zip(&self.positions) {
            self.remembered.insert(*id, *position);
        }
        for (id, pinned) in self.ids.iter().zip(&self.pinned) {
            if *pinned {
                self.pinned_ids.insert(*id);
            } else {
                self.pinned_ids.remove(id);
            }
        }
        self.ids.clear();
        self.index.clear();
        for &id in nodes {
            if !self.index.contains_key(&id) {
                self.index.insert(id, self.ids.len());
                self.ids.push(id);
            }
        }
        let n = self.ids.len();
        self.edges = edges
            .iter()
            .filter_map(|(a, b)| {
                let a = *self.index.get(a)?;
                let b = *self.index.get(b)?;
                #[expect(clippy::cast_possible_truncation, reason = "node counts fit u32")]
                (a != b).then_some((a as u32, b as u32))
            })
            .collect();
        self.pinned = self
            .ids
            .iter()
            .map(|id| self.pinned_ids.contains(id))
            .collect();
        let mut placed = vec![false; n];
        self.positions = vec![[0.0, 0.0]; n];
        for (i, id) in self.ids.iter().enumerate() {
            if let Some(position) = self.remembered.get(id) {
                self.positions[i] = *position;
                placed[i] = true;
            }
        }
        let new_count = placed.iter().filter(|p| !**p).count();
        self.place_new(&mut placed);
        let k = self.params.ideal_length;
        #[expect(clippy::cast_precision_loss, reason = "node counts are far below 2^24")]
        let full = 0.1 * k * (n as f32).sqrt().max(1.0) + k;
        let changed = new_count > 0 || n != old_count;
        #[expect(clippy::cast_precision_loss, reason = "node counts are far below 2^24")]
        let share = if n == 0 {
            0.0
        } else {
            new_count as f32 / n as f32
        };
        // A chart opened again (nothing new) only adjusts; a new chart starts hot; a chart
        // that grew is warmed in proportion to what is new.
        let warm = (full * share).max(if changed { k } else { 0.5 * k });
        self.temperature = self.temperature.max(warm);
        self.state = LayoutState::Moving;
    }

    /// Places every node not yet placed: breadth-first from placed nodes, each near the
    /// neighbour it was reached from; a component with no placed node starts at a random point.
    #[expect(
        clippy::many_single_char_names,
        reason = "n and k as in the layout literature; i and j index nodes"
    )]
    fn place_new(&mut self, placed: &mut [bool]) {
        let n = self.ids.len();
        let mut neighbours: Vec<Vec<u32>> = vec![Vec::new(); n];
        for &(a, b) in &self.edges {
            neighbours[a as usize].push(b);
            neighbours[b as usize].push(a);
        }
        let k = self.params.ideal_length;
        #[expect(clippy::cast_precision_loss, reason = "node counts are far below 2^24")]
        let spread = k * (n as f32).sqrt().max(1.0);
        let mut queue: std::collections::VecDeque<usize> = (0..n).filter(|&i| placed[i]).collect();
        let mut next_unplaced = 0;
        loop {
            while let Some(i) = queue.pop_front() {
                for &j in &neighbours[i] {
                    let j = j as usize;
                    if !placed[j] {
                        let angle = self.rng.unit() * std::f32::consts::TAU;
                        let radius = k * (0.5 + 0.5 * self.rng.unit());
                        let [x, y] = self.positions[i];
                        self.positions[j] = [x + radius * angle.cos(), y + radius * angle.sin()];
                        placed[j] = true;
                        queue.push_back(j);
                    }
                }
            }
            while next_unplaced < n && placed[next_unplaced] {
                next_unplaced += 1;
            }
            if next_unplaced == n {
                break;
            }
            let angle = self.rng.unit() * std::f32::consts::TAU;
            let radius = spread * 0.5 * self.rng.unit().sqrt();
            self.positions[next_unplaced] = [radius * angle.cos(), radius * angle.sin()];
            placed[next_unplaced] = true;
            queue.push_back(next_unplaced);
        }
    }

    /// Runs iterations until `budget` is spent or the layout settles (at least one iteration
    /// when it is moving).
    pub fn step(&mut self, budget: Duration) -> LayoutState {
        let start = Instant::now();
        while self.state == LayoutState::Moving {
            self.iterate();
            if start.elapsed() >= budget {
                break;
            }
        }
        self.state
    }

    /// Runs until settled or `max_iterations` have run; returns the iterations run.
    pub fn settle(&mut self, max_iterations: usize) -> usize {
        let mut run = 0;
        while self.state == LayoutState::Moving && run < max_iterations {
            self.iterate();
            run += 1;
        }
        run
    }

    #[must_use]
    pub fn state(&self) -> LayoutState {
        self.state
    }

    /// Iterations run since the layout was created.
    #[must_use]
    pub fn iterations(&self) -> u64 {
        self.iterations
    }

    #[must_use]
    pub fn position(&self, id: NominalId) -> Option<[f32; 2]> {
        self.index.get(&id).map(|&i| self.positions[i])
    }

    /// Moves a node (an analyst's drag). Its neighbours follow as the layout warms a little.
    /// A node not in the graph keeps the position for when it is added.
    pub fn set_position(&mut self, id: NominalId, position: [f32; 2]) {
        if let Some(&i) = self.index.get(&id) {
            if self.positions[i].map(f32::to_bits) != position.map(f32::to_bits) {
                self.positions[i] = position;
                self.reheat();
            }
        } else {
            self.remembered.insert(id, position);
        }
    }

    /// Pins or frees a node: a pinned node never moves by force.
    pub fn pin(&mut self, id: NominalId, pinned: bool) {
        if let Some(&i) = self.index.get(&id) {
            if self.pinned[i] != pinned {
                self.pinned[i] = pinned;
                if !pinned {
                    self.reheat();
                }
            }
        } else if pinned {
            self.pinned_ids.insert(id);
        } else {
            self.pinned_ids.remove(&id);
        }
    }

    #[must_use]
    pub fn is_pinned(&self, id: NominalId) -> bool {
        self.index
            .get(&id)
            .map_or_else(|| self.pinned_ids.contains(&id), |&i| self.pinned[i])
    }

    /// Every node and its position, in the order given to [`ForceLayout::set_graph`].
    pub fn positions(&self) -> impl Iterator<Item = (NominalId, [f32; 2])> + '_ {
        self.ids.iter().copied().zip(self.positions.iter().copied())
    }

    /// The ids, in the order given to [`ForceLayout::set_graph`].
    #[must_use]
    pub fn ids(&self) -> &[NominalId] {
        &self.ids
    }

    /// The positions, aligned with [`ForceLayout::ids`]: what a chart copies every frame
    /// without hashing.
    #[must_use]
    pub fn coordinates(&self) -> &[[f32; 2]] {
        &self.positions
    }

    fn reheat(&mut self) {
        self.temperature = self.temperature.max(self.params.ideal_length * 0.5);
        self.state = LayoutState::Moving;
    }

    /// One iteration: forces, capped moves, cooling.
    fn iterate(&mut self) {
        self.iterations += 1;
        let n = self.positions.len();
        if n == 0 {
            self.state = LayoutState::Settled;
            return;
        }
        let k = self.params.ideal_length;
        let k2 = k * k;
        let tree = QuadTree::build(&self.positions);
        let theta2 = self.params.theta * self.params.theta;
        let gravity = self.params.gravity;
        let positions = &self.positions;
        let mut forces: Vec<[f32; 2]> = positions
            .par_iter()
            .enumerate()
            .with_min_len(256)
            .map(|(i, &p)| {
                let [rx, ry] = tree.repulsion(i, p, positions, theta2);
                [rx * k2 - gravity * p[0], ry * k2 - gravity * p[1]]
            })
            .collect();
        for &(a, b) in &self.edges {
            let pa = positions[a as usize];
            let pb = positions[b as usize];
            let dx = pb[0] - pa[0];
            let dy = pb[1] - pa[1];
            let d = (dx * dx + dy * dy).sqrt().max(MIN_DISTANCE);
            // Attraction d^2/k along the unit vector: (dx/d) * d^2/k = dx * d / k.
            let f = d / k;
            forces[a as usize][0] += dx * f;
            forces[a as usize][1] += dy * f;
            forces[b as usize][0] -= dx * f;
            forces[b as usize][1] -= dy * f;
        }
        let t = self.temperature;
        let mut max_move = 0.0_f32;
        for ((position, force), pinned) in self.positions.iter_mut().zip(&forces).zip(&self.pinned)
        {
            if *pinned {
                continue;
            }
            let length = (force[0] * force[0] + force[1] * force[1]).sqrt();
            if length <= f32::EPSILON || !length.is_finite() {
                continue;
            }
            let moved = length.min(t);
            position[0] += force[0] / length * moved;
            position[1] += force[1] / length * moved;
            max_move = max_move.max(moved);
        }
        self.temperature *= self.params.cooling;
        self.state = if max_move < self.params.settle_threshold {
            LayoutState::Settled
        } else {
            LayoutState::Moving
        };
    }
}

/// A quadtree over the node positions, stored flat: building it partitions an index array in
/// place, so a leaf's bodies are a contiguous range of it.
struct QuadTree {
    cells: Vec<Cell>,
    order: Vec<u32>,
}

struct Cell {
    centre_of_mass: [f32; 2],
    mass: f32,
    /// Lower corner and side length of the cell's square.
    origin: [f32; 2],
    size: f32,
    /// First child cell, or `u32::MAX` for a leaf; children are the next cells listed in
    /// `children`.
    children: [u32; 4],
    start: u32,
    end: u32,
}

impl QuadTree {
    fn build(positions: &[[f32; 2]]) -> Self {
        let mut min = [f32::INFINITY; 2];
        let mut max = [f32::NEG_INFINITY; 2];
        for p in positions {
            for axis in 0..2 {
                min[axis] = min[axis].min(p[axis]);
                max[axis] = max[axis].max(p[axis]);
            }
        }
        let size = (max[0] - min[0]).max(max[1] - min[1]).max(1.0);
        #[expect(clippy::cast_possible_truncation, reason = "node counts fit u32")]
        let mut order: Vec<u32> = (0..positions.len() as u32).collect();
        let mut cells = Vec::with_capacity(positions.len() / 2 + 1);
        let len = order.len();
        Self::build_cell(&mut cells, &mut order, 0, len, min, size, positions, 0);
        Self { cells, order }
    }

    #[expect(
        clippy::too_many_arguments,
        reason = "a recursive build over one array"
    )]
    fn build_cell(
        cells: &mut Vec<Cell>,
        order: &mut [u32],
        start: usize,
        end: usize,
        origin: [f32; 2],
        size: f32,
        positions: &[[f32; 2]],
        depth: u32,
    ) -> u32 {
        let mut com = [0.0_f32; 2];
        for &i in &order[start..end] {
            let p = positions[i as usize];
            com[0] += p[0];
            com[1] += p[1];
        }
        #[expect(clippy::cast_precision_loss, reason = "node counts are far below 2^24")]
        let mass = (end - start) as f32;
        com[0] /= mass;
        com[1] /= mass;
        #[expect(clippy::cast_possible_truncation, reason = "cell counts fit u32")]
        let index = cells.len() as u32;
        #[expect(clippy::cast_possible_truncation, reason = "node counts fit u32")]
        cells.push(Cell {
            centre_of_mass: com,
            mass,
            origin,
            size,
            children: [u32::MAX; 4],
            start: start as u32,
            end: end as u32,
        });
        if end - start <= LEAF_BODIES || depth >= MAX_DEPTH {
            return index;
        }
        let half = size / 2.0;
        let mid = [origin[0] + half, origin[1] + half];
        // Partition into x < mid, then each half into y < mid: quadrants 0..4 in order.
        let slice = &mut order[start..end];
        let split_x = partition(slice, |i| positions[i as usize][0] < mid[0]);
        let (left, right) = slice.split_at_mut(split_x);
        let split_left = partition(left, |i| positions[i as usize][1] < mid[1]);
        let split_right = partition(right, |i| positions[i as usize][1] < mid[1]);
        let bounds = [
            (start, start + split_left, origin),
            (start + split_left, start + split_x, [origin[0], mid[1]]),
            (
                start + split_x,
                start + split_x + split_right,
                [mid[0], origin[1]],
            ),
            (start + split_x + split_right, end, mid),
        ];
        let mut children = [u32::MAX; 4];
        for (slot, (s, e, child_origin)) in bounds.into_iter().enumerate() {
            if e > s {
                children[slot] =
                    Self::build_cell(cells, order, s, e, child_origin, half, positions, depth + 1);
            }
        }
        cells[index as usize].children = children;
        index
    }

    /// The sum over other bodies of `(p - q) / |p - q|^2` (repulsion `k^2 / d` along the unit
    /// vector, without the `k^2`), far cells approximated by their centre of mass.
    fn repulsion(&self, me: usize, p: [f32; 2], positions: &[[f32; 2]], theta2: f32) -> [f32; 2] {
        let mut force = [0.0_f32; 2];
        let mut stack: Vec<u32> = Vec::with_capacity(64);
        stack.push(0);
        while let Some(cell) = stack.pop() {
            let cell = &self.cells[cell as usize];
            let is_leaf = cell.children[0] == u32::MAX
                && cell.children[1] == u32::MAX
                && cell.children[2] == u32::MAX
                && cell.children[3] == u32::MAX;
            if is_leaf {
                for &other in &self.order[cell.start as usize..cell.end as usize] {
                    if other as usize == me {
                        continue;
                    }
                    let q = positions[other as usize];
                    add_repulsion(&mut force, p, q, 1.0, me, other as usize);
                }
                continue;
            }
            let dx = p[0] - cell.centre_of_mass[0];
            let dy = p[1] - cell.centre_of_mass[1];
            let d2 = dx * dx + dy * dy;
            // A cell holding the node itself is always opened, so a node never repels itself.
            let inside = p[0] >= cell.origin[0]
                && p[1] >= cell.origin[1]
                && p[0] <= cell.origin[0] + cell.size
                && p[1] <= cell.origin[1] + cell.size;
            if !inside && cell.size * cell.size < theta2 * d2 {
                let d2 = d2.max(MIN_DISTANCE);
                force[0] += dx / d2 * cell.mass;
                force[1] += dy / d2 * cell.mass;
            } else {
                stack.extend(cell.children.iter().copied().filter(|&c| c != u32::MAX));
            }
        }
        force
    }
}

fn add_repulsion(
    force: &mut [f32; 2],
    p: [f32; 2],
    q: [f32; 2],
    mass: f32,
    me: usize,
    other: usize,
) {
    let mut dx = p[0] - q[0];
    let mut dy = p[1] - q[1];
    let mut d2 = dx * dx + dy * dy;
    if d2 < MIN_DISTANCE {
        // Coincident nodes: push apart along a direction fixed by their indices, so the
        // result is deterministic and the two go opposite ways.
        #[expect(clippy::cast_precision_loss, reason = "only an angle")]
        let angle = (me.min(other) * 7 + me.max(other)) as f32;
        let sign = if me < other { 1.0 } else { -1.0 };
        dx = angle.cos() * sign * 0.1;
        dy = angle.sin() * sign * 0.1;
        d2 = dx * dx + dy * dy;
    }
    force[0] += dx / d2 * mass;
    force[1] += dy / d2 * mass;
}

/// Moves the elements for which `left` holds to the front; returns how many there are.
fn partition(slice: &mut [u32], left: impl Fn(u32) -> bool) -> usize {
    let mut split = 0;
    for i in 0..slice.len() {
        if left(slice[i]) {
            slice.swap(split, i);
            split += 1;
        }
    }
    split
}

/// A small seeded generator (`SplitMix64`): placement must not depend on the platform's
/// randomness, so a seed always gives the same picture.
#[derive(Debug, Clone)]
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A uniform number in `[0, 1)`.
    fn unit(&mut self) -> f32 {
        #[expect(clippy::cast_precision_loss, reason = "24 bits are exact in f32")]
        let value = (self.next() >> 40) as f32;
        value / 16_777_216.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(range: std::ops::Range<i64>) -> Vec<NominalId> {
        range.map(NominalId).collect()
    }

    fn clique(range: std::ops::Range<i64>) -> Vec<(NominalId, NominalId)> {
        let mut edges = Vec::new();
        for a in range.clone() {
            for b in range.clone() {
                if a < b {
                    edges.push((NominalId(a), NominalId(b)));
                }
            }
        }
        edges
    }

    fn distance(a: [f32; 2], b: [f32; 2]) -> f32 {
        ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2)).sqrt()
    }

    #[test]
    fn settles_on_a_small_graph() {
        let mut layout = ForceLayout::new(7);
        let edges: Vec<_> = (0..9).map(|i| (NominalId(i), NominalId(i + 1))).collect();
        layout.set_graph(&ids(0..10), &edges);
        let run = layout.settle(5_000);
        assert_eq!(
            layout.state(),
            LayoutState::Settled,
            "after {run} iterations"
        );
        // Linked nodes end near the ideal length apart, not on top of each other.
        let k = layout.params().ideal_length;
        for (a, b) in &edges {
            let d = distance(layout.position(*a).unwrap(), layout.position(*b).unwrap());
            assert!(d > 0.3 * k && d < 3.0 * k, "link length {d}");
        }
        // Stepping a settled layout does nothing.
        let before: Vec<_> = layout.positions().collect();
        assert_eq!(layout.step(Duration::from_millis(5)), LayoutState::Settled);
        assert_eq!(before, layout.positions().collect::<Vec<_>>());
    }

    #[test]
    fn is_deterministic_for_a_seed() {
        let run = |seed| {
            let mut layout = ForceLayout::new(seed);
            layout.set_graph(&ids(0..30), &clique(0..6));
            layout.settle(300);
            layout.positions().collect::<Vec<_>>()
        };
        assert_eq!(run(3), run(3));
        assert_ne!(run(3), run(4));
    }

    #[test]
    fn a_pinned_node_does_not_move() {
        let mut layout = ForceLayout::new(1);
        layout.set_graph(&ids(0..8), &clique(0..8));
        layout.set_position(NominalId(3), [500.0, -200.0]);
        layout.pin(NominalId(3), true);
        layout.settle(5_000);
        assert_eq!(layout.position(NominalId(3)), Some([500.0, -200.0]));
        assert!(layout.is_pinned(NominalId(3)));
        // Its neighbours were pulled towards it.
        let near = distance(layout.position(NominalId(0)).unwrap(), [500.0, -200.0]);
        assert!(near < 400.0, "neighbour at {near}");
        // A pin survives a new graph.
        layout.set_graph(&ids(0..9), &clique(0..9));
        assert!(layout.is_pinned(NominalId(3)));
        layout.settle(5_000);
        assert_eq!(layout.position(NominalId(3)), Some([500.0, -200.0]));
    }

    #[test]
    fn two_disconnected_cliques_end_up_apart() {
        let mut layout = ForceLayout::new(11);
        let mut edges = clique(0..6);
        edges.extend(clique(6..12));
        layout.set_graph(&ids(0..12), &edges);
        layout.settle(5_000);
        assert_eq!(layout.state(), LayoutState::Settled);
        let p = |i| layout.position(NominalId(i)).unwrap();
        let mut within = 0.0_f32;
        let mut between = f32::INFINITY;
        for a in 0..12 {
            for b in (a + 1)..12 {
                let d = distance(p(a), p(b));
                if (a < 6) == (b < 6) {
                    within = within.max(d);
                } else {
                    between = between.min(d);
                }
            }
        }
        assert!(
            between > within,
            "closest across {between}, widest within {within}"
        );
    }

    #[test]
    fn a_new_node_is_placed_near_its_neighbour() {
        let mut layout = ForceLayout::new(5);
        layout.set_graph(&ids(0..20), &clique(0..4));
        layout.settle(5_000);
        let before: HashMap<_, _> = layout.positions().collect();
        let mut edges = clique(0..4);
        edges.push((NominalId(19), NominalId(20)));
        layout.set_graph(&ids(0..21), &edges);
        // Placed, not yet stepped: old nodes kept their place, the new one is by its neighbour.
        for (id, position) in &before {
            assert_eq!(layout.position(*id), Some(*position));
        }
        let k = layout.params().ideal_length;
        let d = distance(
            layout.position(NominalId(20)).unwrap(),
            layout.position(NominalId(19)).unwrap(),
        );
        assert!(d <= k * 1.01, "placed {d} from its neighbour");
    }

    #[test]
    fn a_removed_node_comes_back_where_it_was() {
        let mut layout = ForceLayout::new(2);
        layout.set_graph(&ids(0..5), &clique(0..5));
        layout.settle(5_000);
        let was = layout.position(NominalId(4)).unwrap();
        layout.set_graph(&ids(0..4), &clique(0..4));
        assert_eq!(layout.position(NominalId(4)), None);
        layout.set_graph(&ids(0..5), &clique(0..5));
        assert_eq!(layout.position(NominalId(4)), Some(was));
    }

    #[test]
    fn barnes_hut_is_close_to_the_exact_sum() {
        let mut layout = ForceLayout::new(9);
        layout.set_graph(&ids(0..400), &[]);
        let positions = layout.coordinates().to_vec();
        let tree = QuadTree::build(&positions);
        for i in [0_usize, 17, 399] {
            let mut exact = [0.0_f32; 2];
            for (j, q) in positions.iter().enumerate() {
                if i != j {
                    add_repulsion(&mut exact, positions[i], *q, 1.0, i, j);
                }
            }
            let approx = tree.repulsion(i, positions[i], &positions, 0.81);
            let error = distance(exact, approx) / (exact[0].hypot(exact[1]));
            assert!(error < 0.15, "relative error {error}");
        }
    }
}
