/**
 * A model's price as the gateway uses it: USD per million tokens (the unit every provider publishes), a
 * field either one number or a base with long-context tiers (the price for all tokens of a request whose
 * prompt reaches `start` tokens, as Google and Anthropic's 1M-context models bill).
 */
export type Rate = number | { base: number; tiers: readonly { start: number; price: number }[] };

export interface ModelPrice {
  input: Rate;
  output: Rate;
  /** Cached input read; absent: priced as input (no discount published). */
  cachedInput?: Rate;
  /** Cache write (Anthropic's 5-minute TTL); absent: priced as input. */
  cacheWrite?: Rate;
  /** Cache write with the 1-hour TTL; absent: priced as `cacheWrite`. */
  cacheWrite1h?: Rate;
  /** Reasoning output when billed apart; absent: priced as output (OpenAI, Anthropic). */
  reasoning?: Rate;
}

/** The rate for a request whose prompt has `promptTokens` tokens. */
export function rateAt(rate: Rate, promptTokens: number): number {
  if (typeof rate === "number") return rate;
  let price = rate.base;
  for (const tier of rate.tiers) if (promptTokens >= tier.start) price = tier.price;
  return price;
}
