/**
 * The config page in Simplified Chinese in a real browser (Debian's Chromium) against a real gateway
 * process (in cluster mode on the test Redis when one answers, so the processes panel shows) and the
 * mock upstream: the form with its sections, a literal secret, an override, a code-written value and a
 * field's problem; the review and apply; adding a provider with a connection test; the model picker; the
 * code view with a validation and its diff; the history with a comparison, a version's text and the
 * rollback confirmation; the page's own confirmations. Each at phone width (390) and desktop (1280): no
 * English dictionary text left, nothing wider than the screen. Messages the server writes (issues,
 * schema descriptions, upstream errors) stay English. Screenshots: test-results/screenshots/i18n-config-*.png.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { launchBrowser, screenshot } from "../helpers/browser.ts";
import { type GatewayProcess, startGatewayProcess } from "../helpers/gateway-process.ts";
import { DESKTOP, localeContext, PHONE, untranslated } from "../helpers/i18n.ts";
import { dropKeys, REDIS_URL, redisAnswers, uniquePrefix } from "../helpers/redis.ts";

const PASSWORD = "correct staple horse battery";
const LITERAL_KEY = "sk-i18n-literal-key-0123456789abcdef";
const PROVIDER_KEY = "sk-i18n-provider-key-0123456789abcdef";
const TYPED_KEY = "sk-i18n-typed-key-0123456789abcdef";
const prefix = uniquePrefix();
let gw: GatewayProcess;
let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  gw = await startGatewayProcess({
    config: `  server: { port: 6688 },
  tiers: { t1: { models: ["a/first", "b/backup"] } },
  timeouts: { connectMs: 10_000, totalMs: 60 * 1000 },`,
    providers: `lit: openai({ baseURL: "http://127.0.0.1:9/v1", apiKey: "${LITERAL_KEY}" }),`,
    env: {
      GATEWAY_ADMIN_PASSWORD: PASSWORD,
      ...(redisAnswers ? { GATEWAY_REDIS_URL: REDIS_URL, GATEWAY_REDIS_PREFIX: prefix } : {}),
    },
  });
  browser = await launchBrowser();
  context = await localeContext(browser, "zh-CN", PHONE);
  page = await context.newPage();
}, 30_000);
afterAll(async () => {
  await browser?.close();
  await gw?.stop();
  if (redisAnswers) await dropKeys(prefix);
});

/**
 * The page as shown now, at phone width and on a desktop: every text and label in Chinese (or data),
 * nothing wider than the screen; a screenshot of each. `within` narrows the check to a part of the page.
 */
async function checkBoth(name: string, within = "body"): Promise<void> {
  for (const [size, viewport] of [
    ["phone", PHONE],
    ["desktop", DESKTOP],
  ] as const) {
    await page.setViewportSize(viewport);
    expect(await untranslated(page, within)).toEqual([]);
    // What sticks out past the screen's edge (outside a scrolling box), named so a failure says where.
    const wider = await page.evaluate(() => {
      if (document.documentElement.scrollWidth <= window.innerWidth) return [];
      return [...document.querySelectorAll("#main *")]
        .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1 && el.children.length === 0)
        .slice(0, 5)
        .map((el) => `${el.tagName.toLowerCase()}.${el.className}: ${el.textContent?.slice(0, 40)}`);
    });
    expect(wider).toEqual([]);
    await screenshot(page, `i18n-config-${name}-${size}`);
  }
  await page.setViewportSize(PHONE);
}

/** The text of the next confirm() the page opens, answered "Cancel" (the page then keeps its changes). */
const dismissNextDialog = () =>
  new Promise<string>((resolve) =>
    page.once("dialog", (dialog) => {
      resolve(dialog.message());
      void dialog.dismiss();
    }),
  );

const main = () => page.locator("#main");
const tab = (name: string) => page.getByRole("tab", { name });

