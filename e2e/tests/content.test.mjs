// The hub's content in a real browser, on the demo: an official's Markdown with a script is refused by name with
// the text kept; what slips past the check is stripped, nothing on the page runs, and the page says so in its
// Content-Security-Policy; a fake attachment is refused; a leader enters the open contest and asks for consulting.
import { test } from "node:test";
import assert from "node:assert/strict";
import { clean, logIn as logInTo, serverAndBrowser, skipReason } from "./harness.mjs";

const skip = skipReason;
const env = serverAndBrowser(["demo", "--seed", "7"]);
const logIn = (browser, email) => logInTo(env, browser, email);

test("an official's Markdown runs nothing, and a fake attachment is refused", { skip }, async () => {
  const official = await logIn(env.browser, "official@demo.dolbom.kr");
  const o = official.page;
  await o.goto(`${env.server.base}/official/content`);
  await clean(o, official.errors, "content editor");
  await o.getByLabel("종류").selectOption("policy");
  await o.getByLabel("주제").selectOption("birth_childcare");
  await o.getByLabel("제목", { exact: true }).fill("아이돌봄 서비스 안내");
  const script = "## 신청\n\n<script>window.__ran = true</script>";
  await o.getByLabel("본문 (마크다운)").fill(script);
  await o.getByLabel("첨부파일").setInputFiles({ name: "안내.pdf", mimeType: "application/pdf", buffer: Buffer.from("<script>alert(1)</script>") });
  await o.getByRole("button", { name: "저장" }).click();
  await o.waitForSelector(".error-summary");
  assert.match(await o.locator(".error-summary").textContent(), /스크립트는 실행될 수 없어/);
  assert.match(await o.locator(".error-summary").textContent(), /이름만 바꾼 다른 파일은 받지 않습니다/);
  assert.equal(await o.getByLabel("본문 (마크다운)").inputValue(), script, "the text is kept as typed");
  assert.equal(await o.getByLabel("제목", { exact: true }).inputValue(), "아이돌봄 서비스 안내");
  await clean(o, official.errors, "refused content");

  const sneaky = "| 시간 | 요금 |\n|---|---|\n| 1시간 | 12,180원 |\n\n<a href=\"jav&#x61;script:window.__ran=true\" id=\"trap\">신청</a>\n\n<img src=\"/static/favicon.svg\" alt=\"로고\">";
  await o.getByLabel("본문 (마크다운)").fill(sneaky);
  await o.getByLabel("첨부파일").setInputFiles({ name: "요금표.pdf", mimeType: "application/pdf", buffer: Buffer.from("%PDF-1.4\n%%EOF\n") });
  await o.getByRole("button", { name: "저장" }).click();
  await o.waitForURL(/\/hub\/pages\/[0-9a-f-]+$/);
  assert.equal(await o.locator("#body td").nth(1).textContent(), "12,180원");
  assert.equal(await o.locator("#body a", { hasText: "신청" }).getAttribute("href"), null, "the script link lost its target");
  await o.locator("#body a", { hasText: "신청" }).click();
  assert.equal(await o.evaluate(() => window.__ran), undefined, "nothing ran");
  // The page's own policy stops an inline script even if one ever got through.
  const blocked = await o.evaluate(() => {
    const s = document.createElement("script");
    s.textContent = "window.__ran = true";
    document.body.append(s);
    return window.__ran;
  });
  assert.equal(blocked, undefined, "the Content-Security-Policy blocks inline scripts");
  official.errors.length = 0; // The policy's refusal of that script is reported on the console, as it should be.
  assert.equal(await o.getByRole("link", { name: "요금표.pdf" }).count(), 1);
  await clean(o, official.errors, "published page");
});

test("the hub shows the demo's content, the story archive and the contest results", { skip }, async () => {
  const visitor = await logIn(env.browser, "resident@demo.dolbom.kr");
  const p = visitor.page;
  await p.goto(`${env.server.base}/hub`);
  await clean(p, visitor.errors, "hub");
  await p.getByRole("link", { name: "스토리텔링" }).first().click();
  await p.getByRole("link", { name: "2025" }).click();
  assert.equal(await p.locator("#pages li").count(), 1);
  await clean(p, visitor.errors, "story archive");
  await p.goto(`${env.server.base}/contests`);
  await p.getByRole("link", { name: "상반기 돌봄 공동체 우수사례 경연대회" }).click();
  const first = await p.locator("#results-table tbody tr").first().textContent();
  assert.match(first, /엄마 나라 말로 읽는 그림책/);
  await clean(p, visitor.errors, "contest results");
});

test("a leader enters the open contest and asks for consulting", { skip }, async () => {
  const leader = await logIn(env.browser, "leader@demo.dolbom.kr");
  const l = leader.page;
  await l.goto(`${env.server.base}/contests`);
  await l.getByRole("link", { name: "하반기 우수사례 경연대회" }).click();
  await l.getByLabel("제목").fill("공원 놀이터 일 년");
  await l.getByRole("button", { name: "출품" }).click();
  await l.waitForSelector(".field-error");
  assert.equal(await l.getByLabel("제목").inputValue(), "공원 놀이터 일 년");
  await l.getByLabel("활동 내용").fill("토요일마다 아빠들이 공원에서 아이들과 놀았습니다.");
  await l.getByRole("button", { name: "출품" }).click();
  await l.waitForURL(/#mine$/);
  assert.match(await l.locator("#mine").locator("..").textContent(), /공원 놀이터 일 년/);
  await clean(l, leader.errors, "entered");
  await l.goto(`${env.server.base}/consulting`);
  await l.getByLabel("주제").selectOption("budget");
  await l.getByRole("textbox", { name: "질문" }).fill("강사비를 두 번에 나눠 지급해도 되나요?");
  await l.getByRole("button", { name: "보내기" }).click();
  await l.waitForURL(/#request-/);
  assert.equal(await l.locator("article", { hasText: "강사비를 두 번에" }).locator(".badge", { hasText: "답변 기다리는 중" }).count(), 1);
  await clean(l, leader.errors, "consulting");
});
