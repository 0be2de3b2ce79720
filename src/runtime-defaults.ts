/**
 * Runtime settings Bun reads only when a process starts (setting them later has no effect); `src/main.ts`
 * relaunches itself with them when they are unset, and the benchmarks start the gateway with the same.
 * A value the operator set is kept.
 *
 * - BUN_CONFIG_MAX_HTTP_REQUESTS: Bun's fetch runs at most 256 upstream requests at once without it; a
 *   gateway holding thousands of streams needs more (the derived `limits.maxInFlight` bounds it anyway).
 *
 * Measured and not made a default: BUN_JSC_forceRAMSize=134217728 (JavaScriptCore sizes its heap growth
 * as for a 128 MB machine, so garbage is collected sooner) took 1,000 streams from about 187 to 168 MB
 * peak, but under non-streamed load it made about 60 full collections in 10 s instead of 4 and cost a
 * fifth of the throughput. An operator short of memory can set it (README, Performance).
 */
export const RUNTIME_DEFAULTS: Readonly<Record<string, string>> = {
  BUN_CONFIG_MAX_HTTP_REQUESTS: "16384",
};
