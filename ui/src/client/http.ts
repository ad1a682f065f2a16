// The AgentClient over DARK8's local REST API: fetch with the bearer token, and the event
// stream read from a fetch body (EventSource cannot send the token header), resumed after a
// drop from the last sequence number seen.
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
  RotatedToken,
} from "../protocol";
import { i18n } from "../i18n";
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
import { SseParser } from "./sse";

/** The fetch this transport uses (the browser's, or a test's). */
export type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

/** How long to wait before reconnecting, by attempt: 0.5 s doubling up to 10 s. */
export function reconnectDelay(attempt: number): number {
  return Math.min(500 * 2 ** attempt, 10_000);
}

export class HttpAgentClient implements AgentClient {
  /** Called with the new token after a rotation (to keep it for the tab). */
  onTokenChange?: (token: string) => void;

  constructor(
    private readonly base: string,
    private token: string,
    private readonly fetcher: Fetch = (input, init) => fetch(input, init),
    private readonly sleep: (ms: number) => Promise<void> = (ms) =>
      new Promise((done) => setTimeout(done, ms)),
  ) {}

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { Authorization: `Bearer ${this.token}` };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    let response: Response;
    try {
      response = await this.fetcher(`${this.base}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      throw new AgentError(i18n.t("errors.offline"), i18n.t("errors.offlineHint"), 0, "offline");
    }
    if (!response.ok) throw await failure(response);
    if (response.status === 204 || response.status === 202) {
      const text = await response.text();
      return (text ? JSON.parse(text) : undefined) as T;
    }
    return (await response.json()) as T;
  }

  startCommand(command: NewCommand): Promise<RunState> {
    return this.call("POST", "/api/v1/commands", command);
  }
  readSettings(): Promise<Record<string, unknown>> {
    return this.call("GET", "/api/v1/settings");
  }
  updateSettings(changes: Record<string, string | number | boolean>): Promise<SettingsUpdate> {
    return this.call("PATCH", "/api/v1/settings", { changes });
  }
  writableSettings(): Promise<WritableSetting[]> {
    return this.call("GET", "/api/v1/settings/writable");
  }
  listRuns(limit = 50): Promise<RunState[]> {
    return this.call("GET", `/api/v1/runs?limit=${limit}`);
  }
  getRun(id: string): Promise<RunDetail> {
    return this.call("GET", `/api/v1/runs/${encodeURIComponent(id)}`);
  }
  async cancelRun(id: string): Promise<void> {
    await this.call("POST", `/api/v1/runs/${encodeURIComponent(id)}/cancel`);
  }
  listApprovals(): Promise<PendingApproval[]> {
    return this.call("GET", "/api/v1/approvals");
  }
  answerApproval(id: string, answer: ApprovalAnswer): Promise<ApprovalDecision> {
    return this.call("POST", `/api/v1/approvals/${encodeURIComponent(id)}`, answer);
  }
  listGrants(): Promise<ApprovalGrant[]> {
    return this.call("GET", "/api/v1/grants");
  }
  async revokeGrant(id: string): Promise<void> {
    await this.call("DELETE", `/api/v1/grants/${encodeURIComponent(id)}`);
  }
  doctor(): Promise<DoctorReport> {
    return this.call("GET", "/api/v1/doctor");
  }
  runChanges(id: string): Promise<FileChange[]> {
    return this.call("GET", `/api/v1/runs/${encodeURIComponent(id)}/changes`);
  }
  async undoChange(batch: string): Promise<UndoneFile[]> {
    const report = await this.call<{ files: UndoneFile[] }>("POST", `/api/v1/changes/${encodeURIComponent(batch)}/undo`);
    return report.files;
  }
  listKnowledge(query?: string, limit = 50): Promise<KnowledgeEntry[]> {
    const params = new URLSearchParams({ limit: String(limit) });
    if (query?.trim()) params.set("q", query.trim());
    return this.call("GET", `/api/v1/knowledge?${params}`);
  }
  listAudit(query: AuditQuery = {}): Promise<AuditEntry[]> {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined && value !== "") params.set(key, String(value));
    }
    return this.call("GET", `/api/v1/audit?${params}`);
  }
  verifyAudit(): Promise<AuditVerification> {
    return this.call("GET", "/api/v1/audit/verify");
  }
  listProjects(): Promise<ProjectSummary[]> {
    return this.call("GET", "/api/v1/projects");
  }
  metrics(): Promise<MachineMetrics> {
    return this.call("GET", "/api/v1/metrics");
  }
  processes(): Promise<ProcessInfo[]> {
    return this.call("GET", "/api/v1/processes");
  }
  jobs(): Promise<BackgroundJob[]> {
    return this.call("GET", "/api/v1/jobs");
  }
  jobLog(job: string, lines?: number): Promise<JobLog> {
    const query = lines === undefined ? "" : `?lines=${lines}`;
    return this.call("GET", `/api/v1/jobs/${encodeURIComponent(job)}/log${query}`);
  }
  checkBrain(): Promise<BrainCheck> {
    return this.call("POST", "/api/v1/brain/check", {});
  }
  models(): Promise<ModelCatalog> {
    return this.call("GET", "/api/v1/models");
  }
  pullModel(request: ModelPullRequest): Promise<ModelPull> {
    return this.call("POST", "/api/v1/models/pull", request);
  }
  apiServer(): Promise<ApiServerState> {
    return this.call("GET", "/api/v1/server");
  }
  startApiServer(): Promise<ApiServerState> {
    return Promise.reject(new AgentError(i18n.t("api.notSwitchable"), "", 0, "unsupported"));
  }
  stopApiServer(): Promise<ApiServerState> {
    return Promise.reject(new AgentError(i18n.t("api.notSwitchable"), "", 0, "unsupported"));
  }
  async rotateApiToken(): Promise<ApiServerState> {
    const rotated = await this.call<RotatedToken>("POST", "/api/v1/server/token", {});
    this.token = rotated.token;
    this.onTokenChange?.(rotated.token);
    return this.apiServer();
  }
  openDashboardInBrowser(): Promise<void> {
    window.open(`${this.base}/#token=${this.token}`, "_blank", "noopener");
    return Promise.resolve();
  }
  browserView(): Promise<BrowserView> {
    return this.call("GET", "/api/v1/browser");
  }
  browserNavigate(navigation: BrowserNavigation): Promise<BrowserView> {
    return this.call("POST", "/api/v1/browser/navigate", navigation);
  }
  async browserInput(input: BrowserInput): Promise<void> {
    await this.call("POST", "/api/v1/browser/input", input);
  }
  browserTakeOver(): Promise<BrowserView> {
    return this.call("POST", "/api/v1/browser/take-over", {});
  }
  browserHandBack(): Promise<BrowserView> {
    return this.call("POST", "/api/v1/browser/hand-back", {});
  }
  browserFrames(onFrame: (frame: BrowserFrame) => void, onError?: (error: AgentError) => void): Unsubscribe {
    const abort = new AbortController();
    const run = async () => {
      try {
        const response = await this.fetcher(`${this.base}/api/v1/browser/frames`, {
          headers: { Authorization: `Bearer ${this.token}` },
          signal: abort.signal,
        });
        if (!response.ok || !response.body) throw await failure(response);
        const reader = response.body.getReader();
        const frames = new FrameParser();
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          for (const frame of frames.push(value)) onFrame(frame);
        }
      } catch (error) {
        if (abort.signal.aborted) return;
        onError?.(error instanceof AgentError ? error : new AgentError(i18n.t("errors.offline"), i18n.t("errors.offlineHint"), 0, "offline"));
      }
    };
    void run();
    return () => abort.abort();
  }

