//! SQL that reads the link graph in bulk (every live nominal and every link with its provenance
//! counts), saved charts, and the graph paths that back intelligence items recorded from the
//! exposure finder.

use super::{StoreError, now_utc_rfc3339};
use crate::domain::{IsoDate, ItemId, LinkId, NominalId, NominalKind, UserId};
use crate::graph::{ExposureContext, FlaggedSince, GraphEdge, GraphNode, GraphPath, SavedChart};
use rusqlite::{Connection, OptionalExtension, params};
use std::collections::HashMap;
use std::sync::Arc;

fn conversion_error(index: usize, what: &str) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(
        index,
        rusqlite::types::Type::Text,
        format!("malformed {what}").into(),
    )
}

/// Every nominal not merged into another, as a graph node.
pub(crate) fn nodes(conn: &Connection) -> Result<Vec<GraphNode>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, kind, display_name, flags FROM nominals WHERE merged_into IS NULL ORDER BY id",
    )?;
    let rows = stmt.query_map([], |row| {
        let kind: String = row.get(1)?;
        let kind = NominalKind::ALL
            .into_iter()
            .find(|k| k.as_str() == kind)
            .ok_or_else(|| conversion_error(1, "nominal kind"))?;
        let flags: i64 = row.get(3)?;
        Ok(GraphNode {
            id: NominalId(row.get(0)?),
            kind,
            label: row.get(2)?,
            ocg: kind == NominalKind::Ocg || flags & 1 != 0,
            criminal: flags & 2 != 0,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Live people flagged vulnerable (bit 2), journalist (bit 3) or private investigator (bit 4):
/// the markers a chart draws (see `nominals::flags_bits`).
pub(crate) fn chart_flags(
    conn: &Connection,
) -> Result<HashMap<NominalId, crate::graph::chart_formatting::NodeFlags>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, flags FROM nominals WHERE merged_into IS NULL AND flags & 28 != 0",
    )?;
    let rows = stmt.query_map([], |row| {
        let flags: i64 = row.get(1)?;
        Ok((
            NominalId(row.get(0)?),
            crate::graph::chart_formatting::NodeFlags {
                vulnerable: flags & 4 != 0,
                journalist: flags & 8 != 0,
                private_investigator: flags & 16 != 0,
            },
        ))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Live employees recorded as police staff (not officers): a chart gives them their own icon.
pub(crate) fn police_staff(
    conn: &Connection,
) -> Result<std::collections::HashSet<NominalId>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT id FROM nominals WHERE kind = 'employee' AND merged_into IS NULL
           AND json_extract(details, '$.employee_type') = 'staff'",
    )?;
    let rows = stmt.query_map([], |row| Ok(NominalId(row.get(0)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The day of an RFC 3339 timestamp.
fn day_of(timestamp: &str) -> Option<IsoDate> {
    timestamp.get(..10)?.parse().ok()
}

/// What the exposure finder needs beyond the graph: journalists and private investigators, and
/// since when each OCG-member or criminal person has carried the flag: the day of the edit that
/// set it, read from the nominal's history. A nominal recorded with the flag has no such day
/// (when it became true is not known, only when the workbench learnt it), so it never brings a
/// declared route back on its own.
pub(crate) fn exposure_context(conn: &Connection) -> Result<ExposureContext, StoreError> {
    let mut context = ExposureContext::default();
    let mut flagged: HashMap<NominalId, i64> = HashMap::new();
    {
        let mut stmt = conn.prepare_cached(
            "SELECT id, flags FROM nominals WHERE merged_into IS NULL AND flags & 27 != 0",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let id = NominalId(row.get(0)?);
            let flags: i64 = row.get(1)?;
            if flags & 8 != 0 {
                context.journalists.insert(id);
            }
            if flags & 16 != 0 {
                context.private_investigators.insert(id);
            }
            if flags & 3 != 0 {
                flagged.insert(id, flags);
            }
        }
    }
    // The newest version without the flag was replaced on the day the flag was set.
    let mut unflagged_until: HashMap<NominalId, (Option<IsoDate>, Option<IsoDate>)> =
        HashMap::new();
    {
        let mut stmt = conn.prepare_cached(
            "SELECT v.nominal_id, v.snapshot, v.replaced_at FROM nominal_versions v
             JOIN nominals n ON n.id = v.nominal_id
             WHERE n.merged_into IS NULL AND n.flags & 3 != 0
             ORDER BY v.nominal_id, v.version",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let id = NominalId(row.get(0)?);
            let snapshot: String = row.get(1)?;
            let replaced_at: String = row.get(2)?;
            let flags = serde_json::from_str::<serde_json::Value>(&snapshot)
                .ok()
                .map(|v| v["details"]["flags"].clone())
                .unwrap_or_default();
            let entry = unflagged_until.entry(id).or_default();
            if flags["ocg_member"] != serde_json::Value::Bool(true) {
                entry.0 = day_of(&replaced_at);
            }
            if flags["criminal"] != serde_json::Value::Bool(true) {
                entry.1 = day_of(&replaced_at);
            }
        }
    }
    for (id, flags) in flagged {
        let (ocg_set, criminal_set) = unflagged_until.get(&id).copied().unwrap_or_default();
        let since = FlaggedSince {
            ocg_member: ocg_set.filter(|_| flags & 1 != 0),
            criminal: criminal_set.filter(|_| flags & 2 != 0),
        };
        if since != FlaggedSince::default() {
            context.flagged_since.insert(id, since);
        }
    }
    Ok(context)
}

/// How many links [`edges_in_batches`] hands over at a time: large enough that passing a batch
/// to another thread costs nothing next to reading it, small enough that the first batch
/// arrives while most of the table is still to read.
pub(crate) const EDGE_BATCH: usize = 16_384;

/// Every link, with how many items and imports support it when `count_sources`.
pub(crate) fn edges(conn: &Connection, count_sources: bool) -> Result<Vec<GraphEdge>, StoreError> {
    let mut edges = Vec::new();
    edges_in_batches(conn, count_sources, &mut |batch| edges.extend(batch))?;
    Ok(edges)
}

/// The upper bound of link ids: a cheap estimate (one b-tree descent) of how many links there
/// are, for sizing the graph before the links arrive.
pub(crate) fn link_id_bound(conn: &Connection) -> Result<usize, StoreError> {
    let max: Option<i64> = conn
        .prepare_cached("SELECT max(id) FROM links")?
        .query_row([], |row| row.get(0))?;
    Ok(max.and_then(|max| usize::try_from(max).ok()).unwrap_or(0))
}

/// Every link in id order, handed to `sink` [`EDGE_BATCH`] at a time, so the caller can build
/// the graph on another thread while the rest is read. Provenance counts as in [`edges`]: two
/// ordered scans merged here (links by id, provenance grouped by link id along its index)
/// rather than a join, which on a million links costs seconds where the scans cost a fraction
/// of one.
pub(crate) fn edges_in_batches(
    conn: &Connection,
    count_sources: bool,
    sink: &mut dyn FnMut(Vec<GraphEdge>),
) -> Result<(), StoreError> {
    let mut counts: Vec<(i64, u32, u32)> = Vec::new();
    if count_sources {
        let mut stmt = conn.prepare_cached(
            "SELECT link_id, count(item_id), count(import_id) FROM link_provenance
             GROUP BY link_id ORDER BY link_id",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            counts.push((row.get(0)?, row.get(1)?, row.get(2)?));
        }
    }
    let mut stmt = conn.prepare_cached(
        "SELECT id, link_type, from_id, to_id, directed, valid_from, valid_to, confidence
         FROM links ORDER BY id",
    )?;
    let mut rows = stmt.query([])?;
    let mut batch = Vec::with_capacity(EDGE_BATCH);
    let mut next_count = counts.iter().peekable();
    // Link types and confidences are a handful of codes: one shared string each.
    let mut codes: Vec<Arc<str>> = Vec::new();
    let mut code = |text: &str| -> Arc<str> {
        if let Some(known) = codes.iter().find(|c| &***c == text) {
            return Arc::clone(known);
        }
        let interned: Arc<str> = Arc::from(text);
        codes.push(Arc::clone(&interned));
        interned
    };
    while let Some(row) = rows.next()? {
        let date = |index: usize| -> rusqlite::Result<Option<IsoDate>> {
            row.get_ref(index)?
                .as_str_or_null()?
                .map(|text| text.parse().map_err(|_| conversion_error(index, "date")))
                .transpose()
        };
        let id: i64 = row.get(0)?;
        while next_count.next_if(|(link, _, _)| *link < id).is_some() {}
        let (item_sources, import_sources) = if count_sources {
            next_count
                .next_if(|(link, _, _)| *link == id)
                .map_or((Some(0), Some(0)), |&(_, items, imports)| {
                    (Some(items), Some(imports))
                })
        } else {
            (None, None)
        };
        batch.push(GraphEdge {
            link: LinkId(id),
            link_type: code(row.get_ref(1)?.as_str().map_err(rusqlite::Error::from)?),
            from: NominalId(row.get(2)?),
            to: NominalId(row.get(3)?),
            directed: row.get::<_, i64>(4)? != 0,
            valid_from: date(5)?,
            valid_to: date(6)?,
            confidence: code(row.get_ref(7)?.as_str().map_err(rusqlite::Error::from)?),
            item_sources,
            import_sources,
        });
        if batch.len() == EDGE_BATCH {
            sink(std::mem::replace(
                &mut batch,
                Vec::with_capacity(EDGE_BATCH),
            ));
        }
    }
    if !batch.is_empty() {
        sink(batch);
    }
    Ok(())
}

/// Saves a chart under its name, replacing one of the same name.
pub(crate) fn save_chart(
    conn: &Connection,
    chart: &SavedChart,
    by: UserId,
) -> Result<i64, StoreError> {
    let state =
        serde_json::to_string(chart).map_err(|_| StoreError::Damaged("a saved chart".into()))?;
    let now = now_utc_rfc3339();
    conn.prepare_cached(
        "INSERT INTO charts (name, state, created_at, created_by, updated_at, updated_by)
         VALUES (?1, ?2, ?3, ?4, ?3, ?4)
         ON CONFLICT (name) DO UPDATE SET state = excluded.state,
             updated_at = excluded.updated_at, updated_by = excluded.updated_by",
    )?
    .execute(params![chart.name, state, now, by.0])?;
    Ok(conn
        .prepare_cached("SELECT id FROM charts WHERE name = ?1")?
        .query_row([&chart.name], |row| row.get(0))?)
}

/// A saved chart by name.
pub(crate) fn chart(conn: &Connection, name: &str) -> Result<Option<SavedChart>, StoreError> {
    let state: Option<String> = conn
        .prepare_cached("SELECT state FROM charts WHERE name = ?1")?
        .query_row([name], |row| row.get(0))
        .optional()?;
    state
        .map(|state| {
            serde_json::from_str(&state).map_err(|_| StoreError::Damaged("a saved chart".into()))
        })
        .transpose()
}

/// The names of the saved charts, with when each was last saved.
pub(crate) fn chart_names(conn: &Connection) -> Result<Vec<(String, String)>, StoreError> {
    let mut stmt = conn.prepare_cached("SELECT name, updated_at FROM charts ORDER BY name")?;
    let rows = stmt.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Deletes a chart; whether there was one.
pub(crate) fn delete_chart(conn: &Connection, name: &str) -> Result<bool, StoreError> {
    Ok(conn
        .prepare_cached("DELETE FROM charts WHERE name = ?1")?
        .execute([name])?
        > 0)
}

/// Records the graph path an item was recorded from (its provenance).
pub(crate) fn insert_item_path(
    conn: &Connection,
    item: ItemId,
    path: &GraphPath,
) -> Result<(), StoreError> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO item_graph_paths (item_id, position, nominal_id, link_id)
         VALUES (?1, ?2, ?3, ?4)",
    )?;
    for (position, nominal) in path.nodes.iter().enumerate() {
        let link = position
            .checked_sub(1)
            .and_then(|hop| path.links.get(hop))
            .map(|link| link.0);
        stmt.execute(params![
            item.0,
            i64::try_from(position).unwrap_or(i64::MAX),
            nominal.0,
            link
        ])?;
    }
    Ok(())
}

/// The graph path an item was recorded from, if it was.
pub(crate) fn item_path(conn: &Connection, item: ItemId) -> Result<Option<GraphPath>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT nominal_id, link_id FROM item_graph_paths WHERE item_id = ?1 ORDER BY position",
    )?;
    let rows: Vec<(i64, Option<i64>)> = stmt
        .query_map([item.0], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect::<Result<_, _>>()?;
    if rows.is_empty() {
        return Ok(None);
    }
    Ok(Some(GraphPath {
        nodes: rows.iter().map(|(n, _)| NominalId(*n)).collect(),
        links: rows.iter().filter_map(|(_, l)| l.map(LinkId)).collect(),
    }))
}
