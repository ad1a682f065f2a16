//! The run service: a command handed to the core runs as a task of its own, its events tagged
//! with its session, run and plan step, its state and outcome stored. A front end starts it,
//! follows its events (and replays them after a reload), answers its approvals, cancels it;
//! the run goes on whether anybody watches or not.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use dark8_agent::{Outcome, OutcomeStatus};
use dark8_protocol::{
    CommandSource, Event, EventEnvelope, RunDetail, RunState, RunStatus, StepView,
};
use dark8_store::{NewRun, StoredRun};
use dark8_tools::Approver;
use tokio::sync::watch;
use tokio_util::sync::CancellationToken;

use crate::error::CoreError;
use crate::events::{EventBus, EventScope};
use crate::service::Dark8;

/// Longest command a run accepts, in characters.
pub const MAX_COMMAND_CHARS: usize = 4000;

/// A command to run.
#[derive(Clone)]
pub struct RunRequest {
    /// The command, in Polish (or English).
    pub command: String,
    /// The workspace it acts in (an existing directory).
    pub workspace: PathBuf,
    /// The session it continues; a new one when `None`.
    pub session: Option<String>,
    /// The front end it comes from.
    pub source: CommandSource,
    /// A tool call a screen asks for by name (`command` then only describes it on the
    /// timeline); `None` for a command to understand.
    pub call: Option<DirectCall>,
    /// An approver of the front end itself (the CLI's prompt or `--yes`), asked beside every
    /// other front end; `None` leaves approvals to the service's clients.
    pub local_approver: Option<Arc<dyn Approver>>,
}

/// One tool call by name, as a screen's button makes it.
#[derive(Debug, Clone, PartialEq)]
pub struct DirectCall {
    /// The tool, e.g. `process_kill`.
    pub tool: String,
    /// Its arguments (checked against the tool's schema by the executor).
    pub arguments: serde_json::Value,
}

impl std::fmt::Debug for RunRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RunRequest")
            .field("command", &self.command)
            .field("workspace", &self.workspace)
            .field("session", &self.session)
            .finish_non_exhaustive()
    }
}

struct ActiveRun {
    cancel: CancellationToken,
    finished: watch::Receiver<Option<RunState>>,
}

/// The runs of one core that have not been forgotten; cheap to clone.
#[derive(Clone, Default)]
pub struct RunTable {
    active: Arc<Mutex<HashMap<String, ActiveRun>>>,
}

impl std::fmt::Debug for RunTable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RunTable").finish_non_exhaustive()
    }
}

impl RunTable {
    fn lock(&self) -> MutexGuard<'_, HashMap<String, ActiveRun>> {
        self.active
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

static NEXT_RUN: AtomicU64 = AtomicU64::new(1);

fn new_id(prefix: &str) -> String {
    format!(
        "{prefix}-{:x}-{}",
        chrono::Utc::now().timestamp_millis(),
        NEXT_RUN.fetch_add(1, Ordering::Relaxed)
    )
}

/// Tags the events of one run with its session, run and, once the plan is known, the step
/// each tool call belongs to.
pub struct RunTagger {
    bus: EventBus,
    scope: EventScope,
    steps: Mutex<HashMap<String, u32>>,
}

impl RunTagger {
    /// A tagger publishing on `bus` for `scope`.
    pub fn new(bus: EventBus, scope: EventScope) -> RunTagger {
        RunTagger {
            bus,
            scope,
            steps: Mutex::new(HashMap::new()),
        }
    }

    /// The run these events belong to.
    pub fn run_id(&self) -> Option<&str> {
        self.scope.run.as_deref()
    }

