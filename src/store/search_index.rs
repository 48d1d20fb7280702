//! The full-text index (FTS5) over items and nominals, kept in step with them in the same
//! transaction. Items have rowid `2 * id`, nominals `2 * id + 1`.

use super::StoreError;
use crate::domain::{
    IntelItemFields, ItemId, NominalDetails, NominalId, SearchHit, SearchQuery, SearchTarget,
};
use rusqlite::{Connection, OptionalExtension, params};

fn item_rowid(id: ItemId) -> i64 {
    id.0 * 2
}

fn nominal_rowid(id: NominalId) -> i64 {
    id.0 * 2 + 1
}

fn replace(
    conn: &Connection,
    rowid: i64,
    title: &str,
    body: &str,
    facets: &str,
) -> Result<(), StoreError> {
    conn.prepare_cached("DELETE FROM search_index WHERE rowid = ?1")?
        .execute([rowid])?;
    conn.prepare_cached(
        "INSERT INTO search_index (rowid, title, body, facets) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![rowid, title, body, facets])?;
    Ok(())
}

/// A filter value as one index token: `_`, a prefix, `_` and the code in lower case
/// (`cat`, `misuse_of_systems` → `_cat_misuse_of_systems`). The index keeps `_` inside tokens
/// and typed words are split on it, so no typed word (or prefix) can match a filter token.
fn facet(prefix: &str, code: &str) -> String {
    let mut token = format!("_{prefix}_");
    token.extend(
        code.chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
            .map(|c| c.to_ascii_lowercase()),
    );
    token
}

const ITEM_FACET: &str = "_kind_item";
const NOMINAL_FACET: &str = "_kind_nominal";

/// Indexes an item: its reference, its narrative, and the filter tokens of its category,
/// status and grading (re-indexed whenever any of them changes).
pub(crate) fn index_item(
    conn: &Connection,
    id: ItemId,
    reference: &str,
    fields: &IntelItemFields,
    status: &str,
) -> Result<(), StoreError> {
    let facets = [
        ITEM_FACET.to_owned(),
        facet("cat", &fields.category),
        facet("st", status),
        facet("se", &fields.grading.source_evaluation),
        facet("ia", &fields.grading.intelligence_assessment),
        facet("hc", &fields.grading.handling_code),
    ]
    .join(" ");
    replace(conn, item_rowid(id), reference, &fields.narrative, &facets)
}

pub(crate) fn index_nominal(
    conn: &Connection,
    id: NominalId,
    details: &NominalDetails,
) -> Result<(), StoreError> {
    let facets = format!("{NOMINAL_FACET} {}", facet("k", details.kind().as_str()));
    replace(
        conn,
        nominal_rowid(id),
        &details.display_name(),
        &details.search_text(),
        &facets,
    )
}

pub(crate) fn remove_nominal(conn: &Connection, id: NominalId) -> Result<(), StoreError> {
    conn.prepare_cached("DELETE FROM search_index WHERE rowid = ?1")?
        .execute([nominal_rowid(id)])?;
    Ok(())
}

/// Default number of hits.
pub const DEFAULT_LIMIT: usize = 50;

/// Above this many matches, hits are ranked among the newest this many. BM25 costs time per
/// matching row: a word in every twentieth item of a million-item log would take half a second
/// to rank in full, against a few milliseconds for the newest matches, which are what an
/// investigator usually wants; more words narrow the search back to a full ranking.
pub const RANKED_MATCHES: usize = 2_000;

/// Ranked hits for `query`: BM25 with the title (reference or name) weighted above the body,
/// over all matches, or over the newest [`RANKED_MATCHES`] when there are more.
pub(crate) fn search(conn: &Connection, query: &SearchQuery) -> Result<Vec<SearchHit>, StoreError> {
    use rusqlite::types::Value;
    let Some(expression) = query.fts_expression() else {
        return Ok(Vec::new());
    };
    let limit = query.limit.unwrap_or(DEFAULT_LIMIT).clamp(1, 1000);
    // Kind, category, status and grading filters are index tokens, intersected by FTS5 itself;
    // only dates need the items table.
    // Filter tokens start with `_`, which the index keeps inside tokens but typed words are
    // split on, so no word typed (or its prefix) ever matches one. A column filter would keep
    // them apart too, but costs a position check on every match of every word.
    let mut expression = format!("({expression})");
    let mut facets = Vec::new();
    for (prefix, value) in [
        ("cat", &query.category),
        ("st", &query.status),
        ("se", &query.source_evaluation),
        ("ia", &query.intelligence_assessment),
    ] {
        if let Some(code) = value {
            facets.push(facet(prefix, code));
        }
    }
    // Category, status and grading tokens exist only on items, so they imply "items only"; the
    // kind token (on every row of its kind) is added only when nothing narrower is.
    if facets.is_empty() {
        if query.items_only || query.has_item_filters() {
            facets.push(ITEM_FACET.to_owned());
        } else if query.nominals_only {
            facets.push(NOMINAL_FACET.to_owned());
        }
    }
    for token in facets {
        expression.push_str(" AND facets : \"");
        expression.push_str(&token);
        expression.push('"');
    }
    let mut values = vec![Value::Text(expression)];
    let mut clauses = Vec::new();
    let mut join = String::new();
    if query.received_from.is_some() || query.received_to.is_some() {
        join.push_str(" JOIN intel_items i ON i.id = s.rowid / 2");
        if let Some(v) = query.received_from {
            values.push(Value::Text(v.to_string()));
            clauses.push(format!("i.received_on >= ?{}", values.len()));
        }
        if let Some(v) = query.received_to {
            values.push(Value::Text(v.to_string()));
            clauses.push(format!("i.received_on <= ?{}", values.len()));
        }
    }
    let extra: String = clauses.iter().flat_map(|c| [" AND ", c.as_str()]).collect();
    let matching = format!("FROM search_index s{join} WHERE search_index MATCH ?1{extra}");
    // The newest RANKED_MATCHES-th match, if there are that many: FTS5 walks a term's rows in
    // descending rowid order cheaply and stops there; ranking is then confined to rowids at or
    // above it, a range FTS5 seeks to directly.
    let cut: Option<i64> = conn
        .prepare_cached(&format!(
            "SELECT s.rowid {matching} ORDER BY s.rowid DESC LIMIT 1 OFFSET {}",
            RANKED_MATCHES - 1
        ))?
        .query_row(rusqlite::params_from_iter(values.iter()), |row| row.get(0))
        .optional()?;
    let range = match cut {
        Some(cut) => format!(" AND s.rowid >= {cut}"),
        None => String::new(),
    };
    values.push(Value::Integer(i64::try_from(limit).unwrap_or(50)));
    let limit_index = values.len();
    let sql = format!(
        "SELECT s.rowid, s.title, snippet(search_index, 1, '«', '»', '…', 16),
                bm25(search_index, 4.0, 1.0, 0.0) AS score
         {matching}{range}
         ORDER BY score LIMIT ?{limit_index}"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(rusqlite::params_from_iter(values), |row| {
        let rowid: i64 = row.get(0)?;
        let target = if rowid % 2 == 0 {
            SearchTarget::Item {
                id: ItemId(rowid / 2),
            }
        } else {
            SearchTarget::Nominal {
                id: NominalId(rowid / 2),
            }
        };
        let title: String = row.get(1)?;
        let mut snippet: String = row.get(2)?;
        if snippet.is_empty() {
            snippet.clone_from(&title);
        }
        Ok(SearchHit {
            target,
            title,
            snippet,
            rank: row.get(3)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}
