/**
 * The API keys and security pages in Simplified Chinese in a real browser (Debian's Chromium) against a
 * real gateway process, at phone width and on a desktop: the open-gateway notice, a key created (the
 * shown-once dialog), used, edited, rotated and revoked, its use over time; the password form and the
 * strength meter (zxcvbn's advice in Chinese), two-factor enrolment and the recovery codes, the admin
 * settings, sessions, an invite and the audit log. On each: no English dictionary text left, nothing
 * wider than the screen. Screenshots: test-results/screenshots/i18n-access-*.png.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import type { Browser, Page } from "playwright-core";
import { currentCode } from "../../src/auth/totp.ts";
import { launchBrowser, screenshot } from "../helpers/browser.ts";
import { type GatewayProcess, startGatewayProcess } from "../helpers/gateway-process.ts";
import { DESKTOP, localeContext, PHONE, untranslated } from "../helpers/i18n.ts";

let gw: GatewayProcess;
let browser: Browser;
let page: Page;
const PASSWORD = "correct staple horse battery";
let apiKey = "";
let inviteLink = "";

beforeAll(async () => {
  gw = await startGatewayProcess({
    env: { GATEWAY_ADMIN_PASSWORD: PASSWORD },
    config: `  tiers: { t1: { models: ["a/first"] } },`,
  });
  browser = await launchBrowser();
  page = await (await localeContext(browser, "zh-CN", PHONE)).newPage();
  page.setDefaultTimeout(10_000); // a step that cannot happen fails with its own line, before the test times out
  await page.goto(`${gw.url}/login`);
  await page.getByLabel("用户名").fill("admin");
  await page.getByLabel("密码").fill(PASSWORD);
  await page.getByRole("button", { name: "登录", exact: true }).click();
  await page.waitForURL((url) => url.pathname === "/");
}, 30_000);
afterAll(async () => {
  await browser?.close();
  await gw?.stop();
});

/** No English dictionary text in `within`, the page no wider than the viewport, and a screenshot. */
async function check(name: string, within = "body"): Promise<void> {
  expect(await untranslated(page, within)).toEqual([]);
  const [content, viewport] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  expect(content).toBeLessThanOrEqual(viewport);
  await screenshot(page, `i18n-access-${name}`);
}

const keyRow = (name: string) => page.locator("table.key-table tbody tr").filter({ hasText: name });

test("the keys page before any key: the open /v1 notice and the form in Chinese", async () => {
  await page.goto(`${gw.url}/keys`);
  await page.getByRole("heading", { name: "API 密钥", exact: true }).waitFor();
  await page.getByText("尚未创建密钥。").waitFor();
  expect(await page.getByRole("status").textContent()).toContain("/v1 当前开放：");
  const form = page.getByRole("form", { name: "创建密钥" });
  expect(await form.textContent()).toContain("这将是第一个密钥");
  expect(await form.getByLabel("预算周期").locator("option").allTextContents()).toEqual([
    "每天（UTC）",
    "每月（UTC）",
    "总计",
  ]);
  await check("01-keys-empty-phone");
}, 30_000);

test("a key created shows once in a Chinese dialog, and its form checks speak Chinese", async () => {
  const form = page.getByRole("form", { name: "创建密钥" });
  await form.getByLabel("名称").fill("billing");
  // The browser's own check stops a fraction first; without it, the form's own message is Chinese.
  await form.evaluate((el: HTMLFormElement) => (el.noValidate = true));
  await form.getByLabel("每分钟请求数（可选）").fill("1.5");
  await form.getByRole("button", { name: "创建密钥" }).click();
  expect(await form.getByRole("alert").textContent()).toBe("每分钟请求数必须是大于 0 的整数。");
  await form.getByLabel("每分钟请求数（可选）").fill("120");
  await form.getByLabel("预算，美元（可选）").fill("25");
  await form.getByRole("button", { name: "创建密钥" }).click();
  const dialog = page.getByRole("dialog", { name: "密钥“billing”已创建" });
  await dialog.waitFor();
  apiKey = await dialog.getByLabel("新的 API 密钥").inputValue();
  expect(apiKey).toMatch(/^sr-/);
  expect(await dialog.textContent()).toContain("它只显示这一次");
  await check("02-key-created-dialog-phone", "[role=dialog]");
  // Closing without copying asks once more, in Chinese.
  await dialog.getByRole("button", { name: "关闭", exact: true }).click();
  expect(await dialog.getByRole("alert").last().textContent()).toContain("你还没有用按钮复制这个密钥");
  await dialog.getByRole("button", { name: "仍然关闭" }).click();
  await dialog.waitFor({ state: "detached" });
}, 30_000);

