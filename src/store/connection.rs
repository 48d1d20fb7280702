//! Opening the `SQLCipher` store: key first, then the pragmas, then the schema check.

use super::audit_log::{self, AuditHead, AuditSigner, AuditVerification, GrantProblemReport};
use super::migrations::{self, SCHEMA_VERSION};
use super::role_grants;
use super::store_tx::{Actor, StoreTx};
use super::users::{self, StoredUser};
use super::{StoreError, now_utc_rfc3339};
use crate::crypto::{MasterKey, SigningKey, SigningPublicKey};
use crate::domain::{
    AuditEntry, AuditHash, GrantCheck, GrantProblem, SignedGrant, UserId, check_grants,
    genesis_hash, genesis_hash_signed,
};
use rusqlite::{Connection, OpenFlags, TransactionBehavior};
use std::path::Path;
use std::time::Duration;
use zeroize::Zeroizing;

/// An open, keyed store. Dropping it closes the connection, which drops `SQLCipher`'s copy of the
/// key and its page cache (plaintext pages) from memory.
pub struct Store {
    conn: Connection,
    workbench_id: String,
    /// The first entry's `prev_hash`: bound to the workbench id and, for a workbench made since
    /// entries are signed, to the first inspector's signing key.
    genesis: AuditHash,
    /// The signed-in user's signing key: every commit that appends entries ends with their
    /// signature. `None` until a session is established.
    signer: Option<AuditSigner>,
    /// Counts committed transactions that changed nominals or links, so a session can keep a
    /// loaded link graph until the data under it changes.
    graph_generation: u64,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").finish_non_exhaustive()
    }
}

/// Settings every connection gets right after the key. None of them writes to the file, so they
/// are safe before the schema version is checked.
///
/// - `temp_store = MEMORY`: sorts and temporary tables never touch disk unencrypted.
/// - `mmap_size = 0`: memory-mapped I/O with page encryption has corrupted other codecs' files.
/// - `secure_delete = ON`: deleted content is overwritten inside the (encrypted) pages, so it is
///   not recoverable even by a later holder of the key.
/// - `cache_size = -131072` (128 MiB): every page read from disk is also decrypted and checked,
///   so a page cache sized for the full-text index and the log's indexes saves both; SQLite's
///   default (2 MiB) made searches and bulk loads several times slower on a million items.
///   The cache holds plaintext and is freed when the workbench locks.
const CONNECTION_PRAGMAS: &str = "
PRAGMA temp_store = MEMORY;
PRAGMA mmap_size = 0;
PRAGMA foreign_keys = ON;
PRAGMA secure_delete = ON;
PRAGMA cache_size = -131072;
";

/// Settings applied once the store is known to be one this build may write, since switching the
/// journal mode writes the file header.
///
/// - `journal_mode = WAL`: the WAL holds encrypted pages like the main file; readers (a background
///   verify) do not block the writer; commits need fewer fsyncs than a rollback journal.
/// - `synchronous = FULL`: a commit (and the audit entry inside it) survives power loss.
const WRITER_PRAGMAS: &str = "
PRAGMA journal_mode = WAL;
PRAGMA synchronous = FULL;
";

/// How many times a connection is keyed before `PRAGMA key` failing is reported.
///
/// `SQLCipher` has been seen (once in about twenty runs of the GUI tests, where several
/// workbenches are created, opened and closed on different threads of one process) to refuse
/// `PRAGMA key` on a brand-new connection with "An error occurred with PRAGMA key or rekey". The
/// key is not at fault at that point (a wrong key is only detected by the first read, below): a
/// fresh connection keyed again a moment later succeeds. So keying is retried on a new connection
/// a few times before the error goes to the user.
const KEYING_ATTEMPTS: u32 = 4;

fn open_and_key(path: &Path, key: &MasterKey, create: bool) -> Result<Connection, StoreError> {
    let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    if create {
        flags |= OpenFlags::SQLITE_OPEN_CREATE;
    }
    let conn = Connection::open_with_flags(path, flags).map_err(|e| {
        if path.exists() {
            StoreError::from_sql_on_open(e)
        } else {
            StoreError::Damaged("store.db is missing".into())
        }
    })?;
    // Silence SQLCipher's own logging (it writes HMAC failures to stderr) before keying.
    conn.execute_batch("PRAGMA cipher_log_level = NONE;")?;
    let raw_key = key.sqlcipher_raw_key();
    let mut statement = Zeroizing::new(String::with_capacity(raw_key.len() + 20));
    statement.push_str("PRAGMA key = \"");
    statement.push_str(&raw_key);
    statement.push_str("\";");
    conn.execute_batch(&statement)?;
    Ok(conn)
}

