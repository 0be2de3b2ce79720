/**
 * GATEWAY_REDIS_URL through Redis Sentinel: `redis-sentinel://host:port[,…]/master` is read into
 * ioredis's sentinel options (bad ones refused with the reason), and against a real Sentinel (started
 * here from the machine's redis-server, watching the test Redis) a process that finds its master through
 * the Sentinel counts in the same window as one connected directly.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { redisTarget } from "../../src/cluster/redis-connection.ts";
import { RedisRateLimiter } from "../../src/cluster/redis-rate-limit.ts";
import { SharedState } from "../../src/cluster/shared-state.ts";
import { freePort } from "../helpers/gateway-harness.ts";
import { dropKeys, quiet, REDIS_URL, redisAnswers, sharedState, uniquePrefix } from "../helpers/redis.ts";

test("a sentinel URL becomes ioredis's sentinel options; a plain URL stays as it is", () => {
  expect(redisTarget("redis://10.0.0.5:6379/2")).toBe("redis://10.0.0.5:6379/2");
  expect(redisTarget("redis-sentinel://10.0.0.5:26379,10.0.0.6/main")).toEqual({
    sentinels: [
      { host: "10.0.0.5", port: 26379 },
      { host: "10.0.0.6", port: 26379 },
    ],
    name: "main",
  });
  expect(redisTarget("redis-sentinel://:s%40cret@h1:1,h2:2/m?db=3")).toEqual({
    sentinels: [
      { host: "h1", port: 1 },
      { host: "h2", port: 2 },
    ],
    name: "m",
    password: "s@cret",
    db: 3,
  });
  expect(() => redisTarget("redis-sentinel://h1:26379")).toThrow(/names its master/);
  expect(() => redisTarget("redis-sentinel://h1:port/m")).toThrow(/"h1:port" is not host:port/);
});

const SERVER = "/usr/bin/redis-server";

describe.skipIf(!redisAnswers || !existsSync(SERVER))("through a real Redis Sentinel", () => {
  const dir = mkdtempSync(join(tmpdir(), "smartroute-sentinel-"));
  const port = freePort();
  let sentinel: ReturnType<typeof Bun.spawn> | undefined;
  const prefix = uniquePrefix();

  beforeAll(async () => {
    const config = join(dir, "sentinel.conf");
    const watched = new URL(REDIS_URL);
    writeFileSync(
      config,
      `port ${port}\nbind 127.0.0.1\ndir ${dir}\nsentinel monitor sr ${watched.hostname} ${watched.port || 6379} 1\n`,
    );
    sentinel = Bun.spawn([SERVER, config, "--sentinel"], { stdout: "ignore", stderr: "ignore" });
    for (let i = 0; i < 100; i++) {
      const probe = Bun.spawn(["redis-cli", "-p", String(port), "ping"], { stdout: "pipe", stderr: "ignore" });
      if ((await new Response(probe.stdout).text()).includes("PONG")) break;
      await Bun.sleep(50);
    }
  });

  afterAll(async () => {
    sentinel?.kill();
    await sentinel?.exited;
    rmSync(dir, { recursive: true, force: true });
    await dropKeys(prefix);
  });

  test("a process on the sentinel URL and one on the direct URL share a 5/minute key's window", async () => {
    const viaSentinel = new SharedState({ url: `redis-sentinel://127.0.0.1:${port}/sr`, prefix, log: quiet });
    await viaSentinel.connect(3_000);
    const direct = await sharedState(prefix);
    try {
      expect(viaSentinel.degraded).toBe(false);
      const [a, b] = [new RedisRateLimiter(viaSentinel), new RedisRateLimiter(direct)];
      const now = Date.now();
      const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).take("k", 5, now + i)));
      expect(answers.filter((answer) => answer === undefined)).toHaveLength(5);
    } finally {
      await viaSentinel.close();
      await direct.close();
    }
  });
});
