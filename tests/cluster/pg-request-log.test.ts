/**
 * The request log in PostgreSQL (GATEWAY_DATABASE_URL), against the real PostgreSQL, each test in its own
 * schema (the URL's `?search_path=`): a burst through a gateway process lands every row and rollups that
 * match the rows; with PostgreSQL cut off (a TCP proxy in front of it) requests are still served, rows
 * wait in the bounded queue and land on return (the bound itself: tests/store/log-writer-retry.test.ts).
 */
import { afterEach, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";
import { startMockUpstream } from "../../bench/mock-upstream.ts";
import type { RunningGateway } from "../../src/main.ts";
import { AdminClient } from "../helpers/admin-client.ts";
import { configSource } from "../helpers/gateway-harness.ts";
import { type GatewayProcess, startGatewayProcess } from "../helpers/gateway-process.ts";
import { freshSchema, inProcess, PG_URL, pgAnswers } from "../helpers/postgres.ts";
import { startTcpProxy, type TcpProxy } from "../helpers/tcp-proxy.ts";

const CONFIG = `tiers: { t1: { models: ["a/m1"] }, t2: { models: ["b/m2"] } },
  logging: { flushIntervalMs: 5 },`;

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A schema of its own, dropped after the test, and a client reading it. */
async function database() {
  const fresh = await freshSchema();
  const sql = postgres(PG_URL, { max: 2, onnotice: () => {}, connection: { search_path: fresh.schema } });
  cleanups.push(async () => {
    await sql.end({ timeout: 1 });
    await fresh.drop();
  });
  return { schema: fresh.schema, sql };
}

const withSchema = (url: string, schema: string) => `${url}${url.includes("?") ? "&" : "?"}search_path=${schema}`;

async function chat(url: string, model: string): Promise<number> {
  const response = await fetch(`${url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model, messages: [{ role: "user", content: "hello" }] }),
  });
  await response.arrayBuffer();
  return response.status;
}

async function rowCount(sql: postgres.Sql): Promise<number> {
  const [{ n }] = await sql`SELECT count(*)::int AS n FROM requests`;
  return n;
}

/** Waits (polling, up to 10 s) until `read` returns `expected`; returns the last value read. */
async function eventually<T>(read: () => Promise<T>, expected: T): Promise<T> {
  let last = await read();
  for (let i = 0; i < 200 && !Bun.deepEquals(last, expected); i++) {
    await Bun.sleep(50);
    last = await read();
  }
  return last;
}

async function metric(url: string, line: string): Promise<number | undefined> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const found = text.split("\n").find((l) => l.startsWith(`${line} `));
  return found === undefined ? undefined : Number(found.slice(line.length + 1));
}

/** The request counts grouped as the rollups group them, from the rows and from each rollup table. */
async function countsByTierAndModel(sql: postgres.Sql) {
  const fromRows =
    await sql`SELECT tier, coalesce(model, '') AS model, count(*)::int AS n FROM requests GROUP BY 1, 2 ORDER BY 1, 2`;
  const fromMinutes =
    await sql`SELECT tier, model, sum(requests)::int AS n FROM stats_minute GROUP BY 1, 2 ORDER BY 1, 2`;
  const fromDays = await sql`SELECT tier, model, sum(requests)::int AS n FROM stats_day GROUP BY 1, 2 ORDER BY 1, 2`;
  const attempts = await sql`SELECT sum(attempts)::int AS n FROM requests`;
  const targetAttempts = await sql`SELECT sum(attempts)::int AS n FROM stats_target_minute`;
  return {
    fromRows: [...fromRows],
    fromMinutes: [...fromMinutes],
    fromDays: [...fromDays],
    attempts: [...attempts],
    targetAttempts: [...targetAttempts],
  };
}

describe.skipIf(!pgAnswers)("the request log in PostgreSQL", () => {
  test("a burst through a gateway process, then SIGTERM: every row in PostgreSQL, rollups matching the rows", async () => {
    const { schema, sql } = await database();
    const gateway = await startGatewayProcess({
      config: CONFIG,
      env: { GATEWAY_DATABASE_URL: withSchema(PG_URL, schema) },
    });
    cleanups.push(() => gateway.stop());
    expect(gateway.banner).toContain("request log: PostgreSQL");
    const statuses: number[] = [];
    for (let round = 0; round < 6; round++)
      statuses.push(
        ...(await Promise.all(
          Array.from({ length: 50 }, (_, i) =>
            chat(gateway.url, i % 3 === 0 ? "b/m2" : i % 7 === 0 ? "a/down?fault=status&status=503" : "auto"),
          ),
        )),
      );
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThan(200);
    gateway.kill("SIGTERM");
    expect(await gateway.exited).toBe(0);

    expect(await rowCount(sql)).toBe(300);
    const counts = await countsByTierAndModel(sql);
    expect(counts.fromRows.length).toBeGreaterThan(1);
    expect(counts.fromMinutes).toEqual(counts.fromRows);
    expect(counts.fromDays).toEqual(counts.fromRows);
    expect(counts.targetAttempts).toEqual(counts.attempts);
    // With the setting no log row goes to the SQLite file
    const sqliteRows = (await import("bun:sqlite")).Database.open(gateway.dbPath, { readonly: true });
    expect(sqliteRows.query("SELECT count(*) AS n FROM requests").get()).toEqual({ n: 0 });
    sqliteRows.close();
  });

  test("three gateways on one PostgreSQL: 5,000 requests spread over them, then stop: 5,000 rows, rollups adding up", async () => {
    const { schema, sql } = await database();
    const mock = startMockUpstream();
    const dir = mkdtempSync(join(tmpdir(), "smartroute-pg3-"));
    writeFileSync(join(dir, "gateway.config.ts"), configSource(mock.url, CONFIG));
    const nodes: RunningGateway[] = [];
    cleanups.push(async () => {
      for (const node of nodes) await node.stop().catch(() => {});
      await mock.stop();
      rmSync(dir, { recursive: true, force: true });
    });
    for (let i = 0; i < 3; i++)
      nodes.push(await inProcess(dir, `data-${i}`, { databaseUrl: withSchema(PG_URL, schema) }));
    let served = 0;
    for (let round = 0; round < 50; round++) {
      const statuses = await Promise.all(
        Array.from({ length: 100 }, (_, i) => chat(nodes[i % 3].url, i % 4 === 0 ? "b/m2" : "auto")),
      );
      served += statuses.filter((s) => s === 200).length;
    }
    expect(served).toBe(5_000);
    for (const node of nodes.splice(0)) await node.stop();

    expect(await rowCount(sql)).toBe(5_000);
    const counts = await countsByTierAndModel(sql);
    expect(counts.fromMinutes).toEqual(counts.fromRows);
    expect(counts.fromDays).toEqual(counts.fromRows);
    expect(counts.targetAttempts).toEqual(counts.attempts);
    const [{ hist }] = await sql`SELECT string_agg(latency_hist, '|') AS hist FROM stats_day`;
    const histTotal = String(hist)
      .split("|")
      .reduce((n, h) => n + (JSON.parse(h) as number[]).reduce((a, b) => a + b, 0), 0);
    expect(histTotal).toBe(5_000);
  }, 120_000);

  test("health snapshots in PostgreSQL: a gateway started on another machine restores what the last one saw", async () => {
    const { schema, sql } = await database();
    const mock = startMockUpstream();
    const dir = mkdtempSync(join(tmpdir(), "smartroute-pgh-"));
    const DOWN = "a/down?fault=status&status=503";
    writeFileSync(
      join(dir, "gateway.config.ts"),
      configSource(mock.url, `tiers: { t1: { models: ["${DOWN}", "b/rescue"] } },`),
    );
    const started: RunningGateway[] = [];
    cleanups.push(async () => {
      for (const node of started) await node.stop().catch(() => {});
      await mock.stop();
      rmSync(dir, { recursive: true, force: true });
    });
    const databaseUrl = withSchema(PG_URL, schema);
    const first = await inProcess(dir, "data-first", { databaseUrl });
    started.push(first);
    for (let i = 0; i < 6; i++) expect(await chat(first.url, "auto")).toBe(200);
    const seen = first.gateway.health.view(DOWN, Date.now());
    expect(seen.failuresInWindow).toBeGreaterThan(0);
    await first.stop();
    started.length = 0;
    const [{ n }] = await sql`SELECT count(*)::int AS n FROM health_state`;
    expect(n).toBeGreaterThan(0);

    // Another data directory: nothing of the first gateway's own SQLite to restore from.
    const second = await inProcess(dir, "data-second", { databaseUrl });
    started.push(second);
    const restored = second.gateway.health.view(DOWN, Date.now());
    expect(restored.failuresInWindow).toBeGreaterThan(0);
    expect(restored.state).toBe(seen.state);
    expect(restored.errorRate).toBeCloseTo(seen.errorRate, 1);
  });

  test("on Deno too: the same driver and migrations, every row landed after SIGTERM", async () => {
    const { schema, sql } = await database();
    const gateway = await startGatewayProcess({
      config: CONFIG,
      runtime: "deno",
      env: { GATEWAY_DATABASE_URL: withSchema(PG_URL, schema) },
    });
    cleanups.push(() => gateway.stop());
    const statuses = await Promise.all(
      Array.from({ length: 30 }, (_, i) => chat(gateway.url, i % 2 ? "b/m2" : "auto")),
    );
    expect(statuses).toEqual(Array(30).fill(200));
    gateway.kill("SIGTERM");
    await gateway.exited;
    expect(await rowCount(sql)).toBe(30);
    const counts = await countsByTierAndModel(sql);
    expect(counts.fromMinutes).toEqual(counts.fromRows);
  }, 40_000);

  // A gateway process (main(): its guard against the driver's stray errors is on), its PostgreSQL
  // behind a TCP proxy this test cuts and restores.
  describe("with PostgreSQL cut off", () => {
    let proxy: TcpProxy;
    let running: GatewayProcess;

    async function start(adminPassword?: string, cutAtStart = false) {
      const db = await database();
      proxy = await startTcpProxy({ host: "127.0.0.1", port: 5432 }, "postgres");
      if (cutAtStart) await proxy.cut();
      running = await startGatewayProcess({
        config: CONFIG,
        env: {
          GATEWAY_DATABASE_URL: withSchema(
            `${proxy.url.replace("postgres://", "postgres://postgres@")}/test`,
            db.schema,
          ),
          ...(adminPassword ? { GATEWAY_ADMIN_PASSWORD: adminPassword } : {}),
        },
      });
      cleanups.push(async () => {
        await running.stop();
        await proxy.close();
      });
      return db;
    }

    test("requests are served, rows wait in the queue and all land once it is back", async () => {
      const { sql } = await start();
      await Promise.all(Array.from({ length: 10 }, () => chat(running.url, "auto")));
      expect(await eventually(() => rowCount(sql), 10)).toBe(10);

      await proxy.cut();
      const statuses = await Promise.all(Array.from({ length: 40 }, () => chat(running.url, "auto")));
      expect(statuses).toEqual(Array(40).fill(200));
      // The writer has tried and failed; the rows are queued, none lost.
      expect(await eventually(() => metric(running.url, "smartroute_log_queue_depth"), 40)).toBe(40);
      expect(await rowCount(sql)).toBe(10);

      await proxy.restore();
      expect(await eventually(() => rowCount(sql), 50)).toBe(50);
      expect(await metric(running.url, "smartroute_log_queue_depth")).toBe(0);
      expect(await metric(running.url, 'smartroute_log_dropped_total{kind="rows"}')).toBe(0);
      const counts = await countsByTierAndModel(sql);
      expect(counts.fromMinutes).toEqual(counts.fromRows);
    });

    test("the admin API reads the log from PostgreSQL, and answers 503 saying so while it is away", async () => {
      const password = "correct staple horse battery";
      const { sql } = await start(password);
      const admin = new AdminClient(running.url);
      await admin.login("admin", password);
      await Promise.all(Array.from({ length: 12 }, () => chat(running.url, "auto")));
      expect(await eventually(() => rowCount(sql), 12)).toBe(12);

      const logs = await admin.call("GET", "/api/logs?limit=100");
      expect(logs.status).toBe(200);
      // The log lists rows by the time they show, newest first (seq breaks ties), as on SQLite.
      const [{ ids }] = await sql`SELECT array_agg(id ORDER BY ts DESC, seq DESC) AS ids FROM requests`;
      expect((logs.json.items as { id: string }[]).map((r) => r.id)).toEqual(ids);
      const detail = await admin.call("GET", `/api/logs/${ids[0]}`);
      expect(detail.json).toMatchObject({ id: ids[0], status: 200, tier: "t1" });
      const stats = await admin.call("GET", `/api/stats?from=${Date.now() - 3_600_000}&to=${Date.now() + 60_000}`);
      expect((stats.json.totals as { requests: number }).requests).toBe(12);
      expect(stats.json.refused).toEqual({ requests: 0, previous: 0, byCode: [] });
      expect((await admin.call("GET", "/api/logs/count?status=ok")).json).toEqual({ total: 12, capped: false });
      const slowest = await admin.call("GET", "/api/logs?sort=latency&order=asc&limit=5");
      expect((slowest.json.items as unknown[]).length).toBe(5);
      expect(slowest.json.nextCursor).toEqual(expect.any(String));

      await proxy.cut();
      for (const path of [
        "/api/logs",
        "/api/logs/count",
        `/api/logs/${ids[0]}`,
        "/api/stats",
        "/api/logs/export?format=csv",
      ]) {
        const away = await admin.call("GET", path);
        expect({ path, status: away.status }).toEqual({ path, status: 503 });
        expect((away.json.error as { code: string; message: string }).code).toBe("database_unavailable");
        expect((away.json.error as { message: string }).message).toContain(
          "PostgreSQL database of the gateway cannot be reached",
        );
        expect(away.text).not.toContain("postgres://");
      }
      // The admin sessions are PostgreSQL's too (one sign-in for every replica): the whole admin API says
      // the database is away, while /v1 serves on.
      const health = await admin.call("GET", "/api/health");
      expect(health.status).toBe(503);
      expect((health.json.error as { code: string }).code).toBe("database_unavailable");
      expect(await chat(running.url, "auto")).toBe(200);

      await proxy.restore();
      // The same session works again once it is back.
      expect(await eventually(async () => (await admin.call("GET", "/api/logs")).status, 200)).toBe(200);
      expect(await eventually(() => rowCount(sql), 13)).toBe(13);
    });

    test("unreachable at start: the gateway starts, says why it cannot check keys yet, and serves once it answers", async () => {
      const password = "correct staple horse battery";
      const { sql } = await start(password, true);
      expect(running.banner).toContain("UNREACHABLE: rows queue until it answers");
      // The stored keys are PostgreSQL's: until they are read, /v1 cannot know whether it is open, so it
      // refuses with a 503 that says so (never an open door, never a misleading 401).
      const refused = await fetch(`${running.url}/v1/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ model: "auto", messages: [{ role: "user", content: "hello" }] }),
      });
      expect(refused.status).toBe(503);
      expect(((await refused.json()) as { error: { message: string } }).error.message).toContain(
        "cannot read its API keys yet",
      );
      const admin = new AdminClient(running.url);
      const away = await admin.call("GET", "/api/auth/state");
      expect(away.status).toBe(503);
      expect((away.json.error as { message: string }).message).toContain("cannot be reached");
      expect(away.json.reason).toBe("not reachable since the gateway started");

      await proxy.restore();
      // The tables themselves arrive with the gateway's migrations, once PostgreSQL answers; then the
      // keys are read, /v1 serves, the admin account from GATEWAY_ADMIN_PASSWORD exists.
      expect(await eventually(() => chat(running.url, "auto"), 200)).toBe(200);
      const statuses = await Promise.all(Array.from({ length: 8 }, () => chat(running.url, "auto")));
      expect(statuses).toEqual(Array(8).fill(200));
      expect(await eventually(async () => (await admin.call("GET", "/api/auth/state")).status, 200)).toBe(200);
      await admin.login("admin", password);
      expect((await admin.call("GET", "/api/logs")).status).toBe(200);
      // The refusals' rows waited in the queue and landed with the others.
      const rows = async (refused: boolean) =>
        (await sql`SELECT count(*)::int AS n FROM requests WHERE refused = ${refused}`)[0].n as number;
      expect(await eventually(() => rows(false), 9)).toBe(9);
      expect(await rows(true)).toBeGreaterThanOrEqual(1);
    });

    test("cut and restored again and again under load: every row lands, rollups match, the process unharmed", async () => {
      const { sql } = await start();
      let sent = 0;
      for (let round = 0; round < 8; round++) {
        const load = Promise.all(Array.from({ length: 25 }, () => chat(running.url, round % 2 ? "b/m2" : "auto")));
        await Bun.sleep(2 + round * 3); // cut at a different point of the writes each round
        await proxy.cut();
        await Bun.sleep(20);
        await proxy.restore();
        expect(await load).toEqual(Array(25).fill(200));
        sent += 25;
      }
      expect(await eventually(() => rowCount(sql), sent)).toBe(sent);
      const counts = await countsByTierAndModel(sql);
      expect(counts.fromMinutes).toEqual(counts.fromRows);
      expect(counts.targetAttempts).toEqual(counts.attempts);
      expect(await metric(running.url, 'smartroute_log_dropped_total{kind="rows"}')).toBe(0);
    });
  });
});
