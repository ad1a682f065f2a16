// The console in a normal browser (Debian's Chromium through playwright-core) against a real
// `dark8 serve` with the built dashboard: type a Polish command that needs approval, watch its
// step arrive, reload while it waits (the run goes on and the page rebuilds from the event
// stream), approve it in the card, see the effect on disk and the outcome. Screenshots of each
// state go to tests/web/artifacts/.
//
// Run after `npm run build` and `cargo build --release`: `node tests/web/console.mjs`.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createServer } from "node:net";
import { chromium } from "playwright-core";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const targetDir = process.env.CARGO_TARGET_DIR ?? join(root, "target");
const dark8 = process.env.DARK8_BIN ?? join(targetDir, "release/dark8");
const artifacts = join(root, "tests/web/artifacts");
mkdirSync(artifacts, { recursive: true });

function fail(message) {
  throw new Error(`web E2E: ${message}`);
}

const port = await new Promise((done) => {
  const probe = createServer();
  probe.listen(0, "127.0.0.1", () => {
    const { port } = probe.address();
    probe.close(() => done(port));
  });
});
const home = mkdtempSync(join(tmpdir(), "dark8-web-"));
const workspace = mkdtempSync(join(tmpdir(), "dark8-web-ws-"));
const server = spawn(dark8, ["serve", "--port", String(port), "--ui", join(root, "ui/dist")], {
  cwd: workspace,
  env: { ...process.env, DARK8_HOME: home, DARK8_LLM__PROVIDER: "none", DARK8_DOCTOR__MIN_FREE_DISK_MIB: "16" },
  stdio: ["ignore", "pipe", "inherit"],
});
const printed = await new Promise((done, reject) => {
  let out = "";
  const timer = setTimeout(() => reject(new Error(`dark8 serve did not start: ${out}`)), 20_000);
  server.stdout.on("data", (chunk) => {
    out += chunk;
    if (out.includes("#token=")) {
      clearTimeout(timer);
      done(out);
    }
  });
});
const url = /http:\/\/127\.0\.0\.1:\d+\/#token=[0-9a-f]{64}/.exec(printed)?.[0] ?? fail("no dashboard URL");

/** A session of `runs` commands of `steps` steps each, as `dark8 serve` streams it (the wire
 * format of ui/src/client/fixtures/run-events.sse, recorded from a real server). */
function longSession(runs, steps) {
  let seq = 0;
  const start = Date.parse("2026-12-02T08:00:00Z");
  const out = [];
  const emit = (run, step, event) => {
    seq += 1;
    const envelope = { seq, timestamp: new Date(start + seq * 7).toISOString(), session: "s-bench", run, ...(step ? { step } : {}), event };
    out.push(`event: dark8\nid: ${seq}\ndata: ${JSON.stringify(envelope)}\n\n`);
  };
  for (let r = 1; r <= runs; r++) {
    const run = `run-bench-${r}`;
    const calls = Array.from({ length: steps }, (_, i) => ({ id: `s-bench-${r}-${i + 1}`, tool: "shell_run", arguments: { command: `echo ${r}.${i + 1}` } }));
    emit(run, 0, { type: "command_received", command: { text: `Polecenie numer ${r}`, source: "api", session_id: "s-bench" } });
    emit(run, 0, { type: "plan_ready", plan: { id: `p-${r}`, intent: "RUN_COMMAND", steps: calls.map((call, i) => ({ index: i + 1, description: `Krok ${i + 1} polecenia ${r}`, call, depends_on: [] })) } });
    calls.forEach((call, i) => {
      emit(run, i + 1, { type: "tool_started", call });
      for (let line = 1; line <= 3; line++) emit(run, i + 1, { type: "tool_progress", call_id: call.id, message: `wiersz ${line} kroku ${i + 1}` });
      emit(run, i + 1, { type: "tool_finished", result: { call_id: call.id, status: "success", summary: `Krok ${i + 1} zakończony powodzeniem.`, output: {} } });
    });
    emit(run, 0, { type: "response", text: `Polecenie ${r}: ${steps} kroków.` });
    emit(run, 0, { type: "run_finished", status: "done", response: `Polecenie ${r}: ${steps} kroków.` });
  }
  return { body: out.join(""), events: seq };
}

/** 2,000 steps in the console: how long until all are folded and drawn, how many step cards
 * are in the DOM (virtualised: a screenful, not 2,000), and frame times while scrolling the
 * whole session. Numbers for the note, not assertions on time. */
