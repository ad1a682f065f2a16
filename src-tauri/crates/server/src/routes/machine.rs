//! The machine, for the dashboard's monitors: what `system_status` and `process_list` report,
//! read directly (no audit row per refresh: nothing is acted on), and the settings in force.

use axum::extract::State;
use axum::Json;
use serde_json::Value;

use crate::error::ApiError;
use crate::state::AppState;

/// Processor, memory, disks and network now.
#[utoipa::path(get, path = "/api/v1/metrics", operation_id = "machine_metrics", tag = "machine",
    responses((status = 200, description = "As the output schema of `system_status` (dark8 tools describe system_status)", body = Object)),
    security(("token" = [])))]
pub async fn metrics() -> Result<Json<Value>, ApiError> {
    let report = tokio::task::spawn_blocking(dark8_core::tools::builtin::system::full_report)
        .await
        .map_err(|e| ApiError::internal(&format!("Pomiar się nie udał: {e}")))?;
    Ok(Json(serde_json::to_value(report).unwrap_or_default()))
}

/// Every process now, the busiest first.
#[utoipa::path(get, path = "/api/v1/processes", operation_id = "list_processes", tag = "machine",
    responses((status = 200, description = "Processes as `process_list` reports them", body = [Object])),
    security(("token" = [])))]
pub async fn processes() -> Result<Json<Value>, ApiError> {
    let mut list = tokio::task::spawn_blocking(dark8_core::tools::builtin::system::snapshot)
        .await
        .map_err(|e| ApiError::internal(&format!("Lista procesów się nie udała: {e}")))?;
    list.sort_by(|a, b| b.cpu_percent.total_cmp(&a.cpu_percent));
    Ok(Json(serde_json::to_value(list).unwrap_or_default()))
}

/// The configuration in force. Secrets live in the vault, but a database URL may carry a
/// password: every URL's password is masked, and what the vault knows is redacted.
#[utoipa::path(get, path = "/api/v1/settings", operation_id = "read_settings", tag = "machine",
    responses((status = 200, description = "config.toml with defaults and DARK8_* overrides applied", body = Object)),
    security(("token" = [])))]
pub async fn settings(State(state): State<AppState>) -> Json<Value> {
    let mut config = serde_json::to_value(state.dark8.config()).unwrap_or_default();
    mask(&mut config, &|text| state.dark8.redactor().text(text));
    Json(config)
}

/// Masks passwords in URLs and what `redact` hides, in every string of `value`.
fn mask(value: &mut Value, redact: &dyn Fn(&str) -> String) {
    match value {
        Value::String(text) => {
            if let Ok(mut url) = url::Url::parse(text) {
                if url.password().is_some() && url.set_password(Some("***")).is_ok() {
                    *text = url.to_string();
                }
            }
            *text = redact(text);
        }
        Value::Array(items) => items.iter_mut().for_each(|v| mask(v, redact)),
        Value::Object(map) => map.values_mut().for_each(|v| mask(v, redact)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_in_urls_are_masked() {
        let mut value = serde_json::json!({"databases": {"database_url": "postgres://dark8:tajne@db:5432/x"}, "n": 1});
        mask(&mut value, &|t| t.replace("sekret", "[ukryte]"));
        assert_eq!(
            value["databases"]["database_url"],
            "postgres://dark8:***@db:5432/x"
        );
    }
}
