// The workstation's window, the same in the desktop app and in a browser: the console first,
// the machine check beside it, over whichever AgentClient the front end has.
import { useMemo, useState } from "react";

import { DoctorScreen } from "./App";
import type { AgentClient } from "./client/agent-client";
import { Console } from "./console/Console";

type Screen = "console" | "doctor";

export function Workstation({ client }: { client: AgentClient }) {
  const [screen, setScreen] = useState<Screen>("console");
  const doctor = useMemo(() => () => client.doctor(), [client]);
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
