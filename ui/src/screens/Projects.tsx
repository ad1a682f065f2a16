// Projekty: the projects DARK8 made or knows, with their framework, path and how their last
// build, tests, deployment and analysis ended; each action starts an ordinary run (on the
// console's timeline too), and the last analysis's SARIF findings are listed by file and line.
import { useState } from "react";
import { useTranslation } from "react-i18next";

import type { AgentClient, AgentError } from "../client/agent-client";
import type { ProjectActionResult, ProjectSummary } from "../protocol";
import { ErrorLine, ToolRuns, asError, localTime, useLoad, useToolRuns } from "./common";

/** Where the analysis started here writes its SARIF report, inside the project. */
export const SARIF_NAME = "dark8-analysis.sarif";

type Action = "analyze" | "build" | "test" | "generate" | "deploy";

export function Projects({ client, active }: { client: AgentClient; active: boolean }) {
  const { t, i18n } = useTranslation();
  const projects = useLoad(() => client.listProjects(), [client], { active, everyMs: 10_000 });
  const runs = useToolRuns(client, () => projects.reload());
  const [target, setTarget] = useState<Record<string, string>>({});
  const [openError, setOpenError] = useState<AgentError | undefined>();

  const act = (project: ProjectSummary, action: Action) => {
    const path = project.project.path;
    const name = project.project.name;
    const calls: Record<Action, [string, Record<string, unknown>]> = {
      analyze: ["code_analyze", { path, sarif: `${path}/${SARIF_NAME}` }],
      build: ["project_build", { path }],
      test: ["tests_run", { path }],
      generate: ["tests_generate", { path }],
      deploy: ["project_deploy", { path, target: target[path] ?? "tarball" }],
    };
    const [tool, args] = calls[action];
    void runs.start(t(`projects.command.${action}`, { name }), tool, args);
  };

  const result = (label: string, value: ProjectActionResult | undefined | null) => (
    <div className="result">
      <span className="muted">{label}</span>
      {value ? (
        <span title={value.summary}>
          <span className={`badge ${value.status === "success" ? "done" : "failed"}`}>{t(`projects.status.${value.status}`)}</span>{" "}
          <span className="muted">{localTime(value.when, i18n.language)}</span>
        </span>
      ) : (
        <span className="muted">{t("projects.never")}</span>
      )}
    </div>
  );

  return (
    <section className="screen projects" aria-labelledby="projects-title">
      <div className="screen-head">
        <h2 id="projects-title">{t("projects.title")}</h2>
        <button className="secondary" onClick={projects.reload}>
          {t("common.refresh")}
        </button>
      </div>
      <ErrorLine error={projects.error ?? runs.error ?? openError} />
      <ToolRuns runs={runs.runs} client={client} />
      {projects.data?.length === 0 && (
        <div className="empty">
          <h3>{t("projects.emptyTitle")}</h3>
          <p className="muted">{t("projects.emptyHint")}</p>
        </div>
      )}
      <div className="project-grid">
        {(projects.data ?? []).map((p) => (
          <article key={p.project.id} className="project" data-testid="project" data-name={p.project.name}>
            <header className="project-head">
              <h3>{p.project.name}</h3>
              {p.framework && <span className="badge running">{p.framework}</span>}
              {!p.exists && <span className="badge failed">{t("projects.gone")}</span>}
            </header>
            <p>
              <code>{p.project.path}</code>
            </p>
            <div className="results">
              {result(t("projects.build"), p.build)}
              {result(t("projects.tests"), p.tests)}
              {result(t("projects.deploy"), p.deploy)}
              {result(t("projects.analysis"), p.analysis)}
            </div>
            {p.tests && (
              <p className="summary-line" data-testid="project-tests-summary">
                {p.tests.summary}
              </p>
            )}
            <div className="project-actions">
              <button className="secondary" onClick={() => act(p, "analyze")} disabled={!p.exists}>
                {t("projects.analyze")}
              </button>
              <button className="secondary" onClick={() => act(p, "build")} disabled={!p.exists}>
                {t("projects.buildAction")}
              </button>
              <button className="primary" onClick={() => act(p, "test")} disabled={!p.exists} data-testid="project-test">
                {t("projects.testAction")}
              </button>
              <button className="secondary" onClick={() => act(p, "generate")} disabled={!p.exists}>
                {t("projects.generate")}
              </button>
              <label className="inline">
                <span className="visually-hidden">{t("projects.deployTarget")}</span>
                <select
                  value={target[p.project.path] ?? "tarball"}
                  onChange={(e) => setTarget({ ...target, [p.project.path]: e.target.value })}
                  aria-label={t("projects.deployTarget")}
                >
                  <option value="tarball">tarball</option>
                  <option value="docker">docker</option>
                  <option value="systemd">systemd</option>
                </select>
              </label>
              <button className="secondary" onClick={() => act(p, "deploy")} disabled={!p.exists}>
                {t("projects.deployAction")}
              </button>
              {client.openFolder && (
                <button
                  className="ghost"
                  disabled={!p.exists}
                  data-testid="project-open-folder"
                  onClick={() => client.openFolder?.(p.project.path).catch((e: unknown) => setOpenError(asError(e)))}
                >
                  {t("projects.openFolder")}
                </button>
              )}
            </div>
            {p.findings.length > 0 && (
              <details className="findings" open>
                <summary>{t("projects.findings", { count: p.findings.length })}</summary>
                <table>
                  <thead>
                    <tr>
                      <th scope="col">{t("projects.level")}</th>
                      <th scope="col">{t("projects.where")}</th>
                      <th scope="col">{t("projects.what")}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {p.findings.map((f, i) => (
                      <tr key={i} data-testid="finding">
                        <td>
                          <span className={`level ${f.level}`}>{t(`projects.levels.${f.level}`, { defaultValue: f.level })}</span>
                        </td>
                        <td>
                          <code>
                            {f.file}
                            {f.line > 0 ? `:${f.line}` : ""}
                          </code>
                        </td>
                        <td>
                          {f.message} <span className="muted">({f.rule})</span>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </details>
            )}
          </article>
        ))}
      </div>
    </section>
  );
}
