/**
 * A half-open target's probe (DESIGN §5) rides on a real request, so it must cost that request little:
 * the request waits for the probe at most the connect budget (`timeouts.connectMs`), then fails over. A
 * probe still running by then is left to finish on its own, and its outcome decides the circuit. A
 * target that is down shows it within that budget (refused, reset, an error status, no headers), while
 * one that is up but slow (a long non-streamed answer, a slow first token) is not mistaken for down.
 */

import type { Clock } from "../plugin/types.ts";
import type { AttemptRun } from "./attempt.ts";

/** A signal that follows the client's until `detach()`: a probe left running must not die with its request. */
export function followSignal(client: AbortSignal): { signal: AbortSignal; detach(): void } {
  const controller = new AbortController();
  const follow = () => controller.abort(client.reason);
  if (client.aborted) follow();
  else client.addEventListener("abort", follow, { once: true });
  return { signal: controller.signal, detach: () => client.removeEventListener("abort", follow) };
}

/** The attempt's run when it ends within `budgetMs`, undefined when the budget passes first. */
export async function withinBudget(
  attempt: Promise<AttemptRun>,
  budgetMs: number,
  clock: Clock,
): Promise<AttemptRun | undefined> {
  const timer = new AbortController();
  const expired = clock.sleep(budgetMs, timer.signal).then(
    () => undefined,
    () => undefined,
  );
  try {
    return await Promise.race([attempt, expired]);
  } finally {
    timer.abort();
  }
}

/** What the request records for a probe it stopped waiting for: a failover, not yet a verdict. */
export function pendingProbeRun(target: string, budgetMs: number, waitedMs: number): AttemptRun {
  const errorText = `${target}: half-open probe had no answer within connectMs (${budgetMs} ms); failing over, the probe finishes in the background and decides the circuit`;
  return {
    outcome: {
      ok: false,
      status: 0,
      headers: new Headers(),
      errorClass: "timeout_connect",
      errorText,
      timings: { totalMs: waitedMs },
    },
    discard: () => {},
  };
}
