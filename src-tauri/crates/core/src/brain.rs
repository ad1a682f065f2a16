//! The brain: which language model the agent reasons with, from `[llm]` of the configuration.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use dark8_agent::llm::http_model::Endpoint;
use dark8_agent::llm::models::ModelStore;
use dark8_agent::llm::ollama::Ollama;
use dark8_agent::llm::openai::OpenAi;
use dark8_agent::llm::{Brain, LoopSettings};

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
            Some(Selected::Openai) => {
                let key = llm.openai_api_key_secret.as_ref().and_then(|name| {
                    self.open_vault(&|| None)
                        .ok()
                        .and_then(|vault| vault.get(name).ok())
                        .map(|value| value.to_string())
                });
                Some(Arc::new(OpenAi::at(Endpoint::new(
                    &llm.openai_url,
                    &llm.openai_model,
                    key,
                    llm.context_tokens,
                    llm.timeout_s,
                ))))
            }
        };
        (brain, status)
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
