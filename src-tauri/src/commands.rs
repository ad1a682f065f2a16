//! Tauri commands the webview may call (see `src-tauri/capabilities/`): the same operations
//! as the REST API, over Tauri's IPC (the desktop app opens no port). Errors are Polish
//! messages with a hint.

use std::sync::atomic::{AtomicU32, Ordering};

use dark8_core::store::AuditFilter;
use dark8_core::{Delivery, DirectCall, RunRequest};
use dark8_protocol::{
    ApprovalDecision, ApprovalGrant, AuditEntry, AuditVerification, CommandSource, DoctorReport,
    EventEnvelope, FileChange, GrantScope, KnowledgeEntry, PendingApproval, ProjectSummary,
    RunDetail, RunState, SettingsUpdate, ToolStatus, WritableSetting,
};
use tauri::ipc::Channel;

use crate::state::DesktopState;

type State<'a> = tauri::State<'a, DesktopState>;

/// A core error as the webview shows it: the Polish message, then its hint.
pub(crate) fn polish(err: &dark8_core::CoreError) -> String {
    hinted(&err.user_message(dark8_core::Language::Pl))
}

/// A message and its hint as one string; the webview splits it at " Podpowiedź: ".
fn hinted(user: &dark8_core::UserMessage) -> String {
    format!("{} Podpowiedź: {}", user.message, user.hint)
}

/// The configuration in force, passwords masked and secrets redacted.
#[tauri::command]
pub fn read_settings(state: State<'_>) -> serde_json::Value {
    state.dark8.settings_view()
}

/// Changes the settings a front end may change (see `GET /api/v1/settings/writable`).
#[tauri::command]
pub async fn update_settings(
    state: State<'_>,
    changes: std::collections::BTreeMap<String, serde_json::Value>,
) -> Result<SettingsUpdate, String> {
    state
        .dark8
        .update_settings(&changes)
        .await
        .map_err(|err| hinted(&err.user_message(dark8_core::Language::Pl)))
}

/// The settings [`update_settings`] accepts.
#[tauri::command]
pub fn writable_settings() -> Vec<WritableSetting> {
    dark8_core::settings::writable_settings()
}

/// The doctor report: what DARK8 finds on this machine.
#[tauri::command]
pub async fn doctor_report(state: State<'_>) -> Result<DoctorReport, String> {
    Ok(state.dark8.doctor().await)
}

/// Starts a command in the window's workspace (or `workspace`).
#[tauri::command]
pub async fn start_command(
    state: State<'_>,
    command: String,
    workspace: Option<String>,
    session: Option<String>,
    tool: Option<String>,
    arguments: Option<serde_json::Value>,
) -> Result<RunState, String> {
    let call = match tool.filter(|t| !t.trim().is_empty()) {
        Some(tool) => {
            let arguments = arguments.unwrap_or_else(|| serde_json::json!({}));
            if !arguments.is_object() {
                return Err(
                    "Argumenty narzędzia muszą być obiektem JSON. Podpowiedź: np. {\"pid\": 1234}."
                        .to_owned(),
                );
            }
            Some(DirectCall {
                tool: tool.trim().to_owned(),
                arguments,
            })
        }
        None => None,
    };
    state
        .dark8
        .start_run(RunRequest {
            command,
            workspace: workspace.map_or_else(|| state.workspace.clone(), Into::into),
            session,
            source: CommandSource::Desktop,
            call,
            local_approver: None,
        })
        .await
        .map_err(|e| polish(&e))
}

/// The newest runs.
#[tauri::command]
pub async fn list_runs(state: State<'_>, limit: Option<u32>) -> Result<Vec<RunState>, String> {
    state
        .dark8
        .runs_recent(limit.unwrap_or(50).clamp(1, 500))
        .await
        .map_err(|e| polish(&e))
}

/// One run with its steps.
#[tauri::command]
pub async fn get_run(state: State<'_>, id: String) -> Result<RunDetail, String> {
    state
        .dark8
        .run_detail(&id)
        .await
        .map_err(|e| polish(&e))?
        .ok_or_else(|| format!("Nie znaleziono przebiegu {id}."))
}

/// Stops a run.
#[tauri::command]
pub fn cancel_run(state: State<'_>, id: String) -> Result<(), String> {
    if state.dark8.cancel_run(&id) {
        Ok(())
    } else {
        Err(format!("Przebieg {id} już się nie toczy."))
    }
}

