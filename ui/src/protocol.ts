// Generated from the Rust crate dark8-protocol. Do not edit by hand:
// DARK8_BLESS=1 cargo test -p dark8-protocol --test typescript

export type CommandSource = "cli" | "desktop" | "api";

export type Command = { 
/**
 * The text exactly as the user typed it.
 */
text: string, 
/**
 * The front end that received it.
 */
source: CommandSource, 
/**
 * The conversation session this command continues, if any.
 */
session_id?: string, };

export type Intent = "BUILD_APP" | "ANALYZE_CODE" | "BUILD_PROJECT" | "RUN_TESTS" | "GENERATE_TESTS" | "DEPLOY" | "FILE_READ" | "FILE_WRITE" | "FILE_LIST" | "FILE_DELETE" | "FILE_DIFF" | "FILE_COPY" | "FILE_MOVE" | "DIR_CREATE" | "FILE_SEARCH" | "SHELL_RUN" | "GIT_CLONE" | "GIT_COMMIT" | "GIT_PUSH" | "GIT_STATUS" | "GIT_PULL_REQUEST" | "PACKAGE_INSTALL" | "HTTP_REQUEST" | "DB_QUERY" | "WEB_SEARCH" | "BROWSE_URL" | "SCRAPE_PAGE" | "SYSTEM_STATUS" | "PROCESS_LIST" | "PROCESS_KILL" | "MEMORY_SAVE" | "MEMORY_RECALL" | "SECRET_SET" | "HELP" | "CHAT";

export type Understanding = { 
/**
 * The text that was understood.
 */
text: string, 
/**
 * The intent, one of the contract's names.
 */
intent: Intent, 
/**
 * Confidence in [0, 1]; low where the engine is unsure.
 */
confidence: number, 
/**
 * Entities the text states; keys that do not apply are absent.
 */
entities: { [key in string]?: string }, };

export type RiskClass = "read" | "write" | "execute" | "network" | "secret";

export type ToolCall = { 
/**
 * Unique id of this call, used to match progress, approvals and the result.
 */
id: string, 
/**
 * The tool's name, `<area>_<verb>` in `[a-z0-9_]`, e.g. `fs_read`.
 */
tool: string, 
/**
 * Arguments as a JSON object.
 */
arguments: Record<string, unknown>, };

export type ToolStatus = "success" | "error" | "denied";

export type ToolResult = { 
/**
 * The id of the call this result answers.
 */
call_id: string, 
/**
 * How the call ended.
 */
status: ToolStatus, 
/**
 * A one-line human summary (in the user's language).
 */
summary: string, 
/**
 * Structured output for scripts and the UI.
 */
output: unknown, };

export type Step = { 
/**
 * Position of the step in its plan, from 1.
 */
index: number, 
/**
 * What the step does, in the user's language.
 */
description: string, 
/**
 * The tool call the step makes.
 */
call: ToolCall, 
/**
 * Indices of the steps that must succeed first.
 */
depends_on: Array<number>, };

export type Plan = { 
/**
 * Unique id of the plan.
 */
id: string, 
/**
 * The intent the plan was built for.
 */
intent: Intent, 
/**
 * Steps in execution order.
 */
steps: Array<Step>, };

export type ApprovalRequest = { 
/**
 * Unique id of the request; the decision carries it back.
 */
id: string, 
/**
 * The call waiting for approval (secrets redacted).
 */
call: ToolCall, 
/**
 * The call's risk class.
 */
risk: RiskClass, 
/**
 * Why approval is needed, in the user's language.
 */
reason: string, 
/**
 * Whether a blanket "yes" (`--yes`, a grant for the session or for always) may approve
 * it; when `false`, only an explicit answer to this very request does.
 */
auto_approvable: boolean, 
/**
 * The shell line the call runs, for tools that run one.
 */
command_line?: string, 
/**
 * The paths it touches, as given.
 */
paths: Array<string>, 
/**
 * The URLs and hosts it reaches.
 */
urls: Array<string>, 
/**
 * What a grant for the session or for always would cover within the tool: a program
 * (`git`), a host, a directory; `None` when no grant may cover the call.
 */
grant_target?: string, 
/**
 * What the call would change (a unified diff for a file write), secrets redacted.
 */
preview?: string, };

export type GrantScope = "once" | "session" | "always";

export type ApprovalDecision = { 
/**
 * The id of the request this decision answers.
 */
request_id: string, 
/**
 * Whether the call may run.
 */
approved: boolean, 
/**
 * How far an approval reaches (ignored for a refusal).
 */
grant: GrantScope, 
/**
 * Why: the user's reason for a refusal, or the grant that approved it.
 */
reason?: string, };

