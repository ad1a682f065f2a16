// System: live charts (about once a second, paused while the screen is hidden) of the
// processor per core, memory, network and disks; the busiest processes, each endable through
// an ordinary, approval-guarded `process_kill` run; the background jobs with their logs.
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";

import { AgentError, type AgentClient, type MachineMetrics } from "../client/agent-client";
import { formatBytes } from "../client/format";
import { Chart } from "./Chart";
import { Jobs } from "./Jobs";
import { ErrorLine, ToolRuns, useLoad, usePageVisible, useToolRuns } from "./common";

/** Samples kept per chart (a minute at 1 Hz). */
export const WINDOW = 60;

/** The charts' series, oldest sample first. */
export interface Samples {
  at: number[];
  cores: number[][];
  memory: number[];
  swap: number[];
  received: number[];
  sent: number[];
  last?: { at: number; received: number; sent: number };
}

export const noSamples: Samples = { at: [], cores: [], memory: [], swap: [], received: [], sent: [] };

/** `samples` with one more measurement, at most [`WINDOW`] kept; network as KiB/s. */
export function addSample(samples: Samples, metrics: MachineMetrics, atSeconds: number): Samples {
  const keep = <T,>(list: T[], value: T) => [...list, value].slice(-WINDOW);
  const cores = metrics.cpu?.cores ?? [];
  const received = (metrics.network ?? []).reduce((sum, n) => sum + n.received_bytes, 0);
  const sent = (metrics.network ?? []).reduce((sum, n) => sum + n.transmitted_bytes, 0);
  const seconds = samples.last ? Math.max(atSeconds - samples.last.at, 0.001) : 0;
  const rate = (now: number, before?: number) => (samples.last && before !== undefined ? Math.max(now - before, 0) / 1024 / seconds : 0);
  const memory = metrics.memory;
  return {
    at: keep(samples.at, atSeconds),
    cores: cores.map((core, i) => keep(samples.cores[i] ?? new Array<number>(samples.at.length).fill(0), core.usage_percent)),
    memory: keep(samples.memory, memory ? (100 * memory.used_bytes) / Math.max(memory.total_bytes, 1) : 0),
    swap: keep(samples.swap, memory && memory.swap_total_bytes > 0 ? (100 * memory.swap_used_bytes) / memory.swap_total_bytes : 0),
    received: keep(samples.received, rate(received, samples.last?.received)),
    sent: keep(samples.sent, rate(sent, samples.last?.sent)),
    last: { at: atSeconds, received, sent },
  };
}

