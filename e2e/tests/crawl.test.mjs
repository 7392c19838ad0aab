// The crawler: every page of the demo, as a signed-out visitor and as every demo account, in Chromium. It starts
// from the route table (`dolbom routes`), follows every link a page shows, and visits each route once per
// identity; each page must answer 2xx, pass axe-core's WCAG 2.2 AA rules and log nothing to the console, and a
// page a resident or visitor sees must come to under 100 KB of HTML, CSS and JS over the wire. A page the identity
// may open but that no link reached must be listed below with why.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { appendFileSync } from "node:fs";
import { axeViolations, logIn, messageIdsIn, newCheckedPage, serverAndBrowser, skipReason } from "./harness.mjs";

const skip = skipReason;
const env = serverAndBrowser(["demo", "--seed", "7"]);

/** Routes that are not pages: the API, assets, probes, the language switch (it only sets a cookie). */
const NOT_PAGES = [/^\/api\//, /^\/static\//, /^\/healthz$/, /^\/readyz$/, /^\/lang\//];

/**
 * Pages an identity may open that nothing in the demo links it to, with why: `who` is the identities it holds for
 * ("*" for all). Each of these is visited by the feature's own browser or integration test.
 */
const UNLINKED = [
  { who: "*", why: "the demo ships no photos (uploads: places and spaces browser tests)",
    routes: ["/places/photos/{id}", "/spaces/photos/{id}", "/groups/photos/{id}", "/groups/photos/{id}/thumb"] },
  { who: "*", why: "the demo's hub pages carry no attachments (content browser test)", routes: ["/hub/files/{id}"] },
  { who: "*", why: "no guardian has uploaded a proof document in the demo (waitlist browser test)",
    routes: ["/staff/waitlist/documents/{id}"] },
  { who: "*", why: "a matching run exists once an agency uploads its lists (casework browser test)",
    routes: ["/staff/linkage/{id}", "/staff/linkage/{id}/result.csv"] },
  { who: ["provider staff", "caregiver", "동주민센터 worker", "복지관 worker", "group leader", "official", "admin"],
    why: "a care record is its guardian's and its provider's; the demo's care is past, and the work list shows what waits",
    routes: ["/care/applications/{id}"] },
  { who: ["provider staff", "caregiver", "동주민센터 worker", "복지관 worker", "group leader", "official", "admin"],
    why: "a booking is its booker's own; in the demo only the resident has one",
    routes: ["/bookings/{id}", "/bookings/{id}/calendar.ics"] },
  { who: ["resident", "provider staff", "caregiver", "동주민센터 worker", "복지관 worker", "admin"],
    why: "a grant is its group's leader's and the officials'", routes: ["/grants/{id}", "/grants/{id}/receipts/{item}"] },
  { who: ["official"], why: "an outreach visit is recorded by its own worker", routes: ["/staff/visits/{id}"] },
];

function excused(identity, path) {
  return UNLINKED.some((u) => (u.who === "*" || u.who.includes(identity.name)) && u.routes.includes(path));
}

const IDENTITIES = [
  { name: "signed-out visitor", role: null },
  { name: "resident", role: "resident", email: "resident@demo.dolbom.kr" },
  { name: "provider staff", role: "provider_staff", email: "provider@demo.dolbom.kr" },
  { name: "caregiver", role: "caregiver", email: "caregiver@demo.dolbom.kr" },
  { name: "동주민센터 worker", role: "welfare_worker", email: "worker@demo.dolbom.kr" },
  { name: "복지관 worker", role: "welfare_worker", email: "centre@demo.dolbom.kr" },
  { name: "group leader", role: "group_leader", email: "leader@demo.dolbom.kr" },
  { name: "official", role: "official", email: "official@demo.dolbom.kr" },
  { name: "admin", role: "admin", email: "admin@demo.dolbom.kr" },
];

function routeTable() {
  const json = execFileSync(process.env.DOLBOM_BIN, ["routes"], { encoding: "utf8" });
  return JSON.parse(json).map((r) => ({
    ...r,
    regex: new RegExp(`^${r.path.replace(/\{[^}]+\}/g, "[^/]+")}$`),
    params: (r.path.match(/\{/g) || []).length,
  }));
}

/** The GET route a path belongs to: of those that match, the one with the fewest parameters (`/x/new` over `/x/{id}`). */
function routeOf(table, path) {
  const matching = table.filter((r) => r.method === "GET" && r.regex.test(path));
  matching.sort((a, b) => a.params - b.params);
  return matching[0] ?? null;
}

function allowed(route, role) {
  return route.roles === null || (role !== null && route.roles.includes(role));
}

/** Same-site links of the page shown, and the addresses its GET forms go to as filled in by default. */
async function targetsOf(page, base) {
  const urls = await page.evaluate(() => {
    const links = [...document.querySelectorAll("a[href]")].map((a) => a.href);
    const forms = [...document.querySelectorAll("form")]
      .filter((f) => (f.getAttribute("method") || "get").toLowerCase() === "get")
      .map((f) => {
        const url = new URL(f.action || location.href);
        url.search = new URLSearchParams(new FormData(f)).toString();
        return url.href;
      });
    return [...links, ...forms];
  });
  return urls.map((u) => new URL(u)).filter((u) => u.origin === base);
}

/** Visits are counted per route and set of query parameters: `/welfare?q=a` and `/welfare?q=b` count as one. */
function visitKey(route, url) {
  return `${route.path}?${[...new Set(url.searchParams.keys())].sort().join("&")}`;
}

/** A few records of each kind (the first a page links to may be empty) and a few filters or pages of each list. */
const MAX_VISITS_PER_KEY = 2;
const MAX_VISITS_PER_ROUTE = 4;

/** A resident's page, with its styles and scripts, as sent over the wire (compressed): issue #12's limit. */
const RESIDENT_PAGE_BYTES = 100 * 1024;

/**
 * The compressed bytes of the page just loaded and of the styles and scripts it uses. `assets` remembers each
 * style's and script's size from when it came over the network, since later pages take it from the cache.
 */
async function pageWeight(page, assets) {
  const seen = await page.evaluate(() => ({
    html: performance.getEntriesByType("navigation")[0]?.encodedBodySize ?? 0,
    loaded: performance.getEntriesByType("resource").map((r) => [r.name, r.encodedBodySize]),
    uses: [...document.querySelectorAll("link[rel=stylesheet][href], script[src]")].map((e) => e.href || e.src),
  }));
  for (const [name, size] of seen.loaded) if (size > 0) assets.set(name, Math.max(assets.get(name) ?? 0, size));
  return seen.html + seen.uses.reduce((sum, url) => sum + (assets.get(url) ?? 0), 0);
}

/**
 * What keeps the page shown from working on a 360 × 640 phone: scrolling sideways, and controls smaller than
 * 44 × 44 px. Links inside a line of text are exempt (WCAG 2.5.8's inline exception); a checkbox or radio button
 * counts with its label, which takes the tap too.
 */
async function phoneProblems(page) {
  const desktop = page.viewportSize();
  await page.setViewportSize(PHONE);
  // Let the page's resize handlers run (the table frames become focusable when they scroll) before looking.
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
  const found = await page.evaluate(() => {
    const out = [];
    const root = document.documentElement;
    if (root.scrollWidth > root.clientWidth + 1) {
      const wide = [...document.body.querySelectorAll("*")].find((el) => el.getBoundingClientRect().right > root.clientWidth + 1);
      out.push(`scrolls sideways (${root.scrollWidth} px wide; first too wide: ${wide?.tagName.toLowerCase()}.${wide?.className})`);
    }
    const inText = (el) => {
      const parent = el.parentElement;
      return getComputedStyle(el).display === "inline" && parent.textContent.trim().length > el.textContent.trim().length;
    };
    for (const el of document.querySelectorAll("a[href], button, input:not([type=hidden]), select, textarea, summary")) {
      if (el.closest("[hidden], .visually-hidden, .skip-link, svg") || el.getClientRects().length === 0) continue;
      if (el.tagName === "A" && inText(el)) continue;
      const label = (el.type === "checkbox" || el.type === "radio") && (el.closest("label") || el.labels?.[0]);
      const box = (label || el).getBoundingClientRect();
      if (box.width < 43.5 || box.height < 43.5) {
        const name = (el.textContent || el.getAttribute("aria-label") || el.name || "").trim().slice(0, 30);
        out.push(`${el.tagName.toLowerCase()} "${name}" is ${Math.round(box.width)} × ${Math.round(box.height)} px`);
      }
    }
    return out;
  });
  // The rules that depend on the screen's width, again at phone size (axe is already on the page).
  const narrow = await page.evaluate(async () => {
    const rules = ["scrollable-region-focusable", "target-size", "meta-viewport", "css-orientation-lock"];
    const results = await globalThis.axe.run(document, { runOnly: { type: "rule", values: rules }, resultTypes: ["violations"] });
    return results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  });
  await page.setViewportSize(desktop);
  return [...found, ...narrow];
}

const PHONE = { width: 360, height: 640 };

async function crawl(identity) {
  const base = env.server.base;
  const table = routeTable();
  const checked = identity.role
    ? await logIn(env, env.browser, identity.email)
    : await newCheckedPage(env.browser, { width: 1280, height: 900 });
  const { page, errors, context } = checked;
  const pages = table.filter((r) => r.method === "GET" && !NOT_PAGES.some((re) => re.test(r.path)));
  const queue = pages.filter((r) => r.params === 0 && allowed(r, identity.role)).map((r) => new URL(r.path, base));
  const seen = new Set(); // route paths visited or queued
  const queued = new Set();
  const perKey = new Map();
  const perRoute = new Map();
  const enqueue = (url, route) => {
    const key = visitKey(route, url);
    if (queued.has(url.href) || (perKey.get(key) ?? 0) >= MAX_VISITS_PER_KEY) return;
    if ((perRoute.get(route.path) ?? 0) >= MAX_VISITS_PER_ROUTE) return;
    queued.add(url.href);
    perKey.set(key, (perKey.get(key) ?? 0) + 1);
    perRoute.set(route.path, (perRoute.get(route.path) ?? 0) + 1);
    seen.add(route.path);
    queue.push(url);
  };
  queue.splice(0).forEach((url) => enqueue(url, routeOf(table, url.pathname)));
  const problems = [];
  const notHtml = new Set();
  // Images, event streams and scripts a page loads reach their routes too (a failed load is a console error).
  page.on("request", (req) => {
    const url = new URL(req.url());
    const route = url.origin === base ? routeOf(table, url.pathname) : null;
    if (route && req.resourceType() !== "document") notHtml.add(route.path);
  });
  let visited = 0;
  const assets = new Map();
  const residentPages = identity.role === null || identity.role === "resident";
  while (queue.length > 0) {
    const url = queue.shift();
    const path = url.pathname + url.search;
    const route = routeOf(table, url.pathname);
    let answer;
    try {
      answer = await context.request.get(url.href, { maxRedirects: 0, timeout: 20_000 });
    } catch (e) {
      problems.push(`${path}: ${e.message.split("\n")[0]}`);
      continue;
    }
    const type = answer.headers()["content-type"] || "";
    const toLogIn = identity.role === null && answer.status() === 303 && answer.headers().location?.startsWith("/login");
    if (toLogIn) continue;
    if (!answer.ok()) {
      problems.push(`${path}: answered ${answer.status()}`);
      continue;
    }
    if (!type.startsWith("text/html")) {
      notHtml.add(route.path);
      continue;
    }
    errors.length = 0;
    await page.goto(url.href);
    visited += 1;
    for (const v of await axeViolations(page)) problems.push(`${path}: ${v}`);
    for (const e of errors) problems.push(`${path}: ${e}`);
    for (const key of messageIdsIn(await page.locator("body").innerText())) problems.push(`${path}: shows the catalog key "${key}", not its text`);
    if (residentPages) {
      const bytes = await pageWeight(page, assets);
      if (bytes > RESIDENT_PAGE_BYTES) problems.push(`${path}: ${(bytes / 1024).toFixed(1)} KB of HTML, CSS and JS over the wire`);
    }
    for (const p of await phoneProblems(page)) problems.push(`${path} at 360 px: ${p}`);
    for (const target of await targetsOf(page, base)) {
      const route = routeOf(table, target.pathname);
      if (!route || NOT_PAGES.some((re) => re.test(route.path))) continue;
      // A signed-out visitor may be shown a link that needs signing in (it leads to the log-in page and back).
      if (!allowed(route, identity.role) && identity.role !== null) {
        problems.push(`${path}: links to ${target.pathname}, which a ${identity.role} may not open`);
        continue;
      }
      enqueue(target, route);
    }
  }
  const unreached = pages
    .filter((r) => allowed(r, identity.role) && !seen.has(r.path) && !notHtml.has(r.path) && !excused(identity, r.path))
    .map((r) => r.path);
  await context.close();
  return { visited, problems, unreached };
}

const only = process.env.CRAWL_ONLY; // one identity's name, to look at its pages alone
for (const identity of IDENTITIES.filter((i) => !only || i.name === only)) {
  test(`every page a ${identity.name} can reach is accessible and clean`, { skip, timeout: 600_000 }, async () => {
    const started = Date.now();
    const { visited, problems, unreached } = await crawl(identity);
    console.log(`${identity.name}: ${visited} pages in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    if (process.env.CRAWL_REPORT) appendFileSync(process.env.CRAWL_REPORT, problems.map((p) => `${identity.name}\t${p}\n`).join(""));
    assert.ok(visited > 3, `${identity.name} reached only ${visited} pages`);
    assert.deepEqual({ problems, unreached }, { problems: [], unreached: [] }, `the pages of a ${identity.name}`);
  });
}
