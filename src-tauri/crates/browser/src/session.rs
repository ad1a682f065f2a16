//! The browser session every browser tool shares: started on first use, its tabs (one of them
//! current; a popup a page opens becomes current), relaunched when the browser crashed or its
//! socket closed, and a fresh page when only the page's renderer died. Every page is put under
//! the session's [`Guard`] before it is used. Nothing above this crate sees a CDP type.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use chromiumoxide::handler::viewport::Viewport;
use chromiumoxide::handler::HandlerConfig;
use chromiumoxide::{Browser, Page};
use futures_util::StreamExt;
use tokio::process::Child;
use tokio::sync::{watch, Mutex};

use crate::downloads::{self, Quarantine};
use crate::error::BrowserError;
use crate::guard::{self, Guard};
use crate::input::{self, UserInput};
use crate::launch::{self, LaunchOptions};
use crate::locate;
use crate::screencast::{Frame, Screencast};
use crate::tether::Tether;

/// How long a page may take to answer a health check before it counts as crashed.
const HEALTH_TIMEOUT: Duration = Duration::from_secs(3);

/// Default window and viewport size.
pub(crate) const WINDOW: (u32, u32) = (1280, 800);

/// How the browser is started.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrowserSettings {
    /// The configured executable, if any (else the first one found).
    pub executable: Option<PathBuf>,
    /// DARK8's profile directory for the browser.
    pub profile: PathBuf,
    /// Without a window (the default).
    pub headless: bool,
    /// The quarantine folder downloads go to.
    pub downloads: PathBuf,
    /// The largest download kept, in bytes.
    pub download_limit: u64,
}

impl BrowserSettings {
    /// Headless, the first browser found, its profile in `dir/profile`, downloads in
    /// `dir/downloads`, at most 200 MiB each.
    pub fn under(dir: &std::path::Path) -> BrowserSettings {
        BrowserSettings {
            executable: None,
            profile: dir.join("profile"),
            headless: true,
            downloads: dir.join("downloads"),
            download_limit: 200 * 1024 * 1024,
        }
    }
}

/// A running browser with its tabs.
pub(crate) struct Live {
    pub(crate) browser: Browser,
    child: Child,
    /// Keeps the browser dying with DARK8 (the Windows job object lives here).
    _tether: Tether,
    tabs: Vec<Page>,
    current: usize,
    connected: Arc<AtomicBool>,
}

/// One tab as the tools show it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TabInfo {
    /// Its number, from 1.
    pub number: usize,
    /// Its title.
    pub title: String,
    /// Its address.
    pub url: String,
    /// Whether it is the current tab.
    pub current: bool,
}

impl Live {
    /// Whether the browser process runs and its socket is open.
    fn running(&mut self) -> bool {
        self.connected.load(Ordering::SeqCst) && matches!(self.child.try_wait(), Ok(None))
    }

    /// The current tab.
    fn page(&self) -> Option<&Page> {
        self.tabs.get(self.current)
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
    guard: Arc<Guard>,
    quarantine: Arc<Quarantine>,
    frames: watch::Sender<Option<Arc<Frame>>>,
    screencast: Arc<Mutex<Option<Screencast>>>,
    viewers: Arc<AtomicUsize>,
    user_driving: Arc<AtomicBool>,
    hand_backs: Arc<AtomicU64>,
}

/// One front end watching the live view (see [`Session::live_viewer`]); dropping it stops the
/// live view when it was the last.
#[derive(Debug)]
pub struct LiveViewer {
    session: Session,
}

impl Drop for LiveViewer {
    fn drop(&mut self) {
        if self.session.viewers.fetch_sub(1, Ordering::SeqCst) == 1 {
            let session = self.session.clone();
            if let Ok(runtime) = tokio::runtime::Handle::try_current() {
                runtime.spawn(async move { session.stop_live_view_unwatched().await });
            }
        }
    }
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
        let quarantine = Arc::new(Quarantine::new(
            settings.downloads.clone(),
            settings.download_limit,
        ));
        Session {
            settings,
            live: Arc::new(Mutex::new(None)),
            guard: Arc::new(Guard::default()),
            quarantine,
            frames: watch::channel(None).0,
            screencast: Arc::new(Mutex::new(None)),
            viewers: Arc::new(AtomicUsize::new(0)),
            user_driving: Arc::new(AtomicBool::new(false)),
            hand_backs: Arc::new(AtomicU64::new(0)),
        }
    }

    /// The live view's frames: the latest one, JPEG, while the live view runs.
    pub fn frames(&self) -> watch::Receiver<Option<Arc<Frame>>> {
        self.frames.subscribe()
    }

