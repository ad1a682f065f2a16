// The dashboard in a normal browser, served by `dark8 serve`, over the REST API with the token
// from the URL fragment.
import { useMemo } from "react";

import { HttpAgentClient } from "./client/http";
import { takeToken } from "./client/token";
import { Workstation } from "./Workstation";

export function BrowserApp() {
  const client = useMemo(() => {
    const token = takeToken(window.location, window.sessionStorage, (url) =>
      window.history.replaceState(null, "", url),
    );
    return token ? new HttpAgentClient(window.location.origin, token) : null;
  }, []);
  if (!client) {
    return (
      <div className="shell">
        <section className="card error" role="alert">
          <h2>Brak tokenu API</h2>
          <p>
            Otwórz adres, który wypisał <code>dark8 serve</code> (z <code>#token=…</code> na końcu).
          </p>
        </section>
      </div>
    );
  }
  return <Workstation client={client} />;
}