/// The approvals waiting for an answer.
#[tauri::command]
pub fn list_approvals(state: State<'_>) -> Vec<PendingApproval> {
    state.dark8.approvals().pending()
}

/// Answers a pending approval.
#[tauri::command]
pub async fn answer_approval(
    state: State<'_>,
    id: String,
    approved: bool,
    grant: Option<GrantScope>,
    reason: Option<String>,
) -> Result<ApprovalDecision, String> {
    state
        .dark8
        .approvals()
        .answer(&id, approved, grant.unwrap_or_default(), reason)
        .await
        .map_err(|e| e.polish())
}

/// Every grant.
#[tauri::command]
pub async fn list_grants(state: State<'_>) -> Result<Vec<ApprovalGrant>, String> {
    state
        .dark8
        .approvals()
        .grants()
        .await
        .map_err(|e| e.to_string())
}

/// Revokes a grant.
#[tauri::command]
pub async fn revoke_grant(state: State<'_>, id: String) -> Result<(), String> {
    match state.dark8.approvals().revoke(&id).await {
        Ok(true) => Ok(()),
        Ok(false) => Err(format!("Nie ma aktywnej zgody {id}.")),
        Err(e) => Err(e.to_string()),
    }
}

/// The file changes run `id` made, with diffs.
#[tauri::command]
pub async fn run_changes(state: State<'_>, id: String) -> Result<Vec<FileChange>, String> {
    state.dark8.run_changes(&id).await.map_err(|e| polish(&e))
}

/// Undoes one tool call's changes (`batch` of [`run_changes`]); what was done per file.
#[tauri::command]
pub async fn undo_change(state: State<'_>, batch: String) -> Result<Vec<(String, String)>, String> {
    match state.dark8.undo_change(&batch).await {
        Ok(Some(report)) => Ok(report.files),
        Ok(None) => Err(format!(
            "Nie ma zmiany {batch} do cofnięcia. Podpowiedź: może już ją cofnięto; odśwież listę."
        )),
        Err(err) => Err(format!(
            "{} Podpowiedź: {}",
            err.message,
            err.hint.unwrap_or_default()
        )),
    }
}

/// Remembered facts and past turns for `query` (the newest without one).
#[tauri::command]
pub async fn list_knowledge(
    state: State<'_>,
    query: Option<String>,
    limit: Option<u32>,
) -> Result<Vec<KnowledgeEntry>, String> {
    let limit = limit.unwrap_or(50).clamp(1, 500);
    state
        .dark8
        .knowledge(query.as_deref(), limit)
        .await
        .map_err(|e| polish(&e))
}

/// Audit rows passing the filters, oldest first (as `GET /api/v1/audit`).
#[tauri::command]
pub async fn list_audit(
    state: State<'_>,
    limit: Option<u32>,
    action: Option<String>,
    status: Option<String>,
    since: Option<String>,
    until: Option<String>,
) -> Result<Vec<AuditEntry>, String> {
    let status = match status.as_deref().filter(|s| !s.is_empty()) {
        Some(name) => Some(ToolStatus::parse(name).ok_or_else(|| {
            format!("Nieznany stan wpisu: „{name}”. Podpowiedź: success, error albo denied.")
        })?),
        None => None,
    };
    let filter = AuditFilter {
        actions: action
            .unwrap_or_default()
            .split(',')
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .map(str::to_owned)
            .collect(),
        status,
        since: since.filter(|s| !s.is_empty()),
        until: until.filter(|s| !s.is_empty()),
        limit: limit.unwrap_or(50).clamp(1, 500),
    };
    let mut rows = state
        .dark8
        .audit_find(&filter)
        .await
        .map_err(|e| polish(&e))?;
    rows.reverse();
    Ok(rows)
}

/// Checks the audit chain.
#[tauri::command]
pub async fn verify_audit(state: State<'_>) -> Result<AuditVerification, String> {
    state.dark8.audit_verify().await.map_err(|e| polish(&e))
}

/// Known projects with their last results.
#[tauri::command]
pub async fn list_projects(state: State<'_>) -> Result<Vec<ProjectSummary>, String> {
    state
        .dark8
        .project_summaries()
        .await
        .map_err(|e| polish(&e))
}

