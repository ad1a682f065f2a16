//! What the desktop shell keeps between commands.

use dark8_core::{Config, Paths};

/// Settings loaded once at start, the same way the CLI loads them.
pub struct DesktopState {
    /// The configuration in force.
    pub config: Config,
    /// The files DARK8 uses.
    pub paths: Paths,
    /// Keeps the log file writer alive for the life of the app.
    _log_guard: dark8_core::logging::LogGuard,
}

impl DesktopState {
    /// Loads paths and configuration and starts logging; the error is a Polish message
    /// with a hint.
    pub fn boot() -> Result<DesktopState, String> {
        let (paths, config) = dark8_core::load_settings().map_err(|err| {
            let user = err.user_message(dark8_core::Language::Pl);
            format!("Błąd: {}\nPodpowiedź: {}", user.message, user.hint)
        })?;
        let log_guard = dark8_core::logging::init(0, &paths.log_dir(), &config.logging.file_level);
        Ok(DesktopState {
            config,
            paths,
            _log_guard: log_guard,
        })
    }
}
