/**
 * The attempts of a request are appended, never rewritten, except for the facts that come later: the
 * committed stream failed ("cut"), and a last "retry" or "failover" that nothing followed ("fail", with
 * why). A continuation's attempts come after it, and a cut of the continuation's stream marks that
 * attempt, not the first one again.
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

test("a last failover or retry that nothing followed ends as fail, saying why", () => {
  const log = new AttemptLog();
  log.append(attempt("p/a", "failover"));
  log.append(attempt("p/b", "failover"));
  const before = log.entries();
  log.noneFollowed("no other target to fail over to");
  expect(log.entries().map((a) => `${a.target} ${a.outcome} ${a.reason}`)).toEqual([
    "p/a failover failover",
    "p/b fail failover; no other target to fail over to",
  ]);
  expect(before[1].outcome).toBe("failover");
  const retried = new AttemptLog();
  retried.append(attempt("p/a", "retry"));
  retried.noneFollowed("attempt limit (1) reached");
  expect(retried.entries()[0]).toMatchObject({ outcome: "fail", reason: "retry; attempt limit (1) reached" });
});

test("noneFollowed leaves an accepted, failed or cut attempt as it is, and an empty log empty", () => {
  for (const outcome of ["accepted", "fail", "cut"] as const) {
    const log = new AttemptLog();
    log.append(attempt("p/a", outcome));
    log.noneFollowed("why");
    expect(log.entries()[0]).toMatchObject({ outcome, reason: outcome });
  }
  const empty = new AttemptLog();
  empty.noneFollowed("why");
  expect(empty.count).toBe(0);
});
