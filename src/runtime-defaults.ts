/**
 * Runtime settings Bun reads only when a process starts (setting them later has no effect); `src/main.ts`
 * relaunches itself with them when they are unset, and the benchmarks start the gateway with the same.
 * A value the operator set is kept.
 *
 * - BUN_CONFIG_MAX_HTTP_REQUESTS: Bun's fetch runs at most 256 upstream requests at once without it; a
 *   gateway holding thousands of streams needs more (the derived `limits.maxInFlight` bounds it anyway).
 * - BUN_JSC_forceRAMSize: JavaScriptCore sizes its garbage collector's heap growth from the machine's RAM.
 *   On a machine with gigabytes free it lets the heap double before collecting, and a burst of streams (each
 *   event parsed, inspected and dropped) leaves tens of megabytes of garbage resident. Sized as for a 128 MB
 *   machine it collects sooner: 1,000 streams peak at about 190 MB instead of 230 to 260 (README,
 *   Performance). It is a growth heuristic, not a cap: a heap that needs more still gets it.
 */
export const RUNTIME_DEFAULTS: Readonly<Record<string, string>> = {
  BUN_CONFIG_MAX_HTTP_REQUESTS: "16384",
  BUN_JSC_forceRAMSize: String(128 * 1024 * 1024),
};
