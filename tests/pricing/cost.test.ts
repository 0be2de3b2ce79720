/**
 * Golden cost tests: real usage objects per provider family, priced as each provider's pricing page
 * does the arithmetic (USD per million tokens, cached reads and cache writes at their own rates), in
 * micro-dollars.
 */
import { describe, expect, test } from "bun:test";
import { anthropicUsage } from "../../plugins/providers/anthropic/response.ts";
import { responsesUsage } from "../../plugins/providers/openai-responses/response.ts";
import { catalogEntry } from "../../src/pricing/catalog.ts";
import { costOf, tokenParts } from "../../src/pricing/cost.ts";
import { baselineCost, priceOf, routeScope } from "../../src/pricing/price-of.ts";
import { storeConfig } from "../helpers/summaries.ts";

const price = (name: string) => {
  const entry = catalogEntry(name);
  if (!entry) throw new Error(`${name} not in the catalog`);
  return entry.price;
};

describe("the bundled catalog", () => {
  test("dated variants resolve to their family, with the published prices", () => {
    expect(catalogEntry("gpt-4o-mini-2024-07-18")?.id).toBe("openai/gpt-4o-mini");
    expect(price("gpt-4o-mini")).toEqual({ input: 0.15, output: 0.6, cachedInput: 0.075 });
    expect(catalogEntry("claude-sonnet-4-5-20250929")?.id).toBe("anthropic/claude-sonnet-4-5");
    expect(catalogEntry("gpt-4o-mini")?.contextWindow).toBe(128_000);
  });

  test("covers the major families", () => {
    for (const name of [
      "gpt-4.1",
      "o3",
      "claude-opus-4-1-20250805",
      "gemini-2.5-flash",
      "deepseek-chat",
      "qwen-max",
      "kimi-k2-0905-preview",
      "glm-4.6",
      "mistral-large-latest",
    ])
      expect(catalogEntry(name)).toBeDefined();
  });

  test("an unknown model is not priced (undefined, never 0)", () => {
    expect(catalogEntry("corp-private-model-7")).toBeUndefined();
  });
});

describe("cost per provider convention", () => {
  test("OpenAI chat: prompt_tokens includes cached_tokens", () => {
    const usage = {
      prompt_tokens: 2006,
      completion_tokens: 300,
      total_tokens: 2306,
      prompt_tokens_details: { cached_tokens: 1920, audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0 },
    };
    const cost = costOf(tokenParts(usage), price("gpt-4o-mini"));
    // 86 × $0.15 + 1920 × $0.075 + 300 × $0.60 per million = $0.0003369 → 12.9 + 144 + 180 µ$
    expect(cost.tokens).toMatchObject({ input: 86, cachedInput: 1920, output: 300 });
    expect(cost.micros).toMatchObject({ input: 13, cachedInput: 144, output: 180 });
    expect(cost.totalMicros).toBe(337);
  });

  test("OpenAI reasoning: completion_tokens includes reasoning_tokens, billed as output", () => {
    const usage = {
      prompt_tokens: 1000,
      completion_tokens: 5000,
      total_tokens: 6000,
      completion_tokens_details: { reasoning_tokens: 4000 },
    };
    const cost = costOf(tokenParts(usage), price("o3"));
    // o3: $2 in, $8 out: 1000 × 2 + 1000 × 8 + 4000 × 8 = 42 000 µ$ = $0.042
    expect(cost.micros).toMatchObject({ input: 2000, output: 8000, reasoning: 32000 });
    expect(cost.totalMicros).toBe(42_000);
  });

  test("OpenAI Responses usage (input_tokens_details, output_tokens_details) as mapped", () => {
    const usage = responsesUsage({
      input_tokens: 1200,
      input_tokens_details: { cached_tokens: 1024 },
      output_tokens: 900,
      output_tokens_details: { reasoning_tokens: 600 },
      total_tokens: 2100,
    });
    const cost = costOf(tokenParts(usage), price("gpt-4.1"));
    // gpt-4.1: $2 in, $0.50 cached, $8 out: 176 × 2 + 1024 × 0.5 + 300 × 8 + 600 × 8
    expect(cost.totalMicros).toBe(352 + 512 + 2400 + 4800);
  });

  test("Anthropic: input_tokens excludes cache reads and writes; writes by TTL", () => {
    const usage = anthropicUsage({
      input_tokens: 50,
      cache_creation_input_tokens: 2000,
      cache_read_input_tokens: 10_000,
      cache_creation: { ephemeral_5m_input_tokens: 1500, ephemeral_1h_input_tokens: 500 },
      output_tokens: 400,
    });
    expect(usage.prompt_tokens).toBe(12_050);
    const cost = costOf(tokenParts(usage), price("claude-sonnet-4-5-20250929"));
    // Sonnet 4.5: $3 in, $3.75 5-min write, $6 1-hour write, $0.30 read, $15 out
    expect(cost.micros).toEqual({
      input: 150,
      cacheWrite: 5625,
      cacheWrite1h: 3000,
      cachedInput: 3000,
      output: 6000,
      reasoning: 0,
    });
    expect(cost.totalMicros).toBe(17_775);
  });

  test("Gemini long context: a prompt past 200k tokens is billed at the upper tier, every token", () => {
    const cost = costOf(tokenParts({ prompt_tokens: 250_000, completion_tokens: 1000 }), price("gemini-2.5-pro"));
    // $2.50 in and $15 out above 200k: 250 000 × 2.5 + 1000 × 15
    expect(cost.totalMicros).toBe(625_000 + 15_000);
    const short = costOf(tokenParts({ prompt_tokens: 100_000, completion_tokens: 1000 }), price("gemini-2.5-pro"));
    expect(short.totalMicros).toBe(125_000 + 10_000);
  });

  test("DeepSeek: prompt_cache_hit_tokens are the cached part of prompt_tokens", () => {
    const config = storeConfig({ pricing: { "a/deepseek-chat": { input: 0.28, cachedInput: 0.028, output: 0.42 } } });
    const priced = priceOf(config, { ref: "a/deepseek-chat", model: "deepseek-chat" });
    expect(priced?.source).toBe("config");
    const usage = {
      prompt_tokens: 1000,
      completion_tokens: 100,
      prompt_cache_hit_tokens: 800,
      prompt_cache_miss_tokens: 200,
    };
    // 200 × 0.28 + 800 × 0.028 + 100 × 0.42 = 56 + 22.4 + 42
    expect(costOf(tokenParts(usage), priced!.price).totalMicros).toBe(56 + 22 + 42);
  });

  test("Moonshot: a top-level cached_tokens is the cached part", () => {
    const parts = tokenParts({ prompt_tokens: 1000, completion_tokens: 10, cached_tokens: 600 });
    expect(parts).toMatchObject({ input: 400, cachedInput: 600 });
  });

  test("a usage that does not add up never gives negative parts", () => {
    const parts = tokenParts({ prompt_tokens: 10, completion_tokens: 5, prompt_tokens_details: { cached_tokens: 50 } });
    expect(parts).toMatchObject({ input: 0, cachedInput: 10 });
  });
});

