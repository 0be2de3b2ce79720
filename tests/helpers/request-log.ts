/** Reading a harness gateway's request log once its writer has stored what is queued. */

import type { AttemptSummary } from "../../src/plugin/types.ts";
import { getLog, type LogDetail } from "../../src/store/queries/logs.ts";
import type { Harness } from "./gateway-harness.ts";

/** Waits until the log writer's queue is empty (rows are written off the request path). */
export async function logSettled(h: Harness): Promise<void> {
  const writer = h.running.gateway.writer!;
  for (let i = 0; i < 400 && writer.stats.queued > 0; i++) await Bun.sleep(5);
}

/** The logged row of request `id` (its `x-request-id`), once written; waits up to 2 s for it. */
export async function loggedRequest(h: Harness, id: string): Promise<LogDetail & { attemptTrace: AttemptSummary[] }> {
  for (let i = 0; i < 400; i++) {
    await logSettled(h);
    const row = getLog(h.running.gateway.store!, id);
    if (row) return row as LogDetail & { attemptTrace: AttemptSummary[] };
    await Bun.sleep(5);
  }
  throw new Error(`request ${id} was never logged`);
}
