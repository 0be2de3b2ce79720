/**
 * Editing the config runs code on the host: loading a candidate (validate, not only apply) executes
 * its module. A change of anything but values asks for the account's password first, in the request;
 * surgical value edits do not. Validate and apply are audited, with whether code changed.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { AdminClient } from "../helpers/admin-client.ts";
import { type Harness, startHarness } from "../helpers/gateway-harness.ts";

const PASSWORD = "correct staple horse battery";
let h: Harness;
let admin: AdminClient;
let marker = "";

beforeAll(async () => {
  h = await startHarness({ adminPassword: PASSWORD, config: () => `  tiers: { t1: { models: ["a/first"] } },` });
  admin = new AdminClient(h.url);
  await admin.login("admin", PASSWORD);
  marker = join(h.dir, "ran.txt");
});
afterAll(() => h.stop());

const onDisk = () => readFileSync(h.configPath, "utf8");
/** The file with a statement that leaves a mark when the module is loaded. */
const withCode = (mark: string) =>
  onDisk().replace(
    "export default",
    `import { writeFileSync } from "node:fs";\nwriteFileSync(${JSON.stringify(marker)}, ${JSON.stringify(mark)});\nexport default`,
  );
const audit = async () =>
  (await admin.call("GET", "/api/audit?limit=100")).json.entries as {
    action: string;
    detail: Record<string, unknown> | null;
  }[];

describe("a change that adds code", () => {
  test("validate without the password is refused before the code runs, saying the password is needed", async () => {
    const answer = await admin.call("POST", "/api/config/validate", { source: withCode("validate") });
    expect(answer.status).toBe(403);
    expect(answer.json.error).toMatchObject({ param: "password" });
    expect(existsSync(marker)).toBe(false);
  });

  test("a wrong password is refused with wrong_credentials, and audited", async () => {
    const answer = await admin.call("POST", "/api/config/validate", {
      source: withCode("validate"),
      password: "not my password",
    });
    expect(answer.status).toBe(403);
    expect(answer.json.error).toMatchObject({ code: "wrong_credentials", param: "password" });
    expect(existsSync(marker)).toBe(false);
    expect((await audit()).map((e) => e.action)).toContain("reauth.failed");
  });

  test("with the password it is validated (its code ran) and audited; applying that same text needs no second password", async () => {
    const source = withCode("validate");
    const validated = await admin.call("POST", "/api/config/validate", { source, password: PASSWORD });
    expect(validated.json.ok).toBe(true);
    expect(readFileSync(marker, "utf8")).toBe("validate");
    expect((await audit()).find((e) => e.action === "config.validate")?.detail).toMatchObject({
      ok: true,
      codeChanged: true,
    });
    rmSync(marker);
    const applied = await admin.call("POST", "/api/config/apply", { source, reason: "add a mark" });
    expect(applied.json.ok).toBe(true);
    expect((await audit()).find((e) => e.action === "config.apply")?.detail).toMatchObject({
      ok: true,
      codeChanged: true,
      reason: "add a mark",
    });
  });

  test("apply of another code change without the password is refused, and the file is left as it was", async () => {
    const before = onDisk();
    const answer = await admin.call("POST", "/api/config/apply", { source: before.replace('"validate"', '"changed"') });
    expect(answer.status).toBe(403);
    expect(answer.json.error).toMatchObject({ param: "password" });
    expect(onDisk()).toBe(before);
  });

  test("a rollback to a version with other code asks for the password too", async () => {
    const versions = (await admin.call("GET", "/api/config/history")).json.versions as { id: number }[];
    const first = versions[versions.length - 1];
    expect((await admin.call("POST", "/api/config/rollback", { id: first.id })).status).toBe(403);
    expect((await admin.call("POST", "/api/config/rollback", { id: first.id, password: PASSWORD })).json.ok).toBe(true);
  });
});

describe("a change of values only", () => {
  test("a surgical edit needs no password; validate and apply are audited", async () => {
    const edits = [{ op: "set", path: "tiers.t1.models[0]", value: "a/second" }];
    expect((await admin.call("POST", "/api/config/validate", { edits })).json.ok).toBe(true);
    expect((await admin.call("POST", "/api/config/apply", { edits })).json.ok).toBe(true);
    const entries = await audit();
    expect(entries.find((e) => e.action === "config.validate")?.detail).toMatchObject({ ok: true, codeChanged: false });
    expect(entries.find((e) => e.action === "config.apply")?.detail).toMatchObject({ ok: true, codeChanged: false });
  });

  test("a whole new text that changes only values and comments needs no password", async () => {
    const source = onDisk()
      .replace('"a/second"', '"a/third"')
      .replace("export default", "// a comment\nexport default");
    expect((await admin.call("POST", "/api/config/apply", { source })).json.ok).toBe(true);
  });

  test("a validation that fails is audited too", async () => {
    await admin.call("POST", "/api/config/validate", {
      edits: [{ op: "set", path: "tiers.t1.models[0]", value: "zz/none" }],
    });
    expect((await audit()).find((e) => e.action === "config.validate")?.detail).toMatchObject({ ok: false });
  });
});
