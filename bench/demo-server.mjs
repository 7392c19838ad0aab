// The browser benchmarks' common start: the demo on a fresh SQLite file and a free-ish port, and Debian's
// headless Chromium. `stop()` ends both and removes the file.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";

const require = createRequire(new URL("../e2e/package.json", import.meta.url));
const { chromium } = require("playwright-core");

export async function demoAndBrowser(bin, name) {
  const dir = mkdtempSync(join(tmpdir(), `dolbom-${name}-bench-`));
  const port = 18000 + Math.floor(Math.random() * 1000);
  const base = `http://127.0.0.1:${port}`;
  const server = spawn(bin, ["demo", "--addr", `127.0.0.1:${port}`], {
    env: { ...process.env, DOLBOM_DATABASE_URL: `sqlite://${join(dir, "bench.db")}`, DOLBOM_LOG: "warn" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  for (let i = 0; ; i++) {
    try { if ((await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(2000) })).ok) break; } catch { /* starting */ }
    if (i > 600) throw new Error("dolbom did not start");
    await new Promise((r) => setTimeout(r, 100));
  }
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
  });
  return {
    base,
    browser,
    async stop() {
      await browser.close();
      server.kill("SIGTERM");
      await new Promise((r) => server.once("exit", r));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
