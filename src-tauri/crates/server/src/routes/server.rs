//! The server itself, for the settings screen: where it listens, the dashboard's address, and
//! a rotation of the API token.

use std::net::SocketAddr;
use std::path::Path;

use axum::extract::State;
use axum::Json;
use dark8_core::store::NewAuditEntry;
use dark8_protocol::{ApiServerState, RotatedToken, ToolStatus};

use crate::error::ApiError;
use crate::state::AppState;
use crate::token::TOKEN_FILE;

/// What the settings screen shows of a server listening on `address`.
pub fn running_state(
    address: SocketAddr,
    dashboard: bool,
    token_file: &Path,
    switchable: bool,
) -> ApiServerState {
    let base = format!("http://{address}");
    ApiServerState {
        running: true,
        switchable,
        address: Some(address.to_string()),
        port: Some(address.port()),
        api_url: Some(format!("{base}/api/v1/")),
        dashboard_url: dashboard.then(|| format!("{base}/")),
        token_file: token_file.display().to_string(),
        error: None,
    }
}

/// What the settings screen shows of this server.
fn server_state(state: &AppState) -> ApiServerState {
    let token_file = state.token.file().map_or_else(
        || state.dark8.paths().data_dir.join(TOKEN_FILE),
        Path::to_path_buf,
    );
    running_state(state.address, state.dashboard, &token_file, false)
}

/// Where this server listens and what it serves.
#[utoipa::path(get, path = "/api/v1/server", operation_id = "api_server", tag = "machine",
    responses((status = 200, description = "Address, port, the API's and the dashboard's URLs, the token's file", body = ApiServerState)),
    security(("token" = [])))]
pub async fn info(State(state): State<AppState>) -> Json<ApiServerState> {
    Json(server_state(&state))
}

/// Replaces the API token with a new one: every client holding the old one is refused from
/// now on (the caller gets the new one). Audited without the token.
#[utoipa::path(post, path = "/api/v1/server/token", operation_id = "rotate_api_token", tag = "machine",
    responses((status = 200, description = "The new token; the old one no longer works", body = RotatedToken)),
    security(("token" = [])))]
pub async fn rotate_token(State(state): State<AppState>) -> Result<Json<RotatedToken>, ApiError> {
    let token = state.token.rotate().map_err(|err| {
        ApiError::internal(&format!(
            "Nie udało się zapisać nowego tokenu: {err}. Stary token działa dalej."
        ))
    })?;
    let entry = NewAuditEntry::new(
        "api_token_rotate",
        serde_json::json!({ "address": state.address.to_string() }),
        "wymieniono token API; stary przestał działać".to_owned(),
        ToolStatus::Success,
    );
    if let Err(err) = state.dark8.store().audit().append(&entry).await {
        tracing::warn!(error = %err, "token rotation not audited");
    }
    tracing::info!("API token rotated");
    Ok(Json(RotatedToken { token }))
}
