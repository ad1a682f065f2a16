//! The executor: the one door every action passes.
//!
//! validate the arguments against the tool's schema -> ask the policy -> ask the user where the
//! policy says so -> run with a time limit and cancellation -> write the audit log (secrets
//! redacted) -> return a typed result. Every step publishes protocol events.

use std::future::Future;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use dark8_protocol::{
    ApprovalDecision, ApprovalRequest, Event, RiskClass, ToolCall, ToolResult, ToolStatus,
};
use dark8_store::{NewAuditEntry, Store};
use serde_json::{json, Value};
use tokio_util::sync::CancellationToken;

use crate::policy::{risk_pl, Action, Policy};
use crate::redact::Redactor;
use crate::registry::Registry;
use crate::tool::{CallScope, PreparedCall, ToolContext, ToolError};
use crate::workspace_path::resolve_inside;

/// Default time limit of one call.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(300);

/// Added to a tool's own time limit before the executor cuts it off.
const TIME_LIMIT_GRACE: Duration = Duration::from_secs(5);

/// The future an approver returns.
pub type ApprovalFuture<'a> = Pin<Box<dyn Future<Output = ApprovalDecision> + Send + 'a>>;

/// Answers approval requests: the CLI's prompt, the UI, the API.
pub trait Approver: Send + Sync {
    /// Decides `request`; `auto_approvable` says whether the policy lets a blanket "yes"
    /// (`--yes`) approve it.
    fn decide<'a>(
        &'a self,
        request: &'a ApprovalRequest,
        auto_approvable: bool,
    ) -> ApprovalFuture<'a>;
}

/// Approves what the policy lets `--yes` approve, refuses the rest.
#[derive(Debug, Clone, Copy, Default)]
pub struct AutoApprove;

impl Approver for AutoApprove {
    fn decide<'a>(
        &'a self,
        request: &'a ApprovalRequest,
        auto_approvable: bool,
    ) -> ApprovalFuture<'a> {
        fixed_answer(request, auto_approvable)
    }
}

/// Refuses every request (no one is there to ask).
#[derive(Debug, Clone, Copy, Default)]
pub struct DenyAll;

impl Approver for DenyAll {
    fn decide<'a>(
        &'a self,
        request: &'a ApprovalRequest,
        _auto_approvable: bool,
    ) -> ApprovalFuture<'a> {
        fixed_answer(request, false)
    }
}

/// An answer known without asking anyone.
fn fixed_answer(request: &ApprovalRequest, approved: bool) -> ApprovalFuture<'_> {
    Box::pin(std::future::ready(ApprovalDecision::once(
        request, approved,
    )))
}

/// Receives the executor's events (the core forwards them to its event bus).
pub type EventSink = Arc<dyn Fn(Event) + Send + Sync>;

/// What the policy says about one call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// The strictest answer of the role's risk rule and the command rules.
    pub action: Action,
    /// Why, in Polish.
    pub reason: String,
    /// Whether a blanket "yes" may approve it: prompts that come from the role's rule for the
    /// risk class or from an unknown command may; prompts from an explicit command rule
    /// (`sudo`, `rm`, ...) and anything touching secrets may not.
    pub auto_approvable: bool,
}

impl Decision {
    /// Takes `action` and its reason when it is stricter than the current answer.
    fn raise(&mut self, action: Action, reason: String) {
        if action > self.action {
            self.action = action;
            self.reason = reason;
        }
    }
}

/// What the caller knows about where a call comes from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CallContext {
    /// Content from the web (a page, search results, an HTTP body) has entered the context
    /// of the model that chose this call: a side effect then needs the user's explicit yes,
    /// which `--yes` does not give (the prompt-injection guard).
    pub web_content_seen: bool,
}

/// Why a side effect waits for the user after web content reached the model.
const INJECTION_GUARD_REASON: &str = "model czytał już treść z internetu, a strona mogła wydać mu polecenia: działanie z efektami ubocznymi wymaga Twojej wyraźnej zgody (ochrona przed wstrzyknięciem poleceń; --yes jej nie daje)";

