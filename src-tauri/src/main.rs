//! DARK8 OS desktop application: a thin Tauri shell over `dark8-core`.
//!
//! The webview (`ui/`) calls the commands below; everything they do is done by the core.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod api_server;
mod browser;
mod commands;
mod launch;
mod notices;
mod open;
mod secrets;
mod state;
mod tray;

use tauri::Manager;

fn main() {
    let first_launch = launch::from_args(&std::env::args().skip(1).collect::<Vec<_>>());
    let result = tauri::Builder::default()
        // First: a second launch hands its arguments over here and exits.
        .plugin(tauri_plugin_single_instance::init(
            |app, argv, _cwd| match launch::from_args(argv.get(1..).unwrap_or_default()) {
                Some(launch) => launch::deliver(app, launch),
                None => launch::show_window(app),
            },
        ))
        .plugin(tauri_plugin_window_state::Builder::default().build())
        .plugin(tauri_plugin_notification::init())
        .plugin(tauri_plugin_opener::init())
        .manage(launch::Launches::default())
        // The core boots here, after the single-instance check: a second start never opens
        // the database (it would take the first instance's runs for interrupted ones). The
        // window is made once the state is there, so no command finds it missing.
        .setup(move |app| {
            let state = match state::DesktopState::boot() {
                Ok(state) => state,
                Err(message) => {
                    eprintln!("{message}");
                    std::process::exit(1);
                }
            };
            app.manage(state);
            for window in &app.config().app.windows {
                tauri::WebviewWindowBuilder::from_config(app.handle(), window)?.build()?;
            }
            if let Some(launch) = first_launch.clone() {
                app.state::<launch::Launches>().push(launch);
            }
            tray::install(app.handle());
            api_server::resume(app.handle());
            Ok(())
        })
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
            commands::list_jobs,
            commands::job_log,
            commands::check_brain,
            commands::list_models,
            commands::pull_model,
            browser::browser_view,
            browser::browser_navigate,
            browser::browser_input,
            browser::browser_take_over,
            browser::browser_hand_back,
            browser::browser_frames,
            browser::browser_frames_stop,
            launch::follow_launches,
            open::open_folder,
            open::open_in_system_browser,
            secrets::secret_names,
            secrets::secret_set,
            secrets::secret_remove,
            api_server::api_server_state,
            api_server::api_server_start,
            api_server::api_server_stop,
            api_server::api_server_rotate_token,
            api_server::api_server_open_dashboard,
        ])
        .run(tauri::generate_context!());
    if let Err(err) = result {
        eprintln!("Błąd: nie można uruchomić okna DARK8: {err}\nPodpowiedź: uruchom `dark8 doctor` i sprawdź biblioteki WebKitGTK.");
        std::process::exit(1);
    }
}
