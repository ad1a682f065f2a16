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

export type Intent = "BUILD_APP" | "ANALYZE_CODE" | "BUILD_PROJECT" | "RUN_TESTS" | "GENERATE_TESTS" | "DEPLOY" | "FILE_READ" | "FILE_WRITE" | "FILE_LIST" | "FILE_DELETE" | "FILE_DIFF" | "FILE_SEARCH" | "SHELL_RUN" | "GIT_CLONE" | "GIT_COMMIT" | "GIT_PUSH" | "GIT_STATUS" | "GIT_PULL_REQUEST" | "PACKAGE_INSTALL" | "HTTP_REQUEST" | "DB_QUERY" | "WEB_SEARCH" | "BROWSE_URL" | "SCRAPE_PAGE" | "SYSTEM_STATUS" | "PROCESS_LIST" | "PROCESS_KILL" | "MEMORY_SAVE" | "MEMORY_RECALL" | "SECRET_SET" | "HELP" | "CHAT";

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
 * The call waiting for approval.
 */
call: ToolCall, 
/**
 * The call's risk class.
 */
risk: RiskClass, 
/**
 * Why approval is needed, in the user's language.
 */
reason: string, };

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
 * Whether the same call may run again in this session without asking.
 */
remember_for_session: boolean, };

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
decision: ApprovalDecision, } | { "type": "response", 
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
 * Sequence number, increasing by one per event of a process.
 */
seq: bigint, 
/**
 * When the event was published, RFC 3339 UTC.
 */
timestamp: string, 
/**
 * The event.
 */
event: Event, };