fn keyed_connection(path: &Path, key: &MasterKey, create: bool) -> Result<Connection, StoreError> {
    let mut attempt = 1;
    let conn = loop {
        match open_and_key(path, key, create) {
            Ok(conn) => break conn,
            Err(StoreError::Sql(err)) if attempt < KEYING_ATTEMPTS => {
                tracing::warn!(
                    attempt,
                    "keying the store connection failed ({err}); retrying"
                );
                std::thread::sleep(Duration::from_millis(u64::from(attempt) * 25));
                attempt += 1;
            }
            Err(err) => return Err(err),
        }
    };
    // SQLCipher reports a wrong key (or a damaged first page) only on the first read.
    conn.query_row("SELECT count(*) FROM sqlite_master", [], |row| {
        row.get::<_, i64>(0)
    })
    .map_err(StoreError::from_sql_on_open)?;
    conn.execute_batch(CONNECTION_PRAGMAS)
        .map_err(StoreError::from_sql_on_open)?;
    conn.busy_timeout(Duration::from_secs(10))?;
    Ok(conn)
}

impl Store {
    /// Creates a new store at `path` (which must not exist), applies the schema and records the
    /// workbench's id and the audit inbox secret.
    ///
    /// # Errors
    /// [`StoreError::AlreadyExists`]; SQL errors.
    pub fn create(
        path: &Path,
        key: &MasterKey,
        workbench_id: &str,
        audit_inbox_secret: &[u8; 32],
        root_signing_key: &SigningPublicKey,
    ) -> Result<Self, StoreError> {
        if path.exists() {
            return Err(StoreError::AlreadyExists);
        }
        let mut conn = keyed_connection(path, key, true)?;
        // Created by SQLite with the process's default mode; made the owner's only before
        // anything is written (SQLite gives the WAL and its index the same mode).
        super::layout::make_private(path)?;
        conn.execute_batch(WRITER_PRAGMAS)?;
        migrations::migrate(&mut conn)?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let inbox_hex = Zeroizing::new(hex::encode(audit_inbox_secret));
        for (k, v) in [
            ("workbench_id", workbench_id),
            ("created_at", now_utc_rfc3339().as_str()),
            ("audit_inbox_secret", inbox_hex.as_str()),
            ("key_epoch", &key.epoch().0.to_string()),
            ("root_signing_key", &root_signing_key.to_hex()),
            ("signed_from_seq", "1"),
            ("genesis", "signed"),
        ] {
            tx.execute(
                "INSERT INTO workbench_meta (key, value) VALUES (?1, ?2)",
                (k, v),
            )?;
        }
        tx.commit()?;
        Ok(Self {
            conn,
            workbench_id: workbench_id.to_owned(),
            genesis: genesis_hash_signed(workbench_id, &root_signing_key.0),
            signer: None,
            graph_generation: 0,
        })
    }

    /// Opens an existing store. Refuses (without writing anything) a store from a newer build or
    /// one with no schema; applies pending migrations to an older one.
    ///
    /// # Errors
    /// [`StoreError::Damaged`] when the key does not open it or the file is damaged;
    /// [`StoreError::NewerVersion`]; SQL errors.
    pub fn open(path: &Path, key: &MasterKey) -> Result<Self, StoreError> {
        let mut conn = keyed_connection(path, key, false)?;
        let version = migrations::schema_version(&conn).map_err(|e| match e {
            StoreError::Sql(sql) => StoreError::from_sql_on_open(sql),
            other => other,
        })?;
        if version == 0 {
            return Err(StoreError::Damaged(
                "store.db holds no workbench schema".into(),
            ));
        }
        migrations::refuse_newer(version)?;
        check_not_truncated(&conn, path)?;
        conn.execute_batch(WRITER_PRAGMAS)
            .map_err(StoreError::from_sql_on_open)?;
        if version < SCHEMA_VERSION {
            migrations::migrate(&mut conn)?;
        }
        let workbench_id: String = conn
            .query_row(
                "SELECT value FROM workbench_meta WHERE key = 'workbench_id'",
                [],
                |row| row.get(0),
            )
            .map_err(StoreError::from_sql_on_open)?;
        role_grants::backfill_name_keys(&conn)?;
        let mut store = Self {
            conn,
            genesis: genesis_hash(&workbench_id),
            workbench_id,
            signer: None,
            graph_generation: 0,
        };
        if store.meta("genesis")?.as_deref() == Some("signed") {
            let root = store.root_signing_key()?.ok_or_else(|| {
                StoreError::Damaged("the workbench's root signing key is missing".into())
            })?;
            store.genesis = genesis_hash_signed(&store.workbench_id, &root.0);
        }
        Ok(store)
    }

