/** An auto request's tier bounded by its key's tiers: the nearest allowed at or below, else above. */
import { expect, test } from "bun:test";
import { withinKeyTiers } from "../../../plugins/routing/key-limits.ts";
import type { RequestContext } from "../../../src/index.ts";

const CHAT = ["t1", "t2", "t3"];
const keyWith = (tiers?: string[]) => ({ client: { limits: tiers ? { tiers } : undefined } }) as RequestContext;
const chosen = (tier: string) => ({ tier, reason: "classifier: hard" });

test("a hard prompt of a key limited to t1 and t2 goes to t2, saying why", () => {
  const result = withinKeyTiers(chosen("t3"), keyWith(["t1", "t2"]), CHAT);
  expect(result).toEqual({ tier: "t2", reason: "classifier: hard; this API key may use t1, t2: best allowed tier t2" });
});

test("an easy prompt of a key that may only use stronger tiers goes to the nearest one above", () => {
  expect(withinKeyTiers(chosen("t1"), keyWith(["t3", "t2"]), CHAT).tier).toBe("t2");
});

test("an allowed tier, or a key without tier limits, is left alone", () => {
  expect(withinKeyTiers(chosen("t3"), keyWith(["t3"]), CHAT)).toEqual(chosen("t3"));
  expect(withinKeyTiers(chosen("t3"), keyWith(), CHAT)).toEqual(chosen("t3"));
});

test("a key whose tiers are none of the chat tiers keeps the choice (the strategy refuses it)", () => {
  expect(withinKeyTiers(chosen("t2"), keyWith(["embed"]), CHAT)).toEqual(chosen("t2"));
});
