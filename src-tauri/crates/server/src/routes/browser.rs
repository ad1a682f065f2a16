//! The integrated browser's live view for the dashboard: its frames as a binary stream, the
//! user's input and navigation, taking the browser over and handing it back.
//!
//! The frame stream is `application/vnd.dark8.frames`: per frame a 12-byte header (JPEG
//! length, page width, page height; big-endian u32) and the JPEG. Only the newest frame is
//! ever sent: a slow reader skips frames instead of queueing them. The live view runs while
//! at least one stream is open (each stream holds a [`LiveViewer`]).

use std::convert::Infallible;

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use dark8_core::browser::input::UserInput;
use dark8_core::browser::user::{BrowserView, UserNavigation};
use dark8_core::browser::{BrowserError, LiveViewer};
use dark8_core::tools::ToolError;
use futures_util::stream;
use serde_json::Value;

use crate::error::{ApiError, ErrorBody};
use crate::extract::ApiJson;
use crate::state::AppState;

/// The frame stream's media type.
pub const FRAMES_MEDIA_TYPE: &str = "application/vnd.dark8.frames";

fn browser_error(err: BrowserError) -> ApiError {
    let refused = matches!(err, BrowserError::Refused { .. });
    let tool = ToolError::from(err);
    ApiError::new(
        if refused {
            StatusCode::FORBIDDEN
        } else {
            StatusCode::BAD_GATEWAY
        },
        if refused { "refused" } else { "browser" },
        &tool.message,
        tool.hint.as_deref().unwrap_or_default(),
    )
}

fn view_json(view: BrowserView) -> Json<Value> {
    Json(serde_json::to_value(view).unwrap_or_default())
}

/// The browser now: running, who drives, the current address and the tabs.
#[utoipa::path(get, operation_id = "browser_view", path = "/api/v1/browser", tag = "browser",
    responses((status = 200, description = "running, user_driving, url, title, tabs", body = Object)),
    security(("token" = [])))]
pub async fn view(State(state): State<AppState>) -> Json<Value> {
    view_json(state.dark8.browser().view().await)
}

/// The user navigates (address bar, back, forward, reload, another tab); this takes the
/// browser over.
#[utoipa::path(post, operation_id = "browser_navigate", path = "/api/v1/browser/navigate", tag = "browser",
    request_body(content = Object, description = "{\"type\": \"open\", \"url\": …} | back | forward | reload | {\"type\": \"switch_tab\", \"number\": n}"),
    responses(
        (status = 200, description = "The browser after it", body = Object),
        (status = 403, description = "The address is refused (scheme or domain rules)", body = ErrorBody),
    ),
    security(("token" = [])))]
pub async fn navigate(
    State(state): State<AppState>,
    ApiJson(navigation): ApiJson<UserNavigation>,
) -> Result<Json<Value>, ApiError> {
    let browser = state.dark8.browser();
    browser
        .user_navigate(&navigation)
        .await
        .map_err(browser_error)?;
    Ok(view_json(browser.view().await))
}

/// The user's mouse, wheel or keys into the current page (CSS pixels); this takes the browser
/// over.
#[utoipa::path(post, operation_id = "browser_input", path = "/api/v1/browser/input", tag = "browser",
    request_body(content = Object, description = "{\"type\": \"click\", \"x\": …, \"y\": …} | mouse_move | mouse_down | mouse_up | wheel | key | text"),
    responses((status = 204, description = "Dispatched"), (status = 502, description = "The browser did not take it", body = ErrorBody)),
    security(("token" = [])))]
pub async fn input(
    State(state): State<AppState>,
    ApiJson(event): ApiJson<UserInput>,
) -> Result<StatusCode, ApiError> {
    state
        .dark8
        .browser()
        .user_input(&event)
        .await
        .map_err(browser_error)?;
    Ok(StatusCode::NO_CONTENT)
}

/// The user takes the browser over: the agent's browser actions wait.
#[utoipa::path(post, operation_id = "browser_take_over", path = "/api/v1/browser/take-over", tag = "browser",
    responses((status = 200, description = "The browser, user_driving true", body = Object)),
    security(("token" = [])))]
pub async fn take_over(State(state): State<AppState>) -> Json<Value> {
    let browser = state.dark8.browser();
    browser.take_over();
    view_json(browser.view().await)
}

/// The user hands the browser back: the agent continues from a fresh observation.
#[utoipa::path(post, operation_id = "browser_hand_back", path = "/api/v1/browser/hand-back", tag = "browser",
    responses((status = 200, description = "The browser, user_driving false", body = Object)),
    security(("token" = [])))]
pub async fn hand_back(State(state): State<AppState>) -> Result<Json<Value>, ApiError> {
    let browser = state.dark8.browser();
    if browser.pid().await.is_some() {
        browser.hand_back().await.map_err(browser_error)?;
    } else {
        // Nothing to observe yet: the agent starts the browser itself when it needs it.
        browser.hand_back_idle();
    }
    Ok(view_json(browser.view().await))
}

/// The live view's frames (starting the browser and its screencast when needed), newest only.
#[utoipa::path(get, operation_id = "browser_frames", path = "/api/v1/browser/frames", tag = "browser",
    responses((status = 200, description = "application/vnd.dark8.frames: per frame u32 BE JPEG length, width, height, then the JPEG", content_type = "application/vnd.dark8.frames", body = String)),
    security(("token" = [])))]
pub async fn frames(State(state): State<AppState>) -> Result<Response, ApiError> {
    let browser = state.dark8.browser();
    let mut receiver = browser.frames();
    let viewer: LiveViewer = browser.live_viewer().await.map_err(browser_error)?;
    receiver.mark_changed();
    let body = stream::unfold((receiver, viewer), |(mut receiver, viewer)| async move {
        loop {
            if receiver.changed().await.is_err() {
                return None;
            }
            let frame = receiver.borrow_and_update().clone();
            if let Some(frame) = frame {
                return Some((
                    Ok::<_, Infallible>(Bytes::from(frame.to_wire())),
                    (receiver, viewer),
                ));
            }
        }
    });
    Ok((
        [
            (header::CONTENT_TYPE, FRAMES_MEDIA_TYPE),
            (header::CACHE_CONTROL, "no-store"),
        ],
        Body::from_stream(body),
    )
        .into_response())
}
