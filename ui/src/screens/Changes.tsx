// Zmiany: per run, the files DARK8 changed as diffs (unified or side by side), each tool
// call's changes undoable on its own (the undo journal), and the workspace's git status.
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";

import { AgentError, type AgentClient } from "../client/agent-client";
import type { FileChange } from "../protocol";
import { ErrorLine, ToolRuns, localTime, useLoad, useToolRuns } from "./common";
import { splitRows, unifiedRows } from "./diff";


export function Changes(props: { client: AgentClient; active: boolean; runId?: string; onPick: (run: string) => void }) {
  const { client, active, runId, onPick } = props;
  const { t, i18n } = useTranslation();
  const [split, setSplit] = useState(false);
  const [undoError, setUndoError] = useState<AgentError | undefined>();
  const [undone, setUndone] = useState<string | undefined>();
  const runs = useLoad(() => client.listRuns(100), [client], { active, everyMs: 5000 });
  const changes = useLoad(() => (runId ? client.runChanges(runId) : Promise.resolve([] as FileChange[])), [client, runId]);
  const git = useToolRuns(client);

  const batches = useMemo(() => {
    const groups = new Map<string, FileChange[]>();
    for (const change of changes.data ?? []) groups.set(change.batch, [...(groups.get(change.batch) ?? []), change]);
    return [...groups.entries()];
  }, [changes.data]);

  const undo = async (batch: string) => {
    setUndoError(undefined);
    try {
      const files = await client.undoChange(batch);
      setUndone(t("changes.undone", { count: files.length }));
      changes.reload();
    } catch (error) {
      setUndoError(error instanceof AgentError ? error : new AgentError(String(error), "", 0, "error"));
    }
  };

  return (
    <section className="screen changes" aria-labelledby="changes-title">
      <div className="screen-head">
        <h2 id="changes-title">{t("changes.title")}</h2>
        <div className="screen-actions">
          <label className="toggle">
            <input type="checkbox" checked={split} onChange={(e) => setSplit(e.target.checked)} data-testid="diff-split" />{" "}
            {t("changes.sideBySide")}
          </label>
          <button className="secondary" onClick={() => void git.start(t("changes.gitStatusCommand"), "git_status", {})} data-testid="git-status">
            {t("changes.gitStatus")}
          </button>
        </div>
      </div>
      <ToolRuns runs={git.runs} client={client} />
      <ErrorLine error={git.error ?? runs.error} />
      <div className="split-pane">
        <nav className="run-list" aria-label={t("changes.runs")}>
          {(runs.data ?? []).length === 0 && <p className="muted">{t("changes.noRuns")}</p>}
          <ul>
            {(runs.data ?? []).map((run) => (
              <li key={run.id}>
                <button
                  className={run.id === runId ? "run-pick active" : "run-pick"}
                  aria-current={run.id === runId ? "true" : undefined}
                  onClick={() => onPick(run.id)}
                  data-testid="changes-run"
                  data-run-id={run.id}
                >
                  <span className="command">{run.command}</span>
                  <span className="muted">{localTime(run.started_at, i18n.language)}</span>
                </button>
              </li>
            ))}
          </ul>
        </nav>
        <div className="change-list" data-testid="change-list">
          {!runId && <p className="muted">{t("changes.pickRun")}</p>}
          {runId && !changes.loading && batches.length === 0 && <p className="muted">{t("changes.none")}</p>}
          <ErrorLine error={changes.error ?? undoError} />
          {undone && (
            <p className="muted" role="status">
              {undone}
            </p>
          )}
          {batches.map(([batch, files]) => {
            const isUndone = files.every((f) => f.undone);
            return (
              <article key={batch} className={isUndone ? "change undone" : "change"} data-testid="change" data-undone={isUndone}>
                <header className="change-head">
                  <span className="tool">{files[0].tool}</span>
                  <span className="muted">{localTime(files[0].when, i18n.language)}</span>
                  {isUndone ? (
                    <span className="badge cancelled">{t("changes.wasUndone")}</span>
                  ) : (
                    <button className="danger" onClick={() => void undo(batch)} data-testid="undo-change">
                      {t("changes.undo")}
                    </button>
                  )}
                </header>
                {files.map((file) => (
                  <div key={file.id} className="change-file">
                    <p className="change-path">
                      <span className={`kind ${file.kind}`}>{t(`changes.kind.${file.kind}`)}</span> <code>{file.path}</code>
                    </p>
                    {file.diff ? (
                      <DiffView diff={file.diff} split={split} />
                    ) : (
                      <p className="muted">{t("changes.noPreview")}</p>
                    )}
                  </div>
                ))}
              </article>
            );
          })}
        </div>
      </div>
    </section>
  );
}

function DiffView({ diff, split }: { diff: string; split: boolean }) {
  if (split) {
    return (
      <table className="diff split" data-testid="diff">
        <tbody>
          {splitRows(diff).map((row, i) =>
            row.kind === "hunk" ? (
              <tr key={i} className="hunk">
                <td colSpan={4}>{row.text}</td>
              </tr>
            ) : (
              <tr key={i}>
                <td className="ln">{row.left?.line}</td>
                <td className={row.left?.removed ? "del" : ""}>{row.left?.text}</td>
                <td className="ln">{row.right?.line}</td>
                <td className={row.right?.added ? "add" : ""}>{row.right?.text}</td>
              </tr>
            ),
          )}
        </tbody>
      </table>
    );
  }
  return (
    <table className="diff unified" data-testid="diff">
      <tbody>
        {unifiedRows(diff).map((row, i) => (
          <tr key={i} className={row.kind}>
            <td className="ln">{row.old}</td>
            <td className="ln">{row.new}</td>
            <td>
              {row.kind === "add" ? "+" : row.kind === "del" ? "−" : row.kind === "hunk" ? "" : " "}
              {row.text}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
