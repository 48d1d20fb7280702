//! SQL for links and their provenance.

use super::{StoreError, now_utc_rfc3339};
use crate::domain::{ImportId, ItemId, Link, LinkFields, LinkId, NominalId, Provenance, UserId};
use rusqlite::{Connection, OptionalExtension, params};

/// What a provenance entry points at, resolved to ids.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResolvedSource {
    Item(ItemId),
    Import(ImportId),
}

fn live_nominal(conn: &Connection, id: NominalId) -> Result<(), StoreError> {
    let merged: Option<Option<i64>> = conn
        .prepare_cached("SELECT merged_into FROM nominals WHERE id = ?1")?
        .query_row([id.0], |row| row.get(0))
        .optional()?;
    match merged {
        None => Err(StoreError::Missing("a linked nominal does not exist")),
        Some(Some(_)) => Err(StoreError::Missing(
            "a linked nominal was merged into another; link the one it was merged into",
        )),
        Some(None) => Ok(()),
    }
}

/// Resolves provenance to ids; every source must exist.
pub(crate) fn resolve(
    conn: &Connection,
    provenance: &[Provenance],
) -> Result<Vec<ResolvedSource>, StoreError> {
    let mut resolved = Vec::with_capacity(provenance.len());
    for source in provenance {
        match source {
            Provenance::IntelItem { reference } => {
                let id: Option<i64> = conn
                    .prepare_cached("SELECT id FROM intel_items WHERE reference = ?1")?
                    .query_row([reference.trim().to_uppercase()], |row| row.get(0))
                    .optional()?;
                resolved.push(ResolvedSource::Item(ItemId(id.ok_or(
                    StoreError::Missing("a provenance item reference does not exist"),
                )?)));
            }
            Provenance::Import { import_id } => {
                let exists: Option<i64> = conn
                    .prepare_cached("SELECT id FROM imports WHERE id = ?1")?
                    .query_row([import_id.0], |row| row.get(0))
                    .optional()?;
                exists.ok_or(StoreError::Missing("a provenance import does not exist"))?;
                resolved.push(ResolvedSource::Import(*import_id));
            }
        }
    }
    Ok(resolved)
}

/// Inserts a link with its provenance (already validated as non-empty).
pub(crate) fn insert(
    conn: &Connection,
    fields: &LinkFields,
    directed: bool,
    reference_version: u32,
    by: UserId,
) -> Result<LinkId, StoreError> {
    live_nominal(conn, fields.from)?;
    live_nominal(conn, fields.to)?;
    let sources = resolve(conn, &fields.provenance)?;
    if sources.is_empty() {
        return Err(StoreError::Missing("a link needs provenance"));
    }
    insert_resolved(conn, fields, directed, reference_version, by, &sources)
}