    /// Signs every later commit as `user_id` with `key` (set once the user is known at unlock).
    pub fn set_signer(&mut self, user_id: UserId, key: SigningKey) {
        self.signer = Some(AuditSigner { user_id, key });
    }

    /// The first inspector's signing key, the root of every role grant (`None` for a workbench
    /// made before entries were signed, until an inspector unlocks it).
    ///
    /// # Errors
    /// [`StoreError::Damaged`] if it is malformed; SQL errors.
    pub fn root_signing_key(&self) -> Result<Option<SigningPublicKey>, StoreError> {
        self.meta("root_signing_key")?
            .map(|text| {
                hex::decode(text)
                    .ok()
                    .and_then(|bytes| SigningPublicKey::from_slice(&bytes))
                    .ok_or_else(|| StoreError::Damaged("the root signing key is malformed".into()))
            })
            .transpose()
    }

    /// The first entry covered by signatures (`None` before signing is switched on).
    ///
    /// # Errors
    /// SQL errors.
    pub fn signed_from_seq(&self) -> Result<Option<i64>, StoreError> {
        Ok(self
            .meta("signed_from_seq")?
            .and_then(|text| text.parse::<i64>().ok()))
    }

    /// Every role grant, in order, and the ids of rows that do not parse.
    ///
    /// # Errors
    /// SQL errors.
    pub fn all_grants(&self) -> Result<(Vec<SignedGrant>, Vec<i64>), StoreError> {
        role_grants::all(&self.conn)
    }

    /// Replays every role grant from the root (an empty check, with no problems, before signing
    /// is switched on). Rows that do not parse are reported as bad signatures.
    ///
    /// # Errors
    /// SQL errors.
    pub fn grant_check(&self) -> Result<GrantCheck, StoreError> {
        let Some(root) = self.root_signing_key()? else {
            return Ok(GrantCheck::default());
        };
        let (grants, malformed) = self.all_grants()?;
        let mut check = check_grants(&self.workbench_id, &root, &grants);
        let users = self.all_users()?;
        for id in malformed {
            check.problems.push(GrantProblem {
                grant_id: id,
                user_id: UserId(0),
                reason: crate::domain::GrantProblemReason::BadSignature,
            });
        }
        // A user the table lists as active with no standing grant was added outside the
        // workbench (or their grant was removed).
        for stored in users {
            let id = stored.user.id;
            let reason = match check.current.get(&id) {
                None if stored.user.is_active() => {
                    Some(crate::domain::GrantProblemReason::NoSuchAccount)
                }
                None => None,
                Some(grant) => {
                    let removed = grant.kind == crate::domain::GrantKind::Removed;
                    (removed == stored.user.is_active()
                        || (!removed && grant.role != stored.user.role))
                        .then_some(crate::domain::GrantProblemReason::TableDisagrees)
                }
            };
            if let Some(reason) = reason {
                check.problems.push(GrantProblem {
                    grant_id: check.current.get(&id).map_or(0, |g| g.id),
                    user_id: id,
                    reason,
                });
            }
        }
        Ok(check)
    }

    /// Whether the chain holds entry `seq` with `hash`.
    ///
    /// # Errors
    /// SQL errors.
    pub fn audit_contains(&self, seq: i64, hash: &AuditHash) -> Result<bool, StoreError> {
        audit_log::contains(&self.conn, seq, hash)
    }

    /// The workbench's random id (binds the audit chain to this workbench).
    #[must_use]
    pub fn workbench_id(&self) -> &str {
        &self.workbench_id
    }

