// The console's model of what happened: the event stream folded into runs with their steps,
// approvals, model text and outcome. Pure, so a reload replaying the same events rebuilds the
// same screen.
import type { EventEnvelope, PendingApproval, RunStatus, ToolStatus } from "../protocol";

/** One tool call on screen. */
export interface StepCard {
  callId: string;
  tool: string;
  /** The plan's description, when the plan named the step. */
  description?: string;
  index?: number;
  status: ToolStatus | "running" | "waiting";
  summary?: string;
  lines: string[];
  startedAt?: string;
  finishedAt?: string;
}

/** One command and everything it did. */
export interface RunView {
  id: string;
  command: string;
  session?: string;
  startedAt: string;
  status: RunStatus;
  steps: StepCard[];
  /** Approvals this run waits for. */
  pending: PendingApproval[];
  /** What the model wrote so far (cleared when a step starts). */
  modelText: string;
  response?: string;
  error?: { message: string; hint?: string };
  finishedAt?: string;
}

/** The whole console: runs in the order they started, and the last sequence number seen. */
export interface Timeline {
  runs: RunView[];
  lastSeq: number;
}

export const emptyTimeline: Timeline = { runs: [], lastSeq: 0 };

/** Lines kept per step; "pokaż wszystko" shows them all. */
export const MAX_LINES = 2000;

/** `timeline` after `envelope` (a new object; events already seen change nothing). */
export function fold(timeline: Timeline, envelope: EventEnvelope): Timeline {
  if (envelope.seq <= timeline.lastSeq || !envelope.run) {
    return envelope.seq > timeline.lastSeq ? { ...timeline, lastSeq: envelope.seq } : timeline;
  }
  const runs = [...timeline.runs];
  let index = runs.findIndex((r) => r.id === envelope.run);
  const event = envelope.event;
  if (index === -1) {
    runs.push({
      id: envelope.run,
      command: event.type === "command_received" ? event.command.text : "",
      session: envelope.session,
      startedAt: envelope.timestamp,
      status: "running",
      steps: [],
      pending: [],
      modelText: "",
    });
    index = runs.length - 1;
  }
  const run: RunView = { ...runs[index], steps: [...runs[index].steps], pending: [...runs[index].pending] };
  const step = (callId: string) => run.steps.findIndex((s) => s.callId === callId);
  switch (event.type) {
    case "command_received":
      run.command = event.command.text;
      break;
    case "plan_ready":
      for (const planned of event.plan.steps) {
        if (step(planned.call.id) === -1) {
          run.steps.push({
            callId: planned.call.id,
            tool: planned.call.tool,
            description: planned.description,
            index: planned.index,
            status: "waiting",
            lines: [],
          });
        }
      }
      break;
    case "tool_started": {
      const at = step(event.call.id);
      const card: StepCard = {
        ...(at === -1 ? { callId: event.call.id, tool: event.call.tool, lines: [] } : run.steps[at]),
        status: "running",
        startedAt: envelope.timestamp,
      };
      if (at === -1) run.steps.push(card);
      else run.steps[at] = card;
      run.modelText = "";
      break;
    }
    case "tool_progress": {
      const at = step(event.call_id);
      if (at !== -1) {
        const lines = [...run.steps[at].lines, event.message];
        run.steps[at] = { ...run.steps[at], lines: lines.slice(-MAX_LINES) };
      }
      break;
    }
    case "tool_finished": {
      const at = step(event.result.call_id);
      const done = {
        status: event.result.status,
        summary: event.result.summary,
        finishedAt: envelope.timestamp,
      };
      if (at === -1) {
        run.steps.push({ callId: event.result.call_id, tool: "", lines: [], ...done });
      } else {
        run.steps[at] = { ...run.steps[at], ...done };
      }
      break;
    }
    case "approval_requested":
      run.pending.push({
        request: event.request,
        run: envelope.run,
        session: envelope.session,
        requested_at: envelope.timestamp,
      });
      break;
    case "approval_decided":
      run.pending = run.pending.filter((p) => p.request.id !== event.decision.request_id);
      break;
    case "model_token":
      run.modelText = (run.modelText + event.text).slice(-4000);
      break;
    case "response":
      run.response = event.text;
      break;
    case "error":
      run.error = { message: event.message, hint: event.hint };
      break;
    case "run_finished":
      run.status = event.status;
      run.response = run.response ?? event.response;
      run.finishedAt = envelope.timestamp;
      run.pending = [];
      run.modelText = "";
      break;
    default:
      break;
  }
  runs[index] = run;
  return { runs, lastSeq: envelope.seq };
}

/** Milliseconds between two RFC 3339 times, when both are known. */
export function elapsed(from?: string, to?: string): number | undefined {
  if (!from || !to) return undefined;
  return Date.parse(to) - Date.parse(from);
}
