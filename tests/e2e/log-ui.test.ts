/**
 * The logs page in a real browser (Debian's Chromium through playwright-core) against a real gateway
 * process and the mock upstream: a request refused for its key's requests per minute (429) and one with
 * an unknown key (401) are found by their reason; a failed-over request is found by the target it was
 * attempted on, its row saying what it was rescued from; filters and order live in the URL, so a link
 * opens the same view; the latency header sorts; the detail's timeline names the next target and shows
 * the error body, and the answer a keyword rule rejected (a 200 in disguise); and on a 390 px phone the filters fold behind "Filters (n)" so the rows come first.
 * Screenshots: test-results/screenshots/.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import type { Browser, Page } from "playwright-core";
import { launchBrowser, screenshot } from "../helpers/browser.ts";
import { type GatewayProcess, startGatewayProcess } from "../helpers/gateway-process.ts";

const PASSWORD = "correct staple horse battery";
const DOWN = "a/down?fault=status&status=503";
const DISGUISED = "a/disguised?fault=keywordText";
let gw: GatewayProcess;
let browser: Browser;
let page: Page;
let cookie = "";
let key = "";
let limitedKey = "";

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
  cookie = login.headers.get("set-cookie")!.split(";")[0];
  const create = async (body: unknown) => {
    const response = await fetch(`${gw.url}/api/keys`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-smartroute-request": "1", cookie },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(201);
    return ((await response.json()) as { key: string }).key;
  };
  key = await create({ name: "browser test" });
  limitedKey = await create({ name: "one a minute", limits: { requestsPerMinute: 1 } });
  browser = await launchBrowser();
  page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
}, 30_000);
afterAll(async () => {
  await browser?.close();
  await gw?.stop();
});

async function chat(model: string, apiKey: string): Promise<Response> {
  const response = await fetch(`${gw.url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${apiKey}` },
    body: JSON.stringify({ model, messages: [{ role: "user", content: "hello from the log browser test" }] }),
  });
  await response.text();
  return response;
}

/** The rows of the log table once `count` of them show. */
async function rows(count: number) {
  await page.waitForFunction((n) => document.querySelectorAll("table.log-table tbody tr").length === n, count, {
    timeout: 10_000,
  });
  return page.locator("table.log-table tbody tr");
}

test("traffic: served, rescued by failover, refused for a key's rate and for an unknown key", async () => {
  for (let i = 0; i < 3; i++) expect((await chat("t1", key)).status).toBe(200);
  const rescued = await chat("flaky", key);
  expect(rescued.status).toBe(200);
  expect(rescued.headers.get("x-gateway-model")).toBe("b/rescue");
  expect((await chat("disguised", key)).headers.get("x-gateway-model")).toBe("b/plain");
  expect((await chat("t1", limitedKey)).status).toBe(200);
  const limited = await chat("t1", limitedKey);
  expect(limited.status).toBe(429);
  expect(limited.headers.get("x-request-id")).toMatch(/^req_/);
  expect((await chat("t1", "sk-someone-elses-key")).status).toBe(401);
});

test("sign in", async () => {
  await page.goto(`${gw.url}/login`);
  await page.getByLabel("Username").fill("admin");
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => url.pathname === "/");
}, 30_000);

test("a refused request is found by its reason, and says why in its row", async () => {
  await page.goto(`${gw.url}/logs`);
  await rows(8);
  await page.getByLabel("Search prompts, errors and bodies").fill("requests per minute");
  const found = await rows(1);
  await page.waitForURL(/q=requests\+per\+minute|q=requests%20per%20minute/);
  const text = (await found.first().textContent()) ?? "";
  expect(text).toContain("429");
  expect(text).toContain("refused: This API key allows 1 requests per minute");
  expect(await page.getByTestId("log-count").textContent()).toBe("1 request match");
  await screenshot(page, "log-01-refused-by-reason");
  // Its detail: refused before routing, the key's, no body kept.
  await found.first().click();
  await page.waitForURL("**/logs/req_*");
  await page.getByTestId("refused-note").waitFor();
  expect(await page.getByTestId("refused-note").textContent()).toContain("rate_limited");
  expect(await page.locator("body").textContent()).toContain("logged without its body");
  await screenshot(page, "log-01b-refused-detail");
  await page.getByRole("link", { name: "← Logs" }).click();
  await rows(1);
  // The unknown key: by status, then by its code; the two filters count as two.
  await page.getByRole("button", { name: "Clear filters" }).click();
  await rows(8);
  await page.getByRole("combobox", { name: "Status" }).selectOption("401");
  await page.getByRole("combobox", { name: "Error code" }).fill("invalid_api_key");
  await page.getByRole("combobox", { name: "Error code" }).press("Enter");
  expect(await (await rows(1)).first().textContent()).toContain("refused: Invalid API key.");
  await page.waitForURL(/status=401/);
  expect(page.url()).toContain("code=invalid_api_key");
}, 30_000);

