//! Settings a front end may change while DARK8 runs (the dashboard's language switch, the
//! brain's model): checked against a list of safe keys, written to `config.toml` without
//! losing its comments, validated as a whole before the file is replaced, and put in force.
//!
//! Safe means a change cannot widen what DARK8 may do without the user's approval: the
//! language, the model and its limits, log and doctor thresholds. Policy, sandbox, vault,
//! server, databases and hosting stay edits of the file by hand, and a model server's URL may
//! only point at this machine (a remote one would receive the conversation).

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use dark8_protocol::ToolStatus;
use dark8_protocol::{SettingsUpdate, WritableSetting};
use dark8_store::NewAuditEntry;
use serde_json::Value;

use crate::config::{Config, ENV_PREFIX};
use crate::error::UserMessage;
use crate::language::Language;
use crate::service::Dark8;

/// What a key may hold beyond what the configuration's own types check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Check {
    /// Whatever the configuration accepts.
    Typed,
    /// An http(s) URL whose host is this machine.
    LoopbackUrl,
    /// A port a user's program may listen on (1024–65535).
    UserPort,
    /// A role as strict as the one in force or stricter: a front end may tighten what
    /// DARK8 may do, never loosen it.
    StricterRole,
}

/// One key a front end may change.
#[derive(Debug, Clone, Copy)]
struct Writable {
    key: &'static str,
    live: bool,
    check: Check,
    pl: &'static str,
    en: &'static str,
}

const WRITABLE: &[Writable] = &[
    Writable {
        key: "language",
        live: true,
        check: Check::Typed,
        pl: "Język odpowiedzi i komunikatów (pl, en)",
        en: "Language of answers and messages (pl, en)",
    },
    Writable {
        key: "llm.provider",
        live: true,
        check: Check::Typed,
        pl: "Dostawca modelu: auto, none, ollama, openai, embedded",
        en: "Model provider: auto, none, ollama, openai, embedded",
    },
    Writable {
        key: "llm.ollama_url",
        live: true,
        check: Check::LoopbackUrl,
        pl: "Adres Ollamy na tym komputerze",
        en: "Ollama's address on this machine",
    },
    Writable {
        key: "llm.ollama_model",
        live: true,
        check: Check::Typed,
        pl: "Model Ollamy, np. qwen2.5-coder:7b",
        en: "The Ollama model, e.g. qwen2.5-coder:7b",
    },
    Writable {
        key: "llm.openai_url",
        live: true,
        check: Check::LoopbackUrl,
        pl: "Adres serwera zgodnego z OpenAI na tym komputerze (…/v1)",
        en: "An OpenAI-compatible server on this machine (…/v1)",
    },
    Writable {
        key: "llm.openai_model",
        live: true,
        check: Check::Typed,
        pl: "Nazwa modelu na tym serwerze",
        en: "The model name that server expects",
    },
    Writable {
        key: "llm.embedded_model",
        live: true,
        check: Check::Typed,
        pl: "Wbudowany model: nazwa (dark8 model list) albo plik GGUF",
        en: "The embedded model: a name (dark8 model list) or a GGUF file",
    },
    Writable {
        key: "llm.context_tokens",
        live: true,
        check: Check::Typed,
        pl: "Okno kontekstu w tokenach",
        en: "Context window in tokens",
    },
    Writable {
        key: "llm.timeout_s",
        live: true,
        check: Check::Typed,
        pl: "Limit czasu jednej odpowiedzi modelu (s)",
        en: "Time limit of one model answer (s)",
    },
    Writable {
        key: "llm.max_steps",
        live: true,
        check: Check::Typed,
        pl: "Najwięcej wywołań narzędzi na jedno polecenie",
        en: "Most tool calls per command",
    },
    Writable {
        key: "llm.temperature",
        live: true,
        check: Check::Typed,
        pl: "Temperatura próbkowania (0 = deterministycznie)",
        en: "Sampling temperature (0 = deterministic)",
    },
    Writable {
        key: "llm.native_tools",
        live: true,
        check: Check::Typed,
        pl: "Natywne wywołania narzędzi API zamiast schematów JSON",
        en: "Native tool calls of the API instead of JSON schemas",
    },
    Writable {
        key: "doctor.min_free_disk_mib",
        live: true,
        check: Check::Typed,
        pl: "Próg wolnego miejsca na dysku w diagnostyce (MiB)",
        en: "Free disk space threshold of the doctor (MiB)",
    },
    Writable {
        key: "policy.role",
        live: true,
        check: Check::StricterRole,
        pl: "Rola: owner, developer (pisanie i uruchamianie za zgodą), viewer (tylko odczyt); z panelu tylko zaostrzenie",
        en: "Role: owner, developer (writing and running after approval), viewer (read only); a front end may only tighten it",
    },
    Writable {
        key: "server.port",
        live: false,
        check: Check::UserPort,
        pl: "Port lokalnego API i panelu w przeglądarce (zawsze tylko na tym komputerze)",
        en: "Port of the local API and the browser dashboard (always on this machine only)",
    },
    Writable {
        key: "server.desktop_api",
        live: false,
        check: Check::Typed,
        pl: "Czy aplikacja okienkowa udostępnia API i panel w przeglądarce, gdy działa",
        en: "Whether the desktop app serves the API and the browser dashboard while it runs",
    },
    Writable {
        key: "logging.file_level",
        live: false,
        check: Check::Typed,
        pl: "Poziom dziennika w pliku: error, warn, info, debug, trace",
        en: "Level of the log file: error, warn, info, debug, trace",
    },
];