test("signed in from the Chinese login page, the form speaks Chinese: sections, secret, override, code", async () => {
  await page.goto(`${gw.url}/login`);
  await page.getByLabel("用户名").fill("admin");
  await page.getByLabel("密码").fill(PASSWORD);
  await page.getByRole("button", { name: "登录", exact: true }).click();
  await page.waitForURL((url) => url.pathname !== "/login");
  await page.goto(`${gw.url}/config`);
  await page.getByRole("heading", { name: "配置", level: 1 }).waitFor();
  await page.getByRole("heading", { name: "档位" }).waitFor();
  expect(await page.getByRole("tablist", { name: "配置视图" }).getByRole("tab").allTextContents()).toEqual([
    "设置",
    "代码",
    "历史",
  ]);
  expect(await page.locator(".cfg-title .badge").textContent()).toBe("当前生效：第 1 版");
  // The literal key in the file: counted, offered to move; its field masked with the replace button.
  expect(await main().textContent()).toContain("此配置中有 1 个明文密钥");
  expect(await page.getByRole("button", { name: "将它移入密钥库" }).count()).toBe(1);
  expect(await page.getByRole("button", { name: "替换密钥" }).count()).toBe(1);
  expect(await main().textContent()).not.toContain(LITERAL_KEY);
  // The port the process runs with, and a value written as code (60 * 1000) with its line.
  await page.getByText(`已被 GATEWAY_PORT 覆盖：${new URL(gw.url).port}`).waitFor();
  expect(await page.getByRole("button", { name: /^代码视图第 \d+ 行$/ }).count()).toBeGreaterThan(0);
  // A list's buttons: the action in Chinese, the tier and model as they are in the config.
  expect(await page.getByRole("button", { name: "移除 t1 model b/backup" }).count()).toBe(1);
  expect(await page.getByRole("button", { name: "上移 t1 model b/backup" }).count()).toBe(1);
  if (redisAnswers) {
    const cluster = page.getByRole("region", { name: "此集群的进程" });
    await cluster.locator("tbody tr").first().waitFor({ timeout: 10_000 });
    expect(await cluster.locator("tbody tr").first().textContent()).toContain("（当前进程）");
    await cluster.getByText("最新").waitFor();
  }
  await checkBoth("01-form");
}, 40_000);

test("a field's problem, the unsaved bar, the review and the apply, in Chinese", async () => {
  const connect = page.locator("#main input[type=number]").first();
  await connect.fill("0");
  await page.getByText("不能小于 1").first().waitFor();
  await connect.fill("9000");
  await page.getByText("= 9.00 s").first().waitFor();
  const bar = page.getByRole("region", { name: "未保存的修改" });
  expect(await bar.locator("strong").textContent()).toBe("1 处未保存的修改");
  expect(await page.getByRole("heading", { name: "超时" }).locator("..").textContent()).toContain("1 处未保存");
  // The page's own confirmation, in Chinese; dismissing it keeps the change.
  const asked = dismissNextDialog();
  await bar.getByRole("button", { name: "放弃" }).click();
  expect(await asked).toBe("放弃 1 处未保存的修改？");
  await bar.getByRole("button", { name: "审阅" }).click();
  await page.getByRole("heading", { name: "审阅 1 处修改" }).waitFor();
  await page.getByText("新配置可以加载。应用时只写入下面这些行，并热重载网关。").waitFor();
  expect(await page.getByRole("region", { name: "待应用修改的差异" }).textContent()).toContain("connectMs: 9_000");
  await checkBoth("02-review");
  await page.getByRole("button", { name: "应用", exact: true }).click();
  await page.getByText(/^已应用：第 2 版现已生效。/).waitFor();
  await checkBoth("03-applied");
  await page.getByRole("button", { name: "关闭", exact: true }).click();
}, 40_000);