    /// Publishes `event` with its tags.
    pub fn publish(&self, event: Event) {
        let mut steps = self
            .steps
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Event::PlanReady { plan } = &event {
            for step in &plan.steps {
                steps.insert(step.call.id.clone(), step.index);
            }
        }
        let call_id = match &event {
            Event::ToolStarted { call } => Some(&call.id),
            Event::ToolProgress { call_id, .. } => Some(call_id),
            Event::ToolFinished { result } => Some(&result.call_id),
            Event::ApprovalRequested { request } => Some(&request.call.id),
            _ => None,
        };
        let step = call_id.and_then(|id| steps.get(id).copied());
        drop(steps);
        let scope = EventScope {
            step,
            ..self.scope.clone()
        };
        self.bus.publish_in(&scope, event);
    }
}

impl Dark8 {
    /// Starts `request` as a run of its own and returns its state (status `running`); its
    /// events are on the bus, tagged with its run id.
    pub async fn start_run(&self, request: RunRequest) -> Result<RunState, CoreError> {
        let command = request.command.trim().to_owned();
        if command.is_empty() {
            return Err(CoreError::BadRequest {
                pl: "Puste polecenie.".into(),
                en: "Empty command.".into(),
            });
        }
        if command.chars().count() > MAX_COMMAND_CHARS {
            return Err(CoreError::BadRequest {
                pl: format!("Polecenie jest dłuższe niż {MAX_COMMAND_CHARS} znaków."),
                en: format!("The command is longer than {MAX_COMMAND_CHARS} characters."),
            });
        }
        let workspace = request
            .workspace
            .canonicalize()
            .map_err(|source| CoreError::Io {
                path: request.workspace.clone(),
                source,
            })?;
        if !workspace.is_dir() {
            return Err(CoreError::BadRequest {
                pl: format!("{} nie jest katalogiem.", workspace.display()),
                en: format!("{} is not a directory.", workspace.display()),
            });
        }
        let id = new_id("run");
        let session = request.session.clone().unwrap_or_else(|| new_id("s"));
        let stored = self
            .store()
            .runs()
            .start(&NewRun {
                id: id.clone(),
                session: session.clone(),
                command: command.clone(),
                workspace: workspace.display().to_string(),
                source: source_name(request.source).to_owned(),
            })
            .await?;
        let scope = EventScope {
            session: Some(session.clone()),
            run: Some(id.clone()),
            step: None,
        };
        let cancel = CancellationToken::new();
        let approver = self.approvals().approver(
            scope.clone(),
            request.local_approver.clone(),
            cancel.clone(),
        );
        let tagger = Arc::new(RunTagger::new(self.events().clone(), scope));
        let (finish, finished) = watch::channel(None);
        self.run_table().lock().insert(
            id.clone(),
            ActiveRun {
                cancel: cancel.clone(),
                finished,
            },
        );
        let dark8 = self.clone();
        let started = state_of(&stored);
        tokio::spawn(async move {
            let outcome = match dark8
                .agent_for_run(
                    workspace,
                    approver,
                    request.source,
                    &session,
                    tagger.clone(),
                )
                .await
            {
                Ok(agent) => Ok(match request.call {
                    Some(call) => {
                        agent
                            .handle_call(&command, &call.tool, call.arguments, cancel.clone())
                            .await
                    }
                    None => agent.handle(&command, cancel.clone()).await,
                }),
                Err(err) => Err(err),
            };
            let (status, response, outcome_json) = match &outcome {
                Ok(outcome) => (
                    if cancel.is_cancelled() && outcome.status != OutcomeStatus::Done {
                        RunStatus::Cancelled
                    } else {
                        run_status(outcome.status)
                    },
                    outcome.response.clone(),
                    serde_json::to_value(outcome).unwrap_or_default(),
                ),
                Err(err) => {
                    let message = err.user_message(dark8.config().language);
                    tagger.publish(Event::Error {
                        message: message.message.clone(),
                        hint: Some(message.hint.clone()),
                    });
                    (
                        RunStatus::Failed,
                        message.message.clone(),
                        serde_json::json!({"error": message.message, "hint": message.hint}),
                    )
                }
            };
            if let Err(err) = dark8
                .store()
                .runs()
                .finish(&id, status.as_str(), &outcome_json.to_string())
                .await
            {
                tracing::warn!(run = %id, error = %err, "could not record the end of a run");
            }
            tagger.publish(Event::RunFinished { status, response });
            let state = dark8.run_state(&id).await.ok().flatten();
            let _ = finish.send(state);
            // Finished runs are read from the database from now on.
            dark8.run_table().lock().remove(&id);
            if let Ok(outcome) = &outcome {
                log_outcome(&id, outcome);
            }
        });
        Ok(started)
    }

    /// Run `id` as stored, if it exists.
    pub async fn run_state(&self, id: &str) -> Result<Option<RunState>, CoreError> {
        Ok(self.store().runs().get(id).await?.as_ref().map(state_of))
    }

    /// Every event of run `id` so far, oldest first (from the database, after what is
    /// queued for it is written).
    pub async fn run_events(&self, id: &str) -> Result<Vec<EventEnvelope>, CoreError> {
        self.events().flush().await;
        Ok(self
            .store()
            .events()
            .of_run(id)
            .await?
            .iter()
            .filter_map(|row| serde_json::from_str(&row.envelope).ok())
            .collect())
    }

