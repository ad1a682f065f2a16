//! The agent as the core sets it up for a front end: NLP engine, executor, memory, brain.

use std::path::PathBuf;
use std::sync::Arc;

use dark8_agent::memory::Memory;
use dark8_agent::{Agent, Lang};
use dark8_nlp::Engine;
use dark8_protocol::CommandSource;
use dark8_tools::Approver;

use crate::error::CoreError;
use crate::language::Language;
use crate::service::Dark8;

impl Dark8 {
    /// The conversation memory over this core's store.
    pub fn memory(&self) -> Result<Memory, CoreError> {
        Memory::new(self.store().clone()).map_err(CoreError::Tools)
    }

    /// An agent for `workspace`, its approvals answered by `approver`, its events on the bus,
    /// reasoning with the configured brain when one is available.
    pub async fn agent(
        &self,
        workspace: PathBuf,
        approver: Arc<dyn Approver>,
        source: CommandSource,
    ) -> Result<Agent, CoreError> {
        let engine = Engine::embedded().map_err(|err| CoreError::Tools(err.to_string()))?;
        let executor = self.executor(workspace, approver)?;
        let events = self.events().clone();
        let mut agent = Agent::new(
            Arc::new(engine),
            executor,
            self.memory()?,
            Arc::new(move |event| {
                events.publish(event);
            }),
        )
        .with_source(source)
        .with_language(match self.config().language {
            Language::Pl => Lang::Pl,
            Language::En => Lang::En,
        });
        let (brain, status) = self.brain().await;
        tracing::info!(brain = %status.detail, "agent ready");
        if let Some(brain) = brain {
            agent = agent.with_brain(brain, self.loop_settings());
        }
        Ok(agent)
    }
}
