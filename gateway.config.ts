/**
 * SmartRoute's shipped demo config. It works on a fresh machine: a provider whose API key is in the
 * environment is used for real; without any key, every tier falls back to `simulated` models that answer
 * locally, so you can send requests, watch failover and try the admin UI at once.
 * Edit this file while the gateway runs: it reloads within a second.
 */

import {
  complexityClassifier,
  defaultKeywordRules,
  errorKeywordRetry,
  keywordClassifier,
  modelParams,
  openai,
  selfHealingParams,
  simulated,
  statusCodeRetry,
} from "./plugins/index.ts";
import { defineConfig, env } from "./src/index.ts";

const hasOpenAI = Boolean(process.env.OPENAI_API_KEY);
const hasDeepSeek = Boolean(process.env.DEEPSEEK_API_KEY);
// Simulated stand-ins, priced as the catalog models of their tier.
const small = (provider: string) => ({ model: `${provider}/small`, catalog: "openai/gpt-4o-mini" });
const medium = (provider: string) => ({ model: `${provider}/medium`, catalog: "openai/gpt-4.1" });

export default defineConfig({
  server: { port: 6688 },
  // Gateway keys clients must send (Authorization: Bearer ...). Empty: /v1 is open (the banner warns).
  auth: { apiKeys: [env("GATEWAY_API_KEY", "")] },

  // A provider or model written `hasKey && ...` is left out when the key is missing.
  providers: {
    openai: hasOpenAI && openai({ baseURL: "https://api.openai.com/v1", apiKey: env("OPENAI_API_KEY") }),
    deepseek: hasDeepSeek && openai({ baseURL: "https://api.deepseek.com/v1", apiKey: env("DEEPSEEK_API_KEY") }),
    // Local stand-ins: "flaky" fails a third of its requests so failover can be watched.
    sim: simulated({ latencyMs: 150, tokensPerSecond: 60 }),
    flaky: simulated({ latencyMs: 100, tokensPerSecond: 60, failureRate: 0.3 }),
  },

  // The simulated models are priced as the catalog's models they stand in for (src/pricing/catalog.ts), so
  // the dashboard's cost and savings figures mean something offline too.
  tiers: {
    // cheap and fast: chat, short answers (adaptive: healthy, fast models first, load spread)
    t1: {
      models: [
        hasDeepSeek && "deepseek/deepseek-chat",
        hasOpenAI && "openai/gpt-4o-mini",
        small("flaky"),
        small("sim"),
      ],
      strategy: "adaptive",
    },
    // capable: code, writing, tool use
    t2: { models: [hasOpenAI && "openai/gpt-4.1", medium("flaky"), medium("sim")] },
    // frontier: deep reasoning, long agentic work
    t3: {
      models: [hasOpenAI && "openai/o3", { model: "sim/large", catalog: "openai/o3" }],
      timeouts: { firstTokenMs: 60_000 },
    },
    // embeddings (POST /v1/embeddings): no classification, failover as for chat
    embed: { kind: "embeddings", models: [hasOpenAI && "openai/text-embedding-3-small", "sim/embed"] },
  },
  routing: { defaultTier: "t1", sticky: true },

  // For model "auto": explicit keywords first, then the local complexity scorer (English and Chinese).
  classifiers: [keywordClassifier({ rules: defaultKeywordRules }), complexityClassifier()],

  retry: {
    rules: [
      statusCodeRetry({ codes: [429, 500, 502, 503, 504], sameTarget: 1 }),
      // Errors in disguise (a 200 whose text is an error) by the phrases errors use, not by topic: an answer
      // about rate limiters or quotas says "rate limit" and "额度" and is no error; "rate limit exceeded" is.
      errorKeywordRetry({
        keywords: [
          /rate limit (exceeded|reached)/i,
          /\b(server|upstream|model|engine|service|system)( is)?( currently| temporarily)? overloaded\b/i,
          /^\W*(error\W+)?overloaded/i,
          "负载已饱和",
          /额度(已)?(用完|用尽|耗尽|不足)/,
        ],
      }),
    ],
    maxAttempts: 6,
  },

  adapters: [modelParams({ defaults: { temperature: 0.7 }, models: { o3: { temperature: null } } })],
  // Fixes a parameter an upstream refuses (400) and retries; suggests the fix for this file.
  plugins: [selfHealingParams()],

  timeouts: { connectMs: 10_000, firstTokenMs: 30_000, idleMs: 30_000, totalMs: 600_000 },
  logging: { bodies: "full", retentionDays: 7 },
});
