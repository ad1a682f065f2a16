//! DARK8's agent: the seven steps of one command.
//!
//! - [`clauses`]: a compound command cut into clauses the NLP engine understands;
//! - [`plan`]: the plan table (intent -> tool calls) and the builder that fills it;
//! - [`Agent`]: runs a plan through the tool executor, or lets a language model choose the
//!   calls ([`llm`]), then records the turn ([`memory`]) and answers ([`respond`]);
//! - [`llm`]: Ollama, OpenAI-compatible servers and the embedded llama.cpp engine;
//! - [`memory`]: facts and past commands, recalled by full-text search on normalized Polish.

mod agent;
pub mod clauses;
pub mod evidence;
mod help;
mod language;
pub mod llm;
pub mod memory;
pub mod plan;
mod references;
pub mod respond;

use std::sync::Arc;

pub use agent::{
    is_clear_chat, is_project, Agent, Emit, Outcome, OutcomeStatus, ACT_CONFIDENCE,
    CHAT_CONFIDENCE, MODEL_CONFIDENCE,
};
pub use help::capabilities;
pub use language::{count_pl, Lang};

/// The agent's own tools (memory), for the core to register beside the others.
pub fn tools(memory: memory::Memory) -> Vec<Arc<dyn dark8_tools::Tool>> {
    vec![
        dark8_tools::declared(memory::MemorySave(memory.clone())),
        dark8_tools::declared(memory::MemorySearch(memory.clone())),
        dark8_tools::declared(memory::MemoryForget(memory)),
    ]
}
