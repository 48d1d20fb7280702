//! The key that makes a user name unique: what two names that look alike have in common.
//!
//! Two accounts must not be told apart only by case, by compatibility forms (a full-width
//! "Ｄ"), by invisible characters, or by a letter from another script that looks the same (a
//! Cyrillic "а" in a Latin name). The key is the name NFKC-normalised, lower-cased (and
//! normalised again, since lower-casing can denormalise), with runs of spaces made one; a name
//! that mixes Latin with Cyrillic or Greek letters is refused outright, since no person's name
//! needs both and it is the classic way to imitate a colleague.

use unicode_normalization::UnicodeNormalization;

/// The uniqueness key of a user name: NFKC, lower case, NFKC again, single spaces, trimmed.
#[must_use]
pub fn user_name_key(name: &str) -> String {
    let folded: String = name
        .nfkc()
        .collect::<String>()
        .to_lowercase()
        .nfkc()
        .collect();
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Which family of look-alike letters a character belongs to, if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Script {
    Latin,
    Greek,
    Cyrillic,
}

fn script_of(c: char) -> Option<Script> {
    match u32::from(c) {
        0x41..=0x5A | 0x61..=0x7A | 0xC0..=0x24F | 0x1E00..=0x1EFF => Some(Script::Latin),
        0x370..=0x3FF | 0x1F00..=0x1FFF => Some(Script::Greek),
        0x400..=0x52F | 0x1C80..=0x1C8F | 0x2DE0..=0x2DFF | 0xA640..=0xA69F => {
            Some(Script::Cyrillic)
        }
        _ => None,
    }
}

/// Whether the name mixes Latin, Greek and Cyrillic letters (after NFKC, so a compatibility
/// form counts as the letter it stands for).
#[must_use]
pub fn mixes_look_alike_scripts(name: &str) -> bool {
    let mut seen: Option<Script> = None;
    for c in name.nfkc() {
        if let Some(script) = script_of(c) {
            match seen {
                None => seen = Some(script),
                Some(first) if first != script => return true,
                Some(_) => {}
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn look_alike_forms_share_a_key() {
        let key = user_name_key("DS Jane Smith");
        for variant in [
            "ds jane smith",
            "DS  Jane   Smith",
            "ＤＳ Ｊａｎｅ Ｓｍｉｔｈ",
            " DS Jane Smith ",
        ] {
            assert_eq!(user_name_key(variant), key, "{variant}");
        }
        assert_ne!(user_name_key("DS Jane Smyth"), key);
    }

    #[test]
    fn a_name_mixing_latin_and_cyrillic_letters_is_caught() {
        // "Jаne" with a Cyrillic а (U+0430).
        assert!(mixes_look_alike_scripts("DS J\u{430}ne Smith"));
        assert!(mixes_look_alike_scripts("DS Jane Smith \u{3bf}"));
        assert!(!mixes_look_alike_scripts("DS Jane Smith"));
        assert!(!mixes_look_alike_scripts("ДС Иван Петров"));
        assert!(!mixes_look_alike_scripts("DS Zoë O'Brien-Núñez"));
    }
}
