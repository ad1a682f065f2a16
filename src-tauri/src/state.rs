//! What the desktop shell keeps between commands: the running core and the event streams the
//! webview follows.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Mutex;

use dark8_core::Dark8;

/// The core, started once when the window opens, the same way the CLI starts it.
pub struct DesktopState {
    /// The core.
    pub dark8: Dark8,
    /// The workspace of commands typed in the window: `DARK8_WORKSPACE` when set, else the
    /// user's home directory.
    pub workspace: PathBuf,
    /// Event streams the webview follows, by id: dropping a handle stops its task.
    pub follows: Mutex<HashMap<u32, tauri::async_runtime::JoinHandle<()>>>,
    /// Live-view frame streams the webview follows, by id.
    pub frames: Mutex<HashMap<u32, tauri::async_runtime::JoinHandle<()>>>,
    /// The local REST API and browser dashboard, when switched on.
    pub api: crate::api_server::ApiServer,
    /// Keeps the log file writer alive for the life of the app.
    _log_guard: dark8_core::logging::LogGuard,
}

impl DesktopState {
    /// Loads paths and configuration, starts logging and the core; the error is a Polish
    /// message with a hint.
    pub fn boot() -> Result<DesktopState, String> {
        let polish = |err: dark8_core::CoreError| {
            let user = err.user_message(dark8_core::Language::Pl);
            format!("Błąd: {}\nPodpowiedź: {}", user.message, user.hint)
        };
        let (paths, config) = dark8_core::load_settings().map_err(polish)?;
        let log_guard = dark8_core::logging::init(0, &paths.log_dir(), &config.logging.file_level);
        let dark8 = tauri::async_runtime::block_on(Dark8::start(config, paths)).map_err(polish)?;
        let workspace = std::env::var_os("DARK8_WORKSPACE")
            .map(PathBuf::from)
            .or_else(std::env::home_dir)
            .filter(|dir| dir.is_dir())
            .unwrap_or_else(std::env::temp_dir);
        Ok(DesktopState {
            dark8,
            workspace,
            follows: Mutex::new(HashMap::new()),
            frames: Mutex::new(HashMap::new()),
            api: crate::api_server::ApiServer::default(),
            _log_guard: log_guard,
        })
    }
}
