//! A fast reader for the date formats bulk exports nearly always use: fixed-width numbers
//! between separators, such as `[day]/[month]/[year] [hour]:[minute]:[second]`.
//!
//! The `time` crate reads any format description but walks it item by item for every cell;
//! a million-row audit trail spent a tenth of its parse time there. A spec's format is
//! compiled here once, when it is simple enough, and a cell that this reader cannot read
//! (or reads as a date that does not exist) goes to `time` as before. So this reader only
//! ever gives an answer `time` would give, and every error is still `time`'s.

use time::{Date, Month, PrimitiveDateTime, Time};

/// One piece of a numeric format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Piece {
    /// A separator byte that must be there as it is.
    Literal(u8),
    /// Exactly two digits (the `time` crate's default zero padding).
    Day,
    Month,
    Hour,
    Minute,
    Second,
    /// Exactly four digits, no sign.
    Year,
}

impl Piece {
    fn width(self) -> usize {
        match self {
            Piece::Literal(_) => 1,
            Piece::Year => 4,
            _ => 2,
        }
    }
}

/// A compiled numeric date or date-and-time format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NumericDateFormat {
    pieces: Vec<Piece>,
    /// The length of every cell written in the format, in bytes.
    width: usize,
    /// Whether the format has an hour, minute and second (a date and time) or none of them.
    has_time: bool,
}

/// The parts read from a cell.
#[derive(Default)]
struct Parts {
    year: i32,
    month: u8,
    day: u8,
    hour: u8,
    minute: u8,
    second: u8,
}

impl NumericDateFormat {
    /// Compiles a format description (version 2 syntax) made only of `[day]`, `[month]`,
    /// `[year]`, `[hour]`, `[minute]` and `[second]` without modifiers, each at most once, and
    /// the separators `/ - . : , T` and space. `None` for anything else (the `time` crate
    /// reads those), and for a format with only some of hour, minute and second.
    #[must_use]
    pub fn compile(description: &str) -> Option<Self> {
        let mut pieces = Vec::new();
        let mut rest = description.as_bytes();
        while let Some((&first, tail)) = rest.split_first() {
            if first == b'[' {
                let end = tail.iter().position(|&b| b == b']')?;
                let piece = match &tail[..end] {
                    b"day" => Piece::Day,
                    b"month" => Piece::Month,
                    b"year" => Piece::Year,
                    b"hour" => Piece::Hour,
                    b"minute" => Piece::Minute,
                    b"second" => Piece::Second,
                    _ => return None,
                };
                if pieces.contains(&piece) {
                    return None;
                }
                pieces.push(piece);
                rest = &tail[end + 1..];
            } else if matches!(first, b'/' | b'-' | b'.' | b':' | b',' | b'T' | b' ') {
                pieces.push(Piece::Literal(first));
                rest = tail;
            } else {
                return None;
            }
        }
        let has = |piece| pieces.contains(&piece);
        if !(has(Piece::Day) && has(Piece::Month) && has(Piece::Year)) {
            return None;
        }
        let times = [Piece::Hour, Piece::Minute, Piece::Second]
            .into_iter()
            .filter(|&p| has(p))
            .count();
        if times != 0 && times != 3 {
            return None;
        }
        Some(Self {
            width: pieces.iter().map(|p| p.width()).sum(),
            pieces,
            has_time: times == 3,
        })
    }

    fn parts(&self, text: &str) -> Option<Parts> {
        let bytes = text.as_bytes();
        if bytes.len() != self.width {
            return None;
        }
        let mut parts = Parts::default();
        let mut at = 0;
        for &piece in &self.pieces {
            let field = &bytes[at..at + piece.width()];
            at += piece.width();
            if let Piece::Literal(expected) = piece {
                if field != [expected] {
                    return None;
                }
                continue;
            }
            let mut value: u16 = 0;
            for &b in field {
                if !b.is_ascii_digit() {
                    return None;
                }
                value = value * 10 + u16::from(b - b'0');
            }
            let small = u8::try_from(value).ok();
            match piece {
                Piece::Year => parts.year = i32::from(value),
                Piece::Month => parts.month = small?,
                Piece::Day => parts.day = small?,
                Piece::Hour => parts.hour = small?,
                Piece::Minute => parts.minute = small?,
                Piece::Second => parts.second = small?,
                Piece::Literal(_) => {}
            }
        }
        Some(parts)
    }

    fn date_of(parts: &Parts) -> Option<Date> {
        let month = Month::try_from(parts.month).ok()?;
        Date::from_calendar_date(parts.year, month, parts.day).ok()
    }

    /// The date in `text`, if it is written exactly in this (date only) format and exists.
    #[must_use]
    pub fn date(&self, text: &str) -> Option<Date> {
        if self.has_time {
            return None;
        }
        Self::date_of(&self.parts(text)?)
    }

