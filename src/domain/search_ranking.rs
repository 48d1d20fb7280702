//! Ranking and snippets for search hits, computed from the text of the newest matches.
//!
//! SQLite's `bm25()` first counts every row that contains each word (to weigh rare words above
//! common ones), which on a million-item log costs 2–20 ms before a single row is scored. The
//! store instead takes the newest matches of the query (all of them in a workbench of ordinary
//! size) and this module scores those: BM25 over the title (reference or name, weighted
//! [`TITLE_WEIGHT`]) and the body. Every candidate contains every word, so the rarity of a word
//! is the same across them and is left out; what orders them is how often and where the words
//! occur and how long the text is. The tokens follow the index's tokenizer (letters, digits
//! and `_`; case and diacritics folded), so what the index matched is what is counted here.

use super::SearchQuery;
use std::borrow::Cow;
use unicode_normalization::UnicodeNormalization;

/// How much a word in the title counts against one in the body (FTS5 column weights 4:1).
pub const TITLE_WEIGHT: f64 = 4.0;
/// BM25 term-frequency saturation.
const K1: f64 = 1.2;
/// BM25 length normalisation.
const B: f64 = 0.75;
/// Tokens shown in a snippet.
pub const SNIPPET_TOKENS: usize = 16;

/// The typed words as the index sees them: each word a phrase of folded tokens (a typed
/// `o'brien` is the phrase `o brien`), the last token of the last phrase a prefix while typing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RankTerms {
    phrases: Vec<Vec<String>>,
    last_is_prefix: bool,
}

impl RankTerms {
    /// The terms of `query`, split the way [`SearchQuery::fts_expression`] splits them.
    #[must_use]
    pub fn from_query(query: &SearchQuery) -> Self {
        let phrases: Vec<Vec<String>> = query
            .text
            .split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '@' || c == '+'))
            .map(|word| {
                tokens(word)
                    .map(|(_, token)| token.into_owned())
                    .collect::<Vec<_>>()
            })
            .filter(|phrase: &Vec<String>| !phrase.is_empty())
            .collect();
        Self {
            phrases,
            last_is_prefix: !query.text.ends_with(char::is_whitespace),
        }
    }

    /// Whether there is anything to look for.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.phrases.is_empty()
    }

    fn token_matches(&self, phrase: usize, index: usize, token: &str) -> bool {
        let wanted = &self.phrases[phrase][index];
        let is_last = phrase + 1 == self.phrases.len() && index + 1 == self.phrases[phrase].len();
        if is_last && self.last_is_prefix {
            token.starts_with(wanted.as_str())
        } else {
            token == wanted
        }
    }

    /// Where each phrase occurs in `folded`: one entry per occurrence, `(phrase, start, len)`.
    fn occurrences(&self, folded: &[Cow<'_, str>]) -> Vec<(usize, usize, usize)> {
        let mut found = Vec::new();
        for (phrase, words) in self.phrases.iter().enumerate() {
            if words.len() > folded.len() {
                continue;
            }
            for start in 0..=folded.len() - words.len() {
                if (0..words.len()).all(|i| self.token_matches(phrase, i, &folded[start + i])) {
                    found.push((phrase, start, words.len()));
                }
            }
        }
        found
    }
}

/// The tokens of `text` with their byte ranges: runs of letters, digits and `_`, folded to
/// lower case without diacritics, as the index's `unicode61 remove_diacritics 2` tokenizer.
fn tokens(text: &str) -> impl Iterator<Item = (std::ops::Range<usize>, Cow<'_, str>)> + '_ {
    let mut chars = text.char_indices().peekable();
    std::iter::from_fn(move || {
        while let Some(&(_, c)) = chars.peek() {
            if is_token_char(c) {
                break;
            }
            chars.next();
        }
        let &(start, _) = chars.peek()?;
        let mut end = start;
        while let Some(&(at, c)) = chars.peek() {
            if !is_token_char(c) {
                break;
            }
            end = at + c.len_utf8();
            chars.next();
        }
        Some((start..end, fold(&text[start..end])))
    })
}

fn is_token_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Lower case, with combining marks (diacritics) removed. Most tokens are plain lower-case
/// ASCII and are returned as they are: ranking folds every token of a few hundred texts per
/// keystroke.
fn fold(token: &str) -> Cow<'_, str> {
    if token.is_ascii() {
        if token.bytes().any(|b| b.is_ascii_uppercase()) {
            Cow::Owned(token.to_ascii_lowercase())
        } else {
            Cow::Borrowed(token)
        }
    } else {
        Cow::Owned(
            token
                .nfd()
                .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
                .flat_map(char::to_lowercase)
                .collect(),
        )
    }
}

/// One candidate's text, as indexed.
#[derive(Debug, Clone, Copy)]
pub struct RankText<'a> {
    pub title: &'a str,
    pub body: &'a str,
}

