/**
 * A client that leaves is logged as such: status 499 and error class `client_closed`, before the answer
 * (non-stream) and during a stream, not as a bad request of its own. Real HTTP through the gateway.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { listLogs } from "../../src/store/queries/logs.ts";
import { type Harness, startHarness } from "../helpers/gateway-harness.ts";
import { logSettled } from "../helpers/request-log.ts";

let h: Harness;

beforeAll(async () => {
  h = await startHarness({
    config: () => `
  tiers: { hang: { models: ["a/hang?fault=hang"] }, slow: { models: ["a/slow?tokens=200&chunkDelayMs=20"] } },`,
  });
});
afterAll(() => h.stop());

/** The logged row of the only request of `tier`, once it is written. */
async function rowOf(tier: string) {
  for (let i = 0; i < 200; i++) {
    await logSettled(h);
    const [row] = listLogs(h.running.gateway.store!, { tier }).items;
    if (row) return row;
    await Bun.sleep(10);
  }
  throw new Error(`no row for tier ${tier}`);
}

test("a client that leaves before the answer is logged 499 client_closed", async () => {
  const controller = new AbortController();
  const sent = fetch(`${h.url}/v1/chat/completions`, {
    method: "POST",
    body: JSON.stringify({ model: "hang", messages: [{ role: "user", content: "x" }] }),
    signal: controller.signal,
  }).catch(() => undefined);
  for (let i = 0; i < 200 && h.seen("hang?fault=hang") === 0; i++) await Bun.sleep(5);
  controller.abort();
  await sent;
  expect(await rowOf("hang")).toMatchObject({ status: 499, errorClass: "client_closed" });
});

test("a client that leaves during a stream is logged 499 client_closed", async () => {
  const controller = new AbortController();
  const response = await fetch(`${h.url}/v1/chat/completions`, {
    method: "POST",
    body: JSON.stringify({ model: "slow", stream: true, messages: [{ role: "user", content: "x" }] }),
    signal: controller.signal,
  });
  const reader = response.body!.getReader();
  await reader.read();
  controller.abort();
  await reader.read().catch(() => undefined);
  expect(await rowOf("slow")).toMatchObject({ status: 499, errorClass: "client_closed" });
});
