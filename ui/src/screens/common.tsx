// What every dashboard screen shares: loading a resource with its Polish error, polling while
// the screen is visible, and tool calls started by a button, followed to their end and shown
// as the console shows them (steps, approval cards, outcome).
import { useCallback, useEffect, useRef, useState } from "react";

import { AgentError, type AgentClient, type Unsubscribe } from "../client/agent-client";
import { RunCard } from "../console/RunCard";
import { emptyTimeline, fold, type RunView } from "../console/timeline";

/** A loaded resource. */
export interface Loaded<T> {
  data?: T;
  error?: AgentError;
  loading: boolean;
  reload: () => void;
}

function asAgentError(error: unknown): AgentError {
  return error instanceof AgentError ? error : new AgentError(String(error), "", 0, "error");
}

/** Loads `load()` now, again on `reload()`, and every `everyMs` while `active` (when given). */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[], poll?: { active: boolean; everyMs: number }): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: AgentError; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    loadRef
      .current()
      .then((data) => live && setState({ data, loading: false }))
      .catch((error: unknown) => live && setState((s) => ({ data: s.data, error: asAgentError(error), loading: false })));
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [tick, ...deps]);
  const active = poll?.active ?? false;
  const every = poll?.everyMs ?? 0;
  useEffect(() => {
    if (!active || every <= 0) return;
    const timer = setInterval(() => setTick((n) => n + 1), every);
    return () => clearInterval(timer);
  }, [active, every]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { ...state, reload };
}

/** Whether the page is visible (a minimized window or a background tab is not). */
export function usePageVisible(): boolean {
  const [visible, setVisible] = useState(() => typeof document === "undefined" || document.visibilityState !== "hidden");
  useEffect(() => {
    const onChange = () => setVisible(document.visibilityState !== "hidden");
    document.addEventListener("visibilitychange", onChange);
    return () => document.removeEventListener("visibilitychange", onChange);
  }, []);
  return visible;
}

/** `e` as an AgentError (a thrown non-AgentError keeps its text). */
export function asError(e: unknown): AgentError {
  return e instanceof AgentError ? e : new AgentError(String(e), "", 0, "error");
}

/** A Polish error line with its hint. */
export function ErrorLine({ error }: { error?: AgentError }) {
  if (!error) return null;
  return (
    <p className="problem" role="alert">
      {error.message} {error.hint && <span className="muted">{error.hint}</span>}
    </p>
  );
}

/** Tool calls started from a screen, each followed on the event stream. */
export function useToolRuns(client: AgentClient, onFinished?: (run: RunView) => void) {
  const [runs, setRuns] = useState<RunView[]>([]);
  const [error, setError] = useState<AgentError | undefined>();
  const stops = useRef<Unsubscribe[]>([]);
  const finished = useRef(onFinished);
  finished.current = onFinished;
  useEffect(() => () => stops.current.forEach((stop) => stop()), []);
  const start = useCallback(
    async (command: string, tool: string, args: Record<string, unknown>) => {
      setError(undefined);
      try {
        const state = await client.startCommand({ command, tool, arguments: args });
        let timeline = emptyTimeline;
        let reported = false;
        const stop = client.follow(
          (envelope) => {
            timeline = fold(timeline, envelope);
            const view = timeline.runs.find((r) => r.id === state.id);
            if (!view) return;
            setRuns((all) => [view, ...all.filter((r) => r.id !== view.id)].slice(0, 5));
            if (view.status !== "running" && !reported) {
              reported = true;
              finished.current?.(view);
            }
          },
          { run: state.id, after: 0 },
        );
        stops.current.push(stop);
        return state.id;
      } catch (e) {
        setError(asAgentError(e));
        return undefined;
      }
    },
    [client],
  );
  return { runs, start, error };
}

/** The runs a screen started, newest first, drawn as on the console. */
export function ToolRuns({ runs, client }: { runs: RunView[]; client: AgentClient }) {
  if (runs.length === 0) return null;
  return (
    <div className="screen-runs" data-testid="screen-runs">
      {runs.map((run) => (
        <RunCard key={run.id} run={run} client={client} />
      ))}
    </div>
  );
}

/** A local time from an RFC 3339 one, in the window's language. */
export function localTime(rfc3339: string, language: string): string {
  const date = new Date(rfc3339);
  if (Number.isNaN(date.getTime())) return rfc3339;
  return date.toLocaleString(language === "en" ? "en-GB" : "pl-PL", { dateStyle: "short", timeStyle: "medium" });
}
