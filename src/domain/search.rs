//! Full-text search: what is asked, and what comes back.

use super::{IsoDate, ItemId, NominalId, NominalKind};
use serde::{Deserialize, Serialize};

/// A search over items and nominals.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SearchQuery {
    /// Words to find; the last is matched as a prefix, so results come while typing.
    pub text: String,
    /// Only items (filters below apply to items only).
    pub items_only: bool,
    /// Only nominals.
    pub nominals_only: bool,
    /// Only nominals of this kind (then items are not searched): a form that must name an
    /// employee offers only employees.
    pub nominal_kind: Option<NominalKind>,
    pub category: Option<String>,
    pub status: Option<String>,
    pub source_evaluation: Option<String>,
    pub intelligence_assessment: Option<String>,
    pub received_from: Option<IsoDate>,
    pub received_to: Option<IsoDate>,
    /// At most this many hits (default 50).
    pub limit: Option<usize>,
}

impl SearchQuery {
    /// Whether any item filter is set (then nominals are not searched).
    #[must_use]
    pub fn has_item_filters(&self) -> bool {
        self.category.is_some()
            || self.status.is_some()
            || self.source_evaluation.is_some()
            || self.intelligence_assessment.is_some()
            || self.received_from.is_some()
            || self.received_to.is_some()
    }

    /// The words of the query as an FTS5 expression: each word quoted (so punctuation and
    /// operators in what people type are just text), all required, the last as a prefix unless
    /// the text ends with a space. `None` when there is nothing to search for.
    #[must_use]
    pub fn fts_expression(&self) -> Option<String> {
        let words: Vec<String> = self
            .text
            .split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '@' || c == '+'))
            .filter(|w| !w.is_empty())
            .map(|w| w.replace('"', "\"\""))
            .collect();
        let (last, rest) = words.split_last()?;
        let mut parts: Vec<String> = rest.iter().map(|w| format!("\"{w}\"")).collect();
        if self.text.ends_with(char::is_whitespace) {
            parts.push(format!("\"{last}\""));
        } else {
            parts.push(format!("\"{last}\"*"));
        }
        Some(parts.join(" "))
    }
}

/// What a hit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SearchTarget {
    Item { id: ItemId },
    Nominal { id: NominalId },
}

/// One result, best first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchHit {
    pub target: SearchTarget,
    /// The item's reference or the nominal's name.
    pub title: String,
    /// The matching passage, with matches between `«` and `»`.
    pub snippet: String,
    /// BM25 score among the newest matches, negated as SQLite reports it (lower is better).
    pub rank: f64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expression(text: &str) -> Option<String> {
        SearchQuery {
            text: text.into(),
            ..SearchQuery::default()
        }
        .fts_expression()
    }

    #[test]
    fn typed_text_becomes_a_safe_prefix_query() {
        assert_eq!(expression("smith jo").as_deref(), Some("\"smith\" \"jo\"*"));
        assert_eq!(expression("smith jo ").as_deref(), Some("\"smith\" \"jo\""));
        assert_eq!(
            expression("NEAR(a b) OR \"x"),
            Some("\"NEAR\" \"a\" \"b\" \"OR\" \"x\"*".into())
        );
        assert_eq!(expression("  ,; "), None);
        assert_eq!(
            expression("CCU/2026/000123").as_deref(),
            Some("\"CCU\" \"2026\" \"000123\"*")
        );
    }
}