/// Why a change of settings was refused; nothing was written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SettingsError {
    /// The change names no key.
    #[error("no settings to change")]
    Empty,
    /// The key is not a configuration key.
    #[error("unknown setting `{0}`")]
    Unknown(String),
    /// The key exists but only a hand edit of the file may change it.
    #[error("setting `{0}` cannot be changed from a front end")]
    NotWritable(String),
    /// The value is not one the key takes.
    #[error("invalid value for `{key}`: {detail}")]
    Invalid {
        /// The key.
        key: String,
        /// What is wrong.
        detail: String,
    },
    /// The file could not be read or written.
    #[error("cannot write {path}: {detail}")]
    Io {
        /// The configuration file.
        path: String,
        /// What failed.
        detail: String,
    },
}

impl SettingsError {
    /// The error told to the user in `language`, with a hint.
    pub fn user_message(&self, language: Language) -> UserMessage {
        let pl = language == Language::Pl;
        let message = match (self, pl) {
            (SettingsError::Empty, true) => "Nie podano żadnego ustawienia do zmiany.".to_owned(),
            (SettingsError::Empty, false) => "No setting to change was given.".to_owned(),
            (SettingsError::Unknown(key), true) => format!("Nie ma ustawienia „{key}”."),
            (SettingsError::Unknown(key), false) => format!("There is no setting `{key}`."),
            (SettingsError::NotWritable(key), true) => {
                format!("Ustawienia „{key}” nie można zmienić z panelu.")
            }
            (SettingsError::NotWritable(key), false) => {
                format!("The setting `{key}` cannot be changed from a front end.")
            }
            (SettingsError::Invalid { key, detail }, true) => {
                format!("Niepoprawna wartość „{key}”: {detail}")
            }
            (SettingsError::Invalid { key, detail }, false) => {
                format!("Invalid value for `{key}`: {detail}")
            }
            (SettingsError::Io { path, detail }, true) => {
                format!("Nie można zapisać pliku {path}: {detail}")
            }
            (SettingsError::Io { path, detail }, false) => {
                format!("Cannot write {path}: {detail}")
            }
        };
        let hint = match self {
            SettingsError::Empty => language.pick(
                "Podaj np. {\"changes\": {\"language\": \"en\"}} albo `dark8 config set language en`.",
                "Give e.g. {\"changes\": {\"language\": \"en\"}} or `dark8 config set language en`.",
            ),
            SettingsError::Unknown(_) | SettingsError::Invalid { .. } => language.pick(
                "Lista ustawień do zmiany: `dark8 config set` albo GET /api/v1/settings/writable.",
                "The settings that may change: `dark8 config set` or GET /api/v1/settings/writable.",
            ),
            SettingsError::NotWritable(_) => language.pick(
                "Uprawnienia, piaskownica, sejf i adres serwera zmieniają się tylko w pliku config.toml (`dark8 config path`), po czym trzeba uruchomić DARK8 ponownie.",
                "Policy, sandbox, vault and the server's address change only in config.toml (`dark8 config path`), followed by a restart of DARK8.",
            ),
            SettingsError::Io { .. } => language.pick(
                "Sprawdź prawa do katalogu konfiguracji (`dark8 config path`) i miejsce na dysku.",
                "Check the permissions of the configuration directory (`dark8 config path`) and free disk space.",
            ),
        };
        UserMessage {
            message,
            hint: hint.to_owned(),
        }
    }
}