describe("prices and the baseline", () => {
  test("the config overrides the catalog; an OpenAI-compatible proxy is priced by the model name", () => {
    const config = storeConfig({
      tiers: { t1: { models: ["a/gpt-4o-mini"] }, t2: { models: ["b/gpt-4.1"] } },
      pricing: { "b/gpt-4.1": { input: 1, output: 1 } },
    });
    expect(priceOf(config, { ref: "a/gpt-4o-mini", model: "gpt-4o-mini" })?.source).toBe("catalog:openai/gpt-4o-mini");
    expect(priceOf(config, { ref: "b/gpt-4.1", model: "gpt-4.1" })?.price.input).toBe(1);
    expect(priceOf(config, { ref: "a/x", model: "x", catalog: "openai/gpt-4o-mini" })?.price.input).toBe(0.15);
  });

  test("default baseline: the most expensive model of the tiers; pricing.baseline names one", () => {
    const config = storeConfig({ tiers: { t1: { models: ["a/gpt-4o-mini"] }, t2: { models: ["b/gpt-4.1"] } } });
    const parts = tokenParts({ prompt_tokens: 1000, completion_tokens: 1000 });
    expect(baselineCost(config, parts)).toMatchObject({ ref: "b/gpt-4.1", cost: { totalMicros: 10_000 } });
    const named = storeConfig({
      tiers: { t1: { models: ["a/gpt-4o-mini"] }, t2: { models: ["b/gpt-4.1"] } },
      pricing: { baseline: "a/gpt-4o-mini" },
    });
    expect(baselineCost(named, parts)).toMatchObject({ ref: "a/gpt-4o-mini", cost: { totalMicros: 750 } });
  });

  test("default baseline: only where the request could have gone (its key's tiers and models, its tier's kind)", () => {
    const config = storeConfig({
      tiers: {
        t1: { models: ["a/gpt-4o-mini"] },
        t2: { models: ["a/gpt-4.1-mini", "b/gpt-4.1"] },
        t3: { models: ["b/o3-pro"] },
        embed: { kind: "embeddings", models: ["a/text-embedding-3-large"] },
      },
    });
    const parts = tokenParts({ prompt_tokens: 1000, completion_tokens: 1000 });
    expect(baselineCost(config, parts, routeScope(config, "t1"))?.ref).toBe("b/o3-pro");
    // A key limited to t1 and t2 could never have reached o3-pro: its savings are counted against gpt-4.1.
    expect(baselineCost(config, parts, routeScope(config, "t1", { tiers: ["t1", "t2"] }))?.ref).toBe("b/gpt-4.1");
    const byModel = routeScope(config, "t1", { tiers: ["t1", "t2"], models: ["gpt-4o-mini", "a/gpt-4.1-mini"] });
    expect(baselineCost(config, parts, byModel)?.ref).toBe("a/gpt-4.1-mini");
    expect(routeScope(config, "embed").tiers).toEqual(["embed"]);
    expect(routeScope(config, "t2").tiers).toEqual(["t1", "t2", "t3"]);
  });

  test("the catalog's context window is a model entry's default", () => {
    const config = storeConfig({
      tiers: { t1: { models: ["a/gpt-4o-mini", { model: "b/gpt-4.1", contextWindow: 5 }] } },
    });
    expect(config.tiers.t1.targets.map((t) => t.contextWindow)).toEqual([128_000, 5]);
  });
});