    /// A front end starts watching: the live view runs (on the current tab, starting the
    /// browser when needed) until the last [`LiveViewer`] is dropped. A viewer leaving as
    /// another arrives never stops the newcomer's view: the count and the start and stop share
    /// one lock.
    pub async fn live_viewer(&self) -> Result<LiveViewer, BrowserError> {
        self.viewers.fetch_add(1, Ordering::SeqCst);
        let viewer = LiveViewer {
            session: self.clone(),
        };
        let (page, _) = self.page().await?;
        let mut screencast = self.screencast.lock().await;
        let current = page.target_id().clone();
        if screencast
            .as_ref()
            .is_none_or(|running| running.page().target_id() != &current)
        {
            if let Some(running) = screencast.take() {
                running.stop().await;
            }
            *screencast = Some(Screencast::start(&page, self.frames.clone()).await?);
        }
        Ok(viewer)
    }

    /// Whether the live view runs now.
    pub async fn live_view_running(&self) -> bool {
        self.screencast.lock().await.is_some()
    }

    /// Starts the live view of the current tab (a screenshot first, then the screencast),
    /// replacing a running one.
    pub async fn start_live_view(&self) -> Result<(), BrowserError> {
        let (page, _) = self.page().await?;
        let mut screencast = self.screencast.lock().await;
        if let Some(running) = screencast.take() {
            running.stop().await;
        }
        *screencast = Some(Screencast::start(&page, self.frames.clone()).await?);
        Ok(())
    }

    /// Stops the live view (front end hidden or closed).
    pub async fn stop_live_view(&self) {
        if let Some(running) = self.screencast.lock().await.take() {
            running.stop().await;
        }
    }

    /// Stops the live view when no viewer is left, checked under the live view's lock.
    async fn stop_live_view_unwatched(&self) {
        let mut screencast = self.screencast.lock().await;
        if self.viewers.load(Ordering::SeqCst) == 0 {
            if let Some(running) = screencast.take() {
                running.stop().await;
            }
        }
    }

    /// Moves a running live view to the current tab when another tab became current.
    pub async fn follow_live_view(&self) -> Result<(), BrowserError> {
        let Some(showing) = self
            .screencast
            .lock()
            .await
            .as_ref()
            .map(|running| running.page().target_id().clone())
        else {
            return Ok(());
        };
        let current = self.current().await;
        if current.is_some_and(|current| current.target_id() != &showing) {
            self.start_live_view().await?;
        }
        Ok(())
    }

    /// Whether the user drives the browser now (the agent's browser actions wait).
    pub fn user_driving(&self) -> bool {
        self.user_driving.load(Ordering::SeqCst)
    }

    /// The user takes the browser over (a login, a CAPTCHA): the agent's actions are refused
    /// until [`Session::hand_back`].
    pub fn take_over(&self) {
        self.user_driving.store(true, Ordering::SeqCst);
    }

    /// The user hands the browser back; the agent starts again from this fresh observation
    /// (what it saw before no longer counts).
    pub async fn hand_back(&self) -> Result<crate::observe::Observation, BrowserError> {
        self.hand_backs.fetch_add(1, Ordering::SeqCst);
        self.user_driving.store(false, Ordering::SeqCst);
        let (page, _) = self.page().await?;
        crate::navigate::observe(&page).await
    }

    /// Hands the browser back without observing a page (the browser does not run: the
    /// agent opens what it needs itself).
    pub fn hand_back_idle(&self) {
        self.hand_backs.fetch_add(1, Ordering::SeqCst);
        self.user_driving.store(false, Ordering::SeqCst);
    }

    /// How many times the browser was handed back: an observation made before the last hand
    /// back is stale.
    pub fn hand_backs(&self) -> u64 {
        self.hand_backs.load(Ordering::SeqCst)
    }

    /// The user's mouse, wheel or keyboard into the current tab; input while the agent
    /// drives takes the browser over first.
    pub async fn user_input(&self, event: &UserInput) -> Result<(), BrowserError> {
        self.take_over();
        let (page, _) = self.page().await?;
        input::dispatch(&page, event).await
    }

    /// Where downloads go.
    pub fn quarantine(&self) -> &Quarantine {
        &self.quarantine
    }

