//! The embedded engine's models for the settings screen: what is downloaded and known, and
//! downloads started from a front end that run in the background with their progress kept
//! here (the same resumable, SHA-256-checked download `dark8 model pull` makes).

use std::sync::{Arc, Mutex, PoisonError};

use dark8_agent::llm::models::{known, KNOWN_MODELS};
use dark8_protocol::{ModelCatalog, ModelEntry, ModelPull, ModelPullRequest, PullState};

use crate::brain::EMBEDDED_BUILT_IN;
use crate::error::CoreError;
use crate::service::Dark8;

/// Downloads started in this process, the newest first.
pub(crate) type Pulls = Arc<Mutex<Vec<ModelPull>>>;

/// Downloads kept in the list at most (finished ones beyond it are forgotten).
const KEPT_PULLS: usize = 20;

/// What to download: from where, under which file name, with which checksum.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Source {
    url: String,
    file: String,
    sha256: String,
}

fn bad(pl: String, en: String) -> CoreError {
    CoreError::BadRequest { pl, en }
}

/// Whether `file` is a plain GGUF file name (no directories, no hidden files).
fn valid_file_name(file: &str) -> bool {
    let stem = file.strip_suffix(".gguf").unwrap_or_default();
    !stem.is_empty()
        && file.len() <= 128
        && !stem.starts_with('.')
        && stem
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}

/// The download `request` asks for, checked: a known name, or an http(s) URL with a SHA-256
/// and a plain `.gguf` file name.
fn source_of(request: &ModelPullRequest) -> Result<Source, CoreError> {
    let name = request.name.trim();
    match (&request.url, &request.sha256) {
        (None, None) => known(name)
            .map(|model| Source {
                url: model.url.to_owned(),
                file: model.file.to_owned(),
                sha256: model.sha256.to_owned(),
            })
            .ok_or_else(|| {
                bad(
                    format!("Nie znam modelu „{name}”; znane są na liście modeli, inny plik podaj z adresem i sumą SHA-256."),
                    format!("Unknown model `{name}`; known ones are listed, give another file with its URL and SHA-256."),
                )
            }),
        (Some(url), Some(sha256)) => {
            let parsed = url::Url::parse(url.trim()).map_err(|e| {
                bad(
                    format!("Niepoprawny adres modelu „{url}”: {e}."),
                    format!("Invalid model URL `{url}`: {e}."),
                )
            })?;
            if !matches!(parsed.scheme(), "http" | "https") {
                return Err(bad(
                    format!("Model pobieram tylko przez http albo https, nie „{}”.", parsed.scheme()),
                    format!("Models download over http or https only, not `{}`.", parsed.scheme()),
                ));
            }
            let sha256 = sha256.trim().to_ascii_lowercase();
            if sha256.len() != 64 || !sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(bad(
                    "Suma SHA-256 to 64 cyfry szesnastkowe.".to_owned(),
                    "A SHA-256 is 64 hex digits.".to_owned(),
                ));
            }
            let file = if name.ends_with(".gguf") {
                name.to_owned()
            } else {
                format!("{name}.gguf")
            };
            if !valid_file_name(&file) {
                return Err(bad(
                    format!("Nazwa pliku „{file}” może mieć tylko litery, cyfry, kropki, myślniki i podkreślenia."),
                    format!("The file name `{file}` may hold only letters, digits, dots, dashes and underscores."),
                ));
            }
            Ok(Source {
                url: parsed.to_string(),
                file,
                sha256,
            })
        }
        _ => Err(bad(
            "Adres i suma SHA-256 idą razem: podaj oba albo żadnego (model znany z nazwy).".to_owned(),
            "A URL and a SHA-256 go together: give both, or neither for a known model.".to_owned(),
        )),
    }
}

/// Sets `file`'s download in `pulls` with `update`.
fn update_pull(pulls: &Pulls, file: &str, update: impl FnOnce(&mut ModelPull)) {
    let mut pulls = pulls.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(pull) = pulls
        .iter_mut()
        .find(|p| p.file == file && p.state == PullState::Running)
    {
        update(pull);
    }
}

