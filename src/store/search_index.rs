//! The full-text index (FTS5) over items and nominals, kept in step with them in the same
//! transaction. Items have rowid `2 * id`, nominals `2 * id + 1`.

use super::StoreError;
use crate::domain::{
    IntelItemFields, ItemId, NominalDetails, NominalId, SearchHit, SearchQuery, SearchTarget,
};
use rusqlite::{Connection, params};

fn item_rowid(id: ItemId) -> i64 {
    id.0 * 2
}

fn nominal_rowid(id: NominalId) -> i64 {
    id.0 * 2 + 1
}

fn replace(conn: &Connection, rowid: i64, title: &str, body: &str) -> Result<(), StoreError> {
    conn.prepare_cached("DELETE FROM search_index WHERE rowid = ?1")?
        .execute([rowid])?;
    conn.prepare_cached("INSERT INTO search_index (rowid, title, body) VALUES (?1, ?2, ?3)")?
        .execute(params![rowid, title, body])?;
    Ok(())
}

pub(crate) fn index_item(
    conn: &Connection,
    id: ItemId,
    reference: &str,
    fields: &IntelItemFields,
) -> Result<(), StoreError> {
    replace(conn, item_rowid(id), reference, &fields.narrative)
}

pub(crate) fn index_nominal(
    conn: &Connection,
    id: NominalId,
    details: &NominalDetails,
) -> Result<(), StoreError> {
    replace(
        conn,
        nominal_rowid(id),
        &details.display_name(),
        &details.search_text(),
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
    let mut values = vec![Value::Text(expression)];
    let mut clauses = Vec::new();
    let mut join = String::new();
    let items_only = query.items_only || query.has_item_filters();
    if items_only || query.nominals_only {
        let parity = i64::from(!items_only);
        clauses.push(format!("s.rowid % 2 = {parity}"));
    }
    if query.has_item_filters() {
        join.push_str(" JOIN intel_items i ON i.id = s.rowid / 2");
        let mut push = |clause: &str, value: Value| {
            values.push(value);
            clauses.push(clause.replace('?', &format!("?{}", values.len())));
        };
        if let Some(v) = &query.category {
            push("i.category = ?", Value::Text(v.clone()));
        }
        if let Some(v) = &query.status {
            push("i.status = ?", Value::Text(v.clone()));
        }
        if let Some(v) = &query.source_evaluation {
            push("i.source_evaluation = ?", Value::Text(v.clone()));
        }
        if let Some(v) = &query.intelligence_assessment {
            push("i.intelligence_assessment = ?", Value::Text(v.clone()));
        }
        if let Some(v) = query.received_from {
            push("i.received_on >= ?", Value::Text(v.to_string()));
        }
        if let Some(v) = query.received_to {
            push("i.received_on <= ?", Value::Text(v.to_string()));
        }
    }
    let extra: String = clauses.iter().flat_map(|c| [" AND ", c.as_str()]).collect();
    let matching = format!("FROM search_index s{join} WHERE search_index MATCH ?1{extra}");
    let cap = i64::try_from(RANKED_MATCHES).unwrap_or(2_000);
    let counted: i64 = conn
        .prepare_cached(&format!(
            "SELECT count(*) FROM (SELECT s.rowid {matching} LIMIT {cap} + 1)"
        ))?
        .query_row(rusqlite::params_from_iter(values.iter()), |row| row.get(0))?;
    values.push(Value::Integer(i64::try_from(limit).unwrap_or(50)));
    let limit_index = values.len();
    let restrict = if counted > cap {
        format!(" AND s.rowid IN (SELECT s.rowid {matching} ORDER BY s.rowid DESC LIMIT {cap})")
    } else {
        String::new()
    };
    let sql = format!(
        "SELECT s.rowid, s.title, snippet(search_index, 1, '«', '»', '…', 16),
                bm25(search_index, 4.0, 1.0) AS score
         {matching}{restrict}
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
