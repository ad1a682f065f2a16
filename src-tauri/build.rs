//! Build script of the desktop app: Tauri's code generation, with the capabilities under
//! `src-tauri/capabilities/` and only the app's own commands allowed to the webview.

/// The commands of `src/commands.rs`, `src/browser.rs`, `src/launch.rs`, `src/open.rs`, `src/secrets.rs` and `src/api_server.rs`, the
/// only ones the webview may call.
const COMMANDS: &[&str] = &[
    "doctor_report",
    "start_command",
    "list_runs",
    "get_run",
    "cancel_run",
    "list_approvals",
    "answer_approval",
    "list_grants",
    "revoke_grant",
    "follow_events",
    "unfollow_events",
    "read_settings",
    "update_settings",
    "writable_settings",
    "run_changes",
    "undo_change",
    "list_knowledge",
    "list_audit",
    "verify_audit",
    "list_projects",
    "machine_metrics",
    "list_processes",
    "list_jobs",
    "job_log",
    "check_brain",
    "list_models",
    "pull_model",
    "api_server_state",
    "api_server_start",
    "api_server_stop",
    "api_server_rotate_token",
    "api_server_open_dashboard",
    "browser_view",
    "browser_navigate",
    "browser_input",
    "browser_take_over",
    "browser_hand_back",
    "browser_frames",
    "browser_frames_stop",
    "follow_launches",
    "open_folder",
    "open_in_system_browser",
    "secret_names",
    "secret_set",
    "secret_remove",
];

fn main() {
    println!("cargo:rerun-if-changed=src-tauri/capabilities");
    let attributes = tauri_build::Attributes::new()
        .capabilities_path_pattern("src-tauri/capabilities/**/*")
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    if let Err(err) = tauri_build::try_build(attributes) {
        // A build script reports failure by exiting non-zero with the reason on stderr.
        eprintln!("tauri build failed: {err:#}");
        std::process::exit(1);
    }
}
