//! The append-only, hash-chained audit log.
//!
//! Every row stores `hash = link(prev_hash, timestamp, action, parameters, result, status)`
//! where `prev_hash` is the previous row's hash (see [`crate::canonical`]). With a key
//! ([`crate::Store::use_audit_key`], kept outside the database) the link is `k1:` +
//! HMAC-SHA256 under the key, so someone who can write the database file but has not the key
//! cannot recompute the chain after rewriting a row; without one it is plain SHA-256 (logs
//! from before keying). Keying an unkeyed log writes a keyed checkpoint row that seals the
//! unkeyed rows before it; after it every row must be keyed. The table `audit_head` remembers
//! the last id and hash, so cutting rows off the end is noticed as well, and
//! [`AuditLog::verify_against`] checks a head the user kept elsewhere.
//! Appends take SQLite's write lock (`BEGIN IMMEDIATE`) before they read the head, so writers in
//! several processes still form one chain.

use std::collections::HashMap;

use dark8_protocol::ToolStatus;
pub use dark8_protocol::{AuditEntry, AuditProblem, AuditVerification};
use serde_json::Value;
use sqlx::{Sqlite, SqlitePool, Transaction};

use crate::canonical::{
    audit_row_hash, audit_row_hmac, canonical_json, AuditRowFields, GENESIS_HASH, KEYED_PREFIX,
};
use crate::error::{QueryContext, StoreError, StoreResult};
use crate::time::now_rfc3339;

/// Which audit rows to read.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AuditFilter {
    /// Only these actions (every action when empty).
    pub actions: Vec<String>,
    /// Only rows that ended so.
    pub status: Option<ToolStatus>,
    /// Only rows at or after this RFC 3339 UTC time.
    pub since: Option<String>,
    /// Only rows before this RFC 3339 UTC time.
    pub until: Option<String>,
    /// At most this many rows.
    pub limit: u32,
}

/// The action of the keyed checkpoint row.
pub const AUDIT_CHECKPOINT: &str = "audit_checkpoint";

/// The audit chain's key: 32 random bytes kept outside the database (keychain or key file).
#[derive(Clone, PartialEq, Eq)]
pub struct AuditKey(zeroize::Zeroizing<[u8; 32]>);

impl AuditKey {
    /// The key with these bytes.
    pub fn new(bytes: [u8; 32]) -> AuditKey {
        AuditKey(zeroize::Zeroizing::new(bytes))
    }
}

impl std::fmt::Debug for AuditKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AuditKey(..)")
    }
}

/// Rows read per query while verifying.
const VERIFY_PAGE: i64 = 10_000;

/// An action to record.
#[derive(Debug, Clone, PartialEq)]
pub struct NewAuditEntry {
    /// What was done, e.g. the tool name `fs_write`.
    pub action: String,
    /// Its parameters, secrets already redacted by the caller.
    pub parameters: Value,
    /// A short summary of the outcome.
    pub result: String,
    /// How it ended.
    pub status: ToolStatus,
}

impl NewAuditEntry {
    /// Builds an entry.
    pub fn new(
        action: impl Into<String>,
        parameters: Value,
        result: impl Into<String>,
        status: ToolStatus,
    ) -> NewAuditEntry {
        NewAuditEntry {
            action: action.into(),
            parameters,
            result: result.into(),
            status,
        }
    }
}

#[derive(sqlx::FromRow)]
struct AuditRow {
    id: i64,
    timestamp: String,
    action: String,
    parameters: String,
    result: String,
    status: String,
    prev_hash: String,
    hash: String,
}