test("the key list in Chinese: status, limits, budget, last use and its use over time", async () => {
  const response = await fetch(`${gw.url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${apiKey}` },
    body: JSON.stringify({ model: "t1", messages: [{ role: "user", content: "你好" }] }),
  });
  expect(response.status).toBe(200);
  await response.text();
  await page.reload();
  const row = keyRow("billing");
  await row.getByText("刚刚").waitFor();
  expect(await row.locator(".badge").textContent()).toBe("有效");
  expect(await row.textContent()).toContain("120 次/分钟");
  expect(await row.getByTestId("key-spend").textContent()).toMatch(/^本月已用 \$\S+ \/ \$25\.00$/);
  // Dates the Chinese way: year first.
  expect(await row.locator("time").first().textContent()).toMatch(/^\d{4}年\d{1,2}月\d{1,2}日$/);
  await page.getByRole("button", { name: "密钥 billing 的用量趋势" }).click();
  expect(await page.getByTestId("key-activity-total").textContent()).toMatch(/^30 天内 1 次请求，/);
  await page.getByText("48 小时").click();
  await page
    .getByTestId("key-activity-total")
    .filter({ hasText: /^48 小时内 1 次请求，/ })
    .waitFor();
  await check("03-keys-list-phone");
}, 30_000);

test("editing, rotating and revoking a key: every dialog and message in Chinese", async () => {
  await page.getByRole("button", { name: "编辑密钥 billing" }).click();
  const edit = page.getByRole("dialog", { name: "编辑密钥“billing”" });
  await edit.getByRole("button", { name: "保存更改" }).waitFor();
  await check("04-key-edit-dialog-phone", "[role=dialog]");
  await edit.getByRole("button", { name: "保存更改" }).click();
  await page.locator(".success").filter({ hasText: "密钥“billing”已保存：新的限额从它的下一个请求起生效。" }).waitFor();

  await page.getByRole("button", { name: "轮换密钥 billing" }).click();
  const rotate = page.getByRole("dialog", { name: "轮换这个密钥？" });
  expect(await rotate.textContent()).toContain("仍在使用它的客户端会收到 401");
  await check("05-key-rotate-confirm-phone", "[role=dialog]");
  await rotate.getByRole("button", { name: "轮换密钥" }).click();
  const rotated = page.getByRole("dialog", { name: "密钥“billing”已轮换" });
  expect(await rotated.textContent()).toContain("旧的密钥值已失效");
  await check("06-key-rotated-dialog-phone", "[role=dialog]");
  await rotated.getByRole("button", { name: "关闭", exact: true }).click();
  await rotated.getByRole("button", { name: "仍然关闭" }).click();

  await page.getByRole("button", { name: "吊销密钥 billing" }).click();
  const revoke = page.getByRole("dialog", { name: "吊销这个密钥？" });
  expect(await revoke.textContent()).toContain("此操作无法撤销。");
  await check("07-key-revoke-confirm-phone", "[role=dialog]");
  await revoke.getByRole("button", { name: "吊销密钥" }).click();
  await page.locator(".success").filter({ hasText: "已吊销" }).waitFor();
  expect(await page.locator(".success").textContent()).toMatch(
    /^密钥“billing”（sr-\S+…）已吊销：从现在起使用它的请求都会被拒绝。/,
  );
  // The message comes first, the reloaded list just after.
  await keyRow("billing").locator(".badge", { hasText: "已吊销" }).waitFor();
  expect(await page.getByLabel("显示已吊销和已过期的密钥（1）").isChecked()).toBe(true);
  await check("08-keys-revoked-phone");
}, 30_000);

