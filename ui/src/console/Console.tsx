// The console: a Polish command typed in the window, its steps arriving live, approvals
// answered inline, the outcome; rebuilt from the event stream after a reload. The timeline is
// virtualised by run (only the runs near the viewport are in the DOM, heights measured as they
// render), so a session of thousands of steps scrolls as lightly as a short one.
import { useCallback, useEffect, useLayoutEffect, useMemo, useReducer, useRef, useState } from "react";
import { useWindowVirtualizer } from "@tanstack/react-virtual";
import { useTranslation } from "react-i18next";

import { AgentError, type AgentClient, type Launch } from "../client/agent-client";
import { COMPOSER_ID, Composer } from "./Composer";
import { RunCard } from "./RunCard";
import { emptyTimeline, fold } from "./timeline";

/** Where this tab's timeline starts, kept across reloads of the tab. */
const CURSOR_KEY = "dark8.console.after";

/** Within this many pixels of the end, the console follows new output. */
const FOLLOW_SLACK_PX = 120;

function atEnd(): boolean {
  return window.innerHeight + window.scrollY >= document.documentElement.scrollHeight - FOLLOW_SLACK_PX;
}

export function Console({ client, launch }: { client: AgentClient; launch?: { launch: Launch; n: number } }) {
  const { t } = useTranslation();
  const [timeline, dispatch] = useReducer(fold, emptyTimeline);
  const [reconnecting, setReconnecting] = useState(false);
  const [problem, setProblem] = useState<AgentError | null>(null);
  const list = useRef<HTMLDivElement>(null);
  const following = useRef(true);

  useEffect(() => {
    const stored = sessionStorage.getItem(CURSOR_KEY);
    let base = stored === null ? undefined : Number(stored);
    const stop = client.follow(
      (envelope) => {
        if (base === undefined) {
          base = envelope.seq - 1;
          sessionStorage.setItem(CURSOR_KEY, String(base));
        }
        dispatch(envelope);
      },
      { after: base, onReconnecting: setReconnecting },
    );
    return stop;
  }, [client]);

  // Esc anywhere brings the focus back to the composer.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape" && document.activeElement?.id !== COMPOSER_ID) {
        document.getElementById(COMPOSER_ID)?.focus();
      }
    };
    window.addEventListener("keydown", onKey);
    const onScroll = () => {
      following.current = atEnd();
    };
    window.addEventListener("scroll", onScroll, { passive: true });
    return () => {
      window.removeEventListener("keydown", onKey);
      window.removeEventListener("scroll", onScroll);
    };
  }, []);

  const runs = timeline.runs;
  const virtualizer = useWindowVirtualizer({
    count: runs.length,
    estimateSize: () => 160,
    overscan: 4,
    gap: 12,
    getItemKey: (index) => runs[index].id,
    scrollMargin: list.current?.offsetTop ?? 0,
  });

  // New output keeps the end in view while the user is there; scrolled up, they stay put.
  useLayoutEffect(() => {
    if (following.current && runs.length > 0) {
      virtualizer.scrollToIndex(runs.length - 1, { align: "end" });
      window.scrollTo({ top: document.documentElement.scrollHeight });
    }
  }, [timeline, runs.length, virtualizer]);

  const start = useCallback(
    async (command: string) => {
      setProblem(null);
      following.current = true;
      try {
        await client.startCommand({ command });
      } catch (error) {
        setProblem(error instanceof AgentError ? error : new AgentError(String(error), "", 0, "error"));
      }
    },
    [client],
  );

  // What a launch asks: run a command, or put text into the command line for the user to send.
  const [prefill, setPrefill] = useState<{ text: string; n: number } | undefined>();
  useEffect(() => {
    if (!launch) return;
    if (launch.launch.kind === "run") void start(launch.launch.command);
    else setPrefill({ text: launch.launch.kind === "prefill" ? launch.launch.text : "", n: launch.n });
  }, [launch, start]);

  // The shortcuts answer the oldest approval that waits.
  const firstApproval = useMemo(() => {
    let first: { id: string; at: string } | undefined;
    for (const run of runs) {
      for (const p of run.pending) {
        if (!first || p.requested_at < first.at) first = { id: p.request.id, at: p.requested_at };
      }
    }
    return first?.id;
  }, [runs]);

  const running = runs.filter((r) => r.status === "running").length;
  const items = virtualizer.getVirtualItems();
  return (
    <section className="console" aria-label={t("console.label")}>
      <div className="timeline" data-testid="timeline" data-runs={runs.length}>
        {runs.length === 0 && (
          <div className="empty">
            <h2>{t("console.emptyTitle")}</h2>
            <p className="muted">{t("console.emptyHint")}</p>
          </div>
        )}
        <div ref={list} className="virtual-list" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const run = runs[item.index];
            return (
              <div
                key={item.key}
                data-index={item.index}
                ref={virtualizer.measureElement}
                className="virtual-row"
                style={{ transform: `translateY(${item.start - virtualizer.options.scrollMargin}px)` }}
              >
                <RunCard
                  run={run}
                  client={client}
                  firstApproval={run.pending.some((p) => p.request.id === firstApproval) ? firstApproval : undefined}
                />
              </div>
            );
          })}
        </div>
      </div>
      {problem && (
        <p className="problem" role="alert">
          {problem.message} <span className="muted">{problem.hint}</span>
        </p>
      )}
      <Composer onSubmit={start} busy={running} reconnecting={reconnecting} prefill={prefill} />
    </section>
  );
}
