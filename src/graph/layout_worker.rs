//! Runs a [`ForceLayout`] on its own thread, so a chart of 100,000 nominals keeps the GUI at
//! frame rate while it settles. The GUI sends the graph, pins and drags over a channel and reads
//! the newest positions from a shared snapshot; the thread steps only while something changed
//! and the layout has not settled, and otherwise sleeps on the channel.

use super::layout::{ForceLayout, LayoutState};
use crate::domain::NominalId;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::Duration;

/// Time the thread steps before publishing positions: about a frame.
const PUBLISH_EVERY: Duration = Duration::from_millis(12);

/// What the layout thread is told.
#[derive(Debug, Clone)]
pub enum LayoutInput {
    /// A new graph; `generation` comes back in the snapshots laid out from it.
    SetGraph {
        generation: u64,
        nodes: Vec<NominalId>,
        edges: Vec<(NominalId, NominalId)>,
    },
    /// Pin or free a node.
    Pin(NominalId, bool),
    /// The analyst dragged a node here: move it and pin it.
    Drag(NominalId, [f32; 2]),
    /// Move a node without pinning it (a restored chart's saved positions).
    SetPosition(NominalId, [f32; 2]),
}

/// The newest positions, aligned with the node order of the graph of `generation`.
#[derive(Debug, Clone)]
pub struct LayoutSnapshot {
    /// The generation of the graph these positions are for.
    pub generation: u64,
    /// Counts publications, so a reader copies only what is new.
    pub sequence: u64,
    pub state: LayoutState,
    pub ids: Arc<Vec<NominalId>>,
    pub positions: Vec<[f32; 2]>,
}

/// A force layout running on the `chart-layout` thread. Dropping it stops the thread.
pub struct LayoutWorker {
    sender: Option<Sender<LayoutInput>>,
    snapshot: Arc<Mutex<Option<Arc<LayoutSnapshot>>>>,
    thread: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for LayoutWorker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LayoutWorker").finish_non_exhaustive()
    }
}

impl LayoutWorker {
    /// Starts the thread. `on_update` runs on it after each publication (a GUI passes a
    /// repaint request, so frames are drawn only while the layout moves).
    ///
    /// # Errors
    /// If the thread cannot be spawned.
    pub fn spawn(seed: u64, on_update: Option<Box<dyn Fn() + Send>>) -> std::io::Result<Self> {
        let (sender, receiver) = mpsc::channel();
        let snapshot = Arc::new(Mutex::new(None));
        let shared = Arc::clone(&snapshot);
        // The layout's parallel forces run on a pool of its own that leaves one core to the
        // user interface: on the global pool they took every core, and the frames drawn
        // meanwhile took twice as long.
        let threads = std::thread::available_parallelism()
            .map_or(1, std::num::NonZero::get)
            .saturating_sub(1)
            .max(1);
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .thread_name(|i| format!("chart-layout-{i}"))
            .build();
        let thread = std::thread::Builder::new()
            .name("chart-layout".to_owned())
            .spawn(move || {
                let work = move || {
                    run(
                        ForceLayout::new(seed),
                        &receiver,
                        &shared,
                        on_update.as_deref(),
                    );
                };
                match pool {
                    Ok(pool) => pool.install(work),
                    // No pool to be had: the global one.
                    Err(_) => work(),
                }
            })?;
        Ok(Self {
            sender: Some(sender),
            snapshot,
            thread: Some(thread),
        })
    }

    /// Sends an input; false if the thread has stopped (it panicked).
    #[must_use = "false means the layout thread has stopped"]
    pub fn send(&self, input: LayoutInput) -> bool {
        self.sender
            .as_ref()
            .is_some_and(|sender| sender.send(input).is_ok())
    }

