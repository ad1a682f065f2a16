// Przeglądarka: the live view of DARK8's Chromium on a canvas (only the newest frame drawn, a
// frame that arrives while one is decoding replaces the waiting one, the stream closed while
// the panel is hidden), an address bar (an address opens, anything else searches through
// web_search), back, forward, reload, tabs and a line of what the agent is doing. Clicks,
// the wheel and typing go into the page; "ty prowadzisz" pauses the agent's browser actions
// and "oddaj agentowi" lets it continue from a fresh observation.
import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent, type MouseEvent, type WheelEvent } from "react";
import { useTranslation } from "react-i18next";

import { type AgentClient, type AgentError, type BrowserFrame, type BrowserInput, type BrowserView } from "../client/agent-client";
import { agentDoing, type AgentDoing } from "./agent-status";
import { ErrorLine, ToolRuns, asError, usePageVisible, useToolRuns } from "./common";

/** Keys sent as keys (not text) into the page. */
const NAMED_KEYS = new Set(["Enter", "Tab", "Backspace", "Escape", "Delete", "ArrowLeft", "ArrowUp", "ArrowRight", "ArrowDown", "Home", "End", "PageUp", "PageDown"]);

/** What the address bar means: an address to open, or words to search for. */
export function addressOrSearch(typed: string): { url: string } | { query: string } | undefined {
  const text = typed.trim();
  if (!text) return undefined;
  if (/^https?:\/\//i.test(text)) return { url: text };
  if (/^(localhost|127\.0\.0\.1)(:\d+)?(\/.*)?$/.test(text)) return { url: `http://${text}` };
  if (!/\s/.test(text) && /^[\w-]+(\.[\w-]+)+(:\d+)?(\/.*)?$/.test(text)) return { url: `https://${text}` };
  return { query: text };
}

export function BrowserPanel(props: { client: AgentClient; active: boolean }) {
  const { client } = props;
  const visible = usePageVisible();
  const active = props.active && visible;
  const { t } = useTranslation();
  const canvas = useRef<HTMLCanvasElement>(null);
  const size = useRef({ width: 1280, height: 800 });
  const [view, setView] = useState<BrowserView | undefined>();
  const [address, setAddress] = useState("");
  // While the address bar has the focus or is being typed in, the poll never overwrites it.
  const editing = useRef(false);
  const [error, setError] = useState<AgentError | undefined>();
  const [fps, setFps] = useState(0);
  const [frames, setFrames] = useState(0);
  const [doing, setDoing] = useState<AgentDoing | undefined>();
  const search = useToolRuns(client);

  // The browser's state: now and every two seconds while shown.
  useEffect(() => {
    if (!active) return;
    const load = () =>
      client
        .browserView()
        .then((v) => {
          setView(v);
          // A blank tab shows an empty address bar, ready for typing.
          const shown = v.url === "about:blank" ? "" : v.url;
          setAddress((a) => (editing.current ? a : shown));
        })
        .catch((e: unknown) => setError(asError(e)));
    load();
    const timer = setInterval(load, 2000);
    return () => clearInterval(timer);
  }, [client, active]);

  // The frames, drawn newest-first, while shown.
  useEffect(() => {
    if (!active) return;
    let waiting: BrowserFrame | undefined;
    let decoding = false;
    let drawn = 0;
    let second = performance.now();
    let inSecond = 0;
    const draw = async () => {
      if (decoding || !waiting) return;
      decoding = true;
      const frame = waiting;
      waiting = undefined;
      try {
        const bitmap = await createImageBitmap(new Blob([frame.jpeg as BlobPart], { type: "image/jpeg" }));
        const el = canvas.current;
        if (el) {
          if (el.width !== bitmap.width || el.height !== bitmap.height) {
            el.width = bitmap.width;
            el.height = bitmap.height;
          }
          el.getContext("2d")?.drawImage(bitmap, 0, 0);
          size.current = { width: frame.width || bitmap.width, height: frame.height || bitmap.height };
          drawn += 1;
          inSecond += 1;
          setFrames(drawn);
        }
        bitmap.close();
      } catch {
        // A broken frame is skipped; the next one replaces it.
      } finally {
        decoding = false;
        const now = performance.now();
        if (now - second >= 1000) {
          setFps(Math.round((inSecond * 1000) / (now - second)));
          second = now;
          inSecond = 0;
        }
        if (waiting) void draw();
      }
    };
    const stop = client.browserFrames(
      (frame) => {
        waiting = frame;
        void draw();
      },
      (e) => setError(e),
    );
    return stop;
  }, [client, active]);

  // What the agent does in the browser, from the event stream.
  useEffect(() => {
    const running = new Map<string, string>();
    let current: AgentDoing | undefined;
    return client.follow((envelope) => {
      const next = agentDoing(current, envelope, running);
      if (next !== current) {
        current = next;
        setDoing(next);
      }
    });
  }, [client]);

  const act = (work: () => Promise<BrowserView | void>) => {
    editing.current = false;
    setError(undefined);
    work()
      .then((v) => v && setView(v))
      .catch((e: unknown) => setError(asError(e)));
  };
  const go = (e: FormEvent) => {
    editing.current = false;
    e.preventDefault();
    const meant = addressOrSearch(address);
    if (!meant) return;
    if ("url" in meant) act(() => client.browserNavigate({ type: "open", url: meant.url }));
    else void search.start(t("browser.searchCommand", { query: meant.query }), "web_search", { query: meant.query });
  };
  const at = (e: MouseEvent | WheelEvent) => {
    const el = e.currentTarget as HTMLCanvasElement;
    const box = el.getBoundingClientRect();
    return {
      x: ((e.clientX - box.left) * size.current.width) / box.width,
      y: ((e.clientY - box.top) * size.current.height) / box.height,
    };
  };
  const send = (input: BrowserInput) => {
    client
      .browserInput(input)
      .then(() => setView((v) => (v ? { ...v, user_driving: true } : v)))
      .catch((e: unknown) => setError(asError(e)));
  };
  const onKey = (e: KeyboardEvent<HTMLCanvasElement>) => {
    if (e.ctrlKey || e.metaKey || (e.altKey && !e.getModifierState("AltGraph"))) return;
    if (NAMED_KEYS.has(e.key)) {
      e.preventDefault();
      send({ type: "key", key: e.key });
    } else if (e.key.length === 1) {
      e.preventDefault();
      send({ type: "text", text: e.key });
    }
  };

  const driving = view?.user_driving ?? false;
  return (
    <section className="screen browser" aria-labelledby="browser-title">
      <div className="screen-head">
        <h2 id="browser-title">{t("browser.title")}</h2>
        <div className="screen-actions">
          <span className="muted" data-testid="browser-fps" data-frames={frames}>
            {t("browser.fps", { fps })}
          </span>
          {view?.url.match(/^https?:\/\//) && (
            <button
              className="ghost"
              data-testid="browser-open-system"
              onClick={() => act(() => client.openInSystemBrowser(view.url))}
            >
              {t("browser.openSystem")}
            </button>
          )}
          {driving ? (
            <button className="primary" onClick={() => act(() => client.browserHandBack())} data-testid="hand-back">
              {t("browser.handBack")}
            </button>
          ) : (
            <button className="secondary" onClick={() => act(() => client.browserTakeOver())} data-testid="take-over">
              {t("browser.takeOver")}
            </button>
          )}
        </div>
      </div>
      <p className={driving ? "driver user" : "driver agent"} data-testid="browser-driver" data-user-driving={driving} role="status">
        {driving ? t("browser.youDrive") : t("browser.agentDrives")}
        {" · "}
        <span data-testid="agent-doing">
          {doing
            ? t(`browser.doing.${doing.key}`, doing.values) +
              (doing.awaitingApproval ? ` (${t("browser.awaitingApproval")})` : doing.running ? "…" : "")
            : t("browser.idle")}
        </span>
      </p>
      <form className="address-bar" onSubmit={go}>
        <button type="button" className="ghost" onClick={() => act(() => client.browserNavigate({ type: "back" }))} aria-label={t("browser.back")} data-testid="browser-back">
          ←
        </button>
        <button type="button" className="ghost" onClick={() => act(() => client.browserNavigate({ type: "forward" }))} aria-label={t("browser.forward")}>
          →
        </button>
        <button type="button" className="ghost" onClick={() => act(() => client.browserNavigate({ type: "reload" }))} aria-label={t("browser.reload")}>
          ⟳
        </button>
        <label htmlFor="browser-address" className="visually-hidden">
          {t("browser.address")}
        </label>
        <input
          id="browser-address"
          value={address}
          onChange={(e) => {
            editing.current = true;
            setAddress(e.target.value);
          }}
          onFocus={() => {
            editing.current = true;
          }}
          onBlur={() => {
            editing.current = false;
          }}
          placeholder={t("browser.addressPlaceholder")}
          data-testid="browser-address"
        />
        <button className="primary" type="submit">
          {t("browser.go")}
        </button>
      </form>
      {view && view.tabs.length > 0 && (
        <div className="browser-tabs" role="tablist" aria-label={t("browser.tabs")}>
          {view.tabs.map((tab) => (
            <button
              key={tab.number}
              role="tab"
              aria-selected={tab.current}
              className={tab.current ? "tab active" : "tab"}
              onClick={() => act(() => client.browserNavigate({ type: "switch_tab", number: tab.number }))}
              title={tab.url}
            >
              {tab.title || tab.url || t("browser.emptyTab")}
            </button>
          ))}
        </div>
      )}
      <ErrorLine error={error ?? search.error} />
      <ToolRuns runs={search.runs} client={client} />
      <canvas
        ref={canvas}
        className="live-view"
        tabIndex={0}
        aria-label={t("browser.canvas")}
        data-testid="browser-canvas"
        onClick={(e) => {
          e.currentTarget.focus();
          send({ type: "click", ...at(e) });
        }}
        onWheel={(e) => send({ type: "wheel", ...at(e), dx: e.deltaX, dy: e.deltaY })}
        onKeyDown={onKey}
      />
    </section>
  );
}
