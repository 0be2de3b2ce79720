/**
 * Cluster mode as it is deployed: three gateway processes (plus a fourth that is SIGKILLed) on one Redis
 * and one PostgreSQL, their config files the same, each with its own data directory, driven by a tiny
 * round-robin client as a load balancer would spread requests. What one replica learns or changes holds
 * on the others: a failing target, a key's rate limit, an admin session and its logout, a key's
 * revocation, a config edit, the live tail; and after a burst and SIGTERM every row is in PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import postgres from "postgres";
import { type MockUpstream, startMockUpstream } from "../../bench/mock-upstream.ts";
import { AdminClient } from "../helpers/admin-client.ts";
import { type GatewayProcess, startGatewayProcess } from "../helpers/gateway-process.ts";
import { freshSchema, PG_URL, pgAnswers } from "../helpers/postgres.ts";
import { dropKeys, REDIS_URL, redisAnswers, uniquePrefix } from "../helpers/redis.ts";

const PASSWORD = "correct staple horse battery";
const DOWN = "a/down?fault=status&status=503";
// t1 tries a target that always fails first; its circuit opens after a few failures.
const CONFIG = `tiers: { t1: { models: ["${DOWN}", "b/m2"] } },
  logging: { flushIntervalMs: 5 },`;

/** A provider whose key is written in the file, for the admin to move into the secret store. */
const providerC = (upstream: MockUpstream) =>
  `c: openai({ baseURL: "${upstream.url}", apiKey: "sk-written-in-the-file" }),`;

let mock: MockUpstream;
let nodes: GatewayProcess[] = [];
let doomed: GatewayProcess;
let sql: postgres.Sql;
let dropSchema: () => Promise<void>;
const prefix = uniquePrefix();

/** The load balancer: each call goes to the next replica. */
let turn = 0;
const next = () => nodes[turn++ % nodes.length];

async function chat(
  node: GatewayProcess,
  options: { key?: string; text?: string } = {},
): Promise<{ status: number; model: string | null; attempts: number; id: string | null }> {
  const response = await fetch(`${node.url}/v1/chat/completions`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(options.key ? { authorization: `Bearer ${options.key}` } : {}),
    },
    body: JSON.stringify({ model: "t1", max_tokens: 4, messages: [{ role: "user", content: options.text ?? "hi" }] }),
  });
  await response.arrayBuffer();
  return {
    status: response.status,
    model: response.headers.get("x-gateway-model"),
    attempts: Number(response.headers.get("x-gateway-attempts")),
    id: response.headers.get("x-request-id"),
  };
}

/**
 * True once every replica in `on` knows `key`, within a second: the key is served and a made-up one is
 * refused (so the replica knows keys exist: an open /v1 would serve both). GET /v1/models: nothing spent.
 */
async function known(key: string, on: GatewayProcess[]): Promise<boolean> {
  const models = async (node: GatewayProcess, bearer: string) => {
    const response = await fetch(`${node.url}/v1/models`, { headers: { authorization: `Bearer ${bearer}` } });
    await response.arrayBuffer();
    return response.status;
  };
  const both = async (node: GatewayProcess) => [await models(node, key), await models(node, "sr-made-up")];
  const took = await Promise.all(
    on.map((node) =>
      within(
        1_000,
        () => both(node),
        ([real, fake]) => real === 200 && fake === 401,
      ),
    ),
  );
  return took.every((ms) => ms < 1_000);
}

/** Polls `read` every 20 ms until `done` holds or `ms` pass; returns how long it took (Infinity: never). */
async function within<T>(ms: number, read: () => Promise<T>, done: (value: T) => boolean): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < ms) {
    if (done(await read())) return Date.now() - started;
    await Bun.sleep(20);
  }
  return Number.POSITIVE_INFINITY;
}

const ready = pgAnswers && redisAnswers;

interface ReplicaView {
  name: string;
  current: boolean;
  refused?: unknown;
}

