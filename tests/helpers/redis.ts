/**
 * The real Redis the cluster tests share (REDIS_URL, default 127.0.0.1:6379): each test gets its own key
 * prefix and deletes its keys after. Without a Redis answering, the cluster tests are skipped (and say so).
 */
import { Redis } from "ioredis";
import { redisAnswersAt } from "../../bench/lib/redis-probe.ts";
import { SharedState, type WhenDown } from "../../src/cluster/shared-state.ts";
import { freePort } from "./gateway-harness.ts";

export const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

export const redisAnswers = await redisAnswersAt(REDIS_URL);
if (!redisAnswers) console.warn(`cluster tests skipped: no Redis at ${REDIS_URL}`);

export const quiet = { info() {}, warn() {}, error() {} };

/** A prefix no other test uses. */
export const uniquePrefix = () => `sr-test:${crypto.randomUUID().slice(0, 12)}:`;

/** A connected SharedState on the test Redis (or on `url`, e.g. a closed port). */
export async function sharedState(prefix: string, options: { url?: string; whenDown?: WhenDown } = {}) {
  const shared = new SharedState({ url: options.url ?? REDIS_URL, prefix, whenDown: options.whenDown, log: quiet });
  await shared.connect();
  return shared;
}

/** Two states on a port nothing listens on: one serving on local state while Redis is down, one refusing. */
export async function unreachable(prefix: string): Promise<{ openState: SharedState; closedState: SharedState }> {
  const url = `redis://127.0.0.1:${closedPort()}`;
  return {
    openState: await sharedState(prefix, { url, whenDown: "open" }),
    closedState: await sharedState(prefix, { url, whenDown: "closed" }),
  };
}

/** Deletes every key under `prefix`. */
export async function dropKeys(prefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL);
  try {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
}

/** A loopback port nothing listens on (the OS gave it, it was closed at once). */
export const closedPort = freePort;
