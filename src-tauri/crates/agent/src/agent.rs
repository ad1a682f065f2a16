//! The agent: one command through UNDERSTAND -> PLAN -> REASON -> ACT -> REFLECT -> RESPOND.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};

use dark8_nlp::{Engine, Understanding};
use dark8_protocol::{
    Command, CommandSource, Event, Intent, Plan, ToolCall, ToolResult, ToolStatus,
    Understanding as ProtocolUnderstanding,
};
use dark8_store::NewConversation;
use dark8_tools::Executor;
use serde::Serialize;
use serde_json::{json, Value};
use tokio_util::sync::CancellationToken;

use crate::clauses;
use crate::help::capabilities;
use crate::language::Lang;
use crate::llm::{Brain, LoopSettings};
use crate::memory::Memory;
use crate::plan::{self, Planned, ProjectHint};
use crate::references;
use crate::respond;

/// Below this confidence DARK8 does not act on its guess without a language model.
pub const ACT_CONFIDENCE: f32 = dark8_nlp::ACT_CONFIDENCE;

/// With a language model, a guess below this confidence whose plan changes something goes to
/// the model instead ("Skopiuj plik a.txt do b.txt" read as FILE_WRITE at 0.62 must not
/// become a write).
pub const MODEL_CONFIDENCE: f32 = 0.8;

/// At or above this confidence a CHAT reading is conversation: the model may answer without
/// a tool. The engine trains on three times as much CHAT (the everyday negatives), so it is
/// surer of CHAT than before; "Napisz wiersz … i go zachowaj" (0.98) must still get a tool.
pub const CHAT_CONFIDENCE: f32 = 0.99;

/// True for what the NLP engine clearly calls conversation.
pub fn is_clear_chat(understood: &Understanding) -> bool {
    understood.intent == "CHAT" && understood.confidence >= CHAT_CONFIDENCE
}

/// Plan steps that only read.
const READ_ONLY_TOOLS: &[&str] = &[
    "fs_read",
    "fs_list",
    "fs_search",
    "fs_diff",
    "git_status",
    "system_status",
    "process_list",
    "memory_search",
    "code_analyze",
];

/// Where events go (the core's event bus, a test's list).
pub type Emit = Arc<dyn Fn(Event) + Send + Sync>;

/// How a command ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OutcomeStatus {
    /// Every step succeeded (or the answer needed none).
    Done,
    /// Some steps failed or were skipped.
    Partial,
    /// Nothing succeeded.
    Failed,
    /// A step was refused by the policy or the user.
    Denied,
    /// DARK8 asked a question; nothing ran.
    Asked,
}

/// What one command produced.
#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    /// The clauses as understood.
    pub understood: Vec<Understanding>,
    /// The plan, when tools ran.
    pub plan: Option<Plan>,
    /// The calls made (planned steps that ran, or the model's choices), in order.
    pub calls: Vec<ToolCall>,
    /// Results of the calls that ran, in order.
    pub results: Vec<ToolResult>,
    /// The answer.
    pub response: String,
    /// How it ended.
    pub status: OutcomeStatus,
    /// The conversation row, when it was recorded.
    pub conversation_id: Option<i64>,
    /// The intent DARK8 acted on when it differs from the understood one (an unsure
    /// question answered from memory is MEMORY_RECALL).
    pub handled_as: Option<Intent>,
}

/// The agent for one workspace and session.
pub struct Agent {
    engine: Arc<Engine>,
    executor: Arc<Executor>,
    memory: Memory,
    brain: Option<Arc<dyn Brain>>,
    loop_settings: LoopSettings,
    emit: Emit,
    lang: Lang,
    source: CommandSource,
    session_id: String,
    plan_prefix: Option<String>,
    focus: Mutex<Option<String>>,
    counter: std::sync::atomic::AtomicU32,
    machine: Arc<dyn crate::evidence::Machine>,
}

impl std::fmt::Debug for Agent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Agent")
            .field("session_id", &self.session_id)
            .finish_non_exhaustive()
    }
}

