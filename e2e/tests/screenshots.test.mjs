// Screenshots of the key resident pages on a 360 × 640 phone and a 1280 px desktop, into e2e/artifacts/screenshots
// (listed in docs/SCREENSHOTS.md). Each shot is of a page that answered 200 and shows its heading, so a broken page
// fails here rather than leaving a blank picture behind.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { logIn, newCheckedPage, serverAndBrowser, skipReason } from "./harness.mjs";

const skip = skipReason;
const env = serverAndBrowser(["demo", "--seed", "7"]);
export const SHOTS_DIR = join(import.meta.dirname, "..", "artifacts", "screenshots");

/** The key pages: [file name, path, signed in as the demo resident]. */
const PAGES = [
  ["home", "/", false],
  ["welfare-search", "/welfare?q=%EC%95%84%EB%8F%99%EC%88%98%EB%8B%B9", false],
  ["welfare-check", "/welfare/check", false],
  ["places-map", "/places", false],
  ["care-services", "/care", false],
  ["spaces", "/spaces", false],
  ["hub", "/hub", false],
  ["login", "/login", false],
  ["my", "/my", true],
  ["children", "/children", true],
  ["care-apply", "/care/apply", true],
  ["care-applications", "/care/applications", true],
  ["waitlist", "/waitlist", true],
  ["bookings", "/bookings", true],
  ["notifications", "/notifications", true],
];

const SIZES = [
  ["360", { width: 360, height: 640 }],
  ["1280", { width: 1280, height: 900 }],
];

test("the key pages are photographed on a phone and a desktop", { skip }, async () => {
  mkdirSync(SHOTS_DIR, { recursive: true });
  const visitor = await newCheckedPage(env.browser);
  const resident = await logIn(env, env.browser, "resident@demo.dolbom.kr");
  for (const [name, path, signedIn] of PAGES) {
    const { page, errors } = signedIn ? resident : visitor;
    for (const [size, viewport] of SIZES) {
      await page.setViewportSize(viewport);
      const answer = await page.goto(`${env.server.base}${path}`);
      assert.equal(answer.status(), 200, `${path} answers`);
      assert.ok(await page.getByRole("heading", { level: 1 }).first().isVisible(), `${path} shows its heading`);
      await page.screenshot({ path: join(SHOTS_DIR, `${name}-${size}.png`), fullPage: size === "360" });
    }
    assert.deepEqual(errors, [], `console on ${path}`);
  }
  await visitor.context.close();
  await resident.context.close();
});
