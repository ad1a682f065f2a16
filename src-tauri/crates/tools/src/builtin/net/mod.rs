//! Network tools: HTTP requests and WebSocket exchanges with size, time and redirect limits;
//! every URL (and every redirect hop) is judged by the policy's domain rules.

mod http;
mod websocket;

pub use http::HttpRequest;
pub use websocket::WsExchange;

use crate::policy::{Action, Policy};
use crate::tool::ToolError;

/// Refuses `url` when a domain rule forbids it or wants a prompt (a redirect cannot be asked
/// about mid-request).
pub(crate) fn check_hop(policy: &Policy, url: &str) -> Result<(), ToolError> {
    match policy.check_url(url) {
        Some((Action::Forbid, reason)) => Err(ToolError::new(
            format!("Odmowa: {url} — {reason}."),
            "Zmień reguły domen w sekcji [policy] konfiguracji, jeśli to zamierzone.",
        )),
        Some((Action::Prompt, reason)) => Err(ToolError::new(
            format!("Przekierowanie do {url} wymaga zgody ({reason}); nie podążam za nim."),
            "Wywołaj narzędzie bezpośrednio z tym adresem.",
        )),
        _ => Ok(()),
    }
}
