// System's background jobs: what `process_spawn` started, whether each still runs, its log
// (refreshed while open and running), a stop through the ordinary approval-guarded
// `process_kill` run, and a form that starts a new job as an ordinary `process_spawn` run.
import { useState } from "react";
import { useTranslation } from "react-i18next";

import type { AgentClient } from "../client/agent-client";
import { formatBytes } from "../client/format";
import { ErrorLine, localTime, useLoad } from "./common";

/** Lines of a job's log shown at once. */
const LOG_LINES = 200;

type StartRun = (command: string, tool: string, args: Record<string, unknown>) => Promise<unknown>;

export function Jobs(props: { client: AgentClient; active: boolean; start: StartRun }) {
  const { client, active, start } = props;
  const { t, i18n } = useTranslation();
  const lang = i18n.language === "en" ? "en" : "pl";
  const jobs = useLoad(() => client.jobs(), [client], { active, everyMs: 2000 });
  const [open, setOpen] = useState<string | undefined>();
  const list = jobs.data ?? [];
  return (
    <>
      <h3 className="section-title">{t("jobs.title")}</h3>
      <ErrorLine error={jobs.error} />
      <NewJob onStart={(command) => void start(t("jobs.startCommand", { command }), "process_spawn", { command })} />
      {list.length === 0 && <p className="muted">{t("jobs.none")}</p>}
      <ul className="jobs" data-testid="jobs">
        {list.map((job) => (
          <li key={job.job} className="job" data-testid="job" data-job={job.job} data-running={job.running}>
            <div className="job-line">
              <code>{job.job}</code> <span className={`badge ${job.running ? "running" : "done"}`}>{job.running ? t("jobs.running") : t("jobs.ended")}</span>{" "}
              <code className="job-command" title={job.cwd}>
                {job.command}
              </code>{" "}
              <span className="muted">
                PID {job.pid} · {localTime(job.started_at, lang)} · {formatBytes(job.log_bytes, lang)}
              </span>{" "}
              <button
                className="secondary"
                aria-expanded={open === job.job}
                onClick={() => setOpen(open === job.job ? undefined : job.job)}
                data-testid="job-log-toggle"
              >
                {open === job.job ? t("jobs.hideLog") : t("jobs.showLog")}
              </button>{" "}
              {job.running && (
                <button
                  className="danger"
                  onClick={() => void start(t("jobs.stopCommand", { job: job.job, pid: job.pid }), "process_kill", { pid: job.pid })}
                  aria-label={t("jobs.stopLabel", { job: job.job })}
                  data-testid="job-stop"
                >
                  {t("jobs.stop")}
                </button>
              )}
            </div>
            {open === job.job && <JobLogView client={client} job={job.job} live={active && job.running} />}
          </li>
        ))}
      </ul>
    </>
  );
}

/** The last lines of one job's output, refreshed every second while it runs. */
function JobLogView({ client, job, live }: { client: AgentClient; job: string; live: boolean }) {
  const { t } = useTranslation();
  const log = useLoad(() => client.jobLog(job, LOG_LINES), [client, job], { active: live, everyMs: 1000 });
  return (
    <div className="job-log">
      <ErrorLine error={log.error} />
      <pre data-testid="job-log" aria-label={t("jobs.logLabel", { job })} tabIndex={0}>
        {log.data ? log.data.output || t("jobs.emptyLog") : "…"}
      </pre>
    </div>
  );
}

/** Starts a shell line in the background (an ordinary `process_spawn` run, approval first). */
function NewJob({ onStart }: { onStart: (command: string) => void }) {
  const { t } = useTranslation();
  const [command, setCommand] = useState("");
  const valid = command.trim().length > 0;
  return (
    <form
      className="search-row"
      onSubmit={(e) => {
        e.preventDefault();
        if (!valid) return;
        onStart(command.trim());
        setCommand("");
      }}
    >
      <label htmlFor="job-command">{t("jobs.new")}</label>
      <input id="job-command" value={command} onChange={(e) => setCommand(e.target.value)} placeholder="python3 -m http.server 8000" data-testid="job-command" />
      <button className="secondary" type="submit" disabled={!valid} data-testid="job-start">
        {t("jobs.start")}
      </button>
    </form>
  );
}
