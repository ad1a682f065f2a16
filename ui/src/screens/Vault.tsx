// Ustawienia → Sejf: secrets by name. A value goes in and is never shown again (there is no
// way to read one back here); the file vault's passphrase is typed for these calls only and
// kept in this component's memory, never stored.
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";

import type { AgentClient, AgentError, SecretNames } from "../client/agent-client";
import { ErrorLine, asError } from "./common";

export function Vault({ client }: { client: AgentClient }) {
  const { t } = useTranslation();
  const [passphrase, setPassphrase] = useState("");
  const [names, setNames] = useState<SecretNames | undefined>();
  const [name, setName] = useState("");
  const [value, setValue] = useState("");
  const [error, setError] = useState<AgentError | undefined>();
  const [done, setDone] = useState<string | undefined>();
  const key = passphrase || undefined;

  const work = async (job: () => Promise<string | undefined>) => {
    setError(undefined);
    setDone(undefined);
    try {
      const message = await job();
      setNames(await client.secretNames(key));
      if (message) setDone(message);
    } catch (e) {
      setError(asError(e));
    }
  };
  const store = (e: FormEvent) => {
    e.preventDefault();
    const stored = name.trim();
    void work(async () => {
      await client.setSecret(stored, value, key);
      setValue("");
      setName("");
      return t("vault.stored", { name: stored });
    });
  };

  return (
    <div className="vault" data-testid="vault">
      <p className="muted">{t("vault.intro")}</p>
      <div className="vault-open">
        <label>
          {t("vault.passphrase")}
          <input type="password" autoComplete="off" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} data-testid="vault-passphrase" />
        </label>
        <button className="secondary" onClick={() => void work(async () => undefined)} data-testid="vault-open">
          {t("vault.open")}
        </button>
      </div>
      <ErrorLine error={error} />
      {done && (
        <p className="muted notice" role="status" data-testid="vault-done">
          {done}
        </p>
      )}
      {names && (
        <>
          <p className="muted">{t("vault.backend", {
              backend: t(names.backend === "keychain" ? "vault.backend_keychain" : "vault.backend_file"),
              count: names.names.length,
            })}</p>
          <ul className="grants" data-testid="secret-names">
            {names.names.map((n) => (
              <li key={n} className="grant" data-name={n}>
                <code>{n}</code> <span className="muted">{t("vault.hidden")}</span>{" "}
                <button
                  className="danger"
                  aria-label={t("vault.removeLabel", { name: n })}
                  onClick={() =>
                    void work(async () => {
                      await client.removeSecret(n, key);
                      return t("vault.removed", { name: n });
                    })
                  }
                >
                  {t("vault.remove")}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
      <form className="vault-new" onSubmit={store}>
        <label>
          {t("vault.name")}
          <input value={name} onChange={(e) => setName(e.target.value)} placeholder="GITHUB_TOKEN" data-testid="secret-name" />
        </label>
        <label>
          {t("vault.value")}
          <input type="password" autoComplete="off" value={value} onChange={(e) => setValue(e.target.value)} data-testid="secret-value" />
        </label>
        <button type="submit" className="primary" disabled={!name.trim() || !value} data-testid="secret-store">
          {t("vault.store")}
        </button>
      </form>
    </div>
  );
}
