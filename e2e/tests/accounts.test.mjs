// The account journey in a real browser: sign up, log out, log in, switch language, log out.
import { test } from "node:test";
import assert from "node:assert/strict";
import { axeViolations, newCheckedPage, serverAndBrowser, skipReason } from "./harness.mjs";

const skip = skipReason;
const env = serverAndBrowser(["serve"]);

/** Visits (or stays on) a page and checks it: no console errors, no serious/critical axe violations, fits 360 px. */
async function check(page, errors, label) {
  const violations = await axeViolations(page);
  assert.deepEqual(violations, [], `axe on ${label}`);
  assert.deepEqual(errors, [], `console on ${label}`);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `${label} scrolls sideways by ${overflow}px at 360 px`);
}

test("a resident signs up, logs out, logs in, switches language and logs out", { skip }, async () => {
  const { page, errors, context } = await newCheckedPage(env.browser);
  await page.goto(`${env.server.base}/`);
  assert.equal(await page.getAttribute("html", "lang"), "ko");
  await check(page, errors, "home (ko)");

  // The skip link is the first thing the keyboard reaches, and it is visible when focused.
  await page.keyboard.press("Tab");
  const focused = await page.evaluate(() => document.activeElement.textContent);
  assert.equal(focused, "본문 바로가기");

  await page.getByRole("link", { name: "회원가입" }).first().click();
  await page.waitForURL(/\/signup$/);
  await check(page, errors, "sign-up form");

  // A bad submission keeps what was typed and says what is wrong, field by field.
  await page.getByLabel("이메일").fill("not-an-email");
  await page.getByLabel("이름").fill("김민지");
  await page.getByRole("button", { name: "가입하기" }).click();
  await page.waitForSelector(".error-summary");
  assert.equal(await page.getByLabel("이메일").inputValue(), "not-an-email");
  assert.ok((await page.textContent(".error-summary")).includes("이메일 형식이 올바르지 않습니다"));
  await check(page, errors, "sign-up with errors");

  await page.getByLabel("이메일").fill("minji@example.kr");
  await page.getByLabel("비밀번호", { exact: true }).fill("a long enough password");
  await page.getByLabel("비밀번호 확인").fill("a long enough password");
  await page.getByRole("button", { name: "가입하기" }).click();
  await page.waitForURL(/\/account$/);
  assert.ok((await page.textContent("main")).includes("minji@example.kr"));
  await check(page, errors, "account");

  await page.getByRole("button", { name: "로그아웃" }).click();
  await page.waitForURL(`${env.server.base}/`);
  assert.ok(await page.getByRole("link", { name: "로그인" }).first().isVisible());

  await page.getByRole("link", { name: "로그인" }).first().click();
  await page.waitForURL(/\/login/);
  await check(page, errors, "log-in form");
  await page.getByLabel("이메일").fill("minji@example.kr");
  await page.getByLabel("비밀번호").fill("a long enough password");
  await page.getByRole("button", { name: "로그인" }).last().click();
  await page.waitForURL(`${env.server.base}/`);
  assert.ok((await page.textContent("header")).includes("김민지"));

  await page.getByRole("link", { name: "English" }).click();
  await page.waitForLoadState();
  assert.equal(await page.getAttribute("html", "lang"), "en");
  assert.ok(await page.getByRole("heading", { name: "Care and welfare in one place" }).isVisible());
  await check(page, errors, "home (en)");

  await page.getByRole("button", { name: "Log out" }).click();
  await page.waitForURL(`${env.server.base}/`);
  assert.ok(await page.getByRole("link", { name: "Log in" }).first().isVisible());
  await check(page, errors, "home after log-out (en)");
  await context.close();
});

test("the 404 page and the API docs are accessible", { skip }, async () => {
  const { page, errors, context } = await newCheckedPage(env.browser, { width: 1280, height: 800 });
  const missing = await page.goto(`${env.server.base}/no/such/page`);
  assert.equal(missing.status(), 404);
  await check(page, errors, "404");
  await page.goto(`${env.server.base}/api/docs`);
  assert.ok(await page.getByRole("heading", { name: /GET \/api\/v1\/areas/ }).isVisible());
  await check(page, errors, "API docs");
  await context.close();
});

test("the checker itself catches what it is meant to catch", { skip }, async () => {
  const { page, context } = await newCheckedPage(env.browser);
  await page.setContent(`<html><body><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><button></button>
    <p style="color:#aaa;background:#fff">faint</p></body></html>`);
  const violations = await axeViolations(page);
  assert.ok(violations.some((v) => v.startsWith("image-alt")), violations.join("\n"));
  assert.ok(violations.some((v) => v.startsWith("button-name")), violations.join("\n"));
  await context.close();
});
