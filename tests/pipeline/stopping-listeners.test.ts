/**
 * Every attempt listens to the gateway's stop signal (`AttemptSetup.stopping`) so that a stop ends its
 * upstream call; that signal lives as long as the gateway, so an attempt that did not take its listener
 * off again would leak it (and what it holds) forever. After answers, failovers, failed streams, cut
 * streams and clients that left, no listener is left.
 */

import { afterAll, beforeAll, expect, test } from "bun:test";
import { getEventListeners } from "node:events";
import { type Harness, startHarness } from "../helpers/gateway-harness.ts";

let h: Harness;

beforeAll(async () => {
  h = await startHarness({
    config: () => `
  tiers: {
    ok: { models: ["a/m"] },
    failover: { models: ["a/down?fault=status&status=503", "a/m"] },
    cut: { models: ["a/cut?fault=cut&afterChunks=2"] },
    slow: { models: ["a/slow?tokens=200&chunkDelayMs=20"] },
  },`,
  });
});
afterAll(() => h.stop());

const send = (model: string, stream: boolean, signal?: AbortSignal) =>
  fetch(`${h.url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model, stream, messages: [{ role: "user", content: "x" }] }),
    signal,
  });

test("no attempt leaves a listener on the gateway's stop signal", async () => {
  const stopping = h.running.gateway.pipeline.deps.stopping as AbortSignal;
  for (const model of ["ok", "failover", "cut"])
    for (const stream of [false, true]) await (await send(model, stream)).text();
  // A client that leaves mid-stream.
  const controller = new AbortController();
  const response = await send("slow", true, controller.signal);
  const reader = response.body!.getReader();
  await reader.read();
  controller.abort();
  await reader.read().catch(() => undefined);
  for (let i = 0; i < 200 && getEventListeners(stopping, "abort").length > 0; i++) await Bun.sleep(5);
  expect(getEventListeners(stopping, "abort")).toHaveLength(0);
});

test("a stop still ends a held stream", async () => {
  const response = await send("slow", true);
  const reader = response.body!.getReader();
  await reader.read();
  h.running.gateway.endInFlight("the gateway is shutting down");
  let text = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    text += new TextDecoder().decode(value);
  }
  expect(text).toContain("shutting down");
  expect(text).not.toContain("[DONE]");
});
