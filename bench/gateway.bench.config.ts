/**
 * The gateway config the benchmarks run, written as a user would write theirs, against the mock
 * upstream (MOCK_URL, e.g. http://127.0.0.1:8900/v1). Two providers on the same mock so failover and
 * the random (t1) and adaptive (t2) strategies
 * cross providers; every built-in plugin kind that exists today is on.
 *
 * Tiers t1-t3 are the everyday ones. The tiers below them only give the scenarios traffic shapes (the
 * mock reads a stream's length and pace, or a fault, from the model name) and the soak its faults.
 */

import {
  complexityClassifier,
  defaultKeywordRules,
  errorKeywordRetry,
  keywordClassifier,
  modelParams,
  openai,
  statusCodeRetry,
} from "../plugins/index.ts";
import { defineConfig, env } from "../src/index.ts";
import { BENCH_API_KEY, SHAPES } from "./lib/models.ts";

export default defineConfig({
  auth: { apiKeys: [BENCH_API_KEY] },

  providers: {
    a: openai({ baseURL: env("MOCK_URL") }),
    b: openai({ baseURL: env("MOCK_URL") }),
  },

  tiers: {
    t1: { models: ["a/m1", "b/m1b"], strategy: "random" },
    t2: { models: ["a/m2", { model: "b/m2b", prefill: true }], strategy: "adaptive" },
    t3: { models: [{ model: "b/m3", contextWindow: 200_000 }, "a/m3a"], timeouts: { firstTokenMs: 60_000 } },

    // Traffic shapes for the streaming and memory scenarios.
    stream200: { models: [`a/s200?${SHAPES.stream}`, `b/s200b?${SHAPES.stream}`] },
    first: { models: [`a/first?${SHAPES.first}`, `b/firstb?${SHAPES.first}`] },
    slow: { models: [`a/slow?${SHAPES.slow}`, `b/slowb?${SHAPES.slow}`] },
    firstnow: { models: [`a/firstnow?${SHAPES.firstNow}`, `b/firstnowb?${SHAPES.firstNow}`] },
    long: { models: [`a/long?${SHAPES.long}`, `b/longb?${SHAPES.long}`] },

    // Faults for the soak: each tier's expected outcome is listed in bench/scenarios/soak.ts.
    soak429: { models: ["a/r429?fault=status&status=429&retryAfterMs=20", "b/ok429"] },
    soak429all: { models: ["a/r429all?fault=status&status=429&retryAfterMs=20"] },
    soakreset: { models: ["a/reset?fault=reset", "b/okreset"] },
    soakkeyword: { models: ["a/kw?fault=keywordText&message=server%20overloaded", "b/okkw"] },
    soakcut: {
      models: ["a/cut?fault=cut&afterChunks=3&tokens=12&chunkDelayMs=2", { model: "b/cont?tokens=12", prefill: true }],
    },
    soakcutall: { models: ["a/cutall?fault=cut&afterChunks=3&tokens=12&chunkDelayMs=2"] },
    soaktimeout: {
      models: ["a/slowft?fault=slowFirstToken&delayMs=2000"],
      timeouts: { connectMs: 300, firstTokenMs: 300 },
    },
    soakhang: { models: ["a/hang?fault=hang"], timeouts: { connectMs: 300, firstTokenMs: 300 } },
  },
  routing: { defaultTier: "t1" },

  // Plain traffic asks for "auto" (bench/lib/targets.ts): both classifiers run on every such request.
  classifiers: [keywordClassifier({ rules: defaultKeywordRules }), complexityClassifier()],

  retry: {
    rules: [
      statusCodeRetry({ codes: [429, 500, 502, 503, 504], sameTarget: 1 }),
      errorKeywordRetry({ keywords: ["overloaded", "rate limit"] }),
    ],
  },

  adapters: [modelParams({ defaults: { temperature: 0.7 }, models: { m3: { temperature: null } } })],

  // The SQLite request log is on because the bench gives the gateway a data directory (a temp
  // GATEWAY_DATA_DIR per run), with full bodies: DESIGN §10 measures the gateway "with logging on".
  logging: { bodies: "full" },
  // The load generators run from one address, with up to 10,000 connections: no per-address cap.
  limits: { maxRequestsPerClient: 0 },
});
