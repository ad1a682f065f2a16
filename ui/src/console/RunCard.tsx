// One command on the timeline: its header, its steps with their output and approvals, what
// the model is writing (read as prose while it streams) and the outcome. Memoised: the fold
// keeps the objects of runs an event did not touch, so only the run that changed renders.
import { memo, useState } from "react";
import { useTranslation } from "react-i18next";

import type { AgentClient } from "../client/agent-client";
import { formatDuration } from "../client/format";
import { ApprovalCard } from "./ApprovalCard";
import { CHANGING_TOOLS, useOpenChanges } from "./open-changes";
import { streamedAnswer } from "./answer-stream";
import { elapsed, type RunView, type StepCard } from "./timeline";

const STEP_MARK: Record<StepCard["status"], string> = {
  waiting: "○",
  running: "◐",
  success: "✓",
  error: "✗",
  denied: "⊘",
};

export const RunCard = memo(function RunCard(props: {
  run: RunView;
  client: AgentClient;
  /** The approval the shortcuts answer, when it is in this run. */
  firstApproval?: string;
}) {
  const { run, client, firstApproval } = props;
  const { t, i18n } = useTranslation();
  const lang = i18n.language === "en" ? "en" : "pl";
  const duration = elapsed(run.startedAt, run.finishedAt);
  const streamed = streamedAnswer(run.modelText);
  const openChanges = useOpenChanges();
  const changed = run.steps.some((s) => s.status === "success" && CHANGING_TOOLS.has(s.tool));
  return (
    <article className={`run ${run.status}`} data-testid="run" data-run-id={run.id} data-status={run.status}>
      <header className="run-head">
        <span className="prompt">›</span>
        <span className="command">{run.command}</span>
        <span className={`badge ${run.status}`} data-testid="run-status">
          {t(`status.${run.status}`)}
        </span>
        {duration !== undefined && <span className="muted">{formatDuration(duration, lang)}</span>}
        {changed && openChanges && (
          <button className="link" onClick={() => openChanges(run.id)} data-testid="open-changes">
            {t("changes.open")}
          </button>
        )}
        {run.status === "running" && (
          <button className="ghost" onClick={() => void client.cancelRun(run.id)} data-testid="stop">
            {t("console.stop")}
          </button>
        )}
      </header>
      {run.steps.length > 0 && (
        <ol className="steps">
          {run.steps.map((step) => (
            <li key={step.callId}>
              <StepRow step={step} lang={lang} />
              {run.pending
                .filter((p) => p.request.call.id === step.callId)
                .map((p) => (
                  <ApprovalCard key={p.request.id} pending={p} client={client} first={p.request.id === firstApproval} />
                ))}
            </li>
          ))}
        </ol>
      )}
      {run.pending
        .filter((p) => !run.steps.some((s) => s.callId === p.request.call.id))
        .map((p) => (
          <ApprovalCard key={p.request.id} pending={p} client={client} first={p.request.id === firstApproval} />
        ))}
      {run.modelText && streamed.kind === "answer" && (
        <p className="response streaming" data-testid="model-stream" aria-live="polite">
          {streamed.text || t("console.modelWriting")}
          <span className="caret" aria-hidden="true" />
        </p>
      )}
      {run.modelText && streamed.kind !== "answer" && (
        <p className="model-text muted" data-testid="model-stream">
          {streamed.kind === "tool" ? t("console.modelChoosing", { tool: streamed.tool }) : t("console.modelWriting")}
        </p>
      )}
      {run.response && !run.modelText && (
        // A one-step answer is that step's summary, already shown.
        <p
          className="response"
          data-testid="response"
          hidden={run.steps.length === 1 && run.steps[0].summary === run.response}
        >
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
});

function StepRow({ step, lang }: { step: StepCard; lang: "pl" | "en" }) {
  const { t } = useTranslation();
  const [all, setAll] = useState(false);
  const duration = elapsed(step.startedAt, step.finishedAt);
  const lines = all ? step.lines : step.lines.slice(-6);
  return (
    <div className={`step ${step.status}`} data-testid="step" data-status={step.status}>
      <div className="step-head">
        <span className="mark" aria-hidden="true">
          {STEP_MARK[step.status]}
        </span>
        <span>{step.description ?? step.tool}</span>
        <code className="tool">{step.tool}</code>
        {duration !== undefined && <span className="muted">{formatDuration(duration, lang)}</span>}
      </div>
      {lines.length > 0 && <pre className="output">{lines.join("\n")}</pre>}
      {step.lines.length > 6 && (
        <button className="link" onClick={() => setAll(!all)} aria-expanded={all}>
          {all ? t("console.showLess") : t("console.showAll", { count: step.lines.length })}
        </button>
      )}
      {step.summary && <p className="summary-line">{step.summary}</p>}
    </div>
  );
}
