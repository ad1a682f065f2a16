//! Commands and runs: start one (202 with its id), list them, read one with its steps,
//! cancel one.

use std::path::PathBuf;

use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use dark8_core::{DirectCall, RunRequest};
use dark8_protocol::{CommandSource, FileChange, RunDetail, RunState};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiQuery};
use crate::routes::Limit;
use crate::state::AppState;

/// A command for DARK8.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCommand {
    /// The command, in Polish, e.g. "Ile mam wolnego miejsca na dysku?".
    #[schema(min_length = 1, max_length = 4000)]
    pub command: String,
    /// The workspace it acts in (an existing directory); the server's own when omitted.
    #[serde(default)]
    pub workspace: Option<String>,
    /// The session it continues; a new one when omitted.
    #[serde(default)]
    #[schema(max_length = 100, pattern = "^[A-Za-z0-9_-]*$")]
    pub session: Option<String>,
    /// A tool to call by name instead of understanding `command` (a screen's button, e.g.
    /// `process_kill`); `command` then describes the call on the timeline. The call goes
    /// through the same policy, approvals and audit as any other.
    #[serde(default)]
    #[schema(max_length = 100, pattern = "^[a-z][a-z0-9_]*$")]
    pub tool: Option<String>,
    /// The tool's arguments (an object; `{}` when omitted).
    #[serde(default)]
    #[schema(value_type = Option<Object>)]
    pub arguments: Option<serde_json::Value>,
}

/// Starts a command.
#[utoipa::path(post, operation_id = "start_command", path = "/api/v1/commands", tag = "runs",
    request_body = NewCommand,
    responses(
        (status = 202, description = "Started; follow it with /api/v1/events?run=ID", body = RunState),
        (status = 400, description = "Bad command or workspace", body = ErrorBody),
    ),
    security(("token" = [])))]
pub async fn create(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<NewCommand>,
) -> Result<impl IntoResponse, ApiError> {
    let workspace = match body.workspace.as_deref().map(str::trim) {
        Some(dir) if !dir.is_empty() => {
            let dir = PathBuf::from(dir);
            if !dir.is_absolute() {
                return Err(ApiError::bad_request(
                    "Katalog roboczy musi być ścieżką bezwzględną.",
                    "Podaj np. /home/ja/projekt albo pomiń pole workspace.",
                ));
            }
            dir
        }
        _ => state.workspace.clone(),
    };
    let session = body
        .session
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty());
    if session.as_ref().is_some_and(|s| {
        s.len() > 100
            || !s
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    }) {
        return Err(ApiError::bad_request(
            "Identyfikator sesji może mieć do 100 znaków: litery, cyfry, - i _.",
            "Pomiń pole session, by zacząć nową sesję.",
        ));
    }
    let call = direct_call(body.tool, body.arguments)?;
    let run = state
        .dark8
        .start_run(RunRequest {
            command: body.command,
            workspace,
            session,
            source: CommandSource::Api,
            call,
            local_approver: None,
        })
        .await?;
    let location = format!("/api/v1/runs/{}", run.id);
    Ok((
        StatusCode::ACCEPTED,
        [(header::LOCATION, location)],
        Json(run),
    ))
}

/// The tool call a command names, checked for shape (the executor checks the rest).
fn direct_call(
    tool: Option<String>,
    arguments: Option<serde_json::Value>,
) -> Result<Option<DirectCall>, ApiError> {
    let Some(tool) = tool.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty()) else {
        if arguments.is_some() {
            return Err(ApiError::bad_request(
                "Podano argumenty bez narzędzia.",
                "Dodaj pole tool (np. \"process_kill\") albo pomiń arguments.",
            ));
        }
        return Ok(None);
    };
    let well_formed = tool.len() <= 100
        && tool.starts_with(|c: char| c.is_ascii_lowercase())
        && tool
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if !well_formed {
        return Err(ApiError::bad_request(
            &format!("„{tool}” nie jest nazwą narzędzia."),
            "Nazwy narzędzi wypisuje `dark8 tools list` (np. process_kill).",
        ));
    }
    let arguments = arguments.unwrap_or_else(|| serde_json::json!({}));
    if !arguments.is_object() {
        return Err(ApiError::bad_request(
            "Argumenty narzędzia muszą być obiektem JSON.",
            "Np. {\"pid\": 1234}.",
        ));
    }
    Ok(Some(DirectCall { tool, arguments }))
}

/// The file changes a run made, each with its diff and whether it was undone.
#[utoipa::path(get, operation_id = "run_changes", path = "/api/v1/runs/{id}/changes", tag = "runs",
    params(("id" = String, Path, description = "The run's id")),
    responses(
        (status = 200, description = "Oldest first", body = [FileChange]),
        (status = 404, description = "No such run", body = ErrorBody),
    ),
    security(("token" = [])))]
pub async fn changes(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Vec<FileChange>>, ApiError> {
    if state.dark8.run_state(&id).await?.is_none() {
        return Err(ApiError::not_found(&format!("przebieg {id}")));
    }
    Ok(Json(state.dark8.run_changes(&id).await?))
}

/// Lists the newest runs.
#[utoipa::path(get, operation_id = "list_runs", path = "/api/v1/runs", tag = "runs", params(Limit),
    responses((status = 200, description = "Newest first", body = [RunState])),
    security(("token" = [])))]
pub async fn list(
    State(state): State<AppState>,
    ApiQuery(limit): ApiQuery<Limit>,
) -> Result<Json<Vec<RunState>>, ApiError> {
    Ok(Json(state.dark8.runs_recent(limit.get()).await?))
}

/// One run: its state, steps and outcome.
#[utoipa::path(get, operation_id = "get_run", path = "/api/v1/runs/{id}", tag = "runs",
    params(("id" = String, Path, description = "The run's id")),
    responses(
        (status = 200, description = "The run", body = RunDetail),
        (status = 404, description = "No such run", body = ErrorBody),
    ),
    security(("token" = [])))]
pub async fn get_one(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<RunDetail>, ApiError> {
    state
        .dark8
        .run_detail(&id)
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::not_found(&format!("przebieg {id}")))
}

/// Stops a run.
#[utoipa::path(post, operation_id = "cancel_run", path = "/api/v1/runs/{id}/cancel", tag = "runs",
    params(("id" = String, Path, description = "The run's id")),
    responses(
        (status = 202, description = "Asked to stop"),
        (status = 404, description = "No such run going on", body = ErrorBody),
    ),
    security(("token" = [])))]
pub async fn cancel(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    if state.dark8.cancel_run(&id) {
        Ok(StatusCode::ACCEPTED)
    } else {
        Err(ApiError::not_found(&format!("trwający przebieg {id}")))
    }
}
