// End-to-end smoke test of the desktop app: starts the release build through tauri-driver and
// WebKitWebDriver, reads values in the window that came from Rust, clicks "Sprawdź ponownie",
// runs a Polish command from the console, reloads the window while it waits, approves it in
// its card, opens every screen, shows a local page in the browser panel's live view, starts
// the app a second time with a command (the first instance takes it and runs it, the second
// exits), measures the cold start to the first usable screen, and saves screenshots to
// tests/desktop/artifacts/.
//
// Run under a display and a D-Bus session (single instance finds the first app on the bus):
// `dbus-run-session -- xvfb-run -a npm run e2e` (after `npx tauri build --bundles deb`).
import { spawn } from "node:child_process";
import { createServer } from "node:http";
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
// The window's size and place are kept under the config dir: this test's, not the user's.
process.env.XDG_CONFIG_HOME = mkdtempSync(join(tmpdir(), "dark8-e2e-config-"));

// A local page for the browser panel: a blue block the live view must show.
const site = createServer((_, res) => {
  res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
  res.end('<!doctype html><html lang="pl"><title>Strona testowa</title><body style="margin:0"><div style="width:800px;height:500px;background:#2255ee"></div></body></html>');
});
await new Promise((done) => site.listen(0, "127.0.0.1", done));
const siteUrl = `http://127.0.0.1:${site.address().port}/`;

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

  // Every screen opens.
  for (const name of ["browser", "changes", "projects", "knowledge", "audit", "system", "settings", "doctor", "console"]) {
    await browser.$(`[data-testid="tab-${name}"]`).click();
    const ready = name === "console" ? '[data-testid="composer"]' : name === "doctor" ? '[data-testid="summary"]' : `#${name}-title`;
    await browser.$(ready).waitForDisplayed({ timeout: 30_000 });
    await browser.saveScreenshot(join(artifacts, `screen-${name}.png`));
  }

  // The browser panel: DARK8's own Chromium, its live view drawn in the window.
  await browser.$('[data-testid="tab-browser"]').click();
  const address = await browser.$('[data-testid="browser-address"]');
  await address.setValue(siteUrl);
  await browser.waitUntil(async () => (await address.getValue()) === siteUrl, { timeout: 10_000 }).catch(async () => fail(`the address bar holds "${await address.getValue()}", not ${siteUrl}`));
  await browser.$("form.address-bar button[type=submit]").click();
  await browser.$('[data-testid="browser-driver"][data-user-driving="true"]').waitForExist({ timeout: 30_000 });
  // The first frame may still be the blank tab; the page's own frame follows.
  const showsBlue = () =>
    browser.execute(() => {
      const canvas = document.querySelector('[data-testid="browser-canvas"]');
      if (!canvas || canvas.width < 200) return false;
      const pixel = canvas.getContext("2d").getImageData(100, 100, 1, 1).data;
      return pixel[2] > 200 && pixel[0] < 90;
    });
  await browser.waitUntil(showsBlue, { timeout: 60_000 }).catch(async () => {
    await browser.saveScreenshot(join(artifacts, "failure-browser-panel.png"));
    const seen = await browser.execute(() => {
      const canvas = document.querySelector('[data-testid="browser-canvas"]');
      const pixel = canvas ? Array.from(canvas.getContext("2d").getImageData(100, 100, 1, 1).data) : [];
      return { width: canvas?.width, height: canvas?.height, pixel, frames: document.querySelector('[data-testid="browser-fps"]')?.getAttribute("data-frames"), line: document.querySelector('[data-testid="browser-driver"]')?.textContent, error: document.querySelector('[role="alert"]')?.textContent };
    });
    fail(`the live view does not show the local page's blue block: ${JSON.stringify(seen)}`);
  });
  const framesShown = Number(await browser.$('[data-testid="browser-fps"]').getAttribute("data-frames"));
  console.log(`desktop browser panel: the local page drawn after ${framesShown} frames`);
  await browser.saveScreenshot(join(artifacts, "browser-panel.png"));
  await browser.$('[data-testid="hand-back"]').click();

  // Ustawienia → API: the window serves the API and its own dashboard at a chosen port, a
  // normal browser's request with the token file's token is answered, and switching off
  // closes the port.
  const apiPort = await new Promise((done) => {
    const probe = createServer();
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => done(port));
    });
  });
  await browser.$('[data-testid="tab-settings"]').click();
  const portInput = await browser.$('[data-testid="api-port"]');
  await portInput.waitForDisplayed({ timeout: 30_000 });
  await portInput.setValue(String(apiPort));
  await browser.$('[data-testid="api-start"]').click();
  await browser.$('[data-testid="api-server"][data-running="true"]').waitForExist({ timeout: 20_000 });
  const apiToken = readFileSync(join(home, "data", "api-token"), "utf8").trim();
  const served = await fetch(`http://127.0.0.1:${apiPort}/api/v1/server`, { headers: { Authorization: `Bearer ${apiToken}` } });
  if (served.status !== 200) fail(`the window's API answered ${served.status}`);
  const info = await served.json();
  if (info.dashboard_url !== `http://127.0.0.1:${apiPort}/`) fail(`dashboard URL ${info.dashboard_url}`);
  const page = await (await fetch(`http://127.0.0.1:${apiPort}/`)).text();
  if (!page.includes('<div id="root">')) fail(`the window's dashboard page: ${page.slice(0, 300)}`);
  if (/http-equiv="Content-Security-Policy"/i.test(page)) fail("the served dashboard carries the window's CSP, which would block its API calls");
  await browser.saveScreenshot(join(artifacts, "settings-api-on.png"));
  await browser.$('[data-testid="api-stop"]').click();
  await browser.$('[data-testid="api-server"][data-running="false"]').waitForExist({ timeout: 20_000 });
  const closed = await fetch(`http://127.0.0.1:${apiPort}/api/v1/server`).then(() => "open", () => "closed");
  if (closed !== "closed") fail("the port is still open after switching off");
  console.log(`desktop API: served the API and the dashboard on 127.0.0.1:${apiPort}, switched off again`);

  // A second start hands its command to this window and exits; the console runs it.
  await browser.$('[data-testid="tab-system"]').click();
  const runsBefore = (await browser.$$('[data-testid="run"]')).length;
  const second = spawn(application, ["--command", "Pokaż pliki w katalogu ."], { stdio: ["ignore", "pipe", "pipe"] });
  const secondExit = await new Promise((done) => {
    const timer = setTimeout(() => done("still running after 20 s"), 20_000);
    second.on("exit", (code) => {
      clearTimeout(timer);
      done(code);
    });
  });
  if (secondExit !== 0) {
    second.kill();
    fail(`the second start did not hand over and exit: ${secondExit}`);
  }
  await browser.$('[data-testid="tab-console"][aria-current="page"]').waitForDisplayed({ timeout: 20_000 });
  await browser.waitUntil(async () => (await browser.$$('[data-testid="run"]')).length > runsBefore, {
    timeout: 30_000,
    timeoutMsg: "the command of the second start did not run in the first window",
  });
  const runs = await browser.$$('[data-testid="run"]');
  const lastRun = await runs[runs.length - 1].getText();
  if (!lastRun.includes("Pokaż pliki w katalogu .")) fail(`the last run is not the second start's command: ${lastRun}`);
  await browser.saveScreenshot(join(artifacts, "second-start-command.png"));
  console.log(`E2E OK: version ${version}, data dir ${dataDir}, ${checks.length} checks; screenshot in ${artifacts}`);
  console.log(`desktop cold start: ${coldStart} ms to the composer (WebDriver session with the app up: ${sessionReady} ms)`);
} catch (err) {
  console.error(err);
  exitCode = 1;
} finally {
  if (browser) await browser.deleteSession().catch(() => {});
  driver.kill();
  site.close();
}
process.exit(exitCode);
