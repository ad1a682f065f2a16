//! DARK8 OS desktop application: a thin Tauri shell over `dark8-core`.
//!
//! The webview (`ui/`) calls the commands below; everything they do is done by the core.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod browser;
mod commands;
mod state;

fn main() {
    let state = match state::DesktopState::boot() {
        Ok(state) => state,
        Err(message) => {
            eprintln!("{message}");
            std::process::exit(1);
        }
    };
    let result = tauri::Builder::default()
        .manage(state)
        .invoke_handler(tauri::generate_handler![
            commands::doctor_report,
            commands::start_command,
            commands::list_runs,
            commands::get_run,
            commands::cancel_run,
            commands::list_approvals,
            commands::answer_approval,
            commands::list_grants,
            commands::revoke_grant,
            commands::follow_events,
            commands::unfollow_events,
            commands::read_settings,
            commands::update_settings,
            commands::writable_settings,
            commands::run_changes,
            commands::undo_change,
            commands::list_knowledge,
            commands::list_audit,
            commands::verify_audit,
            commands::list_projects,
            commands::machine_metrics,
            commands::list_processes,
            browser::browser_view,
            browser::browser_navigate,
            browser::browser_input,
            browser::browser_take_over,
            browser::browser_hand_back,
            browser::browser_frames,
            browser::browser_frames_stop,
        ])
        .run(tauri::generate_context!());
    if let Err(err) = result {
        eprintln!("Błąd: nie można uruchomić okna DARK8: {err}\nPodpowiedź: uruchom `dark8 doctor` i sprawdź biblioteki WebKitGTK.");
        std::process::exit(1);
    }
}
