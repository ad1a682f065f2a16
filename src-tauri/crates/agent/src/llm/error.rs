//! Errors of language model providers, with a Polish message and a hint.

/// What went wrong talking to a model.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LlmError {
    /// The server cannot be reached.
    #[error("Serwer modelu językowego {url} nie odpowiada: {detail}")]
    Unreachable {
        /// Its address.
        url: String,
        /// Why.
        detail: String,
    },
    /// The server answered with an error.
    #[error("Model językowy zgłosił błąd: {0}")]
    Server(String),
    /// The answer could not be read.
    #[error("Nieczytelna odpowiedź modelu językowego: {0}")]
    Protocol(String),
    /// No answer in time.
    #[error("Model językowy nie odpowiedział w ciągu {0} s")]
    Timeout(u64),
    /// The user cancelled.
    #[error("Przerwano")]
    Cancelled,
    /// The embedded model cannot be loaded or run.
    #[error("Wbudowany model: {0}")]
    Embedded(String),
}

impl LlmError {
    /// What to do about it.
    pub fn hint(&self) -> &'static str {
        match self {
            LlmError::Unreachable { .. } => {
                "Uruchom serwer (np. `ollama serve`) albo zmień [llm] w config.toml; `dark8 doctor` pokazuje, który model jest aktywny."
            }
            LlmError::Server(_) => "Sprawdź, czy model jest pobrany (np. `ollama pull NAZWA`).",
            LlmError::Protocol(_) => "Sprawdź, czy adres wskazuje na serwer zgodny z Ollamą albo OpenAI.",
            LlmError::Timeout(_) => "Zwiększ [llm] timeout_s albo użyj mniejszego modelu.",
            LlmError::Cancelled => "Nic więcej nie zostało wykonane.",
            LlmError::Embedded(_) => "Pobierz model: `dark8 model pull qwen2.5-coder-0.5b` albo `dark8 model import PLIK.gguf`.",
        }
    }

    /// Worth trying again (connection problems and 5xx/429 answers).
    pub fn is_transient(&self) -> bool {
        matches!(self, LlmError::Unreachable { .. } | LlmError::Timeout(_))
    }
}
