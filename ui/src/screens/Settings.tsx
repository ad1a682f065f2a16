// Ustawienia: the settings a front end may change (language, the brain's provider, model and
// limits, ...), each saved to config.toml and in force for the next command; the model's
// connection test and downloads; permissions (the role tightened, the rules, the standing
// approvals with revoke); the API server; the vault; the doctor. What only a hand edit may
// change is not offered here.
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { DoctorScreen } from "../App";
import { AgentError, type AgentClient } from "../client/agent-client";
import type { WritableSetting } from "../protocol";
import { ErrorLine, useLoad } from "./common";
import { ApiServer } from "./ApiServer";
import { Brain } from "./Brain";
import { Permissions } from "./Permissions";
import { Vault } from "./Vault";

/** Choices of the settings that take one of a few values. */
const CHOICES: Record<string, string[]> = {
  language: ["pl", "en"],
  "llm.provider": ["auto", "none", "ollama", "openai", "embedded"],
  "logging.file_level": ["error", "warn", "info", "debug", "trace"],
};

/** The value at a dotted `key` of the settings view. */
export function valueAt(settings: Record<string, unknown> | undefined, key: string): unknown {
  let node: unknown = settings;
  for (const part of key.split(".")) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

export function Settings({ client }: { client: AgentClient }) {
  const { t, i18n } = useTranslation();
  // The machine check runs when asked (it probes the model server and the browser).
  const [doctor, setDoctor] = useState<(() => ReturnType<AgentClient["doctor"]>) | undefined>();
  const settings = useLoad(() => client.readSettings(), [client]);
  const writable = useLoad(() => client.writableSettings(), [client]);
  const grants = useLoad(() => client.listGrants(), [client]);
  const [saved, setSaved] = useState<string | undefined>();
  const [error, setError] = useState<AgentError | undefined>();

  const save = async (setting: WritableSetting, value: string | number | boolean) => {
    setError(undefined);
    setSaved(undefined);
    try {
      const update = await client.updateSettings({ [setting.key]: value });
      if (update.overridden.includes(setting.key)) setSaved(t("settings.overridden", { key: setting.key }));
      else if (update.on_restart.includes(setting.key)) setSaved(t("settings.onRestart", { key: setting.key }));
      else setSaved(t("settings.applied", { key: setting.key }));
      settings.reload();
    } catch (e) {
      setError(e instanceof AgentError ? e : new AgentError(String(e), "", 0, "error"));
    }
  };
  const active = (grants.data ?? []).filter((g) => !g.revoked_at);

  return (
    <section className="screen settings" aria-labelledby="settings-title">
      <div className="screen-head">
        <h2 id="settings-title">{t("settings.title")}</h2>
      </div>
      <ErrorLine error={error ?? settings.error ?? writable.error ?? grants.error} />
      {saved && (
        <p className="muted notice" role="status" data-testid="settings-saved">
          {saved}
        </p>
      )}
      <h3 className="section-title">{t("settings.brain")}</h3>
      <Brain client={client} provider={valueAt(settings.data, "llm.provider")} onChanged={() => settings.reload()} />
      <div className="settings-list">
        {(writable.data ?? []).filter((setting) => !setting.key.startsWith("server.") && !setting.key.startsWith("policy.")).map((setting) => (
          <SettingRow
            key={setting.key}
            setting={setting}
            value={valueAt(settings.data, setting.key)}
            description={i18n.language === "en" ? setting.description_en : setting.description_pl}
            onSave={(value) => void save(setting, value)}
          />
        ))}
      </div>
      <h3 className="section-title">{t("permissions.title")}</h3>
      <Permissions
        client={client}
        policy={valueAt(settings.data, "policy") as Parameters<typeof Permissions>[0]["policy"]}
        grants={active}
        onChanged={() => {
          settings.reload();
          grants.reload();
        }}
      />
      <h3 className="section-title">{t("api.title")}</h3>
      <ApiServer client={client} />
      <h3 className="section-title">{t("vault.title")}</h3>
      <Vault client={client} />
      <h3 className="section-title">{t("settings.doctor")}</h3>
      {doctor ? (
        <DoctorScreen load={doctor} />
      ) : (
        <button className="secondary" onClick={() => setDoctor(() => () => client.doctor())} data-testid="settings-doctor">
          {t("settings.runDoctor")}
        </button>
      )}
    </section>
  );
}

function SettingRow(props: { setting: WritableSetting; value: unknown; description: string; onSave: (value: string | number | boolean) => void }) {
  const { setting, value, description, onSave } = props;
  const { t } = useTranslation();
  const initial = value === undefined || value === null ? "" : String(value);
  const [draft, setDraft] = useState<string | undefined>(undefined);
  const current = draft ?? initial;
  const id = `setting-${setting.key.replaceAll(".", "-")}`;
  const choices = CHOICES[setting.key];
  const isBool = typeof value === "boolean";
  const isNumber = typeof value === "number";
  const submit = () => {
    if (isBool) onSave(current === "true");
    else if (isNumber) onSave(Number(current));
    else onSave(current);
    setDraft(undefined);
  };
  return (
    <form
      className="setting"
      data-testid="setting"
      data-key={setting.key}
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <label htmlFor={id}>
        <code>{setting.key}</code>
        <span className="muted">{description}</span>
      </label>
      {choices ? (
        <select id={id} value={current} onChange={(e) => setDraft(e.target.value)}>
          {choices.map((choice) => (
            <option key={choice} value={choice}>
              {choice}
            </option>
          ))}
        </select>
      ) : isBool ? (
        <select id={id} value={current} onChange={(e) => setDraft(e.target.value)}>
          <option value="true">{t("settings.yes")}</option>
          <option value="false">{t("settings.no")}</option>
        </select>
      ) : (
        <input id={id} type={isNumber ? "number" : "text"} step="any" value={current} onChange={(e) => setDraft(e.target.value)} />
      )}
      <button className="secondary" type="submit" disabled={draft === undefined || draft === initial}>
        {t("settings.save")}
      </button>
      {!setting.live && <span className="muted">{t("settings.restart")}</span>}
    </form>
  );
}