  secretNames(passphrase?: string): Promise<SecretNames> {
    return this.call("POST", "/api/v1/secrets/names", { passphrase });
  }
  async setSecret(name: string, value: string, passphrase?: string): Promise<void> {
    await this.call("PUT", `/api/v1/secrets/${encodeURIComponent(name)}`, { value, passphrase });
  }
  async removeSecret(name: string, passphrase?: string): Promise<void> {
    await this.call("POST", `/api/v1/secrets/${encodeURIComponent(name)}/remove`, { passphrase });
  }
  openInSystemBrowser(url: string): Promise<void> {
    // In a browser the system's browser is this one: a new tab, with no way back to this page.
    if (!/^https?:\/\//i.test(url.trim())) return Promise.reject(new AgentError(i18n.t("browser.notWeb", { url }), "", 0, "bad_request"));
    window.open(url.trim(), "_blank", "noopener,noreferrer");
    return Promise.resolve();
  }
  follow(onEvent: (event: EventEnvelope) => void, options: FollowOptions = {}): Unsubscribe {
    const abort = new AbortController();
    let last = options.after;
    const run = async () => {
      for (let attempt = 0; !abort.signal.aborted; ) {
        const query = new URLSearchParams();
        if (options.run) query.set("run", options.run);
        const headers: Record<string, string> = { Authorization: `Bearer ${this.token}` };
        if (last !== undefined) headers["Last-Event-ID"] = String(last);
        try {
          const response = await this.fetcher(`${this.base}/api/v1/events?${query}`, {
            headers,
            signal: abort.signal,
          });
          if (!response.ok || !response.body) throw await failure(response);
          if (attempt > 0) options.onReconnecting?.(false);
          attempt = 0;
          const parser = new SseParser();
          const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
          for (;;) {
            const { value, done } = await reader.read();
            if (done) break;
            for (const message of parser.push(value)) {
              if (message.event === "resync") {
                options.onResync?.();
              } else if (message.event === "dark8") {
                const envelope = JSON.parse(message.data) as EventEnvelope;
                if (last !== undefined && envelope.seq <= last) continue;
                last = envelope.seq;
                onEvent(envelope);
              }
            }
          }
        } catch (error) {
          if (abort.signal.aborted) return;
          if (error instanceof AgentError && error.status === 401) return;
        }
        if (abort.signal.aborted) return;
        options.onReconnecting?.(true);
        await this.sleep(reconnectDelay(attempt));
        attempt += 1;
      }
    };
    void run();
    return () => abort.abort();
  }
}

/** The error an answer carries, as the server words it. */
async function failure(response: Response): Promise<AgentError> {
  try {
    const body = (await response.json()) as {
      error?: { message?: string; hint?: string; code?: string };
    };
    if (body.error?.message) {
      return new AgentError(
        body.error.message,
        body.error.hint ?? "",
        response.status,
        body.error.code ?? "error",
      );
    }
  } catch {
    // Not JSON: fall through.
  }
  return new AgentError(
    i18n.t("errors.unexpected", { status: response.status }),
    i18n.t("errors.unexpectedHint"),
    response.status,
    "error",
  );
}
