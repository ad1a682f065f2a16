// The AgentClient inside the desktop app: Tauri commands and an IPC channel for the event
// stream (the desktop app opens no port).
import { Channel, invoke } from "@tauri-apps/api/core";

import type {
  ApprovalDecision,
  ApprovalGrant,
  DoctorReport,
  EventEnvelope,
  PendingApproval,
  RunDetail,
  RunState,
} from "../protocol";
import {
  AgentError,
  type AgentClient,
  type ApprovalAnswer,
  type FollowOptions,
  type NewCommand,
  type Unsubscribe,
} from "./agent-client";

/** A command's Polish error ("… Podpowiedź: …") as an AgentError. */
function failure(error: unknown): AgentError {
  const text = String(error);
  const [message, hint = ""] = text.split(" Podpowiedź: ");
  return new AgentError(message, hint, 0, "desktop");
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (error) {
    throw failure(error);
  }
}

export class TauriAgentClient implements AgentClient {
  startCommand(command: NewCommand): Promise<RunState> {
    return call("start_command", { ...command });
  }
  listRuns(limit = 50): Promise<RunState[]> {
    return call("list_runs", { limit });
  }
  getRun(id: string): Promise<RunDetail> {
    return call("get_run", { id });
  }
  cancelRun(id: string): Promise<void> {
    return call("cancel_run", { id });
  }
  listApprovals(): Promise<PendingApproval[]> {
    return call("list_approvals");
  }
  answerApproval(id: string, answer: ApprovalAnswer): Promise<ApprovalDecision> {
    return call("answer_approval", { id, ...answer });
  }
  listGrants(): Promise<ApprovalGrant[]> {
    return call("list_grants");
  }
  revokeGrant(id: string): Promise<void> {
    return call("revoke_grant", { id });
  }
  doctor(): Promise<DoctorReport> {
    return call("doctor_report");
  }
  follow(onEvent: (event: EventEnvelope) => void, options: FollowOptions = {}): Unsubscribe {
    const channel = new Channel<EventEnvelope>();
    channel.onmessage = onEvent;
    let stopped = false;
    let id: number | undefined;
    void call<number>("follow_events", { after: options.after, run: options.run, onEvent: channel }).then((started) => {
      id = started;
      if (stopped) void call("unfollow_events", { id });
    });
    return () => {
      stopped = true;
      if (id !== undefined) void call("unfollow_events", { id });
    };
  }
}