test("adding a provider in Chinese: the connection test, the password, the secret store", async () => {
  await page.getByRole("button", { name: "+ 添加提供商…" }).click();
  const form = page.getByRole("form", { name: "添加提供商" });
  await form.getByLabel("名称").fill("lit");
  await form.getByText("已存在名为 lit 的提供商").waitFor();
  await form.getByLabel("名称").fill("mock2");
  await form.getByLabel("Base URL").fill(gw.mock.url);
  await form.getByLabel("API 密钥").fill(PROVIDER_KEY);
  await form.getByRole("button", { name: "测试连接" }).click();
  await form.getByText("已连接（HTTP 200）。它列出了 4 个模型。").waitFor();
  expect(await form.getByRole("list", { name: "上游列出的模型" }).textContent()).toContain("mock-small");
  await checkBoth("04-add-provider", ".cfg-provider-form");
  await form.getByRole("button", { name: "添加提供商" }).click();
  const dialog = page.getByRole("dialog", { name: "输入密码以确认" });
  await dialog.getByLabel("你的密码").fill(PASSWORD);
  await dialog.getByRole("button", { name: "确认" }).click();
  await page.getByText(/^已添加提供商 mock2：其密钥保存在密钥库中/).waitFor();
  const store = page.getByRole("region", { name: "已保存的密钥" });
  await store.getByText("SMARTROUTE_MOCK2_API_KEY").waitFor();
  expect(await store.getByRole("columnheader").allTextContents()).toEqual(["名称", "设置时间", "使用者", "操作"]);
  expect(await store.getByRole("button", { name: "删除已保存的密钥 SMARTROUTE_MOCK2_API_KEY" }).isDisabled()).toBe(
    true,
  );
  expect(await main().textContent()).not.toContain(PROVIDER_KEY);
  await checkBoth("05-secret-store");
}, 40_000);

test("the model picker in Chinese: its table, the catalog's figures, the pick", async () => {
  await page.getByRole("button", { name: "+ 从列表中向 t1 添加模型…" }).click();
  const table = page.getByRole("region", { name: "可添加到 t1 的模型" });
  await table.getByText("mock2/mock-small").waitFor();
  // (The source column is hidden on a phone: its header is read from the markup.)
  expect(await table.locator("th").allTextContents()).toEqual(["模型", "上下文", "输入 / 输出（每百万）", "来源"]);
  const mini = table.getByRole("row").filter({ hasText: "mock2/gpt-4o-mini" });
  expect(await mini.textContent()).toContain("128,000$0.150 / $0.600提供商的 /models");
  await table.getByLabel("mock2/mock-small").check();
  await checkBoth("06-model-picker", ".cfg-picker");
  await page.getByRole("button", { name: "添加 mock2/mock-small" }).click();
  await page.getByRole("region", { name: "未保存的修改" }).getByText("1 处未保存的修改").waitFor();
  // Leaving the page with the change asks, in Chinese; staying keeps it.
  const asked = dismissNextDialog();
  await page.evaluate(() => document.querySelector<HTMLAnchorElement>('#main-nav a[href="/"]')?.click());
  expect(await asked).toBe("离开配置页面？你有 1 处未保存的修改，离开后将会丢失。");
  await page.getByRole("heading", { name: "配置", level: 1 }).waitFor();
}, 40_000);

test("the code view in Chinese: the notes, a validation and its diff", async () => {
  await tab("代码").click();
  const editor = page.getByLabel("gateway.config.ts 的源码");
  await editor.waitFor();
  // The model picked above is a pending form change, which the code view says it does not show.
  await page.getByText("表单中有 1 处未保存的修改，未在此显示。应用此文本会放弃这些修改。").waitFor();
  // A value changed, and a key pasted in clear: the warning and its choice to move it, in Chinese.
  await editor.fill(
    (await editor.inputValue())
      .replace("connectMs: 9_000", "connectMs: 8_000")
      .replace('env("SMARTROUTE_LIT_API_KEY")', `"${TYPED_KEY}"`),
  );
  expect(await page.getByText("已编辑，未应用").count()).toBe(1);
  await page.getByRole("button", { name: "校验", exact: true }).click();
  await page.getByText("此文本可以加载。").waitFor();
  expect(await page.getByRole("region", { name: "已编辑文本的差异" }).textContent()).toContain("connectMs: 8_000");
  await page.getByText("此修改会以明文写入密钥").waitFor();
  expect(await page.getByLabel(/^应用时，将明文密钥移入密钥库/).isChecked()).toBe(true);
  await checkBoth("07-code");
  await page.getByRole("button", { name: "恢复为文件内容" }).click();
  await page.getByText("与文件相同").waitFor();
}, 40_000);

