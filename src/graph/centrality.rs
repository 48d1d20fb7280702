//! Centrality measures of the link graph: which nominals are most connected (degree), most
//! often between others (betweenness), nearest to everyone (closeness) or linked to other
//! well-linked nominals (eigenvector). They rank who matters in a network.
//!
//! Every measure takes the graph as undirected and simple (each neighbour once, however many
//! links), and computes what networkx computes with its defaults on `nx.Graph(G)`, so an
//! analyst can check a figure in another tool. Betweenness and closeness run one breadth-first
//! search per node, spread over the CPU cores with rayon.

use super::paths::UNREACHED;
use super::{Adjacency, LinkGraph};
use crate::domain::NominalId;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A centrality measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    Degree,
    Betweenness,
    Closeness,
    Eigenvector,
}

impl Measure {
    /// Every measure, in the order menus list them.
    pub const ALL: [Self; 4] = [
        Self::Degree,
        Self::Betweenness,
        Self::Closeness,
        Self::Eigenvector,
    ];

    /// The measure's code, as serde writes it.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Degree => "degree",
            Self::Betweenness => "betweenness",
            Self::Closeness => "closeness",
            Self::Eigenvector => "eigenvector",
        }
    }
}

impl fmt::Display for Measure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Measure {
    type Err = CentralityError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|measure| measure.as_str() == text)
            .ok_or_else(|| CentralityError::UnknownMeasure(text.to_owned()))
    }
}

/// Why a centrality could not be computed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CentralityError {
    #[error("unknown centrality measure {0:?} (degree, betweenness, closeness or eigenvector)")]
    UnknownMeasure(String),
    #[error("eigenvector centrality did not converge in {iterations} iterations")]
    NotConverged { iterations: usize },
}

/// A measure's score for every nominal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Centrality {
    pub measure: Measure,
    /// Each nominal's score, sorted by nominal id.
    pub scores: Vec<(NominalId, f64)>,
}

impl Centrality {
    fn from_dense(measure: Measure, adj: &Adjacency, dense: &[f64]) -> Self {
        let mut scores: Vec<(NominalId, f64)> = adj
            .nominals
            .iter()
            .copied()
            .zip(dense.iter().copied())
            .collect();
        scores.sort_unstable_by_key(|&(id, _)| id);
        Self { measure, scores }
    }

    /// The `n` highest scores, highest first (ties by lowest id).
    #[must_use]
    pub fn top(&self, n: usize) -> Vec<(NominalId, f64)> {
        let mut ranked = self.scores.clone();
        ranked.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        ranked.truncate(n);
        ranked
    }

    /// The score of one nominal.
    #[must_use]
    pub fn score(&self, id: NominalId) -> Option<f64> {
        self.scores
            .binary_search_by_key(&id, |&(nominal, _)| nominal)
            .ok()
            .map(|at| self.scores[at].1)
    }
}

/// `n` as a float (graphs are far smaller than 2^52 nodes).
#[expect(
    clippy::cast_precision_loss,
    reason = "graphs are far smaller than 2^52 nodes"
)]
fn float(n: usize) -> f64 {
    n as f64
}

/// Degree centrality of a simple adjacency: each node's neighbours over `n - 1` (1 for every
/// node of a graph of one).
#[must_use]
pub fn degree_dense(adj: &Adjacency) -> Vec<f64> {
    let n = adj.len();
    if n <= 1 {
        return vec![1.0; n];
    }
    let scale = 1.0 / float(n - 1);
    (0..n)
        .map(|v| float(adj.neighbours(v).len()) * scale)
        .collect()
}

/// Scratch space for one breadth-first search after another; only what a search touched is
/// reset, so searches in a small component stay cheap on a big graph.
struct SearchBuffers {
    hops: Vec<u32>,
    path_counts: Vec<f64>,
    dependencies: Vec<f64>,
    order: Vec<u32>,
}

impl SearchBuffers {
    fn new(n: usize) -> Self {
        Self {
            hops: vec![UNREACHED; n],
            path_counts: vec![0.0; n],
            dependencies: vec![0.0; n],
            order: Vec::new(),
        }
    }

