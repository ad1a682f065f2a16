// The dashboard in a normal browser, served by `dark8 serve`, over the REST API with the token
// from the URL fragment.
import { useMemo } from "react";
import { Trans, useTranslation } from "react-i18next";

import { HttpAgentClient } from "./client/http";
import { keepToken, takeToken } from "./client/token";
import { Workstation } from "./Workstation";

export function BrowserApp() {
  const { t } = useTranslation();
  const client = useMemo(() => {
    const token = takeToken(window.location, window.sessionStorage, (url) =>
      window.history.replaceState(null, "", url),
    );
    if (!token) return null;
    const client = new HttpAgentClient(window.location.origin, token);
    client.onTokenChange = (next) => keepToken(window.sessionStorage, next);
    return client;
  }, []);
  if (!client) {
    return (
      <div className="shell">
        <section className="card error" role="alert">
          <h2>{t("app.noToken")}</h2>
          <p>
            <Trans i18nKey="app.noTokenHint" components={{ 1: <code />, 3: <code /> }} />
          </p>
        </section>
      </div>
    );
  }
  return <Workstation client={client} />;
}
