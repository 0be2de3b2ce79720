/**
 * Compile-time test of `defineConfig` (issue 12, item 6): `npm run typecheck` includes this file, so a
 * typo that stops being a type error fails the typecheck through the unused `@ts-expect-error` below it.
 * Nothing here runs; bun test does not pick it up (not a `.test.ts`).
 */

import { keywordClassifier, openai, simulated, statusCodeRetry } from "../../plugins/index.ts";
import { defineConfig, env, type GatewayConfigInput } from "../../src/index.ts";

const providers = { sim: simulated({ latencyMs: 10, tokensPerSecond: 100 }) };
const tiers = { t1: { models: ["sim/small"] } };

// Valid configs compile: an object, and a function of { env, mode }.
defineConfig({ providers, tiers, routing: { defaultTier: "t1" } });
defineConfig(({ env: vars, mode }) => ({
  providers,
  tiers: { t1: { models: [mode === "test" ? "sim/test" : "sim/small"], strategy: "adaptive" } },
  auth: { apiKeys: [vars.GATEWAY_API_KEY ?? "", env("OTHER_KEY", "")] },
}));

// A misspelt top-level key.
defineConfig({
  providers,
  tiers,
  // @ts-expect-error `routng` is not a config key
  routng: { defaultTier: "t1" },
});

// A misspelt key inside a tier.
defineConfig({
  providers,
  tiers: {
    // @ts-expect-error `stratgy` is not a tier key
    t1: { models: ["sim/small"], stratgy: "adaptive" },
  },
});

// A misspelt key in the object a config function returns (checked against its declared return type:
// TypeScript does not check an arrow's inferred return for excess properties).
defineConfig(
  (): GatewayConfigInput => ({
    providers,
    tiers,
    // @ts-expect-error `retyr` is not a config key
    retyr: { maxAttempts: 2 },
  }),
);

// A misspelt option of a provider factory.
defineConfig({
  // @ts-expect-error `baseUrl` is spelt `baseURL`
  providers: { openai: openai({ baseUrl: "https://api.openai.com/v1" }) },
  tiers: { t1: { models: ["openai/gpt-4o-mini"] } },
});

// A misspelt key of a model entry, and a strategy that does not exist.
defineConfig({
  providers,
  tiers: {
    // @ts-expect-error `wieght` is not a model entry key
    t1: { models: [{ model: "sim/small", wieght: 2 }] },
    // @ts-expect-error "fastest" is not a strategy
    t2: { models: ["sim/small"], strategy: "fastest" },
  },
});

// Plugins still type: classifiers and retry rules from factories.
defineConfig({
  providers,
  tiers,
  classifiers: [keywordClassifier({ rules: [{ tier: "t1", match: ["hello"] }] })],
  retry: { rules: [statusCodeRetry({ codes: [429] })], maxAttempts: 3 },
});
