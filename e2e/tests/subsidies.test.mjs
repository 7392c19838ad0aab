// A subsidy in a real browser, on the demo: a group leader applies with a budget plan (a typo in an amount is
// caught and nothing typed is lost), an official scores and approves it, the leader signs the agreement and the
// official pays it; spending past a line is refused with what is left, the leader requests a plan change, the
// official approves it, the leader records the spending with its receipt, and the ledger balances.
import { test } from "node:test";
import assert from "node:assert/strict";
import { clean, logIn as logInTo, serverAndBrowser, skipReason } from "./harness.mjs";

const skip = skipReason;
const env = serverAndBrowser(["demo", "--seed", "7"]);
const logIn = (browser, email) => logInTo(env, browser, email);
const PROGRAMME = "돌봄 공동체 씨앗 지원사업";
// A real 1×1 PNG, as a phone's photo of a receipt would be (smaller).
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
  "base64",
);

const won = (text) => Number(text.replace(/[^0-9-]/g, ""));

async function totals(page) {
  const read = async (id) => won(await page.locator(`#${id}`).textContent());
  return { disbursed: await read("disbursed"), spent: await read("spent"), onHand: await read("on-hand"), remaining: await read("remaining") };
}

async function spend(page, line, amount, what, file) {
  const select = page.getByLabel("예산 항목", { exact: true });
  await select.selectOption(await select.locator("option", { hasText: `${line} (` }).getAttribute("value"));
  await page.getByLabel("금액(원)", { exact: true }).fill(amount);
  await page.locator("#description").fill(what);
  await page.getByLabel("영수증").setInputFiles(file);
  await page.getByRole("button", { name: "지출 기록" }).click();
  await page.waitForLoadState();
}