describe.skipIf(!ready)("three gateway processes on one Redis and one PostgreSQL", () => {
  beforeAll(async () => {
    const fresh = await freshSchema();
    dropSchema = fresh.drop;
    sql = postgres(PG_URL, { max: 2, onnotice: () => {}, connection: { search_path: fresh.schema } });
    mock = startMockUpstream();
    const env = {
      GATEWAY_REDIS_URL: REDIS_URL,
      GATEWAY_REDIS_PREFIX: prefix,
      GATEWAY_DATABASE_URL: `${PG_URL}?search_path=${fresh.schema}`,
      // Every replica is given the same first admin: one creates it, the others find it there.
      GATEWAY_ADMIN_PASSWORD: PASSWORD,
    };
    const started = await Promise.all(
      Array.from({ length: 4 }, () => startGatewayProcess({ config: CONFIG, env, mock, providers: providerC(mock) })),
    );
    nodes = started.slice(0, 3);
    doomed = started[3];
  }, 60_000);

  afterAll(async () => {
    for (const node of [...nodes, doomed]) await node?.stop().catch(() => undefined);
    await mock?.stop();
    await sql?.end({ timeout: 1 });
    await dropSchema?.();
    await dropKeys(prefix);
  });

  test("a target failing on A is avoided by B and C within a second", async () => {
    const [a, b, c] = nodes;
    // A meets the failing target until its circuit opens: then A's answers come in one attempt.
    let seenOpen = false;
    for (let i = 0; i < 20 && !seenOpen; i++) seenOpen = (await chat(a)).attempts === 1;
    expect(seenOpen).toBe(true);
    // B and C never saw it fail, yet within a second they go straight to the fallback.
    for (const node of [b, c]) {
      const took = await within(
        1_000,
        () => chat(node),
        (r) => r.status === 200 && r.attempts === 1,
      );
      expect(took).toBeLessThan(1_000);
      expect((await chat(node)).model).toBe("b/m2");
    }
  });

  test("an admin session opened on A works on B; logout on C revokes it on A", async () => {
    const [a, b, c] = nodes;
    const onA = new AdminClient(a.url);
    await onA.login("admin", PASSWORD);
    const onB = new AdminClient(b.url);
    const onC = new AdminClient(c.url);
    onB.cookie = onC.cookie = onA.cookie;
    expect((await onB.call("GET", "/api/auth/me")).status).toBe(200);
    expect((await onC.call("POST", "/api/auth/logout")).status).toBe(200);
    // The same cookie, still held by A's and B's clients: its session is over everywhere.
    expect((await onA.call("GET", "/api/auth/me")).status).toBe(401);
    expect((await onB.call("GET", "/api/auth/me")).status).toBe(401);
  });

  test("a 10/minute key made on A admits 10 of 30 across the three; revoked on B, it is refused on A and C at once", async () => {
    const [a, b, c] = nodes;
    const admin = new AdminClient(a.url);
    await admin.login("admin", PASSWORD);
    const created = await admin.call("POST", "/api/keys", { name: "ci", limits: { requestsPerMinute: 10 } });
    expect(created.status).toBe(201);
    const key = created.json.key as string;
    const id = (created.json.record as { id: string }).id;
    // Announced through Redis: B and C know the key within a second, without a restart.
    expect(await known(key, [b, c])).toBe(true);
    const statuses = await Promise.all(Array.from({ length: 30 }, () => chat(next(), { key })));
    expect(statuses.filter((r) => r.status === 200)).toHaveLength(10);
    expect(statuses.filter((r) => r.status === 429)).toHaveLength(20);

    const onB = new AdminClient(b.url);
    await onB.login("admin", PASSWORD);
    expect((await onB.call("DELETE", `/api/keys/${id}`)).status).toBe(200);
    for (const node of [a, c])
      expect(
        await within(
          1_000,
          () => chat(node, { key }),
          (r) => r.status === 401,
        ),
      ).toBeLessThan(1_000);
    // The key list on C shows it revoked (one table for every replica).
    const onC = new AdminClient(c.url);
    await onC.login("admin", PASSWORD);
    const listed = (await onC.call("GET", "/api/keys")).json.keys as { id: string; revokedAt: number | null }[];
    expect(listed.find((k) => k.id === id)?.revokedAt).toEqual(expect.any(Number));
  });

  test("a config edit applied on B serves the new tier on A and C within a second", async () => {
    const [a, b, c] = nodes;
    const admin = new AdminClient(b.url);
    await admin.login("admin", PASSWORD);
    const edits = [{ op: "set", path: "tiers.t1.models[1]", value: "b/m3" }];
    expect((await admin.call("POST", "/api/config/apply", { edits, reason: "move the fallback" })).json.ok).toBe(true);
    const key = (await admin.call("POST", "/api/keys", { name: "config" })).json.key as string;
    expect(await known(key, [a, c])).toBe(true);
    for (const node of [a, c])
      expect(
        await within(
          1_000,
          () => chat(node, { key }),
          (r) => r.model === "b/m3",
        ),
      ).toBeLessThan(1_000);
  });

  test("a provider key stored on B is stored on A and C (sealed in between), and they run the edit that uses it", async () => {
    const [a, b, c] = nodes;
    const admin = new AdminClient(b.url);
    await admin.login("admin", PASSWORD);
    // The key goes to B's secret store and the config refers to it as env(...): one admin action.
    const stored = await admin.call("POST", "/api/config/secret", {
      path: "providers.c.options.apiKey",
      value: "sk-typed-on-b",
    });
    expect(stored.json).toMatchObject({ ok: true, env: "SMARTROUTE_C_API_KEY" });
    for (const node of [a, c]) {
      const onNode = new AdminClient(node.url);
      await onNode.login("admin", PASSWORD);
      const names = async () =>
        ((await onNode.call("GET", "/api/config/secrets")).json.secrets as { name: string }[]).map((x) => x.name);
      expect(await within(1_000, names, (list) => list.includes("SMARTROUTE_C_API_KEY"))).toBeLessThan(1_000);
      // It runs B's edit (which needs the secret to load), refusing nothing.
      const cluster = async () => (await onNode.call("GET", "/api/cluster")).json.replicas as ReplicaView[];
      const allCurrent = (list: ReplicaView[]) => list.length === 4 && list.every((r) => r.current && !r.refused);
      expect(await within(6_000, cluster, allCurrent)).toBeLessThan(6_000);
    }
    const rows = await sql`SELECT value FROM settings WHERE key = 'secret:SMARTROUTE_C_API_KEY'`;
    expect(rows).toHaveLength(1);
    expect(rows[0].value).not.toContain("sk-typed-on-b");
  });

  test("the live tail on A shows a request served by C", async () => {
    const [a, , c] = nodes;
    const admin = new AdminClient(a.url);
    await admin.login("admin", PASSWORD);
    const key = (await admin.call("POST", "/api/keys", { name: "tail" })).json.key as string;
    const tail = await fetch(`${a.url}/api/logs/tail`, { headers: { cookie: admin.cookie } });
    const reader = tail.body!.getReader();
    await reader.read(); // the stream is open (and A subscribed to the cluster's rows)
    await Bun.sleep(100); // the others hear that a tail is open
    const served = await chat(c, { key, text: "served by C" });
    expect(served.status).toBe(200);
    let seen = "";
    const deadline = Date.now() + 3_000;
    while (!seen.includes(served.id!) && Date.now() < deadline)
      seen += new TextDecoder().decode((await reader.read()).value);
    await reader.cancel();
    expect(seen).toContain(served.id!);
  });

  test("a replica SIGKILLed mid-load: the others serve on, every answer 200", async () => {
    const admin = new AdminClient(nodes[0].url);
    await admin.login("admin", PASSWORD);
    const key = (await admin.call("POST", "/api/keys", { name: "kill" })).json.key as string;
    expect(await known(key, [...nodes, doomed])).toBe(true);
    const onDoomed = Array.from({ length: 20 }, () => chat(doomed, { key }).catch(() => ({ status: 0 })));
    const load = Promise.all(Array.from({ length: 60 }, () => chat(next(), { key })));
    doomed.kill("SIGKILL");
    await Promise.all(onDoomed);
    // Gone for good, the gateway it had launched with it (no orphan serving on).
    const reachable = () =>
      chat(doomed).then(
        () => true,
        () => false,
      );
    expect(await within(2_000, reachable, (up) => !up)).toBeLessThan(2_000);
    expect((await load).map((r) => r.status)).toEqual(Array(60).fill(200));
    expect((await Promise.all(nodes.map((node) => chat(node, { key })))).map((r) => r.status)).toEqual([200, 200, 200]);
  });

  test("after 5,000 requests spread over the three and SIGTERM, PostgreSQL holds 5,000 rows", async () => {
    const admin = new AdminClient(nodes[0].url);
    await admin.login("admin", PASSWORD);
    const created = await admin.call("POST", "/api/keys", { name: "burst" });
    const key = created.json.key as string;
    const id = (created.json.record as { id: string }).id;
    expect(await known(key, nodes)).toBe(true);
    let sent = 0;
    const statuses: number[] = [];
    const worker = async () => {
      while (sent < 5_000) {
        sent++;
        statuses.push((await chat(next(), { key })).status);
      }
    };
    await Promise.all(Array.from({ length: 48 }, worker));
    for (const node of nodes) node.kill("SIGTERM");
    expect(await Promise.all(nodes.map((node) => node.exited))).toEqual([0, 0, 0]);
    expect(statuses.filter((status) => status === 200)).toHaveLength(5_000);
    const [{ n }] = await sql`SELECT count(*)::int AS n FROM requests WHERE api_key_id = ${id}`;
    expect(n).toBe(5_000);
  }, 120_000);
});

