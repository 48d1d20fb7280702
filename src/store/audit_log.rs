//! SQL for the hash-chained audit log, and the signature that ends each transaction's entries.
//!
//! Each committed transaction that appended entries also stores its author's Ed25519 signature
//! on the chain head it left (`audit_signatures`, keyed by that head's `seq`): one signature per
//! commit, however many entries. Verification replays the chain, checks every signature against
//! the signer's key as their role grant fixes it, and checks that every entry a signature covers
//! was written as the signer (or as the system, for failed logins ingested at a login).

use super::StoreError;
use super::store_tx::Actor;
use crate::crypto::{SigningKey, SigningPublicKey};
use crate::domain::{
    AuditEntry, AuditHash, AuditRecordBytes, GrantCheck, NewAuditEntry, UserId,
    audit_commit_statement,
};
use rayon::prelude::*;
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;

/// The newest entry: the value to note outside the system.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct AuditHead {
    /// Number of entries (the newest entry's `seq`); 0 for an empty log.
    pub seq: i64,
    /// The newest entry's hash (the genesis hash for an empty log).
    pub hash: AuditHash,
}

impl AuditHead {
    pub(crate) fn as_pair(self) -> (i64, AuditHash) {
        (self.seq, self.hash)
    }
}

/// What is wrong with the first bad entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum AuditBreakReason {
    /// Entries are missing or out of order: this position holds a different number.
    Sequence { found: i64 },
    /// The entry's stored link to its predecessor is not the predecessor's hash.
    PreviousHash,
    /// The entry's content does not hash to its stored hash: it was changed.
    Content,
    /// A field has the wrong type or size.
    Malformed(&'static str),
    /// The entry comes after the last signed head: nobody vouched for it.
    Unsigned,
    /// The signature on the head at this entry does not verify: the chain up to here was
    /// rewritten after the user signed it.
    BadSignature { signer: i64 },
    /// The head is signed with a key that is not the named user's.
    SignerKey { signer: i64 },
    /// The entry was written as one user but the transaction was signed by another.
    SignerNotAuthor { author: i64, signer: i64 },
}

impl std::fmt::Display for AuditBreakReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AuditBreakReason::Sequence { found } => {
                write!(
                    f,
                    "sequence broken (found entry number {found} in its place)"
                )
            }
            AuditBreakReason::PreviousHash => {
                f.write_str("its link to the previous entry does not match")
            }
            AuditBreakReason::Content => f.write_str("its content does not match its hash"),
            AuditBreakReason::Malformed(field) => write!(f, "field {field} is malformed"),
            AuditBreakReason::Unsigned => f.write_str(
                "it is not covered by any user's signature (added outside the workbench)",
            ),
            AuditBreakReason::BadSignature { signer } => write!(
                f,
                "user {signer}'s signature on the chain up to here does not verify: entries up to it were changed"
            ),
            AuditBreakReason::SignerKey { signer } => write!(
                f,
                "the signature claims to be user {signer}'s but is made with another key"
            ),
            AuditBreakReason::SignerNotAuthor { author, signer } => write!(
                f,
                "it is recorded as user {author}'s but was signed by user {signer}"
            ),
        }
    }
}

/// The first entry that fails verification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditBreak {
    /// The entry number (1-based position in the chain).
    pub seq: i64,
    pub reason: AuditBreakReason,
}

/// A role grant that does not verify, named for people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GrantProblemReport {
    pub grant_id: i64,
    pub user_id: i64,
    /// The user's name as the users table has it now.
    pub user_name: String,
    /// Why, in words.
    pub reason: String,
}

/// The outcome of checking the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditVerification {
    pub entries_checked: i64,
    pub head: AuditHead,
    /// `None` when every entry checks out.
    pub first_break: Option<AuditBreak>,
    /// The first entry covered by signatures; entries before it were written before signing
    /// was switched on and are protected by the hash chain alone.
    pub signed_from: i64,
    /// Signatures checked (one per transaction).
    pub signatures_checked: i64,
    /// Role grants that do not verify.
    pub grant_problems: Vec<GrantProblemReport>,
}

impl AuditVerification {
    #[must_use]
    pub fn is_intact(&self) -> bool {
        self.first_break.is_none() && self.grant_problems.is_empty()
    }
}

/// The signed-in user's signing key, held by the store so that each commit ends with a signature.
pub struct AuditSigner {
    pub user_id: UserId,
    pub key: SigningKey,
}

