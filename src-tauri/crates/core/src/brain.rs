//! The brain: which language model the agent reasons with, from `[llm]` of the configuration.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use dark8_agent::llm::http_model::Endpoint;
use dark8_agent::llm::models::ModelStore;
use dark8_agent::llm::ollama::Ollama;
use dark8_agent::llm::openai::OpenAi;
use dark8_agent::llm::{Brain, ChatRequest, LoopSettings, Message, Role};
use dark8_protocol::BrainCheck;
use tokio_util::sync::CancellationToken;

use crate::config::{LlmConfig, LlmProvider};
use crate::paths::Paths;
use crate::service::Dark8;

/// Which brain is active, for `dark8 doctor` and the UI.
#[derive(Debug, Clone, PartialEq)]
pub struct BrainStatus {
    /// What is active, e.g. `ollama qwen2.5-coder:7b (http://127.0.0.1:11434)`; `None` when
    /// DARK8 works without a model.
    pub active: Option<String>,
    /// Why (what was tried), in Polish.
    pub detail: String,
    /// The provider that can work.
    pub selected: Option<Selected>,
}

/// True when this build carries the embedded llama.cpp engine.
pub const EMBEDDED_BUILT_IN: bool = cfg!(feature = "embedded-llm");

impl Dark8 {
    /// The local GGUF models.
    pub fn models(&self) -> ModelStore {
        ModelStore::new(self.paths().models_dir())
    }

    /// The loop limits from `[llm]`.
    pub fn loop_settings(&self) -> LoopSettings {
        let config = self.config();
        let llm = &config.llm;
        LoopSettings {
            max_steps: llm.max_steps,
            temperature: llm.temperature,
            constrained: !llm.native_tools,
            ..LoopSettings::default()
        }
    }

    /// The brain `[llm] provider` names, after checking it can work; `None` with the reason
    /// when DARK8 works without a model.
    pub async fn brain(&self) -> (Option<Arc<dyn Brain>>, BrainStatus) {
        let config = self.config();
        let llm = &config.llm;
        let status = detect(llm, self.paths()).await;
        let brain: Option<Arc<dyn Brain>> = match status.selected.clone() {
            None => None,
            Some(Selected::Embedded(path)) => embedded_brain(&path, llm),
            Some(Selected::Ollama) => Some(Arc::new(Ollama::new(
                &llm.ollama_url,
                &llm.ollama_model,
                llm.context_tokens,
                llm.timeout_s,
            ))),
            Some(Selected::Openai) => Some(Arc::new(OpenAi::at(Endpoint::new(
                &llm.openai_url,
                &llm.openai_model,
                self.openai_api_key(llm),
                llm.context_tokens,
                llm.timeout_s,
            )))),
        };
        (brain, status)
    }
}

impl Dark8 {
    /// The OpenAI-compatible server's API key from the vault, when `[llm]` names one and the
    /// vault opens without asking.
    pub(crate) fn openai_api_key(&self, llm: &LlmConfig) -> Option<String> {
        llm.openai_api_key_secret.as_ref().and_then(|name| {
            self.open_vault(&|| None)
                .ok()
                .and_then(|vault| vault.get(name).ok())
                .map(|value| value.to_string())
        })
    }
}

/// Most time a connection test waits for the model's answer.
const CHECK_TIMEOUT: Duration = Duration::from_secs(60);

impl Dark8 {
    /// Tests the model `[llm]` names: finds it as a command would, asks it a one-word
    /// question and says what came back and how fast. The brain found is the one the next
    /// command uses (a model that came up since is picked up).
    pub async fn check_brain(&self) -> BrainCheck {
        let config = self.config();
        let language = config.language;
        let status = detect(&config.llm, self.paths()).await;
        let provider = status.selected.as_ref().map(|selected| {
            match selected {
                Selected::Embedded(_) => "embedded",
                Selected::Ollama => "ollama",
                Selected::Openai => "openai",
            }
            .to_owned()
        });
        let failed = |detail: String, hint: &str| BrainCheck {
            ok: false,
            provider: provider.clone(),
            active: status.active.clone(),
            detail,
            hint: Some(hint.to_owned()),
            answer: None,
            latency_ms: None,
        };
        if status.selected.is_none() {
            self.forget_brain();
            return failed(
                language.pick(
                    &format!("Brak modelu: {}.", status.detail),
                    &format!("No model: {}.", status.detail),
                ).to_owned(),
                language.pick(
                    "Wybierz dostawcę i model poniżej albo pobierz model wbudowany; znane polecenia działają i bez modelu.",
                    "Choose a provider and model below or download the embedded model; known commands work without one.",
                ),
            );
        }
        // A brain chosen earlier as "none" would hide the one found now.
        if self.brain_cell().get().is_some_and(Option::is_none) {
            self.forget_brain();
        }
        let Some(brain) = self.shared_brain().await else {
            return failed(
                language
                    .pick(
                        "Nie udało się uruchomić modelu.",
                        "The model could not be started.",
                    )
                    .to_owned(),
                language.pick("Zajrzyj do `dark8 doctor`.", "See `dark8 doctor`."),
            );
        };
        let request = ChatRequest {
            messages: vec![
                Message::new(Role::System, "Answer with one word."),
                Message::new(Role::User, "Czy działasz? Odpowiedz jednym słowem."),
            ],
            tools: Vec::new(),
            schema: None,
            temperature: 0.0,
            max_tokens: 8,
        };
        let started = std::time::Instant::now();
        let cancel = CancellationToken::new();
        let reply =
            tokio::time::timeout(CHECK_TIMEOUT, brain.chat(request, &|_| {}, cancel.clone())).await;
        let latency_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        match reply {
            Ok(Ok(reply)) => {
                let answer: String = reply.text.trim().chars().take(200).collect();
                BrainCheck {
                    ok: true,
                    provider,
                    active: Some(brain.describe()),
                    detail: language
                        .pick(
                            &format!("Model odpowiada ({latency_ms} ms)."),
                            &format!("The model answers ({latency_ms} ms)."),
                        )
                        .to_owned(),
                    hint: None,
                    answer: Some(answer),
                    latency_ms: Some(latency_ms),
                }
            }
            Ok(Err(err)) => failed(err.to_string(), err.hint()),
            Err(_) => {
                cancel.cancel();
                failed(
                    language
                        .pick(
                            &format!(
                                "Model nie odpowiedział w ciągu {} s.",
                                CHECK_TIMEOUT.as_secs()
                            ),
                            &format!(
                                "The model did not answer within {} s.",
                                CHECK_TIMEOUT.as_secs()
                            ),
                        )
                        .to_owned(),
                    language.pick(
                        "Sprawdź, czy serwer modelu nie jest zajęty, albo wybierz mniejszy model.",
                        "Check that the model server is not busy, or choose a smaller model.",
                    ),
                )
            }
        }
    }
}

