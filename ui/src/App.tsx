import { useCallback, useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { TauriAgentClient } from "./client/tauri";
import type { DoctorCheck, DoctorReport } from "./protocol";
import { Workstation } from "./Workstation";

type Load =
  | { state: "loading" }
  | { state: "ready"; report: DoctorReport; checkedAt: Date }
  | { state: "failed"; message: string };

/** The desktop window: the workstation over Tauri commands and channels. */
export function App() {
  const client = useMemo(() => new TauriAgentClient(), []);
  return <Workstation client={client} />;
}

/** The machine check, loaded by `load` (Tauri command or REST API). */
export function DoctorScreen({ load: loadReport }: { load: () => Promise<DoctorReport> }) {
  const { t } = useTranslation();
  const [load, setLoad] = useState<Load>({ state: "loading" });

  const refresh = useCallback(() => {
    setLoad({ state: "loading" });
    loadReport()
      .then((report) => setLoad({ state: "ready", report, checkedAt: new Date() }))
      .catch((err: unknown) => setLoad({ state: "failed", message: String(err) }));
  }, [loadReport]);

  useEffect(refresh, [refresh]);

  return (
    <section aria-label={t("doctor.label")}>
      {load.state === "ready" && (
        <p className="version-line">
          <span className="version" data-testid="version">
            {t("doctor.version", { version: load.report.version })}
          </span>
        </p>
      )}
      {load.state === "loading" && <p className="muted" data-testid="loading">{t("doctor.loading")}</p>}
      {load.state === "failed" && (
        <section className="card error" role="alert">
          <h2>{t("doctor.failed")}</h2>
          <p>{load.message}</p>
          <button onClick={refresh}>{t("doctor.retry")}</button>
        </section>
      )}
      {load.state === "ready" && <Report report={load.report} checkedAt={load.checkedAt} onRefresh={refresh} />}
    </section>
  );
}

function Report(props: { report: DoctorReport; checkedAt: Date; onRefresh: () => void }) {
  const { report, checkedAt, onRefresh } = props;
  const { t, i18n } = useTranslation();
  const ok = report.checks.filter((c) => c.status === "ok").length;
  const requiredOk = report.checks.every((c) => !c.required || c.status === "ok");
  const required = report.checks.filter((c) => c.required);
  const optional = report.checks.filter((c) => !c.required);

  return (
    <>
      <section className={`summary ${requiredOk ? "good" : "bad"}`} data-testid="summary">
        <div>
          <h2>{requiredOk ? t("doctor.ready") : t("doctor.attention")}</h2>
          <p>
            {t("doctor.checksOk", { ok, total: report.checks.length })}
            {requiredOk ? t("doctor.allRequired") : t("doctor.missingRequired")}
          </p>
        </div>
        <div className="summary-actions">
          <span className="muted">
            {t("doctor.checkedAt", { time: checkedAt.toLocaleTimeString(i18n.language === "en" ? "en-GB" : "pl-PL") })}
          </span>
          <button onClick={onRefresh} data-testid="refresh">
            {t("doctor.refresh")}
          </button>
        </div>
      </section>

      <h3 className="section-title">{t("doctor.required")}</h3>
      <div className="grid">{required.map((c) => <CheckCard key={c.id} check={c} />)}</div>

      <h3 className="section-title">{t("doctor.capabilities")}</h3>
      <div className="grid">{optional.map((c) => <CheckCard key={c.id} check={c} />)}</div>

      <footer className="paths">
        <div>
          <span className="muted">{t("doctor.data")}</span>
          <code data-testid="data-dir">{report.data_dir}</code>
        </div>
        <div>
          <span className="muted">{t("doctor.config")}</span>
          <code data-testid="config-file">{report.config_file}</code>
        </div>
        <div>
          <span className="muted">{t("doctor.terminal")}</span>
          <code>dark8 doctor · dark8 audit verify · dark8 config show</code>
        </div>
      </footer>
    </>
  );
}

function CheckCard({ check }: { check: DoctorCheck }) {
  const { t } = useTranslation();
  const ok = check.status === "ok";
  return (
    <article className={`check ${ok ? "ok" : "missing"}`} data-check-id={check.id} data-status={check.status}>
      <div className="check-head">
        <span className="dot" aria-hidden="true" />
        <span className="label">{check.label}</span>
        <span className={`badge ${ok ? "ok" : "missing"}`}>{ok ? t("doctor.ok") : t("doctor.missing")}</span>
      </div>
      <p className="detail" title={check.detail}>
        {check.detail}
      </p>
      {check.hint && <p className="hint">{check.hint}</p>}
    </article>
  );
}
