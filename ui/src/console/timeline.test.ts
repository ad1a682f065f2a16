import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

import { SseParser } from "../client/sse";
import type { EventEnvelope } from "../protocol";
import { emptyTimeline, fold } from "./timeline";

const recorded = new SseParser()
  .push(readFileSync(new URL("../client/fixtures/run-events.sse", import.meta.url), "utf8"))
  .map((m) => JSON.parse(m.data) as EventEnvelope);

describe("fold", () => {
  it("turns a recorded run into one run with its finished step and outcome", () => {
    const timeline = recorded.reduce(fold, emptyTimeline);
    expect(timeline.runs).toHaveLength(1);
    const run = timeline.runs[0];
    expect(run.command).toBe("Pokaż pliki");
    expect(run.status).toBe("done");
    expect(run.steps).toHaveLength(1);
    expect(run.steps[0].status).toBe("success");
    expect(run.steps[0].description).toBeTruthy();
    expect(run.response).toBeTruthy();
    expect(timeline.lastSeq).toBe(recorded[recorded.length - 1].seq);
  });

  it("ignores events it has already seen, so a replay after a reload changes nothing", () => {
    const once = recorded.reduce(fold, emptyTimeline);
    const twice = recorded.reduce(fold, once);
    expect(twice).toBe(once);
  });

  it("shows a waiting approval until it is decided", () => {
    const base = { session: "s", run: "run-1", timestamp: "2026-12-02T10:00:00.000Z" };
    const request = {
      id: "approval-7",
      call: { id: "c1", tool: "shell_run", arguments: { command: "touch a" } },
      risk: "execute" as const,
      reason: "rola wymaga potwierdzenia",
      auto_approvable: true,
      paths: [],
      urls: [],
    };
    let t = fold(emptyTimeline, { ...base, seq: 1, event: { type: "command_received", command: { text: "Uruchom komendę touch a", source: "api" } } });
    t = fold(t, { ...base, seq: 2, event: { type: "approval_requested", request } });
    expect(t.runs[0].pending.map((p) => p.request.id)).toEqual(["approval-7"]);
    t = fold(t, { ...base, seq: 3, event: { type: "approval_decided", decision: { request_id: "approval-7", approved: true, grant: "once" } } });
    expect(t.runs[0].pending).toEqual([]);
  });
});
