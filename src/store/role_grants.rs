//! SQL for signed role grants (`role_grants`) and the name key of each user.

use super::StoreError;
use crate::crypto::SigningPublicKey;
use crate::domain::{GrantKind, Role, RoleGrant, SignedGrant, UserId, user_name_key};
use rusqlite::{Connection, Row};

const COLUMNS: &str = "id, user_id, kind, role, name_key, identity_key, granted_at, granted_by, \
                       signer_key, signature, cosigned_by, cosigner_key, cosignature";

fn from_row(row: &Row<'_>) -> rusqlite::Result<Result<SignedGrant, i64>> {
    let id: i64 = row.get(0)?;
    let kind: String = row.get(2)?;
    let role: String = row.get(3)?;
    let identity: Vec<u8> = row.get(5)?;
    let signer: Vec<u8> = row.get(8)?;
    let cosigner: Option<Vec<u8>> = row.get(11)?;
    let (Some(kind), Ok(role), Ok(identity_key), Some(signer_key)) = (
        GrantKind::parse(&kind),
        role.parse::<Role>(),
        <[u8; 32]>::try_from(identity.as_slice()),
        SigningPublicKey::from_slice(&signer),
    ) else {
        // A row that does not even parse is reported by its number, like a bad signature.
        return Ok(Err(id));
    };
    let cosigner_key = match cosigner {
        None => None,
        Some(bytes) => match SigningPublicKey::from_slice(&bytes) {
            Some(key) => Some(key),
            None => return Ok(Err(id)),
        },
    };
    Ok(Ok(SignedGrant {
        grant: RoleGrant {
            id,
            user_id: UserId(row.get(1)?),
            kind,
            role,
            name_key: row.get(4)?,
            identity_key,
            granted_at_utc: row.get(6)?,
            granted_by: UserId(row.get(7)?),
            cosigned_by: row.get::<_, Option<i64>>(10)?.map(UserId),
        },
        signer_key,
        signature: row.get(9)?,
        cosigner_key,
        cosignature: row.get(12)?,
    }))
}

/// Every grant in id order; rows that do not parse are returned by id in the second list.
pub(crate) fn all(conn: &Connection) -> Result<(Vec<SignedGrant>, Vec<i64>), StoreError> {
    let mut stmt =
        conn.prepare_cached(&format!("SELECT {COLUMNS} FROM role_grants ORDER BY id"))?;
    let mut grants = Vec::new();
    let mut malformed = Vec::new();
    for row in stmt.query_map([], from_row)? {
        match row? {
            Ok(grant) => grants.push(grant),
            Err(id) => malformed.push(id),
        }
    }
    Ok((grants, malformed))
}

/// The id the next grant will get (it is part of what is signed).
pub(crate) fn next_id(conn: &Connection) -> Result<i64, StoreError> {
    Ok(conn.query_row(
        "SELECT coalesce(max(id), 0) + 1 FROM role_grants",
        [],
        |row| row.get(0),
    )?)
}

pub(crate) fn insert(conn: &Connection, signed: &SignedGrant) -> Result<(), StoreError> {
    let grant = &signed.grant;
    conn.execute(
        &format!("INSERT INTO role_grants ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"),
        rusqlite::params![
            grant.id,
            grant.user_id.0,
            grant.kind.as_str(),
            grant.role.as_str(),
            grant.name_key,
            grant.identity_key.as_slice(),
            grant.granted_at_utc,
            grant.granted_by.0,
            signed.signer_key.0.as_slice(),
            signed.signature,
            grant.cosigned_by.map(|id| id.0),
            signed.cosigner_key.map(|key| key.0.to_vec()),
            signed.cosignature,
        ],
    )?;
    Ok(())
}

/// Fills the name key of users added before keys existed (SQL cannot NFKC-normalise).
pub(crate) fn backfill_name_keys(conn: &Connection) -> Result<(), StoreError> {
    let mut stmt = conn.prepare("SELECT id, name FROM users WHERE name_key IS NULL")?;
    let missing = stmt
        .query_map([], |row| {
            Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    drop(stmt);
    for (id, name) in missing {
        conn.execute(
            "UPDATE users SET name_key = ?1 WHERE id = ?2",
            (user_name_key(&name), id),
        )?;
    }
    Ok(())
}
