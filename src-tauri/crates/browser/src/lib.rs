//! DARK8's integrated browser: its own Chromium driven over the DevTools protocol
//! (chromiumoxide), pages read the way a small model can use them (a numbered list of
//! interactive elements, the main text in chunks), acted on like a person does (clicks and
//! typing as real input), every navigation judged before it leaves the browser, and web
//! search. Its abilities are tools that go through the executor like every other.

pub mod act;
pub mod downloads;
pub mod error;
pub mod fetch;
pub mod guard;
pub mod input;
pub mod launch;
pub mod locate;
mod navigate;
pub mod observe;
pub mod robots;
pub mod screencast;
pub mod search;
pub mod session;
pub mod tether;
pub mod text;
pub mod tools;
pub mod user;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use dark8_tools::{declared, Policy, Tool};
use serde::{Deserialize, Serialize};

pub use error::BrowserError;
pub use search::{SearchConfig, Searcher};
pub use session::{BrowserSettings, LiveViewer, Recovery, Session};
pub use tools::Browsing;

/// Starts `executable` as a throwaway browser with a temporary profile and asks it for its
/// product and version over the DevTools protocol (for `dark8 doctor`).
pub async fn probe(executable: &Path) -> Result<String, BrowserError> {
    let root = std::env::temp_dir().join(format!("dark8-browser-probe-{}", std::process::id()));
    let session = Session::new(BrowserSettings {
        executable: Some(executable.to_path_buf()),
        ..BrowserSettings::under(&root)
    });
    let answer = session.product().await;
    session.shutdown().await;
    let _ = std::fs::remove_dir_all(&root);
    answer
}

/// The `[browser]` section of the configuration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct BrowserConfig {
    /// The Chromium, Chrome or Edge to drive (default: the first one found).
    pub path: Option<PathBuf>,
    /// Without a window (default true).
    pub headless: bool,
    /// The largest download kept in the quarantine folder, in MiB (default 200).
    pub download_limit_mib: u64,
}

impl Default for BrowserConfig {
    fn default() -> BrowserConfig {
        BrowserConfig {
            path: None,
            headless: true,
            download_limit_mib: 200,
        }
    }
}

impl BrowserConfig {
    /// The session settings with DARK8's own profile under `data_dir/browser/profile` and
    /// the download quarantine in `data_dir/browser/downloads`.
    pub fn settings(&self, data_dir: &Path) -> BrowserSettings {
        BrowserSettings {
            executable: self.path.clone(),
            headless: self.headless,
            download_limit: self.download_limit_mib.saturating_mul(1024 * 1024),
            ..BrowserSettings::under(&data_dir.join("browser"))
        }
    }
}

/// The browser tools over one shared session and searcher.
pub fn tools(session: Session, policy: Policy, searcher: Searcher) -> Vec<Arc<dyn Tool>> {
    let browsing = Browsing::new(session, policy.clone(), searcher.clone());
    vec![
        declared(tools::BrowserOpen(browsing.clone())),
        declared(tools::BrowserRead(browsing.clone())),
        declared(tools::BrowserClick(browsing.clone())),
        declared(tools::BrowserType(browsing.clone())),
        declared(tools::BrowserSelect(browsing.clone())),
        declared(tools::BrowserScroll(browsing.clone())),
        declared(tools::BrowserBack(browsing.clone())),
        declared(tools::BrowserWait(browsing.clone())),
        declared(tools::BrowserTabs(browsing.clone())),
        declared(tools::BrowserScreenshot(browsing.clone())),
        declared(tools::BrowserPdf(browsing)),
        declared(tools::PageFetch(fetch::Fetcher::new(policy))),
        declared(tools::WebSearch(searcher)),
    ]
}
