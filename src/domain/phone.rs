//! Phone numbers in E.164, so the same phone written three ways is one nominal.

/// The number in E.164 (`+447700900123`), reading national numbers as in `default_region`
/// (ISO 3166 code, `GB` normally); `None` if it does not parse or its length is implausible.
///
/// Numbers outside the allocated ranges are accepted when they parse: intelligence records what
/// was seen, and Ofcom's ranges for fiction (07700 900000-900999, used by the demo data) are not
/// "valid" to libphonenumber.
#[must_use]
pub fn to_e164(text: &str, default_region: &str) -> Option<String> {
    let region = default_region.parse::<phonenumber::country::Id>().ok();
    let parsed = phonenumber::parse(region, text.trim()).ok()?;
    let digits = parsed.national().value().to_string().len();
    if !(6..=14).contains(&digits) {
        return None;
    }
    Some(parsed.format().mode(phonenumber::Mode::E164).to_string())
}

/// Whether libphonenumber finds the number in an allocated range (other tools, such as
/// FollowTheMoney, refuse numbers that are not; Ofcom's drama ranges are not).
#[must_use]
pub fn is_allocated(e164: &str) -> bool {
    phonenumber::parse(None, e164).is_ok_and(|parsed| phonenumber::is_valid(&parsed))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drama_numbers_are_not_allocated_and_ordinary_ones_are() {
        assert!(!is_allocated("+447700900123"));
        assert!(is_allocated("+447911123456"));
        assert!(is_allocated("+442071234567"));
        assert!(!is_allocated("not a number"));
    }

    #[test]
    fn the_same_number_written_differently_is_one_number() {
        for written in [
            "07700 900123",
            "+44 7700 900123",
            "0044 7700 900123",
            "(07700) 900-123",
        ] {
            assert_eq!(
                to_e164(written, "GB").as_deref(),
                Some("+447700900123"),
                "{written}"
            );
        }
        assert_eq!(to_e164("not a number", "GB"), None);
    }
}
