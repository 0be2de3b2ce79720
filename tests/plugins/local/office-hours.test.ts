// tests/plugins/local/office-hours.test.ts
import { describe, expect, test } from "bun:test";
import { officeHours } from "../../../plugins/local/office-hours.ts";
import { classifyWith } from "../../helpers/run-hooks.ts";

describe("officeHours", () => {
  const plugin = officeHours({ tier: "t1", outside: "09:00-18:00" });

  test("routes to the cheap tier at night", async () => {
    expect(await classifyWith(plugin, { text: "hello", at: "23:10" })).toMatchObject({ tier: "t1" });
  });

  test("has no opinion during the day", async () => {
    expect(await classifyWith(plugin, { text: "hello", at: "10:00" })).toBeUndefined();
  });
});
