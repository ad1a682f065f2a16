//! The browser session every browser tool shares: started on first use, one current page,
//! relaunched when the browser crashed or its socket closed, and a fresh page when only the
//! page's renderer died. Nothing above this module sees a CDP type but [`Page`], which stays
//! inside this crate.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use chromiumoxide::handler::viewport::Viewport;
use chromiumoxide::handler::HandlerConfig;
use chromiumoxide::{Browser, Page};
use futures_util::StreamExt;
use tokio::process::Child;
use tokio::sync::Mutex;

use crate::error::BrowserError;
use crate::launch::{self, LaunchOptions};
use crate::locate;

/// How long a page may take to answer a health check before it counts as crashed.
const HEALTH_TIMEOUT: Duration = Duration::from_secs(3);

/// Default window and viewport size.
const WINDOW: (u32, u32) = (1280, 800);

/// How the browser is started.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrowserSettings {
    /// The configured executable, if any (else the first one found).
    pub executable: Option<PathBuf>,
    /// DARK8's profile directory for the browser.
    pub profile: PathBuf,
    /// Without a window (the default).
    pub headless: bool,
}

/// A running browser with its current page.
struct Live {
    browser: Browser,
    child: Child,
    page: Page,
    connected: Arc<AtomicBool>,
}

impl Live {
    /// Whether the browser process runs and its socket is open.
    fn running(&mut self) -> bool {
        self.connected.load(Ordering::SeqCst) && matches!(self.child.try_wait(), Ok(None))
    }
}

/// What `Session::page` had to do to hand out a working page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recovery {
    /// Nothing: the page was fine (or the browser started for the first time).
    None,
    /// The browser had crashed or closed; it was started again.
    Relaunched,
    /// The page's renderer had crashed; a new page was opened.
    NewPage,
}

impl Recovery {
    /// What to tell the user, in Polish, when something was recovered.
    pub fn note_pl(self) -> Option<&'static str> {
        match self {
            Recovery::None => None,
            Recovery::Relaunched => {
                Some("Przeglądarka uległa awarii albo została zamknięta; uruchomiono ją ponownie.")
            }
            Recovery::NewPage => Some("Strona uległa awarii; otwarto ją ponownie."),
        }
    }
}

/// The shared browser session; cheap to clone.
#[derive(Clone)]
pub struct Session {
    settings: BrowserSettings,
    live: Arc<Mutex<Option<Live>>>,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}

impl Session {
    /// A session that starts its browser on first use.
    pub fn new(settings: BrowserSettings) -> Session {
        Session {
            settings,
            live: Arc::new(Mutex::new(None)),
        }
    }

    /// The current page, starting the browser first, relaunching it after a crash, or opening
    /// a new page when the old one no longer answers.
    pub async fn page(&self) -> Result<(Page, Recovery), BrowserError> {
        let mut live = self.live.lock().await;
        let mut recovery = Recovery::None;
        if let Some(current) = live.as_mut() {
            if !current.running() {
                *live = None;
                recovery = Recovery::Relaunched;
            }
        }
        if let Some(current) = live.as_mut() {
            if healthy(&current.page).await {
                return Ok((current.page.clone(), recovery));
            }
            current.page = current
                .browser
                .new_page("about:blank")
                .await
                .map_err(|e| BrowserError::protocol("nowa karta", e))?;
            return Ok((current.page.clone(), Recovery::NewPage));
        }
        let started = self.start().await?;
        let page = started.page.clone();
        *live = Some(started);
        Ok((page, recovery))
    }

    /// The browser's product and version as the DevTools protocol reports them (starts the
    /// browser when it is not running).
    pub async fn product(&self) -> Result<String, BrowserError> {
        self.page().await?;
        let live = self.live.lock().await;
        let live = live
            .as_ref()
            .ok_or_else(|| BrowserError::protocol("wersja", "przeglądarka nie działa"))?;
        let version = live
            .browser
            .version()
            .await
            .map_err(|e| BrowserError::protocol("wersja", e))?;
        Ok(version.product)
    }

    /// The browser's process id, while it runs.
    pub async fn pid(&self) -> Option<u32> {
        let live = self.live.lock().await;
        live.as_ref().and_then(|l| l.child.id())
    }

    /// Closes the browser (its process ends with it).
    pub async fn shutdown(&self) {
        let taken = self.live.lock().await.take();
        if let Some(mut live) = taken {
            let _ = tokio::time::timeout(Duration::from_secs(3), live.browser.close()).await;
            let _ = live.child.kill().await;
        }
    }

    async fn start(&self) -> Result<Live, BrowserError> {
        let executable =
            locate::find(self.settings.executable.as_deref()).ok_or(BrowserError::NotFound)?;
        let options = LaunchOptions {
            executable,
            profile: self.settings.profile.clone(),
            headless: self.settings.headless,
            window: WINDOW,
        };
        let (child, url) = launch::start(&options).await?;
        let config = HandlerConfig {
            // A certificate error is an error, as in any browser.
            ignore_https_errors: false,
            viewport: Some(Viewport {
                width: WINDOW.0,
                height: WINDOW.1,
                ..Viewport::default()
            }),
            ..HandlerConfig::default()
        };
        let (browser, mut handler) = Browser::connect_with_config(url, config)
            .await
            .map_err(|e| BrowserError::protocol("połączenie DevTools", e))?;
        let connected = Arc::new(AtomicBool::new(true));
        let flag = connected.clone();
        tokio::spawn(async move {
            while let Some(event) = handler.next().await {
                if let Err(err) = event {
                    tracing::debug!("browser connection: {err}");
                    if matches!(err, chromiumoxide::error::CdpError::Ws(_)) {
                        break;
                    }
                }
            }
            flag.store(false, Ordering::SeqCst);
        });
        let page = browser
            .new_page("about:blank")
            .await
            .map_err(|e| BrowserError::protocol("nowa karta", e))?;
        Ok(Live {
            browser,
            child,
            page,
            connected,
        })
    }
}

/// Whether `page` still answers a trivial script.
async fn healthy(page: &Page) -> bool {
    matches!(
        tokio::time::timeout(HEALTH_TIMEOUT, page.evaluate("1")).await,
        Ok(Ok(_))
    )
}
