/**
 * The request log, one request in full, the live tail and the routing playground in Simplified Chinese,
 * in a real browser (Debian's Chromium through playwright-core) against a real gateway process and the
 * mock upstream: served, failed-over, rejected-by-a-rule, streamed and refused requests are listed,
 * filtered, opened and tailed, and the playground explains and sends one request side by side. On each
 * page, at phone width (390) and on a desktop, with its panels, filters and details opened: no English
 * dictionary text is left (`untranslated`), the page is no wider than the screen, and the words that
 * carry meaning (counts, outcomes, states) are the Chinese ones. The server's own reasons (refusals,
 * attempt reasons, tier reasons) stay English, as the API writes them. The same check on the English
 * pages does find the area's words, so it can fail. Screenshots: test-results/screenshots/i18n-logs-*.png.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { launchBrowser, screenshot } from "../helpers/browser.ts";
import { type GatewayProcess, startGatewayProcess } from "../helpers/gateway-process.ts";
import { DESKTOP, localeContext, PHONE, untranslated } from "../helpers/i18n.ts";

const PASSWORD = "correct staple horse battery";
const DOWN = "a/down?fault=status&status=503";
const DISGUISED = "a/disguised?fault=keywordText";
let gw: GatewayProcess;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let key = "";

beforeAll(async () => {
  gw = await startGatewayProcess({
    env: { GATEWAY_ADMIN_PASSWORD: PASSWORD },
    config: `  tiers: {
    t1: { models: ["a/first"] },
    flaky: { models: ["${DOWN}", "b/rescue"] },
    disguised: { models: ["${DISGUISED}", "b/plain"] },
  },
  retry: { rules: [errorKeywordRetry({ keywords: [/rate limit (exceeded|reached)/i] })] },`,
  });
  const login = await fetch(`${gw.url}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-smartroute-request": "1" },
    body: JSON.stringify({ username: "admin", password: PASSWORD }),
  });
  expect(login.status).toBe(200);
  const cookie = login.headers.get("set-cookie")!.split(";")[0];
  const created = await fetch(`${gw.url}/api/keys`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-smartroute-request": "1", cookie },
    body: JSON.stringify({ name: "浏览器测试" }),
  });
  expect(created.status).toBe(201);
  key = ((await created.json()) as { key: string }).key;
  browser = await launchBrowser();
  context = await localeContext(browser, "zh-CN", PHONE);
  page = await context.newPage();
}, 30_000);
afterAll(async () => {
  await browser?.close();
  await gw?.stop();
});

async function chat(model: string, apiKey = key, stream = false): Promise<number> {
  const response = await fetch(`${gw.url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${apiKey}` },
    body: JSON.stringify({ model, stream, messages: [{ role: "user", content: "你好，请求日志" }] }),
  });
  await response.text();
  return response.status;
}

/** The rows of the log table once `count` of them show. */
async function rows(count: number) {
  await page.waitForFunction((n) => document.querySelectorAll("table.log-table tbody tr").length === n, count, {
    timeout: 10_000,
  });
  return page.locator("table.log-table tbody tr");
}

/** The page is no wider than the screen (a table may scroll inside its own box). */
const fitsWidth = () => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

/**
 * At phone width, then on a desktop: `prepare` brings the page to the state to check (it runs again after
 * the resize, so panels opened for one width are open for the other), then nothing English is left and
 * nothing sticks out; a screenshot of each.
 */
async function atBothWidths(name: string, prepare: () => Promise<void>): Promise<void> {
  for (const [width, viewport] of [
    ["phone", PHONE],
    ["desktop", DESKTOP],
  ] as const) {
    await page.setViewportSize(viewport);
    await prepare();
    expect(await untranslated(page)).toEqual([]);
    expect(await fitsWidth()).toBe(true);
    await screenshot(page, `i18n-logs-${name}-${width}`);
  }
  await page.setViewportSize(PHONE);
}

/** On a phone the filters fold behind their button ("筛选（n）"): unfolds them (on a desktop they show). */
async function openFilters(): Promise<void> {
  const toggle = page.locator("button.log-filters-toggle");
  if ((await toggle.isVisible()) && (await toggle.getAttribute("aria-expanded")) !== "true") await toggle.click();
  await page.getByRole("search", { name: "筛选请求日志" }).waitFor();
}

/** Opens every folded <details> of the page (raw JSON, error bodies, reasoning), as a click on each would. */
async function openAllDetails(): Promise<void> {
  await page.evaluate(() => {
    for (const details of document.querySelectorAll("details")) details.open = true;
  });
  // The raw JSON is rendered once its panel is open (the toggle event comes after).
  await page.waitForFunction(() => [...document.querySelectorAll("details")].every((d) => d.querySelector("pre")));
}

test("traffic: served, failed over, rejected by a rule, streamed, refused for an unknown key", async () => {
  for (let i = 0; i < 3; i++) expect(await chat("t1")).toBe(200);
  expect(await chat("flaky")).toBe(200);
  expect(await chat("disguised")).toBe(200);
  expect(await chat("t1", key, true)).toBe(200);
  expect(await chat("t1", "sk-someone-elses-key")).toBe(401);
});

