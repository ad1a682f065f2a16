//! The persisted event stream: envelopes by sequence number, so a front end that reconnects
//! replays what it missed, also after the process restarted.

use sqlx::SqlitePool;

use crate::error::{QueryContext, StoreResult};

/// One stored event.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StoredEvent {
    /// Its sequence number.
    pub seq: i64,
    /// When it was published, RFC 3339 UTC.
    pub timestamp: String,
    /// The session it belongs to, if any.
    pub session: Option<String>,
    /// The run it belongs to, if any.
    pub run: Option<String>,
    /// The envelope as JSON (the protocol's `EventEnvelope`).
    pub envelope: String,
}

/// Repository of events.
pub struct Events<'a> {
    pool: &'a SqlitePool,
}

impl<'a> Events<'a> {
    pub(crate) fn new(pool: &'a SqlitePool) -> Events<'a> {
        Events { pool }
    }

    /// Stores `events` in one transaction; a sequence number stored before is left as it was.
    pub async fn append(&self, events: &[StoredEvent]) -> StoreResult<()> {
        let mut tx = self.pool.begin().await.context("storing events")?;
        for event in events {
            sqlx::query(
                "INSERT OR IGNORE INTO events (seq, timestamp, session, run, envelope) \
                 VALUES (?, ?, ?, ?, ?)",
            )
            .bind(event.seq)
            .bind(&event.timestamp)
            .bind(&event.session)
            .bind(&event.run)
            .bind(&event.envelope)
            .execute(&mut *tx)
            .await
            .context("storing events")?;
        }
        tx.commit().await.context("storing events")?;
        Ok(())
    }

    /// Up to `limit` events after `seq`, oldest first.
    pub async fn after(&self, seq: i64, limit: u32) -> StoreResult<Vec<StoredEvent>> {
        sqlx::query_as(
            "SELECT seq, timestamp, session, run, envelope FROM events WHERE seq > ? \
             ORDER BY seq LIMIT ?",
        )
        .bind(seq)
        .bind(i64::from(limit))
        .fetch_all(self.pool)
        .await
        .context("reading events")
    }

    /// The events of run `run`, oldest first.
    pub async fn of_run(&self, run: &str) -> StoreResult<Vec<StoredEvent>> {
        sqlx::query_as(
            "SELECT seq, timestamp, session, run, envelope FROM events WHERE run = ? ORDER BY seq",
        )
        .bind(run)
        .fetch_all(self.pool)
        .await
        .context("reading a run's events")
    }

    /// The lowest and the highest stored sequence numbers (`None` when there are none).
    pub async fn bounds(&self) -> StoreResult<Option<(i64, i64)>> {
        let row: (Option<i64>, Option<i64>) =
            sqlx::query_as("SELECT MIN(seq), MAX(seq) FROM events")
                .fetch_one(self.pool)
                .await
                .context("reading event bounds")?;
        Ok(row.0.zip(row.1))
    }

    /// Deletes all but the newest `keep` events; returns how many went.
    pub async fn prune(&self, keep: u32) -> StoreResult<u64> {
        let done = sqlx::query("DELETE FROM events WHERE seq <= (SELECT MAX(seq) FROM events) - ?")
            .bind(i64::from(keep))
            .execute(self.pool)
            .await
            .context("pruning events")?;
        Ok(done.rows_affected())
    }
}
