//! What every handler shares.

use std::path::PathBuf;
use std::sync::Arc;

use dark8_core::Dark8;

use crate::guard::Backoff;
use crate::token::ApiToken;

/// The server's state; cheap to clone.
#[derive(Clone, Debug)]
pub struct AppState {
    /// Where the server listens.
    pub address: std::net::SocketAddr,
    /// Whether it serves the dashboard at `/`.
    pub dashboard: bool,
    /// The core.
    pub dark8: Dark8,
    /// The bearer token.
    pub token: ApiToken,
    /// Host header values answered; `None` answers any (a server bound beyond loopback
    /// on explicit request).
    pub hosts: Option<Vec<String>>,
    /// Origins allowed to call.
    pub origins: Vec<String>,
    /// Failed-authentication slowdown.
    pub backoff: Arc<Backoff>,
    /// The workspace of commands that name none.
    pub workspace: PathBuf,
}