test("the security page in Chinese: password rules, the strength meter's advice, a server refusal", async () => {
  await page.goto(`${gw.url}/security`);
  await page.getByRole("heading", { name: "安全", exact: true }).waitFor();
  const form = page.getByRole("form", { name: "密码" });
  await form.getByLabel("新密码", { exact: true }).fill("password123");
  // zxcvbn's advice, by its keys, in Chinese.
  await page
    .getByTestId("password-strength")
    .filter({ hasText: /^强度不足：/ })
    .waitFor();
  expect(await form.locator(".password-meter").textContent()).toContain("这是一个常用密码。");
  // A weak password is refused in the page, in Chinese, before the server would refuse it in English.
  await form.getByLabel("当前密码").fill("not the password");
  await form.getByLabel("再次输入新密码").fill("password123");
  await form.getByRole("button", { name: "修改密码" }).click();
  expect(await form.getByRole("alert").textContent()).toMatch(
    /^这个密码太容易被猜到（强度为 4 级中的 [0-2] 级，至少需要 3 级）。$/,
  );
  await form.getByLabel("新密码", { exact: true }).fill("quiet harbour seventeen lamps");
  await page
    .getByTestId("password-strength")
    .filter({ hasText: /^强度足够：.+（\d\/4）$/ })
    .waitFor();
  await form.getByRole("button", { name: "修改密码" }).click();
  expect(await form.getByRole("alert").textContent()).toBe("两次输入的新密码不一致。");
  await form.getByLabel("再次输入新密码").fill("quiet harbour seventeen lamps");
  await form.getByRole("button", { name: "修改密码" }).click();
  // The server's "Wrong password." is shown in Chinese.
  await form
    .getByRole("alert")
    .filter({ hasText: /^密码错误。$/ })
    .waitFor();
  const settings = page.getByRole("form", { name: "管理设置" });
  expect(await settings.getByLabel("会话有效期").locator("option:checked").textContent()).toBe("12 小时（默认）");
  expect(await page.getByRole("region", { name: "会话" }).textContent()).toContain("当前浏览器");
  await check("09-security-phone");
}, 30_000);

test("two-factor enrolment and the recovery codes in Chinese", async () => {
  await page.getByRole("button", { name: "设置双因素认证" }).click();
  const enrol = page.getByRole("form", { name: "确认启用双因素认证" });
  await enrol.waitFor();
  await check("10-totp-enrol-phone", "section[aria-labelledby=security-2fa-title]");
  const secret = ((await page.getByLabel("手动输入用的密钥").textContent()) ?? "").replace(/\s+/g, "");
  await page.locator("#totp-code").fill(await currentCode(secret, Date.now()));
  await enrol.getByRole("button", { name: "确认并开启" }).click();
  const codes = page.getByRole("region", { name: "你的恢复码" });
  await codes.waitFor();
  expect(await codes.locator("li").count()).toBe(10);
  await check("11-recovery-codes-phone", "section.security-codes");
  await codes.getByRole("button", { name: "我已保存" }).click();
  await page.getByRole("button", { name: "生成新的恢复码" }).click();
  const recheck = page.getByRole("form", { name: "更换恢复码" });
  await recheck.getByLabel("应用中的验证码，或一个恢复码").waitFor();
  await check("12-totp-recheck-phone", "section[aria-labelledby=security-2fa-title]");
  await recheck.getByRole("button", { name: "取消" }).click();
}, 30_000);

