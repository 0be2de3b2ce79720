/**
 * Request-shape evidence: what the request carries besides its words. Tools offered, a tool result as
 * the last message, reasoning effort or thinking asked for, images, and the size of the whole context
 * are each evidence of the work asked (an agent loop, a client that already knows the task is hard),
 * measured on the full body (`ctx.body`) because the classifier view is bounded.
 */
import type { ChatMessage, ChatRequest } from "../../../src/index.ts";

export const SHAPE_NAMES = [
  "toolsOffered",
  "toolCount",
  "lastIsTool",
  "toolMessages",
  "toolCalls",
  "effortLow",
  "effortMedium",
  "effortHigh",
  "thinking",
  "images",
  "contextSize",
  "userTurns",
  "hasSystem",
  "structuredOutput",
  "chineseShare",
] as const;
export type ShapeName = (typeof SHAPE_NAMES)[number];

/** Characters read for the Chinese share: a loop over char codes, no regex matches allocated. */
const SHARE_SAMPLE = 4000;

function scriptCounts(text: string): { cjk: number; latin: number } {
  let cjk = 0;
  let latin = 0;
  const end = Math.min(text.length, SHARE_SAMPLE);
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 0x3400 && c <= 0x9fff) || (c >= 0xf900 && c <= 0xfaff)) cjk++;
    else if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) latin++;
  }
  return { cjk, latin };
}

/** Characters of a message's content, text parts and tool-call arguments included; an image counts 0. */
export function contentChars(m: ChatMessage): number {
  let n = 0;
  const c = m.content;
  if (typeof c === "string") n += c.length;
  else if (Array.isArray(c)) for (const p of c) if (typeof p?.text === "string") n += p.text.length;
  const calls = m.tool_calls;
  if (Array.isArray(calls)) for (const call of calls) n += String(call?.function?.arguments ?? "").length;
  return n;
}

function imageParts(m: ChatMessage): number {
  if (!Array.isArray(m.content)) return 0;
  let n = 0;
  for (const p of m.content) if (p?.type === "image_url" || p?.type === "image" || p?.type === "input_image") n++;
  return n;
}

/** Characters of the whole request's messages: the basis of the context-length estimate. */
export function totalChars(body: ChatRequest): number {
  let n = 0;
  for (const m of body.messages) n += contentChars(m);
  return n;
}

const log2p = (x: number) => Math.log2(1 + x);

/** The shape features, each a small non-negative number (counts go through log2(1 + n)). */
export { scriptCounts };

export function shapeFeatures(body: ChatRequest, text: string): Record<ShapeName, number> {
  const messages = Array.isArray(body.messages) ? body.messages : [];
  let toolMessages = 0;
  let toolCalls = 0;
  let images = 0;
  let userTurns = 0;
  let hasSystem = 0;
  for (const m of messages) {
    if (m.role === "tool" || m.role === "function") toolMessages++;
    else if (m.role === "user") userTurns++;
    else if (m.role === "system" || m.role === "developer") hasSystem = 1;
    if (Array.isArray(m.tool_calls)) toolCalls += m.tool_calls.length;
    images += imageParts(m);
  }
  const tools = Array.isArray(body.tools) ? body.tools.length : 0;
  const effort = typeof body.reasoning_effort === "string" ? body.reasoning_effort : "";
  const thinking = body.thinking !== undefined && body.thinking !== null && body.thinking !== false;
  const last = messages[messages.length - 1];
  const { cjk, latin } = scriptCounts(text);
  return {
    toolsOffered: tools > 0 ? 1 : 0,
    toolCount: log2p(tools),
    lastIsTool: last && (last.role === "tool" || last.role === "function") ? 1 : 0,
    toolMessages: log2p(toolMessages),
    toolCalls: log2p(toolCalls),
    effortLow: effort === "low" || effort === "minimal" ? 1 : 0,
    effortMedium: effort === "medium" ? 1 : 0,
    effortHigh: effort === "high" ? 1 : 0,
    thinking: thinking || body.enable_thinking === true ? 1 : 0,
    images: log2p(images),
    contextSize: log2p(totalChars(body) / 1000),
    userTurns: log2p(Math.max(0, userTurns - 1)),
    hasSystem,
    structuredOutput: body.response_format !== undefined ? 1 : 0,
    chineseShare: cjk + latin > 0 ? cjk / (cjk + latin) : 0,
  };
}
