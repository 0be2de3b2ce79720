/**
 * The stop's steps with an injected clock and sleeps (the end-to-end signal tests are in
 * tests/e2e/shutdown-flush.test.ts): wait for requests in flight up to the grace, then end them, then
 * close connections that still hang; a repeated signal within the repeat window is the same stop, a
 * later one hurries it; the queue is written in every case.
 */
import { expect, test } from "bun:test";
import { type StopTarget, shutdownGraceMs, shutdownOnSignal } from "../src/shutdown.ts";
import { silentLogger } from "./helpers/run-hooks.ts";

/** Sleeps that end only when the test says so, and a target that records what the stop did. */
function rig() {
  const sleeps: { ms: number; wake: () => void }[] = [];
  const calls: string[] = [];
  let drain = () => {};
  const drained = new Promise<void>((resolve) => (drain = resolve));
  let clock = 0;
  let exited: (code: number) => void = () => {};
  const exit = new Promise<number>((resolve) => (exited = resolve));
  const target: StopTarget = {
    stopServer: async (force) => {
      calls.push(force ? "force" : "stop");
      if (!force) await drained;
    },
    endInFlight: (reason) => void calls.push(`end: ${reason}`),
    close: async () => void calls.push("close"),
  };
  const handle = shutdownOnSignal({
    target,
    log: silentLogger(),
    graceMs: 5_000,
    repeatMs: 2_000,
    forceAfterMs: 1_000,
    exit: (code) => exited(code),
    now: () => clock,
    sleep: (ms) => new Promise<void>((wake) => void sleeps.push({ ms, wake })),
  });
  const flush = () => new Promise((resolve) => setTimeout(resolve, 0));
  /** Ends the pending sleep of `ms`. */
  const elapse = async (ms: number) => {
    await flush();
    sleeps.find((s) => s.ms === ms)?.wake();
    await flush();
  };
  return { handle, calls, drain, exit, elapse, flush, at: (ms: number) => (clock = ms), target };
}

test("requests that finish within the grace: nothing is ended, the queue is written, exit 0", async () => {
  const r = rig();
  r.handle("SIGTERM");
  r.drain();
  expect(await r.exit).toBe(0);
  expect(r.calls).toEqual(["stop", "close"]);
});

test("after the grace, what is in flight is ended, then the queue is written", async () => {
  const r = rig();
  r.handle("SIGTERM");
  await r.elapse(5_000);
  expect(r.calls).toEqual(["stop", "end: the gateway is shutting down"]);
  r.drain(); // the streams ended with their in-band error
  expect(await r.exit).toBe(0);
  expect(r.calls).toEqual(["stop", "end: the gateway is shutting down", "close"]);
});

test("connections that do not end after that are closed, and the queue is still written", async () => {
  const r = rig();
  r.handle("SIGINT");
  await r.elapse(5_000);
  await r.elapse(1_000);
  await r.elapse(50);
  expect(await r.exit).toBe(0);
  expect(r.calls).toEqual(["stop", "end: the gateway is shutting down", "force", "close"]);
});

test("the same signal again within the repeat window is the same stop (a group signal plus a forwarded one)", async () => {
  const r = rig();
  r.handle("SIGTERM");
  r.at(10);
  r.handle("SIGTERM");
  await r.flush();
  expect(r.calls).toEqual(["stop"]); // nothing hurried, nothing skipped
  r.drain();
  expect(await r.exit).toBe(0);
  expect(r.calls).toEqual(["stop", "close"]);
});

test("a signal after the repeat window ends requests in flight at once, and still writes the queue", async () => {
  const r = rig();
  r.handle("SIGTERM");
  r.at(2_500);
  r.handle("SIGINT");
  await r.flush();
  expect(r.calls).toEqual(["stop", "end: the gateway is shutting down"]);
  r.drain();
  expect(await r.exit).toBe(0);
  expect(r.calls.at(-1)).toBe("close");
});

test("a failed write exits 1", async () => {
  const r = rig();
  r.target.close = async () => {
    throw new Error("disk full");
  };
  r.handle("SIGTERM");
  r.drain();
  expect(await r.exit).toBe(1);
});

test("GATEWAY_SHUTDOWN_GRACE_MS: a number of ms, else the default", () => {
  expect(shutdownGraceMs({})).toBe(5_000);
  expect(shutdownGraceMs({ GATEWAY_SHUTDOWN_GRACE_MS: "1500" })).toBe(1_500);
  expect(shutdownGraceMs({ GATEWAY_SHUTDOWN_GRACE_MS: "0" })).toBe(0);
  const log = silentLogger();
  expect(shutdownGraceMs({ GATEWAY_SHUTDOWN_GRACE_MS: "soon" }, log)).toBe(5_000);
  expect(log.messages[0].message).toContain("GATEWAY_SHUTDOWN_GRACE_MS=soon");
});
