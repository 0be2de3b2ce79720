/**
 * The shell and the playground in a real browser (Debian's Chromium through playwright-core) against a
 * real gateway process and the mock upstream: "Send it" shows the answer and the model, side by side
 * shows two, a Chinese keyword's reason is readable and does not widen a phone's page, the phone drawer
 * opens and closes (Escape, a tap on the backdrop), the skip link and focus after navigation.
 * Screenshots: test-results/screenshots/shell-*.png.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { mockReply } from "../../bench/mock-upstream.ts";
import { launchBrowser, screenshot } from "../helpers/browser.ts";
import { ROOT } from "../helpers/gateway-harness.ts";
import { type GatewayProcess, startGatewayProcess } from "../helpers/gateway-process.ts";

let gw: GatewayProcess;
let browser: Browser;
let desktop: BrowserContext;
let page: Page;
const PASSWORD = "correct staple horse battery";

beforeAll(async () => {
  gw = await startGatewayProcess({
    env: { GATEWAY_ADMIN_PASSWORD: PASSWORD },
    // The config module may await at its top level: the keyword classifier with its default rules.
    config: `  classifiers: [
    (await import("${ROOT}/plugins/index.ts")).keywordClassifier({
      rules: (await import("${ROOT}/plugins/index.ts")).defaultKeywordRules,
    }),
  ],
  tiers: {
    t1: { models: ["a/first?tokens=5"] },
    t2: { models: ["b/second?tokens=3"] },
  },
  pricing: { "a/first?tokens=5": { input: 2, output: 4 } },`,
  });
  browser = await launchBrowser();
  desktop = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  page = await desktop.newPage();
  await page.goto(`${gw.url}/login`);
  await page.getByLabel("Username").fill("admin");
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => url.pathname === "/");
}, 30_000);
afterAll(async () => {
  await browser?.close();
  await gw?.stop();
});

/** WCAG contrast ratio of two CSS rgb() colours. */
function contrast(a: string, b: string): number {
  const luminance = (css: string) => {
    const [r, g, b] = (css.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map((v) => {
      const c = Number(v) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

const horizontalOverflow = (p: Page) =>
  p.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

test("Send it runs the prompt for real and shows the answer, model, attempts and cost", async () => {
  await page.goto(`${gw.url}/playground`);
  await page.getByRole("combobox", { name: "Requested model" }).selectOption("t1");
  await page.getByLabel("Prompt", { exact: true }).fill("Write a haiku about routers");
  await page.getByRole("button", { name: "Send it", exact: true }).click();
  const answer = page.getByRole("region", { name: "Answer for t1" });
  await answer.getByTestId("play-answer").waitFor();
  expect(await answer.getByTestId("play-answer").textContent()).toBe(mockReply(5));
  expect(await answer.getByTestId("play-model").textContent()).toBe("a/first?tokens=5");
  const text = (await answer.textContent()) ?? "";
  expect(text).toContain("1 attempt");
  expect(text).toContain("accepted");
  expect(text).toMatch(/Cost\s*\$0\.\d+/);
  await screenshot(page, "shell-01-playground-send");
  // Streamed upstream: the same answer, its deltas joined (the route test checks the log says stream).
  await page.getByLabel("Stream", { exact: true }).check();
  await page.getByRole("button", { name: "Send it", exact: true }).click();
  await page.getByRole("button", { name: "Send it", exact: true }).waitFor();
  await answer.getByTestId("play-answer").waitFor();
  expect(await answer.getByTestId("play-answer").textContent()).toBe(mockReply(5));
  // It is in the log, under the playground's key.
  await answer.getByRole("link", { name: "This request in the log" }).click();
  await page.waitForURL(/\/logs\/[^/]+$/);
  await page.getByText("playground").first().waitFor();
}, 30_000);

test("side by side sends the same prompt to two tiers and shows both answers", async () => {
  await page.goto(`${gw.url}/playground`);
  await page.getByRole("combobox", { name: "Requested model" }).selectOption("t1");
  await page.getByRole("combobox", { name: "Side by side with" }).selectOption("t2");
  await page.getByLabel("Prompt", { exact: true }).fill("Compare these two");
  await page.getByRole("button", { name: "Send it to both" }).click();
  const first = page.getByRole("region", { name: "Answer for t1" });
  const second = page.getByRole("region", { name: "Answer for t2" });
  await first.getByTestId("play-answer").waitFor();
  await second.getByTestId("play-answer").waitFor();
  expect(await first.getByTestId("play-model").textContent()).toBe("a/first?tokens=5");
  expect(await second.getByTestId("play-model").textContent()).toBe("b/second?tokens=3");
  expect(await second.getByTestId("play-answer").textContent()).toBe(mockReply(3));
  // Next to each other on a wide screen: the second column starts to the right of the first.
  const [a, b] = [await first.boundingBox(), await second.boundingBox()];
  expect(b!.x).toBeGreaterThan(a!.x + a!.width - 1);
  expect(Math.abs(b!.y - a!.y)).toBeLessThan(2);
  await screenshot(page, "shell-02-side-by-side");
}, 30_000);

test("at phone width a Chinese keyword's reason is readable and the page is not wider than the screen", async () => {
  for (const theme of ["light", "dark"]) {
    const phone = await browser.newContext({
      viewport: { width: 390, height: 844 },
      storageState: await desktop.storageState(),
    });
    const small = await phone.newPage();
    await small.addInitScript((t) => localStorage.setItem("smartroute-theme", t), theme);
    await small.goto(`${gw.url}/playground`);
    await small.getByLabel("Prompt", { exact: true }).fill("你好，请问今天天气怎么样");
    await small.getByRole("button", { name: "Explain the route" }).click();
    const reason = small.locator(".play-reason");
    await reason.waitFor();
    const text = (await reason.textContent()) ?? "";
    expect(text).toContain("你好");
    expect(text).not.toContain("\\u");
    expect(await horizontalOverflow(small)).toBeLessThanOrEqual(0);
    await screenshot(small, `shell-03-phone-chinese-reason-${theme}`);
    // The answer and its figures fit too.
    await small.getByRole("button", { name: "Send it", exact: true }).click();
    await small.getByTestId("play-answer").waitFor();
    expect(await horizontalOverflow(small)).toBeLessThanOrEqual(0);
    await screenshot(small, `shell-03-phone-send-${theme}`);
    await phone.close();
  }
}, 30_000);

test("the phone drawer closes with Escape and with a tap on the backdrop, keeping Tab inside", async () => {
  const phone = await browser.newContext({
    viewport: { width: 390, height: 844 },
    storageState: await desktop.storageState(),
  });
  const small = await phone.newPage();
  await small.goto(`${gw.url}/logs`);
  await small.locator("main h1").waitFor();
  const menu = small.getByRole("button", { name: "Open the menu" });
  const drawer = small.getByRole("navigation", { name: "Main" });

  await menu.click();
  await drawer.waitFor({ state: "visible" });
  expect(await menu.getAttribute("aria-expanded")).toBe("true");
  await screenshot(small, "shell-04-phone-drawer-open");
  // Focus is in the drawer, and Tab from its last control comes back to its first.
  const inDrawer = () => small.evaluate(() => !!document.activeElement?.closest("nav"));
  expect(await inDrawer()).toBe(true);
  for (let i = 0; i < 14; i++) {
    await small.keyboard.press("Tab");
    expect(await inDrawer()).toBe(true);
  }
  expect(await small.locator("main").getAttribute("inert")).not.toBeNull(); // the page behind is out of reach
  await small.keyboard.press("Escape");
  await drawer.waitFor({ state: "hidden" });
  expect(await small.locator("main").getAttribute("inert")).toBeNull();
  expect(await small.evaluate(() => document.activeElement?.getAttribute("aria-label"))).toBe("Open the menu");

  await menu.click();
  await drawer.waitFor({ state: "visible" });
  // A tap outside the drawer (on the dimmed page to its right).
  await small.mouse.click(370, 600);
  await drawer.waitFor({ state: "hidden" });
  expect(await small.locator(".drawer-backdrop").count()).toBe(0);

  // The close button in the drawer closes it too.
  await menu.click();
  await small.getByRole("button", { name: "Close the menu" }).click();
  await drawer.waitFor({ state: "hidden" });
  await phone.close();
}, 30_000);

test("the skip link moves focus to the page's heading", async () => {
  await page.goto(`${gw.url}/health`);
  await page.locator("main h1").waitFor();
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Skip to content" });
  expect(await skip.evaluate((el) => el === document.activeElement)).toBe(true);
  expect(await skip.isVisible()).toBe(true); // shown while focused
  await screenshot(page, "shell-05-skip-link");
  await page.keyboard.press("Enter");
  expect(await page.evaluate(() => document.activeElement?.tagName)).toBe("H1");
  expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Models & health");
}, 30_000);

test("after following a link in the sidebar, focus is on the new page's heading", async () => {
  await page.goto(`${gw.url}/`);
  await page.locator("main h1").waitFor();
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "API keys" }).click();
  await page.waitForURL("**/keys");
  await page.waitForFunction(() => document.activeElement?.tagName === "H1", undefined, { timeout: 5_000 });
  expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("API keys");
  // By keyboard too: Enter on a focused link.
  const logs = page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Logs", exact: true });
  await logs.focus();
  await page.keyboard.press("Enter");
  await page.waitForURL("**/logs");
  await page.waitForFunction(() => document.activeElement?.textContent === "Logs", undefined, { timeout: 5_000 });
}, 30_000);

test("the selected segmented button shows a focus ring in both themes", async () => {
  for (const theme of ["light", "dark"]) {
    await page.evaluate((t) => localStorage.setItem("smartroute-theme", t), theme);
    await page.goto(`${gw.url}/playground`);
    const pressed = page.getByRole("button", { name: "Prompt", exact: true });
    await pressed.focus();
    await page.keyboard.press("Space"); // keyboard use makes :focus-visible apply
    const ring = await pressed.evaluate((el) => {
      const style = getComputedStyle(el);
      return {
        width: style.outlineWidth,
        style: style.outlineStyle,
        offset: style.outlineOffset,
        color: style.outlineColor,
        bg: style.backgroundColor,
      };
    });
    expect(ring.style).toBe("solid");
    expect(ring.width).toBe("2px");
    // Drawn inside the button (the group clips what is outside), and standing out on its accent background.
    expect(Number.parseFloat(ring.offset)).toBeLessThan(0);
    expect(contrast(ring.color, ring.bg)).toBeGreaterThanOrEqual(3);
    await screenshot(page, `shell-06-segmented-focus-${theme}`);
  }
  await page.evaluate(() => localStorage.setItem("smartroute-theme", "light"));
}, 30_000);