    /// The judge of this session's navigations.
    pub fn guard(&self) -> &Guard {
        &self.guard
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
            if let Some(page) = current.page() {
                if healthy(page).await {
                    return Ok((page.clone(), recovery));
                }
            }
            let page = self.new_tab(&current.browser).await?;
            if current.current < current.tabs.len() {
                current.tabs[current.current] = page.clone();
            } else {
                current.tabs.push(page.clone());
                current.current = current.tabs.len() - 1;
            }
            return Ok((page, Recovery::NewPage));
        }
        let started = self.start().await?;
        let page = started
            .page()
            .cloned()
            .ok_or_else(|| BrowserError::protocol("nowa karta", "brak karty"))?;
        *live = Some(started);
        Ok((page, recovery))
    }

    /// The current tab as it is, without a health check or a start (for what an action just
    /// used).
    pub(crate) async fn current(&self) -> Option<Page> {
        self.live
            .lock()
            .await
            .as_ref()
            .and_then(|live| live.page().cloned())
    }

    /// Makes a tab that a page opened (a popup, a link with `target=_blank`) the current one
    /// and puts it under the guard; its address when there was one. A popup whose address
    /// the guard refuses is closed and reported.
    pub async fn adopt_new_tab(&self) -> Result<Option<String>, BrowserError> {
        let mut live = self.live.lock().await;
        let Some(current) = live.as_mut() else {
            return Ok(None);
        };
        let pages = current
            .browser
            .pages()
            .await
            .map_err(|e| BrowserError::protocol("lista kart", e))?;
        let known: Vec<_> = current.tabs.iter().map(|p| p.target_id().clone()).collect();
        let mut popup = None;
        for page in pages.into_iter().rev() {
            if known.contains(page.target_id()) {
                continue;
            }
            let url = page.url().await.ok().flatten().unwrap_or_default();
            let opened_by_ours = page
                .opener_id()
                .as_ref()
                .map(|opener| known.contains(opener))
                .unwrap_or(false);
            if opened_by_ours || (url != "about:blank" && !url.is_empty()) {
                popup = Some((page, url));
                break;
            }
        }
        let Some((popup, url)) = popup else {
            return Ok(None);
        };
        if let Err(reason) = self.guard.judge(&url) {
            if url != "about:blank" && !url.is_empty() {
                let _ = popup.close().await;
                return Err(BrowserError::Refused { url, reason });
            }
        }
        guard::install(&popup, self.guard.clone()).await?;
        current.tabs.push(popup);
        current.current = current.tabs.len() - 1;
        Ok(Some(url))
    }

    /// The open tabs, with their titles and addresses (a browser that does not answer is
    /// started again first).
    pub async fn tabs(&self) -> Result<Vec<TabInfo>, BrowserError> {
        self.page().await?;
        Ok(self.tabs_as_they_are().await)
    }

    /// The open tabs as they are, without a health check or a start: what a panel polls, so
    /// that asking never replaces a page that is busy loading. A tab that does not answer in
    /// time is listed without a title or address.
    pub async fn tabs_as_they_are(&self) -> Vec<TabInfo> {
        let live = self.live.lock().await;
        let Some(current) = live.as_ref() else {
            return Vec::new();
        };
        let mut tabs = Vec::new();
        for (index, page) in current.tabs.iter().enumerate() {
            let location = tokio::time::timeout(HEALTH_TIMEOUT, crate::navigate::location(page))
                .await
                .ok()
                .and_then(Result::ok);
            tabs.push(TabInfo {
                number: index + 1,
                title: location
                    .as_ref()
                    .map(|l| l.title.clone())
                    .unwrap_or_default(),
                url: location.map(|l| l.url).unwrap_or_default(),
                current: index == current.current,
            });
        }
        tabs
    }

    /// Makes tab `number` (from 1) the current one.
    pub async fn switch_tab(&self, number: usize) -> Result<(), BrowserError> {
        let mut live = self.live.lock().await;
        let current = live.as_mut().ok_or(BrowserError::NoTab { number })?;
        if number == 0 || number > current.tabs.len() {
            return Err(BrowserError::NoTab { number });
        }
        current.current = number - 1;
        if let Some(page) = current.page() {
            let _ = page.bring_to_front().await;
        }
        Ok(())
    }

    /// Closes tab `number` (from 1); the last tab left is never closed, only emptied.
    pub async fn close_tab(&self, number: usize) -> Result<(), BrowserError> {
        let mut live = self.live.lock().await;
        let current = live.as_mut().ok_or(BrowserError::NoTab { number })?;
        if number == 0 || number > current.tabs.len() {
            return Err(BrowserError::NoTab { number });
        }
        if current.tabs.len() == 1 {
            let _ = current.tabs[0].goto("about:blank").await;
            return Ok(());
        }
        let page = current.tabs.remove(number - 1);
        let _ = page.close().await;
        if current.current >= number - 1 && current.current > 0 {
            current.current -= 1;
        }
        Ok(())
    }

    /// A new blank tab under the guard.
    async fn new_tab(&self, browser: &Browser) -> Result<Page, BrowserError> {
        let page = browser
            .new_page("about:blank")
            .await
            .map_err(|e| BrowserError::protocol("nowa karta", e))?;
        guard::install(&page, self.guard.clone()).await?;
        Ok(page)
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
        self.stop_live_view().await;
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
        let tether = Tether::bind(&child);
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
        downloads::install(
            &browser,
            self.quarantine.clone(),
            self.guard.clone(),
            self.live.clone(),
        )
        .await?;
        let page = self.new_tab(&browser).await?;
        // The tab the browser started with is not DARK8's: close it, so that only tabs a page
        // opens appear beside DARK8's own.
        if let Ok(pages) = browser.pages().await {
            for other in pages {
                if other.target_id() != page.target_id() {
                    let _ = other.close().await;
                }
            }
        }
        Ok(Live {
            browser,
            child,
            _tether: tether,
            tabs: vec![page],
            current: 0,
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
