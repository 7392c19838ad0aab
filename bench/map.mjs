// The map page target of issue #5: bytes transferred for /places of the demo district (HTML, CSS, scripts; a fresh
// browser context each time, so nothing is cached) and the time until the map answers to input (map.js has run:
// the `map-ready` mark), in Debian's headless Chromium. Usage: node bench/map.mjs PATH/TO/dolbom [runs]
import { demoAndBrowser } from "./demo-server.mjs";

const bin = process.argv[2];
const runs = Number(process.argv[3] || 10);
const { base, browser, stop } = await demoAndBrowser(bin, "map");
await new Promise((r) => setTimeout(r, 1000)); // the index tail picks up the demo's places
const bytes = [];
const ready = [];
for (let i = 0; i < runs; i++) {
  const context = await browser.newContext({ locale: "ko-KR", viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  let total = 0;
  cdp.on("Network.loadingFinished", (e) => { total += e.encodedDataLength; });
  await page.goto(`${base}/places`, { waitUntil: "load" });
  const mark = await page.evaluate(() => performance.getEntriesByName("map-ready")[0]?.startTime ?? NaN);
  bytes.push(total);
  ready.push(mark);
  await context.close();
}
await stop();
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const max = (xs) => Math.max(...xs);
console.log(`map page /places, ${runs} cold loads: transferred median ${(median(bytes) / 1024).toFixed(0)} KB (max ${(max(bytes) / 1024).toFixed(0)} KB); interactive (map-ready) median ${median(ready).toFixed(0)} ms, max ${max(ready).toFixed(0)} ms`);