/// Approval ids are unique in the process: several runs' requests wait side by side.
static NEXT_APPROVAL: AtomicU64 = AtomicU64::new(1);

/// The executor.
pub struct Executor {
    registry: Registry,
    policy: Policy,
    store: Store,
    workspace: PathBuf,
    approver: Arc<dyn Approver>,
    events: EventSink,
    redactor: Redactor,
    timeout: Duration,
    hidden: Vec<PathBuf>,
    confined: bool,
}

impl std::fmt::Debug for Executor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Executor")
            .field("registry", &self.registry)
            .field("workspace", &self.workspace)
            .field("timeout", &self.timeout)
            .finish()
    }
}

impl Executor {
    /// An executor over `registry` for `workspace`; it refuses every approval until given an
    /// approver, and publishes events nowhere until given a sink.
    pub fn new(registry: Registry, policy: Policy, store: Store, workspace: PathBuf) -> Executor {
        Executor {
            registry,
            policy,
            store,
            workspace,
            approver: Arc::new(DenyAll),
            events: Arc::new(|_| {}),
            redactor: Redactor::default(),
            timeout: DEFAULT_TIMEOUT,
            hidden: crate::sandbox::hidden::secret_stores(),
            confined: crate::sandbox::support().file_system_confined(),
        }
    }

    /// Sets the paths no call may touch (the built-in secret stores by default; the core adds
    /// DARK8's own data directory).
    pub fn with_hidden(mut self, hidden: Vec<PathBuf>) -> Executor {
        self.hidden = hidden;
        self
    }

    /// Says whether programs run confined to the workspace (Landlock); probed at creation.
    /// Without it every program run needs the user's explicit approval.
    pub fn with_file_system_confinement(mut self, confined: bool) -> Executor {
        self.confined = confined;
        self
    }

    /// The paths no call may touch.
    pub fn hidden(&self) -> &[PathBuf] {
        &self.hidden
    }

    /// The workspace of the calls.
    pub fn workspace(&self) -> &std::path::Path {
        &self.workspace
    }

    /// Sets who answers approval requests.
    pub fn with_approver(mut self, approver: Arc<dyn Approver>) -> Executor {
        self.approver = approver;
        self
    }

    /// Sets where events go.
    pub fn with_events(mut self, events: EventSink) -> Executor {
        self.events = events;
        self
    }

    /// Sets the redaction layer (with the vault's secret values).
    pub fn with_redactor(mut self, redactor: Redactor) -> Executor {
        self.redactor = redactor;
        self
    }

    /// Sets the time limit of one call.
    pub fn with_timeout(mut self, timeout: Duration) -> Executor {
        self.timeout = timeout;
        self
    }

    /// The registry.
    pub fn registry(&self) -> &Registry {
        &self.registry
    }

