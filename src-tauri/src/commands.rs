//! Tauri commands the webview may call (see `src-tauri/capabilities/`).

use dark8_protocol::DoctorReport;

use crate::state::DesktopState;

/// The doctor report: what DARK8 finds on this machine.
#[tauri::command]
pub async fn doctor_report(state: tauri::State<'_, DesktopState>) -> Result<DoctorReport, String> {
    Ok(dark8_core::doctor::diagnose(&state.config, &state.paths).await)
}