/// Processor, memory, disks and network now (as `GET /api/v1/metrics`).
#[tauri::command]
pub async fn machine_metrics() -> Result<serde_json::Value, String> {
    let report =
        tauri::async_runtime::spawn_blocking(dark8_core::tools::builtin::system::full_report)
            .await
            .map_err(|e| format!("Pomiar się nie udał: {e}."))?;
    serde_json::to_value(report).map_err(|e| e.to_string())
}

/// Every process, the busiest first (as `GET /api/v1/processes`).
#[tauri::command]
pub async fn list_processes() -> Result<serde_json::Value, String> {
    let mut list =
        tauri::async_runtime::spawn_blocking(dark8_core::tools::builtin::system::snapshot)
            .await
            .map_err(|e| format!("Lista procesów się nie udała: {e}."))?;
    list.sort_by(|a, b| b.cpu_percent.total_cmp(&a.cpu_percent));
    serde_json::to_value(list).map_err(|e| e.to_string())
}

/// Background jobs, the newest first (as `GET /api/v1/jobs`).
#[tauri::command]
pub async fn list_jobs(state: State<'_>) -> Result<serde_json::Value, String> {
    serde_json::to_value(state.dark8.background_jobs().await).map_err(|e| e.to_string())
}

/// A background job's state and last `lines` output lines (as `GET /api/v1/jobs/{job}/log`).
#[tauri::command]
pub async fn job_log(
    state: State<'_>,
    job: String,
    lines: Option<usize>,
) -> Result<serde_json::Value, String> {
    match state
        .dark8
        .background_job_log(&job, lines.unwrap_or(200))
        .await
    {
        Ok(Some(log)) => serde_json::to_value(log).map_err(|e| e.to_string()),
        Ok(None) => Err(format!(
            "Nie ma zadania w tle {job}. Podpowiedź: odśwież listę zadań."
        )),
        Err(err) => Err(polish(&err)),
    }
}

/// Asks the configured model a one-word question (as `POST /api/v1/brain/check`).
#[tauri::command]
pub async fn check_brain(state: State<'_>) -> Result<dark8_protocol::BrainCheck, String> {
    Ok(state.dark8.check_brain().await)
}

/// The embedded engine's models and downloads (as `GET /api/v1/models`).
#[tauri::command]
pub fn list_models(state: State<'_>) -> Result<dark8_protocol::ModelCatalog, String> {
    state.dark8.model_catalog().map_err(|e| polish(&e))
}

/// Starts a model download in the background (as `POST /api/v1/models/pull`).
/// Async, so the download task is spawned on Tauri's Tokio runtime.
#[tauri::command]
pub async fn pull_model(
    state: State<'_>,
    request: dark8_protocol::ModelPullRequest,
) -> Result<dark8_protocol::ModelPull, String> {
    state
        .dark8
        .start_model_pull(&request)
        .map_err(|e| polish(&e))
}

static NEXT_FOLLOW: AtomicU32 = AtomicU32::new(1);

/// Streams every event after `after` (only new ones without it) into `on_event` (the core's
/// [`dark8_core::EventBus::stream`]); returns an id for [`unfollow_events`].
/// Async, so it runs on Tauri's Tokio runtime, where the core's stream task is spawned.
#[tauri::command]
pub async fn follow_events(
    state: State<'_>,
    after: Option<u64>,
    run: Option<String>,
    on_event: Channel<EventEnvelope>,
) -> Result<u32, String> {
    let mut deliveries = state.dark8.events().stream(after, run);
    let id = NEXT_FOLLOW.fetch_add(1, Ordering::Relaxed);
    let task = tauri::async_runtime::spawn(async move {
        while let Some(delivery) = deliveries.recv().await {
            // The console rebuilds from what it is sent; a resync has nothing to add here.
            if let Delivery::Event(envelope) = delivery {
                if on_event.send(*envelope).is_err() {
                    return;
                }
            }
        }
    });
    if let Ok(mut follows) = state.follows.lock() {
        follows.insert(id, task);
    }
    Ok(id)
}

/// Stops the stream `id` started by [`follow_events`].
#[tauri::command]
pub fn unfollow_events(state: State<'_>, id: u32) {
    if let Some(task) = state.follows.lock().ok().and_then(|mut f| f.remove(&id)) {
        task.abort();
    }
}