    /// Runs `work` in one immediate (write-locked) transaction: it all commits, or none of it
    /// does. Audit entries added through the [`StoreTx`] commit with the change they record.
    ///
    /// # Errors
    /// Whatever `work` returns, or SQL errors from begin and commit.
    pub fn write<T, E>(
        &mut self,
        actor: &Actor,
        work: impl FnOnce(&mut StoreTx<'_>) -> Result<T, E>,
    ) -> Result<T, E>
    where
        E: From<StoreError>,
    {
        let mut store_tx = self.begin(actor)?;
        let value = work(&mut store_tx)?;
        if store_tx.commit()? {
            self.graph_generation += 1;
        }
        Ok(value)
    }

    /// Runs `work` in a write transaction that is always rolled back: a dry run sees exactly
    /// what a real run would do, and leaves nothing behind.
    ///
    /// # Errors
    /// Whatever `work` returns, or SQL errors from begin.
    pub fn rehearse<T, E>(
        &mut self,
        actor: &Actor,
        work: impl FnOnce(&mut StoreTx<'_>) -> Result<T, E>,
    ) -> Result<T, E>
    where
        E: From<StoreError>,
    {
        let mut store_tx = self.begin(actor)?;
        // Dropped without commit: rolled back.
        work(&mut store_tx)
    }

    /// Begins an immediate (write-locked) transaction acting as `actor`.
    fn begin(&mut self, actor: &Actor) -> Result<StoreTx<'_>, StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        Ok(StoreTx::new(
            tx,
            actor,
            self.genesis,
            self.signer.as_ref(),
            &self.workbench_id,
        ))
    }

    /// Changes whenever a committed transaction changed nominals or links.
    #[must_use]
    pub fn graph_generation(&self) -> u64 {
        self.graph_generation
    }

    /// Read queries on the store.
    #[must_use]
    pub fn reader(&self) -> super::StoreReader<'_> {
        super::StoreReader::new(&self.conn)
    }

    /// Refreshes the query planner's statistics (after bulk loads: a plan chosen on an empty
    /// table can be a hundred times slower on a full one).
    ///
    /// # Errors
    /// SQL errors.
    pub fn analyze(&self) -> Result<(), StoreError> {
        self.conn.execute_batch("ANALYZE;")?;
        Ok(())
    }

    /// A value from `workbench_meta`.
    ///
    /// # Errors
    /// SQL errors.
    pub fn meta(&self, key: &str) -> Result<Option<String>, StoreError> {
        use rusqlite::OptionalExtension;
        Ok(self
            .conn
            .query_row(
                "SELECT value FROM workbench_meta WHERE key = ?1",
                [key],
                |row| row.get(0),
            )
            .optional()?)
    }

    /// The audit inbox secret key, to open failed-login records.
    ///
    /// # Errors
    /// [`StoreError::Damaged`] if it is missing or malformed.
    pub fn audit_inbox_secret(&self) -> Result<Zeroizing<[u8; 32]>, StoreError> {
        let hex_text = Zeroizing::new(
            self.meta("audit_inbox_secret")?
                .ok_or_else(|| StoreError::Damaged("no audit inbox key".into()))?,
        );
        let mut bytes = Zeroizing::new([0u8; 32]);
        hex::decode_to_slice(hex_text.as_bytes(), bytes.as_mut())
            .map_err(|_| StoreError::Damaged("audit inbox key malformed".into()))?;
        Ok(bytes)
    }

    /// The active user who owns `slot_id`, if any.
    ///
    /// # Errors
    /// SQL errors.
    pub fn active_user_by_slot(
        &self,
        slot_id: crate::crypto::SlotId,
    ) -> Result<Option<StoredUser>, StoreError> {
        users::active_by_slot(&self.conn, slot_id)
    }

    /// Every user, active and removed, in id order.
    ///
    /// # Errors
    /// SQL errors.
    pub fn all_users(&self) -> Result<Vec<StoredUser>, StoreError> {
        users::all(&self.conn)
    }

    /// The newest audit entry's position and hash.
    ///
    /// # Errors
    /// SQL errors.
    pub fn audit_head(&self) -> Result<AuditHead, StoreError> {
        audit_log::head(&self.conn, &self.genesis)
    }

    /// Checks the whole audit chain.
    ///
    /// # Errors
    /// SQL errors (a broken chain is a result, not an error).
    pub fn verify_audit_log(&self) -> Result<AuditVerification, StoreError> {
        let grants = self.grant_check()?;
        let context = audit_log::SignatureContext {
            workbench_id: &self.workbench_id,
            grants: &grants,
            signed_from: self.signed_from_seq()?,
        };
        let mut verification = audit_log::verify(&self.conn, &self.genesis, &context)?;
        let users = self.all_users()?;
        verification.grant_problems = grants
            .problems
            .iter()
            .map(|problem| GrantProblemReport {
                grant_id: problem.grant_id,
                user_id: problem.user_id.0,
                user_name: users
                    .iter()
                    .find(|u| u.user.id == problem.user_id)
                    .map_or_else(String::new, |u| u.user.name.clone()),
                reason: problem.reason.to_string(),
            })
            .collect();
        Ok(verification)
    }

    /// Audit entries with `seq` in `first..first + count`.
    ///
    /// # Errors
    /// SQL errors.
    pub fn audit_entries(
        &self,
        first_seq: i64,
        count: usize,
    ) -> Result<Vec<AuditEntry>, StoreError> {
        audit_log::entries(&self.conn, first_seq, count)
    }

    /// Re-encrypts every page under `new_key` (`PRAGMA rekey`), in one `SQLCipher` transaction,
    /// and records the new epoch inside the store.
    ///
    /// # Errors
    /// SQL errors; the store keeps its old key if the rekey fails.
    pub fn rekey(&mut self, new_key: &MasterKey) -> Result<(), StoreError> {
        let raw_key = new_key.sqlcipher_raw_key();
        let mut statement = Zeroizing::new(String::with_capacity(raw_key.len() + 22));
        statement.push_str("PRAGMA rekey = \"");
        statement.push_str(&raw_key);
        statement.push_str("\";");
        self.conn.execute_batch(&statement)?;
        drop(statement);
        self.record_key_epoch(new_key.epoch())
    }

    /// Folds the WAL into the main file and truncates it to nothing (`wal_checkpoint(TRUNCATE)`).
    ///
    /// # Errors
    /// SQL errors, or [`StoreError::Conflict`] when a reader kept the checkpoint from finishing.
    pub fn checkpoint_truncate(&self) -> Result<(), StoreError> {
        let busy: i64 = self
            .conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |row| row.get(0))?;
        if busy != 0 {
            return Err(StoreError::Conflict(
                "the store is in use elsewhere; the key rotation waits for it",
            ));
        }
        Ok(())
    }

    /// Records which master key generation the store is encrypted with. Called after a rekey and
    /// at every unlock (with the epoch of the key that opened it), which also repairs the record
    /// if a crash fell between the rekey and its first update.
    ///
    /// # Errors
    /// SQL errors.
    pub fn record_key_epoch(&mut self, epoch: crate::crypto::KeyEpoch) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE workbench_meta SET value = ?1 WHERE key = 'key_epoch' AND value <> ?1",
            [epoch.0.to_string()],
        )?;
        Ok(())
    }

    /// Writes a consistent, encrypted copy of the store to `dest` (which must not exist), keyed
    /// with `key`, through `sqlcipher_export` into an attached database (`SQLCipher` does not allow
    /// the `SQLite` backup API between encrypted databases).
    ///
    /// # Errors
    /// SQL errors; a partial `dest` is removed.
    pub fn export_copy(&self, dest: &Path, key: &MasterKey) -> Result<(), StoreError> {
        if dest.exists() {
            return Err(StoreError::AlreadyExists);
        }
        let result =
            export_snapshot(&self.conn, dest, key).and_then(|()| super::layout::make_private(dest));
        if result.is_err() {
            let _ = std::fs::remove_file(dest);
        }
        result
    }

    /// Closes the connection, reporting any error (dropping also closes, silently).
    ///
    /// # Errors
    /// SQL errors from closing.
    pub fn close(self) -> Result<(), StoreError> {
        self.conn.close().map_err(|(_, e)| StoreError::Sql(e))
    }

    /// A store with the same schema, pragmas and code paths but no encryption, so benchmarks
    /// can measure what SQLCipher costs. Never used for data: a plain file is readable by
    /// anyone. Holds one user (id 1) to act as.
    ///
    /// # Errors
    /// [`StoreError::AlreadyExists`]; SQL errors.
    #[cfg(feature = "test-hooks")]
    pub fn create_unencrypted_for_benchmarks(path: &Path) -> Result<Self, StoreError> {
        if path.exists() {
            return Err(StoreError::AlreadyExists);
        }
        let mut conn = Connection::open(path)?;
        conn.execute_batch(CONNECTION_PRAGMAS)?;
        conn.execute_batch(WRITER_PRAGMAS)?;
        migrations::migrate(&mut conn)?;
        conn.execute(
            "INSERT INTO workbench_meta (key, value) VALUES ('workbench_id', 'plain-benchmark')",
            [],
        )?;
        conn.execute(
            "INSERT INTO users (id, name, role, slot_id, public_key, created_at)
             VALUES (1, 'Benchmark', 'analyst', 'slot-1', zeroblob(32), ?1)",
            [now_utc_rfc3339()],
        )?;
        Ok(Self {
            conn,
            genesis: genesis_hash("plain-benchmark"),
            workbench_id: "plain-benchmark".to_owned(),
            signer: None,
            graph_generation: 0,
        })
    }

    /// The raw connection, for tests that tamper with stored data as an attacker would.
    #[cfg(feature = "test-hooks")]
    #[must_use]
    pub fn raw_connection(&self) -> &Connection {
        &self.conn
    }
}