impl Agent {
    /// An agent acting through `executor`, remembering in `memory`, without a language model.
    pub fn new(engine: Arc<Engine>, executor: Executor, memory: Memory, emit: Emit) -> Agent {
        Agent {
            engine,
            executor: Arc::new(executor),
            memory,
            brain: None,
            machine: Arc::new(crate::evidence::ThisMachine),
            loop_settings: LoopSettings::default(),
            emit,
            lang: Lang::Pl,
            source: CommandSource::Cli,
            session_id: format!(
                "s{}-{}",
                std::process::id(),
                chrono::Utc::now().timestamp_millis()
            ),
            plan_prefix: None,
            focus: Mutex::new(None),
            counter: std::sync::atomic::AtomicU32::new(0),
        }
    }

    /// Reasons with `brain` where a plan needs judgement.
    pub fn with_brain(mut self, brain: Arc<dyn Brain>, settings: LoopSettings) -> Agent {
        self.brain = Some(brain);
        self.loop_settings = settings;
        self
    }

    /// Judges what a command's object is against `machine` (tests give a fixed one).
    pub fn with_machine(mut self, machine: Arc<dyn crate::evidence::Machine>) -> Agent {
        self.machine = machine;
        self
    }

    /// Answers in `lang`.
    pub fn with_language(mut self, lang: Lang) -> Agent {
        self.lang = lang;
        self
    }

    /// Continues session `id` (its commands carry it; a new agent starts a session of its own).
    pub fn with_session_id(mut self, id: &str) -> Agent {
        id.clone_into(&mut self.session_id);
        self
    }

    /// Names plans (and so their tool calls) after `prefix` instead of the session: a run id,
    /// so that calls of different runs in one session never share an id.
    pub fn with_plan_prefix(mut self, prefix: &str) -> Agent {
        self.plan_prefix = Some(prefix.to_owned());
        self
    }

    /// Publishes that the command `text` arrived.
    fn announce(&self, text: &str) {
        (self.emit)(Event::CommandReceived {
            command: Command {
                text: text.to_owned(),
                source: self.source,
                session_id: Some(self.session_id.clone()),
            },
        });
    }

    /// The id of the next plan: the prefix (or the session) and the command's number.
    fn next_plan_id(&self) -> String {
        let n = self
            .counter
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let prefix = self.plan_prefix.as_deref().unwrap_or(&self.session_id);
        format!("{prefix}-{}", n + 1)
    }

    /// Marks commands as coming from `source`.
    pub fn with_source(mut self, source: CommandSource) -> Agent {
        self.source = source;
        self
    }

    /// True when the planner carries out `understood` itself; false when the engine is too
    /// unsure: below [`ACT_CONFIDENCE`], or, when a language model is there to judge, below
    /// [`MODEL_CONFIDENCE`] for an intent whose plan changes something.
    pub fn acts_on(&self, understood: &Understanding) -> bool {
        if understood.confidence < ACT_CONFIDENCE {
            return false;
        }
        if self.brain.is_none() || understood.confidence >= MODEL_CONFIDENCE {
            return true;
        }
        let intent = understood.intent.parse::<Intent>().unwrap_or(Intent::Chat);
        plan::plan_for(intent).is_some_and(|p| match p.recipe {
            plan::Recipe::Steps(steps) => steps.iter().all(|s| READ_ONLY_TOOLS.contains(&s.tool)),
            _ => true,
        })
    }

    /// The language model in use, if any.
    pub fn brain(&self) -> Option<&Arc<dyn Brain>> {
        self.brain.as_ref()
    }

    /// The executor every call goes through.
    pub fn executor(&self) -> &Executor {
        &self.executor
    }

    fn workspace(&self) -> &Path {
        self.executor.workspace()
    }

