/**
 * Parsing of the per-request behaviour of the mock upstream.
 *
 * The behaviour travels in the request body's `model` as `name?key=value&...`
 * (URL search params syntax); an `x-mock` header with the same syntax
 * overrides or adds keys, so a test can change behaviour without changing the
 * model string that stats and `failTimes` are keyed by.
 */

export type Fault =
  | "status"
  | "reset"
  | "hang"
  | "slowFirstToken"
  | "cut"
  | "stall"
  | "endNoFinish"
  | "malformed"
  | "noDone"
  | "errorBody"
  | "keywordText"
  | "empty"
  | "contextLength"
  | "contentPolicy"
  | "rejectPrefill"
  | "flap"
  | "longLine"
  | "hugeBody"
  | "endlessBody"
  | "gzipBomb"
  | "redirect"
  | "redirectLoop"
  | "longAnswer"; // body-faults.ts

const FAULTS: ReadonlySet<string> = new Set<Fault>([
  "status",
  "reset",
  "hang",
  "slowFirstToken",
  "cut",
  "stall",
  "endNoFinish",
  "malformed",
  "noDone",
  "errorBody",
  "keywordText",
  "empty",
  "contextLength",
  "contentPolicy",
  "rejectPrefill",
  "flap",
  "longLine",
  "hugeBody",
  "endlessBody",
  "gzipBomb",
  "redirect",
  "redirectLoop",
  "longAnswer",
]);

export interface Behaviour {
  /** Model name without the `?params` part: echoed back in responses. */
  name: string;
  /** Unknown fault names are kept so the server can reject them loudly. */
  fault: Fault | string | undefined;
  params: URLSearchParams;
  latencyMs: number;
  tokens: number;
  chunkDelayMs: number;
  text: string | undefined;
  failTimes: number | undefined;
}

export function isFault(value: string): value is Fault {
  return FAULTS.has(value);
}

/** Numeric param, or `fallback` when absent or not a number. */
export function num(params: URLSearchParams, key: string, fallback: number): number {
  const raw = params.get(key);
  if (raw === null || raw.trim() === "") return fallback;
  const value = Number(raw);
  return Number.isFinite(value) ? value : fallback;
}

export function parseBehaviour(model: string, header: string | null): Behaviour {
  const q = model.indexOf("?");
  const name = q === -1 ? model : model.slice(0, q);
  const params = new URLSearchParams(q === -1 ? "" : model.slice(q + 1));
  if (header) for (const [key, value] of new URLSearchParams(header)) params.set(key, value);

  const tps = num(params, "tps", 0);
  const failTimes = params.has("failTimes") ? num(params, "failTimes", 0) : undefined;
  return {
    name,
    fault: params.get("fault") ?? undefined,
    params,
    latencyMs: num(params, "latencyMs", 0),
    tokens: Math.max(0, Math.floor(num(params, "tokens", 8))),
    chunkDelayMs: tps > 0 ? 1000 / tps : num(params, "chunkDelayMs", 0),
    text: params.get("text") ?? undefined,
    failTimes,
  };
}
