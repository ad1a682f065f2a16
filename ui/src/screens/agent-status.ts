// What the agent is doing in the browser, in one line, from the event stream: the newest
// browser tool call that asked for approval or started, and whether it ended.
import type { EventEnvelope } from "../protocol";

/** The status line's parts: a key of `browser.doing.*` and its values, or nothing to say. */
export interface AgentDoing {
  key: string;
  values: Record<string, string>;
  running: boolean;
  /** The call waits for the user's approval. */
  awaitingApproval?: boolean;
}

function describe(tool: string, args: Record<string, unknown>): Omit<AgentDoing, "running"> | undefined {
  const text = (key: string) => (typeof args[key] === "string" ? (args[key] as string) : "");
  const number = typeof args.number === "number" ? `[${args.number}]` : "";
  switch (tool) {
    case "browser_open":
      return { key: "open", values: { url: text("url") } };
    case "browser_click":
      return { key: "click", values: { target: [number, text("text")].filter(Boolean).join(" ") } };
    case "browser_type":
      return { key: "type", values: { target: [number, text("text")].filter(Boolean).join(" ") } };
    case "browser_select":
      return { key: "select", values: { target: [number, text("option")].filter(Boolean).join(" ") } };
    case "browser_scroll":
      return { key: "scroll", values: {} };
    case "browser_back":
      return { key: "back", values: {} };
    case "browser_read":
      return { key: "read", values: {} };
    case "browser_wait":
      return { key: "wait", values: { what: text("text") || text("selector") } };
    case "browser_tabs":
      return { key: "tabs", values: {} };
    case "browser_screenshot":
    case "browser_pdf":
      return { key: "capture", values: {} };
    default:
      return undefined;
  }
}

/** `doing` after `envelope`. */
export function agentDoing(doing: AgentDoing | undefined, envelope: EventEnvelope, running: Map<string, string>): AgentDoing | undefined {
  const event = envelope.event;
  if (event.type === "approval_requested" && event.request.call.tool.startsWith("browser_")) {
    const described = describe(event.request.call.tool, event.request.call.arguments);
    if (!described) return doing;
    running.set(event.request.id, event.request.call.tool);
    return { ...described, running: true, awaitingApproval: true };
  }
  if (event.type === "approval_decided" && running.delete(event.decision.request_id) && doing) {
    // Approved: the call starts next (tool_started); refused: nothing more happens.
    return { ...doing, running: event.decision.approved, awaitingApproval: false };
  }
  if (event.type === "tool_started" && event.call.tool.startsWith("browser_")) {
    const described = describe(event.call.tool, event.call.arguments);
    if (!described) return doing;
    running.set(event.call.id, event.call.tool);
    return { ...described, running: true };
  }
  if (event.type === "tool_finished" && running.delete(event.result.call_id) && doing) {
    return { ...doing, running: false };
  }
  return doing;
}
