/**
 * The default of `limits.maxInFlight`, derived from the process's open-file limit so the gateway sheds
 * load with 503 while it still has descriptors left, instead of failing at the limit (where accept()
 * fails, upstream connects fail and `/healthz` stops answering).
 */
import { readFileSync } from "node:fs";

/** Requests in flight when the open-file limit cannot be read (not Linux, or no permission). */
export const FALLBACK_MAX_IN_FLIGHT = 1000;

/**
 * The soft open-file limit from the text of `/proc/self/limits`, or undefined when it is missing or
 * unlimited. Bun and Deno raise the soft limit to the hard one at start, so this is the one in force.
 */
export function parseOpenFileLimit(limitsText: string): number | undefined {
  const line = limitsText.split("\n").find((l) => l.startsWith("Max open files"));
  const soft = line?.slice("Max open files".length).trim().split(/\s+/)[0];
  const value = Number(soft);
  return Number.isInteger(value) && value > 0 ? value : undefined;
}

/**
 * Requests that may be in flight under `openFiles` descriptors. Each may hold two (the client's
 * connection and one upstream connection: attempts run one at a time); a tenth of the limit, at least
 * 64, stays free for the database and its log worker, watched config files, the listening socket,
 * idle keep-alive and pooled upstream connections, and the `/healthz` checks answered past the cap.
 */
export function maxInFlightFor(openFiles: number): number {
  const reserve = Math.max(64, Math.ceil(openFiles / 10));
  return Math.max(1, Math.floor((openFiles - reserve) / 2));
}

/** The derived default of `limits.maxInFlight` for this process. */
export function derivedMaxInFlight(readLimits: () => string = () => readFileSync("/proc/self/limits", "utf8")): number {
  let openFiles: number | undefined;
  try {
    openFiles = parseOpenFileLimit(readLimits());
  } catch {
    openFiles = undefined;
  }
  return openFiles === undefined ? FALLBACK_MAX_IN_FLIGHT : maxInFlightFor(openFiles);
}
