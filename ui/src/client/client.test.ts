// The HTTP transport against the server's exact wire format: a recorded `dark8 serve` event
// stream (fixtures/run-events.sse) and its JSON error bodies.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

import type { EventEnvelope } from "../protocol";
import { AgentError } from "./agent-client";
import { HttpAgentClient, reconnectDelay, type Fetch } from "./http";
import { SseParser } from "./sse";
import { takeToken } from "./token";

const recorded = readFileSync(new URL("./fixtures/run-events.sse", import.meta.url), "utf8");
const TOKEN = "ab".repeat(32);

/** A response whose body streams `chunks` and then ends (or stays open). */
function streaming(chunks: string[], stayOpen = false): Response {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      if (!stayOpen) controller.close();
    },
  });
  return new Response(body, { status: 200, headers: { "content-type": "text/event-stream" } });
}

describe("SseParser", () => {
  it("reads the recorded stream whichever way it is cut", () => {
    const whole = new SseParser().push(recorded);
    expect(whole.length).toBeGreaterThan(3);
    expect(whole.every((m) => m.event === "dark8")).toBe(true);
    // Byte by byte gives the same events.
    const parser = new SseParser();
    const pieces = [...recorded].flatMap((c) => parser.push(c));
    expect(pieces).toEqual(whole);
    const first = JSON.parse(whole[0].data) as EventEnvelope;
    expect(first.event.type).toBe("command_received");
    expect(whole[0].id).toBe(String(first.seq));
  });

  it("joins data lines, skips comments, handles CRLF", () => {
    const parser = new SseParser();
    expect(parser.push(":keep-alive\r\n\r\nevent: resync\r\ndata: a\r\ndata: b\r")).toEqual([]);
    expect(parser.push("\n\r\n")).toEqual([{ event: "resync", data: "a\nb" }]);
  });
});

describe("HttpAgentClient", () => {
  it("sends the token and JSON, and returns the run", async () => {
    const seen: { url: string; init?: RequestInit }[] = [];
    const fetcher: Fetch = async (url, init) => {
      seen.push({ url, init });
      return new Response(JSON.stringify({ id: "run-1", status: "running" }), { status: 202 });
    };
    const client = new HttpAgentClient("http://127.0.0.1:8731", TOKEN, fetcher);
    const run = await client.startCommand({ command: "Pokaż pliki" });
    expect(run.id).toBe("run-1");
    expect(seen[0].url).toBe("http://127.0.0.1:8731/api/v1/commands");
    const headers = seen[0].init?.headers as Record<string, string>;
    expect(headers.Authorization).toBe(`Bearer ${TOKEN}`);
    expect(headers["Content-Type"]).toBe("application/json");
    expect(JSON.parse(String(seen[0].init?.body))).toEqual({ command: "Pokaż pliki" });
  });

  it("turns the server's error body into a Polish AgentError", async () => {
    const body = {
      error: { code: "conflict", message: "Zgody nie można zapamiętać.", hint: "Odpowiedz z \"grant\": \"once\"." },
    };
    const client = new HttpAgentClient("", TOKEN, async () =>
      new Response(JSON.stringify(body), { status: 409 }),
    );
    const error = await client
      .answerApproval("approval-1", { approved: true, grant: "always" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AgentError);
    expect((error as AgentError).status).toBe(409);
    expect((error as AgentError).message).toBe("Zgody nie można zapamiętać.");
    const offline = new HttpAgentClient("", TOKEN, async () => {
      throw new TypeError("fetch failed");
    });
    await expect(offline.listRuns()).rejects.toMatchObject({ code: "offline" });
  });

  it("follows the stream, resumes after a drop from the last seq, never repeats an event", async () => {
    const messages = new SseParser().push(recorded);
    const cut = 3;
    const firstPart = recorded.split("\n\n").slice(0, cut).join("\n\n") + "\n\n";
    const lastSeen = Number(messages[cut - 1].id);
    const requests: Record<string, string>[] = [];
    let call = 0;
    const fetcher: Fetch = async (_url, init) => {
      requests.push(init?.headers as Record<string, string>);
      call += 1;
      // The first connection drops after three events; the second replays from the start
      // (the client must skip what it has) and stays open.
      return call === 1 ? streaming([firstPart]) : streaming([recorded], true);
    };
    const client = new HttpAgentClient("", TOKEN, fetcher, async () => {});
    const got: EventEnvelope[] = [];
    const reconnecting: boolean[] = [];
    const stop = client.follow((e) => got.push(e), {
      after: 0,
      onReconnecting: (r) => reconnecting.push(r),
    });
    await new Promise((done) => setTimeout(done, 50));
    stop();
    expect(got.map((e) => e.seq)).toEqual(messages.map((m) => Number(m.id)));
    expect(requests[0]["Last-Event-ID"]).toBe("0");
    expect(requests[1]["Last-Event-ID"]).toBe(String(lastSeen));
    expect(reconnecting).toEqual([true, false]);
  });

  it("waits longer after each failed reconnect, up to ten seconds", () => {
    expect([0, 1, 2, 3, 10].map(reconnectDelay)).toEqual([500, 1000, 2000, 4000, 10_000]);
  });
});

describe("takeToken", () => {
  it("takes the token out of the fragment and keeps it for the tab", () => {
    const store = new Map<string, string>();
    const storage = {
      getItem: (k: string) => store.get(k) ?? null,
      setItem: (k: string, v: string) => void store.set(k, v),
    };
    let replaced = "";
    const token = takeToken(
      { hash: `#token=${TOKEN}`, pathname: "/", search: "" },
      storage,
      (url) => (replaced = url),
    );
    expect(token).toBe(TOKEN);
    expect(replaced).toBe("/");
    expect(takeToken({ hash: "", pathname: "/", search: "" }, storage, () => {})).toBe(TOKEN);
    expect(takeToken({ hash: "#token=short", pathname: "/", search: "" }, { getItem: () => null, setItem: () => {} }, () => {})).toBeNull();
  });
});
