//! The brain for the settings screen: a connection test of the configured model, the
//! embedded engine's models, and model downloads with progress.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use dark8_protocol::{BrainCheck, ModelCatalog, ModelPull, ModelPullRequest};

use crate::error::{ApiError, ErrorBody};
use crate::extract::ApiJson;
use crate::state::AppState;

/// Asks the configured model a one-word question: whether it answers, what, how fast.
#[utoipa::path(post, path = "/api/v1/brain/check", operation_id = "check_brain", tag = "machine",
    responses((status = 200, description = "What the test found (a failure is an answer too, with a hint)", body = BrainCheck)),
    security(("token" = [])))]
pub async fn check(State(state): State<AppState>) -> Json<BrainCheck> {
    Json(state.dark8.check_brain().await)
}

/// The embedded engine's known and downloaded models, and this server's downloads.
#[utoipa::path(get, path = "/api/v1/models", operation_id = "list_models", tag = "machine",
    responses((status = 200, description = "Models and downloads with their progress", body = ModelCatalog)),
    security(("token" = [])))]
pub async fn list(State(state): State<AppState>) -> Result<Json<ModelCatalog>, ApiError> {
    Ok(Json(state.dark8.model_catalog()?))
}

/// Starts downloading a model (resumable, SHA-256 checked) in the background; its progress
/// shows in `GET /api/v1/models`.
#[utoipa::path(post, path = "/api/v1/models/pull", operation_id = "pull_model", tag = "machine",
    request_body = ModelPullRequest,
    responses(
        (status = 202, description = "Downloading (or already downloading that file)", body = ModelPull),
        (status = 400, description = "An unknown name, a bad URL, checksum or file name", body = ErrorBody),
    ),
    security(("token" = [])))]
pub async fn pull(
    State(state): State<AppState>,
    ApiJson(request): ApiJson<ModelPullRequest>,
) -> Result<(StatusCode, Json<ModelPull>), ApiError> {
    let pull = state.dark8.start_model_pull(&request)?;
    Ok((StatusCode::ACCEPTED, Json(pull)))
}
