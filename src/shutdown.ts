/**
 * The graceful stop on SIGINT / SIGTERM:
 *  1. stop accepting connections; requests in flight may finish for up to `graceMs`;
 *  2. then (or at once on a second signal) what is still in flight is ended: upstream calls are aborted,
 *     so a stream ends with an in-band error event, and a connection that still has not ended after
 *     `forceAfterMs` is closed;
 *  3. every queued log row and the health state are written, and the process exits.
 * Nothing skips step 3. A signal within `repeatMs` of the previous one is the same stop, not a second
 * one: systemd's default `KillMode=control-group` signals every process of the group, and the Bun
 * relaunch (`main.ts`) passes each signal on to its child as well, so the gateway often gets it twice.
 */
import type { Logger } from "./plugin/types.ts";

/** What a stop acts on (the running gateway). */
export interface StopTarget {
  /** Stops accepting connections; resolves when responses in flight are done (at once with `force`). */
  stopServer(force: boolean): Promise<void>;
  /** Aborts every upstream call still running: streams end with an in-band error naming `reason`. */
  endInFlight(reason: string): void;
  /** Writes every queued log row and the health state, and closes the store. */
  close(): Promise<void>;
}

interface ShutdownOptions {
  target: StopTarget;
  log: Logger;
  /** How long requests in flight may take to finish after the first signal (default 5 000). */
  graceMs?: number;
  /** A signal this soon after the previous one is the same stop (default 2 000). */
  repeatMs?: number;
  /** How long ended requests get to close their responses before their connections are closed (default 1 000). */
  forceAfterMs?: number;
  exit: (code: number) => void;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

const DEFAULT_SHUTDOWN_GRACE_MS = 5_000;
const DEFAULT_REPEAT_MS = 2_000;
const DEFAULT_FORCE_AFTER_MS = 1_000;
/** After connections are closed, their requests record their rows as their aborts run: let them. */
const SETTLE_MS = 50;
const SHUTTING_DOWN = "the gateway is shutting down";

const timer = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** `GATEWAY_SHUTDOWN_GRACE_MS` as a number of ms, or the default when unset or not a number ≥ 0. */
export function shutdownGraceMs(env: Record<string, string | undefined>, log?: Logger): number {
  const raw = env.GATEWAY_SHUTDOWN_GRACE_MS;
  if (raw === undefined || raw === "") return DEFAULT_SHUTDOWN_GRACE_MS;
  const value = Number(raw);
  if (Number.isFinite(value) && value >= 0) return value;
  log?.warn(`GATEWAY_SHUTDOWN_GRACE_MS=${raw} is not a number of ms; using ${DEFAULT_SHUTDOWN_GRACE_MS}`);
  return DEFAULT_SHUTDOWN_GRACE_MS;
}

/** A signal handler that runs one stop, however many signals arrive. */
export function shutdownOnSignal(options: ShutdownOptions): (signal: string) => void {
  const now = options.now ?? Date.now;
  const repeatMs = options.repeatMs ?? DEFAULT_REPEAT_MS;
  let lastAt: number | undefined;
  let hurry = () => {};
  const hurried = new Promise<void>((resolve) => (hurry = resolve));
  return (signal) => {
    const at = now();
    const previous = lastAt;
    lastAt = at;
    if (previous === undefined) {
      void stop(signal, options, hurried);
    } else if (at - previous < repeatMs) {
      options.log.info(`${signal} again within ${repeatMs} ms: the same stop, still writing the queue`);
    } else {
      options.log.warn(`${signal} again: ending requests in flight now`);
      hurry();
    }
  };
}

async function stop(signal: string, options: ShutdownOptions, hurried: Promise<void>): Promise<void> {
  const { target, log } = options;
  const sleep = options.sleep ?? timer;
  const graceMs = options.graceMs ?? DEFAULT_SHUTDOWN_GRACE_MS;
  log.info(`${signal}: finishing requests in flight (up to ${graceMs} ms), then exiting`);
  const drained = target.stopServer(false);
  const first = await Promise.race([
    drained.then(() => "drained" as const),
    sleep(graceMs).then(() => "grace" as const),
    hurried.then(() => "hurried" as const),
  ]);
  if (first !== "drained")
    await endRemaining(
      options,
      drained,
      first === "grace" ? `still in flight after ${graceMs} ms` : "still in flight at the second signal",
    );
  try {
    await target.close();
  } catch (error) {
    log.error("writing the queue at shutdown failed", { error: String(error) });
    options.exit(1);
    return;
  }
  options.exit(0);
}

/** Step 2: ends the requests still in flight, closing the connections of those that do not end. */
async function endRemaining(options: ShutdownOptions, drained: Promise<void>, why: string): Promise<void> {
  const sleep = options.sleep ?? timer;
  options.log.warn(`requests ${why}: ending them (streams get an in-band error)`);
  options.target.endInFlight(SHUTTING_DOWN);
  const ended = await Promise.race([
    drained.then(() => true),
    sleep(options.forceAfterMs ?? DEFAULT_FORCE_AFTER_MS).then(() => false),
  ]);
  if (ended) return;
  options.log.warn("closing the connections that are still open");
  await options.target.stopServer(true);
  await sleep(SETTLE_MS);
}