/// A provider that can work.
#[derive(Debug, Clone, PartialEq)]
pub enum Selected {
    /// The embedded engine with this GGUF file.
    Embedded(PathBuf),
    /// Ollama, which answers and has the model.
    Ollama,
    /// An OpenAI-compatible server (not probed: it may want a key).
    Openai,
}

/// Finds the brain `[llm]` names without building it (for `dark8 doctor`).
pub async fn detect(llm: &LlmConfig, paths: &Paths) -> BrainStatus {
    let order: &[LlmProvider] = match llm.provider {
        LlmProvider::Auto => &[LlmProvider::Embedded, LlmProvider::Ollama],
        LlmProvider::None => &[],
        LlmProvider::Ollama => &[LlmProvider::Ollama],
        LlmProvider::Openai => &[LlmProvider::Openai],
        LlmProvider::Embedded => &[LlmProvider::Embedded],
    };
    let mut tried = Vec::new();
    for provider in order {
        let found = match provider {
            LlmProvider::Embedded => embedded_model(llm, paths).map(|path| {
                (
                    Selected::Embedded(path.clone()),
                    format!("wbudowany llama.cpp: {}", path.display()),
                )
            }),
            LlmProvider::Ollama => ollama_ready(llm).await.map(|()| {
                (
                    Selected::Ollama,
                    format!("Ollama {} ({})", llm.ollama_model, llm.ollama_url),
                )
            }),
            LlmProvider::Openai => Ok((
                Selected::Openai,
                format!("OpenAI-zgodny {} ({})", llm.openai_model, llm.openai_url),
            )),
            LlmProvider::Auto | LlmProvider::None => Err("brak".to_owned()),
        };
        match found {
            Ok((selected, detail)) => {
                return BrainStatus {
                    active: Some(detail.clone()),
                    detail,
                    selected: Some(selected),
                }
            }
            Err(why) => tried.push(why),
        }
    }
    let detail = if tried.is_empty() {
        "wyłączony ([llm] provider = \"none\"); znane polecenia działają bez modelu".to_owned()
    } else {
        format!("brak: {}", tried.join("; "))
    };
    BrainStatus {
        active: None,
        detail,
        selected: None,
    }
}

fn embedded_model(llm: &LlmConfig, paths: &Paths) -> Result<PathBuf, String> {
    if !EMBEDDED_BUILT_IN {
        return Err("ta kompilacja nie ma silnika wbudowanego (cecha embedded-llm)".to_owned());
    }
    ModelStore::new(paths.models_dir())
        .resolve(&llm.embedded_model)
        .ok_or_else(|| {
            format!(
                "nie ma modelu wbudowanego {} (`dark8 model pull {}`)",
                llm.embedded_model, llm.embedded_model
            )
        })
}

async fn ollama_ready(llm: &LlmConfig) -> Result<(), String> {
    let ollama = Ollama::new(
        &llm.ollama_url,
        &llm.ollama_model,
        llm.context_tokens,
        llm.timeout_s,
    );
    let unreachable = || format!("Ollama ({}) nie odpowiada", llm.ollama_url);
    let models = tokio::time::timeout(Duration::from_millis(1500), ollama.models())
        .await
        .map_err(|_| unreachable())?
        .map_err(|_| unreachable())?;
    let wanted = llm.ollama_model.as_str();
    if models
        .iter()
        .any(|m| m == wanted || m.strip_suffix(":latest") == Some(wanted))
    {
        Ok(())
    } else {
        Err(format!(
            "Ollama działa, ale nie ma modelu {wanted} (`ollama pull {wanted}`)"
        ))
    }
}

#[cfg(feature = "embedded-llm")]
fn embedded_brain(path: &std::path::Path, llm: &LlmConfig) -> Option<Arc<dyn Brain>> {
    Some(Arc::new(dark8_agent::llm::embedded::Embedded::new(
        path,
        llm.context_tokens,
    )))
}

#[cfg(not(feature = "embedded-llm"))]
fn embedded_brain(_path: &std::path::Path, _llm: &LlmConfig) -> Option<Arc<dyn Brain>> {
    None
}
