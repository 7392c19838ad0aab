// Keyboard only, as someone who cannot use a mouse or a touch screen: welfare search, a care application, a
// waiting-list application and a room booking, with Tab, Shift+Tab, arrows, Space, Enter and typing — never a
// click. Every stop on the way must show where the focus is. And with "reduce motion" asked for, nothing moves.
import { test } from "node:test";
import assert from "node:assert/strict";
import { DEMO_PASSWORD, newCheckedPage, registerChild, serverAndBrowser, skipReason } from "./harness.mjs";

const skip = skipReason;
const env = serverAndBrowser(["demo", "--seed", "7"]);

/** The focused element as a user perceives it: its name, and whether the focus ring can be seen. */
function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    // A date field keeps focus in its parts (and its picker button): the ring is drawn on the field.
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    const label = el.labels?.[0]?.textContent || el.getAttribute("aria-label") || "";
    const own = el.tagName === "SELECT" ? "" : el.textContent;
    return {
      tag: el.tagName.toLowerCase(),
      type: el.getAttribute("type") || "",
      href: el.getAttribute("href") || "",
      name: (label || own || el.value || "").trim().replace(/\s+/g, " "),
      ring: (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2) || style.boxShadow !== "none",
      style: `outline ${style.outlineStyle} ${style.outlineWidth}, shadow ${style.boxShadow}, ${box.width}×${box.height}`,
      shown: box.width > 0 && box.height > 0,
    };
  });
}

/** Tabs (or Shift+Tabs) until the focus is on what `wanted` accepts; every stop on the way must show its ring. */
async function tabTo(page, wanted, { back = false, max = 150 } = {}) {
  const seen = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(back ? "Shift+Tab" : "Tab");
    const f = await focused(page);
    if (!f) continue;
    seen.push(`${f.tag} "${f.name.slice(0, 30)}"`);
    assert.ok(f.ring && f.shown, `focus visible on ${f.tag} "${f.name}" at ${page.url()} (${f.style})`);
    if (wanted(f)) return f;
  }
  throw new Error(`not reached by Tab on ${page.url()}; went through: ${seen.join(", ")}`);
}

const named = (text, tag) => (f) => f.name.includes(text) && (!tag || f.tag === tag);

/** Tabs to a field and types into it. */
async function typeInto(page, label, text) {
  await tabTo(page, named(label));
  await page.keyboard.press("Control+A");
  await page.keyboard.type(text);
}

/**
 * Tabs to a closed list box and moves through it with the arrow keys until the option shown includes `text` (or,
 * given a number, that many options down); returns the option's text.
 */
async function choose(page, label, text) {
  await tabTo(page, (f) => f.tag === "select" && f.name.includes(label));
  const shown = () => page.evaluate(() => document.activeElement.selectedOptions[0]?.textContent ?? "");
  if (typeof text === "number") {
    for (let i = 0; i < text; i++) await page.keyboard.press("ArrowDown");
    return shown();
  }
  for (let i = 0; i < 400; i++) {
    const now = await shown();
    if (now.includes(text)) return now;
    await page.keyboard.press("ArrowDown");
  }
  throw new Error(`no option "${text}" in ${label}`);
}

/**
 * Types a date into a date field, as its parts. The parts' order is the browser's (Chromium follows the system's
 * locale, not the page's), so each order is tried, from the first part (arrow keys move between the parts).
 */
async function typeDate(page, label, iso) {
  await tabTo(page, named(label));
  const [year, month, day] = iso.split("-");
  const tried = [];
  for (const order of [[year, month, day], [month, day, year], [day, month, year]]) {
    for (let part = 0; part < 3; part++) await page.keyboard.press("ArrowLeft");
    for (const digits of order) await page.keyboard.type(digits);
    const value = await page.evaluate(() => document.activeElement.value);
    if (value === iso) return;
    tried.push(value);
  }
  assert.fail(`${label}: typing ${iso} gave ${tried.join(", ")}`);
}

