/**
 * Two gateway processes on one Redis, in a real browser: the Config page of one lists both processes
 * and the config each runs; after an edit applied through the admin API of the first, both say "current"
 * with the new digest, and the second serves the new tier.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Browser, Page } from "playwright-core";
import { digestOf } from "../../src/cluster/shared-config.ts";
import { launchBrowser, screenshot } from "../helpers/browser.ts";
import { type GatewayProcess, startGatewayProcess } from "../helpers/gateway-process.ts";
import { dropKeys, REDIS_URL, redisAnswers, uniquePrefix } from "../helpers/redis.ts";

const PASSWORD = "correct staple horse battery";
const prefix = uniquePrefix();
const nodes: GatewayProcess[] = [];
let browser: Browser;
let page: Page;

describe.skipIf(!redisAnswers)("the cluster on the Config page", () => {
  beforeAll(async () => {
    for (let i = 0; i < 2; i++)
      nodes.push(
        await startGatewayProcess({
          config: `  tiers: { t1: { models: ["a/first"] } },`,
          env: { GATEWAY_REDIS_URL: REDIS_URL, GATEWAY_REDIS_PREFIX: prefix, GATEWAY_ADMIN_PASSWORD: PASSWORD },
        }),
      );
    browser = await launchBrowser();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  }, 40_000);
  afterAll(async () => {
    await browser?.close();
    for (const node of nodes) await node.stop();
    await dropKeys(prefix);
  });

  test("both processes are listed; an edit applied on one runs on both", async () => {
    const [a, b] = nodes;
    await page.goto(`${a.url}/login`);
    await page.getByLabel("Username").fill("admin");
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL((url) => url.pathname !== "/login");
    await page.goto(`${a.url}/config`);
    const panel = page.getByRole("region", { name: "Processes of this cluster" });
    await panel.locator("tbody tr").nth(1).waitFor({ timeout: 10_000 });
    expect(await panel.locator("tbody tr").count()).toBe(2);
    expect(await panel.locator("tbody tr").first().innerText()).toContain("(this one)");
    // An edit applied through A's admin API (the page's own session): a second tier.
    const source = (await Bun.file(a.configPath).text()).replace(
      `tiers: { t1: { models: ["a/first"] } },`,
      `tiers: { t1: { models: ["a/first"] }, t2: { models: ["a/second"] } },`,
    );
    const applied = await page.evaluate(
      async (text) =>
        (
          await fetch("/api/config/apply", {
            method: "POST",
            headers: { "content-type": "application/json", "x-smartroute-request": "1" },
            body: JSON.stringify({ source: text, reason: "add t2", password: "correct staple horse battery" }),
          })
        ).status,
      source,
    );
    expect(applied).toBe(200);
    const digest = digestOf(source);
    await page.waitForFunction(
      (d) => {
        const rows = [...document.querySelectorAll("section.cluster-replicas tbody tr")];
        return rows.length === 2 && rows.every((r) => r.textContent?.includes(d) && r.textContent.includes("current"));
      },
      digest,
      { timeout: 15_000 },
    );
    await screenshot(page, "cluster-config");
    const response = await fetch(`${b.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "t2", messages: [{ role: "user", content: "hi" }] }),
    });
    expect(response.headers.get("x-gateway-model")).toBe("a/second");
    await response.text();
  }, 40_000);
});
