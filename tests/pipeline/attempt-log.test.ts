/**
 * The attempts of a request are appended, never rewritten, except for the one fact that comes after
 * commit: the committed stream failed later ("cut"). A continuation's attempts come after it, and a cut
 * of the continuation's stream marks that attempt, not the first one again.
 */
import { expect, test } from "bun:test";
import type { AttemptSummary } from "../../src/index.ts";
import { AttemptLog } from "../../src/pipeline/state.ts";

const attempt = (target: string, outcome: AttemptSummary["outcome"]): AttemptSummary => ({
  target,
  startedAt: 0,
  durationMs: 1,
  outcome,
  status: outcome === "accepted" ? 200 : 503,
  reason: outcome,
});

test("a cut marks the committed attempt, and entries are copies", () => {
  const log = new AttemptLog();
  log.append(attempt("p/a", "failover"));
  log.append(attempt("p/b", "accepted"));
  log.commitLast();
  const before = log.entries();
  log.cutCommitted("stalled");
  expect(log.entries().map((a) => `${a.target} ${a.outcome}`)).toEqual(["p/a failover", "p/b cut"]);
  expect(log.entries()[1].reason).toBe("stalled");
  // What observers were handed before keeps what it said then.
  expect(before[1].outcome).toBe("accepted");
});

test("after a continuation, a second cut marks the continuation's attempt", () => {
  const log = new AttemptLog();
  log.append(attempt("p/a", "accepted"));
  log.commitLast();
  log.cutCommitted("cut mid-stream");
  log.append(attempt("p/b", "failover"));
  log.append(attempt("p/c", "accepted"));
  log.commitLast();
  log.cutCommitted("stalled again");
  expect(log.entries().map((a) => `${a.target} ${a.outcome} ${a.reason}`)).toEqual([
    "p/a cut cut mid-stream",
    "p/b failover failover",
    "p/c cut stalled again",
  ]);
  expect(log.count).toBe(3);
  expect(log.trail()).toBe("p/a: cut mid-stream; p/b: failover; p/c: stalled again");
});

test("a cut before any commit changes nothing", () => {
  const log = new AttemptLog();
  log.append(attempt("p/a", "failover"));
  log.cutCommitted("nothing committed");
  expect(log.entries()[0].outcome).toBe("failover");
});
