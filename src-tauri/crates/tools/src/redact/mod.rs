//! One redaction layer for every way out (audit log, logs, events, errors, LLM prompts):
//! known secret values, their keyed fingerprints (so a locked vault still hides them), values
//! under secret-looking keys, and token-shaped strings.

mod fingerprint;

use std::sync::{Arc, PoisonError, RwLock};

pub use fingerprint::{weak_secret, Fingerprint, FingerprintKey, FingerprintSet};

use regex::Regex;
use serde_json::Value;

/// What replaces a secret.
pub const REDACTED: &str = "[UKRYTE]";

/// `scheme://user:password@` in URLs (database and proxy URLs carry passwords).
fn url_password() -> Option<Regex> {
    Regex::new(r"([A-Za-z][A-Za-z0-9+.\-]*://[^/:@\s]*:)[^@\s/]+@").ok()
}

/// Removes secrets from text and JSON. Clones share their known secrets: a value the vault
/// reveals later is hidden by every clone from then on.
#[derive(Debug, Clone)]
pub struct Redactor {
    secrets: Arc<RwLock<Vec<String>>>,
    fingerprints: Arc<RwLock<Option<FingerprintSet>>>,
    patterns: Arc<Vec<Regex>>,
    url_password: Option<Arc<Regex>>,
}

/// Keys whose values are secrets whatever they look like.
fn is_secret_key(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    [
        "password",
        "passwd",
        "haslo",
        "hasło",
        "secret",
        "token",
        "api_key",
        "apikey",
        "private_key",
        "authorization",
        "cookie",
    ]
    .iter()
    .any(|k| key.contains(k))
}

impl Default for Redactor {
    fn default() -> Redactor {
        Redactor::new(Vec::new())
    }
}

impl Redactor {
    /// The process's redactor: the core's and the log writers' (clones share what they know,
    /// so a secret registered anywhere is hidden in the logs too).
    pub fn global() -> &'static Redactor {
        static GLOBAL: std::sync::OnceLock<Redactor> = std::sync::OnceLock::new();
        GLOBAL.get_or_init(Redactor::default)
    }

    /// A redactor that also hides each of `secrets` (values from the vault).
    pub fn new(secrets: Vec<String>) -> Redactor {
        let patterns = [
            r"gh[pousr]_[A-Za-z0-9]{20,}",
            r"github_pat_[A-Za-z0-9_]{20,}",
            r"glpat-[A-Za-z0-9_\-]{20,}",
            r"sk-[A-Za-z0-9_\-]{20,}",
            r"xox[baprs]-[A-Za-z0-9\-]{10,}",
            r"AKIA[0-9A-Z]{16}",
            r"-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----",
            r"(?i)bearer\s+[A-Za-z0-9._\-]{16,}",
        ]
        .iter()
        .filter_map(|p| Regex::new(p).ok())
        .collect();
        let redactor = Redactor {
            secrets: Arc::new(RwLock::new(Vec::new())),
            fingerprints: Arc::new(RwLock::new(None)),
            patterns: Arc::new(patterns),
            url_password: url_password().map(Arc::new),
        };
        for secret in secrets {
            redactor.add_secret(secret);
        }
        redactor
    }

    /// Adds a known secret value (for this redactor and all its clones). Values shorter than
    /// four characters are not hidden: they would mangle ordinary text.
    pub fn add_secret(&self, secret: impl Into<String>) {
        let secret = secret.into();
        let mut secrets = self.secrets.write().unwrap_or_else(PoisonError::into_inner);
        if secret.len() >= 4 && !secrets.contains(&secret) {
            secrets.push(secret);
            // Longest first, so a secret containing another is hidden whole.
            secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
        }
    }

    /// Adds fingerprints of secrets whose values this process has not seen (a locked vault),
    /// made under `key` (for this redactor and all its clones; a set under another key is
    /// replaced).
    pub fn add_fingerprints(
        &self,
        key: &FingerprintKey,
        prints: impl IntoIterator<Item = Fingerprint>,
    ) {
        let mut slot = self
            .fingerprints
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        let set = slot.get_or_insert_with(|| FingerprintSet::new(key.clone()));
        for print in prints {
            set.add(print);
        }
    }

    /// The known secret values.
    pub fn secrets(&self) -> Vec<String> {
        self.secrets
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// `text` with every secret replaced.
    pub fn text(&self, text: &str) -> String {
        let mut out = text.to_owned();
        let secrets = self.secrets.read().unwrap_or_else(PoisonError::into_inner);
        for secret in secrets.iter() {
            if out.contains(secret.as_str()) {
                out = out.replace(secret.as_str(), REDACTED);
            }
        }
        let fingerprints = self
            .fingerprints
            .read()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(set) = fingerprints.as_ref().filter(|set| !set.is_empty()) {
            // Back to front, so earlier ranges stay where they are.
            for range in set.find(&out).into_iter().rev() {
                out.replace_range(range, REDACTED);
            }
        }
        if let Some(pattern) = &self.url_password {
            if pattern.is_match(&out) {
                out = pattern
                    .replace_all(&out, format!("${{1}}{REDACTED}@").as_str())
                    .into_owned();
            }
        }
        for pattern in self.patterns.iter() {
            if pattern.is_match(&out) {
                out = pattern.replace_all(&out, REDACTED).into_owned();
            }
        }
        out
    }

    /// `value` with secrets replaced in every string, and every value under a secret key.
    pub fn json(&self, value: &Value) -> Value {
        match value {
            Value::String(s) => Value::String(self.text(s)),
            Value::Array(items) => Value::Array(items.iter().map(|v| self.json(v)).collect()),
            Value::Object(map) => Value::Object(
                map.iter()
                    .map(|(k, v)| {
                        // A flag (`"password": true`) or a null carries no secret.
                        let v = if is_secret_key(k) && !v.is_null() && !v.is_boolean() {
                            Value::String(REDACTED.to_owned())
                        } else {
                            self.json(v)
                        };
                        (k.clone(), v)
                    })
                    .collect(),
            ),
            other => other.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn hides_known_values_keys_and_token_shapes() {
        let redactor = Redactor::new(vec!["kanarek-1234".to_owned()]);
        assert_eq!(
            redactor.text("echo kanarek-1234 > x"),
            format!("echo {REDACTED} > x")
        );
        assert_eq!(
            redactor.text("token ghp_abcdefghijklmnopqrstuvwxyz0123456789"),
            format!("token {REDACTED}")
        );
        let value = redactor.json(&json!({"url": "https://x", "headers": {"Authorization": "Bearer abc"}, "password": 5, "note": "kanarek-1234"}));
        assert_eq!(value["headers"]["Authorization"], REDACTED);
        assert_eq!(value["password"], REDACTED);
        assert_eq!(value["note"], REDACTED);
        assert_eq!(value["url"], "https://x");
        assert_eq!(
            redactor.text("postgres://dark8:tajne-haslo@localhost:5432/db"),
            format!("postgres://dark8:{REDACTED}@localhost:5432/db")
        );
        assert_eq!(
            redactor.text("git@github.com:a/b.git"),
            "git@github.com:a/b.git"
        );
    }

    #[test]
    fn flags_under_secret_keys_stay_flags() {
        let redactor = Redactor::default();
        let value = redactor.json(&json!({"password": true, "token": null, "secret": [1]}));
        assert_eq!(
            value,
            json!({"password": true, "token": null, "secret": REDACTED})
        );
    }
}
