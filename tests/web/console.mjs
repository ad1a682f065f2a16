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

  // The machine check is one tab away.
  await page.getByTestId("tab-doctor").click();
  await page.getByTestId("summary").waitFor({ timeout: 20_000 });
  await page.screenshot({ path: join(artifacts, "5-doctor.png") });
  console.log(`web E2E: passed; Enter -> approval card ${firstCard} ms; screenshots in tests/web/artifacts`);
} catch (error) {
  exitCode = 1;
  console.error(error);
} finally {
  await browser?.close();
  server.kill("SIGINT");
}
process.exit(exitCode);