    /// Run `id` with its steps (from its stored events), if it exists.
    pub async fn run_detail(&self, id: &str) -> Result<Option<RunDetail>, CoreError> {
        let Some(run) = self.run_state(id).await? else {
            return Ok(None);
        };
        let events = self.run_events(id).await?;
        Ok(Some(RunDetail {
            run,
            steps: steps_of(&events),
        }))
    }

    /// The newest `limit` runs, newest first.
    pub async fn runs_recent(&self, limit: u32) -> Result<Vec<RunState>, CoreError> {
        Ok(self
            .store()
            .runs()
            .recent(limit)
            .await?
            .iter()
            .map(state_of)
            .collect())
    }

    /// Asks run `id` to stop (what waits for approval is refused, a running tool is cut
    /// off); `false` when no such run is going on.
    pub fn cancel_run(&self, id: &str) -> bool {
        match self.run_table().lock().get(id) {
            Some(run) => {
                run.cancel.cancel();
                true
            }
            None => false,
        }
    }

    /// Waits for run `id` to end and returns its final state (at once for a run that ended
    /// already; `None` for an unknown id).
    pub async fn wait_run(&self, id: &str) -> Result<Option<RunState>, CoreError> {
        let finished = self
            .run_table()
            .lock()
            .get(id)
            .map(|run| run.finished.clone());
        if let Some(mut finished) = finished {
            let _ = finished.wait_for(Option::is_some).await;
        }
        self.run_state(id).await
    }
}

fn log_outcome(id: &str, outcome: &Outcome) {
    tracing::info!(run = %id, status = ?outcome.status, calls = outcome.calls.len(), "run ended");
}

fn run_status(status: OutcomeStatus) -> RunStatus {
    match status {
        OutcomeStatus::Done => RunStatus::Done,
        OutcomeStatus::Partial => RunStatus::Partial,
        OutcomeStatus::Failed => RunStatus::Failed,
        OutcomeStatus::Denied => RunStatus::Denied,
        OutcomeStatus::Asked => RunStatus::Asked,
    }
}

fn source_name(source: CommandSource) -> &'static str {
    match source {
        CommandSource::Cli => "cli",
        CommandSource::Desktop => "desktop",
        CommandSource::Api => "api",
    }
}

fn state_of(run: &StoredRun) -> RunState {
    RunState {
        id: run.id.clone(),
        session: run.session.clone(),
        command: run.command.clone(),
        workspace: run.workspace.clone(),
        source: run.source.clone(),
        status: RunStatus::from_name(&run.status),
        started_at: run.started_at.clone(),
        finished_at: run.finished_at.clone(),
        outcome: run
            .outcome
            .as_deref()
            .and_then(|text| serde_json::from_str(text).ok()),
    }
}

/// The tool calls `events` tell of, in order.
pub fn steps_of(events: &[EventEnvelope]) -> Vec<StepView> {
    let mut steps: Vec<StepView> = Vec::new();
    for envelope in events {
        match &envelope.event {
            Event::ToolStarted { call } => steps.push(StepView {
                call_id: call.id.clone(),
                tool: call.tool.clone(),
                step: envelope.step,
                status: None,
                summary: None,
                started_at: envelope.timestamp.clone(),
                finished_at: None,
                output_lines: 0,
            }),
            Event::ToolProgress { call_id, .. } => {
                if let Some(step) = steps.iter_mut().rev().find(|s| s.call_id == *call_id) {
                    step.output_lines += 1;
                }
            }
            Event::ToolFinished { result } => {
                match steps.iter_mut().rev().find(|s| s.call_id == result.call_id) {
                    Some(step) => {
                        step.status = Some(result.status);
                        step.summary = Some(result.summary.clone());
                        step.finished_at = Some(envelope.timestamp.clone());
                    }
                    // Refused before it started.
                    None => steps.push(StepView {
                        call_id: result.call_id.clone(),
                        tool: String::new(),
                        step: envelope.step,
                        status: Some(result.status),
                        summary: Some(result.summary.clone()),
                        started_at: envelope.timestamp.clone(),
                        finished_at: Some(envelope.timestamp.clone()),
                        output_lines: 0,
                    }),
                }
            }
            _ => {}
        }
    }
    steps
}
