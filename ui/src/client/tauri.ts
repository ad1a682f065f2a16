// The AgentClient inside the desktop app: Tauri commands and an IPC channel for the event
// stream (the desktop app opens no port).
import { Channel, invoke } from "@tauri-apps/api/core";

import type {
  ApprovalDecision,
  ApprovalGrant,
  AuditEntry,
  AuditVerification,
  DoctorReport,
  FileChange,
  KnowledgeEntry,
  ProjectSummary,
  EventEnvelope,
  PendingApproval,
  RunDetail,
  RunState,
  SettingsUpdate,
  WritableSetting,
  BrainCheck,
  ModelCatalog,
  ModelPull,
  ModelPullRequest,
  ApiServerState,
} from "../protocol";
import {
  AgentError,
  type AgentClient,
  type ApprovalAnswer,
  type AuditQuery,
  type BrowserFrame,
  type BrowserInput,
  type BrowserNavigation,
  type BrowserView,
  type FollowOptions,
  type Launch,
  type MachineMetrics,
  type ProcessInfo,
  type BackgroundJob,
  type JobLog,
  type SecretNames,
  type UndoneFile,
  type NewCommand,
  type Unsubscribe,
} from "./agent-client";
import { FrameParser } from "./frames";


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
  readSettings(): Promise<Record<string, unknown>> {
    return call("read_settings");
  }
  updateSettings(changes: Record<string, string | number | boolean>): Promise<SettingsUpdate> {
    return call("update_settings", { changes });
  }
  writableSettings(): Promise<WritableSetting[]> {
    return call("writable_settings");
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
  runChanges(id: string): Promise<FileChange[]> {
    return call("run_changes", { id });
  }
  async undoChange(batch: string): Promise<UndoneFile[]> {
    const files = await call<[string, string][]>("undo_change", { batch });
    return files.map(([path, done]) => ({ path, done }));
  }
  listKnowledge(query?: string, limit = 50): Promise<KnowledgeEntry[]> {
    return call("list_knowledge", { query: query?.trim() || undefined, limit });
  }
  listAudit(query: AuditQuery = {}): Promise<AuditEntry[]> {
    return call("list_audit", { ...query });
  }
  verifyAudit(): Promise<AuditVerification> {
    return call("verify_audit");
  }
  listProjects(): Promise<ProjectSummary[]> {
    return call("list_projects");
  }
  metrics(): Promise<MachineMetrics> {
    return call("machine_metrics");
  }
  processes(): Promise<ProcessInfo[]> {
    return call("list_processes");
  }
  jobs(): Promise<BackgroundJob[]> {
    return call("list_jobs");
  }
  jobLog(job: string, lines?: number): Promise<JobLog> {
    return call("job_log", { job, lines });
  }
  checkBrain(): Promise<BrainCheck> {
    return call("check_brain");
  }
  models(): Promise<ModelCatalog> {
    return call("list_models");
  }
  pullModel(request: ModelPullRequest): Promise<ModelPull> {
    return call("pull_model", { request });
  }
  apiServer(): Promise<ApiServerState> {
    return call("api_server_state");
  }
  startApiServer(port: number): Promise<ApiServerState> {
    return call("api_server_start", { port });
  }
  stopApiServer(): Promise<ApiServerState> {
    return call("api_server_stop");
  }
  rotateApiToken(): Promise<ApiServerState> {
    return call("api_server_rotate_token");
  }
  openDashboardInBrowser(): Promise<void> {
    return call("api_server_open_dashboard");
  }
  browserView(): Promise<BrowserView> {
    return call("browser_view");
  }
  browserNavigate(navigation: BrowserNavigation): Promise<BrowserView> {
    return call("browser_navigate", { navigation });
  }
  browserInput(input: BrowserInput): Promise<void> {
    return call("browser_input", { input });
  }
  browserTakeOver(): Promise<BrowserView> {
    return call("browser_take_over");
  }
  browserHandBack(): Promise<BrowserView> {
    return call("browser_hand_back");
  }
  browserFrames(onFrame: (frame: BrowserFrame) => void, onError?: (error: AgentError) => void): Unsubscribe {
    // Raw bytes over the channel, the same framing as the REST stream.
    const channel = new Channel<ArrayBuffer>();
    const parser = new FrameParser();
    channel.onmessage = (bytes) => {
      for (const frame of parser.push(new Uint8Array(bytes))) onFrame(frame);
    };
    let stopped = false;
    let id: number | undefined;
    call<number>("browser_frames", { onFrame: channel })
      .then((started) => {
        id = started;
        if (stopped) void call("browser_frames_stop", { id: started });
      })
      .catch((error: unknown) => onError?.(error instanceof AgentError ? error : failure(error)));
    return () => {
      stopped = true;
      if (id !== undefined) void call("browser_frames_stop", { id });
    };
  }
  launches(onLaunch: (launch: Launch) => void): Unsubscribe {
    // What waits now, then each new launch; a later page (a reload) follows in its place.
    let stopped = false;
    const channel = new Channel<Launch>();
    channel.onmessage = (launch) => {
      if (!stopped) onLaunch(launch);
    };
    void call("follow_launches", { onLaunch: channel }).catch(() => undefined);
    return () => {
      stopped = true;
    };
  }
  secretNames(passphrase?: string): Promise<SecretNames> {
    return call("secret_names", { passphrase });
  }
  async setSecret(name: string, value: string, passphrase?: string): Promise<void> {
    await call("secret_set", { name, value, passphrase });
  }
  async removeSecret(name: string, passphrase?: string): Promise<void> {
    await call("secret_remove", { name, passphrase });
  }
  openFolder(path: string): Promise<void> {
    return call("open_folder", { path });
  }
  openInSystemBrowser(url: string): Promise<void> {
    return call("open_in_system_browser", { url });
  }
  follow(onEvent: (event: EventEnvelope) => void, options: FollowOptions = {}): Unsubscribe {
    // A reload ends the page without unfollowing: the streams of the page before are stopped
    // here, so reloads in a long session leave no stream behind in the core.
    for (const stale of followsOfThisWindow()) void call("unfollow_events", { id: stale });
    const channel = new Channel<EventEnvelope>();
    channel.onmessage = onEvent;
    let stopped = false;
    let id: number | undefined;
    void call<number>("follow_events", { after: options.after, run: options.run, onEvent: channel }).then((started) => {
      id = started;
      rememberFollow(started, true);
      if (stopped) void unfollow(started);
    });
    return () => {
      stopped = true;
      if (id !== undefined) void unfollow(id);
    };
  }
}

const FOLLOWS_KEY = "dark8.desktop.follows";
const liveFollows = new Set<number>();

/** Streams started by an earlier page of this window (not by this one). */
function followsOfThisWindow(): number[] {
  try {
    const ids = (JSON.parse(sessionStorage.getItem(FOLLOWS_KEY) ?? "[]") as number[]).filter((id) => !liveFollows.has(id));
    ids.forEach((id) => rememberFollow(id, false));
    return ids;
  } catch {
    return [];
  }
}

function rememberFollow(id: number, live: boolean): void {
  if (live) liveFollows.add(id);
  else liveFollows.delete(id);
  try {
    const ids = new Set(JSON.parse(sessionStorage.getItem(FOLLOWS_KEY) ?? "[]") as number[]);
    if (live) ids.add(id);
    else ids.delete(id);
    sessionStorage.setItem(FOLLOWS_KEY, JSON.stringify([...ids]));
  } catch {
    // No storage: nothing to clean up after a reload.
  }
}

function unfollow(id: number): Promise<void> {
  rememberFollow(id, false);
  return call("unfollow_events", { id });
}
