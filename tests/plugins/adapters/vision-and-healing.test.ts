/** visionBridge and selfHealingParams through a real gateway. */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startHarness, ROOT, type Harness } from "../../helpers/gateway-harness.ts";
import { fixFor } from "../../../plugins/adapters/self-healing-params.ts";

let h: Harness;
const imports = `import { definePlugin, type Provider } from "${ROOT}/src/index.ts";
import { visionBridge, selfHealingParams } from "${ROOT}/plugins/index.ts";
const healing = selfHealingParams();
(globalThis as any).__healing = healing;
/** An upstream with the quirks of a reasoning model: no temperature, no max_tokens. */
const picky: Provider = definePlugin({
  name: "test:picky", kind: "provider", mode: "simulated",
  buildRequest: (body) => ({ url: "picky://", headers: {}, body: JSON.stringify(body) }),
  async send(request) {
    const body = JSON.parse(request.body);
    (globalThis as any).__pickySeen = [...((globalThis as any).__pickySeen ?? []), body];
    if (body.temperature !== undefined) return Response.json({ error: { message: "Unsupported value: 'temperature' does not support 0.2 with this model. Only the default (1) value is supported.", type: "invalid_request_error", param: "temperature", code: "unsupported_value" } }, { status: 400 });
    if (body.max_tokens !== undefined) return Response.json({ error: { message: "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.", type: "invalid_request_error", param: "max_tokens", code: "unsupported_parameter" } }, { status: 400 });
    return Response.json({ id: "p", object: "chat.completion", created: 1, model: "picky", choices: [{ index: 0, message: { role: "assistant", content: "fine" }, finish_reason: "stop" }] });
  },
});`;

beforeAll(async () => {
  h = await startHarness({
    imports,
    providers: "p: picky,",
    config: () => `
  tiers: {
    blind: { models: [{ model: "a/textonly", vision: false }] },
    sees: { models: ["a/seeing"] },
    reasoning: { models: ["p/o9"] },
  },
  adapters: [visionBridge({ models: ["b/eye-down?fault=status&status=500", "b/eye?text=a+red+square"] })],
  plugins: [healing],`,
  });
});
afterAll(() => h.stop());

const IMAGE = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";
const withImage = (model: string) =>
  h.client.chat.completions.create({ model, messages: [{ role: "user", content: [{ type: "text", text: "What is this?" }, { type: "image_url", image_url: { url: IMAGE } }] }] });
const lastBody = (model: string) => h.mock.stats.bodies[model]?.at(-1) as { messages: { content: unknown }[] };

describe("visionBridge", () => {
  test("a model without vision gets the image as a description from a vision model", async () => {
    await withImage("blind");
    expect(lastBody("textonly").messages[0].content).toBe("What is this?\n\n[Image: a red square]");
    const sent = h.mock.stats.bodies["eye?text=a+red+square"]![0] as { messages: { content: { type: string }[] }[] };
    expect(sent.messages[0].content.map((p) => p.type)).toEqual(["text", "image_url"]);
  });

  test("descriptions are cached by image: the same image is not described twice", async () => {
    const before = h.seen("eye?text=a+red+square");
    await withImage("blind");
    expect(h.seen("eye?text=a+red+square")).toBe(before);
  });

  test("a model that can see gets the image itself, and no vision call is made", async () => {
    const before = h.seen("eye?text=a+red+square") + h.seen("eye-down?fault=status&status=500");
    await withImage("sees");
    expect((lastBody("seeing").messages[0].content as { type: string }[]).map((p) => p.type)).toEqual(["text", "image_url"]);
    expect(h.seen("eye?text=a+red+square") + h.seen("eye-down?fault=status&status=500")).toBe(before);
  });
});

describe("selfHealingParams", () => {
  test("an unsupported temperature and max_tokens are fixed and the same target retried, then remembered", async () => {
    const seen = () => ((globalThis as Record<string, unknown>).__pickySeen as Record<string, unknown>[]) ?? [];
    const { data, response } = await h.client.chat.completions.create({ model: "reasoning", messages: [{ role: "user", content: "x" }], temperature: 0.2, max_tokens: 50 }).withResponse();
    expect(data.choices[0].message.content).toBe("fine");
    expect(response.headers.get("x-gateway-attempts")).toBe("3");
    expect(seen().at(-1)).toMatchObject({ max_completion_tokens: 50 });
    expect("temperature" in seen().at(-1)!).toBe(false);
    // The next request gets both fixes before it is sent: one attempt.
    const again = await h.client.chat.completions.create({ model: "reasoning", messages: [{ role: "user", content: "y" }], temperature: 0.2, max_tokens: 50 }).withResponse();
    expect(again.response.headers.get("x-gateway-attempts")).toBe("1");
    const suggestions = ((globalThis as Record<string, unknown>).__healing as { suggestions(): { target: string; config: string }[] }).suggestions();
    expect(suggestions.map((s) => s.config)).toEqual([
      'modelParams({ models: { "p/o9": { temperature: null } } })',
      expect.stringContaining("max_completion_tokens: b.max_tokens"),
    ]);
  });

  test("fixFor reads the common forms of a parameter error", () => {
    const outcome = (errorText: string, errorParam?: string) => ({ ok: false, status: 400, headers: new Headers(), errorText, errorParam, timings: { totalMs: 1 } });
    expect(fixFor(outcome("Unrecognized request argument supplied: foo"), { foo: 1 })).toEqual({ remove: "foo" });
    expect(fixFor(outcome("top_p must be 0.95 for this model"), { top_p: 0.5 })).toEqual({ remove: "top_p" });
    expect(fixFor(outcome("Extra inputs are not permitted", "seed"), { seed: 1 })).toEqual({ remove: "seed" });
    expect(fixFor(outcome("This model's maximum context length is 8192 tokens"), { temperature: 1 })).toBeUndefined();
    expect(fixFor(outcome("Unknown parameter: 'messages'"), { messages: [] })).toBeUndefined();
  });
});
