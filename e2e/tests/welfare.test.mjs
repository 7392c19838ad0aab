// A resident checks which welfare services they qualify for, without logging in, and reads why.
import { test } from "node:test";
import assert from "node:assert/strict";
import { axeViolations, newCheckedPage, serverAndBrowser, skipReason } from "./harness.mjs";

const skip = skipReason;
const env = serverAndBrowser(["demo", "--seed", "7"]);

test("a resident finds a service by 초성, fills the eligibility form and reads why they qualify", { skip }, async () => {
  const { page, errors, context } = await newCheckedPage(env.browser);
  await page.goto(`${env.server.base}/`);
  await page.getByRole("link", { name: "복지 서비스 찾기" }).click();
  await page.waitForURL(/\/welfare$/);
  await page.getByLabel("찾고 싶은 서비스").fill("ㄱㅊㅇㄱ");
  await page.getByRole("button", { name: "검색" }).click();
  await page.waitForSelector(".hit-list");
  const hit = page.getByRole("link", { name: "기초연금", exact: true });
  assert.equal(await hit.count(), 1, "초성 ㄱㅊㅇㄱ finds 기초연금");
  assert.deepEqual(await axeViolations(page), [], "axe on the search results");
  await hit.click();
  await page.waitForURL(/\/welfare\/services\//);
  assert.equal(await page.getByRole("heading", { level: 1 }).textContent(), "기초연금");
  assert.deepEqual(await axeViolations(page), [], "axe on the service page");

  await page.getByRole("link", { name: "조건을 넣어 나에게 맞는 복지 찾기" }).click();
  await page.waitForURL(/\/welfare\/check$/);
  assert.deepEqual(await axeViolations(page), [], "axe on the form");

  // An impossible answer is explained and what was typed stays.
  await page.getByLabel("생년월일").fill("2099-01-01");
  await page.getByRole("button", { name: "찾아보기" }).click();
  await page.waitForSelector(".error-summary");
  assert.ok((await page.textContent(".error-summary")).includes("생년월일이 오늘보다 뒤입니다"));
  assert.equal(await page.getByLabel("생년월일").inputValue(), "2099-01-01");

  await page.getByLabel("생년월일").fill("1954-05-01");
  await page.getByLabel("행정동").selectOption({ label: "상계1동" });
  await page.getByLabel("가구원 수 (명)").fill("1");
  await page.getByLabel("가구 월 소득 (원)").fill("1,100,000");
  await page.getByRole("button", { name: "찾아보기" }).click();
  await page.waitForSelector(".results");

  const pension = page.locator(".result", { has: page.getByRole("heading", { name: "기초연금", exact: true }) });
  assert.equal(await pension.count(), 1, "기초연금 is among the results");
  const why = await pension.locator(".reasons").textContent();
  assert.ok(why.includes("만 65세 이상"), why);
  assert.ok(why.includes("충족"), why);
  assert.deepEqual(await axeViolations(page), [], "axe on the results");
  assert.deepEqual(errors, [], "console");
  await context.close();
});

test("the printable manual is accessible", { skip }, async () => {
  const { page, errors, context } = await newCheckedPage(env.browser, { width: 1024, height: 800 });
  await page.goto(`${env.server.base}/welfare/manual?term=theme%3Acare`);
  assert.ok(await page.getByRole("heading", { name: "복지자원 안내서" }).isVisible());
  assert.deepEqual(await axeViolations(page), [], "axe on the manual");
  assert.deepEqual(errors, [], "console");
  await context.close();
});