async function benchLongSession(browser, dashboard) {
  const runs = 400;
  const { body, events } = longSession(runs, 5);
  const page = await browser.newPage({ viewport: { width: 1280, height: 860 }, locale: "pl-PL" });
  let served = false;
  await page.route("**/api/v1/events**", (route) => {
    // The whole session once; a reconnect finds nothing new.
    const text = served ? ": keep-alive\n\n" : body;
    served = true;
    return route.fulfill({ status: 200, headers: { "Content-Type": "text/event-stream" }, body: text });
  });
  const started = Date.now();
  await page.goto(dashboard);
  await page.locator(".timeline[data-runs='400']").waitFor({ timeout: 60_000 });
  await page.locator('[data-testid="run"]').last().waitFor();
  const loaded = Date.now() - started;
  const inDom = await page.locator('[data-testid="step"]').count();
  if (inDom >= 2000 / 4) fail(`the timeline is not virtualised: ${inDom} step cards in the DOM`);
  const frames = await page.evaluate(async () => {
    window.scrollTo(0, 0);
    await new Promise((r) => setTimeout(r, 200));
    const gaps = [];
    let last = performance.now();
    const height = document.documentElement.scrollHeight;
    await new Promise((done) => {
      const tick = (now) => {
        gaps.push(now - last);
        last = now;
        window.scrollBy(0, 400);
        if (window.scrollY + window.innerHeight >= document.documentElement.scrollHeight - 2) done();
        else requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
    gaps.sort((a, b) => a - b);
    const at = (q) => gaps[Math.min(gaps.length - 1, Math.floor(q * gaps.length))];
    return { frames: gaps.length, p50: at(0.5), p95: at(0.95), max: gaps[gaps.length - 1], height };
  });
  await page.getByText("Polecenie numer 400", { exact: true }).waitFor();
  await page.screenshot({ path: join(artifacts, "7-long-session-end.png") });
  const heap = await page.evaluate(() => performance.memory?.usedJSHeapSize ?? 0);
  console.log(
    `timeline bench: ${runs} runs, 2000 steps, ${events} events folded and drawn in ${loaded} ms; ` +
      `${inDom} step cards in the DOM; scroll over ${frames.height} px: ${frames.frames} frames, ` +
      `p50 ${frames.p50.toFixed(1)} ms, p95 ${frames.p95.toFixed(1)} ms, max ${frames.max.toFixed(1)} ms; JS heap ${(heap / 1048576).toFixed(1)} MiB`,
  );
  await page.close();
}

let browser;
let exitCode = 0;
try {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: process.getuid?.() === 0 ? ["--no-sandbox"] : [],
  });
  const page = await browser.newPage({ viewport: { width: 1280, height: 860 }, locale: "pl-PL" });
  await page.goto(url);
  await page.getByTestId("composer").waitFor();
  // The token left the address bar.
  if (page.url().includes("token")) fail(`token still in the URL: ${page.url()}`);
  await page.screenshot({ path: join(artifacts, "1-empty-console.png") });

  const started = Date.now();
  await page.getByTestId("composer").fill("Uruchom komendę touch z-panelu.txt");
  await page.keyboard.press("Enter");
  await page.getByTestId("step").first().waitFor({ timeout: 20_000 });
  const firstStep = Date.now() - started;
  const approval = page.getByTestId("approval");
  await approval.waitFor({ timeout: 20_000 });
  const firstCard = Date.now() - started;
  if (!(await approval.innerText()).includes("touch z-panelu.txt")) fail("the approval does not show the command");
  await page.screenshot({ path: join(artifacts, "2-approval-waiting.png") });

  // Reload while the run waits: it goes on, and the page rebuilds it from the stream.
  await page.reload();
  await approval.waitFor({ timeout: 20_000 });
  if (existsSync(join(workspace, "z-panelu.txt"))) fail("the command ran before it was approved");
  await page.screenshot({ path: join(artifacts, "3-after-reload.png") });

  await page.getByTestId("allow-once").click();
  await page.locator('[data-testid="run"][data-status="done"]').waitFor({ timeout: 20_000 });
  if (!existsSync(join(workspace, "z-panelu.txt"))) fail("the approved command left no file");
  const summary = await page.locator('[data-testid="step"][data-status="success"]').innerText();
  if (!summary.includes("powodzeniem")) fail(`no outcome shown: ${summary}`);
  await page.screenshot({ path: join(artifacts, "4-done.png") });

  // Approve from the keyboard: Alt+T answers the waiting card while the composer keeps focus.
  await page.getByTestId("composer").fill("Uruchom komendę touch z-klawiatury.txt");
  await page.keyboard.press("Enter");
  await page.locator('[data-testid="approval"]').waitFor({ timeout: 20_000 });
  const focused = () => page.evaluate(() => document.activeElement?.id);
  if ((await focused()) !== "composer") fail(`the approval card took the focus: ${await focused()}`);
  await page.keyboard.press("Alt+KeyT");
  await page.locator('[data-testid="run"][data-status="done"]').nth(1).waitFor({ timeout: 20_000 });
  if (!existsSync(join(workspace, "z-klawiatury.txt"))) fail("Alt+T did not approve the command");
  if ((await focused()) !== "composer") fail("the composer lost the focus after the shortcut");

  // English is one click away, and the core's answers follow it.
  await page.getByTestId("lang-en").click();
  await page.getByText("What should I do?").or(page.getByTestId("tab-console").getByText("Console")).first().waitFor();
  const settings = await page.evaluate(async (token) => {
    const response = await fetch("/api/v1/settings", { headers: { Authorization: `Bearer ${token}` } });
    return response.json();
  }, url.split("#token=")[1]);
  if (settings.language !== "en") fail(`the language switch did not reach the core: ${settings.language}`);
  await page.screenshot({ path: join(artifacts, "6-english.png") });
  await page.getByTestId("lang-pl").click();
  await page.getByTestId("tab-console").getByText("Konsola").waitFor();

  // The machine check is one tab away.
  await page.getByTestId("tab-doctor").click();
  await page.getByTestId("summary").waitFor({ timeout: 20_000 });
  await page.screenshot({ path: join(artifacts, "5-doctor.png") });
  console.log(`web E2E: passed; Enter -> first step card ${firstStep} ms, -> approval card ${firstCard} ms; screenshots in tests/web/artifacts`);
  await benchLongSession(browser, url);
} catch (error) {
  exitCode = 1;
  console.error(error);
} finally {
  await browser?.close();
  server.kill("SIGINT");
}
process.exit(exitCode);
