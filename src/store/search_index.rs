//! The full-text indexes (FTS5) over items and nominals, kept in step with them in the same
//! transaction, and ranked search over them. Items are in `search_index` with rowid `2 * id`
//! (nominals shared that table, at odd rowids, until migration 3 moved them out); nominals are
//! in `nominal_search_index` with rowid `id`.

use super::StoreError;
use crate::domain::search_ranking::{RankTerms, RankText, bm25_scores, snippet};
use crate::domain::{
    IntelItemFields, ItemId, NominalDetails, NominalId, SearchHit, SearchQuery, SearchTarget,
};
use rusqlite::{Connection, params};

/// The two indexes, by what they hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Index {
    Items,
    Nominals,
}

impl Index {
    fn table(self) -> &'static str {
        match self {
            Index::Items => "search_index",
            Index::Nominals => "nominal_search_index",
        }
    }

    fn rowid_to_target(self, rowid: i64) -> SearchTarget {
        match self {
            Index::Items => SearchTarget::Item {
                id: ItemId(rowid / 2),
            },
            Index::Nominals => SearchTarget::Nominal {
                id: NominalId(rowid),
            },
        }
    }
}

fn replace(
    conn: &Connection,
    index: Index,
    rowid: i64,
    title: &str,
    body: &str,
    facets: &str,
) -> Result<(), StoreError> {
    let table = index.table();
    conn.prepare_cached(&format!("DELETE FROM {table} WHERE rowid = ?1"))?
        .execute([rowid])?;
    conn.prepare_cached(&format!(
        "INSERT INTO {table} (rowid, title, body, facets) VALUES (?1, ?2, ?3, ?4)"
    ))?
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
    replace(
        conn,
        Index::Items,
        id.0 * 2,
        reference,
        &fields.narrative,
        &facets,
    )
}

/// Indexes a nominal: its display name as the title, everything else searchable as the body.
pub(crate) fn index_nominal(
    conn: &Connection,
    id: NominalId,
    details: &NominalDetails,
) -> Result<(), StoreError> {
    let facets = format!("{NOMINAL_FACET} {}", facet("k", details.kind().as_str()));
    // The ids force systems give it are searchable beside its own words (`rms P187`).
    let mut body = details.search_text();
    let mut statement = conn.prepare_cached(
        "SELECT system, external_id FROM external_ids WHERE nominal_id = ?1
         ORDER BY system, external_id",
    )?;
    let mut rows = statement.query([id.0])?;
    while let Some(row) = rows.next()? {
        let (system, external): (String, String) = (row.get(0)?, row.get(1)?);
        body.push(' ');
        body.push_str(&system);
        body.push(' ');
        body.push_str(&external);
    }
    replace(
        conn,
        Index::Nominals,
        id.0,
        &details.display_name(),
        &body,
        &facets,
    )
}

pub(crate) fn remove_nominal(conn: &Connection, id: NominalId) -> Result<(), StoreError> {
    conn.prepare_cached("DELETE FROM nominal_search_index WHERE rowid = ?1")?
        .execute([id.0])?;
    Ok(())
}

/// Default number of hits.
pub const DEFAULT_LIMIT: usize = 50;

/// The newest this many matching items are scored; in a log of ordinary size that is every
/// match. A word in every twentieth item of a million-item log has 50,000 matches: scoring
/// them all would take a second, the newest few hundred take a millisecond, and the newest
/// are what an investigator usually wants; more words narrow the matches back to all of them.
pub const ITEM_CANDIDATES: usize = 300;

/// The newest this many matching nominals are scored alongside the items.
pub const NOMINAL_CANDIDATES: usize = 200;

/// One match as indexed: where it is and its text.
struct Candidate {
    target: SearchTarget,
    title: String,
    body: String,
}

