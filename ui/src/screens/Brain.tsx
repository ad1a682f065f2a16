// Ustawienia's brain: a connection test of the configured model (what it answered and how
// fast), the embedded engine's models with a download that shows its progress (the same
// resumable, SHA-256-checked download as `dark8 model pull`), and "use this model".
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";

import { AgentError, type AgentClient } from "../client/agent-client";
import { formatBytes } from "../client/format";
import type { BrainCheck, ModelPull } from "../protocol";
import { ErrorLine, useLoad } from "./common";

/** How often the list refreshes while a download runs. */
const PULL_POLL_MS = 500;

function asError(e: unknown): AgentError {
  return e instanceof AgentError ? e : new AgentError(String(e), "", 0, "error");
}

export function Brain({ client, provider, onChanged }: { client: AgentClient; provider: unknown; onChanged: () => void }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language === "en" ? "en" : "pl";
  const [downloading, setDownloading] = useState(false);
  const catalog = useLoad(() => client.models(), [client], { active: downloading, everyMs: PULL_POLL_MS });
  const [error, setError] = useState<AgentError | undefined>();
  const running = (catalog.data?.pulls ?? []).some((p) => p.state === "running");
  useEffect(() => setDownloading(running), [running]);

  const pull = async (name: string, url?: string, sha256?: string) => {
    setError(undefined);
    try {
      await client.pullModel({ name, url: url ?? null, sha256: sha256 ?? null });
      setDownloading(true);
      catalog.reload();
    } catch (e) {
      setError(asError(e));
    }
  };
  const use = async (model: string) => {
    setError(undefined);
    try {
      const changes: Record<string, string> = { "llm.embedded_model": model };
      if (provider !== "auto" && provider !== "embedded") changes["llm.provider"] = "embedded";
      await client.updateSettings(changes);
      catalog.reload();
      onChanged();
    } catch (e) {
      setError(asError(e));
    }
  };
  const pullOf = (file: string): ModelPull | undefined => (catalog.data?.pulls ?? []).find((p) => p.file === file);

  return (
    <div className="brain" data-testid="brain">
      <ConnectionTest client={client} />
      <ErrorLine error={error ?? catalog.error} />
      {catalog.data && !catalog.data.embedded_built_in && <p className="muted">{t("brain.notBuiltIn")}</p>}
      <ul className="models" data-testid="models">
        {(catalog.data?.models ?? []).map((model) => {
          const download = pullOf(model.file);
          const label = model.name ?? model.file;
          return (
            <li key={model.file} className="model" data-testid="model" data-file={model.file} data-downloaded={model.downloaded}>
              <code>{label}</code> <span className="muted">{formatBytes(model.size_bytes, lang)}</span>{" "}
              {model.selected && <span className="badge done">{t("brain.selected")}</span>}
              {model.downloaded && !model.selected && (
                <button className="secondary" onClick={() => void use(model.name ?? model.file)} aria-label={t("brain.useLabel", { model: label })} data-testid="model-use">
                  {t("brain.use")}
                </button>
              )}
              {!model.downloaded && download?.state !== "running" && (
                <button className="secondary" onClick={() => void pull(model.name ?? model.file)} aria-label={t("brain.pullLabel", { model: label })} data-testid="model-pull">
                  {t("brain.pull")}
                </button>
              )}
              {download && <PullProgress pull={download} lang={lang} />}
            </li>
          );
        })}
        {(catalog.data?.pulls ?? [])
          .filter((p) => !(catalog.data?.models ?? []).some((m) => m.file === p.file))
          .map((p) => (
            <li key={p.file} className="model" data-testid="model" data-file={p.file} data-downloaded={false}>
              <code>{p.file}</code> <PullProgress pull={p} lang={lang} />
            </li>
          ))}
      </ul>
      <OtherModel onPull={(name, url, sha) => void pull(name, url, sha)} />
      {catalog.data && <p className="muted">{t("brain.dir", { dir: catalog.data.dir })}</p>}
    </div>
  );
}