    /// Carries out one command and answers it.
    pub async fn handle(&self, text: &str, cancel: CancellationToken) -> Outcome {
        let plan_id = self.next_plan_id();
        self.announce(text);
        let clauses = clauses::split(&self.engine, text);
        for (_, understood) in &clauses {
            (self.emit)(Event::Understood {
                understanding: to_protocol(understood),
            });
        }
        let understood: Vec<Understanding> = clauses.iter().map(|(_, u)| u.clone()).collect();
        let unsure = clauses.len() == 1 && clauses.first().is_some_and(|(_, u)| !self.acts_on(u));
        let asks_memory = clauses.len() == 1
            && looks_like_question(text)
            && clauses
                .first()
                .is_some_and(|(_, u)| unsure || matches!(u.intent.as_str(), "CHAT" | "HELP"));
        if asks_memory {
            if let Some(mut outcome) = self.recall_fact(text).await {
                outcome.understood = understood;
                (self.emit)(Event::Response {
                    text: outcome.response.clone(),
                });
                outcome.conversation_id = self.reflect(text, &outcome).await;
                return outcome;
            }
        }
        let hint = self.project_hint();
        let planned = if unsure {
            Planned::Conversation
        } else {
            plan::build(&clauses, &hint, self.lang, &plan_id)
        };
        // A plan that would act goes ahead only when its objects are really here.
        let planned = match planned {
            Planned::Steps { .. } => match self.missing_evidence(&clauses, &understood, &hint) {
                Some(question) => Planned::Ask {
                    intent: Intent::Chat,
                    question,
                },
                None => planned,
            },
            other => other,
        };
        let mut outcome = match planned {
            Planned::Steps { plan, notes } => self.run_plan(plan, notes, &cancel).await,
            Planned::Ask { question, .. } => answer(question, OutcomeStatus::Asked),
            Planned::Reply { text, .. } => answer(text, OutcomeStatus::Done),
            Planned::Help => answer(capabilities(self.lang), OutcomeStatus::Done),
            Planned::Conversation => self.converse(text, unsure, &understood, &cancel).await,
        };
        outcome.understood = understood;
        (self.emit)(Event::Response {
            text: outcome.response.clone(),
        });
        outcome.conversation_id = self.reflect(text, &outcome).await;
        outcome
    }

    /// Carries out one tool call a front end asked for by name (a screen's button: kill this
    /// process, test this project), as a run of one step described by `text`: the same
    /// executor, policy, approvals and audit as any command, no understanding needed.
    pub async fn handle_call(
        &self,
        text: &str,
        tool: &str,
        arguments: Value,
        cancel: CancellationToken,
    ) -> Outcome {
        let plan_id = self.next_plan_id();
        self.announce(text);
        let intent = plan::intent_of_tool(tool);
        let plan = Plan {
            id: plan_id.clone(),
            intent,
            steps: vec![dark8_protocol::Step {
                index: 1,
                description: text.to_owned(),
                call: ToolCall {
                    id: format!("{plan_id}-1"),
                    tool: tool.to_owned(),
                    arguments,
                },
                depends_on: Vec::new(),
            }],
        };
        let mut outcome = self.run_plan(plan, Vec::new(), &cancel).await;
        outcome.handled_as = Some(intent);
        (self.emit)(Event::Response {
            text: outcome.response.clone(),
        });
        outcome.conversation_id = self.reflect(text, &outcome).await;
        outcome
    }

    /// Runs the steps in order; a step whose dependency did not succeed is skipped.
    async fn run_plan(
        &self,
        plan: Plan,
        notes: Vec<String>,
        cancel: &CancellationToken,
    ) -> Outcome {
        (self.emit)(Event::PlanReady { plan: plan.clone() });
        let mut outputs: HashMap<u32, Value> = HashMap::new();
        let mut succeeded: Vec<u32> = Vec::new();
        let mut results = Vec::new();
        let mut skipped = Vec::new();
        let mut calls = Vec::new();
        for step in &plan.steps {
            if cancel.is_cancelled() || !step.depends_on.iter().all(|d| succeeded.contains(d)) {
                skipped.push(step.index);
                continue;
            }
            let mut arguments = step.call.arguments.clone();
            if let Err(reference) = references::fill(&mut arguments, &outputs) {
                tracing::warn!(%reference, "unfilled reference in step {}", step.index);
                skipped.push(step.index);
                continue;
            }
            let call = ToolCall {
                id: step.call.id.clone(),
                tool: step.call.tool.clone(),
                arguments,
            };
            calls.push(call.clone());
            let result = self.executor.call(call, cancel.clone()).await;
            if result.status == ToolStatus::Success {
                succeeded.push(step.index);
                if let Some(path) = result.output.get("path").and_then(Value::as_str) {
                    if makes_project(&step.call.tool) {
                        self.set_focus(path);
                    }
                }
                outputs.insert(step.index, result.output.clone());
            }
            results.push(result);
        }
        let response = respond::summarize(&plan, &results, &skipped, &notes, self.lang);
        let status = respond::status(&results, &skipped);
        Outcome {
            understood: Vec::new(),
            plan: Some(plan),
            calls,
            results,
            response,
            status,
            conversation_id: None,
            handled_as: None,
        }
    }

