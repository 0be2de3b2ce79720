/**
 * Access in a real browser (Debian's Chromium) against a real gateway process: setup picking up the
 * token from a hash change after the page was opened, password strength shown as typed, a key edited
 * (name and limits), rotated (old secret refused, new one works, same history) and its use shown; a
 * second admin invited with the read-only role, who joins, enrols TOTP, signs in (the password step's
 * words, the code field focused) and finds the changes disabled, a change refused by the server, and
 * saying why. Screenshots: test-results/screenshots/access-*.png, desktop and phone widths.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { currentCode } from "../../src/auth/totp.ts";
import { launchBrowser, screenshot } from "../helpers/browser.ts";
import { type GatewayProcess, startGatewayProcess } from "../helpers/gateway-process.ts";

let gw: GatewayProcess;
let browser: Browser;
let owner: Page;
let viewerContext: BrowserContext;
let viewer: Page;
const PASSWORD = "correct staple horse battery";
const VIEWER_PASSWORD = "quiet harbour seventeen lamps";
let inviteLink = "";
let viewerSecret = "";

beforeAll(async () => {
  gw = await startGatewayProcess({ config: `  tiers: { t1: { models: ["a/first"] } },` });
  browser = await launchBrowser();
  owner = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  viewerContext = await browser.newContext({ viewport: { width: 390, height: 844 } });
  viewer = await viewerContext.newPage();
}, 30_000);
afterAll(async () => {
  await browser?.close();
  await gw?.stop();
});

const chatStatus = async (key: string) => {
  const response = await fetch(`${gw.url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
    body: JSON.stringify({ model: "t1", messages: [{ role: "user", content: "hello from the access test" }] }),
  });
  await response.text();
  return response.status;
};

/** Closes the one-time key dialog without the copy button (headless Chromium has no clipboard here). */
async function closeKeyDialog(): Promise<void> {
  const dialog = owner.getByRole("dialog", { name: /^Key “.*” (created|rotated)$/ });
  await dialog.getByRole("button", { name: "Close", exact: true }).click();
  await dialog.getByRole("button", { name: "Close anyway" }).click();
  await dialog.waitFor({ state: "detached" });
}

