//! The browser's abilities as tools (through the executor like every tool): pages opened and
//! read, elements clicked and filled, tabs, screenshots and PDFs, plain pages fetched without
//! the browser, and web search.

mod act;
mod capture;
mod fetch;
mod page;
mod search;
mod tabs;

pub use act::{
    Acted, BackArgs, BrowserBack, BrowserClick, BrowserScroll, BrowserSelect, BrowserType,
    BrowserWait, ClickArgs, ScrollArgs, SelectArgs, TypeArgs, WaitArgs,
};
pub use capture::{BrowserPdf, BrowserScreenshot, CaptureArgs, Captured};
pub use fetch::{FetchArgs, Fetched, PageFetch};
pub use page::{BrowserOpen, BrowserRead, OpenArgs, Opened, PageText, ReadArgs, What};
pub use search::{SearchArgs, SearchResults, WebSearch};
pub use tabs::{BrowserTabs, Tab, TabAction, TabsArgs, TabsList};

use std::sync::{Arc, Mutex};

use dark8_tools::builtin::count;
use dark8_tools::{Policy, ToolError};

use crate::observe::Observation;
use crate::search::Searcher;
use crate::session::{Recovery, Session};

/// How long an agent's browser action waits for the user to hand the browser back.
pub const AGENT_WAIT: std::time::Duration = std::time::Duration::from_secs(300);

/// What the browser tools share: the session (whose guard holds the policy), the searcher
/// and the latest observation (to find a stale element number again).
#[derive(Debug, Clone)]
pub struct Browsing {
    /// The browser session.
    pub session: Session,
    /// Web search.
    pub searcher: Searcher,
    /// The latest observation any tool made of the current page, with the session's hand-back
    /// count when it was made.
    pub last: Arc<Mutex<Option<(u64, Observation)>>>,
}

impl Browsing {
    /// The tools' shared state over `session`.
    pub fn new(session: Session, policy: Policy, searcher: Searcher) -> Browsing {
        session.guard().set_policy(policy);
        Browsing {
            session,
            searcher,
            last: Arc::new(Mutex::new(None)),
        }
    }

    /// Keeps `observation` as the latest one.
    pub fn remember(&self, observation: &Observation) {
        if let Ok(mut last) = self.last.lock() {
            *last = Some((self.session.hand_backs(), observation.clone()));
        }
    }

    /// The latest observation, if any was made since the user last handed the browser back.
    pub fn latest(&self) -> Option<Observation> {
        let epoch = self.session.hand_backs();
        self.last
            .lock()
            .ok()
            .and_then(|last| last.clone())
            .filter(|(made, _)| *made == epoch)
            .map(|(_, observation)| observation)
    }

    /// Lets an agent action go ahead once the user does not drive the browser: while the
    /// user drives, it waits for the hand-back (at most [`AGENT_WAIT`], then refuses).
    pub async fn agent_may_act(&self) -> Result<(), ToolError> {
        // The user drives (a login, a CAPTCHA): the agent's action waits for the hand-back,
        // at most AGENT_WAIT; a cancelled call stops waiting with it.
        let deadline = std::time::Instant::now() + AGENT_WAIT;
        while self.session.user_driving() {
            if std::time::Instant::now() >= deadline {
                return Err(ToolError::new(
                    "Przeglądarkę prowadzi teraz użytkownik; agent czekał i przestał.",
                    "Oddaj przeglądarkę agentowi (przełącznik „agent prowadzi”) i ponów polecenie; agent zacznie od świeżego spojrzenia na stronę.",
                ));
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        Ok(())
    }

    /// Forgets the latest observation (another tab became current).
    pub fn forget(&self) {
        if let Ok(mut last) = self.last.lock() {
            *last = None;
        }
    }
}

/// Prefixes a recovery note to a summary.
fn with_note(recovery: Recovery, summary: String) -> String {
    match recovery.note_pl() {
        Some(note) => format!("{note} {summary}"),
        None => summary,
    }
}

/// "1 element", "3 elementy", "5 elementów".
pub(crate) fn count_elements(n: usize) -> String {
    count(n, "element", "elementy", "elementów")
}

/// "1 fragment", "3 fragmenty", "5 fragmentów".
pub(crate) fn count_chunks(n: usize) -> String {
    count(n, "fragment", "fragmenty", "fragmentów")
}
