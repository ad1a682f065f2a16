// The console: a Polish command typed in the window, its steps arriving live, approvals
// answered inline, the outcome; rebuilt from the event stream after a reload.
import { useCallback, useEffect, useReducer, useRef, useState } from "react";

import { AgentError, type AgentClient } from "../client/agent-client";
import { countPl, formatDuration } from "../client/format";
import type { PendingApproval, RiskClass, RunStatus } from "../protocol";
import { elapsed, emptyTimeline, fold, type RunView, type StepCard } from "./timeline";

const EXAMPLES = [
  "Ile mam wolnego miejsca na dysku?",
  "Pokaż pliki",
  "Pokaż procesy",
  "Uruchom komendę git --version",
];

const STATUS_PL: Record<RunStatus, string> = {
  running: "w toku",
  done: "gotowe",
  partial: "częściowo",
  failed: "nie udało się",
  denied: "odmowa",
  asked: "pytanie",
  cancelled: "przerwano",
  interrupted: "przerwane",
};

const RISK_PL: Record<RiskClass, string> = {
  read: "odczyt",
  write: "zapis",
  execute: "uruchamianie",
  network: "sieć",
  secret: "sekrety",
};

/** "program:git" -> "git", "host:docs.rs" -> "docs.rs", "dir:src" -> "katalog src". */
function targetLabel(target: string): string {
  const [kind, ...rest] = target.split(":");
  const value = rest.join(":").replaceAll("+", ", ");
  if (kind === "dir") return `katalog ${value}`;
  if (kind === "program" || kind === "host" || kind === "line") return value;
  return target === "*" ? "każde wywołanie" : target;
}

/** Where this tab's timeline starts, kept across reloads of the tab. */
const CURSOR_KEY = "dark8.console.after";
const HISTORY_KEY = "dark8.console.history";

export function Console({ client }: { client: AgentClient }) {
  const [timeline, dispatch] = useReducer(fold, emptyTimeline);
  const [reconnecting, setReconnecting] = useState(false);
  const [problem, setProblem] = useState<AgentError | null>(null);

  useEffect(() => {
    const stored = sessionStorage.getItem(CURSOR_KEY);
    let base = stored === null ? undefined : Number(stored);
    const stop = client.follow(
      (envelope) => {
        if (base === undefined) {
          base = envelope.seq - 1;
          sessionStorage.setItem(CURSOR_KEY, String(base));
        }
        dispatch(envelope);
      },
      { after: base, onReconnecting: setReconnecting },
    );
    return stop;
  }, [client]);

  const start = useCallback(
    async (command: string) => {
      setProblem(null);
      try {
        await client.startCommand({ command });
      } catch (error) {
        setProblem(error instanceof AgentError ? error : new AgentError(String(error), "", 0, "error"));
      }
    },
    [client],
  );

  const running = timeline.runs.filter((r) => r.status === "running").length;
  return (
    <section className="console" aria-label="Konsola">
      <div className="timeline" data-testid="timeline">
        {timeline.runs.length === 0 && (
          <div className="empty">
            <h2>Co mam zrobić?</h2>
            <p className="muted">Napisz polecenie po polsku. Każdy krok zobaczysz tutaj, a o ryzykowne działania zapytam.</p>
          </div>
        )}
        {timeline.runs.map((run) => (
          <RunCard key={run.id} run={run} client={client} />
        ))}
      </div>
      {problem && (
        <p className="problem" role="alert">
          {problem.message} <span className="muted">{problem.hint}</span>
        </p>
      )}
      <Composer onSubmit={start} busy={running} reconnecting={reconnecting} />
    </section>
  );
}

function Composer(props: { onSubmit: (command: string) => void; busy: number; reconnecting: boolean }) {
  const [text, setText] = useState("");
  const [history, setHistory] = useState<string[]>(() => {
    try {
      return JSON.parse(localStorage.getItem(HISTORY_KEY) ?? "[]") as string[];
    } catch {
      return [];
    }
  });
  const [cursor, setCursor] = useState<number | null>(null);
  const input = useRef<HTMLInputElement>(null);

  const submit = () => {
    const command = text.trim();
    if (!command) return;
    const next = [...history.filter((h) => h !== command), command].slice(-100);
    setHistory(next);
    localStorage.setItem(HISTORY_KEY, JSON.stringify(next));
    setCursor(null);
    setText("");
    props.onSubmit(command);
  };

  return (
    <form
      className="composer"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <div className="examples">
        {EXAMPLES.map((example) => (
          <button type="button" key={example} className="chip" onClick={() => { setText(example); input.current?.focus(); }}>
            {example}
          </button>
        ))}
      </div>
      <div className="composer-row">
        <input
          ref={input}
          autoFocus
          data-testid="composer"
          aria-label="Polecenie"
          placeholder="Np. Zbuduj aplikację todo w Django"
          value={text}
          maxLength={4000}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "ArrowUp" && history.length > 0) {
              e.preventDefault();
              const at = cursor === null ? history.length - 1 : Math.max(0, cursor - 1);
              setCursor(at);
              setText(history[at]);
            } else if (e.key === "ArrowDown" && cursor !== null) {
              e.preventDefault();
              const at = cursor + 1;
              setCursor(at < history.length ? at : null);
              setText(at < history.length ? history[at] : "");
            }
          }}
        />
        <button type="submit" className="primary" data-testid="send">
          Wykonaj
        </button>
      </div>
      <p className="muted status-line">
        {props.reconnecting
          ? "Łączę ponownie z DARK8…"
          : props.busy > 0
            ? `W toku: ${countPl(props.busy, { one: "polecenie", few: "polecenia", many: "poleceń" })}`
            : "Enter wykonuje, strzałki przywołują poprzednie polecenia."}
      </p>
    </form>
  );
}

