/**
 * Names shared by the bench gateway config and the scenarios, so the traffic a scenario sends directly
 * to the mock upstream is exactly what the gateway sends it for the same tier.
 *
 * The mock upstream reads its behaviour from the model name (`name?params`): see bench/mock-upstream.ts.
 */

/** The one gateway API key of the bench config. */
export const BENCH_API_KEY = "sk-bench-0123456789abcdef";

/** Stream shapes (mock params); the config reads overrides from the environment at load time. */
export const SHAPES = {
  /** The streaming scenario: 200 content chunks, 5 ms apart. */
  stream: process.env.BENCH_STREAM_SHAPE ?? "tokens=200&chunkDelayMs=5",
  /** Time to first token: short streams whose first content comes 5 ms after the headers. */
  first: process.env.BENCH_FIRST_SHAPE ?? "tokens=3&chunkDelayMs=5",
  /** First content in the same write as the headers (the streaming scenario's shapes). */
  firstNow: "tokens=3&chunkDelayMs=5&firstDelayMs=0",
  /** Long streams read back to back (the streaming scenario's shapes): 100 chunks 20 ms apart. */
  long: "tokens=100&chunkDelayMs=20&firstDelayMs=0",
  /** The memory scenario: slow streams that stay open about 2 s. */
  slow: process.env.BENCH_SLOW_SHAPE ?? "tokens=100&chunkDelayMs=20",
};

/** Tokens in a shape (the mock's default is 8), to know the full text to expect. */
export function tokensOf(shape: string): number {
  return Number(new URLSearchParams(shape).get("tokens") ?? 8);
}

/** A small chat request body. */
export function chatBody(model: string, stream: boolean): string {
  return JSON.stringify({ model, stream, messages: [{ role: "user", content: "Say hello in one short sentence." }] });
}