/// The newest `max` matches of `expression` in `index`, newest first, within the date clauses
/// on the items table when given.
fn newest_matches(
    conn: &Connection,
    index: Index,
    expression: &str,
    date_clauses: &[(&'static str, String)],
    max: usize,
    out: &mut Vec<Candidate>,
) -> Result<(), StoreError> {
    use rusqlite::types::Value;
    use std::fmt::Write as _;
    let table = index.table();
    let mut values = vec![Value::Text(expression.to_owned())];
    let mut sql = format!("SELECT s.rowid, s.title, s.body FROM {table} s");
    if !date_clauses.is_empty() {
        sql.push_str(" JOIN intel_items i ON i.id = s.rowid / 2");
    }
    let _ = write!(sql, " WHERE {table} MATCH ?1");
    for (clause, value) in date_clauses {
        values.push(Value::Text(value.clone()));
        let _ = write!(sql, " AND {clause} ?{}", values.len());
    }
    values.push(Value::Integer(i64::try_from(max).unwrap_or(i64::MAX)));
    let _ = write!(sql, " ORDER BY s.rowid DESC LIMIT ?{}", values.len());
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(rusqlite::params_from_iter(values), |row| {
        Ok(Candidate {
            target: index.rowid_to_target(row.get(0)?),
            title: row.get(1)?,
            body: row.get(2)?,
        })
    })?;
    for row in rows {
        out.push(row?);
    }
    Ok(())
}

/// Ranked hits for `query`: the newest [`ITEM_CANDIDATES`] matching items and
/// [`NOMINAL_CANDIDATES`] matching nominals (every match, below those numbers), scored by
/// BM25 with the title (reference or name) weighted above the body, best first, each with a
/// snippet of where the words occur.
pub(crate) fn search(conn: &Connection, query: &SearchQuery) -> Result<Vec<SearchHit>, StoreError> {
    let Some(words) = query.fts_expression() else {
        return Ok(Vec::new());
    };
    let limit = query.limit.unwrap_or(DEFAULT_LIMIT).clamp(1, 1000);
    let mut candidates = Vec::new();
    if !query.nominals_only && query.nominal_kind.is_none() {
        item_candidates(conn, query, &words, &mut candidates)?;
    }
    if !(query.items_only || query.has_item_filters()) {
        // A kind is an index token, intersected by FTS5 as the item filters are.
        let expression = match query.nominal_kind {
            Some(kind) => format!("({words}) AND facets : \"{}\"", facet("k", kind.as_str())),
            None => words,
        };
        newest_matches(
            conn,
            Index::Nominals,
            &expression,
            &[],
            NOMINAL_CANDIDATES,
            &mut candidates,
        )?;
    }
    Ok(ranked(query, &candidates, limit))
}

/// The newest matching items within the filters. Category, status and grading filters are
/// index tokens, intersected by FTS5 itself; only dates need the items table. Filter tokens
/// start with `_`, which the index keeps inside tokens but typed words are split on, so no word
/// typed (or its prefix) ever matches one.
fn item_candidates(
    conn: &Connection,
    query: &SearchQuery,
    words: &str,
    out: &mut Vec<Candidate>,
) -> Result<(), StoreError> {
    let mut expression = format!("({words})");
    for (prefix, value) in [
        ("cat", &query.category),
        ("st", &query.status),
        ("se", &query.source_evaluation),
        ("ia", &query.intelligence_assessment),
    ] {
        if let Some(code) = value {
            expression.push_str(" AND facets : \"");
            expression.push_str(&facet(prefix, code));
            expression.push('"');
        }
    }
    let mut date_clauses = Vec::new();
    if let Some(from) = query.received_from {
        date_clauses.push(("i.received_on >=", from.to_string()));
    }
    if let Some(to) = query.received_to {
        date_clauses.push(("i.received_on <=", to.to_string()));
    }
    newest_matches(
        conn,
        Index::Items,
        &expression,
        &date_clauses,
        ITEM_CANDIDATES,
        out,
    )
}

/// Scores the candidates and returns the best `limit`; ties go to items before nominals and
/// the newest first.
fn ranked(query: &SearchQuery, candidates: &[Candidate], limit: usize) -> Vec<SearchHit> {
    let terms = RankTerms::from_query(query);
    let texts: Vec<RankText<'_>> = candidates
        .iter()
        .map(|c| RankText {
            title: &c.title,
            body: &c.body,
        })
        .collect();
    let scores = bm25_scores(&terms, &texts);
    let mut order: Vec<usize> = (0..candidates.len()).collect();
    // Candidates arrive newest first within each kind, and the sort is stable.
    order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]));
    order.truncate(limit);
    order
        .into_iter()
        .map(|index| {
            let candidate = &candidates[index];
            let mut shown = snippet(&terms, &candidate.body);
            if shown.is_empty() {
                shown.clone_from(&candidate.title);
            }
            SearchHit {
                target: candidate.target,
                title: candidate.title.clone(),
                snippet: shown,
                rank: -scores[index],
            }
        })
        .collect()
}