export function SystemScreen(props: { client: AgentClient; active: boolean }) {
  const { client } = props;
  const visible = usePageVisible();
  const active = props.active && visible;
  const { t, i18n } = useTranslation();
  const lang = i18n.language === "en" ? "en" : "pl";
  const [samples, setSamples] = useState<Samples>(noSamples);
  const [metrics, setMetrics] = useState<MachineMetrics | undefined>();
  const [error, setError] = useState<AgentError | undefined>();
  const busy = useRef(false);
  const processes = useLoad(() => client.processes(), [client], { active, everyMs: 3000 });
  const runs = useToolRuns(client, () => processes.reload());

  useEffect(() => {
    if (!active) return;
    const sample = () => {
      if (busy.current) return;
      busy.current = true;
      client
        .metrics()
        .then((m) => {
          setMetrics(m);
          setError(undefined);
          setSamples((s) => addSample(s, m, Date.now() / 1000));
        })
        .catch((e: unknown) => setError(e instanceof AgentError ? e : new AgentError(String(e), "", 0, "error")))
        .finally(() => {
          busy.current = false;
        });
    };
    sample();
    const timer = setInterval(sample, 1000);
    return () => clearInterval(timer);
  }, [client, active]);

  const cores = metrics?.cpu?.cores ?? [];
  const top = (processes.data ?? []).slice(0, 15);
  return (
    <section className="screen system" aria-labelledby="system-title">
      <div className="screen-head">
        <h2 id="system-title">{t("system.title")}</h2>
        <span className="muted" data-testid="system-live" data-live={active}>
          {active ? t("system.live") : t("system.paused")}
        </span>
      </div>
      <ErrorLine error={error ?? processes.error ?? runs.error} />
      <div className="charts">
        <Chart
          title={t("system.cpu", { value: Math.round(metrics?.cpu?.usage_percent ?? 0) })}
          data={[samples.at, ...samples.cores]}
          series={cores.map((_, i) => t("system.core", { n: i + 1 }))}
          unit="%"
          max={100}
          lang={lang}
          timeLabel={t("system.time")}
          testId="chart-cpu"
        />
        <Chart
          title={t("system.memory", {
            used: formatBytes(metrics?.memory?.used_bytes ?? 0, lang),
            total: formatBytes(metrics?.memory?.total_bytes ?? 0, lang),
          })}
          data={[samples.at, samples.memory, samples.swap]}
          series={[t("system.ram"), t("system.swap")]}
          unit="%"
          max={100}
          lang={lang}
          timeLabel={t("system.time")}
          testId="chart-memory"
        />
        <Chart
          title={t("system.network")}
          data={[samples.at, samples.received, samples.sent]}
          series={[t("system.received"), t("system.sent")]}
          unit=" KiB/s"
          lang={lang}
          timeLabel={t("system.time")}
          testId="chart-network"
        />
        <figure className="chart disks" data-testid="disks">
          <figcaption>{t("system.disks")}</figcaption>
          <ul>
            {(metrics?.disks ?? []).map((disk) => {
              const used = disk.total_bytes - disk.available_bytes;
              const percent = Math.round((100 * used) / Math.max(disk.total_bytes, 1));
              return (
                <li key={`${disk.name}-${disk.mount_point}`}>
                  <div className="disk-line">
                    <code>{disk.mount_point}</code>
                    <span className="muted">
                      {t("system.free", { free: formatBytes(disk.available_bytes, lang), total: formatBytes(disk.total_bytes, lang) })}
                    </span>
                  </div>
                  <div className="bar" role="meter" aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent} aria-label={disk.mount_point}>
                    <span style={{ width: `${percent}%` }} />
                  </div>
                </li>
              );
            })}
          </ul>
        </figure>
      </div>
      <ToolRuns runs={runs.runs} client={client} />
      <h3 className="section-title">{t("system.processes")}</h3>
      <table className="processes" data-testid="processes">
        <thead>
          <tr>
            <th scope="col">PID</th>
            <th scope="col">{t("system.name")}</th>
            <th scope="col">CPU</th>
            <th scope="col">{t("system.ram")}</th>
            <th scope="col">
              <span className="visually-hidden">{t("system.actions")}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {top.map((p) => (
            <tr key={p.pid} data-testid="process" data-pid={p.pid}>
              <td>{p.pid}</td>
              <td title={p.command}>
                <code>{p.name}</code>
              </td>
              <td>{p.cpu_percent.toFixed(1)}%</td>
              <td>{formatBytes(p.memory_bytes, lang)}</td>
              <td>
                <button
                  className="danger"
                  onClick={() => void runs.start(t("system.killCommand", { name: p.name, pid: p.pid }), "process_kill", { pid: p.pid })}
                  aria-label={t("system.killLabel", { name: p.name, pid: p.pid })}
                  data-testid="kill"
                >
                  {t("system.kill")}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <KillByPid onKill={(pid) => void runs.start(t("system.killCommand", { name: "", pid }), "process_kill", { pid })} />
      <Jobs client={client} active={active} start={runs.start} />
    </section>
  );
}

/** Ends a process that is not among the busiest, by its number. */
function KillByPid({ onKill }: { onKill: (pid: number) => void }) {
  const { t } = useTranslation();
  const [pid, setPid] = useState("");
  const valid = /^\d+$/.test(pid.trim()) && Number(pid) > 0;
  return (
    <form
      className="search-row"
      onSubmit={(e) => {
        e.preventDefault();
        if (valid) onKill(Number(pid));
      }}
    >
      <label htmlFor="kill-pid">{t("system.killByPid")}</label>
      <input id="kill-pid" inputMode="numeric" value={pid} onChange={(e) => setPid(e.target.value)} data-testid="kill-pid" />
      <button className="danger" type="submit" disabled={!valid} data-testid="kill-pid-go">
        {t("system.kill")}
      </button>
    </form>
  );
}
