// Ustawienia's permissions: the role in force (a front end may only tighten it: owner →
// developer → viewer; loosening is an edit of config.toml), the user's per-tool, command and
// domain rules as the policy reads them, and the standing grants with revoke.
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { AgentError, type AgentClient } from "../client/agent-client";
import type { ApprovalGrant } from "../protocol";
import { ErrorLine, localTime } from "./common";

/** The roles from the most to the least permissive. */
export const ROLES = ["owner", "developer", "viewer"] as const;

/** The roles a front end may choose when `current` is in force: it or a stricter one. */
export function allowedRoles(current: string): string[] {
  const at = ROLES.indexOf(current as (typeof ROLES)[number]);
  return at < 0 ? [...ROLES] : ROLES.slice(at);
}

interface Rule {
  prefix?: string;
  domain?: string;
  action: string;
  reason?: string;
}

interface PolicyView {
  role?: string;
  default_rules?: boolean;
  tools?: Record<string, string>;
  commands?: Rule[];
  domains?: Rule[];
  workspace_roots?: string[];
}

export function Permissions(props: {
  client: AgentClient;
  policy: PolicyView | undefined;
  grants: ApprovalGrant[];
  onChanged: () => void;
}) {
  const { client, policy, grants, onChanged } = props;
  const { t, i18n } = useTranslation();
  const [error, setError] = useState<AgentError | undefined>();
  const [saved, setSaved] = useState<string | undefined>();
  const role = policy?.role ?? "owner";
  const [draft, setDraft] = useState<string | undefined>();
  const fail = (e: unknown) => setError(e instanceof AgentError ? e : new AgentError(String(e), "", 0, "error"));
  const setRole = async () => {
    if (!draft || draft === role) return;
    setError(undefined);
    try {
      await client.updateSettings({ "policy.role": draft });
      setSaved(t("permissions.roleSaved", { role: draft }));
      setDraft(undefined);
      onChanged();
    } catch (e) {
      fail(e);
    }
  };
  const revoke = async (id: string) => {
    try {
      await client.revokeGrant(id);
      onChanged();
    } catch (e) {
      fail(e);
    }
  };
  const tools = Object.entries(policy?.tools ?? {});
  const commands = policy?.commands ?? [];
  const domains = policy?.domains ?? [];
  return (
    <div className="permissions" data-testid="permissions">
      <ErrorLine error={error} />
      {saved && (
        <p className="muted notice" role="status">
          {saved}
        </p>
      )}
      <form
        className="search-row"
        onSubmit={(e) => {
          e.preventDefault();
          void setRole();
        }}
      >
        <label htmlFor="policy-role">{t("permissions.role")}</label>
        <select id="policy-role" value={draft ?? role} onChange={(e) => setDraft(e.target.value)} data-testid="policy-role">
          {ROLES.map((r) => (
            <option key={r} value={r} disabled={!allowedRoles(role).includes(r)}>
              {t(`permissions.roles.${r}`)}
            </option>
          ))}
        </select>
        <button className="secondary" type="submit" disabled={!draft || draft === role} data-testid="policy-role-save">
          {t("settings.save")}
        </button>
      </form>
      <p className="muted">{t("permissions.tightenOnly")}</p>
      <h4>{t("permissions.toolRules")}</h4>
      {tools.length === 0 ? (
        <p className="muted">{t("permissions.noToolRules")}</p>
      ) : (
        <ul className="rules" data-testid="tool-rules">
          {tools.map(([tool, action]) => (
            <li key={tool}>
              <code>{tool}</code> <span className={`badge ${action === "allow" ? "done" : action === "forbid" ? "failed" : "asked"}`}>{t(`permissions.actions.${action}`, action)}</span>
            </li>
          ))}
        </ul>
      )}
      <h4>{t("permissions.commandRules")}</h4>
      <p className="muted">{policy?.default_rules === false ? t("permissions.noDefaults") : t("permissions.defaults")}</p>
      {commands.length > 0 && (
        <ul className="rules" data-testid="command-rules">
          {commands.map((rule) => (
            <li key={rule.prefix}>
              <code>{rule.prefix}</code> <span className="badge asked">{t(`permissions.actions.${rule.action}`, rule.action)}</span> <span className="muted">{rule.reason}</span>
            </li>
          ))}
        </ul>
      )}
      <h4>{t("permissions.domainRules")}</h4>
      {domains.length === 0 ? (
        <p className="muted">{t("permissions.noDomainRules")}</p>
      ) : (
        <ul className="rules" data-testid="domain-rules">
          {domains.map((rule) => (
            <li key={rule.domain}>
              <code>{rule.domain}</code> <span className="badge asked">{t(`permissions.actions.${rule.action}`, rule.action)}</span> <span className="muted">{rule.reason}</span>
            </li>
          ))}
        </ul>
      )}
      {(policy?.workspace_roots ?? []).length > 0 && (
        <p className="muted">
          {t("permissions.roots")} {(policy?.workspace_roots ?? []).map((root) => <code key={root}>{root} </code>)}
        </p>
      )}
      <h4>{t("settings.grants")}</h4>
      {grants.length === 0 && <p className="muted">{t("settings.noGrants")}</p>}
      <ul className="grants" data-testid="grants">
        {grants.map((grant) => (
          <li key={grant.id} className="grant">
            <code>{grant.tool}</code> <span className="muted">{grant.target}</span>{" "}
            <span className="badge running">{t(`audit.scope.${grant.scope}`)}</span>{" "}
            <span className="muted">{localTime(grant.created_at, i18n.language)}</span>{" "}
            <button className="danger" onClick={() => void revoke(grant.id)} aria-label={t("settings.revokeLabel", { tool: grant.tool })}>
              {t("settings.revoke")}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
