/**
 * Cluster: what sharing state through Redis costs a request, and what three replicas serve. Needs a
 * Redis (`--redis redis://127.0.0.1:6379`, the default); skipped with a note when none answers.
 *
 * - Added latency: one request at a time, through one gateway without Redis and one with
 *   `GATEWAY_REDIS_URL`, for a key with no limits and a key with all three (requests per minute, in-flight
 *   cap, budget). The difference of medians is what the shared state adds (goal: under 0.5 ms).
 * - Throughput: one replica at `--connections`, then three replicas on one Redis and the same mock with
 *   the same connections split between them (three load processes at once). On a 2-core machine the
 *   three replicas share the cores with the mock and the load generators: the figure is what they serve
 *   together here, not how the cluster scales on machines of their own.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { KeyRegistry } from "../../src/auth/api-keys.ts";
import { type KeyLimits, SqliteKeyStore } from "../../src/store/api-key-store.ts";
import { openStore } from "../../src/store/db.ts";
import { sequentialRun } from "../lib/measure.ts";
import { chatBody } from "../lib/models.ts";
import { redisAnswersAt } from "../lib/redis-probe.ts";
import { newResult } from "../lib/report.ts";
import { runLoadProcess } from "../lib/run-load.ts";
import type { Scenario } from "../lib/scenario.ts";
import { type Server, startGateway, startMock } from "../lib/servers.ts";
import { ms } from "../lib/stats.ts";
import { gatewayTarget, type Target } from "../lib/targets.ts";

const ALL_LIMITS: KeyLimits = {
  requestsPerMinute: 1_000_000,
  maxConcurrent: 1_000,
  budgetUsd: 1_000_000,
  budgetPeriod: "day",
};

/** A data directory holding one stored key with `limits`; returns the directory and the plain key. */
async function dataDirWithKey(limits: KeyLimits): Promise<{ dir: string; key: string }> {
  const dir = mkdtempSync(join(tmpdir(), "smartroute-bench-cluster-"));
  const store = openStore(dir);
  const keys = new KeyRegistry(new SqliteKeyStore(store));
  const { key } = await keys.create({ name: "bench", limits }, Date.now());
  await keys.close();
  store.close();
  return { dir, key };
}

const withKey = (target: Target, key: string, name: string): Target => ({
  ...target,
  name,
  headers: { ...target.headers, authorization: `Bearer ${key}` },
});

export const cluster: Scenario = {
  name: "cluster",
  help: "shared state through Redis: added latency per request, three replicas' throughput  [--redis URL] [--requests 1500] [--seconds 5] [--connections 32]",
  async run({ flags, group, log }) {
    const redisUrl = flags.words("redis", ["redis://127.0.0.1:6379"])[0] ?? "redis://127.0.0.1:6379";
    const requests = flags.num("requests", 1500);
    const seconds = flags.num("seconds", 5);
    const connections = flags.num("connections", 32);
    const result = newResult("cluster", "Cluster mode (Redis)", { requests, seconds, connections });
    if (!(await redisAnswersAt(redisUrl))) {
      result.notes.push(`skipped: no Redis answers at ${redisUrl}`);
      return result;
    }
    const prefix = `sr-bench:${crypto.randomUUID().slice(0, 8)}:`;
    const redisEnv = { GATEWAY_REDIS_URL: redisUrl, GATEWAY_REDIS_PREFIX: prefix };
    const mock = await startMock(group);

    // Added latency: the same stored key on a gateway without Redis and one with it.
    const single = await dataDirWithKey(ALL_LIMITS);
    const shared = await dataDirWithKey(ALL_LIMITS);
    const alone = await startGateway(group, mock, { name: "alone", env: { GATEWAY_DATA_DIR: single.dir } });
    const withRedis = await startGateway(group, mock, {
      name: "with Redis",
      env: { GATEWAY_DATA_DIR: shared.dir, ...redisEnv },
    });
    const targets: Target[] = [
      gatewayTarget(alone, "one process, key without limits"),
      gatewayTarget(withRedis, "Redis, key without limits"),
      withKey(gatewayTarget(alone), single.key, "one process, key with all three limits"),
      withKey(gatewayTarget(withRedis), shared.key, "Redis, key with all three limits"),
    ];
    const medians = new Map<string, number>();
    for (const target of targets) {
      const load = await sequentialRun(group, target, requests, 200);
      medians.set(target.name, load.latency.p50);
      log(`  ${target.name}: p50 ${ms(load.latency.p50)} ms`);
    }
    const added = (a: string, b: string) => (medians.get(a) ?? NaN) - (medians.get(b) ?? NaN);
    const plain = added("Redis, key without limits", "one process, key without limits");
    const limited = added("Redis, key with all three limits", "one process, key with all three limits");
    result.tables.push({
      title: "Latency per request (ms), one request at a time",
      columns: ["gateway and key", "p50"],
      rows: targets.map((t) => [t.name, ms(medians.get(t.name) ?? NaN)]),
    });
    result.checks.push(
      {
        name: "shared state added, key without limits (median)",
        target: "< 0.5 ms",
        measured: `${ms(plain)} ms`,
        pass: plain < 0.5,
      },
      {
        name: "shared state added, key with all three limits (median)",
        target: "< 0.5 ms",
        measured: `${ms(limited)} ms`,
        pass: limited < 0.5,
      },
    );
    await alone.child.stop();
    await withRedis.child.stop();

    // Throughput: one replica, then three on one Redis with the connections split between them.
    const replicas: Server[] = [];
    for (let i = 0; i < 3; i++)
      replicas.push(await startGateway(group, mock, { name: `replica ${i + 1}`, env: redisEnv }));
    const spec = (server: Server, c: number) => {
      const target = gatewayTarget(server);
      return {
        url: target.url,
        headers: target.headers,
        kinds: [{ name: "chat", body: chatBody(target.model("plain"), false), stream: false }],
        connections: c,
        durationMs: seconds * 1000,
      };
    };
    await runLoadProcess(group, { ...spec(replicas[0], connections), durationMs: 1000 }); // warm-up
    const one = await runLoadProcess(group, spec(replicas[0], connections));
    const split = Math.max(1, Math.round(connections / 3));
    await Promise.all(replicas.map((r) => runLoadProcess(group, { ...spec(r, split), durationMs: 1000 })));
    const three = await Promise.all(replicas.map((r) => runLoadProcess(group, spec(r, split))));
    const together = three.reduce((sum, load) => sum + load.rps, 0);
    const failed = three.reduce((sum, load) => sum + load.requests - (load.outcomes.ok ?? 0), 0);
    result.tables.push({
      title: `Throughput, ${connections} connections in all (req/s)`,
      columns: ["setup", "req/s", "errors"],
      rows: [
        ["one replica (with Redis)", Math.round(one.rps), one.requests - (one.outcomes.ok ?? 0)],
        [`three replicas, ${split} connections each`, Math.round(together), failed],
      ],
    });
    result.notes.push(
      "Three replicas share this machine's cores with the mock and three load generators: their sum shows the shared state does not serialise them, not how a cluster on machines of its own scales.",
    );
    result.data = { medians: Object.fromEntries(medians), one: one.rps, three: three.map((l) => l.rps) };
    const cleaner = new Redis(redisUrl);
    const keys = await cleaner.keys(`${prefix}*`);
    if (keys.length > 0) await cleaner.del(...keys);
    cleaner.disconnect();
    return result;
  },
};
