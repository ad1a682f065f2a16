//! The tray icon and what follows the core for it: a menu with the window, a quick command,
//! the approvals that wait (a line kept current from the event stream; choosing it opens the
//! console where they wait) and quit; native notifications decided by [`Notices`].
//!
//! A desktop without a tray (no AppIndicator library) still gets the notifications.

use std::time::Instant;

use dark8_core::Delivery;
use dark8_core::Language;
use tauri::menu::{Menu, MenuItem, PredefinedMenuItem};
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Manager, Wry};
use tauri_plugin_notification::NotificationExt;

use crate::launch::{self, Launch};
use crate::notices::Notices;
use crate::state::DesktopState;

/// The menu line about approvals, updated as they come and go.
struct WaitingLine(MenuItem<Wry>);

fn labels(english: bool) -> [&'static str; 3] {
    if english {
        ["Show DARK8", "Quick command…", "Quit DARK8"]
    } else {
        ["Pokaż DARK8", "Szybkie polecenie…", "Zakończ DARK8"]
    }
}

/// Builds the tray (when the desktop has one) and starts following the core's events.
pub fn install(app: &AppHandle) {
    let english = app.state::<DesktopState>().dark8.config().language == Language::En;
    let notices = Notices::new(english);
    // The AppIndicator library is loaded when the tray is built, and its absence panics.
    let built = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        build(app, english, &notices.waiting_line())
    }));
    match built {
        Ok(Ok(line)) => {
            app.manage(WaitingLine(line));
        }
        Ok(Err(err)) => tracing::warn!("no tray icon: {err}"),
        Err(_) => tracing::warn!("no tray icon: the desktop has no AppIndicator library"),
    }
    let app = app.clone();
    tauri::async_runtime::spawn(follow(app, notices));
}

fn build(app: &AppHandle, english: bool, waiting: &str) -> tauri::Result<MenuItem<Wry>> {
    let [show, quick, quit] = labels(english);
    let show = MenuItem::with_id(app, "show", show, true, None::<&str>)?;
    let quick = MenuItem::with_id(app, "quick", quick, true, None::<&str>)?;
    let line = MenuItem::with_id(app, "approvals", waiting, true, None::<&str>)?;
    let quit = MenuItem::with_id(app, "quit", quit, true, None::<&str>)?;
    let separator = PredefinedMenuItem::separator(app)?;
    let menu = Menu::with_items(app, &[&show, &quick, &line, &separator, &quit])?;
    let mut tray = TrayIconBuilder::with_id("main")
        .tooltip("DARK8 OS")
        .menu(&menu)
        .on_menu_event(|app, event| match event.id().as_ref() {
            "show" => launch::show_window(app),
            "quick" => launch::deliver(
                app,
                Launch::Prefill {
                    text: String::new(),
                },
            ),
            "approvals" => launch::deliver(app, Launch::Console),
            "quit" => app.exit(0),
            _ => {}
        });
    if let Some(icon) = app.default_window_icon() {
        tray = tray.icon(icon.clone());
    }
    tray.build(app)?;
    Ok(line)
}

/// Follows the core's events for the tray line and the notifications.
async fn follow(app: AppHandle, mut notices: Notices) {
    let mut deliveries = app
        .state::<DesktopState>()
        .dark8
        .events()
        .stream(None, None);
    while let Some(delivery) = deliveries.recv().await {
        let envelope = match delivery {
            Delivery::Event(envelope) => envelope,
            Delivery::Resync => {
                let pending = app
                    .state::<DesktopState>()
                    .dark8
                    .approvals()
                    .pending()
                    .into_iter()
                    .map(|p| p.request.id)
                    .collect();
                notices.retain_waiting(&pending);
                continue;
            }
        };
        let focused = app
            .get_webview_window("main")
            .and_then(|w| w.is_focused().ok())
            .unwrap_or(false);
        let before = notices.waiting();
        if let Some(notice) = notices.observe(&envelope, Instant::now(), focused) {
            // No notification daemon (a bare session) is not worth more than a log line.
            if let Err(err) = app
                .notification()
                .builder()
                .title(&notice.title)
                .body(&notice.body)
                .show()
            {
                tracing::info!("notification not shown: {err}");
            }
        }
        if notices.waiting() != before {
            if let Some(line) = app.try_state::<WaitingLine>() {
                let _ = line.0.set_text(notices.waiting_line());
            }
        }
    }
}
