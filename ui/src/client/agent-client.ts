// The one interface every screen talks to, whichever way it reaches the core: the desktop
// app through Tauri commands and channels, a normal browser through the local REST API.
import type {
  ApprovalDecision,
  ApprovalGrant,
  AuditEntry,
  AuditVerification,
  ApiServerState,
  BrainCheck,
  ModelCatalog,
  ModelPull,
  ModelPullRequest,
  DoctorReport,
  FileChange,
  KnowledgeEntry,
  ProjectSummary,
  EventEnvelope,
  GrantScope,
  PendingApproval,
  RunDetail,
  RunState,
  SecretNames,
  SettingsUpdate,
  WritableSetting,
} from "../protocol";

export type { SecretNames };

/** A command to start. */
export interface NewCommand {
  command: string;
  workspace?: string;
  session?: string;
  /** A tool to call by name (a screen's button); `command` then describes it. */
  tool?: string;
  /** The tool's arguments. */
  arguments?: Record<string, unknown>;
}

/** Which audit rows to list. */
export interface AuditQuery {
  limit?: number;
  /** Only these actions, separated by commas. */
  action?: string;
  status?: "success" | "error" | "denied";
  /** RFC 3339 times. */
  since?: string;
  until?: string;
}

/** What undoing a change did, per file. */
export interface UndoneFile {
  path: string;
  done: string;
}

/** The machine now, as `system_status` reports it (the fields the monitors draw). */
export interface MachineMetrics {
  cpu?: {
    usage_percent: number;
    cores: { name: string; usage_percent: number; frequency_mhz: number }[];
    load: { one: number; five: number; fifteen: number };
  };
  memory?: { total_bytes: number; used_bytes: number; available_bytes: number; swap_total_bytes: number; swap_used_bytes: number };
  disks?: { name: string; mount_point: string; file_system: string; total_bytes: number; available_bytes: number; removable: boolean }[];
  /** Bytes since boot per interface. */
  network?: { interface: string; received_bytes: number; transmitted_bytes: number }[];
}

/** One tab of DARK8's browser. */
export interface BrowserTab {
  number: number;
  title: string;
  url: string;
  current: boolean;
}

/** DARK8's browser as the panel shows it. */
export interface BrowserView {
  running: boolean;
  user_driving: boolean;
  url: string;
  title: string;
  tabs: BrowserTab[];
}

/** A navigation the user asks for. */
export type BrowserNavigation =
  | { type: "open"; url: string }
  | { type: "back" }
  | { type: "forward" }
  | { type: "reload" }
  | { type: "switch_tab"; number: number };

/** The user's input into the page, in the page's CSS pixels. */
export type BrowserInput =
  | { type: "click"; x: number; y: number; button?: "left" | "middle" | "right" }
  | { type: "mouse_move"; x: number; y: number }
  | { type: "wheel"; x: number; y: number; dx?: number; dy: number }
  | { type: "key"; key: string }
  | { type: "text"; text: string };

/** One live-view frame. */
export interface BrowserFrame {
  jpeg: Uint8Array;
  /** The page's size in CSS pixels. */
  width: number;
  height: number;
}

/** One process, as `process_list` reports it. */
export interface ProcessInfo {
  pid: number;
  name: string;
  cpu_percent: number;
  memory_bytes: number;
  command: string;
  status: string;
}

/** A background job `process_spawn` started. */
export interface BackgroundJob {
  job: string;
  pid: number;
  command: string;
  cwd: string;
  started_at: string;
  running: boolean;
  log_bytes: number;
}

/** A background job's state and the last lines of its output, as `process_logs` reads them. */
export interface JobLog {
  job: string;
  pid: number;
  running: boolean;
  output: string;
  command: string;
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
  /** The file changes run `id` made, with diffs. */
  runChanges(id: string): Promise<FileChange[]>;
  /** Undoes one tool call's changes (a `batch` of `runChanges`). */
  undoChange(batch: string): Promise<UndoneFile[]>;
  /** Facts and past turns for `query`; the newest without one. */
  listKnowledge(query?: string, limit?: number): Promise<KnowledgeEntry[]>;
  /** Audit rows passing the filters, oldest first. */
  listAudit(query?: AuditQuery): Promise<AuditEntry[]>;
  verifyAudit(): Promise<AuditVerification>;
  listProjects(): Promise<ProjectSummary[]>;
  metrics(): Promise<MachineMetrics>;
  processes(): Promise<ProcessInfo[]>;
  /** Background jobs, the newest first. */
  jobs(): Promise<BackgroundJob[]>;
  /** A background job's last `lines` output lines (200 when not given). */
  jobLog(job: string, lines?: number): Promise<JobLog>;
  /** The local REST API server: where it listens, whether this front end can switch it. */
  apiServer(): Promise<ApiServerState>;
  /** Switches the API server on at `port` (the desktop app only). */
  startApiServer(port: number): Promise<ApiServerState>;
  /** Switches the API server off (the desktop app only). */
  stopApiServer(): Promise<ApiServerState>;
  /** Replaces the API token: clients holding the old one are refused. */
  rotateApiToken(): Promise<ApiServerState>;
  /** Opens the dashboard in the system browser, signed in. */
  openDashboardInBrowser(): Promise<void>;
  /** Asks the configured model a one-word question. */
  checkBrain(): Promise<BrainCheck>;
  /** The embedded engine's models and downloads with their progress. */
  models(): Promise<ModelCatalog>;
  /** Starts a model download in the background. */
  pullModel(request: ModelPullRequest): Promise<ModelPull>;
  browserView(): Promise<BrowserView>;
  browserNavigate(navigation: BrowserNavigation): Promise<BrowserView>;
  browserInput(input: BrowserInput): Promise<void>;
  browserTakeOver(): Promise<BrowserView>;
  browserHandBack(): Promise<BrowserView>;
  /** Streams the live view's frames (the newest only) until stopped; errors go to `onError`. */
  browserFrames(onFrame: (frame: BrowserFrame) => void, onError?: (error: AgentError) => void): Unsubscribe;
  /** Calls `onEvent` for every event, in sequence order, each once, across reconnects. */
  follow(onEvent: (event: EventEnvelope) => void, options?: FollowOptions): Unsubscribe;
  /** What launches ask the window to do (desktop only: a second start, a link, the tray). */
  launches?(onLaunch: (launch: Launch) => void): Unsubscribe;
  /** Opens a known project's folder in the file manager (desktop only). */
  openFolder?(path: string): Promise<void>;
  /** The vault's secret names (the file vault needs its `passphrase`). */
  secretNames(passphrase?: string): Promise<SecretNames>;
  /** Stores `value` under `name`; the value never comes back. */
  setSecret(name: string, value: string, passphrase?: string): Promise<void>;
  removeSecret(name: string, passphrase?: string): Promise<void>;
  /** Opens an http(s) address in the system's browser. */
  openInSystemBrowser(url: string): Promise<void>;
}

/** What a launch asks for: run a command, fill the console's command line, show the console. */
export type Launch = { kind: "run"; command: string } | { kind: "prefill"; text: string } | { kind: "console" };

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
