//! What DARK8 keeps: conversations, knowledge, the audit log and its verification, projects,
//! and the machine check.

use axum::extract::State;
use axum::Json;
use dark8_core::store::{AuditEntry, AuditFilter, AuditVerification, Conversation};
use dark8_protocol::{DoctorReport, KnowledgeEntry, ProjectSummary, ToolStatus};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::error::{ApiError, ErrorBody};
use crate::extract::ApiQuery;
use crate::routes::Limit;
use crate::state::AppState;

/// The newest conversation turns, oldest first.
#[utoipa::path(get, operation_id = "list_conversations", path = "/api/v1/conversations", tag = "records", params(Limit),
    responses((status = 200, description = "Oldest first", body = [Conversation])),
    security(("token" = [])))]
pub async fn conversations(
    State(state): State<AppState>,
    ApiQuery(limit): ApiQuery<Limit>,
) -> Result<Json<Vec<Conversation>>, ApiError> {
    Ok(Json(state.dark8.history(limit.get()).await?))
}

/// Which audit rows to list.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Most rows (1–500, default 50).
    pub limit: Option<u32>,
    /// Only this action (a tool name, `undo`, ...); several separated by commas.
    pub action: Option<String>,
    /// Only rows that ended so: `success`, `error` or `denied`.
    pub status: Option<String>,
    /// Only rows at or after this time (RFC 3339, e.g. 2026-12-01T00:00:00Z).
    pub since: Option<String>,
    /// Only rows before this time (RFC 3339).
    pub until: Option<String>,
}

/// The newest audit entries that pass the filters, oldest first.
#[utoipa::path(get, operation_id = "list_audit", path = "/api/v1/audit", tag = "records", params(AuditQuery),
    responses(
        (status = 200, description = "Oldest first", body = [AuditEntry]),
        (status = 400, description = "A status or time the filter does not take", body = ErrorBody),
    ),
    security(("token" = [])))]
pub async fn audit(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<AuditQuery>,
) -> Result<Json<Vec<AuditEntry>>, ApiError> {
    let status = match query
        .status
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        Some(name) => Some(ToolStatus::parse(name).ok_or_else(|| {
            ApiError::bad_request(
                &format!("Nieznany stan wpisu: „{name}”."),
                "Podaj success, error albo denied.",
            )
        })?),
        None => None,
    };
    let filter = AuditFilter {
        actions: query
            .action
            .as_deref()
            .unwrap_or_default()
            .split(',')
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .map(str::to_owned)
            .collect(),
        status,
        since: utc_time(query.since.as_deref(), "since")?,
        until: utc_time(query.until.as_deref(), "until")?,
        limit: Limit { limit: query.limit }.get(),
    };
    let mut rows = state.dark8.audit_find(&filter).await?;
    rows.reverse();
    Ok(Json(rows))
}

/// `value` as the audit log writes times (RFC 3339 UTC with milliseconds), for comparison.
fn utc_time(value: Option<&str>, field: &str) -> Result<Option<String>, ApiError> {
    let Some(value) = value.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    chrono::DateTime::parse_from_rfc3339(value)
        .map(|time| {
            Some(
                time.with_timezone(&chrono::Utc)
                    .to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            )
        })
        .map_err(|_| {
            ApiError::bad_request(
                &format!("Pole {field} nie jest czasem RFC 3339: „{value}”."),
                "Np. 2026-12-01T00:00:00Z albo 2026-12-01T08:00:00+01:00.",
            )
        })
}

/// What the knowledge screen asks for.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct KnowledgeQuery {
    /// Words to look for (inflection does not matter; "wczoraj" searches by day); the
    /// newest facts and turns when omitted.
    pub q: Option<String>,
    /// Most entries (1–500, default 50).
    pub limit: Option<u32>,
}

/// Remembered facts and past conversations, best match first.
#[utoipa::path(get, operation_id = "list_knowledge", path = "/api/v1/knowledge", tag = "records", params(KnowledgeQuery),
    responses((status = 200, description = "Best first; without q: facts newest first, then turns", body = [KnowledgeEntry])),
    security(("token" = [])))]
pub async fn knowledge(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<KnowledgeQuery>,
) -> Result<Json<Vec<KnowledgeEntry>>, ApiError> {
    let limit = Limit { limit: query.limit }.get();
    Ok(Json(
        state.dark8.knowledge(query.q.as_deref(), limit).await?,
    ))
}

/// Verifies the audit log's hash chain.
#[utoipa::path(get, operation_id = "verify_audit", path = "/api/v1/audit/verify", tag = "records",
    responses((status = 200, description = "What the check found", body = AuditVerification)),
    security(("token" = [])))]
pub async fn audit_verify(
    State(state): State<AppState>,
) -> Result<Json<AuditVerification>, ApiError> {
    Ok(Json(state.dark8.audit_verify().await?))
}

/// The projects DARK8 made or knows, newest first, with their last results and findings.
#[utoipa::path(get, operation_id = "list_projects", path = "/api/v1/projects", tag = "records",
    responses((status = 200, description = "Newest first", body = [ProjectSummary])),
    security(("token" = [])))]
pub async fn projects(
    State(state): State<AppState>,
) -> Result<Json<Vec<ProjectSummary>>, ApiError> {
    Ok(Json(state.dark8.project_summaries().await?))
}

/// Checks this machine (what `dark8 doctor` shows).
#[utoipa::path(get, operation_id = "doctor", path = "/api/v1/doctor", tag = "records",
    responses((status = 200, description = "The report", body = DoctorReport)),
    security(("token" = [])))]
pub async fn doctor(State(state): State<AppState>) -> Json<DoctorReport> {
    Json(state.dark8.doctor().await)
}