/** A download's progress: a bar with bytes so far, or how it ended. */
function PullProgress({ pull, lang }: { pull: ModelPull; lang: "pl" | "en" }) {
  const { t } = useTranslation();
  const total = pull.total_bytes ?? 0;
  const percent = total > 0 ? Math.floor((100 * pull.done_bytes) / total) : 0;
  if (pull.state === "failed") {
    return (
      <span className="bad" role="alert" data-testid="pull-failed">
        {pull.error}
      </span>
    );
  }
  if (pull.state === "done") {
    return (
      <span className="badge done" data-testid="pull-done">
        {t("brain.pulled")}
      </span>
    );
  }
  return (
    <span className="pull" data-testid="pull-progress" data-done={pull.done_bytes} data-total={pull.total_bytes ?? ""}>
      <progress max={total > 0 ? total : undefined} value={total > 0 ? pull.done_bytes : undefined} aria-label={t("brain.progressLabel", { file: pull.file })} />{" "}
      <span className="muted">
        {total > 0
          ? t("brain.progress", { done: formatBytes(pull.done_bytes, lang), total: formatBytes(total, lang), percent })
          : formatBytes(pull.done_bytes, lang)}
      </span>
    </span>
  );
}

/** The connection test: asks the configured model a one-word question. */
function ConnectionTest({ client }: { client: AgentClient }) {
  const { t } = useTranslation();
  const [result, setResult] = useState<BrainCheck | undefined>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AgentError | undefined>();
  const test = async () => {
    setBusy(true);
    setError(undefined);
    try {
      setResult(await client.checkBrain());
    } catch (e) {
      setError(asError(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="brain-check">
      <button className="secondary" onClick={() => void test()} disabled={busy} data-testid="brain-check">
        {busy ? t("brain.checking") : t("brain.check")}
      </button>
      <ErrorLine error={error} />
      {result && (
        <p role="status" data-testid="brain-check-result" data-ok={result.ok}>
          <span className={`badge ${result.ok ? "ok" : "missing"}`}>{result.ok ? t("brain.answers") : t("brain.noAnswer")}</span>{" "}
          {result.active && <code>{result.active}</code>} {result.detail}
          {result.answer && (
            <>
              {" "}
              {t("brain.answer")} <q data-testid="brain-answer">{result.answer}</q>
            </>
          )}
          {result.hint && <span className="muted"> {result.hint}</span>}
        </p>
      )}
    </div>
  );
}

/** A model DARK8 does not know: a file name, its URL and its SHA-256. */
function OtherModel({ onPull }: { onPull: (name: string, url: string, sha256: string) => void }) {
  const { t } = useTranslation();
  const [name, setName] = useState("");
  const [url, setUrl] = useState("");
  const [sha, setSha] = useState("");
  const valid = name.trim() !== "" && /^https?:\/\//.test(url.trim()) && /^[0-9a-fA-F]{64}$/.test(sha.trim());
  return (
    <details className="other-model">
      <summary>{t("brain.other")}</summary>
      <form
        className="other-model-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (valid) onPull(name.trim(), url.trim(), sha.trim());
        }}
      >
        <label htmlFor="model-name">{t("brain.fileName")}</label>
        <input id="model-name" value={name} onChange={(e) => setName(e.target.value)} placeholder="moj-model.gguf" data-testid="model-name" />
        <label htmlFor="model-url">{t("brain.url")}</label>
        <input id="model-url" type="url" value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://…/model.gguf" data-testid="model-url" />
        <label htmlFor="model-sha">SHA-256</label>
        <input id="model-sha" value={sha} onChange={(e) => setSha(e.target.value)} spellCheck={false} data-testid="model-sha" />
        <button className="secondary" type="submit" disabled={!valid} data-testid="model-pull-other">
          {t("brain.pull")}
        </button>
      </form>
    </details>
  );
}
