//! Where DARK8 keeps its configuration, database and logs.

use std::path::{Path, PathBuf};

/// Environment variable that moves all of DARK8's files under one directory.
pub const HOME_ENV: &str = "DARK8_HOME";

/// The files and directories DARK8 uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paths {
    /// The configuration file (`config.toml`).
    pub config_file: PathBuf,
    /// The data directory: database, logs, models, trash ...
    pub data_dir: PathBuf,
}

impl Paths {
    /// Paths from `DARK8_HOME` when set, otherwise the platform's directories
    /// (XDG on Linux, `%APPDATA%` on Windows).
    pub fn discover() -> Option<Paths> {
        match std::env::var_os(HOME_ENV).filter(|v| !v.is_empty()) {
            Some(home) => {
                let home = std::path::absolute(Path::new(&home)).ok()?;
                Some(Paths::under(&home))
            }
            None => {
                let dirs = directories::ProjectDirs::from("", "", "dark8")?;
                Some(Paths {
                    config_file: dirs.config_dir().join("config.toml"),
                    data_dir: dirs.data_dir().to_path_buf(),
                })
            }
        }
    }

    /// Everything under one directory: `<home>/config.toml` and `<home>/data/`.
    pub fn under(home: &Path) -> Paths {
        Paths {
            config_file: home.join("config.toml"),
            data_dir: home.join("data"),
        }
    }

    /// DARK8's own keys (the audit chain's, the secret fingerprints'), beside the
    /// configuration and apart from the data directory, so a copy of the data (or of the
    /// database) does not carry them.
    pub fn keys_dir(&self) -> PathBuf {
        self.config_file
            .parent()
            .map_or_else(|| self.data_dir.join("keys"), |dir| dir.join("keys"))
    }

    /// The SQLite database file.
    pub fn database(&self) -> PathBuf {
        self.data_dir.join("dark8.db")
    }

    /// The saved vector indexes, one directory per embedding model (rebuilt from the
    /// database whenever they are missing or damaged).
    pub fn vector_index_dir(&self) -> PathBuf {
        self.data_dir.join("index")
    }

    /// The directory of local GGUF models of the embedded engine.
    pub fn models_dir(&self) -> PathBuf {
        self.data_dir.join("models")
    }

    /// The directory of the daily JSON log files.
    pub fn log_dir(&self) -> PathBuf {
        self.data_dir.join("logs")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn everything_lives_under_the_home() {
        let paths = Paths::under(Path::new("/tmp/d8"));
        assert_eq!(paths.config_file, Path::new("/tmp/d8/config.toml"));
        assert_eq!(paths.database(), Path::new("/tmp/d8/data/dark8.db"));
        assert_eq!(paths.log_dir(), Path::new("/tmp/d8/data/logs"));
    }
}