export type PendingApproval = { 
/**
 * The request.
 */
request: ApprovalRequest, 
/**
 * The run that waits, when it came from the run service.
 */
run?: string, 
/**
 * The session it belongs to.
 */
session?: string, 
/**
 * When it was asked, RFC 3339 UTC.
 */
requested_at: string, };

export type ApprovalGrant = { 
/**
 * Its id (stored grants) or `session` for grants of the running session.
 */
id: string, 
/**
 * The tool it allows.
 */
tool: string, 
/**
 * What it covers within the tool (see [`ApprovalRequest::grant_target`]).
 */
target: string, 
/**
 * How far it reaches.
 */
scope: GrantScope, 
/**
 * When it was given, RFC 3339 UTC.
 */
created_at: string, 
/**
 * When it was revoked.
 */
revoked_at?: string, };

export type RunStatus = "running" | "done" | "partial" | "failed" | "denied" | "asked" | "cancelled" | "interrupted";

export type RunState = { 
/**
 * Its id.
 */
id: string, 
/**
 * The session it belongs to.
 */
session: string, 
/**
 * The command as typed.
 */
command: string, 
/**
 * The workspace it acts in.
 */
workspace: string, 
/**
 * Where it came from (`cli`, `desktop`, `api`).
 */
source: string, 
/**
 * Where it stands.
 */
status: RunStatus, 
/**
 * When it started, RFC 3339 UTC.
 */
started_at: string, 
/**
 * When it ended.
 */
finished_at?: string, 
/**
 * The agent's outcome (understanding, plan, calls, results, answer), once it ended.
 */
outcome?: unknown, };

export type StepView = { 
/**
 * The tool call's id.
 */
call_id: string, 
/**
 * The tool.
 */
tool: string, 
/**
 * The plan step it belongs to, when the plan named it.
 */
step: number | null, 
/**
 * How it ended; `None` while it runs.
 */
status: ToolStatus | null, 
/**
 * Its summary, once it ended.
 */
summary: string | null, 
/**
 * When it started.
 */
started_at: string, 
/**
 * When it ended.
 */
finished_at: string | null, 
/**
 * Progress lines it printed.
 */
output_lines: number, };

export type RunDetail = { 
/**
 * The run.
 */
run: RunState, 
/**
 * Its tool calls, in order.
 */
steps: Array<StepView>, };

export type CheckStatus = "ok" | "missing";

export type DoctorCheck = { 
/**
 * Stable identifier of the check, e.g. `git`, `ollama`, `database`.
 */
id: string, 
/**
 * Human name of the check, in the user's language.
 */
label: string, 
/**
 * Whether the check passed.
 */
status: CheckStatus, 
/**
 * What was found (version, path, free space ...), in the user's language.
 */
detail: string, 
/**
 * What to do when the check failed, in the user's language.
 */
hint?: string, 
/**
 * Whether DARK8 cannot work without it (an optional check only limits features).
 */
required: boolean, };

export type DoctorReport = { 
/**
 * The DARK8 version that made the report.
 */
version: string, 
/**
 * The data directory in use.
 */
data_dir: string, 
/**
 * The configuration file in use.
 */
config_file: string, 
/**
 * The checks, in a fixed order.
 */
checks: Array<DoctorCheck>, };

export type SettingsChange = { 
/**
 * Key -> new value (a string, number or boolean).
 */
changes: Record<string, string | number | boolean>, };

export type SettingsUpdate = { 
/**
 * The configuration file written.
 */
config_file: string, 
/**
 * Keys in force now (the next command uses them).
 */
applied: Array<string>, 
/**
 * Keys written to the file that take effect when DARK8 starts again.
 */
on_restart: Array<string>, 
/**
 * Keys written to the file that a `DARK8_*` environment variable of this process
 * overrides, so the value in force did not change.
 */
overridden: Array<string>, };

export type WritableSetting = { 
/**
 * The dotted key, e.g. `llm.ollama_model`.
 */
key: string, 
/**
 * Whether a change applies at once (else at the next start).
 */
live: boolean, 
/**
 * What it is, in Polish.
 */
description_pl: string, 
/**
 * What it is, in English.
 */
description_en: string, };

export type ApiServerState = { 
/**
 * Whether it listens.
 */
running: boolean, 
/**
 * Whether this front end can switch it on and off and choose its port (the desktop app
 * runs it in-process; a browser talks to a server it cannot stop).
 */
switchable: boolean, 
/**
 * Where it listens, e.g. `127.0.0.1:8731`.
 */
address: string | null, 
/**
 * Its port.
 */
port: number | null, 
/**
 * The API's base URL.
 */
api_url: string | null, 
/**
 * The dashboard's URL for a normal browser (without the token), when it serves one.
 */
dashboard_url: string | null, 
/**
 * The file the bearer token is kept in.
 */
token_file: string, 
/**
 * Why it is not running, when starting it failed, with a hint.
 */
error: string | null, };

