// The workstation's window, the same in the desktop app and in a browser: the console first,
// then the dashboard's screens (changes, projects, knowledge, audit, system monitors,
// settings, the machine check), over whichever AgentClient the front end has; Polish first,
// English one click away (the core's own answers follow the switch). Alt+1…9 switch screens.
import { useCallback, useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";

import { DoctorScreen } from "./App";
import { AgentError, type AgentClient, type Launch } from "./client/agent-client";
import { Console } from "./console/Console";
import { OpenChangesContext } from "./console/open-changes";
import { Audit } from "./screens/Audit";
import { BrowserPanel } from "./screens/Browser";
import { Changes } from "./screens/Changes";
import { Knowledge } from "./screens/Knowledge";
import { Projects } from "./screens/Projects";
import { Settings } from "./screens/Settings";
import { SystemScreen } from "./screens/System";
import { LANGUAGES, currentLanguage, storedLanguage, switchLanguage, type Language } from "./i18n";

const SCREENS = ["console", "browser", "changes", "projects", "knowledge", "audit", "system", "settings", "doctor"] as const;
type Screen = (typeof SCREENS)[number];

export function Workstation({ client }: { client: AgentClient }) {
  const { t } = useTranslation();
  const [screen, setScreen] = useState<Screen>("console");
  const [notice, setNotice] = useState<string | null>(null);
  const [changesRun, setChangesRun] = useState<string | undefined>();
  const [launch, setLaunch] = useState<{ launch: Launch; n: number } | undefined>();
  const doctor = useMemo(() => () => client.doctor(), [client]);

  // A second start, a dark8:// link or the tray: the console comes up and does what it asks.
  useEffect(
    () =>
      client.launches?.((next) => {
        setScreen("console");
        setLaunch((before) => ({ launch: next, n: (before?.n ?? 0) + 1 }));
      }),
    [client],
  );
  const openChanges = useCallback((run: string) => {
    setChangesRun(run);
    setScreen("changes");
  }, []);

  // Alt+1…9 switch screens (Alt alone: AltGr types letters on a Polish keyboard).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!e.altKey || e.ctrlKey || e.metaKey || e.getModifierState("AltGraph")) return;
      const n = Number(e.key);
      if (Number.isInteger(n) && n >= 1 && n <= SCREENS.length) {
        e.preventDefault();
        setScreen(SCREENS[n - 1]);
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  useEffect(() => {
    if (!notice) return;
    const timer = setTimeout(() => setNotice(null), 6000);
    return () => clearTimeout(timer);
  }, [notice]);

  // Without a choice of its own the window speaks the core's configured language.
  useEffect(() => {
    if (storedLanguage(localStorage)) return;
    client
      .readSettings()
      .then((settings) => {
        if (settings.language === "en" && currentLanguage() !== "en") void switchLanguage("en");
      })
      .catch(() => undefined);
  }, [client]);

  const choose = async (language: Language) => {
    if (language === currentLanguage()) return;
    await switchLanguage(language);
    try {
      await client.updateSettings({ language });
      setNotice(t("app.languageSaved", { lng: language }));
    } catch (error) {
      const message = error instanceof AgentError ? error.message : String(error);
      setNotice(t("app.languageNotSaved", { lng: language, message }));
    }
  };

  return (
    <div className="shell wide">
      <header className="topbar">
        <div className="brand">
          <img src="/logo.png" alt="" className="logo" />
          <div>
            <h1>DARK8 OS</h1>
            <p className="tagline">{t("app.tagline")}</p>
          </div>
        </div>
        <div className="topbar-right">
          <nav className="tabs" aria-label={t("app.screens")}>
            {SCREENS.map((name) => (
              <button
                key={name}
                className={screen === name ? "tab active" : "tab"}
                aria-current={screen === name ? "page" : undefined}
                onClick={() => setScreen(name)}
                data-testid={`tab-${name}`}
                title={`Alt+${SCREENS.indexOf(name) + 1}`}
              >
                {t(`app.${name}`)}
              </button>
            ))}
          </nav>
          <div className="lang-switch" role="group" aria-label={t("app.language")}>
            {LANGUAGES.map((language) => (
              <button
                key={language}
                className="ghost"
                aria-pressed={currentLanguage() === language}
                data-testid={`lang-${language}`}
                onClick={() => void choose(language)}
              >
                {language.toUpperCase()}
              </button>
            ))}
          </div>
        </div>
      </header>
      {notice && (
        <p className="muted notice" role="status">
          {notice}
        </p>
      )}
      <main className="content">
        <OpenChangesContext.Provider value={openChanges}>
          <div hidden={screen !== "console"}>
            <Console client={client} launch={launch} />
          </div>
          {screen === "browser" && <BrowserPanel client={client} active />}
          {screen === "changes" && <Changes client={client} active runId={changesRun} onPick={setChangesRun} />}
          {screen === "projects" && <Projects client={client} active />}
          {screen === "knowledge" && <Knowledge client={client} />}
          {screen === "audit" && <Audit client={client} active />}
          {screen === "system" && <SystemScreen client={client} active />}
          {screen === "settings" && <Settings client={client} />}
          {screen === "doctor" && <DoctorScreen load={doctor} />}
        </OpenChangesContext.Provider>
      </main>
    </div>
  );
}
