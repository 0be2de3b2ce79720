/**
 * GET /api/health over real HTTP, after real failovers through the mock upstream: the counted window
 * puts the failures on the model that failed and the answers on the rescuer, the circuit's opening is
 * on the failing model's timeline, and its verdict is "failing" while the rescuer's is "healthy".
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import type { HealthAnswer } from "../../src/http/admin/contract/answers.ts";
import { type Harness, startHarness } from "../helpers/gateway-harness.ts";

let h: Harness;
let cookie = "";
const ADMIN_PASSWORD = "correct staple horse battery";
const DOWN = "a/down?fault=status&status=503";

const health = async (query = "") => {
  const response = await fetch(`${h.url}/api/health${query}`, { headers: { "x-smartroute-request": "1", cookie } });
  return { status: response.status, json: (await response.json()) as HealthAnswer & { error?: { message: string } } };
};

beforeAll(async () => {
  h = await startHarness({
    adminPassword: ADMIN_PASSWORD,
    config: () => `  tiers: { t1: { models: ["${DOWN}", "b/rescue"] }, t2: { models: ["b/idle"] } },`,
  });
  const login = await fetch(`${h.url}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-smartroute-request": "1" },
    body: JSON.stringify({ username: "admin", password: ADMIN_PASSWORD }),
  });
  cookie = login.headers.get("set-cookie")!.split(";")[0];
  for (let i = 0; i < 8; i++) {
    const answer = await h.client.chat.completions.create({ model: "t1", messages: [{ role: "user", content: "hi" }] });
    expect(answer.choices[0].message.content).toBeTruthy();
  }
  // The log writer lands rows a few milliseconds later, off the request path: wait until all 8 are counted.
  for (let i = 0; i < 200; i++) {
    const rescue = (await health()).json.targets.find((t) => t.target === "b/rescue");
    if (rescue?.window?.totals.answered === 8) break;
    await Bun.sleep(25);
  }
}, 30_000);
afterAll(() => h.stop());

test("the failing model carries its failures and failovers; the rescuer its answers", async () => {
  const { status, json } = await health("?window=15m");
  expect(status).toBe(200);
  expect(json.window).toMatchObject({ key: "15m", bucketMs: 60_000 });
  expect(json.window!.to - json.window!.from).toBe(15 * 60_000);
  const down = json.targets.find((t) => t.target === DOWN)!;
  const rescue = json.targets.find((t) => t.target === "b/rescue")!;
  // Three requests tried it twice each (a 503 is retried once, then failed over) before its circuit opened.
  expect(down.window!.totals).toMatchObject({
    attempts: 6,
    failures: 6,
    errorRate: 1,
    retries: 3,
    failovers: 3,
    answered: 0,
  });
  expect(rescue.window!.totals).toMatchObject({ attempts: 8, failures: 0, errorRate: 0, answered: 8, failovers: 0 });
  expect(rescue.window!.totals.latencyMs.p50).toBeGreaterThan(0);
  // One point per minute of the window; the attempts are in the last ones.
  expect(down.window!.series).toHaveLength(15);
  expect(down.window!.series.reduce((n, p) => n + p.attempts, 0)).toBe(down.window!.totals.attempts);
  // Failures in a row opened the circuit: on the timeline, and the verdict says so.
  expect(down.transitions.map((t) => t.state)).toEqual(["open"]);
  expect(down.verdict).toMatchObject({ level: "bad", label: "failing" });
  expect(rescue.verdict).toMatchObject({ level: "ok", label: "healthy" });
  expect(rescue.transitions).toEqual([]);
  const idle = json.targets.find((t) => t.target === "b/idle")!;
  expect(idle.window!.totals.attempts).toBe(0);
  expect(idle.verdict.label).toBe("no traffic");
});

test("the default window is the last hour in 5-minute buckets, the last day in hours; another window is refused", async () => {
  const hour = (await health()).json;
  expect(hour.window).toMatchObject({ key: "1h", bucketMs: 300_000 });
  expect(hour.targets.find((t) => t.target === "b/rescue")!.window!.series).toHaveLength(12);
  const day = (await health("?window=24h")).json;
  expect(day.targets.find((t) => t.target === "b/rescue")!.window!.totals.answered).toBe(8);
  const refused = await health("?window=2d");
  expect(refused.status).toBe(400);
  expect(JSON.stringify(refused.json)).toContain('window must be \\"15m\\", \\"1h\\" or \\"24h\\"');
});
