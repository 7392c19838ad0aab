// Starts the real dolbom binary on a free port with a fresh SQLite database, and Debian's Chromium headless.
// Every page visit is checked: no console errors, and no axe-core violation of WCAG 2.2 AA.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, existsSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRequire } from "node:module";
import { before, after } from "node:test";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
export const AXE_PATH = require.resolve("axe-core/axe.min.js");
let AXE_SOURCE = null;
const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";

export function browserAvailable() {
  return existsSync(CHROMIUM);
}

/** In CI a missing browser or binary is a failure, never a skip. */
export function mustRun() {
  return process.env.CI === "true" || process.env.CI === "1";
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

export async function startServer(extraArgs = ["serve"]) {
  const bin = process.env.DOLBOM_BIN;
  if (!bin || !existsSync(bin)) throw new Error(`DOLBOM_BIN must point at the built dolbom binary (got ${bin})`);
  const dir = mkdtempSync(join(tmpdir(), "dolbom-e2e-"));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const child = spawn(bin, [...extraArgs, "--addr", `127.0.0.1:${port}`], {
    env: {
      ...process.env,
      DOLBOM_DATABASE_URL: `sqlite://${join(dir, "e2e.db")}`,
      DOLBOM_SECRET: "e2e-secret-e2e-secret-e2e-secret-0123",
      DOLBOM_LOG: "warn",
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      const r = await fetch(`${base}/readyz`);
      if (r.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error("dolbom did not become ready in 30 s");
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    base,
    /** The SQLite file, for a test that must let time pass (the day of care arriving). */
    database: join(dir, "e2e.db"),
    async stop() {
      child.kill("SIGTERM");
      await new Promise((r) => child.once("exit", r));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--disable-quic"],
  });
}

/** A page that records console errors and uncaught exceptions. */
export async function newCheckedPage(browser, viewport = { width: 360, height: 740 }) {
  const context = await browser.newContext({ viewport, locale: "ko-KR" });
  const page = await context.newPage();
  const errors = [];
  // Pages answered with a deliberate error status (422 for a form to fix, 404) make Chromium log
  // "Failed to load resource" for the document itself. Only that exact message, for a top-level document that
  // really got that status, is not an error; anything else (a script, a stylesheet, an exception) is.
  const documentStatus = new Map();
  page.on("response", (response) => {
    if (response.request().isNavigationRequest()) documentStatus.set(response.url(), response.status());
  });
  page.on("console", (msg) => {
    if (msg.type() !== "error") return;
    const status = /^Failed to load resource: the server responded with a status of (\d+)/.exec(msg.text());
    if (status && documentStatus.get(msg.location().url) === Number(status[1])) return;
    errors.push(`console: ${msg.text()} (${msg.location().url})`);
  });
  page.on("pageerror", (err) => errors.push(`page error: ${err.message}`));
  // A request still loading when the page is left (a live event stream, a favicon) is cut by the browser: that
  // ends it, it does not fail it. Only aborts of requests made by the page still shown count.
  let navigations = 0;
  const madeDuring = new WeakMap();
  page.on("framenavigated", (frame) => {
    if (frame === page.mainFrame()) navigations += 1;
  });
  page.on("request", (req) => madeDuring.set(req, navigations));
  page.on("requestfailed", (req) => {
    // The favicon is fetched for the browser's tab, not the page, and Chromium drops it whenever it likes.
    const left = madeDuring.get(req) !== navigations;
    const tabIcon = new URL(req.url()).pathname.startsWith("/static/favicon");
    if (req.failure()?.errorText === "net::ERR_ABORTED" && (left || tabIcon || req.resourceType() === "eventsource")) return;
    errors.push(`request failed: ${req.url()} (${req.failure()?.errorText})`);
  });
  return { page, errors, context };
}

/** The axe-core rule tags of WCAG 2.0, 2.1 and 2.2 at levels A and AA. */
const WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"];

/**
 * The axe-core violations of the current page: every violation of a WCAG 2.2 A or AA rule, whatever its impact,
 * and the serious and critical ones of axe's best practices.
 */
export async function axeViolations(page) {
  // Evaluated through the DevTools protocol, not added as a <script>, so pages with a strict Content-Security-Policy
  // (the hub's content pages) are checked as they are.
  AXE_SOURCE ??= readFileSync(AXE_PATH, "utf8");
  await page.evaluate(AXE_SOURCE);
  const results = await page.evaluate(async () => await globalThis.axe.run(document, { resultTypes: ["violations"] }));
  return results.violations
    .filter((v) => v.tags.some((t) => WCAG_AA.includes(t)) || v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

/** Why a browser test file skips (only without Chromium and outside CI), or false. */
export const skipReason = !browserAvailable() && !mustRun() ? "Chromium not installed (CI=true makes this a failure)" : false;

/**
 * One server (started with `args`) and one browser for a test file, set up before its tests and stopped after.
 * Read `env.server` and `env.browser` inside the tests.
 */
export function serverAndBrowser(args) {
  const env = { server: null, browser: null };
  before(async () => {
    if (skipReason) return;
    env.server = await startServer(args);
    env.browser = await launchBrowser();
  });
  after(async () => {
    await env.browser?.close();
    await env.server?.stop();
  });
  return env;
}

/** The demo's password for every log-in. */
export const DEMO_PASSWORD = "dolbom-demo-2026";

/** A desktop-sized checked page of `browser`, logged in to `env`'s server as `email` (a demo account). */
export async function logIn(env, browser, email) {
  const checked = await newCheckedPage(browser, { width: 1280, height: 900 });
  const { page } = checked;
  await page.goto(`${env.server.base}/login`);
  await page.getByLabel("이메일").fill(email);
  await page.getByLabel("비밀번호").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "로그인" }).last().click();
  await page.waitForURL(`${env.server.base}/`);
  return checked;
}

/** No axe violations and nothing on the console, on the page as it is now. */
export async function clean(page, errors, label) {
  assert.deepEqual(await axeViolations(page), [], `axe on ${label}`);
  assert.deepEqual(errors, [], `console on ${label}`);
}

/**
 * Registers a child through the form as the guardian signed in on `page`, with one emergency contact and the
 * required consent; returns the child's page address.
 */
export async function registerChild(page, base, { name, birth, contact, relation, phone = "010-2222-3333" }) {
  await page.goto(`${base}/children/new`);
  await page.getByLabel("성명").fill(name);
  await page.getByLabel("생년월일").fill(birth);
  await page.getByLabel("여성").check();
  await page.getByLabel("이름 1").fill(contact);
  await page.getByLabel("관계 1").fill(relation);
  await page.getByLabel("전화번호 1").fill(phone);
  await page.getByLabel("(필수) 돌봄 신청을 위한 아이 정보 수집·이용에 동의합니다.").check();
  await page.getByRole("button", { name: "등록", exact: true }).click();
  await page.waitForURL(/\/children\/[0-9a-f-]+$/);
  return page.url();
}

/**
 * Words of `text` shaped like a message id of the catalogs (`care-status-submitted`): lowercase segments joined by
 * hyphens, each starting with a letter and holding at most two digits (so parts of record ids are not taken for
 * one). Addresses and e-mail addresses are left out. A message missing in every language shows its id.
 */
export function messageIdsIn(text) {
  const words = text.replace(/\S*[@/.:]\S*/g, " ").match(/\b[a-z]{2,}(?:-[a-z0-9_]+)+\b/g) || [];
  const looksLikeId = (w) => w.split("-").every((part) => /^[a-z]/.test(part) && (part.match(/[0-9]/g) || []).length <= 2);
  return [...new Set(words.filter(looksLikeId))];
}