function RunCard({ run, client }: { run: RunView; client: AgentClient }) {
  const duration = elapsed(run.startedAt, run.finishedAt);
  return (
    <article className={`run ${run.status}`} data-testid="run" data-run-id={run.id} data-status={run.status}>
      <header className="run-head">
        <span className="prompt">›</span>
        <span className="command">{run.command}</span>
        <span className={`badge ${run.status}`} data-testid="run-status">{STATUS_PL[run.status]}</span>
        {duration !== undefined && <span className="muted">{formatDuration(duration)}</span>}
        {run.status === "running" && (
          <button className="ghost" onClick={() => void client.cancelRun(run.id)} data-testid="stop">
            Zatrzymaj
          </button>
        )}
      </header>
      <ol className="steps">
        {run.steps.map((step) => (
          <li key={step.callId}>
            <StepRow step={step} />
            {run.pending
              .filter((p) => p.request.call.id === step.callId)
              .map((p) => <ApprovalCard key={p.request.id} pending={p} client={client} />)}
          </li>
        ))}
      </ol>
      {run.pending
        .filter((p) => !run.steps.some((s) => s.callId === p.request.call.id))
        .map((p) => <ApprovalCard key={p.request.id} pending={p} client={client} />)}
      {run.modelText && <p className="model-text muted">Model pisze… {run.modelText.slice(-200)}</p>}
      {run.response && (
        // A one-step answer is that step's summary, already shown.
        <p className="response" data-testid="response" hidden={run.steps.length === 1 && run.steps[0].summary === run.response}>
          {run.response}
        </p>
      )}
      {run.error && (
        <p className="problem">
          {run.error.message} <span className="muted">{run.error.hint}</span>
        </p>
      )}
    </article>
  );
}

const STEP_MARK: Record<StepCard["status"], string> = {
  waiting: "○",
  running: "◐",
  success: "✓",
  error: "✗",
  denied: "⊘",
};

function StepRow({ step }: { step: StepCard }) {
  const [all, setAll] = useState(false);
  const duration = elapsed(step.startedAt, step.finishedAt);
  const lines = all ? step.lines : step.lines.slice(-6);
  return (
    <div className={`step ${step.status}`} data-testid="step" data-status={step.status}>
      <div className="step-head">
        <span className="mark">{STEP_MARK[step.status]}</span>
        <span>{step.description ?? step.tool}</span>
        <code className="tool">{step.tool}</code>
        {duration !== undefined && <span className="muted">{formatDuration(duration)}</span>}
      </div>
      {lines.length > 0 && <pre className="output">{lines.join("\n")}</pre>}
      {step.lines.length > 6 && (
        <button className="link" onClick={() => setAll(!all)}>
          {all ? "pokaż mniej" : `pokaż wszystko (${countPl(step.lines.length, { one: "linia", few: "linie", many: "linii" })})`}
        </button>
      )}
      {step.summary && <p className="summary-line">{step.summary}</p>}
    </div>
  );
}

function ApprovalCard({ pending, client }: { pending: PendingApproval; client: AgentClient }) {
  const { request } = pending;
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string | null>(null);
  const answer = (approved: boolean, grant: "once" | "session" | "always" = "once") =>
    client
      .answerApproval(request.id, { approved, grant, reason: approved ? undefined : reason || undefined })
      .catch((e: unknown) => setError(e instanceof AgentError ? `${e.message} ${e.hint}` : String(e)));
  const target = request.grant_target;
  return (
    <div className="approval" role="group" aria-label="Prośba o zgodę" data-testid="approval">
      <p className="approval-title">
        DARK8 prosi o zgodę: <code>{request.call.tool}</code> <span className={`risk ${request.risk}`}>{RISK_PL[request.risk]}</span>
      </p>
      {request.command_line && <pre className="output">$ {request.command_line}</pre>}
      {request.preview && (
        <pre className="output diff" data-testid="approval-preview">
          {request.preview.split("\n").map((line, i) => (
            <span key={i} className={line.startsWith("+") && !line.startsWith("+++") ? "add" : line.startsWith("-") && !line.startsWith("---") ? "del" : undefined}>
              {line}
              {"\n"}
            </span>
          ))}
        </pre>
      )}
      {request.urls.map((url) => <p key={url} className="muted">→ {url}</p>)}
      {request.paths.map((path) => <p key={path} className="muted">plik: {path}</p>)}
      <p className="muted">Powód: {request.reason}</p>
      {!request.auto_approvable && <p className="muted">To działanie wymaga zgody za każdym razem.</p>}
      <div className="approval-actions">
        <button className="primary" onClick={() => void answer(true)} data-testid="allow-once">
          Zezwól raz
        </button>
        {target && (
          <>
            <button className="secondary" onClick={() => void answer(true, "session")} data-testid="allow-session">
              Na tę sesję
            </button>
            <button className="secondary" onClick={() => void answer(true, "always")} data-testid="allow-always">
              Zawsze dla: {targetLabel(target)}
            </button>
          </>
        )}
        <input
          className="reason"
          placeholder="Powód odmowy (opcjonalnie)"
          value={reason}
          onChange={(e) => setReason(e.target.value)}
        />
        <button className="danger" onClick={() => void answer(false)} data-testid="deny">
          Odmów
        </button>
      </div>
      {error && <p className="problem">{error}</p>}
    </div>
  );
}