    /// CHAT and commands the engine is unsure of: the language model when there is one;
    /// without it, memory for questions, else an honest answer.
    async fn converse(
        &self,
        text: &str,
        unsure: bool,
        understood: &[Understanding],
        cancel: &CancellationToken,
    ) -> Outcome {
        if let Some(brain) = &self.brain {
            let settings = LoopSettings {
                answer_first: !understood.is_empty() && understood.iter().all(is_clear_chat),
                ..self.loop_settings.clone()
            };
            let run = crate::llm::run_loop(
                brain.as_ref(),
                &self.executor,
                text,
                &settings,
                self.lang,
                &self.emit,
                cancel,
            )
            .await;
            return Outcome {
                understood: Vec::new(),
                plan: None,
                status: run.status,
                response: run.answer,
                results: run.results,
                calls: run.calls,
                conversation_id: None,
                handled_as: None,
            };
        }
        let guess = understood
            .first()
            .filter(|u| unsure && u.intent != "CHAT")
            .and_then(|u| u.intent.parse::<Intent>().ok())
            .and_then(plan::plan_for);
        let text = match guess {
            Some(plan) => format!(
                "{} „{}”.",
                self.lang.pick(
                    "Nie jestem pewien, o co chodzi, więc niczego nie zrobiłem. Jeśli o to, powiedz np.:",
                    "I am not sure what you mean, so I did nothing. If you meant this, say e.g.:"
                ),
                plan.example_pl
            ),
            None => self
                .lang
                .pick(
                    "Na rozmowę potrzebuję modelu językowego, a żaden nie jest skonfigurowany. Dodaj go: `dark8 model pull qwen2.5-coder-0.5b` (model wbudowany), albo uruchom Ollamę i ustaw [llm] provider = \"ollama\" w config.toml (`dark8 config path`). Polecenia, które znam (`W czym możesz mi pomóc?`), działają bez modelu.",
                    "Conversation needs a language model and none is configured. Add one: `dark8 model pull qwen2.5-coder-0.5b` (embedded), or run Ollama and set [llm] provider = \"ollama\" in config.toml (`dark8 config path`). The commands I know (`W czym możesz mi pomóc?`) work without one.",
                )
                .to_owned(),
        };
        answer(text, OutcomeStatus::Done)
    }

    /// A question the engine did not read as a recall, answered from a remembered fact that
    /// shares at least two of its content words (or its only one).
    async fn recall_fact(&self, text: &str) -> Option<Outcome> {
        let fact = self.memory.best_fact(text).await.ok().flatten()?;
        let prefix = self.lang.pick("Pamiętam:", "I remember:");
        let mut outcome = answer(format!("{prefix} {}", fact.content), OutcomeStatus::Done);
        outcome.handled_as = Some(Intent::MemoryRecall);
        Some(outcome)
    }

    /// REFLECT: the command, its intent, plan and results go to the conversations table and
    /// the memory index. Returns the row id.
    async fn reflect(&self, text: &str, outcome: &Outcome) -> Option<i64> {
        let intent = match outcome.handled_as {
            Some(intent) => Some(intent.as_str().to_owned()),
            None => outcome.understood.first().map(|u| u.intent.clone()),
        };
        let steps: Vec<Value> = outcome
            .results
            .iter()
            .map(|r| json!({"call_id": r.call_id, "status": r.status, "summary": r.summary}))
            .collect();
        let context = json!({
            "session_id": self.session_id,
            "workspace": self.workspace().display().to_string(),
            "clauses": outcome.understood,
            "plan": outcome.plan,
            "steps": steps,
            "status": outcome.status,
        });
        match self
            .memory
            .record_turn(&NewConversation {
                user_input: text.to_owned(),
                ai_response: outcome.response.clone(),
                intent,
                context,
            })
            .await
        {
            Ok(turn) => Some(turn.id),
            Err(err) => {
                tracing::error!("cannot record the conversation: {err}");
                None
            }
        }
    }

    fn set_focus(&self, path: &str) {
        let relative = Path::new(path)
            .strip_prefix(self.workspace())
            .map(|p| p.display().to_string())
            .unwrap_or_else(|_| path.to_owned());
        if let Ok(mut focus) = self.focus.lock() {
            *focus = Some(if relative.is_empty() {
                ".".to_owned()
            } else {
                relative
            });
        }
    }