impl std::fmt::Debug for AuditSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuditSigner")
            .field("user_id", &self.user_id)
            .finish_non_exhaustive()
    }
}

/// Signs the range of entries a transaction wrote and the head it leaves, and stores the
/// signature in the same transaction.
pub(crate) fn sign_commit(
    conn: &Connection,
    signer: &AuditSigner,
    workbench_id: &str,
    first_seq: i64,
    (seq, hash): (i64, AuditHash),
) -> Result<(), StoreError> {
    let signature = signer
        .key
        .sign(&audit_commit_statement(workbench_id, first_seq, seq, &hash));
    conn.prepare_cached(
        "INSERT INTO audit_signatures (seq, first_seq, user_id, signer_key, signature)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute((
        seq,
        first_seq,
        signer.user_id.0,
        signer.key.public_key().0.as_slice(),
        signature.as_slice(),
    ))?;
    Ok(())
}

/// One stored signature, read back.
struct StoredSignature {
    seq: i64,
    first_seq: i64,
    user_id: i64,
    key: Option<SigningPublicKey>,
    signature: Vec<u8>,
}

fn signatures_from(conn: &Connection, from_seq: i64) -> Result<Vec<StoredSignature>, StoreError> {
    let mut stmt = conn.prepare(
        "SELECT seq, first_seq, user_id, signer_key, signature FROM audit_signatures
         WHERE seq >= ?1 ORDER BY seq",
    )?;
    let rows = stmt.query_map([from_seq], |row| {
        let key: Vec<u8> = row.get(3)?;
        Ok(StoredSignature {
            seq: row.get(0)?,
            first_seq: row.get(1)?,
            user_id: row.get(2)?,
            key: SigningPublicKey::from_slice(&key),
            signature: row.get(4)?,
        })
    })?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

/// What verification needs beyond the chain: whose keys are whose, and from where entries are
/// signed (`None`: a workbench from before signatures, not yet adopted).
pub(crate) struct SignatureContext<'a> {
    pub workbench_id: &'a str,
    pub grants: &'a GrantCheck,
    pub signed_from: Option<i64>,
}

