//! Link chart benchmarks: force layout time to settle on synthetic graphs of 10k nodes / 50k
//! links and 100k / 500k, and the chart's frame time at 10k nodes (zoomed out with level of
//! detail, and zoomed in) while the layout runs on its thread.
//!
//! Then the analyst's moves on a 100k / 1M graph as the chart asks them of the session's
//! graph: the shortest path and every shortest path between two selected nominals, and
//! expanding a nominal of degree 1,000 (the question, the capped addition to the chart and the
//! frame that takes it in).
//!
//! `cargo bench --bench chart` prints each figure next to its target. `CCU_BENCH_QUICK=1` uses
//! small graphs (for CI smoke runs; the figures then mean little).

#![expect(
    clippy::expect_used,
    reason = "a benchmark that cannot set up its data stops with the reason"
)]

use ccu_workbench::domain::{LinkId, NominalId, NominalKind};
use ccu_workbench::graph::{
    ForceLayout, GraphEdge, GraphFilter, GraphNode, LayoutInput, LayoutState, LayoutWorker,
    LinkGraph,
};
use ccu_workbench::graph::{GraphAnswer, GraphQuestion, answer};
use ccu_workbench::ui::{GraphIntent, GraphPanel, LinkChart};
use std::time::{Duration, Instant};

fn report(name: &str, measured: &str, target: &str) {
    println!("{name:<58} {measured:>26}   target: {target}");
}

fn percentile(samples: &mut [Duration], p: f64) -> Duration {
    samples.sort();
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_precision_loss,
        reason = "a rounded index into a sample list of a few thousand"
    )]
    let index = ((samples.len() as f64 - 1.0) * p).round() as usize;
    samples[index]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

/// A seeded generator, so every run lays out the same graph.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let value = (self.0 >> 33) as usize;
        value % n
    }
}

/// `n` nominals and `m` links: most links stay within a community of about 50 consecutive ids,
/// some cross anywhere, as intelligence graphs cluster around cases.
fn synthetic(n: usize, m: usize) -> (Vec<GraphNode>, Vec<GraphEdge>) {
    let mut rng = Lcg(42);
    let nodes = (0..n)
        .map(|i| {
            #[expect(clippy::cast_possible_wrap, reason = "node counts far below 2^63")]
            let id = NominalId(i as i64 + 1);
            GraphNode {
                id,
                kind: NominalKind::ALL[i % NominalKind::ALL.len()],
                label: format!("Nominal {i}"),
                ocg: i % 97 == 0,
                criminal: i % 53 == 0,
            }
        })
        .collect();
    let edges = (0..m)
        .map(|e| {
            let a = rng.below(n);
            let b = if rng.below(10) < 8 {
                (a / 50 * 50 + rng.below(50)) % n
            } else {
                rng.below(n)
            };
            #[expect(clippy::cast_possible_wrap, reason = "link counts far below 2^63")]
            GraphEdge {
                link: LinkId(e as i64 + 1),
                from: NominalId(a as i64 + 1),
                to: NominalId(b as i64 + 1),
                link_type: "associate".into(),
                directed: e % 3 == 0,
                valid_from: None,
                valid_to: None,
                confidence: "high".into(),
                item_sources: Some(1),
                import_sources: Some(0),
            }
        })
        .collect();
    (nodes, edges)
}

