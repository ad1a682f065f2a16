//! Undoing one tool call's file changes, as the changes screen offers per change.

use axum::extract::{Path, State};
use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;

/// What undoing a change did.
#[derive(Debug, Serialize, ToSchema)]
pub struct UndoneChange {
    /// The tool whose call was undone.
    pub tool: String,
    /// Each file and what was done to it, in Polish.
    pub files: Vec<UndoneFile>,
}

/// One file put back.
#[derive(Debug, Serialize, ToSchema)]
pub struct UndoneFile {
    /// The file, absolute.
    pub path: String,
    /// What was done, e.g. "przywrócono poprzednią wersję".
    pub done: String,
}

/// Undoes the changes of one tool call (a `batch` of `GET /api/v1/runs/{id}/changes`).
#[utoipa::path(post, operation_id = "undo_change", path = "/api/v1/changes/{batch}/undo", tag = "runs",
    params(("batch" = String, Path, description = "The change's batch")),
    responses(
        (status = 200, description = "Undone", body = UndoneChange),
        (status = 404, description = "No such change, or it was undone already", body = ErrorBody),
        (status = 409, description = "It cannot be put back (another file is in its place)", body = ErrorBody),
    ),
    security(("token" = [])))]
pub async fn undo(
    State(state): State<AppState>,
    Path(batch): Path<String>,
) -> Result<Json<UndoneChange>, ApiError> {
    match state.dark8.undo_change(&batch).await {
        Ok(Some(report)) => Ok(Json(UndoneChange {
            tool: report.tool,
            files: report
                .files
                .into_iter()
                .map(|(path, done)| UndoneFile { path, done })
                .collect(),
        })),
        Ok(None) => Err(ApiError::not_found(&format!(
            "zmiana {batch} do cofnięcia (może już ją cofnięto)"
        ))),
        Err(err) => Err(ApiError::new(
            axum::http::StatusCode::CONFLICT,
            "conflict",
            &err.message,
            err.hint.as_deref().unwrap_or_default(),
        )),
    }
}
