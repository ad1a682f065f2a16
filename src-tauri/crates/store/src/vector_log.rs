//! The log of changes to stored vectors (migration 0007): triggers append a row's id whenever
//! its vector is added, replaced or removed, in the transaction that changes it, so a vector
//! index kept outside the database can always tell what it has not seen yet.

use sqlx::SqlitePool;

use crate::error::{QueryContext, StoreError, StoreResult};
use crate::knowledge::decode_embedding;

/// Every vector of one model as of one position of the log.
#[derive(Debug, Clone, PartialEq)]
pub struct VectorSnapshot {
    /// The log position the vectors are current at.
    pub head: i64,
    /// Row ids and their vectors, by id.
    pub vectors: Vec<(i64, Vec<f32>)>,
}

/// What changed in the log after a position.
#[derive(Debug, Clone, PartialEq)]
pub struct VectorChanges {
    /// The log position these changes bring a reader to.
    pub head: i64,
    /// Each changed row once, with its vector now when it has one from the model asked for
    /// (`None`: the row is gone, has no vector, or its vector is another model's).
    pub changed: Vec<(i64, Option<Vec<f32>>)>,
}

/// The answer to "what changed since position N".
#[derive(Debug, Clone, PartialEq)]
pub enum SinceAnswer {
    /// The changes after N.
    Changes(VectorChanges),
    /// The log was cut beyond N: the reader must start again from a snapshot.
    Trimmed {
        /// Where the log now begins.
        through: i64,
    },
}

/// Repository of the vector change log.
pub struct VectorLog<'a> {
    pool: &'a SqlitePool,
}

impl<'a> VectorLog<'a> {
    pub(crate) fn new(pool: &'a SqlitePool) -> VectorLog<'a> {
        VectorLog { pool }
    }

    /// Every vector `model` made and the log position they are current at, read in one
    /// transaction (a change committed meanwhile is after the position, never half in).
    pub async fn snapshot(&self, model: &str) -> StoreResult<VectorSnapshot> {
        let context = "reading stored vectors";
        let mut tx = self.pool.begin().await.context(context)?;
        let head = head(&mut tx).await?;
        let rows: Vec<(i64, Vec<u8>)> = sqlx::query_as(
            "SELECT id, embedding FROM knowledge_base \
             WHERE embedding_model = ? AND embedding IS NOT NULL ORDER BY id",
        )
        .bind(model)
        .fetch_all(&mut *tx)
        .await
        .context(context)?;
        tx.commit().await.context(context)?;
        let vectors = rows
            .into_iter()
            .map(|(id, bytes)| decode(id, &bytes).map(|vector| (id, vector)))
            .collect::<StoreResult<_>>()?;
        Ok(VectorSnapshot { head, vectors })
    }

    /// What changed for `model`'s vectors after log position `since`, read in one transaction.
    pub async fn since(&self, since: i64, model: &str) -> StoreResult<SinceAnswer> {
        let context = "reading the vector log";
        let mut tx = self.pool.begin().await.context(context)?;
        let (through,): (i64,) =
            sqlx::query_as("SELECT through FROM knowledge_vector_log_trim WHERE id = 1")
                .fetch_one(&mut *tx)
                .await
                .context(context)?;
        if through > since {
            return Ok(SinceAnswer::Trimmed { through });
        }
        let head = head(&mut tx).await?;
        let rows: Vec<(i64, Option<Vec<u8>>)> = sqlx::query_as(
            "SELECT log.item_id, kb.embedding FROM \
             (SELECT item_id, MAX(seq) AS last FROM knowledge_vector_log WHERE seq > ? \
              GROUP BY item_id) AS log \
             LEFT JOIN knowledge_base AS kb \
               ON kb.id = log.item_id AND kb.embedding_model = ? \
             ORDER BY log.last",
        )
        .bind(since)
        .bind(model)
        .fetch_all(&mut *tx)
        .await
        .context(context)?;
        tx.commit().await.context(context)?;
        let changed = rows
            .into_iter()
            .map(|(id, bytes)| {
                bytes
                    .map(|bytes| decode(id, &bytes))
                    .transpose()
                    .map(|vector| (id, vector))
            })
            .collect::<StoreResult<_>>()?;
        Ok(SinceAnswer::Changes(VectorChanges { head, changed }))
    }

    /// The newest log position (0 for an empty log).
    pub async fn head(&self) -> StoreResult<i64> {
        let mut conn = self
            .pool
            .acquire()
            .await
            .context("reading the vector log")?;
        head(&mut conn).await
    }

    /// Drops the log up to and including `through` (an index saved at that position no longer
    /// needs it); never moves the cut back.
    pub async fn trim(&self, through: i64) -> StoreResult<()> {
        let context = "trimming the vector log";
        let mut tx = self.pool.begin().await.context(context)?;
        sqlx::query("DELETE FROM knowledge_vector_log WHERE seq <= ?")
            .bind(through)
            .execute(&mut *tx)
            .await
            .context(context)?;
        sqlx::query("UPDATE knowledge_vector_log_trim SET through = MAX(through, ?) WHERE id = 1")
            .bind(through)
            .execute(&mut *tx)
            .await
            .context(context)?;
        tx.commit().await.context(context)
    }
}

/// The newest position: the last logged change, or the cut when the log is empty.
async fn head(conn: &mut sqlx::SqliteConnection) -> StoreResult<i64> {
    let (head,): (i64,) = sqlx::query_as(
        "SELECT MAX(COALESCE((SELECT MAX(seq) FROM knowledge_vector_log), 0), \
                (SELECT through FROM knowledge_vector_log_trim WHERE id = 1))",
    )
    .fetch_one(&mut *conn)
    .await
    .context("reading the vector log")?;
    Ok(head)
}

fn decode(id: i64, bytes: &[u8]) -> StoreResult<Vec<f32>> {
    decode_embedding(bytes).map_err(|detail| StoreError::Corrupt {
        context: "reading stored vectors",
        detail: format!("row {id}: {detail}"),
    })
}
