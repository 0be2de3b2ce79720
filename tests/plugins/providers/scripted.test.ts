/** The scripted test upstream, driven directly (its `send`) on a virtual clock. */
import { describe, expect, test } from "bun:test";
import { type ScriptStep, scripted } from "../../../plugins/index.ts";
import { type Provider, type Target, VirtualClock } from "../../../src/index.ts";

const target = (model: string): Target => ({
  ref: `s/${model}`,
  provider: "s",
  model,
  weight: 1,
  vision: true,
  prefill: false,
});

async function call(
  provider: Provider,
  clock: VirtualClock,
  options: { model?: string; stream?: boolean; signal?: AbortSignal } = {},
) {
  const request = provider.buildRequest(
    { model: "x", messages: [{ role: "user", content: "hi" }], stream: options.stream },
    target(options.model ?? "m"),
  );
  return clock.run(provider.send!(request, options.signal ?? new AbortController().signal, { clock }));
}

describe("scripted", () => {
  test("each call takes the next step, and the last one repeats", async () => {
    const clock = new VirtualClock();
    const up = scripted([{ status: 503 }, { text: "fine" }]);
    expect((await call(up, clock)).status).toBe(503);
    for (let i = 0; i < 2; i++) {
      const body = (await (await call(up, clock)).json()) as { choices: { message: { content: string } }[] };
      expect(body.choices[0].message.content).toBe("fine");
    }
    expect(up.seen()).toBe(3);
  });

  test("scripts per model, each with its own position", async () => {
    const clock = new VirtualClock();
    const up = scripted({ a: [{ status: 500 }], b: [{ status: 401 }, { status: 200 }] });
    expect((await call(up, clock, { model: "b" })).status).toBe(401);
    expect((await call(up, clock, { model: "a" })).status).toBe(500);
    expect((await call(up, clock, { model: "b" })).status).toBe(200);
    expect(up.seen("b")).toBe(2);
  });

  test("an error status carries an OpenAI error body with the given fields and headers", async () => {
    const clock = new VirtualClock();
    const up = scripted([{ status: 429, headers: { "retry-after-ms": "40" }, error: { code: "rate_limited" } }]);
    const response = await call(up, clock);
    expect(response.headers.get("retry-after-ms")).toBe("40");
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("rate_limited");
  });

  test("delays and stream gaps pass in virtual time", async () => {
    const clock = new VirtualClock(0);
    const up = scripted([{ delayMs: 100, stream: ["Hel", "lo"], gapsMs: [0, 50] }]);
    const response = await call(up, clock, { stream: true });
    expect(clock.now()).toBe(100);
    const text = await clock.run(response.text());
    expect(clock.now()).toBe(150);
    expect(text.match(/"content":"(Hel|lo)"/g)).toEqual(['"content":"Hel"', '"content":"lo"']);
    expect(text).toContain('"finish_reason":"stop"');
    expect(text.trimEnd().endsWith("data: [DONE]")).toBe(true);
    expect(up.calls[0].ended).toBe("complete");
  });

  test("stream ends: without [DONE], without a finish reason, cut", async () => {
    const clock = new VirtualClock();
    const run = async (step: ScriptStep) => clock.run((await call(scripted([step]), clock, { stream: true })).text());
    const noDone = await run({ stream: ["a"], end: "noDone" });
    expect(noDone).toContain("finish_reason");
    expect(noDone).not.toContain("[DONE]");
    expect(await run({ stream: ["a"], end: "eof" })).not.toContain(`"finish_reason":"stop"`);
    await expect(run({ stream: ["a"], end: "cut" })).rejects.toThrow("connection cut");
  });

  test("a reset rejects like a failed fetch; a hang ends only when the call is aborted", async () => {
    const clock = new VirtualClock();
    await expect(call(scripted([{ reset: true }]), clock)).rejects.toThrow("connection reset");
    const up = scripted([{ hang: true }]);
    const controller = new AbortController();
    clock.setTimer(1_000, () => controller.abort(new Error("gave up")));
    await expect(call(up, clock, { signal: controller.signal })).rejects.toThrow("gave up");
    expect(up.calls[0].ended).toBe("aborted");
  });
});
