//! How long to wait after a failed unlock: slows guessing at the keyboard without locking anyone out.

/// Seconds to wait after the `failures`-th consecutive failed unlock (counted from the sealed
/// records waiting in the workbench, so it persists across restarts): 1, 2, 4, 8, 16, then 30.
#[must_use]
pub fn failed_login_delay_secs(failures: usize) -> u64 {
    match failures {
        0 => 0,
        n => 1u64 << (n - 1).min(5),
    }
    .min(30)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_delay_grows_then_caps() {
        let delays: Vec<u64> = (0..8).map(failed_login_delay_secs).collect();
        assert_eq!(delays, vec![0, 1, 2, 4, 8, 16, 30, 30]);
    }
}
