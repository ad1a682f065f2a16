//! Configuration: defaults, then `config.toml`, then `DARK8_*` environment variables.
//!
//! Environment variables name a key by its path with `__` between levels, e.g.
//! `DARK8_LANGUAGE=en`, `DARK8_LLM__OLLAMA_URL=http://127.0.0.1:11500`,
//! `DARK8_LOGGING__FILE_LEVEL=debug`. `DARK8_HOME` is not a key: it moves the files
//! (see [`crate::paths`]).

use std::path::{Path, PathBuf};

use figment::providers::{Env, Format, Serialized, Toml};
use figment::Figment;
use serde::{Deserialize, Serialize};

use dark8_browser::{BrowserConfig, SearchConfig};
use dark8_tools::builtin::db::DatabaseConfig;
use dark8_tools::builtin::git::HostingConfig;
use dark8_tools::sandbox::SandboxConfig;
use dark8_tools::vault::VaultConfig;
use dark8_tools::PolicyConfig;

use crate::error::CoreError;
use crate::language::Language;

/// Everything the user can configure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Language of answers and messages.
    pub language: Language,
    /// Language models.
    pub llm: LlmConfig,
    /// Log files.
    pub logging: LoggingConfig,
    /// Health checks.
    pub doctor: DoctorConfig,
    /// Who may do what: role and command rules.
    pub policy: PolicyConfig,
    /// Limits and paths of sandboxed programs.
    pub sandbox: SandboxConfig,
    /// Where secrets are kept.
    pub vault: VaultConfig,
    /// Default database and Redis connections of the database tools.
    pub databases: DatabaseConfig,
    /// Code hosting APIs for pull / merge requests.
    pub hosting: HostingConfig,
    /// DARK8's Chromium.
    pub browser: BrowserConfig,
    /// Web search.
    pub search: SearchConfig,
    /// The local REST API (`dark8 serve`).
    pub server: ServerConfig,
    /// Which model turns texts into vectors for search by meaning.
    pub embeddings: EmbeddingsConfig,
    /// Caches shared between processes.
    pub cache: CacheConfig,
}

/// Where caches live besides the process itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CacheConfig {
    /// A Redis server (`redis://host:port/db`) sharing embeddings between every DARK8
    /// process; empty = in process only. A Redis that does not answer is skipped with a
    /// warning in the log.
    pub url: String,
    /// How long Redis keeps a vector, in seconds.
    pub ttl_s: u64,
}

impl Default for CacheConfig {
    fn default() -> CacheConfig {
        CacheConfig {
            url: String::new(),
            ttl_s: 7 * 24 * 3600,
        }
    }
}

/// Where vectors for search by meaning come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EmbeddingsProvider {
    /// The embedded multilingual-e5-small when its file is there (`dark8 model pull
    /// e5-small`), else full-text search only.
    Embedded,
    /// Ollama's `/api/embed` at `[llm] ollama_url`.
    Ollama,
    /// An OpenAI-compatible `/v1/embeddings` at `[llm] openai_url` (its key: `[llm]
    /// openai_api_key_secret`).
    Openai,
    /// No vectors: full-text search only.
    None,
}

/// The embedding model.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct EmbeddingsConfig {
    /// embedded | ollama | openai | none.
    pub provider: EmbeddingsProvider,
    /// The server's embedding model (Ollama's `bge-m3` reads Polish well); unused by the
    /// embedded one.
    pub model: String,
}

impl Default for EmbeddingsConfig {
    fn default() -> EmbeddingsConfig {
        EmbeddingsConfig {
            provider: EmbeddingsProvider::Embedded,
            model: "bge-m3".to_owned(),
        }
    }
}

/// The local REST API.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ServerConfig {
    /// The address to listen on; anything but loopback also needs `allow_remote`.
    pub host: String,
    /// The port.
    pub port: u16,
    /// Allow an address beyond loopback (the token is then the only protection).
    pub allow_remote: bool,
    /// The built dashboard (`ui/dist`) to serve in browser mode; empty = look beside the
    /// program (`../share/dark8/ui`) or serve the API only.
    pub ui_dir: String,
    /// Whether the desktop app serves the API and the dashboard (on `host`:`port`) while it
    /// runs, switched in its settings screen.
    pub desktop_api: bool,
}

impl Default for ServerConfig {
    fn default() -> ServerConfig {
        ServerConfig {
            host: "127.0.0.1".to_owned(),
            port: 8731,
            allow_remote: false,
            ui_dir: String::new(),
            desktop_api: false,
        }
    }
}

/// Which language model DARK8 reasons with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LlmProvider {
    /// The embedded model when its file is there, else Ollama when it answers, else none.
    Auto,
    /// No model: known commands only.
    None,
    /// Ollama at `ollama_url`.
    Ollama,
    /// An OpenAI-compatible server at `openai_url`.
    Openai,
    /// llama.cpp in-process (needs a build with the `embedded-llm` feature).
    Embedded,
}

