/**
 * Config edits in a cluster: an edit applied on one gateway (as the admin's apply does: the file written,
 * the config reloaded with the admin as author) runs on the others within a second, written to their own
 * files; one that does not load on a process is refused there, that process keeps its own text and says
 * why in the replica list; a change seen on disk is not announced.
 */
import { afterEach, describe, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { writeConfigAtomically } from "../../src/config-editor/candidate.ts";
import type { RunningGateway } from "../../src/main.ts";
import { type Cluster, clusterConfig, startCluster } from "../helpers/cluster.ts";
import { dropKeys, REDIS_URL, redisAnswers, uniquePrefix } from "../helpers/redis.ts";

let cluster: Cluster | undefined;
let prefix = "";
afterEach(async () => {
  await cluster?.stop();
  cluster = undefined;
  await dropKeys(prefix);
});

const TWO_TIERS = `{ t1: { models: ["sim/m1"] }, t2: { models: ["sim/m2"] } }`;

/** What the admin's apply does on `node`: write the file, reload with the admin as author. */
async function applyOn(node: RunningGateway, source: string) {
  writeConfigAtomically(node.gateway.live.path, source);
  return node.gateway.live.reload("add t2", "alice");
}

async function until(check: () => boolean | Promise<boolean>): Promise<void> {
  const started = Date.now();
  while (!(await check()) && Date.now() - started < 2_000) await Bun.sleep(10);
}

const tiersOf = (node: RunningGateway) => Object.keys(node.gateway.live.get().tiers);

describe.skipIf(!redisAnswers)("config edits across a cluster", () => {
  test("an edit applied on A runs on B and C, written to their own files", async () => {
    prefix = uniquePrefix();
    cluster = await startCluster(3, { redisUrl: REDIS_URL, prefix });
    const [a, b, c] = cluster.nodes;
    const source = clusterConfig(TWO_TIERS);
    expect((await applyOn(a, source)).ok).toBe(true);
    await until(() => tiersOf(b).includes("t2") && tiersOf(c).includes("t2"));
    for (const node of [b, c]) {
      expect(tiersOf(node)).toEqual(["t1", "t2"]);
      expect(readFileSync(node.gateway.live.path, "utf8")).toBe(source);
    }
    const response = await fetch(`${c.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "t2", messages: [{ role: "user", content: "hi" }] }),
    });
    expect(response.headers.get("x-gateway-model")).toBe("sim/m2");
    await response.text();
    // Every process reports the cluster's text as the one it runs.
    const cluster_ = a.gateway.sharedConfig!;
    await until(async () => (await cluster_.replicas()).replicas.every((r) => r.current));
    const { replicas, current } = await cluster_.replicas();
    expect(replicas).toHaveLength(3);
    expect(replicas.every((r) => r.current && r.digest === current)).toBe(true);
    expect(replicas[0].name).toBe(a.gateway.sharedConfig!.name);
  });

  test("an edit that does not load on B is refused there, with the reason in the replica list", async () => {
    prefix = uniquePrefix();
    cluster = await startCluster(2, { redisUrl: REDIS_URL, prefix });
    const [a, b] = cluster.nodes;
    const before = readFileSync(b.gateway.live.path, "utf8");
    // A module only A's directory has.
    writeFileSync(join(cluster.dirs[0], "extra.ts"), "export const tiers = { t9: { models: ['sim/m9'] } };\n");
    const source = `import { tiers } from "./extra.ts";\n${clusterConfig('{ t1: { models: ["sim/m1"] }, ...tiers }')}`;
    expect((await applyOn(a, source)).ok).toBe(true);
    let refused: string | undefined;
    await until(async () => {
      const { replicas } = await b.gateway.sharedConfig!.replicas();
      refused = replicas.find((r) => r.name === b.gateway.sharedConfig!.name)?.refused?.issues[0]?.message;
      return refused !== undefined;
    });
    expect(refused).toContain("extra.ts");
    expect(tiersOf(b)).toEqual(["t1"]);
    expect(readFileSync(b.gateway.live.path, "utf8")).toBe(before);
    expect(tiersOf(a)).toEqual(["t1", "t9"]);
  });

  test("a change seen on disk stays on its machine", async () => {
    prefix = uniquePrefix();
    cluster = await startCluster(2, { redisUrl: REDIS_URL, prefix });
    const [a, b] = cluster.nodes;
    writeConfigAtomically(a.gateway.live.path, clusterConfig(TWO_TIERS));
    expect((await a.gateway.live.reload("file changed", "file")).ok).toBe(true);
    await Bun.sleep(200);
    expect(tiersOf(a)).toEqual(["t1", "t2"]);
    expect(tiersOf(b)).toEqual(["t1"]);
  });
});
