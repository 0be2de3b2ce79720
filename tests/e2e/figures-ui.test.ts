/**
 * The figures in a real browser against a real gateway process and the mock upstream: a model that
 * fails (503) before a healthy one in its tier. The dashboard's per-model table puts the failed
 * attempts, retries and failovers on the failing model and the answers on the rescuer; the health page
 * calls the failing model "failing" with its window's error rate, chart and circuit timeline; request
 * rates over a month read per day. Screenshots (desktop 1280 and phone 390, light and dark):
 * test-results/screenshots/figures-*.png.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { launchBrowser, screenshot } from "../helpers/browser.ts";
import { type GatewayProcess, startGatewayProcess } from "../helpers/gateway-process.ts";

const DOWN = "a/down?fault=status&status=503";
const PASSWORD = "correct staple horse battery";
let gw: GatewayProcess;
let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  gw = await startGatewayProcess({
    config: `  tiers: {
    t1: { models: ["a/first"] },
    flaky: { models: ["${DOWN}", "b/rescue"] },
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

async function chat(model: string): Promise<string | null> {
  const response = await fetch(`${gw.url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model, messages: [{ role: "user", content: "hello from the figures test" }] }),
  });
  expect(response.status).toBe(200);
  await response.text();
  return response.headers.get("x-gateway-model");
}

/** Nothing wider than the phone's screen once the charts have followed the new size (wide tables scroll inside). */
async function fitsThePhone(): Promise<void> {
  const fits = await page
    .waitForFunction(() => document.documentElement.scrollWidth <= 390, undefined, { timeout: 5_000 })
    .then(
      () => true,
      () => false,
    );
  // When it does not, say which elements stick out (a failure names its culprit).
  const wide = fits
    ? []
    : await page.evaluate(() =>
        [...document.querySelectorAll("body *")]
          .filter((el) => el.getBoundingClientRect().right > 391)
          // What scrolls inside its own box (a wide table in its wrapper) does not widen the page.
          .filter((el) => {
            for (let up = el.parentElement; up; up = up.parentElement)
              if (["auto", "scroll", "hidden"].includes(getComputedStyle(up).overflowX)) return false;
            return true;
          })
          .slice(0, 8)
          .map(
            (el) => `${el.tagName.toLowerCase()}.${el.className} right=${Math.round(el.getBoundingClientRect().right)}`,
          ),
      );
  expect(wide).toEqual([]);
}

/** The cells of a table row, by the column headers' text. */
async function rowCells(row: ReturnType<Page["locator"]>): Promise<Record<string, string>> {
  const headers = await page.locator("section[aria-label='Models'] thead th").allInnerTexts();
  const cells = await row.locator("td").allInnerTexts();
  return Object.fromEntries(headers.map((h, i) => [h.trim(), cells[i]?.trim() ?? ""]));
}