/// Exports a snapshot of an open store into a new encrypted file.
fn export_snapshot(conn: &Connection, dest: &Path, key: &MasterKey) -> Result<(), StoreError> {
    let dest_text = dest
        .to_str()
        .ok_or_else(|| StoreError::Conflict("the backup path must be valid Unicode"))?;
    // An attached database inherits the main connection's open flags, which do not include
    // CREATE (opening must never create a store by accident), so the empty file is made here.
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(dest)
        .map_err(|e| StoreError::io("create", "the backup store", e))?;
    let raw_key = key.sqlcipher_raw_key();
    conn.execute(
        "ATTACH DATABASE ?1 AS backup KEY ?2",
        (dest_text, raw_key.as_str()),
    )?;
    drop(raw_key);
    let exported = (|| -> Result<(), StoreError> {
        conn.execute_batch("BEGIN;")?;
        let result = (|| -> Result<(), StoreError> {
            conn.query_row("SELECT sqlcipher_export('backup')", [], |_| Ok(()))?;
            let version: i64 = conn.query_row("PRAGMA main.user_version", [], |row| row.get(0))?;
            conn.pragma_update(Some("backup"), "user_version", version)?;
            Ok(())
        })();
        match result {
            Ok(()) => conn.execute_batch("COMMIT;")?,
            Err(_) => {
                let _ = conn.execute_batch("ROLLBACK;");
            }
        }
        result
    })();
    let detached = conn.execute_batch("DETACH DATABASE backup;");
    exported?;
    detached?;
    Ok(())
}

