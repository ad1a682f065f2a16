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
