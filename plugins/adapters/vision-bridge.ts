import {
  type ChatMessage,
  definePlugin,
  type ParamAdapter,
  type RequestContext,
  type Static,
  Type,
} from "../../src/index.ts";

const Options = Type.Object(
  {
    models: Type.Array(Type.String({ minLength: 1 }), {
      minItems: 1,
      description: "vision models (provider/model) that describe images, tried healthiest first",
    }),
    prompt: Type.Optional(Type.String({ description: "what the vision model is asked for each image" })),
    cacheTtlMs: Type.Optional(
      Type.Number({ minimum: 0, description: "how long a description is reused (default 86 400 000: a day)" }),
    ),
    maxEntries: Type.Optional(Type.Integer({ minimum: 1, description: "descriptions kept at most (default 1 000)" })),
    concurrency: Type.Optional(
      Type.Integer({ minimum: 1, description: "images described at once per request (default 4)" }),
    ),
    timeoutMs: Type.Optional(
      Type.Number({ minimum: 1, description: "budget of one description call (default 30 000)" }),
    ),
  },
  { additionalProperties: false },
);
export type VisionBridgeOptions = Static<typeof Options>;

const DEFAULT_PROMPT =
  "Describe this image in detail for someone who cannot see it: every text it contains verbatim, the objects, people, layout, charts and numbers. Answer in the language of any text in the image, else in English.";

interface ImagePart {
  url: string;
}

function imageUrl(part: unknown): string | undefined {
  if (!part || typeof part !== "object") return undefined;
  const p = part as { type?: unknown; image_url?: unknown; url?: unknown };
  if (p.type !== "image_url" && p.type !== "image") return undefined;
  if (typeof p.image_url === "string") return p.image_url;
  if (p.image_url && typeof (p.image_url as { url?: unknown }).url === "string")
    return (p.image_url as { url: string }).url;
  return typeof p.url === "string" ? p.url : undefined;
}

function imagesOf(messages: ChatMessage[]): ImagePart[] {
  const found: ImagePart[] = [];
  for (const message of messages)
    if (Array.isArray(message.content))
      for (const part of message.content) {
        const url = imageUrl(part);
        if (url) found.push({ url });
      }
  return found;
}

async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Runs `tasks` with at most `limit` at a time. */
async function limited<T>(tasks: (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}

/**
 * Lets models without vision answer requests with images: for a target whose model entry says
 * `vision: false`, each image is described by a vision model (the healthiest of `models` first, the
 * next on failure) and replaced by that text. Descriptions are cached by a hash of the image (never the
 * image itself), identical images in flight are described once, images of one request in parallel, and
 * nothing happens for targets that can see.
 */
export function visionBridge(options: VisionBridgeOptions): ParamAdapter<VisionBridgeOptions> {
  const ttl = options.cacheTtlMs ?? 86_400_000;
  const maxEntries = options.maxEntries ?? 1_000;
  const cache = new Map<string, { text: string; at: number }>();
  const inFlight = new Map<string, Promise<string>>();

  const describeOnce = async (url: string, ctx: RequestContext): Promise<string> => {
    const order = [...options.models].sort((a, b) => ctx.health(b).score - ctx.health(a).score);
    for (const model of order) {
      try {
        const answer = await ctx.complete(
          {
            model,
            messages: [
              {
                role: "user",
                content: [
                  { type: "text", text: options.prompt ?? DEFAULT_PROMPT },
                  { type: "image_url", image_url: { url } },
                ],
              },
            ],
            max_tokens: 1024,
          },
          { timeoutMs: options.timeoutMs ?? 30_000 },
        );
        if (answer.text.trim()) return answer.text.trim();
      } catch (error) {
        ctx.log.warn(`vision bridge: ${model} could not describe an image`, {
          error: error instanceof Error ? error.message : String(error),
        });
      }
    }
    throw new Error("no vision model could describe the image");
  };

  const describe = async (url: string, ctx: RequestContext): Promise<string> => {
    const key = await sha256(url);
    const now = ctx.clock.now();
    const hit = cache.get(key);
    if (hit && now - hit.at < ttl) return hit.text;
    let pending = inFlight.get(key);
    if (!pending) {
      pending = describeOnce(url, ctx).finally(() => inFlight.delete(key));
      inFlight.set(key, pending);
    }
    try {
      const text = await pending;
      cache.delete(key);
      cache.set(key, { text, at: now });
      if (cache.size > maxEntries) cache.delete(cache.keys().next().value!);
      return text;
    } catch {
      return "(the image could not be described)";
    }
  };

  return definePlugin({
    name: "builtin:vision-bridge",
    options,
    schema: Options,
    async adapt(body, attempt) {
      if (attempt.target.vision) return undefined;
      const images = imagesOf(body.messages);
      if (images.length === 0) return undefined;
      const unique = [...new Set(images.map((i) => i.url))];
      const texts = await limited(
        unique.map((url) => () => describe(url, attempt.request)),
        options.concurrency ?? 4,
      );
      const described = new Map(unique.map((url, i) => [url, texts[i]]));
      const messages = body.messages.map((message) => {
        if (!Array.isArray(message.content) || !message.content.some((part) => imageUrl(part))) return message;
        const parts = message.content.map((part) => {
          const url = imageUrl(part);
          if (url) return `[Image: ${described.get(url)}]`;
          const text =
            (part as { type?: unknown; text?: unknown }).type === "text"
              ? (part as { text?: unknown }).text
              : undefined;
          return typeof text === "string" ? text : "";
        });
        return { ...message, content: parts.filter((p) => p !== "").join("\n\n") };
      });
      return { messages };
    },
  });
}