test("setup opened before the link was pasted reads the token from the later hash change", async () => {
  const link = /(http:\/\/\S+\/setup#token=(\S+))/.exec(gw.banner);
  expect(link).not.toBeNull();
  const token = link![2];
  await owner.goto(`${gw.url}/setup`);
  const tokenField = owner.getByLabel("Setup token");
  expect(await tokenField.inputValue()).toBe("");
  // What pasting the link into the address bar of the open page does: only the hash changes.
  await owner.evaluate((t) => {
    location.hash = `token=${t}`;
  }, token);
  await owner.waitForFunction((t) => (document.querySelector("input") as HTMLInputElement | null)?.value === t, token);

  await owner.getByLabel("Password (10 characters or more)").fill("password123");
  await owner.getByTestId("password-strength").waitFor();
  expect(await owner.getByTestId("password-strength").textContent()).toMatch(/^Too weak/);
  expect(await owner.locator(".password-meter").textContent()).toContain("commonly used password");
  await screenshot(owner, "access-01-setup-weak");
  await owner.getByLabel("Password again").fill("password123");
  await owner.getByRole("button", { name: "Create the admin account" }).click();
  await owner.getByRole("alert").filter({ hasText: "too easy to guess" }).waitFor();

  await owner.getByLabel("Password (10 characters or more)").fill(PASSWORD);
  await owner.waitForFunction(() =>
    /^Strong enough/.test(document.querySelector("[data-testid=password-strength]")?.textContent ?? ""),
  );
  await owner.getByLabel("Password again").fill(PASSWORD);
  await owner.getByRole("button", { name: "Create the admin account" }).click();
  await owner.waitForURL("**/security");
}, 30_000);

test("a key is edited with the create form's fields, rotated, and its use shown", async () => {
  await owner.goto(`${gw.url}/keys`);
  const create = owner.getByRole("form", { name: "Create a key" });
  await create.getByLabel("Name").fill("billing");
  await create.getByRole("button", { name: "Create key" }).click();
  const firstKey = await owner.getByLabel("The new API key").inputValue();
  await closeKeyDialog();
  expect(await chatStatus(firstKey)).toBe(200);

  await owner.getByRole("button", { name: "Edit the key billing" }).click();
  const edit = owner.getByRole("form", { name: "Edit the key billing" });
  expect(await edit.getByLabel("Name").inputValue()).toBe("billing");
  await edit.getByLabel("Name").fill("billing-service");
  await edit.getByLabel("Requests per minute (optional)").fill("120");
  await edit.getByLabel("Budget in USD (optional)").fill("25");
  await screenshot(owner, "access-02-key-edit");
  await edit.getByRole("button", { name: "Save changes" }).click();
  await owner.getByText("Key “billing-service” saved").waitFor();
  const row = owner.locator("tr", { hasText: "billing-service" });
  expect(await row.textContent()).toContain("120/min");
  expect(await row.getByTestId("key-spend").textContent()).toContain("$25");

  await owner.getByRole("button", { name: "Rotate the key billing-service" }).click();
  await owner.getByRole("button", { name: "Rotate key" }).click();
  const rotatedKey = await owner.getByLabel("The new API key").inputValue();
  expect(rotatedKey).not.toBe(firstKey);
  const shownOnce = owner.getByRole("dialog", { name: "Key “billing-service” rotated" });
  expect(await shownOnce.textContent()).toContain("The old secret stopped working");
  await screenshot(owner, "access-03-key-rotated");
  await closeKeyDialog();
  expect(await chatStatus(firstKey)).toBe(401);
  expect(await chatStatus(rotatedKey)).toBe(200);

  // Both requests are the one key's history. The log is written off the request path: wait for it.
  const loggedRequests = () =>
    owner.evaluate(async () => {
      const { keys } = await (await fetch("/api/keys")).json();
      const answer = await (await fetch(`/api/keys/${keys[0].id}/usage?bucket=hour`)).json();
      return (answer.points as { requests: number }[]).reduce((sum, p) => sum + p.requests, 0);
    });
  for (let i = 0; i < 200 && (await loggedRequests()) < 2; i++) await Bun.sleep(25);
  await owner.reload();
  await owner.getByRole("button", { name: "Use over time of the key billing-service" }).click();
  await owner.waitForFunction(
    () => /^2 requests/.test(document.querySelector("[data-testid=key-activity-total]")?.textContent ?? ""),
    undefined,
    { timeout: 10_000 },
  );
  await screenshot(owner, "access-04-key-usage");
}, 40_000);

test("an admin invites a read-only admin: the link is shown once", async () => {
  await owner.goto(`${gw.url}/security`);
  const team = owner.getByRole("region", { name: "Admins" });
  await team.getByLabel("Invite an admin with the role").selectOption("viewer");
  await team.getByRole("button", { name: "Create invite link" }).click();
  inviteLink = await owner.getByLabel("The invite link", { exact: true }).inputValue();
  expect(inviteLink).toMatch(/\/setup#invite=[A-Za-z0-9_-]{40,}$/);
  await screenshot(owner, "access-05-invite-link");
  await owner.getByRole("button", { name: "Done" }).click();
  await team.getByText("invited by admin").waitFor();
}, 30_000);

test("the invitee joins on a phone, must enrol TOTP, then signs in with the code field focused", async () => {
  await viewer.goto(inviteLink);
  await viewer.getByRole("heading", { name: "Join SmartRoute" }).waitFor();
  await viewer.getByLabel("Username").fill("reader");
  await viewer.getByLabel("Password (10 characters or more)").fill(VIEWER_PASSWORD);
  await viewer.getByLabel("Password again").fill(VIEWER_PASSWORD);
  await screenshot(viewer, "access-06-join-phone");
  await viewer.getByRole("button", { name: "Create my account" }).click();
  await viewer.waitForURL("**/security");
  await viewer.getByText("This account must use an authenticator app").waitFor();
  await viewer.getByRole("button", { name: "Set up two-factor authentication" }).click();
  viewerSecret = ((await viewer.getByLabel("Secret for manual entry").textContent()) ?? "").replace(/\s+/g, "");
  await viewer.locator("#totp-code").fill(await currentCode(viewerSecret, Date.now()));
  await viewer.getByRole("button", { name: "Confirm and turn on" }).click();
  await viewer.getByRole("button", { name: "I have saved them" }).click();

  // On a phone the sign-out button is in the menu.
  await viewer.getByRole("button", { name: "Open the menu" }).click();
  await viewer.getByRole("button", { name: "Sign out" }).click();
  await viewer.waitForURL("**/login");
  await viewer.getByLabel("Username").fill("reader");
  await viewer.getByLabel("Password").fill("not the password at all");
  await viewer.getByRole("button", { name: "Sign in" }).click();
  await viewer.getByRole("alert").filter({ hasText: "Wrong username or password." }).waitFor();
  await viewer.getByLabel("Password").fill(VIEWER_PASSWORD);
  await viewer.getByRole("button", { name: "Sign in" }).click();
  await viewer.getByLabel("Code").waitFor();
  await viewer.waitForFunction(() => document.activeElement?.getAttribute("name") === "code");
  expect(await viewer.locator(".error").count()).toBe(0); // no "wrong" message before a code was asked
  await screenshot(viewer, "access-07-login-code-phone");
  await viewer.keyboard.type(await currentCode(viewerSecret, Date.now() + 30_000));
  await viewer.keyboard.press("Enter");
  await viewer.waitForURL((url) => url.pathname === "/");
}, 40_000);

test("the read-only admin sees the keys with every change disabled, and a change is refused, saying why", async () => {
  await viewer.goto(`${gw.url}/keys`);
  await viewer.getByTestId("read-only-note").waitFor();
  expect(await viewer.getByTestId("read-only-note").textContent()).toContain("Your role is read-only");
  await viewer.locator("tr", { hasText: "billing-service" }).waitFor();
  expect(await viewer.getByRole("button", { name: "Rotate the key billing-service" }).isDisabled()).toBe(true);
  expect(await viewer.getByRole("button", { name: "Revoke the key billing-service" }).isDisabled()).toBe(true);
  expect(await viewer.getByRole("button", { name: "Create key" }).isDisabled()).toBe(true);
  await screenshot(viewer, "access-08-keys-read-only-phone");

  // The page is not the lock: the same session's request is refused by the server, in words.
  const refused = await viewer.evaluate(async () => {
    const response = await fetch("/api/keys", {
      method: "POST",
      headers: { "content-type": "application/json", "x-smartroute-request": "1" },
      body: JSON.stringify({ name: "sneaky" }),
    });
    return { status: response.status, body: await response.text() };
  });
  expect(refused.status).toBe(403);
  expect(refused.body).toContain("read-only");

  // The pages with changes on them say so once, and their change controls are off.
  await viewer.goto(`${gw.url}/health`);
  await viewer.getByRole("note").filter({ hasText: "Your role is read-only" }).waitFor();
  const reset = viewer.getByRole("button", { name: /^Reset the circuit of / }).first();
  await reset.waitFor();
  expect(await reset.isDisabled()).toBe(true);
  expect(
    await viewer
      .getByRole("button", { name: /^Test / })
      .first()
      .isDisabled(),
  ).toBe(true);
  await viewer.goto(`${gw.url}/playground`);
  await viewer.getByRole("note").filter({ hasText: "Your role is read-only" }).waitFor();
  expect(await viewer.getByRole("button", { name: /^Send it/ }).isDisabled()).toBe(true);
  await viewer.goto(`${gw.url}/config`);
  await viewer.getByRole("note").filter({ hasText: "Your role is read-only" }).waitFor();

  await viewer.goto(`${gw.url}/security`);
  await viewer.getByRole("region", { name: "Admins" }).getByText("reader").first().waitFor();
  expect(await viewer.getByRole("button", { name: "Save settings" }).isDisabled()).toBe(true);
  expect(await viewer.locator("body").textContent()).toContain("Ask an admin to invite or remove admins.");
  await viewer.setViewportSize({ width: 1280, height: 900 });
  await screenshot(viewer, "access-09-security-read-only");
  // The owner's pages in the dark theme at phone width: the meter, the admins, the audit filters.
  await owner.getByRole("button", { name: /Dark theme/ }).click();
  await owner.setViewportSize({ width: 390, height: 844 });
  await owner.goto(`${gw.url}/security`);
  await owner.getByRole("region", { name: "Admins" }).getByText("reader").first().waitFor();
  await owner.getByLabel("New password", { exact: true }).fill("hunter2hunter2");
  await owner.getByTestId("password-strength").waitFor();
  await screenshot(owner, "access-10-security-dark-phone");
  await owner.goto(`${gw.url}/keys`);
  await owner.getByRole("button", { name: "Use over time of the key billing-service" }).click();
  await owner.getByTestId("key-activity-total").waitFor();
  await screenshot(owner, "access-11-keys-dark-phone");
}, 30_000);