/// BM25 scores (higher is better), one per candidate, in the candidates' order.
#[must_use]
pub fn bm25_scores(terms: &RankTerms, candidates: &[RankText<'_>]) -> Vec<f64> {
    let counted: Vec<(Vec<f64>, usize)> = candidates
        .iter()
        .map(|text| {
            let title: Vec<Cow<'_, str>> = tokens(text.title).map(|(_, t)| t).collect();
            let body: Vec<Cow<'_, str>> = tokens(text.body).map(|(_, t)| t).collect();
            let mut weighted = vec![0.0; terms.phrases.len()];
            for (phrase, _, _) in terms.occurrences(&title) {
                weighted[phrase] += TITLE_WEIGHT;
            }
            for (phrase, _, _) in terms.occurrences(&body) {
                weighted[phrase] += 1.0;
            }
            (weighted, title.len() + body.len())
        })
        .collect();
    if counted.is_empty() {
        return Vec::new();
    }
    #[expect(
        clippy::cast_precision_loss,
        reason = "token counts are far below 2^52"
    )]
    let average_len =
        counted.iter().map(|(_, len)| *len as f64).sum::<f64>() / counted.len() as f64;
    counted
        .into_iter()
        .map(|(weighted, len)| {
            #[expect(
                clippy::cast_precision_loss,
                reason = "token counts are far below 2^52"
            )]
            let norm = K1 * (1.0 - B + B * len as f64 / average_len.max(1.0));
            weighted
                .iter()
                .map(|freq| freq * (K1 + 1.0) / (freq + norm))
                .sum()
        })
        .collect()
}

/// A passage of `text` around the first match, at most [`SNIPPET_TOKENS`] tokens, with each
/// match between `«` and `»` and `…` where text was cut. Empty when nothing matches.
#[must_use]
pub fn snippet(terms: &RankTerms, text: &str) -> String {
    let all: Vec<(std::ops::Range<usize>, Cow<'_, str>)> = tokens(text).collect();
    let folded: Vec<Cow<'_, str>> = all.iter().map(|(_, t)| t.clone()).collect();
    let mut occurrences = terms.occurrences(&folded);
    occurrences.sort_by_key(|&(_, start, _)| start);
    let Some(&(_, first, _)) = occurrences.first() else {
        return String::new();
    };
    let window_start = first.saturating_sub(2);
    let window_end = (window_start + SNIPPET_TOKENS).min(all.len());
    let mut marked = vec![false; all.len()];
    for (_, start, len) in occurrences {
        for flag in marked.iter_mut().skip(start).take(len) {
            *flag = true;
        }
    }
    let mut out = String::new();
    if window_start > 0 {
        out.push('…');
    }
    let mut cursor = all[window_start].0.start;
    for index in window_start..window_end {
        let range = &all[index].0;
        out.push_str(&text[cursor..range.start]);
        if marked[index] {
            out.push('«');
            out.push_str(&text[range.clone()]);
            out.push('»');
        } else {
            out.push_str(&text[range.clone()]);
        }
        cursor = range.end;
    }
    if window_end < all.len() {
        out.push('…');
    } else {
        out.push_str(&text[cursor..]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(text: &str) -> RankTerms {
        RankTerms::from_query(&SearchQuery {
            text: text.into(),
            ..SearchQuery::default()
        })
    }

    #[test]
    fn tokens_fold_case_and_diacritics_and_keep_underscores() {
        let found: Vec<String> = tokens("Zoë O'BRIEN met_up, S0112")
            .map(|(_, t)| t.into_owned())
            .collect();
        assert_eq!(found, ["zoe", "o", "brien", "met_up", "s0112"]);
    }

    #[test]
    fn the_last_word_is_a_prefix_while_typing() {
        let typing = terms("smi");
        let done = terms("smi ");
        let text = [RankText {
            title: "",
            body: "Jo Smith",
        }];
        assert!(bm25_scores(&typing, &text)[0] > 0.0);
        assert!(bm25_scores(&done, &text)[0].abs() < f64::EPSILON);
    }

    #[test]
    fn a_title_match_outranks_a_body_match_and_more_occurrences_rank_higher() {
        let query = terms("fieldhouse");
        let scores = bm25_scores(
            &query,
            &[
                RankText {
                    title: "Robin FIELDHOUSE",
                    body: "employee S100200",
                },
                RankText {
                    title: "CCU/2026/000001",
                    body: "Seen with Fieldhouse near the custody suite.",
                },
                RankText {
                    title: "CCU/2026/000002",
                    body: "Fieldhouse and Fieldhouse's car near the custody suite.",
                },
            ],
        );
        assert!(scores[0] > scores[2], "{scores:?}");
        assert!(scores[2] > scores[1], "{scores:?}");
    }

    #[test]
    fn an_apostrophe_word_is_a_phrase() {
        let query = terms("o'brien");
        let scores = bm25_scores(
            &query,
            &[
                RankText {
                    title: "",
                    body: "met O'Brien",
                },
                RankText {
                    title: "",
                    body: "brien o",
                },
            ],
        );
        assert!(scores[0] > 0.0);
        assert!(scores[1].abs() < f64::EPSILON);
    }

    #[test]
    fn a_snippet_marks_matches_and_cuts_long_text() {
        let query = terms("zephyr");
        let long = format!(
            "{} the zephyrine sighting was logged {}",
            "word ".repeat(30),
            "tail ".repeat(30)
        );
        let shown = snippet(&query, &long);
        assert!(shown.starts_with('…'), "{shown}");
        assert!(shown.ends_with('…'), "{shown}");
        assert!(shown.contains("«zephyrine»"), "{shown}");
        assert_eq!(
            snippet(&query, "short «zephyr» text"),
            "short ««zephyr»» text"
        );
        assert_eq!(snippet(&query, "nothing here"), "");
    }
}