impl Dark8 {
    /// The known and downloaded models of the embedded engine, and this process's downloads.
    pub fn model_catalog(&self) -> Result<ModelCatalog, CoreError> {
        let store = self.models();
        let local = store.list().map_err(|e| CoreError::Tools(e.to_string()))?;
        let config = self.config();
        let wanted = config.llm.embedded_model.as_str();
        let selected_file = store.resolve(wanted).and_then(|path| {
            path.file_name()
                .map(|name| name.to_string_lossy().into_owned())
        });
        let is_selected = |file: &str| selected_file.as_deref() == Some(file);
        let mut models: Vec<ModelEntry> = KNOWN_MODELS
            .iter()
            .map(|model| {
                let here = local.iter().find(|l| l.file == model.file);
                ModelEntry {
                    name: Some(model.name.to_owned()),
                    file: model.file.to_owned(),
                    size_bytes: here.map_or(model.size, |l| l.size),
                    downloaded: here.is_some(),
                    selected: is_selected(model.file),
                }
            })
            .collect();
        models.extend(
            local
                .iter()
                .filter(|l| known(&l.file).is_none())
                .map(|l| ModelEntry {
                    name: None,
                    file: l.file.clone(),
                    size_bytes: l.size,
                    downloaded: true,
                    selected: is_selected(&l.file),
                }),
        );
        let pulls = self
            .pulls()
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        Ok(ModelCatalog {
            dir: store.dir().display().to_string(),
            embedded_built_in: EMBEDDED_BUILT_IN,
            models,
            pulls,
        })
    }

    /// Starts downloading the model `request` names in the background (resuming a cut
    /// download); its progress shows in [`Dark8::model_catalog`]. Asking for a file already
    /// downloading returns that download.
    pub fn start_model_pull(&self, request: &ModelPullRequest) -> Result<ModelPull, CoreError> {
        let source = source_of(request)?;
        let pulls = self.pulls().clone();
        let pull = {
            let mut list = pulls.lock().unwrap_or_else(PoisonError::into_inner);
            if let Some(running) = list
                .iter()
                .find(|p| p.file == source.file && p.state == PullState::Running)
            {
                return Ok(running.clone());
            }
            let pull = ModelPull {
                file: source.file.clone(),
                url: source.url.clone(),
                done_bytes: 0,
                total_bytes: None,
                state: PullState::Running,
                error: None,
                started_at: dark8_store::now_rfc3339(),
            };
            list.insert(0, pull.clone());
            list.truncate(KEPT_PULLS);
            pull
        };
        tracing::info!(file = %source.file, url = %source.url, "model download started");
        let store = self.models();
        let core = self.clone();
        tokio::spawn(async move {
            let progress = {
                let pulls = pulls.clone();
                let file = source.file.clone();
                move |done: u64, total: Option<u64>| {
                    update_pull(&pulls, &file, |pull| {
                        pull.done_bytes = done;
                        pull.total_bytes = total;
                    });
                }
            };
            let result = store
                .pull(&source.url, &source.file, &source.sha256, &progress)
                .await;
            match &result {
                Ok(path) => {
                    tracing::info!(path = %path.display(), "model downloaded and checked");
                    // An `auto` brain may now find the embedded model.
                    core.forget_brain();
                }
                Err(err) => tracing::warn!(error = %err, "model download failed"),
            }
            update_pull(&pulls, &source.file, |pull| match result {
                Ok(_) => pull.state = PullState::Done,
                Err(err) => {
                    pull.state = PullState::Failed;
                    pull.error = Some(format!(
                        "{err}. Podpowiedź: pobierz ponownie, by wznowić; sprawdź adres i sumę."
                    ));
                }
            });
        });
        Ok(pull)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(name: &str, url: Option<&str>, sha256: Option<&str>) -> ModelPullRequest {
        ModelPullRequest {
            name: name.to_owned(),
            url: url.map(str::to_owned),
            sha256: sha256.map(str::to_owned),
        }
    }

    #[test]
    fn a_known_name_or_a_checked_url_is_what_gets_downloaded() {
        let known = source_of(&request("qwen2.5-coder-0.5b", None, None)).unwrap();
        assert!(known.url.starts_with("https://"));
        assert_eq!(known.file, "qwen2.5-coder-0.5b-instruct-q4_k_m.gguf");
        let sha = "AB".repeat(32);
        let custom = source_of(&request(
            "maly-model",
            Some("http://127.0.0.1:9/m.gguf"),
            Some(&sha),
        ))
        .unwrap();
        assert_eq!(custom.file, "maly-model.gguf");
        assert_eq!(custom.sha256, "ab".repeat(32));
        for bad_request in [
            request("nie-ma-takiego", None, None),
            request("m", Some("http://127.0.0.1/m"), None),
            request("m", None, Some(&sha)),
            request("m", Some("file:///etc/passwd"), Some(&sha)),
            request("m", Some("http://127.0.0.1/m"), Some("abc")),
            request("../../etc/x", Some("http://127.0.0.1/m"), Some(&sha)),
            request(".ukryty", Some("http://127.0.0.1/m"), Some(&sha)),
            request("a/b.gguf", Some("http://127.0.0.1/m"), Some(&sha)),
        ] {
            assert!(source_of(&bad_request).is_err(), "{bad_request:?}");
        }
    }
}