export type RotatedToken = { 
/**
 * The new bearer token (shown once, to the caller only).
 */
token: string, };

export type BrainCheck = { 
/**
 * Whether the model answered.
 */
ok: boolean, 
/**
 * The provider tried (`embedded`, `ollama`, `openai`), none when DARK8 works without one.
 */
provider: string | null, 
/**
 * What was tried, e.g. `Ollama qwen2.5-coder:7b (http://127.0.0.1:11434)`.
 */
active: string | null, 
/**
 * What happened, in the user's language.
 */
detail: string, 
/**
 * What to do about a failure, in the user's language.
 */
hint: string | null, 
/**
 * The model's short answer to the test prompt.
 */
answer: string | null, 
/**
 * How long the answer took, in milliseconds.
 */
latency_ms: bigint | null, };

export type ModelEntry = { 
/**
 * Its known name (`dark8 model list`), none for a file DARK8 does not know.
 */
name: string | null, 
/**
 * Its file name in the models directory.
 */
file: string, 
/**
 * Its size in bytes (expected, when not downloaded).
 */
size_bytes: number, 
/**
 * Whether the file is in the models directory.
 */
downloaded: boolean, 
/**
 * Whether `llm.embedded_model` names it.
 */
selected: boolean, };

export type PullState = "running" | "done" | "failed";

export type ModelPull = { 
/**
 * The file being downloaded.
 */
file: string, 
/**
 * From where.
 */
url: string, 
/**
 * Bytes so far.
 */
done_bytes: number, 
/**
 * All bytes, when the server says.
 */
total_bytes: number | null, 
/**
 * How it goes.
 */
state: PullState, 
/**
 * Why it failed, in Polish, with what to do.
 */
error: string | null, 
/**
 * When it started (RFC 3339).
 */
started_at: string, };

export type ModelCatalog = { 
/**
 * The models directory.
 */
dir: string, 
/**
 * Whether this build carries the embedded engine.
 */
embedded_built_in: boolean, 
/**
 * Known and downloaded models.
 */
models: Array<ModelEntry>, 
/**
 * Downloads of this run of DARK8, the newest first.
 */
pulls: Array<ModelPull>, };

export type ModelPullRequest = { 
/**
 * A known model's name (`dark8 model list`), or the file name to save under with `url`.
 */
name: string, 
/**
 * Where to download from (http or https), for a model DARK8 does not know.
 */
url: string | null, 
/**
 * The file's SHA-256 (64 hex digits), required with `url`.
 */
sha256: string | null, };

export type AuditEntry = { 
/**
 * Position in the chain, from 1.
 */
id: number, 
/**
 * When it was recorded, RFC 3339 UTC.
 */
timestamp: string, 
/**
 * What was done.
 */
action: string, 
/**
 * Its parameters.
 */
parameters: Record<string, unknown>, 
/**
 * A short summary of the outcome.
 */
result: string, 
/**
 * How it ended.
 */
status: ToolStatus, 
/**
 * The previous row's hash.
 */
prev_hash: string, 
/**
 * This row's hash.
 */
hash: string, };

export type AuditProblem = { "kind": "changed", 
/**
 * The altered row.
 */
id: number, } | { "kind": "removed", 
/**
 * The first missing row.
 */
id: number, } | { "kind": "reordered", 
/**
 * The first row out of place.
 */
id: number, } | { "kind": "link_broken", 
/**
 * The first row whose link does not hold.
 */
id: number, } | { "kind": "unkeyed", 
/**
 * The first row that should carry the key's link and does not.
 */
id: number, } | { "kind": "head_mismatch", 
/**
 * The row id of the remembered head.
 */
id: number, };

export type AuditVerification = { 
/**
 * How many rows were checked.
 */
rows_checked: number, 
/**
 * How many of them carry a keyed (HMAC) link.
 */
keyed_rows: number, 
/**
 * Whether the keyed links were checked with the log's key (false: no key here, so only
 * the unkeyed rows' hashes and the links between rows were checked).
 */
key_checked: boolean, 
/**
 * The first problem, if any.
 */
problem: AuditProblem | null, };

export type Project = { 
/**
 * Row id.
 */
id: number, 
/**
 * Its name.
 */
name: string, 
/**
 * Its directory.
 */
path: string, 
/**
 * When it was registered, RFC 3339 UTC.
 */
created_at: string, 
/**
 * Metadata as JSON.
 */
metadata: Record<string, unknown>, };

