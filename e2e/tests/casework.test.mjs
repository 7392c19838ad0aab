// Casework across agencies in a real browser, on the demo: a 동주민센터 welfare worker schedules and records a visit
// (risks and a follow-up task), records the household's consent to share with the welfare centre, opens a case and
// refers the household there; the centre's worker, who sees the household only through that consent and referral,
// accepts and links a food voucher; the 동주민센터 then trying the same voucher is warned and asked for a reason.
import { test } from "node:test";
import assert from "node:assert/strict";
import { clean, logIn as logInTo, serverAndBrowser, skipReason } from "./harness.mjs";

const skip = skipReason;
const env = serverAndBrowser(["demo", "--seed", "7"]);
const logIn = (browser, email) => logInTo(env, browser, email);
const VOUCHER = "노원 행복나눔 푸드마켓 이용권";
const CENTRE = "노원구종합사회복지관";

/** Today and a day `days` later in Seoul, as the date inputs take them. */
function seoulDay(days = 0) {
  return new Date(Date.now() + 9 * 3600 * 1000 + days * 86_400_000).toISOString().slice(0, 10);
}

test("a visit, a case and a referral; the centre links a voucher and a second agency is warned", { skip }, async () => {
  const worker = await logIn(env.browser, "worker@demo.dolbom.kr");
  const w = worker.page;
  await w.goto(`${env.server.base}/staff/households?area=1135063000`);
  const links = w.locator("table a[href^='/staff/households/']");
  const href = await links.last().getAttribute("href");
  const household = `${env.server.base}${href.split("?")[0]}?purpose=case_management`;
  await w.goto(household);
  await clean(w, worker.errors, "household page");

  // The visit: scheduled for today, then recorded with what was found.
  await w.getByLabel("방문 예정일").fill(seoulDay());
  await w.getByRole("button", { name: "일정 저장" }).click();
  await w.waitForURL(`${env.server.base}/staff/visits`);
  await clean(w, worker.errors, "my visits");
  await w.locator("#my-visits tbody a").first().click();
  await w.waitForURL(/\/staff\/visits\/[0-9a-f-]+$/);
  await w.getByLabel("더 알릴 내용").fill("냉장고가 비어 있음, 사흘째 끼니를 거름");
  await w.getByLabel("위기 정도").selectOption({ label: "위기" });
  await w.getByLabel("끼니 거름").check();
  await w.getByLabel("후속 할 일", { exact: true }).fill("푸드마켓 이용 연계");
  await w.getByLabel("할 일 기한").fill(seoulDay(2));
  await clean(w, worker.errors, "visit form");
  await w.getByRole("button", { name: "방문 기록 저장" }).click();
  await w.waitForSelector("#visit-status");
  assert.match(await w.locator("#visit-status").textContent(), /방문함/);
  assert.match(await w.locator("dl.facts").textContent(), /끼니 거름/);

  // Consent to share with the welfare centre, a case, a referral.
  await w.goto(household);
  await w.getByLabel("동의 목적").selectOption({ label: "기관 간 정보 공유" });
  await w.getByLabel("제공받는 기관").selectOption({ label: CENTRE });
  await w.getByLabel("동의한 날").fill(seoulDay());
  await w.getByLabel("동의 끝나는 날").fill(seoulDay(365));
  await w.getByRole("button", { name: "동의 저장" }).click();
  await w.waitForURL(/#consents$/);
  assert.match(await w.locator("#consents table").textContent(), /기관 간 정보 공유/);
  await w.getByLabel("사례 요약").fill("식품 위기, 홀로 지냄");
  await w.getByRole("button", { name: "사례 열기" }).last().click();
  await w.waitForURL(/\/staff\/cases\/[0-9a-f-]+$/);
  assert.match(await w.locator("#case-status").textContent(), /진행 중/);
  await clean(w, worker.errors, "case page");
  await w.goto(household);
  await w.getByLabel("의뢰할 기관").selectOption({ label: CENTRE });
  await w.getByLabel("영역").selectOption({ label: "소득" });
  await w.getByLabel("필요한 도움").fill("푸드마켓 식품 지원");
  await w.getByRole("button", { name: "의뢰 보내기" }).click();
  await w.waitForURL(/#referrals$/);
  assert.match(await w.locator("#referrals ul").textContent(), /푸드마켓 식품 지원 · 보냄/);

  // The centre accepts and links the food voucher.
  const centre = await logIn(env.browser, "centre@demo.dolbom.kr");
  const c = centre.page;
  await c.goto(`${env.server.base}/staff/referrals`);
  await clean(c, centre.errors, "centre's referrals");
  const row = c.locator("#referrals tbody tr", { hasText: "푸드마켓 식품 지원" });
  await row.getByRole("button", { name: "받아들이기" }).click();
  await c.waitForURL(`${env.server.base}/staff/referrals`);
  await c.locator("#referrals tbody tr", { hasText: "푸드마켓 식품 지원" }).getByRole("link", { name: "가구 보기" }).click();
  await c.waitForSelector("#link-form");
  await c.getByLabel("서비스", { exact: true }).selectOption({ label: VOUCHER });
  await c.getByLabel("시작일").fill(seoulDay());
  await c.getByLabel("종료일").fill(seoulDay(60));
  await c.getByLabel("현물 내용").fill("식품 5종/월");
  await c.getByRole("button", { name: "연계 저장" }).click();
  await c.waitForSelector("#links");
  assert.match(await c.locator("#links").textContent(), new RegExp(`${VOUCHER}.*${CENTRE}`, "s"));
  await clean(c, centre.errors, "centre's household page");

  // The 동주민센터 tries the same voucher: warned, with the centre's link named and a reason asked for.
  await w.goto(household);
  await w.getByLabel("서비스", { exact: true }).selectOption({ label: VOUCHER });
  await w.getByLabel("시작일").fill(seoulDay(7));
  await w.getByLabel("종료일").fill(seoulDay(37));
  await w.getByLabel("현물 내용").fill("식품 5종/월");
  await w.getByRole("button", { name: "연계 저장" }).click();
  await w.waitForSelector("#duplicate-warning");
  assert.match(await w.locator("#duplicate-warning").textContent(), new RegExp(`같은 종류의 지원.*${VOUCHER} · ${CENTRE}`, "s"));
  await w.getByLabel("진행 사유").waitFor();
  await clean(w, worker.errors, "duplicate warning");
  assert.equal(await w.locator("#links tbody tr").count(), 1, "nothing saved without a reason");

  // The figures count it.
  await w.goto(`${env.server.base}/staff/dashboard`);
  const cells = await w.locator("#dashboard tr[data-area='1135063000'] td").allTextContents();
  assert.ok(Number(cells.at(-1)) >= 2, `duplicates prevented in 상계1동: ${cells}`);
  await clean(w, worker.errors, "dashboard");
});