/// The keys a front end may change, with what they are.
pub fn writable_settings() -> Vec<WritableSetting> {
    WRITABLE
        .iter()
        .map(|w| WritableSetting {
            key: w.key.to_owned(),
            live: w.live,
            description_pl: w.pl.to_owned(),
            description_en: w.en.to_owned(),
        })
        .collect()
}

impl Dark8 {
    /// The configuration in force for a front end to show: every URL's password masked
    /// (`postgres://dark8:***@db`) and whatever the vault holds redacted.
    pub fn settings_view(&self) -> Value {
        let mut config = serde_json::to_value(&*self.config()).unwrap_or_default();
        mask(&mut config, &|text| self.redactor().text(text));
        config
    }

    /// Changes `changes` (dotted key -> value) in `config.toml` and puts them in force: the
    /// whole new file is validated before it replaces the old one (atomically), so a refused
    /// change writes nothing. A changed model is chosen again at the next command. One audit
    /// row records the keys and values.
    pub async fn update_settings(
        &self,
        changes: &BTreeMap<String, Value>,
    ) -> Result<SettingsUpdate, SettingsError> {
        if changes.is_empty() {
            return Err(SettingsError::Empty);
        }
        let before = self.config();
        for (key, value) in changes {
            check(key, value, &before)?;
        }
        let in_force = applied(&before, changes)?;
        let file = self.paths().config_file.clone();
        write_validated(&file, changes)?;
        let brain_changed = in_force.llm != before.llm;
        let mut update = SettingsUpdate {
            config_file: file.display().to_string(),
            applied: Vec::new(),
            on_restart: Vec::new(),
            overridden: Vec::new(),
        };
        for key in changes.keys() {
            let live = WRITABLE.iter().any(|w| w.key == key && w.live);
            if overridden_by_env(key) {
                update.overridden.push(key.clone());
            } else if live {
                update.applied.push(key.clone());
            } else {
                update.on_restart.push(key.clone());
            }
        }
        self.replace_config(in_force);
        if brain_changed {
            self.forget_brain();
        }
        let entry = NewAuditEntry::new(
            "settings_update",
            serde_json::json!({ "changes": changes }),
            format!(
                "zmieniono: {}",
                changes.keys().cloned().collect::<Vec<_>>().join(", ")
            ),
            ToolStatus::Success,
        );
        if let Err(err) = self.store().audit().append(&entry).await {
            tracing::warn!(error = %err, "settings change not audited");
        }
        Ok(update)
    }
}

