//! What DARK8 keeps: conversations, the audit log and its verification, projects, and the
//! machine check.

use axum::extract::State;
use axum::Json;
use dark8_core::store::{AuditEntry, AuditVerification, Conversation, Project};
use dark8_protocol::DoctorReport;

use crate::error::ApiError;
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

/// The newest audit entries, oldest first.
#[utoipa::path(get, operation_id = "list_audit", path = "/api/v1/audit", tag = "records", params(Limit),
    responses((status = 200, description = "Oldest first", body = [AuditEntry])),
    security(("token" = [])))]
pub async fn audit(
    State(state): State<AppState>,
    ApiQuery(limit): ApiQuery<Limit>,
) -> Result<Json<Vec<AuditEntry>>, ApiError> {
    Ok(Json(state.dark8.audit_recent(limit.get()).await?))
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

/// The projects DARK8 made or knows, newest first.
#[utoipa::path(get, operation_id = "list_projects", path = "/api/v1/projects", tag = "records",
    responses((status = 200, description = "Newest first", body = [Project])),
    security(("token" = [])))]
pub async fn projects(State(state): State<AppState>) -> Result<Json<Vec<Project>>, ApiError> {
    state
        .dark8
        .store()
        .projects()
        .list()
        .await
        .map(Json)
        .map_err(|e| ApiError::from(dark8_core::CoreError::Store(e)))
}

/// Checks this machine (what `dark8 doctor` shows).
#[utoipa::path(get, operation_id = "doctor", path = "/api/v1/doctor", tag = "records",
    responses((status = 200, description = "The report", body = DoctorReport)),
    security(("token" = [])))]
pub async fn doctor(State(state): State<AppState>) -> Json<DoctorReport> {
    Json(state.dark8.doctor().await)
}