    /// The question to ask instead of acting, when a clause's object is not a concrete
    /// thing on this machine (see [`crate::evidence`]).
    fn missing_evidence(
        &self,
        clauses: &[(String, Understanding)],
        understood: &[Understanding],
        hint: &ProjectHint,
    ) -> Option<String> {
        let project = hint.focus.as_deref().map(Path::new);
        understood.iter().enumerate().find_map(|(at, u)| {
            let earlier = &understood[..at];
            crate::evidence::missing_evidence(
                u,
                earlier,
                self.workspace(),
                project,
                self.machine.as_ref(),
                self.lang,
            )
            .or_else(|| self.missing_project(&clauses[at].0, u, earlier, hint))
        })
    }

    /// A build, test, deploy or analysis needs a project to work on: one an earlier clause
    /// makes, a path that exists, a workspace directory the text names, the workspace itself
    /// or the session's last project. An analysis may also read a workspace that holds code
    /// without being a project.
    fn missing_project(
        &self,
        text: &str,
        understood: &Understanding,
        earlier: &[Understanding],
        hint: &ProjectHint,
    ) -> Option<String> {
        let intent = understood.intent.parse::<Intent>().ok()?;
        if !plan::works_on_project(intent)
            || plan::makes_project(intent)
            || earlier
                .iter()
                .any(|u| u.intent.parse::<Intent>().is_ok_and(plan::makes_project))
        {
            return None;
        }
        let path = plan::project_path(&understood.entities, text, hint);
        let workspace = self.workspace();
        let found = if path == "." {
            hint.workspace_is_project
                || workspace.join(".git").exists()
                || (intent == Intent::AnalyzeCode
                    && std::fs::read_dir(workspace).is_ok_and(|mut d| d.next().is_some()))
        } else {
            workspace.join(&path).exists()
        };
        (!found).then(|| match self.lang {
            Lang::Pl => format!(
                "Nie widzę projektu „{path}” w obszarze roboczym ({}). W którym projekcie? Np. „Uruchom testy w projekcie sklep” albo najpierw „Utwórz projekt sklep w FastAPI”.",
                workspace.display()
            ),
            Lang::En => format!(
                "I see no project \"{path}\" in the workspace ({}). Which project? E.g. \"Uruchom testy w projekcie sklep\", or first \"Utwórz projekt sklep w FastAPI\".",
                workspace.display()
            ),
        })
    }

    fn project_hint(&self) -> ProjectHint {
        let workspace = self.workspace();
        let dirs = std::fs::read_dir(workspace)
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .filter(|e| e.path().is_dir())
                    .filter_map(|e| e.file_name().to_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default();
        ProjectHint {
            focus: self.focus.lock().ok().and_then(|f| f.clone()),
            workspace_is_project: is_project(workspace),
            dirs,
        }
    }
}

fn makes_project(tool: &str) -> bool {
    plan::PLANS.iter().any(|p| match p.recipe {
        plan::Recipe::Steps(specs) => specs.iter().any(|s| s.tool == tool && s.makes_project),
        _ => false,
    })
}

/// True when `dir` holds a project manifest.
pub fn is_project(dir: &Path) -> bool {
    [
        "pyproject.toml",
        "requirements.txt",
        "package.json",
        "Cargo.toml",
        "CMakeLists.txt",
        "manage.py",
    ]
    .iter()
    .any(|file| dir.join(file).is_file())
}

fn looks_like_question(text: &str) -> bool {
    let folded = dark8_nlp::normalize::fold(text.trim());
    folded.ends_with('?')
        || [
            "jak", "jaki", "jaka", "jakie", "jakim", "gdzie", "kiedy", "ile", "co ", "czy ",
        ]
        .iter()
        .any(|w| folded.starts_with(w))
}

fn answer(text: impl Into<String>, status: OutcomeStatus) -> Outcome {
    Outcome {
        understood: Vec::new(),
        plan: None,
        calls: Vec::new(),
        results: Vec::new(),
        response: text.into(),
        status,
        conversation_id: None,
        handled_as: None,
    }
}

fn to_protocol(understood: &Understanding) -> ProtocolUnderstanding {
    ProtocolUnderstanding {
        text: understood.text.clone(),
        intent: understood.intent.parse().unwrap_or(Intent::Chat),
        confidence: understood.confidence,
        entities: understood.entities.clone(),
    }
}