/// Masks passwords in URLs and what `redact` hides, in every string of `value`.
fn mask(value: &mut Value, redact: &dyn Fn(&str) -> String) {
    match value {
        Value::String(text) => {
            if let Ok(mut url) = reqwest::Url::parse(text) {
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

/// How strict a role is: the higher, the less DARK8 may do.
fn strictness(role: dark8_tools::policy::Role) -> u8 {
    use dark8_tools::policy::Role;
    match role {
        Role::Owner => 0,
        Role::Developer => 1,
        Role::Viewer => 2,
    }
}

/// Refuses a key that is unknown or not writable, and a value of the wrong shape or one
/// that would loosen what `current` allows.
fn check(key: &str, value: &Value, current: &Config) -> Result<(), SettingsError> {
    let Some(writable) = WRITABLE.iter().find(|w| w.key == key) else {
        let known = serde_json::to_value(Config::default())
            .ok()
            .is_some_and(|defaults| lookup(&defaults, key).is_some());
        return Err(if known {
            SettingsError::NotWritable(key.to_owned())
        } else {
            SettingsError::Unknown(key.to_owned())
        });
    };
    let invalid = |detail: &str| SettingsError::Invalid {
        key: key.to_owned(),
        detail: detail.to_owned(),
    };
    if !(value.is_string() || value.is_number() || value.is_boolean()) {
        return Err(invalid("oczekiwano tekstu, liczby albo wartości logicznej"));
    }
    if writable.check == Check::StricterRole {
        let role: dark8_tools::policy::Role = serde_json::from_value(value.clone())
            .map_err(|_| invalid("rola to owner, developer albo viewer"))?;
        if strictness(role) < strictness(current.policy.role) {
            return Err(invalid(
                "z panelu rolę można tylko zaostrzyć (owner → developer → viewer); poluzowanie to zmiana w config.toml",
            ));
        }
    }
    if writable.check == Check::UserPort {
        let port = value
            .as_u64()
            .ok_or_else(|| invalid("oczekiwano numeru portu"))?;
        if !(1024..=65535).contains(&port) {
            return Err(invalid("port musi być w zakresie 1024–65535"));
        }
    }
    if writable.check == Check::LoopbackUrl {
        let text = value
            .as_str()
            .ok_or_else(|| invalid("oczekiwano adresu URL"))?;
        let url =
            reqwest::Url::parse(text).map_err(|e| invalid(&format!("to nie jest URL ({e})")))?;
        let host = url.host_str().unwrap_or_default();
        let local = host.eq_ignore_ascii_case("localhost")
            || host
                .trim_start_matches('[')
                .trim_end_matches(']')
                .parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip.is_loopback());
        if !matches!(url.scheme(), "http" | "https") || !local {
            return Err(invalid(
                "z panelu tylko adres na tym komputerze (127.0.0.1, localhost); serwer zdalny dostałby rozmowę, więc ustawia się go w config.toml",
            ));
        }
    }
    Ok(())
}

/// `config` with the live keys of `changes` set, except those a `DARK8_*` variable
/// overrides (the variable still wins); checked as a loaded file is.
fn applied(config: &Config, changes: &BTreeMap<String, Value>) -> Result<Config, SettingsError> {
    let invalid = |key: &str, detail: String| SettingsError::Invalid {
        key: key.to_owned(),
        detail,
    };
    let mut tree = serde_json::to_value(config).map_err(|e| invalid("", e.to_string()))?;
    for (key, value) in changes {
        let live = WRITABLE.iter().any(|w| w.key == key && w.live);
        if !live || overridden_by_env(key) {
            continue;
        }
        let (path, last) = key
            .rsplit_once('.')
            .map_or(("", key.as_str()), |(p, l)| (p, l));
        let table = if path.is_empty() {
            Some(&mut tree)
        } else {
            path.split('.')
                .try_fold(&mut tree, |node, part| node.get_mut(part))
        };
        match table.and_then(Value::as_object_mut) {
            Some(table) => {
                table.insert(last.to_owned(), value.clone());
            }
            None => return Err(SettingsError::Unknown(key.clone())),
        }
        // Each key alone first, so the error names the key that is wrong.
        serde_json::from_value::<Config>(tree.clone()).map_err(|e| invalid(key, e.to_string()))?;
    }
    let config: Config = serde_json::from_value(tree).map_err(|e| invalid("", e.to_string()))?;
    config.validated().map_err(|err| match err {
        crate::CoreError::Config { detail, .. } => invalid(
            &changes.keys().cloned().collect::<Vec<_>>().join(", "),
            detail,
        ),
        other => invalid("", other.to_string()),
    })
}

/// The value under a dotted `key` of a JSON object.
fn lookup<'a>(value: &'a Value, key: &str) -> Option<&'a Value> {
    key.split('.').try_fold(value, |node, part| node.get(part))
}

/// Whether a `DARK8_*` variable of this process sets `key`.
fn overridden_by_env(key: &str) -> bool {
    let name = format!("{ENV_PREFIX}{}", key.replace('.', "__"));
    std::env::vars_os().any(|(var, _)| var.to_string_lossy().eq_ignore_ascii_case(&name))
}

/// Writes `changes` into the TOML file at `file` (keeping its comments and other keys) once
/// the whole result loads as a valid configuration; returns that configuration.
fn write_validated(file: &Path, changes: &BTreeMap<String, Value>) -> Result<(), SettingsError> {
    let io = |detail: String| SettingsError::Io {
        path: file.display().to_string(),
        detail,
    };
    let text = match std::fs::read_to_string(file) {
        Ok(text) => text,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(err) => return Err(io(err.to_string())),
    };
    let mut document: toml_edit::DocumentMut =
        text.parse().map_err(|e: toml_edit::TomlError| {
            io(format!("plik nie jest poprawnym TOML-em ({})", e.message()))
        })?;
    for (key, value) in changes {
        set(&mut document, key, value)?;
    }
    let dir = file
        .parent()
        .filter(|dir| !dir.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| io(e.to_string()))?;
    let mut temp = tempfile::Builder::new()
        .prefix(".config.toml.")
        .tempfile_in(dir)
        .map_err(|e| io(e.to_string()))?;
    temp.write_all(document.to_string().as_bytes())
        .and_then(|()| temp.as_file().sync_all())
        .map_err(|e| io(e.to_string()))?;
    Config::load(temp.path()).map_err(|err| {
        let detail = match err {
            crate::CoreError::Config { detail, .. } => detail,
            other => other.to_string(),
        };
        SettingsError::Invalid {
            key: changes.keys().cloned().collect::<Vec<_>>().join(", "),
            detail,
        }
    })?;
    temp.persist(file).map_err(|e| io(e.error.to_string()))?;
    Ok(())
}

/// Sets the dotted `key` of `document` to `value`, making tables on the way.
fn set(
    document: &mut toml_edit::DocumentMut,
    key: &str,
    value: &Value,
) -> Result<(), SettingsError> {
    let item = match value {
        Value::String(text) => toml_edit::value(text.as_str()),
        Value::Bool(flag) => toml_edit::value(*flag),
        Value::Number(number) => match (number.as_i64(), number.as_f64()) {
            (Some(int), _) => toml_edit::value(int),
            (None, Some(float)) => toml_edit::value(float),
            _ => {
                return Err(SettingsError::Invalid {
                    key: key.to_owned(),
                    detail: "liczba poza zakresem".to_owned(),
                })
            }
        },
        _ => {
            return Err(SettingsError::Invalid {
                key: key.to_owned(),
                detail: "oczekiwano tekstu, liczby albo wartości logicznej".to_owned(),
            })
        }
    };
    let parts: Vec<&str> = key.split('.').collect();
    let Some((last, tables)) = parts.split_last() else {
        return Err(SettingsError::Unknown(key.to_owned()));
    };
    let mut table = document.as_table_mut();
    for part in tables {
        let entry = table
            .entry(part)
            .or_insert_with(|| toml_edit::Item::Table(toml_edit::Table::new()));
        table = entry.as_table_mut().ok_or_else(|| SettingsError::Invalid {
            key: key.to_owned(),
            detail: format!("„{part}” w pliku nie jest sekcją"),
        })?;
    }
    // Through the entry, so the key keeps its comments; the value keeps its own too.
    let slot = table.entry(last).or_insert(toml_edit::Item::None);
    let decor = slot.as_value().map(|old| old.decor().clone());
    *slot = item;
    if let (Some(decor), Some(value)) = (decor, slot.as_value_mut()) {
        *value.decor_mut() = decor;
    }
    Ok(())
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

    #[test]
    fn every_writable_key_exists_in_the_configuration() {
        let defaults = serde_json::to_value(Config::default()).unwrap();
        for writable in WRITABLE {
            assert!(
                lookup(&defaults, writable.key).is_some(),
                "{}",
                writable.key
            );
        }
    }

    #[test]
    fn keys_that_widen_what_dark8_may_do_are_refused() {
        let defaults = Config::default();
        for key in [
            "policy.default_rules",
            "sandbox.network",
            "server.host",
            "vault.backend",
        ] {
            let err = check(key, &Value::String("x".into()), &defaults).unwrap_err();
            assert!(
                matches!(
                    err,
                    SettingsError::NotWritable(_) | SettingsError::Unknown(_)
                ),
                "{key}: {err:?}"
            );
        }
        // The role only tightens from a front end.
        assert!(matches!(
            check("policy.role", &Value::String("admin".into()), &defaults),
            Err(SettingsError::Invalid { .. })
        ));
        assert_eq!(
            check("policy.role", &Value::String("viewer".into()), &defaults),
            Ok(())
        );
        let mut viewer = Config::default();
        viewer.policy.role = dark8_tools::policy::Role::Viewer;
        let loosen = check("policy.role", &Value::String("owner".into()), &viewer).unwrap_err();
        assert!(loosen.to_string().contains("zaostrzyć"), "{loosen}");
        assert_eq!(
            check("policy.role", &Value::String("viewer".into()), &viewer),
            Ok(())
        );
        for port in [0, 80, 65536] {
            assert!(
                matches!(
                    check("server.port", &serde_json::json!(port), &defaults),
                    Err(SettingsError::Invalid { .. })
                ),
                "{port}"
            );
        }
        assert_eq!(
            check("server.port", &serde_json::json!(8732), &defaults),
            Ok(())
        );
        assert_eq!(
            check("nie.ma", &Value::Bool(true), &defaults).unwrap_err(),
            SettingsError::Unknown("nie.ma".into())
        );
    }

    #[test]
    fn a_model_server_must_be_on_this_machine() {
        for url in [
            "http://127.0.0.1:11434",
            "http://localhost:11434",
            "http://[::1]:8080/v1",
        ] {
            check(
                "llm.ollama_url",
                &Value::String(url.into()),
                &Config::default(),
            )
            .unwrap();
        }
        for url in [
            "http://10.0.0.5:11434",
            "https://api.example.com/v1",
            "file:///etc/passwd",
            "nie-url",
        ] {
            assert!(
                check(
                    "llm.openai_url",
                    &Value::String(url.into()),
                    &Config::default()
                )
                .is_err(),
                "{url}"
            );
        }
    }

    #[test]
    fn the_file_keeps_its_comments_and_other_keys() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("config.toml");
        std::fs::write(&file, "# moje ustawienia\nlanguage = \"pl\"\n\n[llm]\n# model na co dzień\nollama_model = \"qwen\"\n").unwrap();
        let changes = BTreeMap::from([
            ("language".to_owned(), Value::String("en".into())),
            ("llm.max_steps".to_owned(), serde_json::json!(5)),
            ("llm.temperature".to_owned(), serde_json::json!(0.5)),
        ]);
        write_validated(&file, &changes).unwrap();
        let config = Config::load(&file).unwrap();
        assert_eq!(config.language, crate::Language::En);
        assert_eq!(config.llm.max_steps, 5);
        let live = applied(&Config::default(), &changes).unwrap();
        assert_eq!(
            (live.language, live.llm.max_steps),
            (crate::Language::En, 5)
        );
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(
            text.contains("# moje ustawienia") && text.contains("# model na co dzień"),
            "{text}"
        );
        assert!(text.contains("ollama_model = \"qwen\""), "{text}");
    }

    #[test]
    fn an_invalid_value_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("config.toml");
        std::fs::write(&file, "language = \"pl\"\n").unwrap();
        let changes = BTreeMap::from([("llm.provider".to_owned(), Value::String("skynet".into()))]);
        let err = write_validated(&file, &changes).unwrap_err();
        assert!(matches!(err, SettingsError::Invalid { .. }), "{err:?}");
        assert_eq!(
            std::fs::read_to_string(&file).unwrap(),
            "language = \"pl\"\n"
        );
        let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no temporary file left behind");
        let changes = BTreeMap::from([("llm.max_steps".to_owned(), Value::String("dużo".into()))]);
        assert!(write_validated(&file, &changes).is_err());
        let err = applied(&Config::default(), &changes).unwrap_err();
        assert!(
            matches!(&err, SettingsError::Invalid { key, .. } if key == "llm.max_steps"),
            "{err:?}"
        );
    }
}
