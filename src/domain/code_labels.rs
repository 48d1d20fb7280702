//! The labels of reference data codes, carried with a report so it reads "Disclosure of
//! information" rather than `disclosure`, as the reference data said when the report was made
//! (a later version may relabel a code; the report keeps what it was written under).

use super::ReferenceData;
use serde::Serialize;
use std::collections::BTreeMap;

/// Labels keyed by list and code.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct CodeLabels(BTreeMap<String, String>);

impl CodeLabels {
    /// Every code of `lists` in `reference`, with its label.
    #[must_use]
    pub fn from_reference(reference: &ReferenceData, lists: &[&str]) -> Self {
        Self(
            lists
                .iter()
                .flat_map(|list| {
                    reference
                        .codes(list)
                        .iter()
                        .map(move |code| (format!("{list}:{}", code.code), code.label.clone()))
                })
                .collect(),
        )
    }

    /// The label of `code` in `list`, or the code with spaces for underscores if the list had
    /// no such code.
    #[must_use]
    pub fn label(&self, list: &str, code: &str) -> String {
        self.0
            .get(&format!("{list}:{code}"))
            .cloned()
            .unwrap_or_else(|| code.replace('_', " "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_known_code_reads_as_its_label_and_an_unknown_one_as_words() {
        let reference = crate::io::reference_file::shipped_default().unwrap();
        let labels = CodeLabels::from_reference(&reference, &[super::super::list::NA_CATEGORY]);
        let first = &reference.codes(super::super::list::NA_CATEGORY)[0];
        assert_eq!(labels.label("na_category", &first.code), first.label);
        assert_eq!(labels.label("na_category", "no_such_code"), "no such code");
        assert_eq!(
            labels.label("corruption_category", &first.code),
            first.code.replace('_', " "),
            "a list not asked for has no labels"
        );
    }
}