pub(crate) fn head(conn: &Connection, genesis: &AuditHash) -> Result<AuditHead, StoreError> {
    let row: Option<(i64, Vec<u8>)> = conn
        .query_row(
            "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1",
            [],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .optional()?;
    match row {
        None => Ok(AuditHead {
            seq: 0,
            hash: *genesis,
        }),
        Some((seq, bytes)) => Ok(AuditHead {
            seq,
            hash: AuditHash::from_slice(&bytes)
                .ok_or_else(|| StoreError::Damaged("audit chain head malformed".into()))?,
        }),
    }
}

pub(crate) fn append(
    conn: &Connection,
    (prev_seq, prev_hash): (i64, AuditHash),
    actor: &Actor,
    at_utc: &str,
    entry: NewAuditEntry,
) -> Result<(i64, AuditHash), StoreError> {
    let NewAuditEntry {
        action,
        object,
        detail,
    } = entry;
    let seq = prev_seq + 1;
    let action = action.as_str();
    let record = AuditRecordBytes {
        seq,
        at_utc: at_utc.as_bytes(),
        user_id: actor.user_id.map(|id| id.0),
        user_name: actor.user_name.as_bytes(),
        action: action.as_bytes(),
        object: object.as_bytes(),
        justification: actor.justification.as_bytes(),
        detail: detail.as_bytes(),
    };
    let hash = record.chain_hash(&prev_hash);
    let mut stmt = conn.prepare_cached(
        "INSERT INTO audit_log
           (seq, at_utc, user_id, user_name, action, object, justification, detail, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?;
    stmt.execute((
        seq,
        at_utc,
        record.user_id,
        &actor.user_name,
        action,
        &object,
        &actor.justification,
        &detail,
        prev_hash.0.as_slice(),
        hash.0.as_slice(),
    ))?;
    Ok((seq, hash))
}

const SELECT_ENTRY: &str = "SELECT seq, at_utc, user_id, user_name, action, object, justification, \
                            detail, prev_hash, hash FROM audit_log";

/// Reads raw column bytes so a tampered, no-longer-UTF-8 field is still hashed as stored.
fn bytes_of<'a>(value: ValueRef<'a>, field: &'static str) -> Result<&'a [u8], AuditBreakReason> {
    match value {
        ValueRef::Text(bytes) | ValueRef::Blob(bytes) => Ok(bytes),
        _ => Err(AuditBreakReason::Malformed(field)),
    }
}

pub(crate) fn verify(
    conn: &Connection,
    genesis: &AuditHash,
    context: &SignatureContext<'_>,
) -> Result<AuditVerification, StoreError> {
    let signed_from = context.signed_from.unwrap_or(i64::MAX);
    let signatures = if context.signed_from.is_some() {
        signatures_from(conn, signed_from)?
    } else {
        Vec::new()
    };
    let mut pending_signatures = signatures.iter().peekable();
    let mut span = SignedSpan::default();
    let mut to_verify: Vec<PendingSignature<'_>> = Vec::new();
    let mut signature_break: Option<AuditBreak> = None;
    let mut stmt = conn.prepare(&format!("{SELECT_ENTRY} ORDER BY seq"))?;
    let mut rows = stmt.query([])?;
    let mut expected_prev = *genesis;
    let mut expected_seq: i64 = 1;
    let mut first_break = None;
    while let Some(row) = rows.next()? {
        match check_entry(row, expected_seq, &expected_prev) {
            Ok((hash, author)) => {
                if expected_seq >= signed_from {
                    span.note_author(expected_seq, author);
                    while pending_signatures
                        .peek()
                        .is_some_and(|sig| sig.seq < expected_seq)
                    {
                        // A signature on an entry that is not there: the entries it covered
                        // were removed, which the chain or the next signature reports.
                        pending_signatures.next();
                    }
                    if let Some(sig) = pending_signatures.next_if(|sig| sig.seq == expected_seq) {
                        let problem = span.close(sig, expected_seq, context.grants);
                        if signature_break.is_none() {
                            signature_break = problem;
                        }
                        if let Some(key) = sig.key {
                            to_verify.push((
                                expected_seq,
                                audit_commit_statement(
                                    context.workbench_id,
                                    sig.first_seq,
                                    expected_seq,
                                    &hash,
                                ),
                                key,
                                &sig.signature,
                                sig.user_id,
                            ));
                        }
                    }
                }
                expected_prev = hash;
                expected_seq += 1;
            }
            Err(reason) => {
                first_break = Some(AuditBreak {
                    seq: expected_seq,
                    reason,
                });
                break;
            }
        }
    }
    drop(rows);
    drop(stmt);
    let last_seq = expected_seq - 1;
    if first_break.is_none() && signature_break.is_none() && span.open_since.is_some() {
        signature_break = span.open_since.map(|seq| AuditBreak {
            seq,
            reason: AuditBreakReason::Unsigned,
        });
    }
    let bad_signature = to_verify
        .par_iter()
        .find_first(|(_, statement, key, signature, _)| !key.verifies(statement, signature))
        .map(|(seq, _, _, _, signer)| AuditBreak {
            seq: *seq,
            reason: AuditBreakReason::BadSignature { signer: *signer },
        });
    let first_break = [first_break, signature_break, bad_signature]
        .into_iter()
        .flatten()
        .min_by_key(|b| b.seq);
    Ok(AuditVerification {
        entries_checked: last_seq,
        head: head(conn, genesis)?,
        first_break,
        signed_from: context.signed_from.unwrap_or(last_seq + 1),
        signatures_checked: i64::try_from(to_verify.len()).unwrap_or(i64::MAX),
        grant_problems: Vec::new(),
    })
}

/// A signature to verify once the chain is read: (head seq, statement, key, signature, signer).
type PendingSignature<'a> = (i64, Vec<u8>, SigningPublicKey, &'a [u8], i64);

/// The entries since the last signature: who wrote them, and where the span began.
#[derive(Default)]
struct SignedSpan {
    authors: Vec<i64>,
    open_since: Option<i64>,
}

impl SignedSpan {
    fn note_author(&mut self, seq: i64, author: Option<i64>) {
        if self.open_since.is_none() {
            self.open_since = Some(seq);
        }
        if let Some(author) = author
            && !self.authors.contains(&author)
        {
            self.authors.push(author);
        }
    }

    /// Ends the span at a signature: the signer must be its author and hold the key.
    fn close(
        &mut self,
        sig: &StoredSignature,
        seq: i64,
        grants: &GrantCheck,
    ) -> Option<AuditBreak> {
        let at = |reason| Some(AuditBreak { seq, reason });
        let problem = if let Some(first) = self.open_since.filter(|first| *first < sig.first_seq) {
            // Entries before the range the signer wrote: nobody signed them.
            Some(AuditBreak {
                seq: first,
                reason: AuditBreakReason::Unsigned,
            })
        } else if let Some(author) = self.authors.iter().find(|a| **a != sig.user_id) {
            at(AuditBreakReason::SignerNotAuthor {
                author: *author,
                signer: sig.user_id,
            })
        } else if !sig
            .key
            .is_some_and(|key| grants.key_is_users(UserId(sig.user_id), &key))
        {
            at(AuditBreakReason::SignerKey {
                signer: sig.user_id,
            })
        } else {
            None
        };
        self.authors.clear();
        self.open_since = None;
        problem
    }
}

/// Checks one entry's number, link and content; returns its hash and author.
fn check_entry(
    row: &rusqlite::Row<'_>,
    expected_seq: i64,
    expected_prev: &AuditHash,
) -> Result<(AuditHash, Option<i64>), AuditBreakReason> {
    let Ok(ValueRef::Integer(seq)) = row.get_ref(0) else {
        return Err(AuditBreakReason::Malformed("seq"));
    };
    if seq != expected_seq {
        return Err(AuditBreakReason::Sequence { found: seq });
    }
    let field = |index: usize, name: &'static str| {
        row.get_ref(index)
            .map_err(|_| AuditBreakReason::Malformed(name))
            .and_then(|value| bytes_of(value, name))
    };
    let user_id = match row.get_ref(2) {
        Ok(ValueRef::Null) => None,
        Ok(ValueRef::Integer(id)) => Some(id),
        _ => return Err(AuditBreakReason::Malformed("user_id")),
    };
    let record = AuditRecordBytes {
        seq,
        at_utc: field(1, "at_utc")?,
        user_id,
        user_name: field(3, "user_name")?,
        action: field(4, "action")?,
        object: field(5, "object")?,
        justification: field(6, "justification")?,
        detail: field(7, "detail")?,
    };
    let prev = AuditHash::from_slice(field(8, "prev_hash")?)
        .ok_or(AuditBreakReason::Malformed("prev_hash"))?;
    let stored =
        AuditHash::from_slice(field(9, "hash")?).ok_or(AuditBreakReason::Malformed("hash"))?;
    if prev != *expected_prev {
        return Err(AuditBreakReason::PreviousHash);
    }
    if record.chain_hash(&prev) != stored {
        return Err(AuditBreakReason::Content);
    }
    Ok((stored, user_id))
}

/// Whether the chain holds entry `seq` with hash `hash` (what a noted or exported head says).
pub(crate) fn contains(conn: &Connection, seq: i64, hash: &AuditHash) -> Result<bool, StoreError> {
    let stored: Option<Vec<u8>> = conn
        .query_row("SELECT hash FROM audit_log WHERE seq = ?1", [seq], |row| {
            row.get(0)
        })
        .optional()?;
    Ok(stored.is_some_and(|bytes| bytes.as_slice() == hash.0.as_slice()))
}

pub(crate) fn entries(
    conn: &Connection,
    first_seq: i64,
    count: usize,
) -> Result<Vec<AuditEntry>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!(
        "{SELECT_ENTRY} WHERE seq >= ?1 ORDER BY seq LIMIT ?2"
    ))?;
    let limit = i64::try_from(count).unwrap_or(i64::MAX);
    let rows = stmt.query_map((first_seq, limit), |row| {
        let prev: Vec<u8> = row.get(8)?;
        let hash: Vec<u8> = row.get(9)?;
        Ok(AuditEntry {
            seq: row.get(0)?,
            at_utc: text_lossy(row.get_ref(1)?),
            user_id: row.get(2)?,
            user_name: text_lossy(row.get_ref(3)?),
            action: text_lossy(row.get_ref(4)?),
            object: text_lossy(row.get_ref(5)?),
            justification: text_lossy(row.get_ref(6)?),
            detail: text_lossy(row.get_ref(7)?),
            prev_hash: AuditHash::from_slice(&prev).unwrap_or(AuditHash([0; 32])),
            hash: AuditHash::from_slice(&hash).unwrap_or(AuditHash([0; 32])),
        })
    })?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

/// Shows a damaged field as best it can rather than refusing to show the log at all; verification
/// is what reports the damage.
fn text_lossy(value: ValueRef<'_>) -> String {
    match value {
        ValueRef::Text(bytes) | ValueRef::Blob(bytes) => {
            String::from_utf8_lossy(bytes).into_owned()
        }
        ValueRef::Integer(i) => i.to_string(),
        ValueRef::Real(r) => r.to_string(),
        ValueRef::Null => String::new(),
    }
}
