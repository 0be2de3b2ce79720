/**
 * The config page's provider and model forms through the real admin API, against the mock upstream over
 * HTTP: a connection test lists the upstream's models and says clearly when the key is refused or the
 * host does not answer, never echoing the key; adding a provider stores its key in the secret store and
 * writes an env() reference (never the key) with a surgical edit, and a request then reaches it; the tier
 * picker lists the new provider's models with the catalog's facts; stored secrets are listed by name and
 * time, and one still referenced cannot be deleted; a literal key in a new text is moved on apply.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { AdminAnswer } from "../helpers/admin-client.ts";
import { Gateways, type Started } from "../helpers/restartable-gateway.ts";

const PASSWORD = "correct staple horse battery";
const KEY = "sk-test-provider-key-5555777799990000";
const PASTED = "sk-pasted-in-code-1111222233334444";
const FORM_KEY = "sk-typed-in-the-form-5555666677778888";
const gateways = new Gateways({ password: PASSWORD });
const answers: AdminAnswer[] = [];
let g: Started;

async function api(method: string, path: string, body?: unknown): Promise<AdminAnswer> {
  const answer = await g.admin.call(method, path, body);
  answers.push(answer);
  return answer;
}
const onDisk = () => readFileSync(g.configPath, "utf8");

beforeAll(async () => {
  g = await gateways.start(`  tiers: { t1: { models: ["a/first"] } },`);
  await g.admin.login("admin", PASSWORD);
});
afterAll(async () => {
  for (const answer of answers) {
    expect(answer.text).not.toContain(KEY);
    expect(answer.text).not.toContain(PASTED);
    expect(answer.text).not.toContain(FORM_KEY);
  }
  await gateways.close();
});

describe("test connection", () => {
  test("lists the upstream's models with a good key", async () => {
    const { status, json } = await api("POST", "/api/config/providers/test", {
      kind: "openai",
      baseURL: gateways.mock.url,
      apiKey: KEY,
    });
    expect(status).toBe(200);
    expect(json).toMatchObject({
      ok: true,
      status: 200,
      models: ["gpt-4o-mini", "mock-embed", "mock-large", "mock-small"],
    });
  });

  test("a refused key is a clear error naming the status", async () => {
    const { json } = await api("POST", "/api/config/providers/test", {
      kind: "openai",
      baseURL: gateways.mock.url,
      apiKey: "invalid-key",
    });
    expect(json.ok).toBe(false);
    expect(json.status).toBe(401);
    expect(json.error).toContain("refused the key (401)");
    expect(json.models).toEqual([]);
  });

  test("a host that does not answer says so", async () => {
    const { json } = await api("POST", "/api/config/providers/test", {
      kind: "openai",
      baseURL: "http://127.0.0.1:1/v1",
      apiKey: KEY,
    });
    expect(json.ok).toBe(false);
    expect(json.error).toContain("Could not reach 127.0.0.1:1");
  });

  test("an unknown kind and a bad URL are 400s / clear errors", async () => {
    const unknown = await api("POST", "/api/config/providers/test", { kind: "gemini", baseURL: "http://x" });
    expect(unknown.status).toBe(400);
    expect((unknown.json.error as { message: string }).message).toContain("openai, openaiResponses, anthropic");
    const badUrl = await api("POST", "/api/config/providers/test", { kind: "openai", baseURL: "ftp://x" });
    expect(badUrl.json).toMatchObject({ ok: false, error: "The base URL must be an http:// or https:// address." });
  });
});

describe("add provider", () => {
  test("needs the password (it adds a factory call), then writes an env() reference and stores the key", async () => {
    const body = { kind: "openai", name: "mock", baseURL: gateways.mock.url, apiKey: KEY };
    const refused = await api("POST", "/api/config/providers", body);
    expect(refused.status).toBe(403);
    expect(refused.json.error).toMatchObject({ param: "password" });
    // Nothing stays behind from the refused attempt.
    expect((await api("GET", "/api/config/secrets")).json.secrets).toEqual([]);

    const added = await api("POST", "/api/config/providers", { ...body, password: PASSWORD });
    expect(added.status).toBe(200);
    const env = added.json.env as string;
    expect(env).toMatch(/^SMARTROUTE_MOCK_API_KEY(_\d+)?$/);
    expect(onDisk()).toContain(`mock: openai({ baseURL: "${gateways.mock.url}", apiKey: env("${env}") })`);
    expect(onDisk()).not.toContain(KEY);
    expect(readFileSync(join(g.dataDir, "secrets.env"), "utf8")).toContain(KEY);
    const history = (await api("GET", "/api/config/history")).json.versions as { reason: string }[];
    expect(history[0].reason).toBe("added provider mock");
  });

  test("a taken name and a bad name are refused", async () => {
    const again = await api("POST", "/api/config/providers", {
      kind: "openai",
      name: "mock",
      baseURL: gateways.mock.url,
      password: PASSWORD,
    });
    expect(again.status).toBe(400);
    expect((again.json.error as { message: string }).message).toBe("a provider named mock already exists");
    const spaced = await api("POST", "/api/config/providers", {
      kind: "openai",
      name: "my provider",
      baseURL: gateways.mock.url,
    });
    expect(spaced.status).toBe(400);
    expect(spaced.json.error).toMatchObject({ param: "name" });
  });

  test("the picker lists its models; one added to a tier takes requests", async () => {
    const { json } = await api("GET", "/api/config/models");
    const refs = (json.models as { ref: string; configured: boolean }[]).map((m) => `${m.ref}:${m.configured}`);
    expect(refs).toContain("a/first:true");
    expect(refs).toContain("mock/mock-large:false");
    const applied = await api("POST", "/api/config/apply", {
      edits: [{ op: "insert", path: "tiers.t1.models", index: 0, value: "mock/mock-small" }],
    });
    expect(applied.json.ok).toBe(true);
    const chat = await fetch(`${g.gateway.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "t1", messages: [{ role: "user", content: "hi" }] }),
    });
    expect(chat.status).toBe(200);
    expect(((await chat.json()) as { model: string }).model).toContain("mock-small");
    expect(gateways.mock.stats.requests["mock-small"]).toBe(1);
  });

  test("the picker shows the catalog's context window and price", async () => {
    await api("POST", "/api/config/apply", {
      edits: [{ op: "insert", path: "tiers.t1.models", value: "a/gpt-4o-mini" }],
    });
    const { json } = await api("GET", "/api/config/models");
    const mini = (json.models as { ref: string }[]).find((m) => m.ref === "a/gpt-4o-mini");
    expect(mini).toMatchObject({ configured: true, contextWindow: 128000, inputPrice: 0.15, outputPrice: 0.6 });
  });
});

describe("stored secrets", () => {
  test("are listed by name and time with their users; one in use is not deleted", async () => {
    const { json } = await api("GET", "/api/config/secrets");
    const [secret] = json.secrets as { name: string; setAt: number; usedBy: string[] }[];
    expect(secret.name).toMatch(/^SMARTROUTE_MOCK_API_KEY/);
    expect(secret.setAt).toBeGreaterThan(0);
    expect(secret.usedBy).toEqual(["providers.mock.options.apiKey"]);
    const refused = await api("DELETE", `/api/config/secrets/${secret.name}`);
    expect(refused.status).toBe(400);
    expect((refused.json.error as { message: string }).message).toContain(
      "still used by providers.mock.options.apiKey",
    );
  });

  test("a literal key in a new text is reported by validate and moved to the store on apply", async () => {
    const text = onDisk().replace(
      "b: openai({",
      `pasted: openai({ baseURL: "${gateways.mock.url}", apiKey: "${PASTED}" }),\n    b: openai({`,
    );
    const checked = await api("POST", "/api/config/validate", { source: text, password: PASSWORD });
    expect(checked.json).toMatchObject({
      ok: true,
      literalSecrets: { count: 1, paths: ["providers.pasted.options.apiKey"] },
    });
    const applied = await api("POST", "/api/config/apply", { source: text, moveSecrets: true });
    expect(applied.json.ok).toBe(true);
    expect(onDisk()).not.toContain(PASTED);
    expect(onDisk()).toMatch(
      /pasted: openai\(\{ baseURL: "[^"]+", apiKey: env\("SMARTROUTE_PASTED_API_KEY(_\d+)?"\) \}\)/,
    );
    expect(readFileSync(join(g.dataDir, "secrets.env"), "utf8")).toContain(PASTED);
  });

  test("a key typed into a new form field is reported as new by validate and moved with the edits", async () => {
    const edits = [{ op: "insert", path: "providers.b.options", key: "apiKey", value: FORM_KEY }];
    const checked = await api("POST", "/api/config/validate", { edits });
    // The pasted key moved before is not counted again: only what this change writes in clear.
    expect(checked.json.literalSecrets).toEqual({ count: 1, paths: ["providers.b.options.apiKey"] });
    const applied = await api("POST", "/api/config/apply", { edits, moveSecrets: true });
    expect(applied.json.ok).toBe(true);
    expect(onDisk()).not.toContain(FORM_KEY);
    expect(onDisk()).toMatch(/b: openai\(\{ baseURL: "[^"]+", apiKey: env\("SMARTROUTE_B_API_KEY(_\d+)?"\) \}\)/);
    expect(readFileSync(join(g.dataDir, "secrets.env"), "utf8")).toContain(FORM_KEY);
  });

  test("an unused one is deleted", async () => {
    await api("POST", "/api/config/apply", {
      source: onDisk().replace(/\n\s*pasted: openai\([^\n]*/, ""),
      password: PASSWORD,
    });
    const pasted = (
      (await api("GET", "/api/config/secrets")).json.secrets as { name: string; usedBy: string[] }[]
    ).find((s) => s.name.startsWith("SMARTROUTE_PASTED"))!;
    expect(pasted.usedBy).toEqual([]);
    // Named in code (not as an env() value of the tree) still counts as used.
    const clean = onDisk();
    const inCode = clean.replace("export default", `const fromCode = process.env.${pasted.name};\nexport default`);
    expect((await api("POST", "/api/config/apply", { source: inCode, password: PASSWORD })).json.ok).toBe(true);
    const refused = await api("DELETE", `/api/config/secrets/${pasted.name}`);
    expect(refused.status).toBe(400);
    expect((refused.json.error as { message: string }).message).toContain("(in code)");
    expect((await api("POST", "/api/config/apply", { source: clean, password: PASSWORD })).json.ok).toBe(true);
    expect((await api("DELETE", `/api/config/secrets/${pasted.name}`)).json.ok).toBe(true);
    expect(readFileSync(join(g.dataDir, "secrets.env"), "utf8")).not.toContain(PASTED);
    const audit = (await api("GET", "/api/audit")).json.entries as { action: string; detail: unknown }[];
    expect(audit.find((e) => e.action === "config.secret.delete")?.detail).toEqual({ name: pasted.name });
  });
});