impl AuditRow {
    fn fields(&self) -> AuditRowFields<'_> {
        AuditRowFields {
            prev_hash: &self.prev_hash,
            timestamp: &self.timestamp,
            action: &self.action,
            parameters: &self.parameters,
            result: &self.result,
            status: &self.status,
        }
    }

    fn keyed(&self) -> bool {
        self.hash.starts_with(KEYED_PREFIX)
    }

    /// Whether the stored hash matches the content; `None` for a keyed row with no key here.
    fn hash_matches(&self, key: Option<&AuditKey>) -> Option<bool> {
        if self.keyed() {
            key.map(|key| audit_row_hmac(key.0.as_slice(), &self.fields()) == self.hash)
        } else {
            Some(audit_row_hash(&self.fields()) == self.hash)
        }
    }

    fn into_entry(self) -> StoreResult<AuditEntry> {
        let parameters =
            serde_json::from_str(&self.parameters).map_err(|e| StoreError::Corrupt {
                context: "reading the audit log",
                detail: format!("row {}: parameters are not JSON: {e}", self.id),
            })?;
        let status = ToolStatus::parse(&self.status).ok_or_else(|| StoreError::Corrupt {
            context: "reading the audit log",
            detail: format!("row {}: unknown status `{}`", self.id, self.status),
        })?;
        Ok(AuditEntry {
            id: self.id,
            timestamp: self.timestamp,
            action: self.action,
            parameters,
            result: self.result,
            status,
            prev_hash: self.prev_hash,
            hash: self.hash,
        })
    }
}

const SELECT_ROWS: &str =
    "SELECT id, timestamp, action, parameters, result, status, prev_hash, hash FROM audit_log";

/// Repository of the audit log.
pub struct AuditLog<'a> {
    pool: &'a SqlitePool,
    writer: &'a tokio::sync::Mutex<()>,
    key: Option<&'a AuditKey>,
}

