//! Where "today" comes from. A session holds one [`Clock`] and every operation that needs the
//! date asks it, so the rules that depend on the day (reviews due, dates in the future, links
//! valid today) can be checked on a fixed day, and no pure module reads the system clock.
//!
//! The system clock is read here and in [`IsoDate::today_utc`] only.

use super::IsoDate;

/// The source of today's date: the system clock (UTC), or a fixed day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Clock {
    fixed: Option<IsoDate>,
}

impl Clock {
    /// Today as the system clock has it, in UTC: what every session uses unless told otherwise.
    #[must_use]
    pub const fn system() -> Self {
        Self { fixed: None }
    }

    /// Always `day`: for tests that need a known "today".
    #[must_use]
    pub const fn fixed(day: IsoDate) -> Self {
        Self { fixed: Some(day) }
    }

    /// Today's date.
    #[must_use]
    pub fn today(self) -> IsoDate {
        self.fixed.unwrap_or_else(IsoDate::today_utc)
    }

    /// Whether this clock is fixed to a day.
    #[must_use]
    pub const fn is_fixed(self) -> bool {
        self.fixed.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fixed_clock_gives_its_day_and_the_default_is_the_system_clock() {
        let day = IsoDate::from_ymd(2024, 2, 29).unwrap();
        assert_eq!(Clock::fixed(day).today(), day);
        assert!(Clock::fixed(day).is_fixed());
        assert_eq!(Clock::default(), Clock::system());
        assert!(!Clock::system().is_fixed());
    }
}