    /// What the policy says about a call of `tool` reaching `scope`: the role's (or the tool
    /// rule's) answer for each risk class of the call, the paths it touches, the URLs and hosts
    /// it reaches and the shell line it runs; the strictest answer wins.
    pub fn decide(&self, tool: &str, scope: &CallScope) -> Decision {
        let mut decision = Decision {
            action: Action::Allow,
            reason: "dozwolone dla tej roli".to_owned(),
            auto_approvable: true,
        };
        for &risk in &scope.risks {
            let (action, by_tool_rule) = self.policy.tool_action(tool, risk);
            let reason = match (action, by_tool_rule) {
                (_, true) => format!("reguła dla narzędzia „{tool}”"),
                (Action::Allow, false) => "dozwolone dla tej roli".to_owned(),
                (Action::Prompt, false) => {
                    format!("rola wymaga potwierdzenia dla ryzyka „{}”", risk_pl(risk))
                }
                (Action::Forbid, false) => format!(
                    "rola „{}” nie może wykonywać działań o ryzyku „{}”",
                    role_name(self.policy.role()),
                    risk_pl(risk)
                ),
            };
            decision.raise(action, reason);
            if risk == RiskClass::Secret {
                decision.auto_approvable = false;
            }
        }
        if decision.action == Action::Forbid {
            return decision;
        }
        let roots = self.roots();
        let writes = scope.risks.contains(&RiskClass::Write);
        for path in &scope.paths {
            match resolve_inside(&roots, &self.hidden, path) {
                Err(err) => {
                    decision.raise(Action::Forbid, err.to_string());
                    return decision;
                }
                Ok(resolved) if writes && !tool.starts_with("git_") => {
                    // Judged below the root, so a root's own path never counts.
                    let inside = roots
                        .iter()
                        .filter_map(|root| {
                            let root = root.canonicalize().unwrap_or_else(|_| root.clone());
                            resolved.strip_prefix(root).ok().map(Path::to_path_buf)
                        })
                        .min_by_key(|rest| rest.components().count())
                        .unwrap_or_else(|| resolved.clone());
                    if let Some(control) = crate::repo_guard::repository_control(&inside) {
                        decision.raise(Action::Prompt, String::new());
                        decision.reason = crate::repo_guard::reason(control);
                        decision.auto_approvable = false;
                    }
                }
                Ok(_) => {}
            }
        }
        let hosts = scope.domains.iter().map(|host| format!("https://{host}/"));
        for url in scope.urls.iter().cloned().chain(hosts) {
            if let Some((action, reason)) = self.policy.check_url(&url) {
                decision.raise(action, reason);
                if action == Action::Prompt {
                    decision.auto_approvable = false;
                }
            }
        }
        if decision.action == Action::Forbid {
            return decision;
        }
        if let Some(line) = &scope.command_line {
            let verdict = self.policy.check_command(line);
            let from_rule = verdict
                .parts
                .iter()
                .any(|p| p.action == Action::Prompt && p.rule.is_some())
                || verdict.parts.is_empty();
            decision.raise(verdict.action, verdict.reason.clone());
            if verdict.action == Action::Prompt && from_rule {
                // The rule's own reason says more than the role's ("sudo: uprawnienia ...").
                decision.auto_approvable = false;
                decision.reason = verdict.reason.clone();
            }
        }
        if !self.confined
            && decision.action != Action::Forbid
            && scope.risks.contains(&RiskClass::Execute)
        {
            // Without file-system confinement every program run needs the user's own "yes".
            decision.action = Action::Prompt;
            decision.auto_approvable = false;
            decision.reason = format!(
                "{} (brak piaskownicy Landlock: każde uruchomienie programu wymaga Twojej zgody)",
                decision.reason
            );
        }
        decision
    }

    /// The workspace and the policy's other roots.
    fn roots(&self) -> Vec<PathBuf> {
        let mut roots = vec![self.workspace.clone()];
        roots.extend(self.policy.workspace_roots().iter().cloned());
        roots
    }

    /// Runs one call through the whole door and returns its result.
    pub async fn call(&self, call: ToolCall, cancel: CancellationToken) -> ToolResult {
        self.call_in(call, cancel, CallContext::default()).await
    }

