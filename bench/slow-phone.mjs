// Issue #12's "speed on a bad phone": every key resident page of the demo, first visit (fresh browser context,
// nothing cached), on Lighthouse's mobile profile in Debian's headless Chromium: 150 ms round trips, 1.6 Mbit/s
// down, 750 kbit/s up (DevTools network emulation) and a CPU four times slower. Reports per page the compressed
// bytes of HTML + CSS + JS and the first contentful paint (median of `runs`), and exits 1 when a page is over
// 100 KB or 1.5 s. Usage: node bench/slow-phone.mjs PATH/TO/dolbom [runs]
import { demoAndBrowser } from "./demo-server.mjs";

const bin = process.argv[2];
const runs = Number(process.argv[3] || 5);
const BYTES_TARGET = 100 * 1024;
const FCP_TARGET_MS = 1500;
const PAGES = ["/", "/welfare", "/welfare?q=%EC%95%84%EB%8F%99%EC%88%98%EB%8B%B9", "/welfare/check", "/places", "/care",
  "/spaces", "/hub", "/login", "/my", "/children", "/care/apply", "/waitlist", "/bookings", "/notifications"];
const SIGNED_IN = new Set(["/my", "/children", "/care/apply", "/waitlist", "/bookings", "/notifications"]);

const { base, browser, stop } = await demoAndBrowser(bin, "phone");

/** The demo resident's session cookie, taken once without throttling. */
async function residentCookies() {
  const context = await browser.newContext({ locale: "ko-KR" });
  const page = await context.newPage();
  await page.goto(`${base}/login`);
  await page.locator("main input[name=email]").fill("resident@demo.dolbom.kr");
  await page.locator("main input[name=password]").fill("dolbom-demo-2026");
  await page.locator("main form[action='/login'] button[type=submit]").click();
  await page.waitForURL(`${base}/`);
  const cookies = await context.cookies();
  await context.close();
  return cookies;
}

async function visit(path, cookies) {
  const context = await browser.newContext({ viewport: { width: 360, height: 640 }, locale: "ko-KR" });
  if (SIGNED_IN.has(path)) await context.addCookies(cookies);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.emulateNetworkConditions", {
    offline: false, latency: 150, downloadThroughput: (1638.4 * 1024) / 8, uploadThroughput: (750 * 1024) / 8,
  });
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
  // Only the page, its styles and its scripts count (not photos, the map's tiles of data, or the tab's icon).
  const counted = new Set();
  cdp.on("Network.responseReceived", (e) => {
    if (["Document", "Stylesheet", "Script"].includes(e.type)) counted.add(e.requestId);
  });
  let bytes = 0;
  cdp.on("Network.loadingFinished", (e) => { if (counted.has(e.requestId)) bytes += e.encodedDataLength; });
  await page.goto(`${base}${path}`, { waitUntil: "load" });
  // A page that never paints content counts as infinitely slow rather than hanging the run.
  const fcp = await page.evaluate(() => new Promise((done) => {
    setTimeout(() => done(Infinity), 10_000);
    new PerformanceObserver((list) => {
      const entry = list.getEntries().find((e) => e.name === "first-contentful-paint");
      if (entry) done(entry.startTime);
    }).observe({ type: "paint", buffered: true });
  }));
  await context.close();
  return { bytes, fcp };
}

console.error("dolbom is up; signing the demo resident in");
const cookies = await residentCookies();
let failed = false;
console.log("| page | HTML+CSS+JS over the wire | first contentful paint (median) |");
console.log("| --- | --- | --- |");
for (const path of PAGES) {
  const results = [];
  for (let i = 0; i < runs; i++) results.push(await visit(path, cookies));
  console.error(`${path}: ${results.map((r) => Math.round(r.fcp)).join(", ")} ms`);
  results.sort((a, b) => a.fcp - b.fcp);
  const median = results[Math.floor(results.length / 2)];
  const over = median.bytes > BYTES_TARGET || median.fcp > FCP_TARGET_MS;
  failed ||= over;
  console.log(`| \`${decodeURIComponent(path)}\` | ${(median.bytes / 1024).toFixed(1)} KB | ${Math.round(median.fcp)} ms${over ? " **over**" : ""} |`);
}
await stop();
process.exit(failed ? 1 : 0);