    /// The date and time in `text`, if it is written exactly in this (date and time) format
    /// and exists.
    #[must_use]
    pub fn date_time(&self, text: &str) -> Option<PrimitiveDateTime> {
        if !self.has_time {
            return None;
        }
        let parts = self.parts(text)?;
        let time = Time::from_hms(parts.hour, parts.minute, parts.second).ok()?;
        Some(PrimitiveDateTime::new(Self::date_of(&parts)?, time))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::format_description::parse_owned;

    const FORMATS: [&str; 6] = [
        "[day]/[month]/[year] [hour]:[minute]:[second]",
        "[year]-[month]-[day]T[hour]:[minute]:[second]",
        "[day]/[month]/[year]",
        "[year]-[month]-[day]",
        "[month].[day].[year], [hour]:[minute]:[second]",
        "[year][month][day]",
    ];

    #[test]
    fn only_simple_numeric_formats_compile() {
        for format in FORMATS {
            assert!(NumericDateFormat::compile(format).is_some(), "{format}");
        }
        for format in [
            "[day]/[month]/[year] [hour]:[minute]",
            "[day padding:none]/[month]/[year]",
            "[day]/[month repr:short]/[year]",
            "[day]/[month]",
            "[day]/[day]/[month]/[year]",
            "[year]-[month]-[day] [offset_hour]",
            "[year]-[month]-[day]Z",
            "\\[[year]-[month]-[day]",
            "[year]-[month]-[day",
        ] {
            assert_eq!(NumericDateFormat::compile(format), None, "{format}");
        }
    }

    #[test]
    fn a_date_that_does_not_exist_or_is_not_in_the_format_is_not_read() {
        let format = NumericDateFormat::compile("[day]/[month]/[year]").unwrap();
        assert_eq!(
            format.date("09/03/1975"),
            Date::from_calendar_date(1975, Month::March, 9).ok()
        );
        for bad in [
            "30/02/2024",
            "9/03/1975",
            "09/03/75",
            "09-03-1975",
            "09/03/1975 ",
        ] {
            assert_eq!(format.date(bad), None, "{bad}");
        }
        assert_eq!(format.date_time("09/03/1975"), None);
    }

    #[test]
    fn reads_what_time_writes_in_every_format() {
        for description in FORMATS {
            let format = NumericDateFormat::compile(description).unwrap();
            let owned = parse_owned::<2>(description).unwrap();
            // Every day from 1900 to 2099, each at a different second of the day.
            let first = Date::from_calendar_date(1900, Month::January, 1).unwrap();
            for offset in 0..73_000 {
                let date = first + time::Duration::days(offset);
                let at = date.midnight() + time::Duration::seconds((offset * 7919) % 86_400);
                let cell = at.format(&owned).unwrap();
                if format.has_time {
                    assert_eq!(format.date_time(&cell), Some(at), "{cell}");
                } else {
                    assert_eq!(format.date(&cell), Some(date), "{cell}");
                }
            }
        }
    }

    proptest::proptest! {
        /// Whatever the cell, a date this reader gives is the one `time` gives for the format.
        #[test]
        fn agrees_with_the_time_crate(
            format_index in 0usize..FORMATS.len(),
            digits in proptest::collection::vec(0u8..10, 14),
            noise in proptest::option::of(("[0-9/:. T,-]{0,22}", 0usize..22)),
        ) {
            let description = FORMATS[format_index];
            let format = NumericDateFormat::compile(description).unwrap();
            let owned = parse_owned::<2>(description).unwrap();
            // A cell in the format's shape, digits anywhere a number goes; or noise.
            let mut cell = String::new();
            let mut next = digits.iter().cycle();
            for piece in &format.pieces {
                match piece {
                    Piece::Literal(b) => cell.push(char::from(*b)),
                    _ => for _ in 0..piece.width() {
                        cell.push(char::from(b'0' + next.next().copied().unwrap_or(0)));
                    },
                }
            }
            let shaped = noise.is_none();
            if let Some((text, cut)) = noise {
                cell.truncate(cut.min(cell.len()));
                cell.push_str(&text);
            }
            let (fast, slow) = if format.has_time {
                (
                    format.date_time(&cell),
                    PrimitiveDateTime::parse(&cell, &owned).ok(),
                )
            } else {
                (
                    format.date(&cell).map(Date::midnight),
                    Date::parse(&cell, &owned).ok().map(Date::midnight),
                )
            };
            // An answer is always `time`'s; a cell in the format's shape is always answered.
            if fast.is_some() || shaped {
                proptest::prop_assert_eq!(fast, slow);
            }
        }
    }
}
