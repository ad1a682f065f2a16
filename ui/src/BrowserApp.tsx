// The dashboard in a normal browser, served by `dark8 serve`: the console first, the machine
// check beside it, over the REST API with the token from the URL fragment.
import { useMemo, useState } from "react";

import { DoctorScreen } from "./App";
import { HttpAgentClient } from "./client/http";
import { takeToken } from "./client/token";
import { Console } from "./console/Console";

type Screen = "console" | "doctor";

export function BrowserApp() {
  const token = useMemo(
    () => takeToken(window.location, window.sessionStorage, (url) => window.history.replaceState(null, "", url)),
    [],
  );
  const client = useMemo(() => (token ? new HttpAgentClient(window.location.origin, token) : null), [token]);
  const [screen, setScreen] = useState<Screen>("console");
  const doctor = useMemo(() => (client ? () => client.doctor() : null), [client]);

  if (!client || !doctor) {
    return (
      <div className="shell">
        <section className="card error" role="alert">
          <h2>Brak tokenu API</h2>
          <p>Otwórz adres, który wypisał <code>dark8 serve</code> (z <code>#token=…</code> na końcu).</p>
        </section>
      </div>
    );
  }
  return (
    <div className="shell wide">
      <header className="topbar">
        <div className="brand">
          <img src="/logo.png" alt="" className="logo" />
          <div>
            <h1>DARK8 OS</h1>
            <p className="tagline">Lokalna stacja robocza AI, która rozumie polecenia po polsku</p>
          </div>
        </div>
        <nav className="tabs" aria-label="Ekrany">
          <button className={screen === "console" ? "tab active" : "tab"} onClick={() => setScreen("console")} data-testid="tab-console">
            Konsola
          </button>
          <button className={screen === "doctor" ? "tab active" : "tab"} onClick={() => setScreen("doctor")} data-testid="tab-doctor">
            Diagnostyka
          </button>
        </nav>
      </header>
      <main className="content">
        <div hidden={screen !== "console"}>
          <Console client={client} />
        </div>
        {screen === "doctor" && <DoctorScreen load={doctor} />}
      </main>
    </div>
  );
}