test("sign in, in Chinese", async () => {
  await page.goto(`${gw.url}/login`);
  await page.getByLabel("用户名").fill("admin");
  await page.getByLabel("密码").fill(PASSWORD);
  await page.getByRole("button", { name: "登录", exact: true }).click();
  await page.waitForURL((url) => url.pathname === "/");
}, 30_000);

test("the request log in Chinese: count, order, columns, filters and their options", async () => {
  await page.goto(`${gw.url}/logs`);
  await page.getByRole("heading", { name: "请求日志" }).waitFor();
  await rows(7);
  await page
    .getByTestId("log-count")
    .filter({ hasText: /^7 个请求符合条件$/ })
    .waitFor();
  // The state line: the order and the time, the Chinese way (24-hour clock, no AM/PM).
  expect(await page.locator(".list-state").textContent()).toMatch(/· 最新在前，截至 \d{1,2}:\d{2}:\d{2}$/);
  const refused = page.locator("table.log-table tbody tr", { hasText: "401" });
  // The frame is Chinese, the reason is the server's own words.
  expect(await refused.textContent()).toContain("401 未授权");
  expect(await refused.textContent()).toContain("已拒绝：Invalid API key.");
  expect(await page.locator("table.log-table tbody tr", { hasText: "b/rescue" }).textContent()).toContain(
    `从 ${DOWN} 转移后成功`,
  );
  expect(await page.getByRole("button", { name: "筛选（0）" }).isVisible()).toBe(true);
  await atBothWidths("list", openFilters);
  expect(await page.getByRole("combobox", { name: "状态" }).locator("option").allTextContents()).toContain(
    "429 已限流",
  );

  // A filter and a range: the count says the range in its own words, and the empty state is Chinese.
  await page.getByRole("combobox", { name: "状态" }).selectOption("401");
  await rows(1);
  await page.getByRole("combobox", { name: "时间范围" }).selectOption("1h");
  await page
    .getByTestId("log-count")
    .filter({ hasText: /^1 个请求符合条件（最近 1 小时）$/ })
    .waitFor();
  await page.getByRole("combobox", { name: "错误码" }).fill("no_such_code");
  await page.getByRole("combobox", { name: "错误码" }).press("Enter");
  await page.getByText("没有请求符合这些筛选条件。").waitFor();
  expect(await page.getByRole("button", { name: "筛选（3）" }).count()).toBe(1);
  await atBothWidths("list-filtered-empty", openFilters);
  await openFilters();
  await page.getByRole("button", { name: "清除筛选" }).click();
  await rows(7);

  // The latency header sorts; the order is said in Chinese.
  await page.setViewportSize(DESKTOP);
  await page.getByRole("button", { name: "延迟" }).click();
  await page.waitForURL(/sort=latency/);
  await page.locator(".list-state").filter({ hasText: "最慢在前" }).waitFor();
  expect(await untranslated(page)).toEqual([]);
  await page.setViewportSize(PHONE);
}, 60_000);

test("a failed-over request in full, in Chinese: summary, timeline, conversation, answer, raw JSON", async () => {
  await page.goto(`${gw.url}/logs?attempted=${encodeURIComponent(DOWN)}`);
  const found = await rows(1);
  await found.first().locator("a").click();
  await page.waitForURL("**/logs/req_*");
  await page.getByRole("heading", { name: "请求", exact: true }).waitFor();
  const timeline = page.locator("ol.timeline");
  await timeline.waitFor();
  expect(await timeline.textContent()).toContain("故障转移到 b/rescue");
  expect(await timeline.getAttribute("aria-label")).toMatch(/^\d+ 次尝试，共 [\d.]+ m?s$/);
  expect(await page.getByRole("heading", { name: "回答" }).count()).toBe(1);
  await atBothWidths("detail-failover", openAllDetails);
  expect(await timeline.locator(".attempt-rejected summary").first().textContent()).toMatch(
    /^错误正文 （[\d,]+ 个字符）$/,
  );
  expect(await page.getByRole("button", { name: "复制请求正文" }).count()).toBe(1);
}, 60_000);

test("the answer a rule rejected, and a refused request, in Chinese", async () => {
  await page.goto(`${gw.url}/logs?attempted=${encodeURIComponent(DISGUISED)}`);
  await (await rows(1)).first().locator("a").click();
  await page.waitForURL("**/logs/req_*");
  await page.locator("ol.timeline").getByText("被拒绝的回答（上游发送的内容）").waitFor();
  await atBothWidths("detail-rejected", openAllDetails);

  await page.goto(`${gw.url}/logs?status=401`);
  await (await rows(1)).first().locator("a").click();
  await page.waitForURL("**/logs/req_*");
  await page.getByTestId("refused-note").waitFor();
  expect(await page.getByTestId("refused-note").textContent()).toBe(
    "在规划路由之前：未选择档位，未调用任何模型（invalid_api_key）",
  );
  await page.getByText("没有上游尝试：请求在调用任何模型之前就已应答或被拒绝。").waitFor();
  await atBothWidths("detail-refused", openAllDetails);
  await page.getByRole("link", { name: "← 请求日志" }).click();
  await rows(1);
}, 60_000);

