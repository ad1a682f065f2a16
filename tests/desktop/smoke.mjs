// End-to-end smoke test of the desktop app: starts the release build through tauri-driver and
// WebKitWebDriver, reads values in the window that came from Rust, clicks "Sprawdź ponownie",
// runs a Polish command from the console, reloads the window while it waits, approves it in
// its card, measures the cold start to the first usable screen, and saves screenshots
// to tests/desktop/artifacts/.
//
// Run under a display: `xvfb-run -a npm run e2e` (after `npx tauri build --bundles deb`).
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import { createConnection } from "node:net";
import { tmpdir, homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { remote } from "webdriverio";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const targetDir = process.env.CARGO_TARGET_DIR ?? join(root, "target");
const application = process.env.DARK8_DESKTOP_BIN ?? join(targetDir, "release/dark8-desktop");
const artifacts = join(root, "tests/desktop/artifacts");
const tauriDriver = process.env.TAURI_DRIVER ?? join(homedir(), ".cargo/bin/tauri-driver");
const version = JSON.parse(readFileSync(join(root, "tauri.conf.json"), "utf8")).version;

// The app inherits this environment through tauri-driver and WebKitWebDriver.
const home = mkdtempSync(join(tmpdir(), "dark8-e2e-"));
process.env.DARK8_HOME = home;
const workspace = mkdtempSync(join(tmpdir(), "dark8-e2e-ws-"));
process.env.DARK8_WORKSPACE = workspace;
process.env.DARK8_LLM__OLLAMA_URL = "http://127.0.0.1:9";
// The window is under test, not this machine's disk: a build machine may be short of free space
// (the disk card is required, and would turn the summary to "Wymaga uwagi").
process.env.DARK8_DOCTOR__MIN_FREE_DISK_MIB = "16";

function fail(message) {
  throw new Error(`E2E: ${message}`);
}

async function waitForPort(port, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const open = await new Promise((done) => {
      const socket = createConnection({ host: "127.0.0.1", port }, () => {
        socket.end();
        done(true);
      });
      socket.on("error", () => done(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  fail(`tauri-driver did not listen on port ${port}`);
}

const driver = spawn(tauriDriver, ["--port", "4444"], { stdio: ["ignore", "inherit", "inherit"] });
let browser;
let exitCode = 0;
try {
  await waitForPort(4444, 20_000);
  // Cold start: the session starts the app; the first usable screen is the composer.
  const launched = Date.now();
  browser = await remote({
    hostname: "127.0.0.1",
    port: 4444,
    logLevel: "warn",
    capabilities: { "tauri:options": { application } },
  });

  const sessionReady = Date.now() - launched;
  // The window opens on the console; the machine check is one tab away.
  await browser.$('[data-testid="composer"]').waitForDisplayed({ timeout: 60_000 });
  const coldStart = Date.now() - launched;
  await browser.$('[data-testid="tab-doctor"]').click();
  const versionBadge = await browser.$('[data-testid="version"]');
  await versionBadge.waitForDisplayed({ timeout: 60_000 });
  const versionText = await versionBadge.getText();
  if (versionText !== `wersja ${version}`) fail(`version badge says "${versionText}"`);

  // The data directory can only be known by the Rust core (DARK8_HOME of this test).
  const dataDir = await browser.$('[data-testid="data-dir"]').getText();
  if (dataDir !== join(home, "data")) fail(`data dir "${dataDir}", expected "${join(home, "data")}"`);

  const database = await browser.$('[data-check-id="database"]');
  if ((await database.getAttribute("data-status")) !== "ok") fail("database check is not OK");
  const ollama = await browser.$('[data-check-id="ollama"]');
  if ((await ollama.getAttribute("data-status")) !== "missing") fail("Ollama should be BRAK here");
  const ollamaText = await ollama.getText();
  if (!ollamaText.includes("BRAK") || !ollamaText.includes("Opcjonalne")) fail(`Ollama card: ${ollamaText}`);

  const checks = await browser.$$("[data-check-id]");
  if (checks.length !== 12) fail(`${checks.length} checks shown, expected 12`);
  // The sandbox card is the core's own probe of Landlock/seccomp on this machine.
  // (Read from the detail's title: the last card may lie below the fold, where getText is empty.)
  const sandboxDetail = await browser.$('[data-check-id="sandbox"] .detail').getAttribute("title");
  if (!sandboxDetail?.includes("Landlock")) fail(`sandbox card detail: ${sandboxDetail}`);

  // The refresh button asks Rust again.
  await browser.$('[data-testid="refresh"]').click();
  await browser.$('[data-testid="summary"]').waitForDisplayed({ timeout: 30_000 });
  const summary = await browser.$('[data-testid="summary"]').getText();
  if (!summary.includes("Gotowy do pracy")) fail(`summary: ${summary}`);

  mkdirSync(artifacts, { recursive: true });
  await browser.saveScreenshot(join(artifacts, "main-window.png"));

  // The console: a Polish command that needs approval, approved in its card, done on disk.
  await browser.$('[data-testid="tab-console"]').click();
  const composer = await browser.$('[data-testid="composer"]');
  await composer.setValue("Uruchom komendę touch z-okna.txt");
  await browser.$('[data-testid="send"]').click();
  const approval = await browser.$('[data-testid="approval"]');
  await approval.waitForDisplayed({ timeout: 30_000 });
  if (!(await approval.getText()).includes("touch z-okna.txt")) fail("the approval card does not show the command");
  if (existsSync(join(workspace, "z-okna.txt"))) fail("the command ran before it was approved");
  await browser.saveScreenshot(join(artifacts, "console-approval.png"));
  // Reload the window while the run waits: the run goes on in the core, and the console
  // rebuilds it (and its waiting card) from the event stream.
  await browser.refresh();
  await browser.$('[data-testid="approval"]').waitForDisplayed({ timeout: 30_000 });
  if (existsSync(join(workspace, "z-okna.txt"))) fail("the command ran during the reload");
  await browser.saveScreenshot(join(artifacts, "console-after-reload.png"));
  await browser.$('[data-testid="allow-once"]').click();
  await browser.$('[data-testid="run"][data-status="done"]').waitForDisplayed({ timeout: 30_000 });
  if (!existsSync(join(workspace, "z-okna.txt"))) fail("the approved command left no file");
  await browser.saveScreenshot(join(artifacts, "console-done.png"));
  console.log(`E2E OK: version ${version}, data dir ${dataDir}, ${checks.length} checks; screenshot in ${artifacts}`);
  console.log(`desktop cold start: ${coldStart} ms to the composer (WebDriver session with the app up: ${sessionReady} ms)`);
} catch (err) {
  console.error(err);
  exitCode = 1;
} finally {
  if (browser) await browser.deleteSession().catch(() => {});
  driver.kill();
}
process.exit(exitCode);