test("a leader applies, an official approves, a plan change moves money and the ledger balances", { skip }, async () => {
  const leader = await logIn(env.browser, "leader@demo.dolbom.kr");
  const l = leader.page;
  await l.goto(`${env.server.base}/subsidies`);
  await clean(l, leader.errors, "programmes");
  await l.getByRole("link", { name: PROGRAMME }).click();
  await l.getByRole("link", { name: "지원 신청" }).click();
  await l.getByLabel("제목").fill("아빠와 함께하는 주말 숲 놀이");
  await l.locator("#apply-summary").fill("아빠 10명과 아이들이 한 달에 두 번 숲에서 놉니다.");
  await l.getByLabel("예산 항목 1").fill("놀이 재료비");
  await l.getByLabel("금액(원) 1").fill("800,000");
  await l.getByLabel("예산 항목 2").fill("숲 해설 강사비");
  await l.getByLabel("금액(원) 2").fill("칠십만");
  await l.getByLabel("예산 항목 3").fill("간식비");
  await l.getByLabel("금액(원) 3").fill("300000");
  await l.getByRole("button", { name: "신청서 제출" }).click();
  await l.waitForSelector(".error-summary");
  assert.equal(await l.getByLabel("예산 항목 3").inputValue(), "간식비", "nothing typed is lost");
  await clean(l, leader.errors, "application with a typo");
  await l.getByLabel("금액(원) 2").fill("700,000");
  await l.getByRole("button", { name: "신청서 제출" }).click();
  await l.waitForURL(/\/grants\/[0-9a-f-]+$/);
  const grant = l.url();
  assert.match(await l.locator("#status").textContent(), /심사 중/);
  await clean(l, leader.errors, "grant submitted");

  const official = await logIn(env.browser, "official@demo.dolbom.kr");
  const o = official.page;
  await o.goto(grant);
  await o.getByLabel("사업의 필요성 (0–30)").fill("26");
  await o.getByLabel("실행 계획의 구체성 (0–40)").fill("35");
  await o.getByLabel("예산의 적정성 (0–30)").fill("27");
  await o.getByRole("button", { name: "심사표 저장" }).click();
  await o.waitForURL(grant);
  assert.equal((await o.locator("#score").textContent()).trim(), "88.00");
  await clean(o, official.errors, "grant reviewed");
  await o.getByRole("button", { name: "승인" }).click();
  await o.waitForURL(grant);
  assert.match(await o.locator("#status").textContent(), /선정/);

  await l.goto(grant);
  await l.getByRole("button", { name: "약정 맺기" }).click();
  await l.waitForURL(grant);
  await l.waitForSelector("#agreed");

  await o.goto(grant);
  await o.getByRole("button", { name: "교부 기록" }).click();
  await o.waitForURL(grant);
  assert.equal(won(await o.locator("#disbursed").textContent()), 1_800_000);

  // 350,000 of 간식비 is past the line's 300,000: refused, with what is left, and the form keeps what was typed.
  await l.goto(grant);
  await spend(l, "간식비", "350,000", "숲 놀이 간식 4회", { name: "receipt.png", mimeType: "image/png", buffer: PNG });
  assert.match(await l.locator(".error-summary").textContent(), /'간식비' 항목은 300,000원만 남았습니다/);
  assert.equal(await l.getByLabel("금액(원)", { exact: true }).inputValue(), "350,000");
  await clean(l, leader.errors, "spending refused");
  // A script renamed .jpg is not a receipt.
  await spend(l, "간식비", "50,000", "간식", { name: "receipt.jpg", mimeType: "image/jpeg", buffer: Buffer.from("<script>alert(1)</script>") });
  assert.match(await l.locator(".error-summary").textContent(), /JPEG, PNG, WebP 사진이나 PDF만/);
  assert.equal((await totals(l)).spent, 0, "nothing was recorded");

  // The plan change: 100,000 from 놀이 재료비 to 간식비.
  await l.getByLabel("예산 항목 1").fill("놀이 재료비");
  await l.getByLabel("금액(원) 1").fill("700000");
  await l.getByLabel("금액(원) 3").fill("400,000");
  await l.locator("#reason").fill("겨울철 간식 횟수가 늘었습니다.");
  await l.getByRole("button", { name: "변경 요청 보내기" }).click();
  await l.waitForURL(`${grant}#changes`);
  const waiting = await l.locator("#waiting-change").textContent();
  assert.match(waiting, /2차 변경 요청/);
  assert.match(waiting, /-100,000원/);
  assert.match(waiting, /\+100,000원/);
  await clean(l, leader.errors, "change waiting");

  await o.goto(grant);
  await o.locator("#change-reason").fill("적정");
  await o.locator("#change-decision").getByRole("button", { name: "승인" }).click();
  await o.waitForURL(grant);
  assert.match(await o.locator("#version-2").textContent(), /승인/);
  await clean(o, official.errors, "change approved");

  await l.goto(grant);
  await spend(l, "간식비", "350,000", "숲 놀이 간식 4회", { name: "receipt.png", mimeType: "image/png", buffer: PNG });
  await l.waitForURL(`${grant}#ledger`);
  const t = await totals(l);
  assert.deepEqual(t, { disbursed: 1_800_000, spent: 350_000, onHand: 1_450_000, remaining: 1_450_000 });
  const lines = await l.locator("#ledger-lines tbody tr").evaluateAll((rows) =>
    rows.map((r) => [...r.querySelectorAll("td")].map((td) => td.textContent.trim())),
  );
  assert.deepEqual(lines.map((r) => r[0]), ["놀이 재료비", "숲 해설 강사비", "간식비"]);
  const sum = (i) => lines.reduce((s, r) => s + won(r[i]), 0);
  assert.equal(sum(1), 1_800_000, "the lines' plan is the grant");
  assert.equal(sum(2), t.spent, "the lines' spending is the total");
  assert.deepEqual(lines[2].slice(1).map(won), [400_000, 350_000, 50_000]);
  const receipt = await l.getByRole("link", { name: "영수증" }).first().getAttribute("href");
  const r = await l.request.get(`${env.server.base}${receipt}`);
  assert.equal(r.headers()["content-type"], "image/png");
  await clean(l, leader.errors, "ledger");

  const report = await o.request.get(`${env.server.base}${await o.locator("a", { hasText: PROGRAMME }).first().getAttribute("href")}/report.csv`.replace("/subsidies/", "/official/subsidies/"));
  assert.match(await report.text(), /아빠와 함께하는 주말 숲 놀이,선정,1800000,88.00,1800000,1800000,350000,1450000/);
});