fn bench_layout(n: usize, m: usize, cap: Duration) {
    let (nodes, edges) = synthetic(n, m);
    let ids: Vec<_> = nodes.iter().map(|node| node.id).collect();
    let pairs: Vec<_> = edges.iter().map(|e| (e.from, e.to)).collect();
    let mut layout = ForceLayout::new(1);
    let start = Instant::now();
    layout.set_graph(&ids, &pairs);
    let placed = start.elapsed();
    let start = Instant::now();
    let mut state = LayoutState::Moving;
    while state == LayoutState::Moving && start.elapsed() < cap {
        state = layout.step(Duration::from_millis(500));
    }
    let took = start.elapsed();
    #[expect(
        clippy::cast_precision_loss,
        reason = "iteration counts far below 2^52"
    )]
    let per_iteration = took.as_secs_f64() * 1000.0 / layout.iterations().max(1) as f64;
    let label = format!("layout {n} nodes / {m} links");
    report(&format!("{label}: initial placement"), &ms(placed), "-");
    report(
        &format!("{label}: per iteration"),
        &format!("{per_iteration:.1} ms"),
        "-",
    );
    report(
        &format!("{label}: to settle"),
        &if state == LayoutState::Settled {
            format!("{} ({} it.)", ms(took), layout.iterations())
        } else {
            format!("not in {} ({} it.)", ms(took), layout.iterations())
        },
        &format!("< {} s", cap.as_secs()),
    );
}

/// Time to settle on the app's path: the `chart-layout` worker, whose pool leaves one core to
/// the user interface (on this 2-core machine the layout then runs on one).
fn bench_worker_layout(n: usize, m: usize, cap: Duration) {
    let (nodes, edges) = synthetic(n, m);
    let ids: Vec<_> = nodes.iter().map(|node| node.id).collect();
    let pairs: Vec<_> = edges.iter().map(|e| (e.from, e.to)).collect();
    let worker = LayoutWorker::spawn(1, None).expect("layout thread");
    let start = Instant::now();
    assert!(worker.send(LayoutInput::SetGraph {
        generation: 1,
        nodes: ids,
        edges: pairs,
    }));
    let settled = worker.wait_settled(1, cap);
    report(
        &format!("layout {n} nodes / {m} links: to settle on the worker thread"),
        &if settled.is_some() {
            ms(start.elapsed())
        } else {
            format!("not in {}", ms(start.elapsed()))
        },
        &format!("< {} s", cap.as_secs()),
    );
}

/// Frame time of `LinkChart::ui` (and tessellation) in a bare egui context, 1600x1000 points,
/// with frames paced at the target rate as a display would (`frame_budget`), so the layout
/// thread publishes positions between frames as it would in the app: a frame that finds new
/// positions (or a moved view) builds its geometry again, the others reuse it. Both kinds are
/// in the percentiles; the slowest rebuilding frame is reported too.
fn bench_frames(n: usize, m: usize, frames: usize, frame_budget: Duration) {
    let (nodes, edges) = synthetic(n, m);
    let graph = LinkGraph::build(nodes, edges, &GraphFilter::default());
    let ctx = egui::Context::default();
    let mut chart = LinkChart::new();
    let input = || egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(
            egui::Pos2::ZERO,
            egui::vec2(1600.0, 1000.0),
        )),
        ..egui::RawInput::default()
    };
    let frame = |chart: &mut LinkChart| {
        let start = Instant::now();
        let mut output = ctx.run_ui(input(), |ui| {
            egui::CentralPanel::default().show(ui, |ui| {
                let _ = chart.ui(ui, &graph);
            });
        });
        let _ = ctx.tessellate(output.shapes, output.pixels_per_point);
        // No renderer: the font atlas updates are dropped on purpose.
        output.textures_delta.clear();
        start.elapsed()
    };
    // Wait for the layout thread's first positions, then fit the whole chart in view.
    let start = Instant::now();
    frame(&mut chart);
    while chart.position(NominalId(1)).is_none() && start.elapsed() < Duration::from_mins(1) {
        std::thread::sleep(Duration::from_millis(20));
        frame(&mut chart);
    }
    chart.request_fit();
    frame(&mut chart);
    for (name, zoom) in [
        ("zoomed out, all visible (LOD)", None),
        ("zoomed in", Some(1.5)),
    ] {
        if let Some(zoom) = zoom {
            // Centre on a nominal: a large layout is sparse around the origin.
            let [x, y] = chart.position(NominalId(1)).unwrap_or([0.0, 0.0]);
            chart.set_view(zoom, [-x * zoom, -y * zoom]);
        }
        let mut samples = Vec::with_capacity(frames);
        let mut slowest_rebuild = Duration::ZERO;
        let mut rebuilds = 0;
        let mut drawn = chart.stats();
        for _ in 0..frames {
            let took = frame(&mut chart);
            let stats = chart.stats();
            if stats.geometry_rebuilt {
                rebuilds += 1;
                slowest_rebuild = slowest_rebuild.max(took);
            }
            drawn = stats;
            samples.push(took);
            std::thread::sleep(frame_budget.saturating_sub(took));
        }
        let p50 = percentile(&mut samples, 0.5);
        let p95 = percentile(&mut samples, 0.95);
        report(
            &format!("chart frame {n} nodes, {name}: p50 / p95"),
            &format!("{} / {}", ms(p50), ms(p95)),
            &format!("p95 < {}", ms(frame_budget)),
        );
        report(
            "  frames that rebuilt the geometry / slowest of them",
            &format!("{rebuilds} of {frames} / {}", ms(slowest_rebuild)),
            "-",
        );
        report(
            &format!(
                "  drawn: nodes / links / labels / widgets (layout {:?})",
                chart.layout_state()
            ),
            &format!(
                "{} / {} / {} / {}",
                drawn.nodes_drawn, drawn.edges_drawn, drawn.labels_drawn, drawn.node_widgets
            ),
            "-",
        );
    }
}

