/**
 * What the request log keeps of an attempt that was not accepted: the body or first events it was
 * judged on, so a rejected answer (an error in disguise, or a healthy one a rule got wrong) can be read
 * afterwards. Cut here, at the source, so no attempt holds on to a large body until the row is written.
 */
import type { AttemptRun } from "./attempt.ts";

/** Characters kept of a rejected attempt's body or first events. */
const ATTEMPT_BODY_CHARS = 8 * 1024;

/** The body (non-stream) or first events (stream, one `data` per line) of `run`, cut to `ATTEMPT_BODY_CHARS`. */
export function attemptBody(run: AttemptRun): string | undefined {
  // A passed-through stream's held events are the upstream's own (`wire`); the others' are chat chunks.
  const held = run.stream?.held;
  const text = held
    ? run.passedThrough
      ? held
          .map((item) => item.wire?.trimEnd() ?? "")
          .filter((e) => e !== "")
          .join("\n")
      : held.map((item) => item.data).join("\n")
    : run.outcome.body;
  if (text === undefined || text === "") return undefined;
  return text.length > ATTEMPT_BODY_CHARS ? `${text.slice(0, ATTEMPT_BODY_CHARS)}…` : text;
}
