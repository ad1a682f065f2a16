// Ustawienia's API: the local REST API and the browser dashboard. In the desktop app the
// server runs in-process: switched on and off here, at a chosen port (kept for the next
// start); in a browser, the page talks to a server it cannot stop. Either way: where it
// listens, the dashboard's address, and a token rotation that shuts out every old client.
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";

import { AgentError, type AgentClient } from "../client/agent-client";
import type { ApiServerState } from "../protocol";
import { ErrorLine, useLoad } from "./common";

function asError(e: unknown): AgentError {
  return e instanceof AgentError ? e : new AgentError(String(e), "", 0, "error");
}

export function ApiServer({ client }: { client: AgentClient }) {
  const { t } = useTranslation();
  const loaded = useLoad(() => client.apiServer(), [client]);
  const [server, setServer] = useState<ApiServerState | undefined>();
  const [port, setPort] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AgentError | undefined>();
  const [notice, setNotice] = useState<string | undefined>();
  useEffect(() => {
    if (!loaded.data) return;
    setServer(loaded.data);
    setPort((p) => p || String(loaded.data?.port ?? 8731));
  }, [loaded.data]);
  const work = async (action: () => Promise<ApiServerState>, done?: string) => {
    setBusy(true);
    setError(undefined);
    setNotice(undefined);
    try {
      setServer(await action());
      if (done) setNotice(done);
    } catch (e) {
      setError(asError(e));
      loaded.reload();
    } finally {
      setBusy(false);
    }
  };
  const portNumber = Number(port);
  const portValid = /^\d+$/.test(port) && portNumber >= 1024 && portNumber <= 65535;
  const state = server ?? loaded.data;
  return (
    <div className="api-server" data-testid="api-server" data-running={state?.running ?? false}>
      <ErrorLine error={error ?? loaded.error} />
      {state?.error && !state.running && (
        <p className="bad" role="alert">
          {state.error}
        </p>
      )}
      <p role="status" data-testid="api-status">
        <span className={`badge ${state?.running ? "ok" : "missing"}`}>{state?.running ? t("api.on") : t("api.off")}</span>{" "}
        {state?.api_url && <code data-testid="api-url">{state.api_url}</code>}
      </p>
      {state?.switchable && (
        <form
          className="search-row"
          onSubmit={(e) => {
            e.preventDefault();
            if (portValid) void work(() => client.startApiServer(portNumber));
          }}
        >
          <label htmlFor="api-port">{t("api.port")}</label>
          <input id="api-port" inputMode="numeric" value={port} onChange={(e) => setPort(e.target.value)} data-testid="api-port" />
          <button className="secondary" type="submit" disabled={busy || !portValid} data-testid="api-start">
            {state.running ? t("api.move") : t("api.start")}
          </button>
          {state.running && (
            <button className="danger" type="button" disabled={busy} onClick={() => void work(() => client.stopApiServer())} data-testid="api-stop">
              {t("api.stop")}
            </button>
          )}
        </form>
      )}
      {!state?.switchable && state && <p className="muted">{t("api.notSwitchable")}</p>}
      {state?.dashboard_url && (
        <p>
          {t("api.dashboard")} <code data-testid="api-dashboard-url">{state.dashboard_url}</code>{" "}
          {state.switchable && (
            <button
              className="secondary"
              onClick={() =>
                void client.openDashboardInBrowser().catch((e: unknown) => setError(asError(e)))
              }
              data-testid="api-open-dashboard"
            >
              {t("api.openDashboard")}
            </button>
          )}
        </p>
      )}
      <p className="muted">
        {t("api.tokenFile")} <code>{state?.token_file}</code>
      </p>
      {state?.running && (
        <button className="danger" disabled={busy} onClick={() => void work(() => client.rotateApiToken(), t("api.rotated"))} data-testid="api-rotate">
          {t("api.rotate")}
        </button>
      )}
      {notice && (
        <p className="muted notice" role="status" data-testid="api-notice">
          {notice}
        </p>
      )}
    </div>
  );
}