/// The moves of issue 23 on `n` nominals and `m` links, one of them given `hub_degree` more.
fn bench_moves(n: usize, m: usize, hub_degree: usize) {
    let (nodes, mut edges) = synthetic(n, m);
    let hub = NominalId(7);
    let mut rng = Lcg(7);
    for k in 0..hub_degree {
        #[expect(clippy::cast_possible_wrap, reason = "link counts far below 2^63")]
        edges.push(GraphEdge {
            link: LinkId((m + k) as i64 + 1),
            from: hub,
            to: NominalId(rng.below(n) as i64 + 1),
            link_type: "associate".into(),
            directed: false,
            valid_from: None,
            valid_to: None,
            confidence: "high".into(),
            item_sources: Some(1),
            import_sources: Some(0),
        });
    }
    let graph = LinkGraph::build(nodes, edges, &GraphFilter::default());
    let label = format!("{n}/{m}");
    let pairs: Vec<(NominalId, NominalId)> = (0..20)
        .map(|_| {
            #[expect(clippy::cast_possible_wrap, reason = "node counts far below 2^63")]
            let pick = |rng: &mut Lcg| NominalId(rng.below(n) as i64 + 1);
            (pick(&mut rng), pick(&mut rng))
        })
        .collect();
    let path = |from, to| GraphQuestion::Path {
        from,
        to,
        follow_direction: false,
    };
    // The first question of a session's graph builds its adjacency; the rest reuse it.
    let start = Instant::now();
    let _ = answer(&graph, &path(pairs[0].0, pairs[0].1)).expect("path");
    report(
        &format!("{label}: first path question (builds the adjacency)"),
        &ms(start.elapsed()),
        "-",
    );
    let mut samples = Vec::new();
    let mut hops = 0;
    for &(from, to) in &pairs {
        let start = Instant::now();
        let answered = answer(&graph, &path(from, to)).expect("path");
        samples.push(start.elapsed());
        if let GraphAnswer::Path { path: Some(p), .. } = answered {
            hops += p.hops();
        }
    }
    let p50 = percentile(&mut samples, 0.5);
    let slowest = percentile(&mut samples, 1.0);
    report(
        &format!("{label}: path between two selected, p50 / slowest ({hops} hops in 20)"),
        &format!("{} / {}", ms(p50), ms(slowest)),
        "<= 10 ms",
    );
    let mut samples = Vec::new();
    let mut found = 0;
    for &(from, to) in &pairs {
        let start = Instant::now();
        let answered = answer(
            &graph,
            &GraphQuestion::AllPaths {
                from,
                to,
                follow_direction: false,
                max_paths: 50,
            },
        )
        .expect("paths");
        samples.push(start.elapsed());
        if let GraphAnswer::Network {
            paths: Some(count), ..
        } = answered
        {
            found += count;
        }
    }
    report(
        &format!("{label}: all shortest paths (at most 50), p50 / slowest ({found} in 20)"),
        &format!(
            "{} / {}",
            ms(percentile(&mut samples, 0.5)),
            ms(percentile(&mut samples, 1.0))
        ),
        "-",
    );

    // Expanding the hub on a chart that holds it alone: the question on the session's graph,
    // the capped addition, and the frame that takes the new nominals in.
    let ctx = egui::Context::default();
    let input = || egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(
            egui::Pos2::ZERO,
            egui::vec2(1600.0, 1000.0),
        )),
        ..egui::RawInput::default()
    };
    let mut samples = Vec::new();
    let mut on_chart = 0;
    for _ in 0..10 {
        let mut panel = GraphPanel::new_inline();
        let opened = answer(
            &graph,
            &GraphQuestion::Linked {
                from: hub,
                hops: 0,
                follow_direction: false,
            },
        )
        .expect("open");
        panel.apply_answer(GraphIntent::Open, opened);
        let mut output = ctx.run_ui(input(), |ui| {
            let _ = panel.chart.ui(ui, &panel.graph);
        });
        // No renderer: the font atlas updates are dropped on purpose.
        output.textures_delta.clear();
        let start = Instant::now();
        let expanded = answer(
            &graph,
            &GraphQuestion::Linked {
                from: hub,
                hops: 1,
                follow_direction: false,
            },
        )
        .expect("expand");
        panel.apply_answer(GraphIntent::Expand, expanded);
        let mut output = ctx.run_ui(input(), |ui| {
            let _ = panel.chart.ui(ui, &panel.graph);
        });
        let _ = ctx.tessellate(output.shapes, output.pixels_per_point);
        output.textures_delta.clear();
        samples.push(start.elapsed());
        on_chart = panel.graph.node_count();
    }
    report(
        &format!(
            "{label}: expand a nominal of degree {hub_degree} ({on_chart} on the chart), p50 / slowest"
        ),
        &format!(
            "{} / {}",
            ms(percentile(&mut samples, 0.5)),
            ms(percentile(&mut samples, 1.0))
        ),
        "<= 50 ms",
    );
}

