/**
 * `POST /v1/messages/count_tokens`, answered locally (Claude Code asks on every turn): the request is
 * translated as for `/v1/messages`, and its text counted with the tokenizer of the model it would go to
 * first, where that family has a published one (OpenAI's o200k and cl100k, `gpt-tokenizer`), else
 * estimated (about four characters a token, one per CJK character). No upstream is called.
 */

import type { ResolvedConfig } from "../../config/types.ts";
import { chooseRoute } from "../../pipeline/route.ts";
import type { ChatMessage } from "../../plugin/types.ts";
import { estimateTokens } from "../../store/estimate-tokens.ts";
import type { Obj } from "../door.ts";
import { messagesToChat } from "./request.ts";

/** What an image costs when its size is not known: Anthropic bills about (width × height) / 750. */
const IMAGE_TOKENS = 1_600;
/** Each message's framing (role and separators), as the chat formats count it. */
const PER_MESSAGE = 3;

export interface TokenCount {
  input_tokens: number;
  /** How it was counted: a tokenizer's name, or "estimate". */
  counter: string;
}

type Count = (text: string) => number;

/**
 * A tokenizer's count function, imported on first use and kept: each one's ranks take 40–70 MB, which a
 * gateway whose clients never ask for a count should not carry.
 */
const tokenizers = new Map<string, Promise<Count>>();
function tokenizer(name: "o200k_base" | "cl100k_base"): Promise<Count> {
  let loading = tokenizers.get(name);
  if (!loading) {
    loading =
      name === "o200k_base"
        ? import("gpt-tokenizer/encoding/o200k_base").then((m) => m.countTokens as Count)
        : import("gpt-tokenizer/encoding/cl100k_base").then((m) => m.countTokens as Count);
    tokenizers.set(name, loading);
  }
  return loading;
}

/** The counter for a model name: its family's tokenizer, or the estimate. */
async function counterFor(model: string): Promise<{ name: string; count: Count }> {
  const bare = model.split("/").pop() ?? model;
  if (/^(gpt-4o|gpt-4\.1|gpt-4\.5|gpt-5|o[1-9]|chatgpt-|codex-)/.test(bare))
    return { name: "o200k_base", count: await tokenizer("o200k_base") };
  if (/^gpt-(4|3\.5)/.test(bare)) return { name: "cl100k_base", count: await tokenizer("cl100k_base") };
  return { name: "estimate", count: estimateTokens };
}

/** The model a request for `model` would try first: pinned, its tier's first, or the default tier's. */
function firstModel(model: string, config: ResolvedConfig): string {
  const route = chooseRoute(model, config);
  if (route.kind === "model") return route.target.model;
  const tier = config.tiers[route.kind === "tier" ? route.tier : config.routing.defaultTier];
  return tier?.targets[0]?.model ?? model;
}

function messageText(message: ChatMessage): { text: string; images: number } {
  let text = message.role;
  let images = 0;
  if (typeof message.content === "string") text += message.content;
  else if (Array.isArray(message.content))
    for (const part of message.content as Obj[]) {
      if (part.type === "text" && typeof part.text === "string") text += part.text;
      else images += 1;
    }
  if (message.tool_calls) text += JSON.stringify(message.tool_calls);
  return { text, images };
}

export async function countMessageTokens(body: Obj, config: ResolvedConfig): Promise<TokenCount> {
  const { chat } = messagesToChat({ ...body, max_tokens: typeof body.max_tokens === "number" ? body.max_tokens : 1 });
  const counter = await counterFor(firstModel(chat.model, config));
  let tokens = 0;
  for (const message of chat.messages) {
    const { text, images } = messageText(message);
    tokens += counter.count(text) + images * IMAGE_TOKENS + PER_MESSAGE;
  }
  if (chat.tools) tokens += counter.count(JSON.stringify(chat.tools));
  return { input_tokens: tokens + PER_MESSAGE, counter: counter.name };
}