impl<'a> AuditLog<'a> {
    pub(crate) fn new(
        pool: &'a SqlitePool,
        writer: &'a tokio::sync::Mutex<()>,
        key: Option<&'a AuditKey>,
    ) -> AuditLog<'a> {
        AuditLog { pool, writer, key }
    }

    /// Appends one entry to the chain.
    pub async fn append(&self, entry: &NewAuditEntry) -> StoreResult<AuditEntry> {
        let mut appended = self.append_batch(std::slice::from_ref(entry)).await?;
        appended.pop().ok_or_else(|| StoreError::Corrupt {
            context: "appending to the audit log",
            detail: "the insert returned no row".to_owned(),
        })
    }

    /// Appends several entries in one transaction (all or none).
    pub async fn append_batch(&self, entries: &[NewAuditEntry]) -> StoreResult<Vec<AuditEntry>> {
        let _in_process_writer = self.writer.lock().await;
        let mut tx = self
            .pool
            .begin_with("BEGIN IMMEDIATE")
            .await
            .context("locking the audit log for writing")?;
        let (mut last_id, mut last_hash) = read_head(&mut tx).await?;
        let mut appended = Vec::with_capacity(entries.len() + 1);
        let checkpoint = (self.key.is_some() && !last_hash.starts_with(KEYED_PREFIX)).then(|| {
            NewAuditEntry::new(
                AUDIT_CHECKPOINT,
                serde_json::json!({
                    "scheme": "hmac-sha256",
                    "unkeyed_rows": last_id,
                    "unkeyed_head": last_hash,
                }),
                "Od tego wpisu dziennik jest podpisany kluczem (HMAC-SHA256); wcześniejsze wpisy zamyka ten wpis.",
                ToolStatus::Success,
            )
        });
        if entries.is_empty() && checkpoint.is_none() {
            return Ok(appended);
        }
        for entry in checkpoint.iter().chain(entries) {
            let row = insert_row(&mut tx, last_id + 1, &last_hash, entry, self.key).await?;
            last_id = row.id;
            last_hash.clone_from(&row.hash);
            appended.push(row);
        }
        sqlx::query(
            "INSERT INTO audit_head (singleton, last_id, last_hash) VALUES (1, ?, ?) \
             ON CONFLICT (singleton) DO UPDATE SET last_id = excluded.last_id, \
             last_hash = excluded.last_hash",
        )
        .bind(last_id)
        .bind(&last_hash)
        .execute(&mut *tx)
        .await
        .context("moving the audit log head")?;
        tx.commit().await.context("committing to the audit log")?;
        Ok(appended)
    }

    /// The newest `limit` entries, oldest first.
    pub async fn recent(&self, limit: u32) -> StoreResult<Vec<AuditEntry>> {
        let rows: Vec<AuditRow> = sqlx::query_as(&format!(
            "SELECT * FROM ({SELECT_ROWS} ORDER BY id DESC LIMIT ?) ORDER BY id"
        ))
        .bind(i64::from(limit))
        .fetch_all(self.pool)
        .await
        .context("reading the audit log")?;
        rows.into_iter().map(AuditRow::into_entry).collect()
    }

    /// The newest `filter.limit` entries that pass `filter`, newest first.
    pub async fn find(&self, filter: &AuditFilter) -> StoreResult<Vec<AuditEntry>> {
        let actions = serde_json::to_string(&filter.actions).map_err(|e| StoreError::Corrupt {
            context: "reading the audit log",
            detail: e.to_string(),
        })?;
        let rows: Vec<AuditRow> = sqlx::query_as(&format!(
            "{SELECT_ROWS} WHERE (?1 = '[]' OR action IN (SELECT value FROM json_each(?1))) \
             AND (?2 IS NULL OR status = ?2) AND (?3 IS NULL OR timestamp >= ?3) \
             AND (?4 IS NULL OR timestamp < ?4) ORDER BY id DESC LIMIT ?5"
        ))
        .bind(actions)
        .bind(filter.status.map(ToolStatus::as_str))
        .bind(&filter.since)
        .bind(&filter.until)
        .bind(i64::from(filter.limit))
        .fetch_all(self.pool)
        .await
        .context("reading the audit log")?;
        rows.into_iter().map(AuditRow::into_entry).collect()
    }

    /// The number of rows.
    pub async fn count(&self) -> StoreResult<i64> {
        let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM audit_log")
            .fetch_one(self.pool)
            .await
            .context("counting audit rows")?;
        Ok(count)
    }

    /// The newest row's id and hash (0 and the genesis hash for an empty log): what the user
    /// keeps elsewhere to check the log against later ([`AuditLog::verify_against`]).
    pub async fn head(&self) -> StoreResult<(i64, String)> {
        let head: Option<(i64, String)> =
            sqlx::query_as("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1")
                .fetch_optional(self.pool)
                .await
                .context("reading the audit log head")?;
        Ok(head.unwrap_or_else(|| (0, GENESIS_HASH.to_owned())))
    }

    /// [`AuditLog::verify`], and then that row `id` still has `hash`: a log cut back and
    /// rewritten from there, with every link recomputed, shows against a head kept elsewhere.
    pub async fn verify_against(&self, id: i64, hash: &str) -> StoreResult<AuditVerification> {
        let mut verification = self.verify().await?;
        if verification.problem.is_some() || id == 0 {
            return Ok(verification);
        }
        let stored: Option<(String,)> = sqlx::query_as("SELECT hash FROM audit_log WHERE id = ?")
            .bind(id)
            .fetch_optional(self.pool)
            .await
            .context("reading the remembered head's row")?;
        if stored.is_none_or(|(stored,)| stored != hash) {
            verification.problem = Some(AuditProblem::HeadMismatch { id });
        }
        Ok(verification)
    }

    /// Walks the whole chain and names the first row that was changed, removed or reordered,
    /// or left unkeyed after the keyed checkpoint.
    pub async fn verify(&self) -> StoreResult<AuditVerification> {
        let known_hashes: HashMap<String, i64> =
            sqlx::query_as::<_, (String, i64)>("SELECT hash, id FROM audit_log")
                .fetch_all(self.pool)
                .await
                .context("reading audit hashes")?
                .into_iter()
                .collect();
        let mut rows_checked = 0u64;
        let mut keyed_rows = 0u64;
        let mut prev_id = 0i64;
        let mut prev_hash = GENESIS_HASH.to_owned();
        loop {
            let page: Vec<AuditRow> =
                sqlx::query_as(&format!("{SELECT_ROWS} WHERE id > ? ORDER BY id LIMIT ?"))
                    .bind(prev_id)
                    .bind(VERIFY_PAGE)
                    .fetch_all(self.pool)
                    .await
                    .context("reading the audit log")?;
            if page.is_empty() {
                break;
            }
            for row in page {
                rows_checked += 1;
                let problem = if !row.keyed() && keyed_rows > 0 {
                    // After the checkpoint every row is keyed: this one was rewritten.
                    Some(AuditProblem::Unkeyed { id: row.id })
                } else {
                    check_row(&row, prev_id, &prev_hash, &known_hashes, self.key)
                };
                keyed_rows += u64::from(row.keyed());
                if let Some(problem) = problem {
                    return Ok(AuditVerification {
                        rows_checked,
                        keyed_rows,
                        key_checked: self.key.is_some(),
                        problem: Some(problem),
                    });
                }
                prev_id = row.id;
                prev_hash = row.hash;
            }
        }
        let head: Option<(i64, String)> =
            sqlx::query_as("SELECT last_id, last_hash FROM audit_head WHERE singleton = 1")
                .fetch_optional(self.pool)
                .await
                .context("reading the audit log head")?;
        let problem = match head {
            Some((last_id, _)) if last_id > prev_id => {
                Some(AuditProblem::Removed { id: prev_id + 1 })
            }
            // Rows after the head were inserted behind DARK8's back.
            Some((last_id, _)) if last_id < prev_id => {
                Some(AuditProblem::Changed { id: last_id + 1 })
            }
            // The last row was rewritten with a recomputed hash.
            Some((_, last_hash)) if last_hash != prev_hash => {
                Some(AuditProblem::Changed { id: prev_id })
            }
            None if prev_id > 0 => Some(AuditProblem::LinkBroken { id: prev_id }),
            // Keying writes a keyed checkpoint at once: a keyed log with no keyed row left
            // was rewritten whole by someone without the key.
            _ if self.key.is_some() && prev_id > 0 && keyed_rows == 0 => {
                Some(AuditProblem::Unkeyed { id: 1 })
            }
            _ => None,
        };
        Ok(AuditVerification {
            rows_checked,
            keyed_rows,
            key_checked: self.key.is_some(),
            problem,
        })
    }
}

