// Names as residents really write them: right-to-left script, mixed scripts, emoji, forty characters with no space.
// Each renders whole and in order, on a 360 px phone and at 200 % zoom, without sideways scrolling; and a
// browser asking for a language we do not have gets Korean, never message ids.
import { test } from "node:test";
import assert from "node:assert/strict";
import { clean, logIn, messageIdsIn, registerChild, serverAndBrowser, skipReason } from "./harness.mjs";

const skip = skipReason;
const env = serverAndBrowser(["demo", "--seed", "7"]);

/** Forty characters (the most a child's name may have) with no place to break the line. */
const LONG = "Nguyễn_Thị_Hương_김하늘_مريم_🌸🌸_Ωmega_李小龍龍!";
const RTL = "مريم 🌸 김하늘";

/** A child with a mixed-script contact, registered through the form. */
const register = (page, base, name) =>
  registerChild(page, base, { name, birth: "2019-03-01", contact: "مريم Nguyễn", relation: "엄마 👩" });

/** Sideways scrolling of the page, in CSS pixels (0 when it fits). */
const overflow = (page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

test("long, right-to-left and emoji names render whole on a phone and at 200 % zoom", { skip }, async () => {
  assert.equal([...LONG].length, 40);
  const { page, errors, context } = await logIn(env, env.browser, "neighbour@demo.dolbom.kr");
  const long = await register(page, env.server.base, LONG);
  const rtl = await register(page, env.server.base, RTL);
  // 200 % zoom of a 1280 px window is a 640 px wide page drawn at twice the density.
  const zoomed = await env.browser.newContext({ viewport: { width: 640, height: 450 }, deviceScaleFactor: 2 });
  await zoomed.addCookies(await context.cookies());
  const zoomedPage = await zoomed.newPage();
  for (const [label, p, width] of [["360 px", page, 360], ["200 %", zoomedPage, 640]]) {
    await p.setViewportSize({ width, height: 640 });
    for (const path of [new URL(long).pathname, new URL(rtl).pathname, "/children", "/my"]) {
      await p.goto(`${env.server.base}${path}`);
      assert.equal(await overflow(p), 0, `${path} scrolls sideways at ${label}`);
      const shown = await p.locator("main").innerText();
      assert.ok(shown.includes(LONG) || path === new URL(rtl).pathname, `${path} shows the long name whole at ${label}`);
      assert.ok(shown.includes(RTL) || path === new URL(long).pathname, `${path} shows the right-to-left name at ${label}`);
    }
  }
  // The right-to-left name is isolated: the date after it stays after it, and the heading reads in its order.
  await page.goto(`${env.server.base}/children`);
  const item = page.locator("li", { has: page.locator("bdi", { hasText: RTL }) });
  assert.equal(await item.locator("bdi").first().textContent(), RTL);
  await page.goto(rtl);
  assert.equal(await page.locator("h1 bdi").textContent(), RTL);
  await clean(page, errors, "a child with a right-to-left name");
  await zoomed.close();
  await context.close();
});

test("a browser asking for a language we do not have gets Korean, not message ids", { skip }, async () => {
  const context = await env.browser.newContext({ locale: "ja-JP", extraHTTPHeaders: { "Accept-Language": "ja-JP,ja;q=0.9" } });
  const page = await context.newPage();
  for (const path of ["/", "/welfare/check", "/places", "/care"]) {
    await page.goto(`${env.server.base}${path}`);
    assert.equal(await page.getAttribute("html", "lang"), "ko", path);
    const text = await page.locator("body").innerText();
    assert.match(text, /[가-힣]/, `${path} is in Korean`);
    assert.deepEqual(messageIdsIn(text), [], `${path} shows no message id`);
  }
  await context.close();
});
