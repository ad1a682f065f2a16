//! Tauri commands the webview may call (see `src-tauri/capabilities/`): the same operations
//! as the REST API, over Tauri's IPC (the desktop app opens no port). Errors are Polish
//! messages with a hint.

use std::sync::atomic::{AtomicU32, Ordering};

use dark8_core::{Delivery, RunRequest};
use dark8_protocol::{
    ApprovalDecision, ApprovalGrant, CommandSource, DoctorReport, EventEnvelope, GrantScope,
    PendingApproval, RunDetail, RunState, SettingsUpdate, WritableSetting,
};
use tauri::ipc::Channel;

use crate::state::DesktopState;

type State<'a> = tauri::State<'a, DesktopState>;

fn polish(err: &dark8_core::CoreError) -> String {
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
) -> Result<RunState, String> {
    state
        .dark8
        .start_run(RunRequest {
            command,
            workspace: workspace.map_or_else(|| state.workspace.clone(), Into::into),
            session,
            source: CommandSource::Desktop,
            call: None,
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