/// Where DARK8 finds a language model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LlmConfig {
    /// auto | none | ollama | openai | embedded.
    pub provider: LlmProvider,
    /// Base URL of the Ollama HTTP API.
    pub ollama_url: String,
    /// The Ollama model, e.g. `qwen2.5-coder:7b`.
    pub ollama_model: String,
    /// Base URL of an OpenAI-compatible API, ending in `/v1`.
    pub openai_url: String,
    /// The model name that server expects.
    pub openai_model: String,
    /// Name of the vault secret holding the API key, if the server wants one.
    pub openai_api_key_secret: Option<String>,
    /// The embedded model: a known name (`dark8 model list`) or a GGUF path.
    pub embedded_model: String,
    /// Context window in tokens.
    pub context_tokens: u32,
    /// Time limit of one model answer, in seconds.
    pub timeout_s: u64,
    /// Most tool calls the model may make for one command.
    pub max_steps: u32,
    /// Sampling temperature (0 = deterministic).
    pub temperature: f32,
    /// Offer tools natively (`tools` of the API) instead of constraining the reply to their
    /// JSON schemas; only for models that fill `tool_calls` reliably.
    pub native_tools: bool,
}

/// The JSON log files in the data directory.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LoggingConfig {
    /// Level written to the daily log file: error, warn, info, debug or trace.
    pub file_level: String,
}

/// Thresholds of `dark8 doctor`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DoctorConfig {
    /// Below this much free space (MiB) on the data directory's disk, doctor reports BRAK.
    pub min_free_disk_mib: u64,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            language: Language::Pl,
            llm: LlmConfig::default(),
            logging: LoggingConfig::default(),
            doctor: DoctorConfig::default(),
            policy: PolicyConfig::default(),
            sandbox: SandboxConfig::default(),
            vault: VaultConfig::default(),
            databases: DatabaseConfig::default(),
            hosting: HostingConfig::default(),
            browser: BrowserConfig::default(),
            search: SearchConfig::default(),
            server: ServerConfig::default(),
            embeddings: EmbeddingsConfig::default(),
            cache: CacheConfig::default(),
        }
    }
}

impl Default for LlmConfig {
    fn default() -> LlmConfig {
        LlmConfig {
            provider: LlmProvider::Auto,
            ollama_url: "http://127.0.0.1:11434".to_owned(),
            ollama_model: "qwen2.5-coder:7b".to_owned(),
            openai_url: "http://127.0.0.1:8080/v1".to_owned(),
            openai_model: "default".to_owned(),
            openai_api_key_secret: None,
            embedded_model: "qwen2.5-coder-0.5b".to_owned(),
            context_tokens: 4096,
            timeout_s: 180,
            max_steps: 8,
            temperature: 0.0,
            native_tools: false,
        }
    }
}

impl Default for LoggingConfig {
    fn default() -> LoggingConfig {
        LoggingConfig {
            file_level: "info".to_owned(),
        }
    }
}

impl Default for DoctorConfig {
    fn default() -> DoctorConfig {
        DoctorConfig {
            min_free_disk_mib: 1024,
        }
    }
}

/// Prefix of the environment variables that override configuration keys.
pub const ENV_PREFIX: &str = "DARK8_";

/// Every configuration key as its environment suffix, e.g. `llm__ollama_url`.
fn env_keys() -> Vec<String> {
    fn flatten(prefix: &str, value: &serde_json::Value, out: &mut Vec<String>) {
        match value {
            serde_json::Value::Object(map) => {
                for (key, item) in map {
                    let path = if prefix.is_empty() {
                        key.clone()
                    } else {
                        format!("{prefix}__{key}")
                    };
                    flatten(&path, item, out);
                }
            }
            _ => out.push(prefix.to_owned()),
        }
    }
    let mut keys = Vec::new();
    if let Ok(defaults) = serde_json::to_value(Config::default()) {
        flatten("", &defaults, &mut keys);
    }
    keys
}

/// `DARK8_*` variables of this process that name no configuration key (and so are ignored),
/// other than the ones DARK8 reads itself (`DARK8_HOME`, `DARK8_LOG`,
/// `DARK8_VAULT_PASSPHRASE`).
pub fn ignored_env_vars() -> Vec<String> {
    let keys = env_keys();
    let mut ignored: Vec<String> = std::env::vars_os()
        .filter_map(|(name, _)| name.into_string().ok())
        .filter(|name| {
            name.strip_prefix(ENV_PREFIX).is_some_and(|rest| {
                !["HOME", "LOG", "VAULT_PASSPHRASE"].contains(&rest)
                    && !keys.iter().any(|key| key.eq_ignore_ascii_case(rest))
            })
        })
        .collect();
    ignored.sort();
    ignored
}

