//! The browser panel's commands: the live view's frames over an IPC channel (raw bytes, the
//! framing of the REST stream), the user's navigation and input, take-over and hand-back.

use std::sync::atomic::{AtomicU32, Ordering};

use dark8_core::browser::input::UserInput;
use dark8_core::browser::user::{BrowserView, UserNavigation};
use dark8_core::browser::BrowserError;
use dark8_core::tools::ToolError;
use tauri::ipc::{Channel, InvokeResponseBody};

use crate::state::DesktopState;

type State<'a> = tauri::State<'a, DesktopState>;

static NEXT_FRAMES: AtomicU32 = AtomicU32::new(1);

fn polish(err: BrowserError) -> String {
    let tool = ToolError::from(err);
    format!(
        "{} Podpowiedź: {}",
        tool.message,
        tool.hint.unwrap_or_default()
    )
}

/// The browser now.
#[tauri::command]
pub async fn browser_view(state: State<'_>) -> Result<BrowserView, String> {
    Ok(state.dark8.browser().view().await)
}

/// The user navigates; this takes the browser over.
#[tauri::command]
pub async fn browser_navigate(
    state: State<'_>,
    navigation: UserNavigation,
) -> Result<BrowserView, String> {
    let browser = state.dark8.browser();
    browser.user_navigate(&navigation).await.map_err(polish)?;
    Ok(browser.view().await)
}

/// The user's mouse, wheel or keys into the page; this takes the browser over.
#[tauri::command]
pub async fn browser_input(state: State<'_>, input: UserInput) -> Result<(), String> {
    state
        .dark8
        .browser()
        .user_input(&input)
        .await
        .map_err(polish)
}

/// The user takes the browser over.
#[tauri::command]
pub async fn browser_take_over(state: State<'_>) -> Result<BrowserView, String> {
    let browser = state.dark8.browser();
    browser.take_over();
    Ok(browser.view().await)
}

/// The user hands the browser back; the agent continues from a fresh observation.
#[tauri::command]
pub async fn browser_hand_back(state: State<'_>) -> Result<BrowserView, String> {
    let browser = state.dark8.browser();
    if browser.pid().await.is_some() {
        browser.hand_back().await.map_err(polish)?;
    } else {
        browser.hand_back_idle();
    }
    Ok(browser.view().await)
}

/// Streams the live view's newest frames into `on_frame`; an id for [`browser_frames_stop`].
#[tauri::command]
pub async fn browser_frames(
    state: State<'_>,
    on_frame: Channel<InvokeResponseBody>,
) -> Result<u32, String> {
    let browser = state.dark8.browser().clone();
    let mut frames = browser.frames();
    let viewer = browser.live_viewer().await.map_err(polish)?;
    frames.mark_changed();
    let id = NEXT_FRAMES.fetch_add(1, Ordering::Relaxed);
    let task = tauri::async_runtime::spawn(async move {
        // The live view runs while this task does: aborting it drops the viewer.
        let _viewer = viewer;
        while frames.changed().await.is_ok() {
            let frame = frames.borrow_and_update().clone();
            if let Some(frame) = frame {
                if on_frame
                    .send(InvokeResponseBody::Raw(frame.to_wire()))
                    .is_err()
                {
                    return;
                }
            }
        }
    });
    if let Ok(mut streams) = state.frames.lock() {
        streams.insert(id, task);
    }
    Ok(id)
}

/// Stops the frame stream `id`; the live view stops with the last one.
#[tauri::command]
pub async fn browser_frames_stop(state: State<'_>, id: u32) -> Result<(), String> {
    if let Ok(mut streams) = state.frames.lock() {
        if let Some(task) = streams.remove(&id) {
            task.abort();
        }
    }
    Ok(())
}
