//! Likely duplicates of a new person or employee: fuzzy names and date of birth, each match with
//! its reasons, so the detective decides rather than the software.

use super::{NominalDetails, NominalId};
use serde::Serialize;

/// A stored nominal that may be the same as the one being created.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DuplicateMatch {
    pub nominal_id: NominalId,
    pub display_name: String,
    /// 0 to 1: how alike the two are.
    pub score: f64,
    /// Why they look alike, in words.
    pub reasons: Vec<String>,
}

/// Below this a candidate is not shown.
pub const MIN_SCORE: f64 = 0.75;

/// Lower case, letters only, for comparing names.
#[must_use]
pub fn normalise_name(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_alphabetic() || c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// A coarse phonetic key (Soundex) for blocking: the store looks up candidates that share it.
#[must_use]
pub fn soundex(name: &str) -> String {
    let letters: Vec<char> = normalise_name(name)
        .chars()
        .filter(char::is_ascii_alphabetic)
        .collect();
    let Some(first) = letters.first() else {
        return String::new();
    };
    let digit = |c: char| match c {
        'b' | 'f' | 'p' | 'v' => '1',
        'c' | 'g' | 'j' | 'k' | 'q' | 's' | 'x' | 'z' => '2',
        'd' | 't' => '3',
        'l' => '4',
        'm' | 'n' => '5',
        'r' => '6',
        _ => '0',
    };
    let mut key = String::from(first.to_ascii_uppercase());
    let mut last = digit(*first);
    for &c in &letters[1..] {
        let d = digit(c);
        if d != '0' && d != last {
            key.push(d);
            if key.len() == 4 {
                break;
            }
        }
        if c != 'h' && c != 'w' {
            last = d;
        }
    }
    while key.len() < 4 {
        key.push('0');
    }
    key
}

fn similarity(a: &str, b: &str) -> f64 {
    strsim::jaro_winkler(&normalise_name(a), &normalise_name(b))
}

/// Compares `new` with a stored candidate; `None` if they do not look alike enough. Only
/// employees and persons are compared (other kinds have exact identity keys).
#[must_use]
pub fn compare(
    new: &NominalDetails,
    id: NominalId,
    existing: &NominalDetails,
) -> Option<DuplicateMatch> {
    let mut reasons = Vec::new();
    if let (Some(a), Some(b)) = (new.identity_key(), existing.identity_key())
        && new.kind() == existing.kind()
        && a == b
    {
        reasons.push(String::from("same staff number"));
        return Some(DuplicateMatch {
            nominal_id: id,
            display_name: existing.display_name(),
            score: 1.0,
            reasons,
        });
    }
    let ((new_fore, new_sur), (old_fore, old_sur)) = (new.person_name()?, existing.person_name()?);
    let surname = similarity(new_sur, old_sur);
    let forename = if new_fore.is_empty() || old_fore.is_empty() {
        0.5
    } else {
        similarity(new_fore, old_fore)
    };
    let mut name_score = 0.6 * surname + 0.4 * forename;
    if surname >= 0.999 {
        reasons.push(String::from("same surname"));
    } else if surname >= 0.85 {
        reasons.push(format!("similar surname ({:.0}%)", surname * 100.0));
    } else if soundex(new_sur) == soundex(old_sur) && !new_sur.is_empty() {
        reasons.push(String::from("surname sounds alike"));
        name_score = name_score.max(0.8);
    }
    if forename >= 0.999 {
        reasons.push(String::from("same forenames"));
    } else if forename >= 0.85 {
        reasons.push(format!("similar forenames ({:.0}%)", forename * 100.0));
    }
    let new_full = format!("{new_fore} {new_sur}");
    for alias in existing.aliases() {
        let score = similarity(&new_full, alias);
        if score >= 0.9 {
            reasons.push(format!("matches an alias ({:.0}%)", score * 100.0));
            name_score = name_score.max(score);
        }
    }
    let score = match (new.date_of_birth(), existing.date_of_birth()) {
        (Some(a), Some(b)) if a == b => {
            reasons.push(String::from("same date of birth"));
            (name_score + 0.25).min(1.0)
        }
        (Some(a), Some(b)) => {
            let (ya, yb) = (a.year(), b.year());
            if ya == yb {
                reasons.push(String::from("same year of birth"));
                name_score
            } else {
                name_score - 0.2
            }
        }
        _ => name_score - 0.05,
    };
    (score >= MIN_SCORE && !reasons.is_empty()).then(|| DuplicateMatch {
        nominal_id: id,
        display_name: existing.display_name(),
        score,
        reasons,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::PersonFlags;

    fn person(fore: &str, sur: &str, dob: Option<&str>, aliases: &[&str]) -> NominalDetails {
        NominalDetails::Person {
            forenames: fore.into(),
            surname: sur.into(),
            aliases: aliases.iter().map(|a| (*a).to_owned()).collect(),
            date_of_birth: dob.map(|d| d.parse().unwrap()),
            flags: PersonFlags::default(),
        }
    }

    #[test]
    fn soundex_groups_spellings() {
        assert_eq!(soundex("Smith"), "S530");
        assert_eq!(soundex("Smyth"), "S530");
        assert_eq!(soundex("Robert"), "R163");
        assert_eq!(soundex("Rupert"), "R163");
        assert_eq!(soundex("Ashcraft"), "A261");
    }

    #[test]
    fn a_near_duplicate_with_the_same_birth_date_is_found_with_reasons() {
        let new = person("Jon", "Smyth", Some("1980-04-02"), &[]);
        let old = person("John", "Smith", Some("1980-04-02"), &[]);
        let found = compare(&new, NominalId(7), &old).unwrap();
        assert!(found.score > 0.9, "{found:?}");
        assert!(found.reasons.iter().any(|r| r == "same date of birth"));
        assert!(
            found
                .reasons
                .iter()
                .any(|r| r.starts_with("similar surname"))
        );
    }

    #[test]
    fn different_people_are_not_suggested() {
        let new = person("Priya", "Okafor", Some("1991-07-12"), &[]);
        let old = person("John", "Smith", Some("1980-04-02"), &[]);
        assert!(compare(&new, NominalId(7), &old).is_none());
    }

    #[test]
    fn an_alias_match_is_a_reason() {
        let new = person("Danny", "Boyd", None, &[]);
        let old = person("Daniel", "McBride", None, &["Danny Boyd"]);
        let found = compare(&new, NominalId(3), &old).unwrap();
        assert!(
            found
                .reasons
                .iter()
                .any(|r| r.starts_with("matches an alias"))
        );
    }
}
