import { useCallback, useEffect, useMemo, useState } from "react";
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
  const [load, setLoad] = useState<Load>({ state: "loading" });

  const refresh = useCallback(() => {
    setLoad({ state: "loading" });
    loadReport()
      .then((report) => setLoad({ state: "ready", report, checkedAt: new Date() }))
      .catch((err: unknown) => setLoad({ state: "failed", message: String(err) }));
  }, [loadReport]);

  useEffect(refresh, [refresh]);

  return (
    <section aria-label="Diagnostyka">
      {load.state === "ready" && (
        <p className="version-line">
          <span className="version" data-testid="version">
            wersja {load.report.version}
          </span>
        </p>
      )}
      {load.state === "loading" && <p className="muted" data-testid="loading">Sprawdzam ten komputer…</p>}
      {load.state === "failed" && (
        <section className="card error" role="alert">
          <h2>Nie udało się pobrać raportu</h2>
          <p>{load.message}</p>
          <button onClick={refresh}>Spróbuj ponownie</button>
        </section>
      )}
      {load.state === "ready" && <Report report={load.report} checkedAt={load.checkedAt} onRefresh={refresh} />}
    </section>
  );
}

function Report(props: { report: DoctorReport; checkedAt: Date; onRefresh: () => void }) {
  const { report, checkedAt, onRefresh } = props;
  const ok = report.checks.filter((c) => c.status === "ok").length;
  const requiredOk = report.checks.every((c) => !c.required || c.status === "ok");
  const required = report.checks.filter((c) => c.required);
  const optional = report.checks.filter((c) => !c.required);

  return (
    <>
      <section className={`summary ${requiredOk ? "good" : "bad"}`} data-testid="summary">
        <div>
          <h2>{requiredOk ? "Gotowy do pracy" : "Wymaga uwagi"}</h2>
          <p>
            {ok} z {report.checks.length} sprawdzeń w porządku
            {requiredOk ? "; wszystko, co wymagane, działa." : "; brakuje czegoś wymaganego."}
          </p>
        </div>
        <div className="summary-actions">
          <span className="muted">sprawdzono {checkedAt.toLocaleTimeString("pl-PL")}</span>
          <button onClick={onRefresh} data-testid="refresh">
            Sprawdź ponownie
          </button>
        </div>
      </section>

      <h3 className="section-title">Wymagane</h3>
      <div className="grid">{required.map((c) => <CheckCard key={c.id} check={c} />)}</div>

      <h3 className="section-title">Możliwości</h3>
      <div className="grid">{optional.map((c) => <CheckCard key={c.id} check={c} />)}</div>

      <footer className="paths">
        <div>
          <span className="muted">Dane</span>
          <code data-testid="data-dir">{report.data_dir}</code>
        </div>
        <div>
          <span className="muted">Konfiguracja</span>
          <code data-testid="config-file">{report.config_file}</code>
        </div>
        <div>
          <span className="muted">W terminalu</span>
          <code>dark8 doctor · dark8 audit verify · dark8 config show</code>
        </div>
      </footer>
    </>
  );
}

function CheckCard({ check }: { check: DoctorCheck }) {
  const ok = check.status === "ok";
  return (
    <article className={`check ${ok ? "ok" : "missing"}`} data-check-id={check.id} data-status={check.status}>
      <div className="check-head">
        <span className="dot" aria-hidden="true" />
        <span className="label">{check.label}</span>
        <span className={`badge ${ok ? "ok" : "missing"}`}>{ok ? "OK" : "BRAK"}</span>
      </div>
      <p className="detail" title={check.detail}>
        {check.detail}
      </p>
      {check.hint && <p className="hint">{check.hint}</p>}
    </article>
  );
}