/** Moves through a radio group with the arrow keys until the one named `text` is chosen. */
async function chooseRadio(page, text) {
  await tabTo(page, (f) => f.type === "radio");
  for (let i = 0; i < 20; i++) {
    const f = await focused(page);
    if (f.name.includes(text)) {
      await page.keyboard.press("Space");
      return;
    }
    await page.keyboard.press("ArrowDown");
  }
  throw new Error(`no choice "${text}"`);
}

/** The next Saturday at least two days away, as YYYY-MM-DD in Seoul. */
function nextSaturday() {
  const seoul = new Date(Date.now() + 9 * 3600 * 1000);
  const day = new Date(Date.UTC(seoul.getUTCFullYear(), seoul.getUTCMonth(), seoul.getUTCDate() + 2));
  while (day.getUTCDay() !== 6) day.setUTCDate(day.getUTCDate() + 1);
  return day.toISOString().slice(0, 10);
}

async function pressAndWait(page, key, url) {
  await Promise.all([page.waitForURL(url), page.keyboard.press(key)]);
}

async function logInByKeyboard(page, email) {
  await page.goto(`${env.server.base}/login`);
  await typeInto(page, "이메일", email);
  await typeInto(page, "비밀번호", DEMO_PASSWORD);
  await pressAndWait(page, "Enter", `${env.server.base}/`);
}

