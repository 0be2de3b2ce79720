import {
  type ChatRequest,
  definePlugin,
  type EmbeddingsRequest,
  latestUserText,
  type Provider,
  type Static,
  Type,
} from "../../src/index.ts";

const Options = Type.Object(
  {
    latencyMs: Type.Optional(Type.Number({ minimum: 0, description: "delay before the answer starts (default 300)" })),
    tokensPerSecond: Type.Optional(Type.Number({ minimum: 1, description: "streaming speed (default 40)" })),
    failureRate: Type.Optional(
      Type.Number({
        minimum: 0,
        maximum: 1,
        description: "share of requests answered 503, to watch failover (default 0)",
      }),
    ),
  },
  { additionalProperties: false },
);
export type SimulatedOptions = Static<typeof Options> & { random?: () => number };

const encoder = new TextEncoder();

function replyFor(body: ChatRequest, model: string): string[] {
  const asked = latestUserText(body.messages).replace(/\s+/g, " ").trim().slice(0, 80);
  const text = `This is a simulated answer from ${model}. You asked: "${asked}". Add an API key for a real provider in your environment (for example OPENAI_API_KEY) to get real answers.`;
  return text.split(/(?<= )/);
}

function usageOf(body: ChatRequest, pieces: string[]) {
  const prompt = Math.ceil(JSON.stringify(body.messages).length / 4);
  return { prompt_tokens: prompt, completion_tokens: pieces.length, total_tokens: prompt + pieces.length };
}

/** Deterministic vectors (8 numbers, or `dimensions`) from each input's text: equal texts embed equally. */
function simulatedEmbeddings(body: EmbeddingsRequest): Response {
  const inputs = Array.isArray(body.input) && typeof body.input[0] !== "number" ? body.input : [body.input];
  const texts = inputs.map((input) => (typeof input === "string" ? input : JSON.stringify(input)));
  const size = body.dimensions ?? 8;
  const data = texts.map((text, index) => {
    let h = 2166136261;
    const embedding = Array.from({ length: size }, (_, d) => {
      for (let i = 0; i < text.length; i++) h = Math.imul(h ^ (text.charCodeAt(i) + d), 16777619);
      return ((h >>> 0) / 2 ** 32) * 2 - 1;
    });
    return { object: "embedding", index, embedding };
  });
  const tokens = texts.reduce((sum, text) => sum + Math.max(1, Math.ceil(text.length / 4)), 0);
  return Response.json({
    object: "list",
    data,
    model: body.model,
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  });
}

/**
 * A local stand-in model for demos and offline development: answers after `latencyMs`, streams at
 * `tokensPerSecond`, and fails a `failureRate` share of requests with a 503 so failover can be watched.
 */
export function simulated(options: SimulatedOptions = {}): Provider<SimulatedOptions> {
  const latencyMs = options.latencyMs ?? 300;
  const tokenGap = 1000 / (options.tokensPerSecond ?? 40);
  const random = options.random ?? Math.random;
  let counter = 0;
  return definePlugin({
    name: "builtin:simulated",
    kind: "provider",
    mode: "simulated",
    options,
    schema: Options,
    buildRequest(body, target) {
      return {
        url: `simulated://${target.model}`,
        headers: {},
        body: JSON.stringify({ ...body, model: target.model }),
      };
    },
    buildEmbeddingsRequest(body, target) {
      return {
        url: `simulated://${target.model}/embeddings`,
        headers: {},
        body: JSON.stringify({ ...body, model: target.model }),
      };
    },
    async send(request, signal, { clock }) {
      // The gateway's clock: virtual time in tests moves the latency and the token pace too.
      const sleep = (ms: number, on: AbortSignal) => clock.sleep(ms, on);
      const body = JSON.parse(request.body) as ChatRequest;
      await sleep(latencyMs, signal);
      if (request.url.endsWith("/embeddings")) return simulatedEmbeddings(body as unknown as EmbeddingsRequest);
      if (random() < (options.failureRate ?? 0)) {
        return Response.json(
          { error: { message: "simulated outage", type: "server_error", code: "simulated_failure" } },
          { status: 503 },
        );
      }
      const id = `chatcmpl-sim-${Math.floor(clock.now()).toString(36)}-${++counter}`;
      const created = Math.floor(clock.now() / 1000);
      const pieces = replyFor(body, body.model);
      if (!body.stream) {
        const message = { role: "assistant", content: pieces.join("") };
        return Response.json({
          id,
          object: "chat.completion",
          created,
          model: body.model,
          choices: [{ index: 0, message, finish_reason: "stop" }],
          usage: usageOf(body, pieces),
        });
      }
      const chunk = (delta: object, finish: string | null) =>
        encoder.encode(
          `data: ${JSON.stringify({ id, object: "chat.completion.chunk", created, model: body.model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`,
        );
      const wantsUsage = (body.stream_options as { include_usage?: boolean } | undefined)?.include_usage === true;
      const stream = new ReadableStream<Uint8Array>({
        async start(controller) {
          try {
            controller.enqueue(chunk({ role: "assistant", content: "" }, null));
            for (const piece of pieces) {
              await sleep(tokenGap, signal);
              controller.enqueue(chunk({ content: piece }, null));
            }
            controller.enqueue(chunk({}, "stop"));
            if (wantsUsage)
              controller.enqueue(
                encoder.encode(
                  `data: ${JSON.stringify({ id, object: "chat.completion.chunk", created, model: body.model, choices: [], usage: usageOf(body, pieces) })}\n\n`,
                ),
              );
            controller.enqueue(encoder.encode("data: [DONE]\n\n"));
            controller.close();
          } catch (error) {
            // Aborted: the gateway cancelled the call (client gone, a budget ran out), and then this is a
            // no-op; or it is stopping, and the relay must see a cut stream, not one that went quiet.
            controller.error(error);
          }
        },
      });
      return new Response(stream, { headers: { "content-type": "text/event-stream" } });
    },
  });
}
