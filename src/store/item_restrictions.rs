//! SQL for need-to-know restrictions: which intelligence items only named users may see.
//!
//! A restricted item is hidden from everyone not on its list: the rest of the store answers
//! queries for a viewer by leaving such items out (or, in the unfiltered log, showing only
//! their reference), so nothing of them is even read into memory for another user.

use super::StoreError;
use crate::domain::{ItemId, LinkId, UserId};
use rusqlite::{Connection, OptionalExtension};
use std::collections::HashSet;

/// SQL true for an item (`{alias}.id`) that `?{viewer}` may not see.
pub(crate) fn hidden_clause(alias: &str, viewer_param: usize) -> String {
    format!(
        "EXISTS (SELECT 1 FROM item_restrictions r WHERE r.item_id = {alias}.id AND NOT EXISTS \
         (SELECT 1 FROM item_restriction_users u WHERE u.item_id = r.item_id AND u.user_id = ?{viewer_param}))"
    )
}

/// The items `viewer` may not see.
pub(crate) fn hidden_items(
    conn: &Connection,
    viewer: UserId,
) -> Result<HashSet<ItemId>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT r.item_id FROM item_restrictions r WHERE NOT EXISTS
           (SELECT 1 FROM item_restriction_users u WHERE u.item_id = r.item_id AND u.user_id = ?1)",
    )?;
    let rows = stmt.query_map([viewer.0], |row| row.get::<_, i64>(0))?;
    Ok(rows
        .map(|id| id.map(ItemId))
        .collect::<Result<HashSet<_>, _>>()?)
}

/// The links whose only provenance is among `hidden` items: to the viewer, they do not exist.
pub(crate) fn links_only_from(
    conn: &Connection,
    hidden: &HashSet<ItemId>,
) -> Result<HashSet<LinkId>, StoreError> {
    if hidden.is_empty() {
        return Ok(HashSet::new());
    }
    let mut stmt = conn.prepare_cached(
        "SELECT link_id, item_id FROM link_provenance WHERE link_id IN
           (SELECT link_id FROM link_provenance p JOIN item_restrictions r ON r.item_id = p.item_id)
         ORDER BY link_id",
    )?;
    let mut rows = stmt.query([])?;
    let mut by_link: std::collections::HashMap<i64, bool> = std::collections::HashMap::new();
    while let Some(row) = rows.next()? {
        let link: i64 = row.get(0)?;
        let item: Option<i64> = row.get(1)?;
        let from_hidden = item.is_some_and(|id| hidden.contains(&ItemId(id)));
        let all_hidden = by_link.entry(link).or_insert(true);
        *all_hidden &= from_hidden;
    }
    Ok(by_link
        .into_iter()
        .filter_map(|(link, all_hidden)| all_hidden.then_some(LinkId(link)))
        .collect())
}

/// The users an item is restricted to (`None`: not restricted).
pub(crate) fn users_of(conn: &Connection, item: ItemId) -> Result<Option<Vec<UserId>>, StoreError> {
    let restricted: Option<i64> = conn
        .query_row(
            "SELECT item_id FROM item_restrictions WHERE item_id = ?1",
            [item.0],
            |row| row.get(0),
        )
        .optional()?;
    if restricted.is_none() {
        return Ok(None);
    }
    let mut stmt = conn.prepare_cached(
        "SELECT user_id FROM item_restriction_users WHERE item_id = ?1 ORDER BY user_id",
    )?;
    let rows = stmt.query_map([item.0], |row| row.get::<_, i64>(0))?;
    Ok(Some(
        rows.map(|id| id.map(UserId))
            .collect::<Result<Vec<_>, _>>()?,
    ))
}

/// Restricts `item` to `users` (replacing any earlier list).
pub(crate) fn restrict(
    conn: &Connection,
    item: ItemId,
    users: &[UserId],
    by: UserId,
    at_utc: &str,
) -> Result<(), StoreError> {
    conn.execute(
        "DELETE FROM item_restriction_users WHERE item_id = ?1",
        [item.0],
    )?;
    conn.execute(
        "INSERT INTO item_restrictions (item_id, restricted_at, restricted_by) VALUES (?1, ?2, ?3)
         ON CONFLICT (item_id) DO UPDATE SET restricted_at = excluded.restricted_at,
                                             restricted_by = excluded.restricted_by",
        (item.0, at_utc, by.0),
    )?;
    for user in users {
        conn.execute(
            "INSERT OR IGNORE INTO item_restriction_users (item_id, user_id) VALUES (?1, ?2)",
            (item.0, user.0),
        )?;
    }
    Ok(())
}

/// Lifts a restriction; whether there was one.
pub(crate) fn unrestrict(conn: &Connection, item: ItemId) -> Result<bool, StoreError> {
    conn.execute(
        "DELETE FROM item_restriction_users WHERE item_id = ?1",
        [item.0],
    )?;
    Ok(conn.execute("DELETE FROM item_restrictions WHERE item_id = ?1", [item.0])? > 0)
}
