//! The machine, for the dashboard's monitors: what `system_status` and `process_list` report,
//! read directly (no audit row per refresh: nothing is acted on), and the settings in force.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use dark8_core::settings::{writable_settings, SettingsError};
use dark8_core::MAX_JOB_LOG_LINES;
use dark8_protocol::{SettingsChange, SettingsUpdate, WritableSetting};
use serde::Deserialize;
use serde_json::Value;
use utoipa::IntoParams;

use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiQuery};
use crate::state::AppState;

/// Log lines a job's log read returns when not told.
const DEFAULT_LOG_LINES: usize = 200;

/// Processor, memory, disks and network now.
#[utoipa::path(get, path = "/api/v1/metrics", operation_id = "machine_metrics", tag = "machine",
    responses((status = 200, description = "As the output schema of `system_status` (dark8 tools describe system_status)", body = Object)),
    security(("token" = [])))]
pub async fn metrics() -> Result<Json<Value>, ApiError> {
    let report = tokio::task::spawn_blocking(dark8_core::tools::builtin::system::full_report)
        .await
        .map_err(|e| ApiError::internal(&format!("Pomiar się nie udał: {e}")))?;
    Ok(Json(serde_json::to_value(report).unwrap_or_default()))
}

/// Every process now, the busiest first.
#[utoipa::path(get, path = "/api/v1/processes", operation_id = "list_processes", tag = "machine",
    responses((status = 200, description = "Processes as `process_list` reports them", body = [Object])),
    security(("token" = [])))]
pub async fn processes() -> Result<Json<Value>, ApiError> {
    let mut list = tokio::task::spawn_blocking(dark8_core::tools::builtin::system::snapshot)
        .await
        .map_err(|e| ApiError::internal(&format!("Lista procesów się nie udała: {e}")))?;
    list.sort_by(|a, b| b.cpu_percent.total_cmp(&a.cpu_percent));
    Ok(Json(serde_json::to_value(list).unwrap_or_default()))
}

/// Background jobs (`process_spawn`), the newest first.
#[utoipa::path(get, path = "/api/v1/jobs", operation_id = "list_jobs", tag = "machine",
    responses((status = 200, description = "Each job with its command, start time, process id, whether it runs and its log's size", body = [Object])),
    security(("token" = [])))]
pub async fn jobs(State(state): State<AppState>) -> Json<Value> {
    Json(serde_json::to_value(state.dark8.background_jobs().await).unwrap_or_default())
}

/// How many log lines to read.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct JobLogQuery {
    /// The last lines (1–10000, default 200).
    pub lines: Option<usize>,
}

/// A background job's state and the last lines of its output, as `process_logs` reads them
/// (read directly: no audit row per refresh).
#[utoipa::path(get, path = "/api/v1/jobs/{job}/log", operation_id = "job_log", tag = "machine",
    params(("job" = String, Path, description = "The job, e.g. job-1"), JobLogQuery),
    responses(
        (status = 200, description = "As the output schema of `process_logs`", body = Object),
        (status = 404, description = "No such job", body = ErrorBody),
    ),
    security(("token" = [])))]
pub async fn job_log(
    State(state): State<AppState>,
    Path(job): Path<String>,
    ApiQuery(query): ApiQuery<JobLogQuery>,
) -> Result<Json<Value>, ApiError> {
    let lines = query.lines.unwrap_or(DEFAULT_LOG_LINES);
    if !(1..=MAX_JOB_LOG_LINES).contains(&lines) {
        return Err(ApiError::bad_request(
            &format!("Liczba linii {lines} jest poza zakresem 1–{MAX_JOB_LOG_LINES}."),
            "Podaj np. ?lines=200.",
        ));
    }
    match state.dark8.background_job_log(&job, lines).await? {
        Some(log) => Ok(Json(serde_json::to_value(log).unwrap_or_default())),
        None => Err(ApiError::not_found(&format!("zadanie w tle {job}"))),
    }
}

/// The configuration in force. Secrets live in the vault, but a database URL may carry a
/// password: every URL's password is masked, and what the vault knows is redacted.
#[utoipa::path(get, path = "/api/v1/settings", operation_id = "read_settings", tag = "machine",
    responses((status = 200, description = "config.toml with defaults and DARK8_* overrides applied", body = Object)),
    security(("token" = [])))]
pub async fn settings(State(state): State<AppState>) -> Json<Value> {
    Json(state.dark8.settings_view())
}

/// Changes settings a front end may change (the language, the model and its limits): written
/// to `config.toml` with its comments kept, in force for the next command.
#[utoipa::path(patch, path = "/api/v1/settings", operation_id = "update_settings", tag = "machine",
    request_body = SettingsChange,
    responses(
        (status = 200, description = "Written; which keys are in force, wait for a restart or are overridden by DARK8_* variables", body = SettingsUpdate),
        (status = 400, description = "No key, an unknown key or a value the key does not take; nothing written", body = ErrorBody),
        (status = 403, description = "A key only a hand edit of config.toml may change (policy, sandbox, vault, server, ...)", body = ErrorBody),
    ),
    security(("token" = [])))]
pub async fn update_settings(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<SettingsChange>,
) -> Result<Json<SettingsUpdate>, ApiError> {
    state
        .dark8
        .update_settings(&body.changes)
        .await
        .map(Json)
        .map_err(|err| {
            let (status, code) = match err {
                SettingsError::NotWritable(_) => (StatusCode::FORBIDDEN, "forbidden_setting"),
                SettingsError::Io { .. } => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
                _ => (StatusCode::BAD_REQUEST, "bad_request"),
            };
            let user = err.user_message(state.dark8.config().language);
            ApiError::new(status, code, &user.message, &user.hint)
        })
}

/// The settings `PATCH /api/v1/settings` accepts.
#[utoipa::path(get, path = "/api/v1/settings/writable", operation_id = "writable_settings", tag = "machine",
    responses((status = 200, description = "Keys with a description and whether a change applies at once", body = [WritableSetting])),
    security(("token" = [])))]
pub async fn writable() -> Json<Vec<WritableSetting>> {
    Json(writable_settings())
}