test("welfare search and a service's page by keyboard", { skip }, async () => {
  const { page, errors, context } = await newCheckedPage(env.browser, { width: 1280, height: 900 });
  await page.goto(`${env.server.base}/`);
  await tabTo(page, named("복지 서비스 찾기", "a"));
  await pressAndWait(page, "Enter", /\/welfare$/);
  await typeInto(page, "찾고 싶은 서비스", "기초연금");
  await pressAndWait(page, "Enter", /\/welfare\?/);
  await tabTo(page, (f) => f.tag === "a" && f.name === "기초연금");
  await pressAndWait(page, "Enter", /\/welfare\/services\//);
  assert.equal(await page.getByRole("heading", { level: 1 }).textContent(), "기초연금");
  assert.deepEqual(errors, []);
  await context.close();
});

test("a care application by keyboard", { skip }, async () => {
  const { page, errors, context } = await newCheckedPage(env.browser, { width: 1280, height: 900 });
  await logInByKeyboard(page, "resident@demo.dolbom.kr");
  await registerChild(page, env.server.base, { name: "한키보", birth: "2017-08-15", contact: "한보호", relation: "할머니" });
  await page.goto(`${env.server.base}/care`);
  await tabTo(page, named("이 돌봄 신청하기", "a"));
  await pressAndWait(page, "Enter", /\/care\/apply/);
  await choose(page, "아이", "한키보");
  await chooseRadio(page, "초등 시설형 긴급돌봄");
  await typeDate(page, "돌봄 날짜", nextSaturday());
  await typeInto(page, "시작 시각", "1000AM");
  await typeInto(page, "끝 시각", "0200PM");
  await choose(page, "신청 이유", "일");
  await choose(page, "사는 동", "상계1동");
  await typeInto(page, "주소", "노원구 상계로 70");
  await tabTo(page, named("신청하기", "button"));
  await pressAndWait(page, "Enter", /\/care\/applications\/[0-9a-f-]+$/);
  assert.ok((await page.textContent(".status")).includes("기관 확인 중"));
  assert.deepEqual(errors, []);
  await context.close();
});

test("a waiting-list application by keyboard", { skip }, async () => {
  const { page, errors, context } = await newCheckedPage(env.browser, { width: 1280, height: 900 });
  await logInByKeyboard(page, "resident@demo.dolbom.kr");
  await registerChild(page, env.server.base, { name: "한대기", birth: "2024-03-09", contact: "한보호", relation: "어머니" });
  await page.goto(`${env.server.base}/my`);
  await tabTo(page, (f) => f.tag === "a" && f.href.startsWith("/waitlist"));
  await pressAndWait(page, "Enter", /\/waitlist/);
  await choose(page, "아이", "한대기");
  await choose(page, "사는 행정동", "상계1동");
  const first = await choose(page, "1지망", 1);
  const second = await choose(page, "2지망", 2);
  await tabTo(page, named("맞벌이"));
  await page.keyboard.press("Space");
  await tabTo(page, named("대기 신청하기", "button"));
  await pressAndWait(page, "Enter", `${env.server.base}/waitlist`);
  const mine = await page.locator("main").textContent();
  assert.ok(mine.includes("한대기") && mine.includes(first) && mine.includes(second), "on the list with both choices");
  assert.deepEqual(errors, []);
  await context.close();
});

/** The first Saturday at least three weeks ahead in Seoul, clear of the other tests' bookings. */
function laterSaturday() {
  const day = new Date(Date.now() + 9 * 3600 * 1000 + 21 * 86_400_000);
  while (day.getUTCDay() !== 6) day.setUTCDate(day.getUTCDate() + 1);
  return day.toISOString().slice(0, 10);
}

test("a room booking by keyboard", { skip }, async () => {
  const { page, errors, context } = await newCheckedPage(env.browser, { width: 1280, height: 900 });
  await logInByKeyboard(page, "neighbour@demo.dolbom.kr");
  const day = laterSaturday();
  await tabTo(page, (f) => f.tag === "a" && f.href === "/spaces");
  await pressAndWait(page, "Enter", /\/spaces$/);
  await typeDate(page, "날짜", day);
  await typeInto(page, "시작 시각", "1000AM");
  await typeInto(page, "끝 시각", "1200PM");
  await choose(page, "행정동", "상계1동");
  await tabTo(page, named("빈 공간 찾기", "button"));
  await pressAndWait(page, "Enter", /\/spaces\?/);
  await tabTo(page, (f) => f.tag === "a" && f.name === "상계1동 주민센터 다목적실");
  await pressAndWait(page, "Enter", /\/spaces\/[0-9a-f-]+/);
  await typeDate(page, "날짜", day);
  await typeInto(page, "시작 시각", "1000AM");
  await typeInto(page, "끝 시각", "1200PM");
  await typeInto(page, "쓰는 목적", "키보드로 여는 동화 모임");
  await typeInto(page, "인원", "5");
  await tabTo(page, named("이 시간 잡아 두기", "button"));
  await pressAndWait(page, "Enter", /\/bookings\/[0-9a-f-]+$/);
  await tabTo(page, named("예약 확정", "button"));
  await page.keyboard.press("Enter");
  await page.waitForSelector("#booking-status");
  await page.waitForFunction(() => document.querySelector("#booking-status")?.textContent.includes("확정"));
  assert.deepEqual(errors, []);
  await context.close();
});

test("with less motion asked for, nothing on the resident pages moves", { skip }, async () => {
  const context = await env.browser.newContext({ locale: "ko-KR", reducedMotion: "reduce", viewport: { width: 360, height: 640 } });
  const page = await context.newPage();
  await page.goto(`${env.server.base}/login`);
  await typeInto(page, "이메일", "resident@demo.dolbom.kr");
  await typeInto(page, "비밀번호", DEMO_PASSWORD);
  await pressAndWait(page, "Enter", `${env.server.base}/`);
  for (const path of ["/", "/welfare", "/welfare/check", "/places", "/care", "/spaces", "/hub", "/my", "/waitlist"]) {
    await page.goto(`${env.server.base}${path}`);
    const moving = await page.evaluate(() => {
      if (!matchMedia("(prefers-reduced-motion: reduce)").matches) return ["the preference did not reach the page"];
      const found = [];
      for (const el of [document.documentElement, ...document.querySelectorAll("body *")]) {
        for (const pseudo of [null, "::before", "::after"]) {
          const s = getComputedStyle(el, pseudo);
          const long = (list) => list.split(",").some((d) => parseFloat(d) > 0);
          if ((s.animationName !== "none" && long(s.animationDuration)) || long(s.transitionDuration) || s.scrollBehavior === "smooth") {
            found.push(`${el.tagName.toLowerCase()}${pseudo ?? ""}.${el.className}`);
          }
        }
      }
      return found;
    });
    assert.deepEqual(moving, [], `nothing moves on ${path}`);
    assert.equal(await page.evaluate(() => document.getAnimations().length), 0, `no running animation on ${path}`);
  }
  await context.close();
});
