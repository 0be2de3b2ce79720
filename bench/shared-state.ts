/**
 * What the shared state adds to a request on this machine's Redis: the median and p99 time of each
 * per-key check (rate limit, in-flight enter, budget reserve), one at a time, against the in-process
 * implementations. `bun bench/shared-state.ts [redis-url] [n]`; its keys are deleted after.
 */
import { Redis } from "ioredis";
import { MemoryRateLimiter } from "../src/auth/rate-limit.ts";
import { RedisLedger } from "../src/cluster/redis-ledger.ts";
import { RedisRateLimiter } from "../src/cluster/redis-rate-limit.ts";
import { SharedState } from "../src/cluster/shared-state.ts";
import { MemoryLedger } from "../src/pricing/spend-ledger.ts";

const url = process.argv[2] ?? "redis://127.0.0.1:6379";
const n = Number(process.argv[3] ?? 5000);
const prefix = `sr-bench:${crypto.randomUUID().slice(0, 8)}:`;
const log = { info() {}, warn() {}, error() {} };
const shared = new SharedState({ url, prefix, log });
await shared.connect();
if (shared.degraded) throw new Error(`no Redis at ${url}`);

async function time(name: string, op: (i: number) => unknown): Promise<void> {
  for (let i = 0; i < 200; i++) await op(i); // warm-up: scripts loaded, code compiled
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await op(i);
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  const at = (q: number) => ms[Math.floor(q * (ms.length - 1))].toFixed(3);
  console.log(`${name.padEnd(34)} median ${at(0.5)} ms  p99 ${at(0.99)} ms`);
}

const now = () => performance.timeOrigin + performance.now();
const window = { start: 0, limitMicros: Number.MAX_SAFE_INTEGER };
const memoryRate = new MemoryRateLimiter();
const redisRate = new RedisRateLimiter(shared);
const memoryLedger = new MemoryLedger();
const redisLedger = new RedisLedger(shared, { now, log });
await time("rate limit, in process", (i) => memoryRate.take(`k${i % 100}`, 1e9, now()));
await time("rate limit, Redis", (i) => redisRate.take(`k${i % 100}`, 1e9, now()));
await time("enter + leave, in process", async () => memoryLedger.leave((await memoryLedger.enter("k", 1e9))!));
await time("enter + leave, Redis", async () => redisLedger.leave((await redisLedger.enter("k", 1e9))!));
await time("reserve + settle, Redis", async () => redisLedger.settle((await redisLedger.reserve("k", window, 10))!, 5));
await time("all three checks of one request, Redis", async () => {
  const t = now();
  await redisRate.take("k", 1e9, t);
  const flight = await redisLedger.enter("k", 1e9);
  const held = await redisLedger.reserve("k", window, 10);
  redisLedger.leave(flight!);
  redisLedger.settle(held!, 5);
});

redisLedger.close();
await shared.close();
const cleaner = new Redis(url);
const keys = await cleaner.keys(`${prefix}*`);
if (keys.length > 0) await cleaner.del(...keys);
cleaner.disconnect();
