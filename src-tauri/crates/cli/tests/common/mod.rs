//! Helpers shared by the CLI's integration tests.
#![allow(dead_code)]

use std::path::PathBuf;

/// The embedded e5 model file: `DARK8_E5_MODEL`, or where `scripts/fetch-e5-model.sh` keeps it
/// (`~/.cache/dark8-e5/e5-small-q4.bin`); `None` when it is not there.
pub fn e5_model_path() -> Option<PathBuf> {
    std::env::var_os("DARK8_E5_MODEL")
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME")
                .map(|home| PathBuf::from(home).join(".cache/dark8-e5/e5-small-q4.bin"))
        })
        .filter(|path| path.is_file())
}
