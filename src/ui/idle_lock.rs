//! Locking after a period without input, whether or not the window is drawn.
//!
//! The decision is one pure function of the clock ([`IdleLock::decide`]), tested with injected
//! instants. The app asks it in `App::logic`, which eframe calls before every frame and also
//! while the window is hidden or minimised (when a repaint is requested: the `idle-lock` thread
//! below requests one every few seconds), so a minimised window still locks. A lock that is due
//! is decided before the frame's input is counted as activity, so the first keystroke into a
//! window restored after the lock time does not keep the session open; and the main screen is
//! not drawn in a frame where a lock is due.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// How often the `idle-lock` thread wakes the app while nothing else does.
pub const IDLE_WAKE_INTERVAL: Duration = Duration::from_secs(5);

/// Tracks the last input and says when the session has been idle too long.
#[derive(Debug, Clone)]
pub struct IdleLock {
    last_activity: Instant,
    timeout: Duration,
}

/// What to do at an instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdleDecision {
    /// The lock time has passed since the last counted input: lock now, before anything else.
    LockNow,
    /// Not yet; this long is left.
    Wait(Duration),
}

pub use crate::platform::clamp_idle_lock_minutes as clamp_minutes;

impl IdleLock {
    #[must_use]
    pub fn new(now: Instant, timeout_minutes: u32) -> Self {
        Self {
            last_activity: now,
            timeout: Self::minutes(timeout_minutes),
        }
    }

    fn minutes(timeout_minutes: u32) -> Duration {
        Duration::from_secs(u64::from(clamp_minutes(timeout_minutes)) * 60)
    }

    /// Changes the timeout (within `1..=MAX_IDLE_LOCK_MINUTES`).
    pub fn set_timeout_minutes(&mut self, timeout_minutes: u32) {
        self.timeout = Self::minutes(timeout_minutes);
    }

    /// Records input at `now`.
    pub fn touch(&mut self, now: Instant) {
        self.last_activity = now;
    }

    /// Time left before locking, zero once due.
    #[must_use]
    pub fn remaining(&self, now: Instant) -> Duration {
        self.timeout
            .saturating_sub(now.saturating_duration_since(self.last_activity))
    }

    /// Whether the session should lock now.
    #[must_use]
    pub fn is_due(&self, now: Instant) -> bool {
        self.remaining(now).is_zero()
    }

    /// The decision at `now`, given whether this frame brought input. A lock that is already
    /// due wins over the input: activity only counts while the session is still open.
    pub fn decide(&mut self, now: Instant, input: bool) -> IdleDecision {
        if self.is_due(now) {
            return IdleDecision::LockNow;
        }
        if input {
            self.touch(now);
        }
        IdleDecision::Wait(self.remaining(now))
    }
}

/// The `idle-lock` thread: wakes the app every [`IDLE_WAKE_INTERVAL`] so that `App::logic`
/// runs (and a due lock happens) even when the window is minimised and nothing else asks for
/// a frame. Stopped and joined when dropped.
#[derive(Debug)]
pub struct IdleWaker {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl IdleWaker {
    /// Starts the thread; `wake` asks the app for a pass (`Context::request_repaint`).
    ///
    /// # Errors
    /// When the thread cannot be started.
    pub fn start(wake: impl Fn() + Send + 'static) -> std::io::Result<Self> {
        let stop = Arc::new(AtomicBool::new(false));
        let stopping = Arc::clone(&stop);
        let thread = std::thread::Builder::new()
            .name("idle-lock".into())
            .spawn(move || {
                while !stopping.load(Ordering::Relaxed) {
                    std::thread::park_timeout(IDLE_WAKE_INTERVAL);
                    if !stopping.load(Ordering::Relaxed) {
                        wake();
                    }
                }
            })?;
        Ok(Self {
            stop,
            thread: Some(thread),
        })
    }
}

impl Drop for IdleWaker {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            thread.thread().unpark();
            let _ = thread.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::MAX_IDLE_LOCK_MINUTES;

    #[test]
    fn locks_only_after_the_timeout_without_input() {
        let start = Instant::now();
        let mut idle = IdleLock::new(start, 5);
        assert!(!idle.is_due(start + Duration::from_secs(299)));
        assert!(idle.is_due(start + Duration::from_mins(5)));
        idle.touch(start + Duration::from_secs(200));
        assert!(!idle.is_due(start + Duration::from_secs(400)));
        assert!(idle.is_due(start + Duration::from_secs(500)));
    }

    #[test]
    fn the_timeout_is_between_one_minute_and_the_maximum() {
        let start = Instant::now();
        let idle = IdleLock::new(start, 0);
        assert_eq!(idle.remaining(start), Duration::from_mins(1));
        let idle = IdleLock::new(start, 100_000);
        assert_eq!(
            idle.remaining(start),
            Duration::from_mins(u64::from(MAX_IDLE_LOCK_MINUTES))
        );
    }

    #[test]
    fn a_minimised_window_locks_and_input_on_restoring_does_not_keep_it_open() {
        let start = Instant::now();
        let mut idle = IdleLock::new(start, 5);
        // Input while in use keeps it open.
        assert!(matches!(
            idle.decide(start + Duration::from_mins(4), true),
            IdleDecision::Wait(_)
        ));
        // Minimised: no frames, only the waker's passes with no input.
        assert!(matches!(
            idle.decide(start + Duration::from_mins(8), false),
            IdleDecision::Wait(_)
        ));
        assert_eq!(
            idle.decide(start + Duration::from_secs(9 * 60 + 1), false),
            IdleDecision::LockNow
        );
        // Had no pass run while minimised, the first frame after restoring, with its input,
        // still locks.
        let mut missed = IdleLock::new(start, 5);
        assert_eq!(
            missed.decide(start + Duration::from_mins(30), true),
            IdleDecision::LockNow
        );
    }

    #[test]
    fn the_waker_stops_when_dropped() {
        let calls = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let counted = Arc::clone(&calls);
        let thread = IdleWaker::start(move || {
            counted.fetch_add(1, Ordering::Relaxed);
        })
        .unwrap();
        drop(thread);
        let after_stop = calls.load(Ordering::Relaxed);
        std::thread::sleep(Duration::from_millis(50));
        assert_eq!(calls.load(Ordering::Relaxed), after_stop);
    }
}
