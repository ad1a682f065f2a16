import { describe, expect, it } from "vitest";

import type { EventEnvelope } from "../protocol";
import { agentDoing } from "./agent-status";
import { addressOrSearch } from "./Browser";

describe("the browser panel", () => {
  it("opens addresses and searches for words", () => {
    expect(addressOrSearch("https://docs.rs/tokio")).toEqual({ url: "https://docs.rs/tokio" });
    expect(addressOrSearch("docs.rs/tokio")).toEqual({ url: "https://docs.rs/tokio" });
    expect(addressOrSearch("127.0.0.1:8000/a")).toEqual({ url: "http://127.0.0.1:8000/a" });
    expect(addressOrSearch("dokumentacja tokio")).toEqual({ query: "dokumentacja tokio" });
    expect(addressOrSearch("   ")).toBeUndefined();
  });

  it("says what the agent does in the browser", () => {
    const envelope = (event: EventEnvelope["event"], seq: number): EventEnvelope => ({ seq, timestamp: "2026-12-02T10:00:00Z", run: "r1", event });
    const running = new Map<string, string>();
    let doing = agentDoing(undefined, envelope({ type: "tool_started", call: { id: "c1", tool: "browser_click", arguments: { number: 7, text: "Szukaj" } } }, 1), running);
    expect(doing).toEqual({ key: "click", values: { target: "[7] Szukaj" }, running: true });
    doing = agentDoing(doing, envelope({ type: "tool_finished", result: { call_id: "c1", status: "success", summary: "ok", output: {} } }, 2), running);
    expect(doing?.running).toBe(false);
    expect(agentDoing(doing, envelope({ type: "tool_started", call: { id: "c2", tool: "fs_read", arguments: {} } }, 3), running)).toBe(doing);
    const request = { id: "approval-1", call: { id: "c3", tool: "browser_open", arguments: { url: "http://127.0.0.1/a" } }, risk: "network", reason: "sieć", auto_approvable: true, paths: [], urls: [] } as never;
    doing = agentDoing(doing, envelope({ type: "approval_requested", request }, 4), running);
    expect(doing).toEqual({ key: "open", values: { url: "http://127.0.0.1/a" }, running: true, awaitingApproval: true });
    doing = agentDoing(doing, envelope({ type: "approval_decided", decision: { request_id: "approval-1", approved: false, grant: "once" } as never }, 5), running);
    expect(doing).toMatchObject({ key: "open", running: false, awaitingApproval: false });
  });
});
