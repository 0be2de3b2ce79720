/**
 * Config through the admin API: view (masked), surgical edits, validation before writing, hot reload,
 * history with authors, diff, rollback, secrets moved to the secret store; no secret in any response.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type Harness, startHarness } from "../helpers/gateway-harness.ts";

let h: Harness;
let cookie = "";
const SECRET = "sk-live-secret-1234567890abcdef";
const NEW_SECRET = "sk-brand-new-secret-0987654321";
const ADMIN_PASSWORD = "correct staple horse battery";
const responses: string[] = [];

async function api(method: string, path: string, body?: unknown) {
  const response = await fetch(`${h.url}${path}`, {
    method,
    headers: { "content-type": "application/json", "x-smartroute-request": "1", cookie },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  responses.push(text);
  return { status: response.status, json: JSON.parse(text) as Record<string, unknown> };
}

const routedModel = async (tier = "t1") =>
  (
    await fetch(`${h.url}/v1/chat/completions`, {
      method: "POST",
      body: JSON.stringify({ model: tier, messages: [{ role: "user", content: "x" }] }),
    })
  ).headers.get("x-gateway-model");

beforeAll(async () => {
  h = await startHarness({
    adminPassword: ADMIN_PASSWORD,
    providers: (url) => `c: openai({ baseURL: "${url}", apiKey: "${SECRET}" }), // a key written in the file`,
    config: () => `
  // Tiers: edited by the tests below.
  tiers: {
    t1: { models: ["a/first", "b/backup"] },
    t2: { models: ["c/keyed"] },
  },
  timeouts: { idleMs: 30_000 /* kept as written */ },`,
  });
  const login = await fetch(`${h.url}/api/auth/login`, {
    method: "POST",
    headers: { "x-smartroute-request": "1" },
    body: JSON.stringify({ username: "admin", password: ADMIN_PASSWORD }),
  });
  cookie = login.headers.get("set-cookie")!.split(";")[0];
});
afterAll(async () => {
  // No secret ever left the server, in any response of this file.
  for (const text of responses) {
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(NEW_SECRET);
  }
  await h.stop();
});

describe("view", () => {
  test("the source and the tree, secrets masked, non-literals read-only", async () => {
    const { json } = await api("GET", "/api/config");
    expect(json.file).toBe("gateway.config.ts");
    expect(String(json.source)).toContain("// Tiers: edited by the tests below.");
    const flat: { path: string; editable: boolean; secret?: boolean; kind: string }[] = [];
    const walk = (
      nodes: { path: string; editable: boolean; secret?: boolean; kind: string; children?: unknown[] }[],
    ) => {
      for (const n of nodes) {
        flat.push(n);
        if (n.children) walk(n.children as never);
      }
    };
    walk(json.tree as never);
    expect(flat.find((n) => n.path === "tiers.t1.models[0]")).toMatchObject({ kind: "string", editable: true });
    expect(flat.find((n) => n.path === "providers.c.options.apiKey")).toMatchObject({ secret: true });
    expect(flat.find((n) => n.path === "providers.a")).toMatchObject({ kind: "call", editable: false });
  });
});

describe("edit", () => {
  test("a value edit is surgical, hot-reloaded, and routes the next request", async () => {
    const before = readFileSync(h.configPath, "utf8");
    const applied = await api("POST", "/api/config/apply", {
      edits: [{ op: "set", path: "tiers.t1.models[0]", value: "a/second" }],
      reason: "switch t1",
    });
    expect(applied.json).toMatchObject({ ok: true });
    const after = readFileSync(h.configPath, "utf8");
    const at = before.indexOf('"a/first"');
    expect(after.slice(0, at)).toBe(before.slice(0, at));
    expect(after.slice(at + '"a/second"'.length)).toBe(before.slice(at + '"a/first"'.length));
    expect(await routedModel()).toBe("a/second");
  });

  test("inserting into an array keeps the rest of the file", async () => {
    const applied = await api("POST", "/api/config/apply", {
      edits: [{ op: "insert", path: "tiers.t2.models", index: 0, value: "a/inserted" }],
    });
    expect(applied.json.ok).toBe(true);
    expect(await routedModel("t2")).toBe("a/inserted");
    expect(readFileSync(h.configPath, "utf8")).toContain("/* kept as written */");
  });

  test("an invalid edit is refused with path and line, and the file is left as it was", async () => {
    const before = readFileSync(h.configPath, "utf8");
    const validate = await api("POST", "/api/config/validate", {
      edits: [{ op: "set", path: "tiers.t1.models[1]", value: "zz/none" }],
    });
    expect(validate.json.ok).toBe(false);
    const applied = await api("POST", "/api/config/apply", {
      edits: [{ op: "set", path: "tiers.t1.models[1]", value: "zz/none" }],
    });
    expect(applied.status).toBe(400);
    const issue = (applied.json.issues as { path: string; file: string; line: number }[])[0];
    expect(issue).toMatchObject({ path: "tiers.t1.models[1]", file: "gateway.config.ts" });
    expect(issue.line).toBeGreaterThan(1);
    expect(readFileSync(h.configPath, "utf8")).toBe(before);
    expect(
      (await api("POST", "/api/config/apply", { edits: [{ op: "set", path: "providers.a", value: 1 }] })).status,
    ).toBe(400); // not a literal
  });

  test("a refused apply keeps its body: ok false, the config_invalid error and the issues beside it", async () => {
    const applied = await api("POST", "/api/config/apply", {
      edits: [{ op: "set", path: "tiers.t1.models[1]", value: "zz/none" }],
    });
    expect(applied.status).toBe(400);
    expect(Object.keys(applied.json).sort()).toEqual(["error", "issues", "ok"]);
    expect(applied.json.ok).toBe(false);
    // The fields the UI reads (api.ts: message, code, param; config-model.tsx: issues), as before.
    expect(applied.json.error).toMatchObject({
      message: "The config was not applied: it does not load.",
      code: "config_invalid",
      param: null,
    });
    expect(applied.json.issues).toEqual([
      expect.objectContaining({ path: "tiers.t1.models[1]", file: "gateway.config.ts", line: expect.any(Number) }),
    ]);
  });

  test("a whole new text: validated, applied; a text with a masked secret is refused", async () => {
    const { json } = await api("GET", "/api/config");
    expect((await api("POST", "/api/config/apply", { source: json.source })).status).toBe(400);
    const text = readFileSync(h.configPath, "utf8").replace('"b/backup"', '"b/backup2"');
    expect((await api("POST", "/api/config/apply", { source: text, reason: "rename backup" })).json.ok).toBe(true);
  });
});

describe("history", () => {
  test("every applied version, with its author; an edit outside the UI is recorded as 'file'", async () => {
    writeFileSync(h.configPath, readFileSync(h.configPath, "utf8").replace("idleMs: 30_000", "idleMs: 31_000"));
    await h.running.gateway.live.reload("edited on disk");
    const { json } = await api("GET", "/api/config/history");
    const versions = json.versions as { id: number; author: string; reason: string }[];
    expect(versions.map((v) => [v.author, v.reason])).toEqual([
      ["file", "edited on disk"],
      ["admin", "rename backup"],
      ["admin", "edited values"],
      ["admin", "switch t1"],
      ["file", "gateway started"],
    ]);
  });

  test("a diff between two versions shows the changed lines", async () => {
    const versions = (await api("GET", "/api/config/history")).json.versions as { id: number }[];
    const { json } = await api("GET", `/api/config/diff?from=${versions[4].id}&to=${versions[3].id}`);
    const lines = (json.hunks as { lines: { op: string; text: string }[] }[]).flatMap((h) =>
      h.lines.filter((l) => l.op !== " "),
    );
    expect(lines.map((l) => l.op + l.text.trim())).toEqual([
      '-t1: { models: ["a/first", "b/backup"] },',
      '+t1: { models: ["a/second", "b/backup"] },',
    ]);
  });

  test("rollback is a new version with the old text", async () => {
    const versions = (await api("GET", "/api/config/history")).json.versions as { id: number }[];
    const first = versions[versions.length - 1];
    expect((await api("POST", "/api/config/rollback", { id: first.id })).json.ok).toBe(true);
    expect(await routedModel()).toBe("a/first");
    const after = (await api("GET", "/api/config/history")).json.versions as { reason: string }[];
    expect(after[0].reason).toBe(`rollback to version #${first.id}`);
    const old = await api("GET", `/api/config/history/${first.id}`);
    expect(String(old.json.source)).toContain('apiKey: "sk-');
  });
});

describe("secrets", () => {
  test("a key typed in the UI goes to the secret store; the config gets an env() reference", async () => {
    const set = await api("POST", "/api/config/secret", { path: "providers.c.options.apiKey", value: NEW_SECRET });
    expect(set.json).toMatchObject({ ok: true, env: "SMARTROUTE_C_API_KEY" });
    const file = readFileSync(h.configPath, "utf8");
    expect(file).toContain('apiKey: env("SMARTROUTE_C_API_KEY")');
    expect(file).not.toContain(NEW_SECRET);
    expect(readFileSync(join(h.dir, "data", "secrets.env"), "utf8")).toContain(NEW_SECRET);
    expect(process.env.SMARTROUTE_C_API_KEY).toBe(NEW_SECRET);
    expect((await api("GET", "/api/config")).json.secrets).toContain("SMARTROUTE_C_API_KEY");
    expect((await api("POST", "/api/config/secret", { path: "tiers.t1.models[0]", value: "x" })).status).toBe(400);
  });
});