test("an invite and the audit log in Chinese", async () => {
  const team = page.getByRole("region", { name: "管理员" });
  await team.getByLabel("邀请一位管理员，角色为").selectOption("viewer");
  await team.getByRole("button", { name: "创建邀请链接" }).click();
  const dialog = page.getByRole("dialog", { name: "邀请链接" });
  inviteLink = await dialog.getByLabel("邀请链接", { exact: true }).inputValue();
  expect(inviteLink).toContain("/setup#invite=");
  await check("13-invite-dialog-phone", "[role=dialog]");
  await dialog.getByRole("button", { name: "完成" }).click();
  await team.getByText("由 admin 邀请").waitFor();
  expect(await team.textContent()).toContain("只读：可查看一切，不能更改");
  const audit = page.getByRole("region", { name: "审计日志" });
  await audit.getByText(/^\d+ 条记录，即全部日志$/).waitFor();
  // Action names are identifiers and stay as the server writes them.
  expect(await audit.locator(".badge").allTextContents()).toContain("totp.enabled");
  await audit.getByRole("combobox", { name: /^操作/ }).selectOption("key.");
  await audit.getByText(/^\d+ 条记录，即全部匹配项$/).waitFor();
  await check("14-security-invite-audit-phone");
}, 30_000);

test("on a desktop too: both pages in Chinese, light and dark", async () => {
  await page.setViewportSize(DESKTOP);
  for (const theme of ["light", "dark"]) {
    await page.goto(`${gw.url}/keys`);
    await page.evaluate((value) => (document.documentElement.dataset.theme = value), theme);
    await keyRow("billing").waitFor();
    await check(`15-keys-desktop-${theme}`);
    await page.goto(`${gw.url}/security`);
    await page.evaluate((value) => (document.documentElement.dataset.theme = value), theme);
    await page.getByRole("region", { name: "审计日志" }).locator("tbody tr").first().waitFor();
    await check(`16-security-desktop-${theme}`);
  }
}, 30_000);

/** Sends an admin API request as a browser would (the CSRF header), with a session cookie if given. */
async function api(path: string, body: unknown, cookie = ""): Promise<Response> {
  return fetch(`${gw.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-smartroute-request": "1", cookie },
    body: JSON.stringify(body),
  });
}

test("a read-only admin is told why the changes are disabled, in Chinese", async () => {
  // The invite accepted and two-factor enrolled through the API (the browser flow is access-ui's).
  const token = new URL(inviteLink).hash.replace("#invite=", "");
  const joined = await api("/api/auth/invite/accept", {
    token,
    username: "reader",
    password: "quiet harbour seventeen lamps",
  });
  expect(joined.status).toBe(200);
  const cookie = joined.headers.get("set-cookie")!.split(";")[0];
  const enrolment = (await (await api("/api/auth/totp/enrol", {}, cookie)).json()) as { secret: string };
  const confirmed = await api(
    "/api/auth/totp/confirm",
    { code: await currentCode(enrolment.secret, Date.now()) },
    cookie,
  );
  expect(confirmed.status).toBe(200);
  const [name, value] = cookie.split("=");
  const context = await localeContext(browser, "zh-CN", PHONE);
  await context.addCookies([{ name, value, url: gw.url }]);
  const viewer = await context.newPage();
  viewer.setDefaultTimeout(10_000);
  const previous = page;
  page = viewer;
  try {
    await page.goto(`${gw.url}/keys`);
    expect(await page.getByTestId("read-only-note").textContent()).toBe(
      "你的角色是只读：可以查看这里的一切，但不能做任何更改。如需创建、修改、轮换或吊销密钥，请联系管理员。",
    );
    const create = page.getByRole("button", { name: "创建密钥" });
    expect(await create.isDisabled()).toBe(true);
    await check("17-keys-read-only-phone");
    await page.goto(`${gw.url}/security`);
    await page.getByRole("region", { name: "管理员" }).getByText("reader").first().waitFor();
    expect(await page.getByRole("button", { name: "移除管理员 admin" }).getAttribute("title")).toBe(
      "你的角色是只读：可以查看这里的一切，但不能做任何更改。",
    );
    expect(await page.locator("body").textContent()).toContain("如需邀请或移除管理员，请联系管理员。");
    await check("18-security-read-only-phone");
  } finally {
    page = previous;
    await context.close();
  }
}, 30_000);
