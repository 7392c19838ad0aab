// The waitlist in a real browser, over the demo's 2,500-child list: a guardian applies to three centres (two where
// many wait, one the official's figures show with empty places), an official runs a round, the guardian sees the
// place offered and why, accepts it, and the official sees the waiting count drop by that child.
import { test } from "node:test";
import assert from "node:assert/strict";
import { clean, logIn as logInTo, registerChild, serverAndBrowser, skipReason } from "./harness.mjs";

const skip = skipReason;
const env = serverAndBrowser(["demo", "--seed", "7"]);
const logIn = (browser, email) => logInTo(env, browser, email);

/** Today's count in the figures table's row named `name`. */
async function waitingToday(page, name) {
  const cell = page.locator("#waiting-table tr", { has: page.locator(`th:text-is("${name}")`) }).locator("td").first();
  return Number(await cell.textContent());
}

test("a guardian applies to three centres, is offered a place with its reasons, accepts, and the count drops", { skip }, async () => {
  const official = await logIn(env.browser, "official@demo.dolbom.kr");
  const o = official.page;
  await o.goto(`${env.server.base}/official/waitlist?by=centre`);
  await o.waitForSelector("#waiting-chart svg");
  await clean(o, official.errors, "waitlist figures");
  const busiest = await o.locator("#waiting-table tbody th").allTextContents();
  const [popularA, popularB] = busiest.slice(1, 3);
  // 박새봄, born in 2023, waits in the class of her year of birth: a centre with room in that class or its mixed one.
  const seoul = new Date(Date.now() + 9 * 3600 * 1000);
  const careYear = seoul.getUTCMonth() >= 2 ? seoul.getUTCFullYear() : seoul.getUTCFullYear() - 1;
  const band = Math.min(careYear - 2023 - 1, 5);
  const classes = [`만 ${band}세반`, band <= 2 ? "영아혼합반" : "유아혼합반"];
  const rows = o.locator("#empty-places tbody tr").filter({ has: o.locator("td.classes", { hasText: new RegExp(classes.join("|")) }) });
  const withRoom = await rows.first().locator("td").first().textContent();
  assert.ok(popularA && popularB && withRoom && ![popularA, popularB].includes(withRoom), `${busiest} / ${withRoom}`);

  const guardian = await logIn(env.browser, "resident@demo.dolbom.kr");
  const g = guardian.page;
  const newborn = { name: "박새봄", birth: "2023-04-02", contact: "박보호", relation: "아버지", phone: "010-4444-5555" };
  await registerChild(g, env.server.base, newborn);

  await g.goto(`${env.server.base}/waitlist`);
  const child = await g.locator("#child_id option", { hasText: "박새봄" }).getAttribute("value");
  await g.getByLabel("아이", { exact: true }).selectOption(child);
  await g.getByLabel("사는 행정동").selectOption({ label: "상계1동" });
  await g.getByLabel("1지망").selectOption({ label: popularA });
  await g.getByLabel("2지망").selectOption({ label: popularB });
  await g.getByLabel("3지망").selectOption({ label: withRoom });
  await g.getByLabel("맞벌이").check();
  await clean(g, guardian.errors, "waitlist form");
  await g.getByRole("button", { name: "대기 신청하기" }).click();
  await g.waitForURL(`${env.server.base}/waitlist`);
  const mine = g.locator("section.manual-entry", { hasText: "박새봄" });
  assert.ok((await mine.locator(".status").textContent()).includes("대기 중"));
  await o.goto(`${env.server.base}/official/waitlist`);
  const waitingBefore = await waitingToday(o, "전체");

  // The round: the seed is published first, then run; its audit re-runs the published input to the same result.
  await o.goto(`${env.server.base}/staff/waitlist`);
  await o.getByRole("button", { name: "새 회차 추첨번호 공개" }).click();
  await o.waitForURL(`${env.server.base}/staff/waitlist`);
  await o.getByRole("button", { name: "배정 실행" }).first().click();
  await o.waitForURL(/\/staff\/waitlist\/rounds\/[0-9a-f-]+$/);
  assert.ok((await o.textContent("#reproduced")).includes("같은 결과입니다"));
  await clean(o, official.errors, "round audit");

  // The place offered, and why: the lists ahead were full; position, class, points and lottery number are shown.
  await g.goto(`${env.server.base}/waitlist`);
  const offer = mine.locator(".offer");
  assert.ok((await offer.textContent()).includes(`${withRoom}에 자리가 났습니다`), await offer.textContent());
  const why = await mine.locator(".why").textContent();
  assert.ok(why.includes("우선순위 해당 없음") && why.includes("점수 0점") && why.includes("추첨번호"), why);
  const lists = await mine.locator("ol.choices").textContent();
  assert.ok(/앞 순서에서 자리가 찼음|아이 나이의 반이 없음/.test(lists) && lists.includes("(배정)"), lists);
  assert.ok((await mine.locator(".band").textContent()).includes(`만 ${band}세반`));
  await clean(g, guardian.errors, "waitlist with an offer");
  await offer.getByRole("button", { name: "자리 수락" }).click();
  await g.waitForURL(`${env.server.base}/waitlist`);
  assert.ok((await mine.textContent()).includes(`${withRoom} 자리를 수락했습니다`));
  assert.ok((await mine.locator(".status").textContent()).includes("자리 수락함"));

  await o.goto(`${env.server.base}/official/waitlist`);
  assert.equal(await waitingToday(o, "전체"), waitingBefore - 1, "our child left the list");
});
