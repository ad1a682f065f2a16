//! The agent as the core sets it up for a front end: NLP engine, executor, memory, brain.

use std::path::PathBuf;
use std::sync::Arc;

use dark8_agent::llm::Brain;
use dark8_agent::memory::Memory;
use dark8_agent::{Agent, Emit, Lang};
use dark8_nlp::Engine;
use dark8_protocol::CommandSource;
use dark8_tools::executor::EventSink;
use dark8_tools::Approver;

use crate::error::CoreError;
use crate::language::Language;
use crate::runs::RunTagger;
use crate::service::Dark8;

impl Dark8 {
    /// The conversation memory over this core's store, finding facts by meaning too when
    /// the embedding model is there.
    pub fn memory(&self) -> Result<Memory, CoreError> {
        Ok(Memory::new(self.store().clone())
            .map_err(CoreError::Tools)?
            .with_embedder(self.embedder())
            .with_vector_index(Some(self.vector_index().clone())))
    }

    /// An agent for `workspace`, its approvals answered by `approver`, its events on the bus,
    /// reasoning with the configured brain when one is available.
    pub async fn agent(
        &self,
        workspace: PathBuf,
        approver: Arc<dyn Approver>,
        source: CommandSource,
    ) -> Result<Agent, CoreError> {
        let events = self.events().clone();
        let emit: Emit = Arc::new(move |event| {
            events.publish(event);
        });
        let executor = self.executor(workspace, approver)?;
        self.assemble(executor, emit, source).await
    }

    /// An agent for one run of session `session`: every event it and its executor publish
    /// goes through `tagger`.
    pub(crate) async fn agent_for_run(
        &self,
        workspace: PathBuf,
        approver: Arc<dyn Approver>,
        source: CommandSource,
        session: &str,
        tagger: Arc<RunTagger>,
    ) -> Result<Agent, CoreError> {
        let run = tagger.run_id().unwrap_or(session).to_owned();
        let for_executor = tagger.clone();
        let sink: EventSink = Arc::new(move |event| for_executor.publish(event));
        let executor = self.executor_with_events(workspace, approver, sink)?;
        let emit: Emit = Arc::new(move |event| tagger.publish(event));
        Ok(self
            .assemble(executor, emit, source)
            .await?
            .with_session_id(session)
            .with_plan_prefix(&run))
    }

    async fn assemble(
        &self,
        executor: dark8_tools::Executor,
        emit: Emit,
        source: CommandSource,
    ) -> Result<Agent, CoreError> {
        let engine = self.nlp_engine()?;
        let mut agent = Agent::new(engine, executor, self.memory()?, emit)
            .with_source(source)
            .with_language(match self.config().language {
                Language::Pl => Lang::Pl,
                Language::En => Lang::En,
            });
        if let Some(brain) = self.shared_brain().await {
            agent = agent.with_brain(brain, self.loop_settings());
        }
        Ok(agent)
    }

    /// The NLP engine, loaded once per core.
    fn nlp_engine(&self) -> Result<Arc<Engine>, CoreError> {
        let cell = self.engine_cell();
        if let Some(engine) = cell.get() {
            return Ok(engine.clone());
        }
        let engine = Arc::new(Engine::embedded().map_err(|err| CoreError::Tools(err.to_string()))?);
        Ok(cell.get_or_init(|| engine).clone())
    }

    /// The brain, chosen once per core (a loaded embedded model stays loaded across runs).
    pub(crate) async fn shared_brain(&self) -> Option<Arc<dyn Brain>> {
        self.brain_cell()
            .get_or_init(|| async {
                let (brain, status) = self.brain().await;
                tracing::info!(brain = %status.detail, "agent ready");
                brain
            })
            .await
            .clone()
    }
}
