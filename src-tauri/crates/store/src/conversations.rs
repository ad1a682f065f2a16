//! Past commands and the answers DARK8 gave.

use serde::Serialize;
use serde_json::Value;
use sqlx::SqlitePool;

use crate::canonical::canonical_json;
use crate::error::{QueryContext, StoreError, StoreResult};
use crate::time::now_rfc3339;

/// A command and its answer, to record.
#[derive(Debug, Clone, PartialEq)]
pub struct NewConversation {
    /// What the user typed.
    pub user_input: String,
    /// What DARK8 answered.
    pub ai_response: String,
    /// The understood intent, e.g. `BUILD_APP`.
    pub intent: Option<String>,
    /// Entities, session, plan and other context as JSON.
    pub context: Value,
}

/// A stored conversation turn.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Conversation {
    /// Row id.
    pub id: i64,
    /// When the command arrived, RFC 3339 UTC.
    pub timestamp: String,
    /// What the user typed.
    pub user_input: String,
    /// What DARK8 answered.
    pub ai_response: String,
    /// The understood intent.
    pub intent: Option<String>,
    /// Context as JSON.
    pub context: Value,
}

#[derive(sqlx::FromRow)]
struct ConversationRow {
    id: i64,
    timestamp: String,
    user_input: String,
    ai_response: String,
    intent: Option<String>,
    context: String,
}

impl TryFrom<ConversationRow> for Conversation {
    type Error = StoreError;

    fn try_from(row: ConversationRow) -> StoreResult<Conversation> {
        let context = serde_json::from_str(&row.context).map_err(|e| StoreError::Corrupt {
            context: "reading conversations",
            detail: format!("row {}: context is not JSON: {e}", row.id),
        })?;
        Ok(Conversation {
            id: row.id,
            timestamp: row.timestamp,
            user_input: row.user_input,
            ai_response: row.ai_response,
            intent: row.intent,
            context,
        })
    }
}

/// Repository of conversations.
pub struct Conversations<'a> {
    pool: &'a SqlitePool,
}

impl<'a> Conversations<'a> {
    pub(crate) fn new(pool: &'a SqlitePool) -> Conversations<'a> {
        Conversations { pool }
    }

    /// Records one turn and returns it as stored.
    pub async fn record(&self, turn: &NewConversation) -> StoreResult<Conversation> {
        let timestamp = now_rfc3339();
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO conversations (timestamp, user_input, ai_response, intent, context) \
             VALUES (?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(&timestamp)
        .bind(&turn.user_input)
        .bind(&turn.ai_response)
        .bind(&turn.intent)
        .bind(canonical_json(&turn.context))
        .fetch_one(self.pool)
        .await
        .context("recording a conversation")?;
        Ok(Conversation {
            id,
            timestamp,
            user_input: turn.user_input.clone(),
            ai_response: turn.ai_response.clone(),
            intent: turn.intent.clone(),
            context: turn.context.clone(),
        })
    }

    /// The newest `limit` turns, oldest first.
    pub async fn recent(&self, limit: u32) -> StoreResult<Vec<Conversation>> {
        let rows: Vec<ConversationRow> = sqlx::query_as(
            "SELECT * FROM (SELECT id, timestamp, user_input, ai_response, intent, context \
             FROM conversations ORDER BY id DESC LIMIT ?) ORDER BY id",
        )
        .bind(i64::from(limit))
        .fetch_all(self.pool)
        .await
        .context("reading conversations")?;
        rows.into_iter().map(Conversation::try_from).collect()
    }

    /// The turn with `id`, if any.
    pub async fn get(&self, id: i64) -> StoreResult<Option<Conversation>> {
        let row: Option<ConversationRow> = sqlx::query_as(
            "SELECT id, timestamp, user_input, ai_response, intent, context \
             FROM conversations WHERE id = ?",
        )
        .bind(id)
        .fetch_optional(self.pool)
        .await
        .context("reading a conversation")?;
        row.map(Conversation::try_from).transpose()
    }

    /// Turns recorded from `from` (inclusive) to `to` (exclusive), both RFC 3339 UTC, oldest
    /// first, at most `limit`.
    pub async fn between(
        &self,
        from: &str,
        to: &str,
        limit: u32,
    ) -> StoreResult<Vec<Conversation>> {
        let rows: Vec<ConversationRow> = sqlx::query_as(
            "SELECT id, timestamp, user_input, ai_response, intent, context FROM conversations \
             WHERE timestamp >= ? AND timestamp < ? ORDER BY id LIMIT ?",
        )
        .bind(from)
        .bind(to)
        .bind(i64::from(limit))
        .fetch_all(self.pool)
        .await
        .context("reading conversations by time")?;
        rows.into_iter().map(Conversation::try_from).collect()
    }
}
