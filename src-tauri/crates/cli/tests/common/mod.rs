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

/// The e5 model file, or `None` after saying the test is skipped; with `DARK8_REQUIRE_E5` set
/// (as CI sets it) a missing file fails the test instead.
pub fn e5_model_or_skip() -> Option<PathBuf> {
    let model = e5_model_path();
    if model.is_none() {
        assert!(
            std::env::var_os("DARK8_REQUIRE_E5").is_none(),
            "DARK8_REQUIRE_E5 is set but the e5 model file is not there"
        );
        eprintln!("skipped: no e5 model file (scripts/fetch-e5-model.sh)");
    }
    model
}

/// Links `model` into the models directory of the DARK8 home `home`.
#[cfg(unix)]
pub fn install_e5(home: &std::path::Path, model: &std::path::Path) {
    let models = home.join("data/models");
    std::fs::create_dir_all(&models).unwrap();
    std::os::unix::fs::symlink(model, models.join("e5-small-q4.bin")).unwrap();
}
