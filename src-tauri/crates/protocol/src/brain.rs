//! The brain as the settings screen sees it: a connection test of the configured model, the
//! embedded engine's models and their downloads with progress.

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use utoipa::ToSchema;

/// What a connection test of the configured model found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, ToSchema)]
pub struct BrainCheck {
    /// Whether the model answered.
    pub ok: bool,
    /// The provider tried (`embedded`, `ollama`, `openai`), none when DARK8 works without one.
    pub provider: Option<String>,
    /// What was tried, e.g. `Ollama qwen2.5-coder:7b (http://127.0.0.1:11434)`.
    pub active: Option<String>,
    /// What happened, in the user's language.
    pub detail: String,
    /// What to do about a failure, in the user's language.
    pub hint: Option<String>,
    /// The model's short answer to the test prompt.
    pub answer: Option<String>,
    /// How long the answer took, in milliseconds.
    pub latency_ms: Option<u64>,
}

/// A model file of the embedded engine, downloaded or known.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct ModelEntry {
    /// Its known name (`dark8 model list`), none for a file DARK8 does not know.
    pub name: Option<String>,
    /// Its file name in the models directory.
    pub file: String,
    /// Its size in bytes (expected, when not downloaded).
    #[ts(type = "number")]
    pub size_bytes: u64,
    /// Whether the file is in the models directory.
    pub downloaded: bool,
    /// Whether `llm.embedded_model` names it.
    pub selected: bool,
}

/// How a download goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum PullState {
    /// Still downloading.
    Running,
    /// Downloaded and its SHA-256 checked.
    Done,
    /// Stopped by an error (a retry resumes it).
    Failed,
}

/// One model download.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct ModelPull {
    /// The file being downloaded.
    pub file: String,
    /// From where.
    pub url: String,
    /// Bytes so far.
    #[ts(type = "number")]
    pub done_bytes: u64,
    /// All bytes, when the server says.
    #[ts(type = "number | null")]
    pub total_bytes: Option<u64>,
    /// How it goes.
    pub state: PullState,
    /// Why it failed, in Polish, with what to do.
    pub error: Option<String>,
    /// When it started (RFC 3339).
    pub started_at: String,
}

/// The embedded engine's models and downloads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct ModelCatalog {
    /// The models directory.
    pub dir: String,
    /// Whether this build carries the embedded engine.
    pub embedded_built_in: bool,
    /// Known and downloaded models.
    pub models: Vec<ModelEntry>,
    /// Downloads of this run of DARK8, the newest first.
    pub pulls: Vec<ModelPull>,
}

/// A download to start: a known model by name, or any GGUF file by URL with its SHA-256.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ModelPullRequest {
    /// A known model's name (`dark8 model list`), or the file name to save under with `url`.
    pub name: String,
    /// Where to download from (http or https), for a model DARK8 does not know.
    #[serde(default)]
    pub url: Option<String>,
    /// The file's SHA-256 (64 hex digits), required with `url`.
    #[serde(default)]
    pub sha256: Option<String>,
}
