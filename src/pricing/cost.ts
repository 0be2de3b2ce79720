/**
 * A request's cost from its usage, in integer micro-dollars (1 = $0.000001): each part is rounded to
 * the micro-dollar once, then parts and totals add as integers, so sums over a month are exact and a
 * request is correct far below the cent (at most half a micro-dollar per part).
 *
 * The usage is the OpenAI shape the providers map to (plugins/providers): `prompt_tokens` counts every
 * input token, cached reads and cache writes included (OpenAI's own convention; Anthropic's `input_tokens`,
 * which excludes both, is summed up to it by anthropicUsage, which also passes the cache writes by TTL).
 * `completion_tokens` includes reasoning tokens (OpenAI's `reasoning_tokens`), priced at the reasoning
 * rate where the catalog has one, else at the output rate. DeepSeek's `prompt_cache_hit_tokens` and
 * Moonshot's top-level `cached_tokens` are read as cached input too.
 */
import type { Usage } from "../plugin/types.ts";
import { type ModelPrice, rateAt } from "./price.ts";

/** Tokens of a request by how they are billed. */
export interface TokenParts {
  /** Input neither read from nor written to a cache. */
  input: number;
  cachedInput: number;
  cacheWrite: number;
  cacheWrite1h: number;
  /** Output that is not reasoning. */
  output: number;
  reasoning: number;
}

export interface CostBreakdown {
  tokens: TokenParts;
  /** Micro-dollars per part, same keys as `tokens`. */
  micros: TokenParts;
  totalMicros: number;
}

type Obj = Record<string, unknown>;
const num = (v: unknown): number => (typeof v === "number" && Number.isFinite(v) && v > 0 ? Math.floor(v) : 0);
const obj = (v: unknown): Obj => (typeof v === "object" && v !== null ? (v as Obj) : {});

/** Splits a usage into billed parts; parts never go negative whatever an upstream reports. */
export function tokenParts(usage: Pick<Usage, "prompt_tokens" | "completion_tokens"> & Obj): TokenParts {
  const prompt = num(usage.prompt_tokens);
  const completion = num(usage.completion_tokens);
  const details = obj(usage.prompt_tokens_details);
  const cached = Math.min(
    prompt,
    num(details.cached_tokens) || num(usage.prompt_cache_hit_tokens) || num(usage.cached_tokens),
  );
  const write1h = Math.min(prompt - cached, num(details.cache_write_1h_tokens));
  const write = Math.min(prompt - cached - write1h, num(details.cache_write_tokens));
  const reasoning = Math.min(completion, num(obj(usage.completion_tokens_details).reasoning_tokens));
  return {
    input: prompt - cached - write - write1h,
    cachedInput: cached,
    cacheWrite: write,
    cacheWrite1h: write1h,
    output: completion - reasoning,
    reasoning,
  };
}

/** Tokens × USD per million tokens = micro-dollars; rounded once per part. */
const micros = (tokens: number, usdPerMillion: number) => Math.round(tokens * usdPerMillion);

/** The cost of `parts` at `price`; long-context tiers chosen by the whole prompt's size. */
export function costOf(parts: TokenParts, price: ModelPrice): CostBreakdown {
  const prompt = parts.input + parts.cachedInput + parts.cacheWrite + parts.cacheWrite1h;
  const at = (rate: ModelPrice["input"] | undefined, fallback: ModelPrice["input"]) => rateAt(rate ?? fallback, prompt);
  const cacheWrite = price.cacheWrite ?? price.input;
  const m: TokenParts = {
    input: micros(parts.input, at(price.input, price.input)),
    cachedInput: micros(parts.cachedInput, at(price.cachedInput, price.input)),
    cacheWrite: micros(parts.cacheWrite, at(cacheWrite, price.input)),
    cacheWrite1h: micros(parts.cacheWrite1h, at(price.cacheWrite1h, cacheWrite)),
    output: micros(parts.output, at(price.output, price.output)),
    reasoning: micros(parts.reasoning, at(price.reasoning, price.output)),
  };
  const totalMicros = m.input + m.cachedInput + m.cacheWrite + m.cacheWrite1h + m.output + m.reasoning;
  return { tokens: parts, micros: m, totalMicros };
}
