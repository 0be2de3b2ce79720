/**
 * The config history in PostgreSQL (GATEWAY_DATABASE_URL), against the real PostgreSQL in a schema of
 * its own: replicas starting with the same file record it once, a version applied on one replica is
 * listed (same id, its text masked) by the others, and no literal secret reaches the database.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";
import { type MockUpstream, startMockUpstream } from "../../bench/mock-upstream.ts";
import type { RunningGateway } from "../../src/main.ts";
import { AdminClient } from "../helpers/admin-client.ts";
import { configSource } from "../helpers/gateway-harness.ts";
import { freshSchema, inProcess, PG_URL, pgAnswers } from "../helpers/postgres.ts";

const PASSWORD = "correct staple horse battery";
const SECRET = "sk-test-0123456789abcdefghijklmn";
let mock: MockUpstream;
let dirs: string[] = [];
let nodes: RunningGateway[] = [];
let admins: AdminClient[] = [];
let sql: postgres.Sql;
let drop: () => Promise<void>;

beforeAll(async () => {
  if (!pgAnswers) return;
  const fresh = await freshSchema();
  drop = fresh.drop;
  sql = postgres(PG_URL, { max: 1, onnotice: () => {}, connection: { search_path: fresh.schema } });
  mock = startMockUpstream();
  for (let i = 0; i < 2; i++) {
    const dir = mkdtempSync(join(tmpdir(), "smartroute-pgcfg-"));
    dirs.push(dir);
    writeFileSync(
      join(dir, "gateway.config.ts"),
      configSource(
        mock.url,
        `tiers: { t1: { models: ["a/first"] } },`,
        "",
        `c: openai({ baseURL: "${mock.url}", apiKey: "${SECRET}" }),`,
      ),
    );
    const node = await inProcess(dir, "data", {
      adminPassword: PASSWORD,
      databaseUrl: `${PG_URL}?search_path=${fresh.schema}`,
    });
    nodes.push(node);
    const admin = new AdminClient(node.url);
    await admin.login("admin", PASSWORD);
    admins.push(admin);
  }
});
afterAll(async () => {
  for (const node of nodes) await node.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  await mock?.stop();
  await sql?.end({ timeout: 1 });
  await drop?.();
  nodes = [];
  dirs = [];
  admins = [];
});

type Versions = { versions: { id: number; reason: string; author: string }[] };

describe.skipIf(!pgAnswers)("the config history in PostgreSQL", () => {
  test("two replicas started with the same file record it once, and both list it", async () => {
    const [a, b] = await Promise.all(admins.map((admin) => admin.call("GET", "/api/config/history")));
    expect((a.json as Versions).versions.map((v) => v.reason)).toEqual(["gateway started"]);
    expect(b.json).toEqual(a.json);
  });

  test("a version applied on one replica is listed by the other, same id, its text masked", async () => {
    const applied = await admins[0].call("POST", "/api/config/apply", {
      edits: [{ op: "set", path: "tiers.t1.models[0]", value: "a/second" }],
      reason: "switch t1",
    });
    expect(applied.json).toMatchObject({ ok: true });
    const historyId = applied.json.historyId as number;
    expect(typeof historyId).toBe("number");

    const listed = (await admins[1].call("GET", "/api/config/history")).json as Versions;
    expect(listed.versions[0]).toMatchObject({ id: historyId, reason: "switch t1", author: "admin" });
    const version = await admins[1].call("GET", `/api/config/history/${historyId}`);
    expect(version.json.source).toContain('"a/second"');
    expect(version.text).not.toContain(SECRET);
    const diff = await admins[1].call("GET", `/api/config/diff?from=${listed.versions[1].id}&to=${historyId}`);
    expect(JSON.stringify(diff.json.hunks)).toContain("a/second");
  });

  test("no literal secret is stored in the database", async () => {
    const rows = await sql`SELECT source FROM config_history`;
    expect(rows.length).toBe(2);
    for (const row of rows) expect(row.source).not.toContain(SECRET);
  });
});