    /// Brandes' single-source step: adds the dependencies of every node on `source` to
    /// `scores`.
    fn accumulate(&mut self, adj: &Adjacency, source: usize, scores: &mut [f64]) {
        self.hops[source] = 0;
        self.path_counts[source] = 1.0;
        self.order.push(u32::try_from(source).unwrap_or(u32::MAX));
        let mut head = 0;
        while let Some(&v) = self.order.get(head) {
            head += 1;
            let v = v as usize;
            let next = self.hops[v] + 1;
            let count = self.path_counts[v];
            for &w in adj.neighbours(v) {
                let w_index = w as usize;
                if self.hops[w_index] == UNREACHED {
                    self.hops[w_index] = next;
                    self.order.push(w);
                }
                if self.hops[w_index] == next {
                    self.path_counts[w_index] += count;
                }
            }
        }
        for &w in self.order.iter().rev() {
            let w = w as usize;
            let coefficient = (1.0 + self.dependencies[w]) / self.path_counts[w];
            let hops = self.hops[w];
            for &v in adj.neighbours(w) {
                let v = v as usize;
                if self.hops[v] != UNREACHED && self.hops[v] + 1 == hops {
                    self.dependencies[v] += self.path_counts[v] * coefficient;
                }
            }
            if w != source {
                scores[w] += self.dependencies[w];
            }
        }
        for &w in &self.order {
            let w = w as usize;
            self.hops[w] = UNREACHED;
            self.path_counts[w] = 0.0;
            self.dependencies[w] = 0.0;
        }
        self.order.clear();
    }
}

/// Sums of Brandes dependencies over `sources`, searched in parallel with one score vector per
/// worker, summed at the end.
fn dependency_sums(adj: &Adjacency, sources: &[usize]) -> Vec<f64> {
    let n = adj.len();
    sources
        .par_iter()
        .with_min_len(16)
        .fold(
            || (SearchBuffers::new(n), vec![0.0f64; n]),
            |(mut buffers, mut scores), &source| {
                buffers.accumulate(adj, source, &mut scores);
                (buffers, scores)
            },
        )
        .map(|(_, scores)| scores)
        .reduce(
            || vec![0.0f64; n],
            |mut total, part| {
                for (t, p) in total.iter_mut().zip(&part) {
                    *t += p;
                }
                total
            },
        )
}

/// Exact betweenness centrality of a simple undirected adjacency, normalised as networkx's
/// `betweenness_centrality(G)`: the dependencies summed over every source, over
/// `(n - 1)(n - 2)` when `n > 2`.
#[must_use]
pub fn betweenness_dense(adj: &Adjacency) -> Vec<f64> {
    let n = adj.len();
    let sources: Vec<usize> = (0..n).collect();
    let mut scores = dependency_sums(adj, &sources);
    if n > 2 {
        let scale = 1.0 / (float(n - 1) * float(n - 2));
        for score in &mut scores {
            *score *= scale;
        }
    }
    scores
}

/// `count` distinct nodes of `0..n` drawn from `seed` (all of them when `count >= n`), sorted.
#[must_use]
pub fn sample_sources(n: usize, count: usize, seed: u64) -> Vec<usize> {
    let mut nodes: Vec<usize> = (0..n).collect();
    if count >= n {
        return nodes;
    }
    let mut state = seed;
    for i in 0..count {
        let span = (n - i) as u64;
        let pick =
            i + usize::try_from(super::communities::splitmix64(&mut state) % span).unwrap_or(0);
        nodes.swap(i, pick);
    }
    nodes.truncate(count);
    nodes.sort_unstable();
    nodes
}

/// Betweenness estimated from `sample_count` sources drawn from `seed`, scaled by
/// `n / sample_count` on top of the exact normalisation (networkx's
/// `betweenness_centrality(G, k=sample_count)`, with another sample). Exact when
/// `sample_count >= n`.
#[must_use]
pub fn betweenness_sampled_dense(adj: &Adjacency, sample_count: usize, seed: u64) -> Vec<f64> {
    let n = adj.len();
    if sample_count >= n {
        return betweenness_dense(adj);
    }
    let sources = sample_sources(n, sample_count, seed);
    let mut scores = dependency_sums(adj, &sources);
    if n > 2 && sample_count > 0 {
        let scale = 1.0 / (float(n - 1) * float(n - 2)) * float(n) / float(sample_count);
        for score in &mut scores {
            *score *= scale;
        }
    }
    scores
}