fn main() {
    let quick = std::env::var_os("CCU_BENCH_QUICK").is_some();
    let (small, large, frames) = if quick {
        ((1_000, 5_000), (5_000, 25_000), 20)
    } else {
        ((10_000, 50_000), (100_000, 500_000), 120)
    };
    // `CCU_BENCH_MOVES_ONLY=1` measures only the analyst's moves.
    if quick {
        bench_moves(10_000, 100_000, 1_000);
    } else {
        bench_moves(100_000, 1_000_000, 1_000);
    }
    if std::env::var_os("CCU_BENCH_MOVES_ONLY").is_some() {
        return;
    }
    // `CCU_BENCH_FRAMES_ONLY=1` skips the layout runs (a minute at full size).
    if std::env::var_os("CCU_BENCH_FRAMES_ONLY").is_none() {
        bench_layout(small.0, small.1, Duration::from_mins(1));
        bench_layout(large.0, large.1, Duration::from_mins(1));
        bench_worker_layout(small.0, small.1, Duration::from_mins(1));
        bench_worker_layout(large.0, large.1, Duration::from_mins(2));
    }
    // The targets: 60 fps on 10k/50k, 20 fps on 100k/500k.
    bench_frames(small.0, small.1, frames, Duration::from_micros(16_667));
    bench_frames(large.0, large.1, frames / 2, Duration::from_millis(50));
}
