/** Cooldowns of the health registry: their end, their reason, and which one wins. */
import { describe, expect, test } from "bun:test";
import { MemoryHealthRegistry } from "../../src/routing/health.ts";

describe("MemoryHealthRegistry", () => {
  const NOW = 1_000_000;

  test("a target is in cooldown until its end, with the reason given", () => {
    const health = new MemoryHealthRegistry();
    health.coolDown("p/a", NOW + 60_000, "429 rate limited", NOW);
    expect(health.cooldownOf("p/a", NOW + 59_999)).toEqual({ until: NOW + 60_000, reason: "429 rate limited" });
  });

  test("the cooldown ends by itself when its time has passed", () => {
    const health = new MemoryHealthRegistry();
    health.coolDown("p/a", NOW + 60_000, "429", NOW);
    expect(health.cooldownOf("p/a", NOW + 60_000)).toBeUndefined();
  });

  test("other targets are not affected", () => {
    const health = new MemoryHealthRegistry();
    health.coolDown("p/a", NOW + 60_000, "429", NOW);
    expect(health.cooldownOf("p/b", NOW)).toBeUndefined();
  });

  test("a success ends a cooldown at once", () => {
    const health = new MemoryHealthRegistry();
    health.coolDown("p/a", NOW + 60_000, "503", NOW);
    health.record("p/a", NOW, { ok: true, penalty: 0, reason: "answered" });
    expect(health.cooldownOf("p/a", NOW)).toBeUndefined();
  });

  test("a shorter cooldown does not cut a longer one short", () => {
    const health = new MemoryHealthRegistry();
    health.coolDown("p/a", NOW + 300_000, "401", NOW);
    health.coolDown("p/a", NOW + 1_000, "429", NOW);
    expect(health.cooldownOf("p/a", NOW + 2_000)?.reason).toBe("401");
  });

  test("a longer cooldown extends a shorter one", () => {
    const health = new MemoryHealthRegistry();
    health.coolDown("p/a", NOW + 1_000, "429", NOW);
    health.coolDown("p/a", NOW + 300_000, "401", NOW);
    expect(health.cooldownOf("p/a", NOW + 2_000)).toEqual({ until: NOW + 300_000, reason: "401" });
  });
});