test("the history in Chinese: a comparison, a version's text, the rollback confirmation", async () => {
  await tab("历史").click();
  const versions = page.locator(".cfg-version");
  await versions.nth(2).waitFor();
  expect(await versions.first().locator(".badge.ok").textContent()).toBe("最新");
  await page.locator("#cfg-version-1").check();
  await page.locator("#cfg-version-2").check();
  expect(await page.getByText("已选：#1, #2").count()).toBe(1);
  await page.getByRole("button", { name: "比较 #1 → #2" }).click();
  const diff = page.getByRole("region", { name: "差异 #1 → #2" }).first();
  await diff.waitFor();
  await diff
    .getByText(/connectMs: 9_000/)
    .first()
    .waitFor();
  await checkBoth("08-history-diff");
  await versions.last().getByRole("button", { name: "查看文本" }).click();
  await page.getByRole("heading", { name: "版本 #1" }).waitFor();
  await versions.last().getByRole("button", { name: "回滚到此版本…" }).click();
  const confirm = page.getByRole("alertdialog", { name: "回滚到版本 #1" });
  await confirm.waitFor();
  expect(await confirm.textContent()).toContain("表单中 1 处未保存的修改将被放弃。");
  expect(await confirm.getByRole("button").allTextContents()).toEqual(["回滚到 #1", "取消"]);
  await checkBoth("09-history-rollback");
  await confirm.getByRole("button", { name: "取消" }).click();
}, 40_000);

test("the form's own errors and states in Chinese: a taken name, a removed item, the secret form", async () => {
  await tab("设置").click();
  // A name the record has already: the UI's own refusal.
  await page.getByLabel("tiers 中的新名称").fill("t1");
  await page.getByLabel("tiers 中的新名称").press("Enter");
  await page.getByRole("alert").filter({ hasText: "t1 已存在。" }).waitFor();
  // A removed list item waits, struck through, with its restore button.
  await page.getByRole("button", { name: "移除 t1 model b/backup" }).click();
  const removed = page.getByRole("list", { name: "已移除，尚未应用" });
  await removed.getByRole("button", { name: "恢复" }).waitFor();
  expect(await removed.textContent()).toContain("已移除");
  // The secret's replace form: its label, help and buttons.
  await page.getByRole("button", { name: "替换密钥" }).first().click();
  const form = page.locator(".cfg-secret-form");
  await form.getByLabel("apiKey 的新值").waitFor();
  expect(await form.getByRole("button").allTextContents()).toEqual(["保存密钥", "取消"]);
  await checkBoth("10-form-states", "#cfg-panel-form");
  await form.getByRole("button", { name: "取消" }).click();
  await removed.getByRole("button", { name: "恢复" }).click();
  await removed.waitFor({ state: "detached" });
}, 40_000);

test("the same page in English: its own words, found by the same check", async () => {
  await page.evaluate(() => localStorage.setItem("smartroute-locale", "en"));
  await page.goto(`${gw.url}/config`);
  await page.getByRole("heading", { name: "Config", level: 1 }).waitFor();
  await page.getByRole("heading", { name: "Tiers" }).waitFor();
  expect(await page.locator(".cfg-title .badge").textContent()).toMatch(/^version \d+ active$/);
  const english = await untranslated(page);
  expect(english).toContain('config.sections.routing: "Routing"');
  expect(english).toContain('config.page.tabs.form: "Settings"');
  expect(english).toContain('config.fields.secret.replace: "Replace secret"');
  await page.evaluate(() => localStorage.setItem("smartroute-locale", "zh-CN"));
}, 30_000);

test("a file on disk that does not load: the page says so in Chinese, the server's issue as it wrote it", async () => {
  const good = readFileSync(gw.configPath, "utf8");
  writeFileSync(gw.configPath, good.replace('models: ["a/first"', 'models: ["nope/first"'));
  await page.goto(`${gw.url}/config`);
  const alert = page.locator(".cfg-load-issues");
  // The gateway notices the file change on its own: reload until the page has the refusal.
  while (!(await alert.isVisible())) await page.getByRole("button", { name: "重新加载" }).click();
  expect(await alert.locator("strong").textContent()).toMatch(/^磁盘上的文件无法加载：第 \d+ 版继续生效。$/);
  expect(await alert.locator(".cfg-issues").textContent()).toContain("nope");
  await checkBoth("11-disk-issues", ".cfg-load-issues");
  writeFileSync(gw.configPath, good);
  while (await alert.isVisible()) await page.getByRole("button", { name: "重新加载" }).click();
}, 40_000);
