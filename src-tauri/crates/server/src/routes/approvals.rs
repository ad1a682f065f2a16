//! Approvals and grants: list what waits, answer it, list and revoke grants.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use dark8_core::approvals::AnswerError;
use dark8_protocol::{ApprovalDecision, ApprovalGrant, GrantScope, PendingApproval};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::error::{ApiError, ErrorBody};
use crate::extract::ApiJson;
use crate::state::AppState;

/// An answer to a pending approval.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Answer {
    /// Whether the call may run.
    pub approved: bool,
    /// How far an approval reaches (default: this call only).
    #[serde(default)]
    pub grant: GrantScope,
    /// The reason of a refusal, shown to the agent and in the outcome.
    #[serde(default)]
    pub reason: Option<String>,
}

/// The approvals waiting for an answer.
#[utoipa::path(get, operation_id = "list_approvals", path = "/api/v1/approvals", tag = "approvals",
    responses((status = 200, description = "Oldest first", body = [PendingApproval])),
    security(("token" = [])))]
pub async fn list(State(state): State<AppState>) -> Json<Vec<PendingApproval>> {
    Json(state.dark8.approvals().pending())
}

/// Answers a pending approval.
#[utoipa::path(post, operation_id = "answer_approval", path = "/api/v1/approvals/{id}", tag = "approvals",
    params(("id" = String, Path, description = "The approval request's id")),
    request_body = Answer,
    responses(
        (status = 200, description = "Answered", body = ApprovalDecision),
        (status = 404, description = "Nothing waits under this id", body = ErrorBody),
        (status = 409, description = "This call can only be allowed once", body = ErrorBody),
    ),
    security(("token" = [])))]
pub async fn answer(
    State(state): State<AppState>,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<Answer>,
) -> Result<Json<ApprovalDecision>, ApiError> {
    if body
        .reason
        .as_ref()
        .is_some_and(|r| r.chars().count() > 1000)
    {
        return Err(ApiError::bad_request(
            "Powód odmowy może mieć do 1000 znaków.",
            "Skróć powód.",
        ));
    }
    state
        .dark8
        .approvals()
        .answer(&id, body.approved, body.grant, body.reason)
        .await
        .map(Json)
        .map_err(|err| match err {
            AnswerError::NotPending(_) => ApiError::new(
                StatusCode::NOT_FOUND,
                "not_found",
                &err.polish(),
                "Lista oczekujących: GET /api/v1/approvals.",
            ),
            AnswerError::OnlyOnce(_) => ApiError::new(
                StatusCode::CONFLICT,
                "conflict",
                &err.polish(),
                "Odpowiedz z \"grant\": \"once\".",
            ),
            AnswerError::Store(_) => ApiError::internal(&err.polish()),
        })
}

/// Every grant (for this session and stored), newest first.
#[utoipa::path(get, operation_id = "list_grants", path = "/api/v1/grants", tag = "approvals",
    responses((status = 200, description = "Newest first", body = [ApprovalGrant])),
    security(("token" = [])))]
pub async fn grants(State(state): State<AppState>) -> Result<Json<Vec<ApprovalGrant>>, ApiError> {
    state
        .dark8
        .approvals()
        .grants()
        .await
        .map(Json)
        .map_err(|e| ApiError::internal(&e.to_string()))
}

/// Revokes a grant.
#[utoipa::path(delete, operation_id = "revoke_grant", path = "/api/v1/grants/{id}", tag = "approvals",
    params(("id" = String, Path, description = "The grant's id")),
    responses(
        (status = 204, description = "Revoked"),
        (status = 404, description = "No active grant with this id", body = ErrorBody),
    ),
    security(("token" = [])))]
pub async fn revoke(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    match state.dark8.approvals().revoke(&id).await {
        Ok(true) => Ok(StatusCode::NO_CONTENT),
        Ok(false) => Err(ApiError::not_found(&format!("aktywna zgoda {id}"))),
        Err(e) => Err(ApiError::internal(&e.to_string())),
    }
}
