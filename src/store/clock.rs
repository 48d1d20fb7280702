//! The wall clock, in the one format every stored time uses.

use time::OffsetDateTime;
use time::macros::format_description;

/// Now, as RFC 3339 UTC with milliseconds (`2026-11-22T14:36:01.123Z`). Fixed width, so text
/// order is time order.
#[must_use]
pub fn now_utc_rfc3339() -> String {
    format_utc(OffsetDateTime::now_utc())
}

pub(crate) fn format_utc(at: OffsetDateTime) -> String {
    let format =
        format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z");
    at.to_offset(time::UtcOffset::UTC)
        .format(&format)
        .unwrap_or_else(|_| String::from("0000-00-00T00:00:00.000Z"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_fixed_width_utc() {
        let text = format_utc(time::macros::datetime!(2026-01-02 03:04:05.678 +02:00));
        assert_eq!(text, "2026-01-02T01:04:05.678Z");
        assert_eq!(now_utc_rfc3339().len(), text.len());
    }
}
