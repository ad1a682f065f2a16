//! What the browser tests share: the tools over a session with its own profile, and a look
//! at /proc for a leftover browser.
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)] // tests may panic

use std::path::PathBuf;

use dark8_browser::{BrowserSettings, SearchConfig, Searcher, Session};
use dark8_test_support::{fixture_with, Fixture};
use dark8_tools::PolicyConfig;

/// The largest download the test sessions keep.
pub const DOWNLOAD_LIMIT: u64 = 1024 * 1024;

/// The tools over a session with its own profile, under `policy`.
pub async fn browser_fixture(policy: PolicyConfig) -> (Fixture, Session, tempfile::TempDir) {
    let profile_root = tempfile::tempdir().unwrap();
    let session = Session::new(BrowserSettings {
        // Small, so that the tests can show a download past the limit.
        download_limit: DOWNLOAD_LIMIT,
        ..BrowserSettings::under(profile_root.path())
    });
    let for_tools = session.clone();
    let fixture = fixture_with(
        policy,
        |_| {},
        move |_, settings| {
            dark8_browser::tools(
                for_tools,
                settings.policy.clone(),
                Searcher::new(SearchConfig::default()),
            )
        },
    )
    .await;
    (fixture, session, profile_root)
}

/// Whether a process whose command line names `path` is running.
pub fn running_with(path: &std::path::Path) -> bool {
    let needle = path.display().to_string();
    std::fs::read_dir("/proc").unwrap().flatten().any(|entry| {
        let cmdline: PathBuf = entry.path().join("cmdline");
        std::fs::read(cmdline)
            .map(|bytes| String::from_utf8_lossy(&bytes).contains(&needle))
            .unwrap_or(false)
    })
}
