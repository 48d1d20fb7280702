//! Calendar dates as people and files write them: `YYYY-MM-DD`.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;
use time::Date;
use time::macros::format_description;

/// A calendar date (no time, no zone): received dates, dates of birth, review dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct IsoDate(pub Date);

/// The text is not a real date written `YYYY-MM-DD`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("expected a date written YYYY-MM-DD")]
pub struct BadDate;

impl IsoDate {
    /// 1970-01-01: the date a row shows where the real one may not be shown.
    pub const EPOCH: IsoDate = IsoDate(time::macros::date!(1970 - 01 - 01));

    /// Builds a date from its parts; `None` if it does not exist (30 February).
    #[must_use]
    pub fn from_ymd(year: i32, month: u8, day: u8) -> Option<Self> {
        let month = time::Month::try_from(month).ok()?;
        Date::from_calendar_date(year, month, day).ok().map(IsoDate)
    }

    /// Today in UTC.
    #[must_use]
    pub fn today_utc() -> Self {
        IsoDate(time::OffsetDateTime::now_utc().date())
    }

    #[must_use]
    pub fn year(self) -> i32 {
        self.0.year()
    }

    /// Appends the date as `YYYY-MM-DD` (as `Display` writes it) without the formatting
    /// machinery: a bulk import writes one per row.
    pub fn push_to(self, out: &mut String) {
        let (year, month, day) = self.0.to_calendar_date();
        let month = u8::from(month);
        match u16::try_from(year) {
            Ok(year) if year <= 9999 => {
                let digit = |n: u16| char::from(b'0' + u8::try_from(n % 10).unwrap_or(0));
                out.extend([
                    digit(year / 1000),
                    digit(year / 100),
                    digit(year / 10),
                    digit(year),
                    '-',
                    digit(u16::from(month / 10)),
                    digit(u16::from(month)),
                    '-',
                    digit(u16::from(day / 10)),
                    digit(u16::from(day)),
                ]);
            }
            _ => {
                use std::fmt::Write as _;
                let _ = write!(out, "{self}");
            }
        }
    }

    /// Midnight at the start of the day, UTC, in Unix seconds.
    #[must_use]
    pub fn unix_midnight_utc(self) -> i64 {
        self.0.midnight().assume_utc().unix_timestamp()
    }

    /// The date `days` later (earlier if negative), saturating at the calendar's ends.
    #[must_use]
    pub fn plus_days(self, days: i64) -> Self {
        IsoDate(
            self.0
                .checked_add(time::Duration::days(days))
                .unwrap_or(self.0),
        )
    }
}

impl FromStr for IsoDate {
    type Err = BadDate;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let format = format_description!("[year]-[month]-[day]");
        let text = text.trim();
        if text.len() != 10 {
            return Err(BadDate);
        }
        Date::parse(text, &format).map(IsoDate).map_err(|_| BadDate)
    }
}

impl fmt::Display for IsoDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (year, month, day) = self.0.to_calendar_date();
        write!(f, "{year:04}-{:02}-{day:02}", u8::from(month))
    }
}

impl Serialize for IsoDate {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for IsoDate {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip_and_impossible_dates_are_refused() {
        let date: IsoDate = "2026-02-28".parse().unwrap();
        assert_eq!(date.to_string(), "2026-02-28");
        assert_eq!("2026-02-30".parse::<IsoDate>(), Err(BadDate));
        assert_eq!("28/02/2026".parse::<IsoDate>(), Err(BadDate));
        assert_eq!("2026-2-8".parse::<IsoDate>(), Err(BadDate));
        assert_eq!(date.plus_days(1).to_string(), "2026-03-01");
    }
}