/// Inserts a link whose nominals and sources are known to exist (the bulk path).
pub(crate) fn insert_resolved(
    conn: &Connection,
    fields: &LinkFields,
    directed: bool,
    reference_version: u32,
    by: UserId,
    sources: &[ResolvedSource],
) -> Result<LinkId, StoreError> {
    conn.prepare_cached(
        "INSERT INTO links (link_type, from_id, to_id, directed, valid_from, valid_to, confidence,
            reference_version, created_at, created_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(params![
        fields.link_type,
        fields.from.0,
        fields.to.0,
        i64::from(directed),
        fields.valid_from.map(|d| d.to_string()),
        fields.valid_to.map(|d| d.to_string()),
        fields.confidence,
        reference_version,
        now_utc_rfc3339(),
        by.0,
    ])?;
    let id = LinkId(conn.last_insert_rowid());
    let mut provenance = conn.prepare_cached(
        "INSERT INTO link_provenance (link_id, item_id, import_id) VALUES (?1, ?2, ?3)",
    )?;
    for source in sources {
        let (item, import) = match source {
            ResolvedSource::Item(id) => (Some(id.0), None),
            ResolvedSource::Import(id) => (None, Some(id.0)),
        };
        provenance.execute(params![id.0, item, import])?;
    }
    Ok(id)
}

/// The link already recorded with the same type and dates between the same two nominals
/// (either way round when the type is undirected), if any.
pub(crate) fn find_same(
    conn: &Connection,
    fields: &LinkFields,
    directed: bool,
) -> Result<Option<LinkId>, StoreError> {
    Ok(conn
        .prepare_cached(
            "SELECT id FROM links
             WHERE link_type = ?1 AND valid_from IS ?4 AND valid_to IS ?5
               AND ((from_id = ?2 AND to_id = ?3) OR (?6 = 0 AND from_id = ?3 AND to_id = ?2))
             ORDER BY id LIMIT 1",
        )?
        .query_row(
            params![
                fields.link_type,
                fields.from.0,
                fields.to.0,
                fields.valid_from.map(|d| d.to_string()),
                fields.valid_to.map(|d| d.to_string()),
                i64::from(directed),
            ],
            |row| row.get(0),
        )
        .optional()?
        .map(LinkId))
}

/// Adds an import to a link's provenance, once: a second source that says the same thing.
pub(crate) fn add_import_source(
    conn: &Connection,
    link: LinkId,
    import: ImportId,
) -> Result<(), StoreError> {
    conn.prepare_cached(
        "INSERT INTO link_provenance (link_id, import_id)
         SELECT ?1, ?2 WHERE NOT EXISTS
             (SELECT 1 FROM link_provenance WHERE link_id = ?1 AND import_id = ?2)",
    )?
    .execute(params![link.0, import.0])?;
    Ok(())
}

fn provenance_of(conn: &Connection, link: LinkId) -> Result<Vec<Provenance>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT i.reference, p.import_id FROM link_provenance p
         LEFT JOIN intel_items i ON i.id = p.item_id WHERE p.link_id = ?1 ORDER BY p.rowid",
    )?;
    let rows = stmt.query_map([link.0], |row| {
        let reference: Option<String> = row.get(0)?;
        let import: Option<i64> = row.get(1)?;
        Ok(match (reference, import) {
            (Some(reference), _) => Provenance::IntelItem { reference },
            (None, Some(id)) => Provenance::Import {
                import_id: ImportId(id),
            },
            (None, None) => Provenance::Import {
                import_id: ImportId(0),
            },
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Every link touching a nominal.
pub(crate) fn for_nominal(conn: &Connection, nominal: NominalId) -> Result<Vec<Link>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, link_type, from_id, to_id, directed, valid_from, valid_to, confidence,
                created_at, created_by
         FROM links WHERE from_id = ?1 OR to_id = ?1 ORDER BY id",
    )?;
    let rows = stmt.query_map([nominal.0], link_from_row)?;
    let mut links: Vec<Link> = rows.collect::<Result<_, _>>()?;
    for link in &mut links {
        link.fields.provenance = provenance_of(conn, link.id)?;
    }
    Ok(links)
}

/// Every link between two live (unmerged) nominals, by id, without their sources (an export
/// of the network names what is linked, not the intelligence behind it).
pub(crate) fn between_live(conn: &Connection) -> Result<Vec<Link>, StoreError> {
    let mut stmt = conn.prepare(
        "SELECT l.id, l.link_type, l.from_id, l.to_id, l.directed, l.valid_from, l.valid_to,
                l.confidence, l.created_at, l.created_by
         FROM links l
         JOIN nominals a ON a.id = l.from_id AND a.merged_into IS NULL
         JOIN nominals b ON b.id = l.to_id AND b.merged_into IS NULL
         ORDER BY l.id",
    )?;
    let rows = stmt.query_map([], link_from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn link_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Link> {
    let date = |index: usize| -> rusqlite::Result<Option<crate::domain::IsoDate>> {
        row.get::<_, Option<String>>(index)?
            .map(|text| {
                text.parse().map_err(|_| {
                    rusqlite::Error::FromSqlConversionFailure(
                        index,
                        rusqlite::types::Type::Text,
                        "malformed date".into(),
                    )
                })
            })
            .transpose()
    };
    Ok(Link {
        id: LinkId(row.get(0)?),
        fields: LinkFields {
            link_type: row.get(1)?,
            from: NominalId(row.get(2)?),
            to: NominalId(row.get(3)?),
            valid_from: date(5)?,
            valid_to: date(6)?,
            confidence: row.get(7)?,
            provenance: Vec::new(),
        },
        directed: row.get::<_, i64>(4)? == 1,
        created_at_utc: row.get(8)?,
        created_by: UserId(row.get(9)?),
    })
}