    /// The newest snapshot, if any was published. Cheap: a shared pointer.
    #[must_use]
    pub fn snapshot(&self) -> Option<Arc<LayoutSnapshot>> {
        self.snapshot
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Waits until a snapshot of `generation` is settled, or `timeout` passes; returns it.
    #[must_use]
    pub fn wait_settled(&self, generation: u64, timeout: Duration) -> Option<Arc<LayoutSnapshot>> {
        let start = std::time::Instant::now();
        loop {
            if let Some(snapshot) = self.snapshot()
                && snapshot.generation == generation
                && snapshot.state == LayoutState::Settled
            {
                return Some(snapshot);
            }
            if start.elapsed() >= timeout {
                return None;
            }
            std::thread::sleep(Duration::from_millis(2));
        }
    }
}

impl Drop for LayoutWorker {
    fn drop(&mut self) {
        // Closing the channel ends the thread's loop.
        self.sender = None;
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn run(
    mut layout: ForceLayout,
    receiver: &Receiver<LayoutInput>,
    shared: &Mutex<Option<Arc<LayoutSnapshot>>>,
    on_update: Option<&(dyn Fn() + Send)>,
) {
    let mut generation = 0;
    let mut ids = Arc::new(Vec::new());
    let mut sequence = 0;
    loop {
        // Settled and nothing to publish: sleep until told something.
        let first = if layout.state() == LayoutState::Settled {
            match receiver.recv() {
                Ok(input) => Some(input),
                Err(_) => return,
            }
        } else {
            match receiver.recv_timeout(Duration::ZERO) {
                Ok(input) => Some(input),
                Err(RecvTimeoutError::Timeout) => None,
                Err(RecvTimeoutError::Disconnected) => return,
            }
        };
        for input in first.into_iter().chain(receiver.try_iter()) {
            match input {
                LayoutInput::SetGraph {
                    generation: g,
                    nodes,
                    edges,
                } => {
                    generation = g;
                    layout.set_graph(&nodes, &edges);
                    ids = Arc::new(layout.ids().to_vec());
                }
                LayoutInput::Pin(id, pinned) => layout.pin(id, pinned),
                LayoutInput::Drag(id, position) => {
                    layout.set_position(id, position);
                    layout.pin(id, true);
                }
                LayoutInput::SetPosition(id, position) => layout.set_position(id, position),
            }
        }
        let state = layout.step(PUBLISH_EVERY);
        sequence += 1;
        let snapshot = LayoutSnapshot {
            generation,
            sequence,
            state,
            ids: Arc::clone(&ids),
            positions: layout.coordinates().to_vec(),
        };
        *shared.lock().unwrap_or_else(PoisonError::into_inner) = Some(Arc::new(snapshot));
        if let Some(on_update) = on_update {
            on_update();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[expect(clippy::float_cmp, reason = "a pinned node must not move at all")]
    fn settles_in_the_background_and_follows_drags() {
        let worker = LayoutWorker::spawn(1, None).unwrap();
        let nodes: Vec<_> = (0..50).map(NominalId).collect();
        let edges: Vec<_> = (0..49).map(|i| (NominalId(i), NominalId(i + 1))).collect();
        assert!(worker.send(LayoutInput::SetGraph {
            generation: 1,
            nodes: nodes.clone(),
            edges,
        }));
        let settled = worker.wait_settled(1, Duration::from_secs(30)).unwrap();
        assert_eq!(*settled.ids, nodes);
        assert_eq!(settled.positions.len(), 50);

        // A drag moves and pins the node; the layout settles again around it.
        assert!(worker.send(LayoutInput::Drag(NominalId(0), [1000.0, 1000.0])));
        let start = std::time::Instant::now();
        loop {
            let snapshot = worker.snapshot().unwrap();
            if snapshot.sequence > settled.sequence && snapshot.state == LayoutState::Settled {
                assert_eq!(snapshot.positions[0], [1000.0, 1000.0]);
                break;
            }
            assert!(start.elapsed() < Duration::from_secs(30), "never settled");
            std::thread::sleep(Duration::from_millis(2));
        }
    }
}
