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

#[cfg(test)]
mod tests {
    use super::*;

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