/// Checks one row against its predecessor; `None` when it links correctly.
fn check_row(
    row: &AuditRow,
    prev_id: i64,
    prev_hash: &str,
    known_hashes: &HashMap<String, i64>,
    key: Option<&AuditKey>,
) -> Option<AuditProblem> {
    if row.id != prev_id + 1 {
        return Some(AuditProblem::Removed { id: prev_id + 1 });
    }
    if row.hash_matches(key) == Some(false) {
        return Some(AuditProblem::Changed { id: row.id });
    }
    if row.prev_hash == prev_hash {
        return None;
    }
    Some(match known_hashes.get(&row.prev_hash) {
        // The row points at a row that exists elsewhere: rows were swapped or moved.
        Some(&other) if other != prev_id => AuditProblem::Reordered { id: row.id },
        // The first row does not start the chain: rows before it were removed.
        _ if prev_id == 0 => AuditProblem::Removed { id: row.id },
        // Ids are contiguous but the link is broken.
        _ => AuditProblem::LinkBroken { id: row.id },
    })
}

async fn read_head(tx: &mut Transaction<'_, Sqlite>) -> StoreResult<(i64, String)> {
    let head: Option<(i64, String)> =
        sqlx::query_as("SELECT last_id, last_hash FROM audit_head WHERE singleton = 1")
            .fetch_optional(&mut **tx)
            .await
            .context("reading the audit log head")?;
    Ok(head.unwrap_or_else(|| (0, GENESIS_HASH.to_owned())))
}

async fn insert_row(
    tx: &mut Transaction<'_, Sqlite>,
    id: i64,
    prev_hash: &str,
    entry: &NewAuditEntry,
    key: Option<&AuditKey>,
) -> StoreResult<AuditEntry> {
    let timestamp = now_rfc3339();
    let parameters = canonical_json(&entry.parameters);
    let status = entry.status.as_str();
    let fields = AuditRowFields {
        prev_hash,
        timestamp: &timestamp,
        action: &entry.action,
        parameters: &parameters,
        result: &entry.result,
        status,
    };
    let hash = match key {
        Some(key) => audit_row_hmac(key.0.as_slice(), &fields),
        None => audit_row_hash(&fields),
    };
    sqlx::query(
        "INSERT INTO audit_log (id, timestamp, action, parameters, result, status, prev_hash, hash) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(id)
    .bind(&timestamp)
    .bind(&entry.action)
    .bind(&parameters)
    .bind(&entry.result)
    .bind(status)
    .bind(prev_hash)
    .bind(&hash)
    .execute(&mut **tx)
    .await
    .context("inserting an audit row")?;
    Ok(AuditEntry {
        id,
        timestamp,
        action: entry.action.clone(),
        parameters: entry.parameters.clone(),
        result: entry.result.clone(),
        status: entry.status,
        prev_hash: prev_hash.to_owned(),
        hash,
    })
}