describe.skipIf(!ready)("a Deno replica beside a Bun one, on the same Redis and PostgreSQL", () => {
  test("the Bun replica's key, limits and admin session hold on the Deno one", async () => {
    const fresh = await freshSchema();
    const denoPrefix = uniquePrefix();
    const shared = startMockUpstream();
    const env = {
      GATEWAY_REDIS_URL: REDIS_URL,
      GATEWAY_REDIS_PREFIX: denoPrefix,
      GATEWAY_DATABASE_URL: `${PG_URL}?search_path=${fresh.schema}`,
      GATEWAY_ADMIN_PASSWORD: PASSWORD,
    };
    const [onBun, onDeno] = await Promise.all([
      startGatewayProcess({ config: CONFIG, env, mock: shared }),
      startGatewayProcess({ config: CONFIG, env, mock: shared, runtime: "deno" }),
    ]);
    try {
      const admin = new AdminClient(onBun.url);
      await admin.login("admin", PASSWORD);
      const created = await admin.call("POST", "/api/keys", { name: "deno", limits: { requestsPerMinute: 4 } });
      const key = created.json.key as string;
      expect(await known(key, [onDeno])).toBe(true);
      const statuses = await Promise.all(
        Array.from({ length: 8 }, (_, i) => chat(i % 2 ? onDeno : onBun, { key }).then((r) => r.status)),
      );
      expect(statuses.filter((s) => s === 200)).toHaveLength(4);
      expect(statuses.filter((s) => s === 429)).toHaveLength(4);
      const onDenoAdmin = new AdminClient(onDeno.url);
      onDenoAdmin.cookie = admin.cookie;
      expect((await onDenoAdmin.call("GET", "/api/auth/me")).json).toMatchObject({ username: "admin" });
    } finally {
      await Promise.all([onBun.stop(), onDeno.stop()]);
      await shared.stop();
      await fresh.drop();
      await dropKeys(denoPrefix);
    }
  }, 60_000);
});
