// The one interface every screen talks to, whichever way it reaches the core: the desktop
// app through Tauri commands and channels, a normal browser through the local REST API.
import type {
  ApprovalDecision,
  ApprovalGrant,
  DoctorReport,
  EventEnvelope,
  GrantScope,
  PendingApproval,
  RunDetail,
  RunState,
  SettingsUpdate,
  WritableSetting,
} from "../protocol";

/** A command to start. */
export interface NewCommand {
  command: string;
  workspace?: string;
  session?: string;
}

/** An answer to a pending approval. */
export interface ApprovalAnswer {
  approved: boolean;
  grant?: GrantScope;
  reason?: string;
}

/** What to follow on the event stream. */
export interface FollowOptions {
  /** Replay events after this sequence number (0 = all kept); only new ones when absent. */
  after?: number;
  /** Only this run's events. */
  run?: string;
  /** The replay was incomplete: reload state instead of trusting it. */
  onResync?: () => void;
  /** The connection dropped and is being retried (`true`) or is back (`false`). */
  onReconnecting?: (reconnecting: boolean) => void;
}

/** Stops following. */
export type Unsubscribe = () => void;

/** The core, as a screen sees it. */
export interface AgentClient {
  startCommand(command: NewCommand): Promise<RunState>;
  listRuns(limit?: number): Promise<RunState[]>;
  getRun(id: string): Promise<RunDetail>;
  cancelRun(id: string): Promise<void>;
  listApprovals(): Promise<PendingApproval[]>;
  answerApproval(id: string, answer: ApprovalAnswer): Promise<ApprovalDecision>;
  listGrants(): Promise<ApprovalGrant[]>;
  revokeGrant(id: string): Promise<void>;
  doctor(): Promise<DoctorReport>;
  /** The configuration in force (passwords masked, secrets redacted). */
  readSettings(): Promise<Record<string, unknown>>;
  /** Changes settings a front end may change (dotted keys, e.g. `language`). */
  updateSettings(changes: Record<string, string | number | boolean>): Promise<SettingsUpdate>;
  /** The keys `updateSettings` accepts. */
  writableSettings(): Promise<WritableSetting[]>;
  /** Calls `onEvent` for every event, in sequence order, each once, across reconnects. */
  follow(onEvent: (event: EventEnvelope) => void, options?: FollowOptions): Unsubscribe;
}

/** A failed call, with the core's Polish message and hint. */
export class AgentError extends Error {
  constructor(
    message: string,
    readonly hint: string,
    readonly status: number,
    readonly code: string,
  ) {
    super(message);
    this.name = "AgentError";
  }
}
