/**
 * The admin UI in a real browser (Debian's Chromium through playwright-core) against a real gateway
 * process and the mock upstream: first-run setup, TOTP enrolment and login with a generated code, the
 * dashboard with data, a failover's attempt timeline, a config edit routing the next request, an invalid
 * edit's error, rollback, a code change confirmed with the password, an API key created and used.
 * Screenshots: test-results/screenshots/.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { currentCode } from "../../src/auth/totp.ts";
import { launchBrowser, screenshot } from "../helpers/browser.ts";
import { type GatewayProcess, startGatewayProcess } from "../helpers/gateway-process.ts";

let gw: GatewayProcess;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let apiKey = "";
const PASSWORD = "correct staple horse battery";

beforeAll(async () => {
  gw = await startGatewayProcess({
    config: `  tiers: {
    t1: { models: ["a/first", "b/backup"] },
    flaky: { models: ["a/down?fault=status&status=503", "b/rescue"] },
  },`,
  });
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
}, 30_000);
afterAll(async () => {
  await browser?.close();
  await gw?.stop();
});

/** Sends a chat request to /v1 (with the key once one exists); returns the model that answered. */
async function chat(model: string): Promise<string | null> {
  const response = await fetch(`${gw.url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}) },
    body: JSON.stringify({ model, messages: [{ role: "user", content: "hello from the browser test" }] }),
  });
  expect(response.status).toBe(200);
  await response.text();
  return response.headers.get("x-gateway-model");
}

/** The index of the input showing `value` (Solid sets values as properties, not attributes). */
async function inputWithValue(value: string) {
  await page.waitForFunction(
    (wanted) => [...document.querySelectorAll("input")].some((i) => i.value === wanted),
    value,
    { timeout: 10_000 },
  );
  const index = await page
    .locator("input")
    .evaluateAll((inputs, wanted) => inputs.findIndex((i) => (i as HTMLInputElement).value === wanted), value);
  expect(index).toBeGreaterThanOrEqual(0);
  return page.locator("input").nth(index);
}

test("first run: the setup link creates the admin account", async () => {
  const link = /(http:\/\/\S+\/setup#token=\S+)/.exec(gw.banner)?.[1];
  expect(link).toBeDefined();
  await page.goto(link!.replace("localhost", "127.0.0.1"));
  await page.getByLabel("Password (10 characters or more)").fill(PASSWORD);
  await page.getByLabel("Password again").fill(PASSWORD);
  await screenshot(page, "01-setup");
  await page.getByRole("button", { name: "Create the admin account" }).click();
  await page.waitForURL("**/security");
  expect(await page.locator("body").innerText()).toContain("admin");
}, 30_000);

test("TOTP: enrol with the QR code page, then sign in with a generated code", async () => {
  await page.getByRole("button", { name: "Set up two-factor authentication" }).click();
  const secret = (await page.getByLabel("Secret for manual entry").innerText()).replace(/\s+/g, "");
  expect(secret.length).toBeGreaterThan(15);
  await screenshot(page, "02-totp-enrol");
  await page.locator("#totp-code").fill(await currentCode(secret, Date.now()));
  await page.getByRole("button", { name: "Confirm and turn on" }).click();
  await page.getByRole("button", { name: "I have saved them" }).click();
  // Sign out, then in: password, then the code of the next time step (the confirm used this one).
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL("**/login");
  await page.getByLabel("Username").fill("admin");
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByLabel("Code").fill(await currentCode(secret, Date.now() + 30_000));
  await screenshot(page, "03-login-code");
  await page.getByRole("button", { name: "Verify" }).click();
  await page.waitForURL((url) => url.pathname === "/");
}, 30_000);

test("the dashboard shows charts with data after requests", async () => {
  for (let i = 0; i < 6; i++) await chat("t1");
  await chat("flaky");
  await page.goto(`${gw.url}/`);
  await page.waitForFunction(() => document.querySelectorAll("canvas").length >= 3);
  await page.waitForFunction(
    () => /\b[7-9]\b|\b\d{2,}\b/.test(document.querySelector(".cards")?.textContent ?? ""),
    undefined,
    { timeout: 10_000 },
  );
  const cards = await page.locator(".cards").innerText();
  expect(cards.toLowerCase()).toContain("requests");
  // The savings figure, with its baseline named next to it.
  const savings = page.getByRole("region", { name: "Savings", exact: true });
  await savings.getByTestId("savings-figure").waitFor();
  expect(await savings.textContent()).toContain("against the most expensive model each request could reach");
  // Nothing here has a price: the figures say so rather than $0.00.
  expect(await savings.getByTestId("savings-figure").textContent()).toBe("Saved: not priced");
  expect(await page.locator(".cards").innerText()).toMatch(/COST\s+not priced/i);
  // Every request so far came through chat completions; its row links to those requests in the logs.
  const doors = page.getByRole("region", { name: "Front doors" });
  const chatDoor = doors.getByRole("link", { name: "Chat completions" });
  expect(await doors.locator("tbody tr").count()).toBe(1);
  await screenshot(page, "04-dashboard");
  await chatDoor.click();
  await page.waitForURL(/\/logs\?.*door=chat/);
  expect(await page.getByRole("combobox", { name: /^API(?! key)/ }).inputValue()).toBe("chat");
  await page.getByText("b/rescue").first().waitFor();
}, 30_000);

test("a log detail shows the attempt timeline of a failover", async () => {
  await page.goto(`${gw.url}/logs`);
  await page.getByText("b/rescue").first().click();
  await page.waitForURL("**/logs/req_*");
  const timeline = page.locator("ol.timeline");
  await timeline.waitFor();
  const text = await timeline.innerText();
  expect(text).toContain("a/down?fault=status&status=503");
  expect(text).toContain("b/rescue");
  expect(await timeline.locator("li.attempt:not(.attempt-rest)").count()).toBe(3); // retry, failover, accepted
  await screenshot(page, "05-log-detail");
}, 30_000);

test("a config edit of a tier model is applied and routes the next request", async () => {
  expect(await chat("t1")).toBe("a/first");
  await page.goto(`${gw.url}/config`);
  await (await inputWithValue("a/first")).fill("a/second");
  await page.getByRole("button", { name: "Review", exact: true }).click();
  await page.getByRole("button", { name: "Apply", exact: true }).waitFor();
  await screenshot(page, "06-config-review");
  await page.waitForFunction(
    () => !(document.querySelector("button.primary[type=submit]") as HTMLButtonElement | null)?.disabled,
  );
  await page.getByRole("button", { name: "Apply", exact: true }).click();
  await page
    .getByText(/Applied/)
    .first()
    .waitFor();
  expect(await chat("t1")).toBe("a/second");
}, 30_000);

test("an invalid edit shows its error and changes nothing", async () => {
  await page.goto(`${gw.url}/config`);
  await (await inputWithValue("a/second")).fill("nope/model");
  await page.getByRole("button", { name: "Review", exact: true }).click();
  await page
    .getByText(/unknown provider "nope"/)
    .first()
    .waitFor();
  await screenshot(page, "07-config-invalid");
  expect(await chat("t1")).toBe("a/second");
}, 30_000);

test("rollback to the first version routes requests as before", async () => {
  page.on("dialog", (dialog) => void dialog.accept()); // leaving the page with unsaved changes
  await page.goto(`${gw.url}/config`);
  await page.getByRole("tab", { name: /History/ }).click();
  const rollbacks = page.getByRole("button", { name: "Roll back to this version…" });
  await rollbacks.last().click();
  await page.getByRole("button", { name: /^Roll back to #\d+$/ }).click();
  // The rollback's own message: the history lists an "active" version before it too.
  await page.waitForFunction(() => /Rolled back to the text of #\d+/.test(document.body.innerText));
  await screenshot(page, "08-config-rollback");
  expect(await chat("t1")).toBe("a/first");
}, 30_000);

test("a code change in the code view asks for the password: a wrong one is shown, the right one validates and applies", async () => {
  await page.goto(`${gw.url}/config`);
  await page.getByRole("tab", { name: "Code" }).click();
  const editor = page.getByLabel("Source of gateway.config.ts");
  await editor.fill(
    (await editor.inputValue()).replace("export default", "const addedByTheBrowserTest = 1;\nexport default"),
  );
  await page.getByRole("button", { name: "Validate", exact: true }).click();
  const dialog = page.getByRole("dialog", { name: "Confirm with your password" });
  await dialog.waitFor();
  await dialog.getByLabel("Your password").fill("not the password at all");
  await dialog.getByRole("button", { name: "Confirm" }).click();
  await dialog.getByText("Wrong password.").waitFor();
  await screenshot(page, "09-config-password");
  await dialog.getByLabel("Your password").fill(PASSWORD);
  await dialog.getByRole("button", { name: "Confirm" }).click();
  await page.getByText("This text loads.").waitFor();
  await page.getByRole("button", { name: "Apply the text" }).click(); // the same text: no second password
  await page
    .getByText(/Applied/)
    .first()
    .waitFor();
  expect(await page.getByRole("dialog").count()).toBe(0);
  expect(await chat("t1")).toBe("a/first");
}, 30_000);

test("an API key is created in the page, shown once, and works on /v1", async () => {
  await page.goto(`${gw.url}/keys`);
  await page.getByLabel("Name").fill("browser-test");
  await page.getByLabel("Budget in USD (optional)").fill("5");
  await page.getByLabel("Budget period").selectOption("day");
  await page.getByLabel("Requests in flight (optional)").fill("8");
  await page.getByRole("button", { name: "Create key" }).click();
  const shown = page.getByLabel("The new API key");
  await shown.waitFor();
  apiKey = await shown.inputValue();
  expect(apiKey).toMatch(/^sr-/);
  const listed = await page.evaluate(() => fetch("/api/keys").then((r) => r.json()));
  const created = (listed.keys ?? listed).find((k: { name: string }) => k.name === "browser-test");
  expect(created.limits).toEqual({ budgetUsd: 5, budgetPeriod: "day", maxConcurrent: 8 });
  await screenshot(page, "10-key-created");
  const anonymous = await fetch(`${gw.url}/v1/chat/completions`, {
    method: "POST",
    body: JSON.stringify({ model: "t1", messages: [{ role: "user", content: "x" }] }),
  });
  expect(anonymous.status).toBe(401);
  expect(await chat("t1")).toBe("a/first");
}, 30_000);

test("the playground's Another name… option opens a field for a name outside the list", async () => {
  await page.goto(`${gw.url}/playground`);
  const requested = page.getByRole("combobox", { name: "Requested model" });
  await requested.selectOption({ label: "Another name…" });
  const name = page.getByLabel("Model name");
  await name.waitFor();
  await name.fill("some-alias");
  expect(await name.inputValue()).toBe("some-alias");
}, 30_000);

test("every page renders at phone width in the dark theme (screenshots)", async () => {
  const phone = await browser.newContext({
    viewport: { width: 390, height: 844 },
    storageState: await context.storageState(),
  });
  const small = await phone.newPage();
  await small.addInitScript(() => localStorage.setItem("smartroute-theme", "dark"));
  for (const path of ["/", "/logs", "/tail", "/health", "/playground", "/config", "/keys", "/security"]) {
    await small.goto(`${gw.url}${path}`);
    await small.locator("main h1").first().waitFor();
    const overflow = await small.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect([path, overflow <= 1]).toEqual([path, true]); // no sideways scrolling
    await screenshot(small, `11-phone${path === "/" ? "-dashboard" : path.replace("/", "-")}`);
  }
  await phone.close();
}, 60_000);
