/**
 * The admin UI in Simplified Chinese in a real browser (Debian's Chromium through playwright-core)
 * against a real gateway process: a browser whose language is Chinese gets the setup, login and every
 * translated page in Chinese at phone width (no English dictionary text left, `<html lang="zh-CN">`,
 * numbers and dates written the Chinese way), the switcher turns it English live, and the choice
 * survives a reload. Screenshots: test-results/screenshots/i18n-*.png.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { launchBrowser, screenshot } from "../helpers/browser.ts";
import { type GatewayProcess, startGatewayProcess } from "../helpers/gateway-process.ts";
import { localeContext, PHONE, untranslated } from "../helpers/i18n.ts";

let gw: GatewayProcess;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const PASSWORD = "correct staple horse battery";

beforeAll(async () => {
  gw = await startGatewayProcess({
    config: `  tiers: {
    t1: { models: ["a/first", "b/backup"] },
    flaky: { models: ["a/down?fault=status&status=503", "b/rescue"] },
  },`,
  });
  browser = await launchBrowser();
  context = await localeContext(browser, "zh-CN", PHONE);
  page = await context.newPage();
}, 30_000);
afterAll(async () => {
  await browser?.close();
  await gw?.stop();
});

const lang = () => page.evaluate(() => document.documentElement.lang);

/** Sends a chat request to /v1 (no gateway keys exist here, so none is needed). */
async function chat(model: string): Promise<void> {
  const response = await fetch(`${gw.url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model, messages: [{ role: "user", content: "你好" }] }),
  });
  expect(response.status).toBe(200);
  await response.text();
}

/** The value of the dashboard's figure card with this label. */
const card = (label: string) =>
  page
    .locator(".stat-cards .card")
    .filter({ has: page.locator(".label", { hasText: label }) })
    .locator(".value");

/** Opens the phone's menu drawer (its button's name is in the language shown) and waits for it. */
async function openMenu(name = "打开菜单"): Promise<void> {
  await page.getByRole("button", { name }).click();
  await page.locator("#main-nav.open").waitFor();
}

test("a Chinese browser gets the setup page in Chinese, and it creates the admin", async () => {
  const link = /(http:\/\/\S+\/setup#token=\S+)/.exec(gw.banner)?.[1];
  expect(link).toBeDefined();
  await page.goto(link!.replace("localhost", "127.0.0.1"));
  await page.getByRole("heading", { name: "设置 SmartRoute" }).waitFor();
  expect(await lang()).toBe("zh-CN");
  await page.getByLabel("密码（至少 10 个字符）").fill(PASSWORD);
  await page.getByLabel("再次输入密码").fill("something else entirely");
  await page.getByRole("button", { name: "创建管理员账号" }).click();
  expect(await page.getByRole("alert").textContent()).toBe("两次输入的密码不一致。");
  await page.getByLabel("再次输入密码").fill(PASSWORD);
  await screenshot(page, "i18n-01-setup-zh");
  expect(await untranslated(page)).toEqual([]);
  await page.getByRole("button", { name: "创建管理员账号" }).click();
  await page.waitForURL("**/security");
  // Dates are written the Chinese way (year first, 24-hour clock) wherever format.ts writes them.
  await page.waitForFunction(() => /\d{4}\/\d{1,2}\/\d{1,2} \d{1,2}:\d{2}:\d{2}/.test(document.body.textContent ?? ""));
  expect(await page.locator("body").textContent()).not.toMatch(/\d{1,2}\/\d{1,2}\/\d{4}|[AP]M\b/);
}, 30_000);

test("the frame speaks Chinese: menu, theme, sign-out; the login page too", async () => {
  await openMenu();
  const nav = page.locator("#main-nav");
  expect(await nav.getByRole("link").allTextContents()).toEqual([
    "仪表盘",
    "请求日志",
    "实时日志",
    "模型与健康",
    "路由试验场",
    "配置",
    "API 密钥",
    "安全",
  ]);
  expect(await nav.textContent()).toContain("当前用户：admin");
  expect(await untranslated(page, "#main-nav")).toEqual([]);
  await screenshot(page, "i18n-02-menu-zh");
  await nav.getByRole("button", { name: "退出登录" }).click();
  await page.waitForURL("**/login");
  await page.getByRole("heading", { name: "登录 SmartRoute" }).waitFor();
  expect(await untranslated(page)).toEqual([]);
  await page.getByLabel("用户名").fill("admin");
  await page.getByLabel("密码").fill("not the password at all");
  await page.getByRole("button", { name: "登录", exact: true }).click();
  // The server's refusal (English in the API) is shown in Chinese.
  expect(await page.getByRole("alert").textContent()).toBe("用户名或密码错误。");
  await page.getByLabel("密码").fill(PASSWORD);
  await screenshot(page, "i18n-03-login-zh");
  await page.getByRole("button", { name: "登录", exact: true }).click();
  await page.waitForURL((url) => url.pathname === "/");
}, 30_000);

test("the dashboard in Chinese: figures, charts and tables, numbers and times the Chinese way", async () => {
  for (let i = 0; i < 5; i++) await chat("t1");
  await chat("flaky");
  await page.goto(`${gw.url}/`);
  await page.getByRole("heading", { name: "仪表盘" }).waitFor();
  await page.waitForFunction(() => document.querySelectorAll("canvas").length >= 3);
  await card("请求数").filter({ hasText: /^6$/ }).waitFor();
  // A percentage has no space before % in Chinese; the clock has no AM/PM.
  expect(await card("错误率").textContent()).toMatch(/^\d+(\.\d+)?%$/);
  expect(await page.locator(".refresh-state").textContent()).toMatch(/^更新于 \d{1,2}:\d{2}:\d{2}$/);
  expect(await page.getByRole("group", { name: "时间范围" }).getByRole("button").allTextContents()).toEqual([
    "最近 1 小时",
    "今天",
    "7 天",
    "30 天",
    "自定义",
  ]);
  const doors = page.getByRole("region", { name: "接入端点" });
  expect(await doors.locator("tbody tr").count()).toBe(1);
  expect(await page.getByRole("region", { name: "节省" }).getByTestId("savings-figure").textContent()).toBe(
    "已节省：未定价",
  );
  expect(await untranslated(page)).toEqual([]);
  await screenshot(page, "i18n-05-dashboard-zh-phone");
}, 30_000);

test("the health page in Chinese: verdicts, circuits and their reasons", async () => {
  await page.goto(`${gw.url}/health`);
  await page.getByRole("heading", { name: "模型与健康" }).waitFor();
  const down = page.getByRole("article", { name: "a/down?fault=status&status=503" }).first();
  await down.waitFor();
  // The failing model's verdict and the server's reason, both in Chinese.
  await page.waitForFunction(() => document.querySelector(".health-why")?.textContent !== "");
  expect(await down.locator(".health-verdict .badge").textContent()).toMatch(/^(故障|降级)$/);
  expect(await down.locator(".health-why").textContent()).toMatch(/次尝试中 .*失败|已熔断|半开|健康分/);
  expect(await page.getByRole("region", { name: "熔断概况" }).textContent()).toContain("目标");
  expect(await untranslated(page)).toEqual([]);
  await screenshot(page, "i18n-06-health-zh-phone");
  // The confirmation dialog (modal.tsx) speaks Chinese too; cancelling it changes nothing.
  await down.getByRole("button", { name: "重置 a/down?fault=status&status=503 的熔断" }).click();
  const dialog = page.getByRole("dialog", { name: "重置熔断？" });
  await dialog.waitFor();
  expect(await dialog.getByRole("button", { name: "关闭对话框" }).count()).toBe(1);
  expect(await untranslated(page, "[role=dialog]")).toEqual([]);
  await screenshot(page, "i18n-06b-health-reset-dialog-zh");
  await dialog.getByRole("button", { name: "取消" }).click();
  await dialog.waitFor({ state: "detached" });
}, 30_000);

test("a page that does not exist says so in Chinese", async () => {
  await page.goto(`${gw.url}/no-such-page`);
  await page.getByRole("heading", { name: "页面不存在" }).waitFor();
  expect(await page.getByRole("link", { name: "返回仪表盘" }).count()).toBe(1);
  expect(await untranslated(page, "#main")).toEqual([]);
});

test("the switcher turns the UI English at once, and the choice survives a reload", async () => {
  await page.goto(`${gw.url}/no-such-page`);
  await openMenu();
  await page.getByRole("button", { name: "English" }).click();
  await page.getByRole("heading", { name: "Page not found" }).waitFor();
  expect(await lang()).toBe("en");
  expect(await page.getByRole("button", { name: "English" }).getAttribute("aria-pressed")).toBe("true");
  expect(await page.locator("#main-nav").getByRole("link").first().textContent()).toBe("Dashboard");
  await screenshot(page, "i18n-04-switched-en");
  await page.reload();
  await page.getByRole("heading", { name: "Page not found" }).waitFor();
  expect(await lang()).toBe("en");
  // And back: the Chinese browser's own language once chosen again.
  await openMenu("Open the menu");
  await page.getByRole("button", { name: "中文" }).click();
  await page.getByRole("heading", { name: "页面不存在" }).waitFor();
  expect(await lang()).toBe("zh-CN");
});

test("English again on the dashboard: its own words and number format", async () => {
  await page.evaluate(() => localStorage.setItem("smartroute-locale", "en"));
  await page.goto(`${gw.url}/`);
  await page.getByRole("heading", { name: "Dashboard" }).waitFor();
  await card("Requests").filter({ hasText: /^6$/ }).waitFor();
  expect(await card("Error rate").textContent()).toMatch(/^\d+(\.\d+)? %$/);
  expect(await page.locator(".refresh-state").textContent()).toMatch(/^Updated \d{1,2}:\d{2}:\d{2} [AP]M$/);
  // The check used on the Chinese pages does see English: here it finds the page's own words.
  const english = await untranslated(page);
  expect(english).toContain('dashboard.cards.errorRate: "Error rate"');
  expect(english).toContain('dashboard.range.1h: "Last hour"');
  expect(english).toContain('shell.skipToContent: "Skip to content"');
  await page.evaluate(() => localStorage.setItem("smartroute-locale", "zh-CN"));
});

test("desktop screenshots in Chinese, light and dark", async () => {
  await page.setViewportSize({ width: 1280, height: 900 });
  for (const theme of ["light", "dark"]) {
    await page.goto(`${gw.url}/`);
    await page.evaluate((value) => (document.documentElement.dataset.theme = value), theme);
    await page.waitForFunction(() => document.querySelectorAll("canvas").length >= 3);
    await screenshot(page, `i18n-07-dashboard-zh-desktop-${theme}`);
    await page.goto(`${gw.url}/health`);
    await page.evaluate((value) => (document.documentElement.dataset.theme = value), theme);
    await page.getByRole("article").first().waitFor();
    await screenshot(page, `i18n-08-health-zh-desktop-${theme}`);
  }
  expect(await lang()).toBe("zh-CN");
}, 30_000);