test("a failed-over request is found by the target it was attempted on", async () => {
  await page.goto(`${gw.url}/logs`);
  await rows(8);
  const attempted = page.getByRole("combobox", { name: "Attempted (any attempt)" });
  await attempted.fill(DOWN);
  await attempted.press("Enter");
  const found = await rows(1);
  const text = (await found.first().textContent()) ?? "";
  expect(text).toContain("b/rescue");
  expect(text).toContain(`rescued from ${DOWN}`);
  await page.waitForURL(/attempted=/);
  // The final-model filter alone would not have found it on a/down.
  const view = page.url();
  expect(new URL(view).searchParams.get("attempted")).toBe(DOWN);
  await screenshot(page, "log-02-attempted-target");

  // The URL is the view: opened afresh, the same filter and the same row.
  const again = await browser.newPage();
  await again.context().addCookies([{ name: cookie.split("=")[0], value: cookie.split("=")[1], url: gw.url }]);
  await again.goto(view);
  await again.waitForFunction(() => document.querySelectorAll("table.log-table tbody tr").length === 1);
  expect(await again.getByRole("combobox", { name: "Attempted (any attempt)" }).inputValue()).toBe(DOWN);
  await again.close();

  // The detail: the first attempt failed over to the next target by name, its error body is kept.
  await found.first().click();
  await page.waitForURL("**/logs/req_*");
  const timeline = page.locator("ol.timeline");
  await timeline.waitFor();
  const steps = (await timeline.textContent()) ?? "";
  expect(steps).toContain("failed over to b/rescue");
  await timeline.getByText("Error body").first().click();
  expect(await timeline.locator(".attempt-rejected pre").first().textContent()).toContain("503");
  await screenshot(page, "log-03-detail-timeline");
}, 30_000);

test("the answer a keyword rule rejected is in the detail, to check a false positive", async () => {
  await page.goto(`${gw.url}/logs?attempted=${encodeURIComponent(DISGUISED)}`);
  const found = await rows(1);
  expect(await found.first().textContent()).toContain(`rescued from ${DISGUISED}: answer contains`);
  await found.first().click();
  await page.waitForURL("**/logs/req_*");
  const timeline = page.locator("ol.timeline");
  await timeline.waitFor();
  expect(await timeline.textContent()).toContain("failed over to b/plain");
  await timeline.getByText("Rejected answer (what the upstream sent)").click();
  expect(await timeline.locator(".attempt-rejected pre").first().textContent()).toContain(
    "Upstream overloaded, rate limit reached",
  );
  await screenshot(page, "log-03b-rejected-answer");
}, 30_000);

test("the latency header sorts, server side, and the order is in the URL", async () => {
  await page.goto(`${gw.url}/logs?refused=false`);
  await rows(6);
  await page.getByRole("button", { name: "Latency" }).click();
  await page.waitForURL(/sort=latency/);
  await page.waitForFunction(() => document.querySelector("th[aria-sort]")?.getAttribute("aria-sort") === "descending");
  // The header changes with the URL at once; the rows follow when the server's sorted page arrives.
  const sorted = await page
    .waitForFunction(
      () => {
        const cells = [...document.querySelectorAll("table.log-table tbody tr td:nth-child(5)")];
        const ms = cells.map((c) => {
          const t = c.textContent ?? "";
          return t.endsWith(" s") ? Number.parseFloat(t) * 1000 : Number.parseFloat(t);
        });
        return ms.length >= 6 && ms.every((v, i) => i === 0 || ms[i - 1] >= v);
      },
      undefined,
      { timeout: 10_000 },
    )
    .then(() => true);
  expect(sorted).toBe(true);
  await page.getByRole("button", { name: "Latency" }).click();
  await page.waitForURL(/order=asc/);
}, 30_000);

test("on a 390 px phone the filters fold behind their button; the rows come first", async () => {
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  await phone.addCookies([{ name: cookie.split("=")[0], value: cookie.split("=")[1], url: gw.url }]);
  const small = await phone.newPage();
  await small.goto(`${gw.url}/logs?attempted=${encodeURIComponent(DOWN)}&refused=false`);
  await small.waitForFunction(() => document.querySelectorAll("table.log-table tbody tr").length === 1);
  const toggle = small.getByRole("button", { name: "Filters (2)" });
  expect(await toggle.isVisible()).toBe(true);
  expect(await small.locator("form.log-filters").isVisible()).toBe(false);
  // The first row is on the first screen.
  const box = await small.locator("table.log-table tbody tr").first().boundingBox();
  expect(box).not.toBeNull();
  expect(box!.y + box!.height).toBeLessThanOrEqual(844);
  await screenshot(small, "log-04-phone-folded");
  await toggle.click();
  expect(await small.locator("form.log-filters").isVisible()).toBe(true);
  expect(await small.getByRole("combobox", { name: "Attempted (any attempt)" }).inputValue()).toBe(DOWN);
  await screenshot(small, "log-05-phone-filters");
  await phone.close();
}, 30_000);
