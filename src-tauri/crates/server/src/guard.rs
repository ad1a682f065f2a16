//! The door of every request: the Host header must name this server (DNS rebinding), an
//! Origin must be its own or the desktop app's (no CORS for anyone else), `/api` needs the
//! bearer token (failed attempts slow down), and a mutation must send JSON.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::extract::{Request, State};
use axum::http::{header, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::ApiError;
use crate::state::AppState;

/// Origins of the desktop app's webview (Linux/macOS and Windows).
const TAURI_ORIGINS: &[&str] = &[
    "tauri://localhost",
    "http://tauri.localhost",
    "https://tauri.localhost",
];

/// The Host header values a loopback server on `port` answers to.
pub fn loopback_hosts(port: u16) -> Vec<String> {
    ["127.0.0.1", "localhost", "[::1]"]
        .iter()
        .map(|host| format!("{host}:{port}"))
        .collect()
}

/// The origins allowed to call a server on `port`: its own and the desktop app's.
pub fn allowed_origins(port: u16) -> Vec<String> {
    loopback_hosts(port)
        .into_iter()
        .map(|host| format!("http://{host}"))
        .chain(TAURI_ORIGINS.iter().map(|o| (*o).to_owned()))
        .collect()
}

/// Recent failed authentications: each one doubles the wait before the next answer.
#[derive(Debug, Default)]
pub struct Backoff {
    state: Mutex<(u32, Option<Instant>)>,
}

/// Failures older than this are forgotten.
const FORGET_AFTER: Duration = Duration::from_secs(60);
/// The longest wait.
const MAX_WAIT: Duration = Duration::from_secs(2);

impl Backoff {
    /// Records a failure and returns how long to wait before answering it.
    fn fail(&self) -> Duration {
        let mut state = self
            .state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let now = Instant::now();
        if state.1.is_some_and(|last| now - last > FORGET_AFTER) {
            state.0 = 0;
        }
        state.0 = state.0.saturating_add(1);
        state.1 = Some(now);
        let exponent = state.0.saturating_sub(1).min(6);
        (Duration::from_millis(50) * 2u32.pow(exponent)).min(MAX_WAIT)
    }

    fn succeed(&self) {
        let mut state = self
            .state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        *state = (0, None);
    }
}

fn forbidden(code: &str, message: &str, hint: &str) -> Response {
    ApiError::new(StatusCode::FORBIDDEN, code, message, hint).into_response()
}

/// The middleware.
pub async fn guard(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let headers = request.headers();
    if let Some(hosts) = &state.hosts {
        let host = headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .map(str::to_ascii_lowercase)
            .unwrap_or_default();
        if !hosts.contains(&host) {
            return forbidden(
                "forbidden_host",
                "Nieznany nagłówek Host: serwer DARK8 odpowiada tylko na swój adres lokalny.",
                "Otwórz adres, który podał `dark8 serve`, np. http://127.0.0.1:PORT/.",
            );
        }
    }
    if let Some(origin) = headers.get(header::ORIGIN) {
        let origin = origin.to_str().unwrap_or_default().to_ascii_lowercase();
        if !state.origins.contains(&origin) {
            return forbidden(
                "forbidden_origin",
                "Żądanie z obcej strony: API DARK8 przyjmuje tylko własny panel i aplikację.",
                "Użyj panelu DARK8 albo klienta spoza przeglądarki.",
            );
        }
    }
    let path = request.uri().path();
    if path.starts_with("/api/") || path == "/api" {
        let presented = headers
            .get(header::AUTHORIZATION)
            .and_then(|h| h.to_str().ok())
            .and_then(|h| h.strip_prefix("Bearer "))
            .map(str::trim);
        match presented {
            Some(token) if state.token.matches(token) => state.backoff.succeed(),
            _ => {
                tokio::time::sleep(state.backoff.fail()).await;
                return ApiError::new(
                    StatusCode::UNAUTHORIZED,
                    "unauthorized",
                    "Brak albo zły token API.",
                    "Wyślij nagłówek `Authorization: Bearer <token>`; token jest w pliku api-token w katalogu danych DARK8.",
                )
                .into_response();
            }
        }
        let has_body = headers.contains_key(header::TRANSFER_ENCODING)
            || headers
                .get(header::CONTENT_LENGTH)
                .and_then(|h| h.to_str().ok())
                .is_some_and(|n| n.trim() != "0");
        let mutation = has_body
            && matches!(
                *request.method(),
                Method::POST | Method::PUT | Method::PATCH | Method::DELETE
            );
        let json = headers
            .get(header::CONTENT_TYPE)
            .and_then(|h| h.to_str().ok())
            .and_then(|h| h.split(';').next())
            .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/json"));
        if mutation && !json {
            return ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "Zmiany przyjmowane są tylko jako JSON.",
                "Wyślij nagłówek `Content-Type: application/json` i treść w JSON.",
            )
            .into_response();
        }
    }
    next.run(request).await
}
