/**
 * The config page's provider and secret forms in a real browser (Debian's Chromium) against a real
 * gateway process and the mock upstream: a provider added with a connection test (its key to the
 * secret store, an env() reference in the file), one of its models added to a failing tier from the
 * picker and a request then routed to it; a literal key pasted in the code view moved to the secret
 * store on apply; the port overridden by GATEWAY_PORT said so; list buttons naming tier and model;
 * long diff lines not clipped. Screenshots: test-results/screenshots/config-*.png (1280 and 390 wide).
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { launchBrowser, screenshot } from "../helpers/browser.ts";
import { type GatewayProcess, startGatewayProcess } from "../helpers/gateway-process.ts";

const PASSWORD = "correct staple horse battery";
const PROVIDER_KEY = "sk-e2e-provider-key-0123456789abcdef";
const PASTED_KEY = "sk-e2e-pasted-literal-key-9876543210fedcba";
let gw: GatewayProcess;
let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  gw = await startGatewayProcess({
    config: `  server: { port: 6688 },
  tiers: { t1: { models: ["a/down?fault=status&status=503"] } },
  timeouts: { connectMs: 10_000 },`,
    env: { GATEWAY_ADMIN_PASSWORD: PASSWORD },
  });
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  await page.goto(`${gw.url}/login`);
  await page.getByLabel("Username").fill("admin");
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => url.pathname !== "/login");
}, 30_000);
afterAll(async () => {
  await browser?.close();
  await gw?.stop();
});

const onDisk = () => readFileSync(gw.configPath, "utf8");
const secretsFile = () => readFileSync(join(gw.dir, "data", "secrets.env"), "utf8");

async function chat(model: string): Promise<{ status: number; model: string | null }> {
  const response = await fetch(`${gw.url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model, messages: [{ role: "user", content: "hello" }] }),
  });
  await response.text();
  return { status: response.status, model: response.headers.get("x-gateway-model") };
}

test("the port the process runs on, overridden by GATEWAY_PORT, is said beside server.port", async () => {
  await page.goto(`${gw.url}/config`);
  const port = new URL(gw.url).port;
  await page.getByText(`overridden by GATEWAY_PORT: ${port}`).waitFor();
  // List buttons name the tier and the model, not "models #1" in every tier.
  expect(await page.getByRole("button", { name: "Remove t1 model a/down?fault=status&status=503" }).count()).toBe(1);
}, 30_000);

test("add a provider: test the connection, see its models, add it with its key in the secret store", async () => {
  await page.getByRole("button", { name: "+ Add provider…" }).click();
  const form = page.getByRole("form", { name: "Add a provider" });
  await form.getByLabel("Name").fill("mock2");
  await form.getByLabel("Base URL").fill(gw.mock.url);
  await form.getByLabel("API key").fill("invalid-key");
  await form.getByRole("button", { name: "Test connection" }).click();
  await form.getByText("Connection failed: The upstream refused the key (401)").waitFor();
  await form.getByLabel("API key").fill(PROVIDER_KEY);
  await form.getByRole("button", { name: "Test connection" }).click();
  await form.getByText("Connected (HTTP 200). It lists 4 models.").waitFor();
  expect(await form.getByRole("list", { name: "Models the upstream lists" }).textContent()).toContain("mock-small");
  await screenshot(page, "config-01-add-provider-tested");
  await form.getByRole("button", { name: "Add provider" }).click();
  // A factory call is code: the password is asked for.
  const dialog = page.getByRole("dialog", { name: "Confirm with your password" });
  await dialog.getByLabel("Your password").fill(PASSWORD);
  await dialog.getByRole("button", { name: "Confirm" }).click();
  await page.getByText(/Added provider mock2: its key is in the secret store/).waitFor();
  expect(onDisk()).toMatch(/mock2: openai\(\{ baseURL: "[^"]+", apiKey: env\("SMARTROUTE_MOCK2_API_KEY"\) \}\)/);
  expect(onDisk()).not.toContain(PROVIDER_KEY);
  expect(secretsFile()).toContain(PROVIDER_KEY);
  expect(await page.locator("body").textContent()).not.toContain(PROVIDER_KEY);
  // The secret store lists it by name, with what uses it; it cannot be deleted while used.
  const store = page.getByRole("region", { name: "Stored secrets" });
  await store.getByText("SMARTROUTE_MOCK2_API_KEY").waitFor();
  expect(await store.textContent()).toContain("providers.mock2.options.apiKey");
  expect(
    await store.getByRole("button", { name: "Delete the stored secret SMARTROUTE_MOCK2_API_KEY" }).isDisabled(),
  ).toBe(true);
}, 30_000);

test("add a model from the picker to a failing tier: the next request is routed to it", async () => {
  expect((await chat("t1")).status).toBe(502);
  await page.getByRole("button", { name: "+ Add a model to t1 from the list…" }).click();
  const table = page.getByRole("region", { name: "Models to add to t1" });
  await table.getByText("mock2/mock-small").waitFor();
  // The catalog's context window and price per million tokens, for a model it knows.
  const mini = table.getByRole("row").filter({ hasText: "mock2/gpt-4o-mini" });
  expect(await mini.textContent()).toContain("128,000$0.150 / $0.600provider's /models");
  await page.getByLabel("Filter").fill("small");
  expect(await table.getByText("mock2/mock-large").count()).toBe(0);
  await table.getByLabel("mock2/mock-small").check();
  await screenshot(page, "config-02-model-picker");
  await page.getByRole("button", { name: "Add mock2/mock-small" }).click();
  await page.getByRole("region", { name: "Unsaved changes" }).getByRole("button", { name: "Review" }).click();
  await page.getByText("The new config loads.").waitFor();
  await page.getByRole("button", { name: "Apply", exact: true }).click();
  await page.getByText(/Applied: version \d+ is active now/).waitFor();
  expect(onDisk()).toContain('models: ["a/down?fault=status&status=503", "mock2/mock-small"]');
  expect(await chat("t1")).toEqual({ status: 200, model: "mock2/mock-small" });
}, 30_000);

test("a literal key pasted in the code view is warned about and moved to the secret store on apply", async () => {
  await page.getByRole("button", { name: "Dismiss" }).click();
  await page.getByRole("tab", { name: "Code" }).click();
  const area = page.getByLabel("Source of gateway.config.ts");
  const text = await area.inputValue();
  const pasted = text.replace(
    /b: openai\(\{ baseURL: "([^"]+)" \}\)/,
    `b: openai({ baseURL: "$1", apiKey: "${PASTED_KEY}", headers: { "x-long-header-to-wrap-in-the-diff": "${"w".repeat(160)}" } })`,
  );
  expect(pasted).not.toBe(text);
  await area.fill(pasted);
  await page.getByText("This change writes a secret in clear").waitFor();
  await page.getByRole("button", { name: "Validate" }).click();
  await page.getByText("This text loads.").waitFor();
  await page.getByText("(providers.b.options.apiKey)").waitFor();
  // The diff shows the key masked, and its long line wraps inside the panel instead of running out of it.
  const diff = page.getByRole("region", { name: "Diff of the edited text" });
  expect(await diff.textContent()).not.toContain(PASTED_KEY);
  expect(await diff.evaluate((el) => el.scrollWidth <= el.clientWidth + 1)).toBe(true);
  await screenshot(page, "config-03-code-literal-secret");
  expect(await page.getByLabel(/On apply, move literal secrets to the secret store/).isChecked()).toBe(true);
  await page.getByRole("button", { name: "Apply the text" }).click();
  await page.getByText(/Applied: version \d+ is active now/).waitFor();
  expect(onDisk()).not.toContain(PASTED_KEY);
  // Another test file of this run may have set SMARTROUTE_B_API_KEY in the environment the gateway inherits: then _2.
  const name = /b: openai\(\{ baseURL: "[^"]+", apiKey: env\("(SMARTROUTE_B_API_KEY(?:_\d+)?)"\)/.exec(onDisk())?.[1];
  expect(name).toBeDefined();
  expect(secretsFile()).toContain(PASTED_KEY);
  await page.getByRole("tab", { name: "Settings" }).click();
  await page.getByRole("region", { name: "Stored secrets" }).getByText(name!, { exact: true }).waitFor();
  expect(await page.locator("body").textContent()).not.toContain(PASTED_KEY);
  expect((await chat("t1")).status).toBe(200);
}, 30_000);

test("validation: a range error shows as it is typed; the review lists every problem, each opening its field", async () => {
  await page.goto(`${gw.url}/config`);
  const connect = page.getByLabel("connectMs", { exact: true });
  await connect.fill("0");
  await page.getByText("must be at least 1").waitFor();
  await page.getByRole("textbox", { name: "models #1" }).fill("zz/nowhere");
  await page.getByRole("region", { name: "Unsaved changes" }).getByRole("button", { name: "Review" }).click();
  await page.getByText("The config would not load with these changes:").waitFor();
  const issues = page.locator(".cfg-issues li");
  // Each at its line of the config file (the tiers line, the timeouts line).
  const lineOf = (text: string) =>
    onDisk()
      .split("\n")
      .findIndex((line) => line.includes(text)) + 1;
  expect(await issues.allTextContents()).toEqual([
    `tiers.t1.models[0] gateway.config.ts:${lineOf("tiers: {")} unknown provider "zz" in "zz/nowhere" (providers: a, b, mock2)`,
    `timeouts.connectMs gateway.config.ts:${lineOf("timeouts: {")} expected number to be greater or equal to 1`,
  ]);
  await screenshot(page, "config-05-all-issues");
  await page.getByRole("button", { name: "timeouts.connectMs" }).click();
  await page.waitForFunction(() =>
    (document.activeElement as HTMLElement | null)?.closest("[id]")?.id.includes("connectMs"),
  );
  expect(await connect.evaluate((el) => el === document.activeElement)).toBe(true);
  page.once("dialog", (dialog) => void dialog.accept());
  await page.getByRole("region", { name: "Unsaved changes" }).getByRole("button", { name: "Discard" }).click();
}, 30_000);

test("phone width and dark mode: the forms fit", async () => {
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, colorScheme: "dark" });
  await phone.addCookies(await context.cookies());
  const small = await phone.newPage();
  await small.goto(`${gw.url}/config`);
  await small.getByRole("button", { name: "+ Add provider…" }).click();
  await small.getByRole("button", { name: "+ Add a model to t1 from the list…" }).click();
  await small.getByRole("region", { name: "Models to add to t1" }).getByText("mock2/mock-large").waitFor();
  // Nothing sticks out of the phone's width: the page never scrolls sideways.
  expect(await small.evaluate(() => document.documentElement.scrollWidth)).toBe(390);
  await screenshot(small, "config-04-phone-dark");
  await phone.close();
}, 30_000);
