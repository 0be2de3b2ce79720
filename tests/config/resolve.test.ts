/** Resolution returns a complete config: each tier's policy resolved, and one for requests without a tier. */
import { expect, test } from "bun:test";
import { simulated } from "../../plugins/index.ts";
import { DEFAULTS } from "../../src/config/defaults.ts";
import { resolveConfig, tierPolicy } from "../../src/config/resolve.ts";

function resolve() {
  const { config, issues } = resolveConfig({
    providers: { sim: simulated() },
    tiers: {
      t1: { models: ["sim/small"] },
      t3: { models: ["sim/large"], strategy: "adaptive", maxAttempts: 2, timeouts: { firstTokenMs: 60_000 } },
    },
    retry: { maxAttempts: 4 },
    timeouts: { idleMs: 5_000 },
  });
  if (!config) throw new Error(JSON.stringify(issues));
  return config;
}

test("a tier's policy takes what the tier leaves out from the top level", () => {
  const { tiers } = resolve();
  expect(tiers.t1).toMatchObject({
    strategy: "sequential",
    maxAttempts: 4,
    timeouts: { ...DEFAULTS.timeouts, idleMs: 5_000 },
  });
  expect(tiers.t3).toMatchObject({
    strategy: "adaptive",
    maxAttempts: 2,
    timeouts: { ...DEFAULTS.timeouts, idleMs: 5_000, firstTokenMs: 60_000 },
  });
});

test("a request without a tier gets the top-level policy", () => {
  const config = resolve();
  expect(config.tierless).toEqual({
    strategy: "sequential",
    maxAttempts: 4,
    timeouts: { ...DEFAULTS.timeouts, idleMs: 5_000 },
  });
  expect(tierPolicy(config, "none")).toBe(config.tierless);
  expect(tierPolicy(config, undefined)).toBe(config.tierless);
  expect(tierPolicy(config, "toString")).toBe(config.tierless);
  expect(tierPolicy(config, "t3")).toBe(config.tiers.t3);
});

test("every default applies to a config that sets nothing optional", () => {
  const { config } = resolveConfig({ providers: { sim: simulated() }, tiers: { fast: { models: ["sim/x"] } } });
  expect(config!.server).toEqual(DEFAULTS.server);
  expect(config!.routing).toEqual({ ...DEFAULTS.routing, defaultTier: "fast" });
  expect(config!.retry).toMatchObject({
    maxAttempts: DEFAULTS.retry.maxAttempts,
    perTarget: DEFAULTS.retry.perTarget,
    backoff: DEFAULTS.retry.backoff,
  });
  expect(config!.health).toEqual(DEFAULTS.health);
  expect(config!.logging).toEqual(DEFAULTS.logging);
  expect(config!.limits).toEqual(DEFAULTS.limits);
  expect(config!.tiers.fast.targets[0]).toMatchObject(DEFAULTS.model);
  expect(config!.openAccess).toBe(DEFAULTS.auth.open);
});