/// Closeness centrality of a simple undirected adjacency, as networkx's
/// `closeness_centrality(G)` (Wasserman-Faust improved): for a node reaching `r` nodes
/// (itself included) at total distance `d`, `((r - 1) / d) * ((r - 1) / (n - 1))`, 0 when
/// `d` is 0.
#[must_use]
pub fn closeness_dense(adj: &Adjacency) -> Vec<f64> {
    let n = adj.len();
    (0..n)
        .into_par_iter()
        .map_init(
            || (vec![UNREACHED; n], Vec::<u32>::new()),
            |(hops, order), source| {
                hops[source] = 0;
                order.push(u32::try_from(source).unwrap_or(u32::MAX));
                let mut head = 0;
                let mut total_hops = 0u64;
                while let Some(&v) = order.get(head) {
                    head += 1;
                    let next = hops[v as usize] + 1;
                    for &w in adj.neighbours(v as usize) {
                        if hops[w as usize] == UNREACHED {
                            hops[w as usize] = next;
                            total_hops += u64::from(next);
                            order.push(w);
                        }
                    }
                }
                let reached_others = order.len() - 1;
                for &v in order.iter() {
                    hops[v as usize] = UNREACHED;
                }
                order.clear();
                if total_hops == 0 || n <= 1 {
                    return 0.0;
                }
                #[expect(clippy::cast_precision_loss, reason = "hop totals are far below 2^52")]
                let total = total_hops as f64;
                let reached = float(reached_others);
                (reached / total) * (reached / float(n - 1))
            },
        )
        .collect()
}

/// Iterations networkx's `eigenvector_centrality` allows by default.
pub const EIGENVECTOR_MAX_ITERATIONS: usize = 100;

/// The tolerance networkx's `eigenvector_centrality` uses by default (per node).
pub const EIGENVECTOR_TOLERANCE: f64 = 1e-6;

/// Eigenvector centrality of a simple undirected adjacency, by networkx's power iteration
/// (`eigenvector_centrality(G)`): start from `1/n` everywhere; each round adds to every node
/// the previous scores of its neighbours (on top of its own, which shifts the spectrum so the
/// iteration converges on bipartite graphs), scales to unit Euclidean length, and stops when
/// the scores moved less than `n * 1e-6` in all.
///
/// # Errors
/// [`CentralityError::NotConverged`] after 100 rounds without settling.
pub fn eigenvector_dense(adj: &Adjacency) -> Result<Vec<f64>, CentralityError> {
    eigenvector_dense_within(adj, EIGENVECTOR_MAX_ITERATIONS)
}

/// As [`eigenvector_dense`], allowing `max_iterations` rounds: graphs of many similar clusters
/// (an organised-crime network is one) settle slowly, and the product would rather answer late
/// than not at all. The answer is the same vector networkx reaches when it converges.
///
/// # Errors
/// [`CentralityError::NotConverged`] after `max_iterations` rounds without settling.
pub fn eigenvector_dense_within(
    adj: &Adjacency,
    max_iterations: usize,
) -> Result<Vec<f64>, CentralityError> {
    let n = adj.len();
    if n == 0 {
        return Ok(Vec::new());
    }
    let mut scores = vec![1.0 / float(n); n];
    for _ in 0..max_iterations {
        let previous = scores;
        let mut next: Vec<f64> = (0..n)
            .into_par_iter()
            .map(|v| {
                previous[v]
                    + adj
                        .neighbours(v)
                        .iter()
                        .map(|&w| previous[w as usize])
                        .sum::<f64>()
            })
            .collect();
        let norm = next.iter().map(|x| x * x).sum::<f64>().sqrt();
        let norm = if norm == 0.0 { 1.0 } else { norm };
        for x in &mut next {
            *x /= norm;
        }
        let change: f64 = next.iter().zip(&previous).map(|(x, y)| (x - y).abs()).sum();
        scores = next;
        if change < float(n) * EIGENVECTOR_TOLERANCE {
            return Ok(scores);
        }
    }
    Err(CentralityError::NotConverged {
        iterations: max_iterations,
    })
}

/// The simple undirected adjacency every measure runs on.
fn measure_adjacency(graph: &LinkGraph) -> Adjacency {
    graph.adjacency(false).simple()
}

/// Degree centrality of every nominal.
#[must_use]
pub fn degree_centrality(graph: &LinkGraph) -> Centrality {
    let adj = measure_adjacency(graph);
    Centrality::from_dense(Measure::Degree, &adj, &degree_dense(&adj))
}

/// Exact betweenness centrality of every nominal (see [`betweenness_dense`]).
#[must_use]
pub fn betweenness_centrality(graph: &LinkGraph) -> Centrality {
    let adj = measure_adjacency(graph);
    Centrality::from_dense(Measure::Betweenness, &adj, &betweenness_dense(&adj))
}