test("setup, then three requests rescued from a failing model and three answered first time", async () => {
  const link = /(http:\/\/\S+\/setup#token=\S+)/.exec(gw.banner)?.[1];
  expect(link).toBeDefined();
  await page.goto(link!.replace("localhost", "127.0.0.1"));
  await page.getByLabel("Password (10 characters or more)").fill(PASSWORD);
  await page.getByLabel("Password again").fill(PASSWORD);
  await page.getByRole("button", { name: "Create the admin account" }).click();
  await page.waitForURL("**/security");
  for (let i = 0; i < 3; i++) expect(await chat("flaky")).toBe("b/rescue");
  for (let i = 0; i < 3; i++) expect(await chat("t1")).toBe("a/first");
  // The log writer lands the rows just after the answers: wait until the stats count all six.
  await page.waitForFunction(
    async () => {
      const r = await fetch(`/api/stats?from=${Date.now() - 3_600_000}`, { headers: { "x-smartroute-request": "1" } });
      return r.ok && (await r.json()).totals.requests === 6;
    },
    undefined,
    { timeout: 10_000, polling: 100 },
  );
}, 30_000);

test("the dashboard's per-model table counts the failures against the failing model", async () => {
  const down = page.locator(`section[aria-label='Models'] tr[data-model="${DOWN}"]`);
  // The log writer commits rows in batches: on a busy machine the first load may come before the last
  // batch, so the page is loaded again until the row has all six attempts (or the assertion below fails).
  for (let i = 0; i < 20; i++) {
    await page.goto(`${gw.url}/`);
    await down.waitFor();
    if ((await rowCells(down)).Attempts === "6") break;
    await Bun.sleep(250);
  }
  // A 503 is retried once on the same model, then the request fails over: 2 attempts per request.
  expect(await rowCells(down)).toMatchObject({
    Model: DOWN,
    Attempts: "6",
    "Error rate": "100.0 % (6)",
    "Failovers away": "3",
    Retries: "3",
    Answered: "0",
  });
  const rescue = await rowCells(page.locator(`section[aria-label='Models'] tr[data-model="b/rescue"]`));
  expect(rescue).toMatchObject({ Attempts: "3", "Error rate": "0.00 %", "Failovers away": "0", Answered: "3" });
  expect(await page.getByRole("heading", { name: "Requests per second, by tier" }).count()).toBe(1);
  await screenshot(page, "figures-01-dashboard");

  // Over 30 days the buckets are days: the rate reads per day, not "0.0000 req/s".
  await page.getByRole("button", { name: /30 days/ }).click();
  await page.getByRole("heading", { name: "Requests per day, by tier" }).waitFor();
  const rate = page.locator(".stat-cards .card").filter({ hasText: "Request rate" });
  expect(await rate.locator(".value").textContent()).toMatch(/^0\.\d+ \/ day$/);
  expect(await page.locator(`section[aria-label='Models'] tr[data-model="${DOWN}"] td`).nth(1).textContent()).toBe("6");
  await screenshot(page, "figures-02-dashboard-30d");

  await page.setViewportSize({ width: 390, height: 844 });
  await fitsThePhone();
  await screenshot(page, "figures-03-dashboard-phone");
  await page.setViewportSize({ width: 1280, height: 900 });
}, 30_000);

test("the health page calls the failing model failing over its window, with its circuit timeline", async () => {
  await page.goto(`${gw.url}/health`);
  const card = page.getByRole("article", { name: DOWN });
  await card.waitFor();
  await card.locator(".health-window").waitFor();
  // The summary counts verdicts, not only circuits: one model is failing.
  const failing = page.locator(".health-summary-card").filter({ hasText: "Failing" });
  expect(await failing.locator(".value").textContent()).toBe("1");
  expect(await card.locator(".health-verdict").textContent()).toMatch(
    /^failing\s*100 % of 6 attempts failed(; circuit open)?$/,
  );
  const figures = await card.locator(".health-window dl").textContent();
  expect(figures).toMatch(/Error rate\s*100\.0 %/);
  expect(figures).toMatch(/Attempts\s*6 \(6 failed\)/);
  expect(figures).toMatch(/Retries\s*3\s*Failovers away\s*3/);
  expect(await card.locator(".health-window canvas").count()).toBe(1);
  // Failures in a row opened its circuit: the timeline says when and why.
  const timeline = card.locator(".health-timeline");
  await timeline.locator("summary").click();
  expect(await timeline.textContent()).toMatch(/Circuit changes \(1\)[\s\S]*open\s*503/);
  // Its score bar is not green whatever the score: the verdict colours it.
  expect(await card.locator(".health-fill").getAttribute("class")).toContain("bad");

  const rescue = page.getByRole("article", { name: "b/rescue" });
  expect(await rescue.locator(".health-verdict").textContent()).toMatch(/^healthy\s*0 % of 3 attempts failed$/);
  expect(await rescue.locator(".health-window dl").textContent()).toMatch(/Answered\s*3/);
  expect(await rescue.getByText("Circuit never opened").count()).toBe(1);
  await screenshot(page, "figures-04-health");

  // Another window: the figures say which, and still count the same attempts (all in the last minutes).
  await page.getByRole("button", { name: "15 min" }).click();
  await page.getByText("Figures over the last 15 minutes").waitFor();
  await page.waitForFunction(
    (name) =>
      [...document.querySelectorAll("article")].some(
        (a) => a.querySelector("h3")?.textContent === name && /Attempts\s*6/.test(a.textContent ?? ""),
      ),
    DOWN,
  );

  await page.emulateMedia({ colorScheme: "dark" });
  await page.reload();
  await card.locator(".health-window canvas").waitFor();
  await screenshot(page, "figures-05-health-dark");
  await page.setViewportSize({ width: 390, height: 844 });
  await fitsThePhone();
  await screenshot(page, "figures-06-health-phone-dark");
}, 30_000);