/// An integer pragma, whether `SQLite` answers it as an integer or as text.
fn pragma_integer(conn: &Connection, pragma: &str) -> Result<i64, StoreError> {
    let value: rusqlite::types::Value =
        conn.query_row(&format!("PRAGMA {pragma}"), [], |row| row.get(0))?;
    match value {
        rusqlite::types::Value::Integer(n) => Ok(n),
        rusqlite::types::Value::Text(text) => text
            .trim()
            .parse()
            .map_err(|_| StoreError::Damaged(format!("PRAGMA {pragma} is not a number"))),
        _ => Err(StoreError::Damaged(format!(
            "PRAGMA {pragma} is not a number"
        ))),
    }
}

/// With no write-ahead log pending, the file must hold every page the header promises: a shorter
/// file was truncated (by a failed copy, a full disk, a careless tool).
fn check_not_truncated(conn: &Connection, path: &Path) -> Result<(), StoreError> {
    let wal = path.with_extension("db-wal");
    let wal_pending = std::fs::metadata(&wal).is_ok_and(|m| m.len() > 0);
    if wal_pending {
        return Ok(());
    }
    let page_count = pragma_integer(conn, "page_count")?;
    // SQLCipher answers `page_size` as text (it reports its own cipher page size).
    let page_size = pragma_integer(conn, "page_size")?;
    let file_len = std::fs::metadata(path)
        .map_err(|e| StoreError::io("read", "store.db", e))?
        .len();
    let expected = u64::try_from(page_count.saturating_mul(page_size)).unwrap_or(u64::MAX);
    if file_len < expected {
        return Err(StoreError::Damaged(format!(
            "store.db is {file_len} bytes but should be at least {expected}"
        )));
    }
    Ok(())
}