export type ProjectActionResult = { 
/**
 * The tool, e.g. `tests_run`.
 */
action: string, 
/**
 * When it ended, RFC 3339 UTC.
 */
when: string, 
/**
 * How it ended.
 */
status: ToolStatus, 
/**
 * What it said.
 */
summary: string, };

export type Finding = { 
/**
 * The rule, e.g. `secret` or `ruff/F401`.
 */
rule: string, 
/**
 * `error`, `warning` or `note`.
 */
level: string, 
/**
 * What is wrong, as the analysis said it.
 */
message: string, 
/**
 * The file, relative to the project.
 */
file: string, 
/**
 * The line, from 1 (0 when the finding is about the whole file).
 */
line: number, };

export type ProjectSummary = { 
/**
 * The stored project.
 */
project: Project, 
/**
 * Its framework (`django`, `rust`, ...) when known.
 */
framework: string | null, 
/**
 * Whether its directory is still there.
 */
exists: boolean, 
/**
 * The last build.
 */
build: ProjectActionResult | null, 
/**
 * The last test run.
 */
tests: ProjectActionResult | null, 
/**
 * The last deployment.
 */
deploy: ProjectActionResult | null, 
/**
 * The last analysis.
 */
analysis: ProjectActionResult | null, 
/**
 * Findings of the last analysis's SARIF report, when it wrote one.
 */
findings: Array<Finding>, };

export type SecretNames = { 
/**
 * `keychain` or `file`.
 */
backend: string, 
/**
 * Every name, sorted.
 */
names: Array<string>, };

export type KnowledgeSource = "knowledge" | "conversation";

export type KnowledgeEntry = { 
/**
 * Where it comes from.
 */
source: KnowledgeSource, 
/**
 * Its row in its table.
 */
id: number, 
/**
 * The fact, or "command → answer".
 */
text: string, 
/**
 * Its tags (facts only).
 */
tags: Array<string>, 
/**
 * When it was kept, RFC 3339 UTC.
 */
when: string, 
/**
 * How well it matches the query (0 without a query).
 */
score: number, };

export type FileChange = { 
/**
 * The journal row.
 */
id: number, 
/**
 * The tool call's changes, undone together.
 */
batch: string, 
/**
 * The tool call that made it.
 */
call_id: string | null, 
/**
 * The tool.
 */
tool: string, 
/**
 * The file, absolute.
 */
path: string, 
/**
 * `created`, `changed`, `deleted` or `moved`.
 */
kind: string, 
/**
 * When, RFC 3339 UTC.
 */
when: string, 
/**
 * A unified diff from before to now (empty for binary files or directories).
 */
diff: string, 
/**
 * Whether it was undone already.
 */
undone: boolean, };

export type Event = { "type": "command_received", 
/**
 * The command.
 */
command: Command, } | { "type": "understood", 
/**
 * What was understood.
 */
understanding: Understanding, } | { "type": "plan_ready", 
/**
 * The plan.
 */
plan: Plan, } | { "type": "tool_started", 
/**
 * The call.
 */
call: ToolCall, } | { "type": "tool_progress", 
/**
 * The id of the running call.
 */
call_id: string, 
/**
 * A line of progress, in the user's language.
 */
message: string, 
/**
 * Fraction done in [0, 1], when known.
 */
fraction?: number, } | { "type": "tool_finished", 
/**
 * The result.
 */
result: ToolResult, } | { "type": "approval_requested", 
/**
 * The request.
 */
request: ApprovalRequest, } | { "type": "approval_decided", 
/**
 * The decision.
 */
decision: ApprovalDecision, } | { "type": "model_token", 
/**
 * The text.
 */
text: string, } | { "type": "run_finished", 
/**
 * How it ended.
 */
status: RunStatus, 
/**
 * The answer for the user.
 */
response: string, } | { "type": "response", 
/**
 * The answer, in the user's language.
 */
text: string, } | { "type": "error", 
/**
 * What went wrong, in the user's language.
 */
message: string, 
/**
 * What to do about it.
 */
hint?: string, };

export type EventEnvelope = { 
/**
 * Sequence number, increasing by one per event, kept across restarts of the core.
 */
seq: number, 
/**
 * When the event was published, RFC 3339 UTC.
 */
timestamp: string, 
/**
 * The session it belongs to, when it belongs to one.
 */
session?: string, 
/**
 * The run it belongs to, when it belongs to one.
 */
run?: string, 
/**
 * The plan step it belongs to (1-based), when known.
 */
step?: number, 
/**
 * The event.
 */
event: Event, };
