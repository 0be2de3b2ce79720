/** visionBridge and selfHealingParams through an in-memory gateway (createGateway: the server's own app). */
import { afterAll, describe, expect, test } from "bun:test";
import { fixFor } from "../../../plugins/adapters/self-healing-params.ts";
import { scripted, selfHealingParams, visionBridge } from "../../../plugins/index.ts";
import { createGateway, definePlugin, type Provider } from "../../../src/index.ts";

const healing = selfHealingParams();
/** Bodies the picky upstream received: the test's own state, no globals. */
const pickySeen: Record<string, unknown>[] = [];
/** An upstream with the quirks of a reasoning model: no temperature, no max_tokens. */
const picky: Provider = definePlugin({
  name: "test:picky",
  kind: "provider",
  mode: "simulated",
  buildRequest: (body) => ({ url: "picky://", headers: {}, body: JSON.stringify(body) }),
  async send(request) {
    const body = JSON.parse(request.body);
    pickySeen.push(body);
    if (body.temperature !== undefined)
      return Response.json(
        {
          error: {
            message:
              "Unsupported value: 'temperature' does not support 0.2 with this model. Only the default (1) value is supported.",
            type: "invalid_request_error",
            param: "temperature",
            code: "unsupported_value",
          },
        },
        { status: 400 },
      );
    if (body.max_tokens !== undefined)
      return Response.json(
        {
          error: {
            message:
              "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
            type: "invalid_request_error",
            param: "max_tokens",
            code: "unsupported_parameter",
          },
        },
        { status: 400 },
      );
    return Response.json({
      id: "p",
      object: "chat.completion",
      created: 1,
      model: "picky",
      choices: [{ index: 0, message: { role: "assistant", content: "fine" }, finish_reason: "stop" }],
    });
  },
});
const a = scripted([{ text: "ok" }]);
const eyes = scripted({ "eye-down": [{ status: 500 }], eye: [{ text: "a red square" }] });

const gateway = createGateway({
  config: {
    providers: { a, b: eyes, p: picky },
    tiers: {
      blind: { models: [{ model: "a/textonly", vision: false }] },
      sees: { models: ["a/seeing"] },
      reasoning: { models: ["p/o9"] },
    },
    adapters: [visionBridge({ models: ["b/eye-down", "b/eye"] })],
    plugins: [healing],
  },
});
afterAll(() => gateway.close());

async function chat(
  body: Record<string, unknown>,
): Promise<{ data: { choices: { message: { content: string } }[] }; response: Response }> {
  const response = await gateway.handle(
    new Request("http://gateway/v1/chat/completions", { method: "POST", body: JSON.stringify(body) }),
  );
  return { data: (await response.clone().json()) as { choices: { message: { content: string } }[] }, response };
}

const IMAGE =
  "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";
const withImage = (model: string) =>
  chat({
    model,
    messages: [
      {
        role: "user",
        content: [
          { type: "text", text: "What is this?" },
          { type: "image_url", image_url: { url: IMAGE } },
        ],
      },
    ],
  });
const lastBody = (model: string) =>
  a.calls.filter((c) => c.model === model).at(-1)!.body as { messages: { content: unknown }[] };

describe("visionBridge", () => {
  test("a model without vision gets the image as a description from a vision model", async () => {
    await withImage("blind");
    expect(lastBody("textonly").messages[0].content).toBe("What is this?\n\n[Image: a red square]");
    const sent = eyes.calls.find((c) => c.model === "eye")!.body as { messages: { content: { type: string }[] }[] };
    expect(sent.messages[0].content.map((p) => p.type)).toEqual(["text", "image_url"]);
  });

  test("descriptions are cached by image: the same image is not described twice", async () => {
    const before = eyes.seen("eye");
    await withImage("blind");
    expect(eyes.seen("eye")).toBe(before);
  });

  test("a model that can see gets the image itself, and no vision call is made", async () => {
    const before = eyes.seen("eye") + eyes.seen("eye-down");
    await withImage("sees");
    expect((lastBody("seeing").messages[0].content as { type: string }[]).map((p) => p.type)).toEqual([
      "text",
      "image_url",
    ]);
    expect(eyes.seen("eye") + eyes.seen("eye-down")).toBe(before);
  });
});

describe("selfHealingParams", () => {
  test("an unsupported temperature and max_tokens are fixed and the same target retried, then remembered", async () => {
    const seen = () => pickySeen;
    const { data, response } = await chat({
      model: "reasoning",
      messages: [{ role: "user", content: "x" }],
      temperature: 0.2,
      max_tokens: 50,
    });
    expect(data.choices[0].message.content).toBe("fine");
    expect(response.headers.get("x-gateway-attempts")).toBe("3");
    expect(seen().at(-1)).toMatchObject({ max_completion_tokens: 50 });
    expect("temperature" in seen().at(-1)!).toBe(false);
    // The next request gets both fixes before it is sent: one attempt.
    const again = await chat({
      model: "reasoning",
      messages: [{ role: "user", content: "y" }],
      temperature: 0.2,
      max_tokens: 50,
    });
    expect(again.response.headers.get("x-gateway-attempts")).toBe("1");
    const suggestions = healing.suggestions();
    expect(suggestions.map((s) => s.config)).toEqual([
      'modelParams({ models: { "p/o9": { temperature: null } } })',
      expect.stringContaining("max_completion_tokens: b.max_tokens"),
    ]);
  });

  test("fixFor reads the common forms of a parameter error", () => {
    const outcome = (errorText: string, errorParam?: string) => ({
      ok: false,
      status: 400,
      headers: new Headers(),
      errorText,
      errorParam,
      timings: { totalMs: 1 },
    });
    expect(fixFor(outcome("Unrecognized request argument supplied: foo"), { foo: 1 })).toEqual({ remove: "foo" });
    expect(fixFor(outcome("top_p must be 0.95 for this model"), { top_p: 0.5 })).toEqual({ remove: "top_p" });
    expect(fixFor(outcome("Extra inputs are not permitted", "seed"), { seed: 1 })).toEqual({ remove: "seed" });
    expect(fixFor(outcome("This model's maximum context length is 8192 tokens"), { temperature: 1 })).toBeUndefined();
    expect(fixFor(outcome("Unknown parameter: 'messages'"), { messages: [] })).toBeUndefined();
  });
});