test("the live tail in Chinese: connection state, pause and what waits, resume", async () => {
  await page.goto(`${gw.url}/tail`);
  await page.getByRole("heading", { name: "实时日志" }).waitFor();
  await page.getByRole("status").filter({ hasText: "实时" }).waitFor();
  await rows(7);
  await page.getByText("显示 7 个请求。").waitFor();
  await atBothWidths("tail", async () => {});
  await page.getByRole("button", { name: "暂停" }).click();
  expect(await chat("t1")).toBe(200);
  await page.getByText("已暂停：1 个新请求等待中。").waitFor();
  await page.getByRole("button", { name: "继续（1 个新请求）" }).waitFor();
  await atBothWidths("tail-paused", async () => {});
  await page.getByRole("button", { name: "继续（1 个新请求）" }).click();
  await rows(8);
  await page.getByRole("button", { name: "清空" }).click();
  await page.getByText("正在等待请求…新请求一经记录就会显示在这里。").waitFor();
  expect(await untranslated(page)).toEqual([]);
}, 60_000);

test("the playground in Chinese: its errors, the explained route, two answers side by side, the JSON mode", async () => {
  await page.goto(`${gw.url}/playground`);
  await page.getByRole("heading", { name: "路由试验场" }).waitFor();
  await page.getByRole("button", { name: "解释路由" }).click();
  expect(await page.getByRole("alert").textContent()).toBe("请先输入提示词。");
  await atBothWidths("playground-empty", async () => {});

  await page.getByRole("textbox", { name: "提示词", exact: true }).fill("写一首关于路由的短诗");
  await page.getByRole("button", { name: "解释路由" }).click();
  await page.getByRole("heading", { name: "候选模型（按尝试顺序）" }).waitFor();
  for (const heading of ["分类器", "时间预算", "重试计划"])
    expect(await page.getByRole("heading", { name: heading }).count()).toBe(1);
  // A budget in whole minutes is written in words, the seconds by their symbol as everywhere.
  expect(await page.locator(".play-dl").first().textContent()).toMatch(/整个请求\d+ 分钟/);
  expect(await page.locator(".play-dl").first().textContent()).toMatch(/首个 token 等待上限\d+ s/);
  await atBothWidths("playground-explained", openAllDetails);

  await page.getByRole("combobox", { name: "并排对比" }).selectOption("flaky");
  await page.getByRole("button", { name: "同时发送给两者" }).click();
  await page.getByTestId("play-answer").nth(1).waitFor({ timeout: 10_000 });
  const flaky = page.getByRole("region", { name: "flaky 的回答" });
  expect(await flaky.getByTestId("play-model").textContent()).toBe("b/rescue");
  // The failing model was retried, then failed over: each outcome in Chinese, the last one accepted.
  const outcomes = await flaky.locator(".play-attempt .badge").allTextContents();
  expect(await flaky.locator("h3").textContent()).toBe(`${outcomes.length} 次尝试`);
  expect(outcomes).toContain("故障转移");
  expect(outcomes.at(-1)).toBe("已接受");
  await atBothWidths("playground-sent", async () => {});

  // The JSON mode starts from an example conversation in the language shown.
  await page.getByRole("button", { name: "对话（JSON）" }).click();
  expect(await page.locator("textarea.play-json").inputValue()).toContain("写一个合并两个有序列表的 Python 函数。");
  await page.locator("textarea.play-json").fill("{ 不是 JSON");
  await page.getByRole("button", { name: "解释路由" }).click();
  expect(await page.getByRole("alert").first().textContent()).toMatch(/^对话不是有效的 JSON：/);
  await page.getByRole("combobox", { name: "请求的模型" }).selectOption({ label: "其他名称…" });
  await page.getByPlaceholder("别名或未知名称").waitFor();
  await atBothWidths("playground-json", async () => {});
}, 60_000);

test("in English the same check finds the area's words: it would catch a forgotten t()", async () => {
  await page.evaluate(() => localStorage.setItem("smartroute-locale", "en"));
  await page.goto(`${gw.url}/logs`);
  await page.getByRole("heading", { name: "Logs" }).waitFor();
  await page.locator("table.log-table tbody tr").first().waitFor();
  const english = await untranslated(page);
  expect(english).toContain('logs.caption: "Requests, newest first"');
  expect(english).toContain('logs.status.401: "unauthorized"');
  expect(english).toContain('logs.filters.region: aria-label="Filter the request log"');
  await page.goto(`${gw.url}/playground`);
  await page.getByRole("heading", { name: "Routing playground" }).waitFor();
  expect(await untranslated(page)).toContain('playground.form: aria-label="Request to explain"');
  await page.evaluate(() => localStorage.setItem("smartroute-locale", "zh-CN"));
}, 30_000);