/// Betweenness estimated from `sample_count` sources (see [`betweenness_sampled_dense`]), for
/// graphs too big for the exact measure.
#[must_use]
pub fn betweenness_centrality_sampled(
    graph: &LinkGraph,
    sample_count: usize,
    seed: u64,
) -> Centrality {
    let adj = measure_adjacency(graph);
    Centrality::from_dense(
        Measure::Betweenness,
        &adj,
        &betweenness_sampled_dense(&adj, sample_count, seed),
    )
}

/// Closeness centrality of every nominal (see [`closeness_dense`]).
#[must_use]
pub fn closeness_centrality(graph: &LinkGraph) -> Centrality {
    let adj = measure_adjacency(graph);
    Centrality::from_dense(Measure::Closeness, &adj, &closeness_dense(&adj))
}

/// Eigenvector centrality of every nominal (see [`eigenvector_dense`]).
///
/// # Errors
/// [`CentralityError::NotConverged`] when the power iteration does not settle.
pub fn eigenvector_centrality(graph: &LinkGraph) -> Result<Centrality, CentralityError> {
    eigenvector_centrality_within(graph, EIGENVECTOR_MAX_ITERATIONS)
}

/// Eigenvector centrality allowing `max_iterations` rounds (see [`eigenvector_dense_within`]).
///
/// # Errors
/// [`CentralityError::NotConverged`] when it does not settle in that many rounds.
pub fn eigenvector_centrality_within(
    graph: &LinkGraph,
    max_iterations: usize,
) -> Result<Centrality, CentralityError> {
    let adj = measure_adjacency(graph);
    Ok(Centrality::from_dense(
        Measure::Eigenvector,
        &adj,
        &eigenvector_dense_within(&adj, max_iterations)?,
    ))
}

