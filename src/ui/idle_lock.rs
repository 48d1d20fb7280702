//! Locking after a period without input.

use std::time::{Duration, Instant};

/// Tracks the last input and says when the session has been idle too long.
#[derive(Debug, Clone)]
pub struct IdleLock {
    last_activity: Instant,
    timeout: Duration,
}

impl IdleLock {
    #[must_use]
    pub fn new(now: Instant, timeout_minutes: u32) -> Self {
        Self {
            last_activity: now,
            timeout: Self::minutes(timeout_minutes),
        }
    }

    fn minutes(timeout_minutes: u32) -> Duration {
        Duration::from_secs(u64::from(timeout_minutes.max(1)) * 60)
    }

    /// Changes the timeout (at least one minute).
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
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn the_timeout_is_at_least_a_minute() {
        let start = Instant::now();
        let idle = IdleLock::new(start, 0);
        assert_eq!(idle.remaining(start), Duration::from_mins(1));
    }
}