    /// [`Executor::call`] for a call chosen in `context` (a model that has read web content).
    pub async fn call_in(
        &self,
        call: ToolCall,
        cancel: CancellationToken,
        context: CallContext,
    ) -> ToolResult {
        let Some(tool) = self.registry.get(&call.tool) else {
            let message = format!(
                "Nieznane narzędzie „{}”. Lista: `dark8 tools list`.",
                call.tool
            );
            return self
                .finish(&call, ToolStatus::Error, message, Value::Null)
                .await;
        };
        if let Err(problems) = self.registry.check_arguments(&call.tool, &call.arguments) {
            let message = format!(
                "Złe argumenty dla {}: {problems}. Opis: `dark8 tools describe {}`.",
                call.tool, call.tool
            );
            return self
                .finish(&call, ToolStatus::Error, message, Value::Null)
                .await;
        }
        let prepared = match tool.prepare(call.arguments.clone()) {
            Ok(prepared) => prepared,
            Err(err) => {
                let message = format!(
                    "{} Podpowiedź: {}",
                    err.message,
                    err.hint.unwrap_or_default()
                );
                return self
                    .finish(&call, ToolStatus::Error, message, Value::Null)
                    .await;
            }
        };
        let mut decision = self.decide(tool.name(), &prepared.scope);
        let side_effect = tool.sends_forms()
            || prepared.scope.risks.iter().any(|risk| {
                matches!(
                    risk,
                    RiskClass::Write | RiskClass::Execute | RiskClass::Secret
                )
            });
        if context.web_content_seen && side_effect && decision.action != Action::Forbid {
            decision.action = Action::Prompt;
            decision.auto_approvable = false;
            decision.reason = INJECTION_GUARD_REASON.to_owned();
        }
        match decision.action {
            Action::Forbid => {
                let message = format!("Odmowa: {}.", decision.reason);
                return self
                    .finish(&call, ToolStatus::Denied, message, Value::Null)
                    .await;
            }
            Action::Prompt => {
                let preview = tool
                    .preview(
                        &call.arguments,
                        &self.context(&call.id, Arc::new(|_, _| {}), cancel.child_token()),
                    )
                    .map(|text| self.redactor.text(&text));
                if let Err(message) = self
                    .ask(&call, tool.risk(), &decision, &prepared.scope, preview)
                    .await
                {
                    return self
                        .finish(&call, ToolStatus::Denied, message, Value::Null)
                        .await;
                }
            }
            Action::Allow => {}
        }
        (self.events)(Event::ToolStarted {
            call: self.redacted_call(&call),
        });
        let outcome = self.run(prepared, &call, cancel).await;
        match outcome {
            Ok(output) => {
                self.finish(&call, ToolStatus::Success, output.summary, output.data)
                    .await
            }
            Err(err) => {
                let message = match err.hint {
                    Some(hint) => format!("{} Podpowiedź: {hint}", err.message),
                    None => err.message,
                };
                self.finish(&call, ToolStatus::Error, message, err.data)
                    .await
            }
        }
    }

    /// Asks the approver; `Err` carries the user-facing reason of a refusal.
    async fn ask(
        &self,
        call: &ToolCall,
        risk: RiskClass,
        decision: &Decision,
        scope: &CallScope,
        preview: Option<String>,
    ) -> Result<(), String> {
        let request = ApprovalRequest {
            id: format!("approval-{}", NEXT_APPROVAL.fetch_add(1, Ordering::Relaxed)),
            call: self.redacted_call(call),
            risk,
            reason: decision.reason.clone(),
            auto_approvable: decision.auto_approvable,
            command_line: scope
                .command_line
                .as_deref()
                .map(|line| self.redactor.text(line)),
            paths: scope.paths.clone(),
            urls: scope
                .urls
                .iter()
                .chain(&scope.domains)
                .map(|url| self.redactor.text(url))
                .collect(),
            grant_target: decision
                .auto_approvable
                .then(|| crate::grant::target(scope)),
            preview,
        };
        (self.events)(Event::ApprovalRequested {
            request: request.clone(),
        });
        let answer = self
            .approver
            .decide(&request, decision.auto_approvable)
            .await;
        (self.events)(Event::ApprovalDecided {
            decision: answer.clone(),
        });
        self.audit_decision(call, &request, &answer).await;
        if answer.approved {
            Ok(())
        } else if let Some(reason) = answer.reason.as_deref().filter(|r| !r.trim().is_empty()) {
            Err(format!("Odmowa użytkownika: {}.", reason.trim()))
        } else if decision.auto_approvable {
            Err(format!("Odmowa: nie zatwierdzono ({}).", decision.reason))
        } else {
            Err(format!(
                "Odmowa: {} — to wymaga Twojej wyraźnej zgody (pytanie w terminalu albo w oknie DARK8); --yes jej nie zastępuje.",
                decision.reason
            ))
        }
    }