/// The chosen measure for every nominal.
///
/// # Errors
/// [`CentralityError::NotConverged`] when eigenvector centrality does not settle.
pub fn centrality(graph: &LinkGraph, measure: Measure) -> Result<Centrality, CentralityError> {
    let adj = measure_adjacency(graph);
    let dense = match measure {
        Measure::Degree => degree_dense(&adj),
        Measure::Betweenness => betweenness_dense(&adj),
        Measure::Closeness => closeness_dense(&adj),
        Measure::Eigenvector => eigenvector_dense(&adj)?,
    };
    Ok(Centrality::from_dense(measure, &adj, &dense))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::paths::tests::{graph_of, two_triangles, undirected};

    fn assert_scores(centrality: &Centrality, expected: &[f64], tolerance: f64) {
        assert_eq!(centrality.scores.len(), expected.len());
        for (&(id, got), &want) in centrality.scores.iter().zip(expected) {
            assert!(
                (got - want).abs() <= tolerance,
                "{} of {id}: {got} against {want}",
                centrality.measure
            );
        }
    }

    fn all(graph: &LinkGraph, expected: [&[f64]; 4]) {
        for (measure, want) in Measure::ALL.into_iter().zip(expected) {
            let got = centrality(graph, measure).unwrap();
            assert_scores(&got, want, 1e-9);
        }
    }

    #[test]
    fn path_graph_matches_networkx() {
        // networkx 3.6.1 on nx.path_graph with nodes 1..5: degree_centrality,
        // betweenness_centrality, closeness_centrality, eigenvector_centrality.
        let graph = graph_of(5, &undirected(&[(1, 2), (2, 3), (3, 4), (4, 5)]));
        all(
            &graph,
            [
                &[0.25, 0.5, 0.5, 0.5, 0.25],
                &[0.0, 0.5, 0.666_666_666_666_666_6, 0.5, 0.0],
                &[
                    0.4,
                    0.571_428_571_428_571_4,
                    0.666_666_666_666_666_6,
                    0.571_428_571_428_571_4,
                    0.4,
                ],
                &[
                    0.288_676_032_028_529_4,
                    0.499_999_995_082_353_04,
                    0.577_349_380_271_444_3,
                    0.499_999_995_082_352_93,
                    0.288_676_032_028_529_4,
                ],
            ],
        );
    }

    #[test]
    fn star_matches_networkx() {
        // networkx 3.6.1 on the star with hub 1 and leaves 2..5.
        let graph = graph_of(5, &undirected(&[(1, 2), (1, 3), (1, 4), (1, 5)]));
        let leaf_closeness = 0.571_428_571_428_571_4;
        let leaf_eigenvector = 0.353_553_316_674_035;
        all(
            &graph,
            [
                &[1.0, 0.25, 0.25, 0.25, 0.25],
                &[1.0, 0.0, 0.0, 0.0, 0.0],
                &[
                    1.0,
                    leaf_closeness,
                    leaf_closeness,
                    leaf_closeness,
                    leaf_closeness,
                ],
                &[
                    0.707_106_929_024_994_2,
                    leaf_eigenvector,
                    leaf_eigenvector,
                    leaf_eigenvector,
                    leaf_eigenvector,
                ],
            ],
        );
        let betweenness = betweenness_centrality(&graph);
        assert_eq!(betweenness.top(1), vec![(NominalId(1), 1.0)]);
        assert_eq!(betweenness.top(2)[1], (NominalId(2), 0.0));
        assert_eq!(betweenness.score(NominalId(3)), Some(0.0));
    }

    #[test]
    fn two_triangles_match_networkx() {
        // networkx 3.6.1 on two triangles 1-2-3, 4-5-6 joined by the bridge 3-4.
        let graph = two_triangles();
        all(
            &graph,
            [
                &[0.4, 0.4, 0.6, 0.6, 0.4, 0.4],
                &[0.0, 0.0, 0.6, 0.6, 0.0, 0.0],
                &[
                    0.5,
                    0.5,
                    0.714_285_714_285_714_3,
                    0.714_285_714_285_714_3,
                    0.5,
                    0.5,
                ],
                &[
                    0.353_553_436_143_720_76,
                    0.353_553_436_143_720_76,
                    0.499_999_935_581_931_9,
                    0.499_999_935_581_931_84,
                    0.353_553_436_143_720_65,
                    0.353_553_436_143_720_65,
                ],
            ],
        );
    }

    #[test]
    fn disconnected_pairs_match_networkx() {
        // networkx 3.6.1 on the edges 1-2 and 3-4.
        let graph = graph_of(4, &undirected(&[(1, 2), (3, 4)]));
        let third = 1.0 / 3.0;
        all(&graph, [&[third; 4], &[0.0; 4], &[third; 4], &[0.5; 4]]);
    }

    #[test]
    fn directed_and_parallel_links_count_as_one_undirected_link() {
        // The path 1-2-3-4-5 again, with 2->1 directed, 3-4 doubled, 5->4 directed.
        let graph = graph_of(
            5,
            &[
                (1, 2, 1, true),
                (2, 2, 3, false),
                (3, 3, 4, false),
                (4, 4, 3, true),
                (5, 5, 4, true),
            ],
        );
        let path = graph_of(5, &undirected(&[(1, 2), (2, 3), (3, 4), (4, 5)]));
        for measure in Measure::ALL {
            assert_eq!(
                centrality(&graph, measure).unwrap(),
                centrality(&path, measure).unwrap()
            );
        }
    }

    #[test]
    fn sampled_betweenness_with_every_source_is_exact() {
        let graph = two_triangles();
        let adj = graph.adjacency(false).simple();
        assert_eq!(
            betweenness_sampled_dense(&adj, 6, 1),
            betweenness_dense(&adj)
        );
        let sources = sample_sources(100, 10, 42);
        assert_eq!(sources.len(), 10);
        assert_eq!(sources, sample_sources(100, 10, 42));
        assert!(sources.windows(2).all(|w| w[0] < w[1]));
        // Half the sources, scaled by 2: the hubs still carry the paths.
        let half = betweenness_sampled_dense(&adj, 3, 5);
        assert!(half[2] > 0.0 || half[3] > 0.0);
        assert!(half.iter().all(|&x| x >= 0.0));
    }

    #[test]
    fn measures_parse_and_print_as_snake_case() {
        for measure in Measure::ALL {
            assert_eq!(measure.as_str().parse::<Measure>().unwrap(), measure);
            assert_eq!(
                serde_json::to_string(&measure).unwrap(),
                format!("\"{}\"", measure.as_str())
            );
        }
        assert!("pagerank".parse::<Measure>().is_err());
    }

    #[test]
    fn tiny_graphs_follow_networkx_conventions() {
        let single = graph_of(1, &[]);
        assert_eq!(degree_centrality(&single).scores, vec![(NominalId(1), 1.0)]);
        assert_eq!(
            closeness_centrality(&single).scores,
            vec![(NominalId(1), 0.0)]
        );
        let empty = graph_of(0, &[]);
        assert!(eigenvector_centrality(&empty).unwrap().scores.is_empty());
    }
}