impl Config {
    /// Loads the configuration: defaults, then `config_file` if it exists, then `DARK8_*`.
    pub fn load(config_file: &Path) -> Result<Config, CoreError> {
        Config::load_with_env(config_file, Env::prefixed(ENV_PREFIX))
    }

    fn load_with_env(config_file: &Path, env: Env) -> Result<Config, CoreError> {
        let keys = env_keys();
        let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
        let env = env
            .only(&keys)
            .split("__")
            .map(|key| key.as_str().to_ascii_lowercase().into());
        Figment::from(Serialized::defaults(Config::default()))
            .merge(Toml::file(config_file))
            .merge(env)
            .extract::<Config>()
            .map_err(|source| CoreError::Config {
                path: config_file.to_path_buf(),
                detail: source.to_string(),
            })
            .and_then(Config::validated)
            .map_err(|err| match err {
                CoreError::Config { detail, .. } => CoreError::Config {
                    path: config_file.to_path_buf(),
                    detail,
                },
                other => other,
            })
    }

    /// Checks what the types cannot: URLs, log levels, the policy's rules.
    pub(crate) fn validated(self) -> Result<Config, CoreError> {
        let invalid = |detail: String| CoreError::Config {
            path: PathBuf::new(),
            detail,
        };
        if !(self.llm.ollama_url.starts_with("http://")
            || self.llm.ollama_url.starts_with("https://"))
        {
            return Err(invalid(format!(
                "llm.ollama_url must be an http(s) URL, got `{}`",
                self.llm.ollama_url
            )));
        }
        if !["error", "warn", "info", "debug", "trace"].contains(&self.logging.file_level.as_str())
        {
            return Err(invalid(format!(
                "logging.file_level must be error, warn, info, debug or trace, got `{}`",
                self.logging.file_level
            )));
        }
        dark8_tools::Policy::load(&self.policy).map_err(|err| invalid(err.to_string()))?;
        Ok(self)
    }

    /// The configuration as TOML, as `dark8 config show` prints it.
    pub fn to_toml(&self) -> Result<String, CoreError> {
        toml::to_string_pretty(self).map_err(|e| CoreError::Config {
            path: PathBuf::new(),
            detail: e.to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(toml: Option<&str>, env: &[(&str, &str)]) -> Result<Config, CoreError> {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("config.toml");
        if let Some(toml) = toml {
            std::fs::write(&file, toml).unwrap();
        }
        // Figment's Env reads the process environment; use a unique prefix per test so that
        // parallel tests do not see each other's variables.
        static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let prefix = format!("D8TEST{n}_");
        for (key, value) in env {
            std::env::set_var(format!("{prefix}{key}"), value);
        }
        let result = Config::load_with_env(&file, Env::prefixed(&prefix));
        for (key, _) in env {
            std::env::remove_var(format!("{prefix}{key}"));
        }
        result
    }

    #[test]
    fn defaults_without_a_file() {
        assert_eq!(load(None, &[]).unwrap(), Config::default());
    }

    #[test]
    fn file_then_environment() {
        let config = load(
            Some("language = \"en\"\n[llm]\nollama_url = \"http://127.0.0.1:1\"\n"),
            &[
                ("LLM__OLLAMA_URL", "http://127.0.0.1:2"),
                ("HOME", "/ignored"),
            ],
        )
        .unwrap();
        assert_eq!(config.language, Language::En);
        assert_eq!(config.llm.ollama_url, "http://127.0.0.1:2");
    }

    #[test]
    fn every_key_has_an_environment_name() {
        let keys = env_keys();
        for key in [
            "language",
            "llm__ollama_url",
            "logging__file_level",
            "doctor__min_free_disk_mib",
        ] {
            assert!(
                keys.contains(&key.to_owned()),
                "{key} missing from {keys:?}"
            );
        }
    }

    #[test]
    fn bad_toml_and_bad_values_are_reported_with_the_file() {
        let err = load(Some("language = [\n"), &[]).unwrap_err();
        assert!(matches!(err, CoreError::Config { ref path, .. } if path.ends_with("config.toml")));
        let err = load(Some("[llm]\nollama_url = \"ftp://x\"\n"), &[]).unwrap_err();
        assert!(err.to_string().contains("ollama_url"), "{err}");
        let err = load(Some("colour = \"red\"\n"), &[]).unwrap_err();
        assert!(err.to_string().contains("colour"), "{err}");
        let err = load(
            Some("[[policy.commands]]\nprefix = \"x\"\naction = \"allow\"\nexamples = [\"x; rm -rf /\"]\n"),
            &[],
        )
        .unwrap_err();
        assert!(err.to_string().contains("policy rule `x`"), "{err}");
    }

    #[test]
    fn shown_config_loads_back() {
        let text = Config::default().to_toml().unwrap();
        assert_eq!(load(Some(&text), &[]).unwrap(), Config::default());
    }
}
