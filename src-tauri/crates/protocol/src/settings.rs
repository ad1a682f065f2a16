//! Settings a front end may change while DARK8 runs: which keys, and what a change did.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use utoipa::ToSchema;

/// A change of settings: dotted configuration keys (`language`, `llm.ollama_model`) and their
/// new values. Only the keys DARK8 calls safe to change from a front end are accepted; the
/// rest (policy, sandbox, vault, server, ...) stay in `config.toml`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SettingsChange {
    /// Key -> new value (a string, number or boolean).
    #[ts(type = "Record<string, string | number | boolean>")]
    #[schema(value_type = Object)]
    pub changes: BTreeMap<String, serde_json::Value>,
}

/// What a change of settings did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct SettingsUpdate {
    /// The configuration file written.
    pub config_file: String,
    /// Keys in force now (the next command uses them).
    pub applied: Vec<String>,
    /// Keys written to the file that take effect when DARK8 starts again.
    pub on_restart: Vec<String>,
    /// Keys written to the file that a `DARK8_*` environment variable of this process
    /// overrides, so the value in force did not change.
    pub overridden: Vec<String>,
}

/// One key a front end may change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct WritableSetting {
    /// The dotted key, e.g. `llm.ollama_model`.
    pub key: String,
    /// Whether a change applies at once (else at the next start).
    pub live: bool,
    /// What it is, in Polish.
    pub description_pl: String,
    /// What it is, in English.
    pub description_en: String,
}

/// The local REST API server as the settings screen shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct ApiServerState {
    /// Whether it listens.
    pub running: bool,
    /// Whether this front end can switch it on and off and choose its port (the desktop app
    /// runs it in-process; a browser talks to a server it cannot stop).
    pub switchable: bool,
    /// Where it listens, e.g. `127.0.0.1:8731`.
    pub address: Option<String>,
    /// Its port.
    pub port: Option<u16>,
    /// The API's base URL.
    pub api_url: Option<String>,
    /// The dashboard's URL for a normal browser (without the token), when it serves one.
    pub dashboard_url: Option<String>,
    /// The file the bearer token is kept in.
    pub token_file: String,
    /// Why it is not running, when starting it failed, with a hint.
    pub error: Option<String>,
}

/// A new API token after a rotation; the old one is refused from now on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct RotatedToken {
    /// The new bearer token (shown once, to the caller only).
    pub token: String,
}
