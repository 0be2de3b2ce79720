/** The virtual clock and the lazy watchdog on it: budgets expire at their virtual time, not before. */
import { describe, expect, test } from "bun:test";
import { VirtualClock } from "../../src/index.ts";
import { Watchdog } from "../../src/pipeline/watchdog.ts";

describe("VirtualClock", () => {
  test("advance runs due timers in time order, then stops at the target time", async () => {
    const clock = new VirtualClock(1_000);
    const fired: string[] = [];
    clock.setTimer(30, () => fired.push(`b@${clock.now()}`));
    clock.setTimer(10, () => fired.push(`a@${clock.now()}`));
    clock.setTimer(30, () => fired.push(`c@${clock.now()}`));
    clock.setTimer(50, () => fired.push("late"));
    await clock.advance(40);
    expect(fired).toEqual(["a@1010", "b@1030", "c@1030"]);
    expect(clock.now()).toBe(1_040);
    expect(clock.pending).toBe(1);
  });

  test("a timer set by a timer's callback runs in the same advance when it falls due", async () => {
    const clock = new VirtualClock(0);
    const fired: number[] = [];
    clock.setTimer(10, () => clock.setTimer(10, () => fired.push(clock.now())));
    await clock.advance(25);
    expect(fired).toEqual([20]);
  });

  test("a cancelled timer never runs", async () => {
    const clock = new VirtualClock(0);
    let ran = false;
    const cancel = clock.setTimer(5, () => (ran = true));
    cancel();
    await clock.advance(10);
    expect(ran).toBe(false);
    expect(clock.pending).toBe(0);
  });

  test("sleep resolves in virtual time and rejects on abort", async () => {
    const clock = new VirtualClock(0);
    await clock.run(clock.sleep(60_000));
    expect(clock.now()).toBe(60_000);
    const controller = new AbortController();
    const slept = clock.sleep(1_000, controller.signal);
    controller.abort(new Error("stop"));
    await expect(slept).rejects.toThrow("stop");
    expect(clock.pending).toBe(0);
  });

  test("run reports a promise that nothing can settle instead of hanging", async () => {
    const clock = new VirtualClock(0);
    await expect(clock.run(new Promise(() => {}))).rejects.toThrow("no timer is set");
  });

  test("localTime is the UTC time of now()", () => {
    expect(new VirtualClock(Date.UTC(2026, 0, 1, 23, 10)).localTime()).toBe("23:10");
  });
});

describe("Watchdog on the virtual clock", () => {
  test("expires at the deadline, re-armed later by a field write (one timer at a time)", async () => {
    const clock = new VirtualClock(0);
    const expired: string[] = [];
    const dog = new Watchdog((reason) => expired.push(`${reason}@${clock.now()}`), clock);
    dog.arm(100, "stall");
    await clock.advance(60);
    dog.arm(160, "stall"); // moved later: no new timer
    expect(clock.pending).toBe(1);
    await clock.advance(60); // the old wake-up at 100 sees the moved deadline and sleeps again
    expect(expired).toEqual([]);
    await clock.advance(100);
    expect(expired).toEqual(["stall@160"]);
    expect(clock.pending).toBe(0);
  });

  test("an earlier deadline replaces the pending wake-up; disarm leaves no timer", async () => {
    const clock = new VirtualClock(0);
    const expired: string[] = [];
    const dog = new Watchdog((reason) => expired.push(`${reason}@${clock.now()}`), clock);
    dog.arm(1_000, "timeout_first_token");
    dog.arm(200, "finish_grace");
    await clock.advance(300);
    expect(expired).toEqual(["finish_grace@200"]);
    dog.arm(500, "stall");
    dog.disarm();
    expect(clock.pending).toBe(0);
  });
});