    /// Records an approval decision in the audit log: which call, approved or not, how far
    /// the approval reaches and why.
    async fn audit_decision(
        &self,
        call: &ToolCall,
        request: &ApprovalRequest,
        answer: &ApprovalDecision,
    ) {
        let scope = serde_json::to_value(answer.grant).unwrap_or_default();
        let entry = NewAuditEntry::new(
            "approval",
            json!({
                "call_id": call.id,
                "tool": call.tool,
                "request_id": request.id,
                "approved": answer.approved,
                "grant": if answer.approved { scope } else { Value::Null },
                "reason": answer.reason.as_deref().map(|r| self.redactor.text(r)),
                "workspace": self.workspace.display().to_string(),
            }),
            if answer.approved {
                format!("zgoda na {}", call.tool)
            } else {
                format!("odmowa dla {}", call.tool)
            },
            if answer.approved {
                ToolStatus::Success
            } else {
                ToolStatus::Denied
            },
        );
        if let Err(err) = self.store.audit().append(&entry).await {
            tracing::error!(tool = %call.tool, "audit log write failed: {err}");
        }
    }

    /// The context a call of this executor runs in.
    fn context(
        &self,
        call_id: &str,
        progress: crate::tool::ProgressFn,
        cancel: CancellationToken,
    ) -> ToolContext {
        ToolContext {
            call_id: call_id.to_owned(),
            workspace: self.workspace.clone(),
            progress,
            cancel,
            secret_values: self.redactor.secrets().into(),
            roots: self.roots().into(),
            hidden: self.hidden.clone().into(),
        }
    }

    async fn run(
        &self,
        prepared: PreparedCall<'_>,
        call: &ToolCall,
        cancel: CancellationToken,
    ) -> Result<crate::tool::ToolOutput, ToolError> {
        let token = cancel.child_token();
        let events = self.events.clone();
        let call_id = call.id.clone();
        let redactor = self.redactor.clone();
        let ctx = self.context(
            &call.id,
            Arc::new(move |message: String, fraction: Option<f32>| {
                events(Event::ToolProgress {
                    call_id: call_id.clone(),
                    message: redactor.text(&message),
                    fraction,
                });
            }),
            token.clone(),
        );
        if cancel.is_cancelled() {
            return Err(ToolError::new(
                "Przerwano na życzenie użytkownika.",
                "Uruchom ponownie, gdy zechcesz.",
            ));
        }
        // A tool that keeps its own time (a sandboxed program) gets a grace period on top to
        // report how it ended; the executor's limit is the net under everything else.
        let limit = prepared
            .scope
            .time_limit
            .map_or(self.timeout, |own| own + TIME_LIMIT_GRACE);
        let run = prepared.run(ctx);
        tokio::select! {
            biased;
            () = cancel.cancelled() => {
                token.cancel();
                Err(ToolError::new("Przerwano na życzenie użytkownika.", "Uruchom ponownie, gdy zechcesz."))
            }
            outcome = run => outcome,
            () = tokio::time::sleep(limit) => {
                token.cancel();
                Err(ToolError::new(
                    format!("Przekroczono limit czasu ({} s).", limit.as_secs()),
                    "Zwiększ limit albo podziel zadanie na mniejsze.",
                ))
            }
        }
    }

    /// Audits the call, publishes its end and returns the result; everything redacted.
    async fn finish(
        &self,
        call: &ToolCall,
        status: ToolStatus,
        summary: String,
        data: Value,
    ) -> ToolResult {
        let summary = self.redactor.text(&summary);
        let output = self.redactor.json(&data);
        let entry = NewAuditEntry::new(
            call.tool.clone(),
            json!({
                "call_id": call.id,
                "arguments": self.redactor.json(&call.arguments),
                "workspace": self.workspace.display().to_string(),
            }),
            summary.clone(),
            status,
        );
        if let Err(err) = self.store.audit().append(&entry).await {
            tracing::error!(tool = %call.tool, "audit log write failed: {err}");
        }
        let result = ToolResult {
            call_id: call.id.clone(),
            status,
            summary,
            output,
        };
        (self.events)(Event::ToolFinished {
            result: result.clone(),
        });
        result
    }

    fn redacted_call(&self, call: &ToolCall) -> ToolCall {
        ToolCall {
            id: call.id.clone(),
            tool: call.tool.clone(),
            arguments: self.redactor.json(&call.arguments),
        }
    }
}

fn role_name(role: crate::policy::Role) -> &'static str {
    match role {
        crate::policy::Role::Owner => "owner",
        crate::policy::Role::Developer => "developer",
        crate::policy::Role::Viewer => "viewer",
    }
}
