// Audyt: the audit log filtered by action, status and time, the hash chain's verification
// (and the first broken row, marked in the list), every approval decision with its scope.
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";

import type { AgentClient, AuditQuery } from "../client/agent-client";
import type { AuditEntry } from "../protocol";
import { ErrorLine, localTime, useLoad } from "./common";

/** `datetime-local` input value -> RFC 3339 UTC, empty when blank or invalid. */
export function localInputToUtc(value: string): string | undefined {
  if (!value) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

export function Audit({ client, active }: { client: AgentClient; active: boolean }) {
  const { t, i18n } = useTranslation();
  const [draft, setDraft] = useState({ action: "", status: "", since: "", until: "" });
  const [query, setQuery] = useState<AuditQuery>({ limit: 200 });
  const rows = useLoad(() => client.listAudit(query), [client, query], { active, everyMs: 10_000 });
  const check = useLoad(() => client.verifyAudit(), [client, rows.data]);

  const apply = (e?: FormEvent, overrides: Partial<typeof draft> = {}) => {
    e?.preventDefault();
    const next = { ...draft, ...overrides };
    setDraft(next);
    setQuery({
      limit: 200,
      action: next.action.trim() || undefined,
      status: (next.status || undefined) as AuditQuery["status"],
      since: localInputToUtc(next.since),
      until: localInputToUtc(next.until),
    });
  };
  const broken = check.data?.problem ?? undefined;
  const newestFirst: AuditEntry[] = [...(rows.data ?? [])].reverse();

  return (
    <section className="screen audit" aria-labelledby="audit-title">
      <div className="screen-head">
        <h2 id="audit-title">{t("audit.title")}</h2>
        <button className="secondary" onClick={check.reload} data-testid="audit-verify">
          {t("audit.verify")}
        </button>
      </div>
      {check.data && (
        <div className={broken ? "summary bad" : "summary good"} data-testid="audit-chain" data-intact={!broken} role="status">
          <div>
            <h3>{broken ? t("audit.broken") : t("audit.intact")}</h3>
            <p>
              {broken
                ? t(`audit.problem.${broken.kind}`, { id: broken.id })
                : `${t("audit.checked", { count: check.data.rows_checked })} ${t("audit.keyed", { count: check.data.keyed_rows })}`}
            </p>
          </div>
        </div>
      )}
      <ErrorLine error={rows.error ?? check.error} />
      <form className="filters" onSubmit={apply}>
        <label>
          {t("audit.action")}
          <input value={draft.action} onChange={(e) => setDraft({ ...draft, action: e.target.value })} placeholder="fs_write, approval" data-testid="audit-action" />
        </label>
        <label>
          {t("audit.status")}
          <select value={draft.status} onChange={(e) => setDraft({ ...draft, status: e.target.value })} data-testid="audit-status">
            <option value="">{t("audit.any")}</option>
            <option value="success">{t("projects.status.success")}</option>
            <option value="error">{t("projects.status.error")}</option>
            <option value="denied">{t("projects.status.denied")}</option>
          </select>
        </label>
        <label>
          {t("audit.since")}
          <input type="datetime-local" value={draft.since} onChange={(e) => setDraft({ ...draft, since: e.target.value })} />
        </label>
        <label>
          {t("audit.until")}
          <input type="datetime-local" value={draft.until} onChange={(e) => setDraft({ ...draft, until: e.target.value })} />
        </label>
        <button className="primary" type="submit" data-testid="audit-filter">
          {t("audit.filter")}
        </button>
        <button className="secondary" type="button" onClick={() => apply(undefined, { action: "approval" })}>
          {t("audit.approvals")}
        </button>
      </form>
      <table className="audit-table" data-testid="audit-rows">
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">{t("audit.when")}</th>
            <th scope="col">{t("audit.action")}</th>
            <th scope="col">{t("audit.status")}</th>
            <th scope="col">{t("audit.result")}</th>
          </tr>
        </thead>
        <tbody>
          {newestFirst.map((row) => {
            const isBroken = broken?.id === row.id;
            return (
              <tr key={row.id} className={isBroken ? "broken" : row.status} data-testid="audit-row" data-id={row.id} data-broken={isBroken}>
                <td>{row.id}</td>
                <td>{localTime(row.timestamp, i18n.language)}</td>
                <td>
                  <code>{row.action}</code>
                  {row.action === "approval" && <ApprovalScope row={row} />}
                </td>
                <td>
                  <span className={`badge ${row.status === "success" ? "done" : "failed"}`}>{t(`projects.status.${row.status}`)}</span>
                  {isBroken && <span className="badge failed">{t("audit.brokenRow")}</span>}
                </td>
                <td className="audit-result">{row.result}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {newestFirst.length === 0 && !rows.loading && <p className="muted">{t("audit.none")}</p>}
    </section>
  );
}

function ApprovalScope({ row }: { row: AuditEntry }) {
  const { t } = useTranslation();
  const params = row.parameters as { approved?: boolean; grant?: string | null; tool?: string; reason?: string | null };
  return (
    <span className="muted approval-scope">
      {" "}
      {params.tool} · {params.approved ? t(`audit.scope.${params.grant ?? "once"}`) : t("audit.refused")}
      {params.reason ? ` · ${params.reason}` : ""}
    </span>
  );
}
