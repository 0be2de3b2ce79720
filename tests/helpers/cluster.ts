/**
 * Several gateways started in-process with `startGateway`, each with its own config file and data
 * directory, sharing one Redis (and one key prefix): a cluster on one machine. A stored key created on the
 * first is copied into the others' stores, as a shared key store (PostgreSQL, later) would hold it.
 */
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { WhenDown } from "../../src/cluster/shared-state.ts";
import { type RunningGateway, startGateway } from "../../src/main.ts";
import { type KeyLimits, SqliteKeyStore } from "../../src/store/api-key-store.ts";
import { ROOT } from "./gateway-harness.ts";
import { quiet } from "./redis.ts";

/** The nodes' config: `sim` answers at once, `down` answers every request 503. */
const configOf = (tiers: string, routing = "{}") => `import { defineConfig } from "${ROOT}/src/index.ts";
import { simulated } from "${ROOT}/plugins/index.ts";
export default defineConfig({
  providers: {
    sim: simulated({ latencyMs: 0, tokensPerSecond: 10000 }),
    down: simulated({ latencyMs: 0, failureRate: 1 }),
  },
  tiers: ${tiers},
  routing: ${routing},
  pricing: { "sim/m1": { input: 1000, output: 1000 } },
});
`;

export interface Cluster {
  nodes: RunningGateway[];
  /** Each node's directory (its config file is `gateway.config.ts` there). */
  dirs: string[];
  /** Creates a stored key with `limits` on every node; returns the plain key and its id. */
  createKey(limits: KeyLimits): Promise<{ key: string; id: string }>;
  stop(): Promise<void>;
}

/** The nodes' config text, for tests that edit it. */
export const clusterConfig = configOf;

export async function startCluster(
  n: number,
  options: { redisUrl: string; prefix: string; whenDown?: WhenDown; tiers?: string; routing?: string },
): Promise<Cluster> {
  const dirs: string[] = [];
  const nodes: RunningGateway[] = [];
  for (let i = 0; i < n; i++) {
    const dir = mkdtempSync(join(tmpdir(), "smartroute-cluster-"));
    dirs.push(dir);
    writeFileSync(
      join(dir, "gateway.config.ts"),
      configOf(options.tiers ?? `{ t1: { models: ["sim/m1"] } }`, options.routing),
    );
    nodes.push(
      await startGateway({
        configPath: join(dir, "gateway.config.ts"),
        projectRoot: dir,
        dataDir: join(dir, "data"),
        port: 0,
        host: "127.0.0.1",
        log: quiet,
        watch: false,
        redisUrl: options.redisUrl,
        redisPrefix: options.prefix,
        redisLimitsWhenDown: options.whenDown,
      }),
    );
  }
  return {
    nodes,
    dirs,
    async createKey(limits) {
      const [first, ...rest] = nodes;
      const { key, record } = await first.gateway.keys.create({ name: "shared", limits }, Date.now());
      const hash = createHash("sha256").update(key).digest("hex");
      for (const node of rest) {
        await new SqliteKeyStore(node.gateway.store!).insert({ ...record, hash });
        await node.gateway.keys.reload();
      }
      return { key, id: record.id };
    },
    async stop() {
      for (const node of nodes) await node.stop();
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A small chat request to `url` with `key`; its status and error code. */
export async function chat(url: string, key: string): Promise<{ status: number; code?: string }> {
  const response = await fetch(`${url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
    body: JSON.stringify({ model: "t1", max_tokens: 4, messages: [{ role: "user", content: "hello" }] }),
  });
  const body = (await response.json()) as { error?: { code: string } };
  return { status: response.status, code: body.error?.code };
}

/** The value of a gauge without labels in a node's /metrics, or undefined when it is absent. */
export async function gauge(url: string, name: string): Promise<number | undefined> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text.split("\n").find((l) => l.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.split(" ")[1]);
}
