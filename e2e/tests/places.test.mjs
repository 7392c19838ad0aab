// A parent finds the nearest 다함께돌봄센터 with a free place that is open on Saturday, on the map and in the list,
// and sees a vacancy appear live when the centre's staff update it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { axeViolations, newCheckedPage, serverAndBrowser, skipReason } from "./harness.mjs";

const skip = skipReason;
const env = serverAndBrowser(["demo", "--seed", "7"]);

test("a parent finds the nearest open 다함께돌봄센터 with a free place on the map and in the list", { skip }, async () => {
  const { page, errors } = await newCheckedPage(env.browser, { width: 1280, height: 900 });
  await page.goto(`${env.server.base}/`);
  await page.getByRole("link", { name: "우리 동네 돌봄 지도" }).first().click();
  await page.waitForURL(/\/places$/);
  assert.equal(await page.locator("#map path.dong").count(), 19, "the real 행정동 of 노원구");
  assert.deepEqual(await axeViolations(page), [], "axe on the map page");

  await page.getByLabel("다함께돌봄센터").check();
  await page.getByLabel("아이 나이 (만 나이)").fill("8");
  await page.getByLabel("지금 빈자리가 있는 곳만").check();
  await page.getByLabel("이 시각에 여는 곳 (공휴일 포함)").fill("2026-11-28T10:00");
  await page.getByLabel("위도").fill("37.6551");
  await page.getByLabel("경도").fill("127.0613");
  await page.getByRole("button", { name: "찾기" }).click();
  await page.waitForURL(/kind=community_care/);

  const items = page.locator(".place-list li[id^='place-']");
  const count = await items.count();
  assert.ok(count > 0, "some centre is open on Saturday with a free place");
  assert.equal(await page.locator("#map circle.marker").count(), count, "the map shows exactly the list's results");
  const first = await items.first().textContent();
  assert.ok(first.includes("다함께돌봄센터") && first.includes("빈자리"), first);
  const distances = await items.locator(".muted").allTextContents();
  const metres = distances.map((t) => {
    const m = /([\d.]+) (k?m)/.exec(t);
    return m ? Number(m[1]) * (m[2] === "km" ? 1000 : 1) : NaN;
  });
  assert.ok(metres.every((m, i) => i === 0 || metres[i - 1] <= m), `nearest first: ${metres}`);

  // The map: zoom in, then a marker leads to its twin in the list.
  const before = await page.getAttribute("#map", "viewBox");
  await page.getByRole("button", { name: "확대" }).click();
  assert.notEqual(await page.getAttribute("#map", "viewBox"), before, "zoomed in");
  await page.getByRole("button", { name: "전체 보기" }).click();
  await page.locator("#map circle.marker").first().click({ force: true });
  assert.equal(await page.locator(".place-list li.current").count(), 1);
  assert.equal(await page.evaluate(() => document.activeElement.closest("li")?.id), "place-0", "focus moves to the list");

  // The list works from the keyboard: Enter on the focused link opens the centre, open on Saturday morning.
  await page.keyboard.press("Enter");
  await page.waitForURL(/\/places\/facilities\//);
  const hours = await page.locator("table.hours").textContent();
  assert.match(hours, /토요일\s*\d\d:\d\d–\d\d:\d\d/);
  assert.ok((await page.locator(".vacancy").textContent()).includes("빈자리"));
  assert.deepEqual(await axeViolations(page), [], "axe on the facility page");
  assert.deepEqual(errors, []);
});

test("a vacancy saved by the centre shows up on an open map without reloading", { skip }, async () => {
  const staff = await newCheckedPage(env.browser, { width: 1280, height: 900 });
  await staff.page.goto(`${env.server.base}/login`);
  await staff.page.getByLabel("이메일").fill("provider@demo.dolbom.kr");
  await staff.page.getByLabel("비밀번호").fill("dolbom-demo-2026");
  await staff.page.getByRole("button", { name: "로그인" }).last().click();
  await staff.page.waitForURL(`${env.server.base}/`);
  await staff.page.goto(`${env.server.base}/provider/facilities`);
  await staff.page.getByRole("link", { name: "상계1동 다함께돌봄센터" }).click();
  const capacity = Number(await staff.page.getByLabel("정원").inputValue());
  await staff.page.getByLabel("현원 (지금 다니는 아동 수)").fill(String(capacity));
  await staff.page.getByRole("button", { name: "저장" }).click();
  await staff.page.waitForURL(/\/places\/facilities\//);

  const parent = await newCheckedPage(env.browser, { width: 1280, height: 900 });
  await parent.page.goto(`${env.server.base}/places?dong=1135063000&kind=community_care&vacancy=1`);
  assert.equal(await parent.page.locator(".place-list li").count(), 0, "full: not listed");

  await staff.page.goto(`${env.server.base}/provider/facilities`);
  await staff.page.getByRole("link", { name: "상계1동 다함께돌봄센터" }).click();
  await staff.page.getByLabel("현원 (지금 다니는 아동 수)").fill(String(capacity - 3));
  await staff.page.getByRole("button", { name: "저장" }).click();
  await staff.page.waitForURL(/\/places\/facilities\//);

  const item = parent.page.locator(".place-list li", { hasText: "상계1동 다함께돌봄센터" });
  await item.waitFor({ timeout: 5_000 });
  assert.ok((await item.textContent()).includes("빈자리 3"));
  assert.equal(await parent.page.locator("#map circle.marker").count(), 1, "and on the map");
  // The staff browser only sets the scene, jumping between pages by address; a request it leaves in flight (the
  // favicon of the page it just left) is cut, not failed. Everything else must be clean.
  assert.deepEqual(staff.errors.filter((e) => !e.endsWith("(net::ERR_ABORTED)")), []);
  assert.deepEqual(parent.errors, []);
});
