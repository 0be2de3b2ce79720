/**
 * What the router remembers about conversations, in a bounded, expiring map:
 *  - stickiness: the highest tier a conversation (same leading messages) has used, so it never steps
 *    down mid-conversation and the upstream's prompt cache stays warm;
 *  - tool turns: the tier of a request that answered with tool calls, so the request carrying the
 *    tool results goes back to the same tier.
 * Keys are hashes of message text, never the text itself.
 */
import type { ChatMessage } from "../plugin/types.ts";

/** FNV-1a, 53-bit (two 32-bit lanes): fast, portable, and plenty for telling conversations apart. */
function fingerprint(text: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
  }
  return (h1 >>> 0).toString(36) + (h2 >>> 11).toString(36);
}

const messageText = (m: ChatMessage) =>
  `${m.role}\u0000${typeof m.content === "string" ? m.content : JSON.stringify(m.content ?? null)}${m.tool_calls ? JSON.stringify(m.tool_calls) : ""}`;

/** A conversation's identity: its system prompt and first user message. */
export function conversationKey(messages: ChatMessage[]): string {
  const system = messages
    .filter((m) => m.role === "system" || m.role === "developer")
    .map(messageText)
    .join("\u0001");
  const firstUser = messages.find((m) => m.role === "user");
  return `c:${fingerprint(`${system}\u0002${firstUser ? messageText(firstUser) : ""}`)}`;
}

/** Key of a whole message list (the request that made a tool call). */
export function turnKey(messages: ChatMessage[]): string {
  return `t:${fingerprint(messages.map(messageText).join("\u0001"))}`;
}

/**
 * For a tool-result turn (the last message is a tool result): the key of the request that made the
 * call, i.e. the messages before the assistant message holding the tool calls. Otherwise undefined.
 */
export function toolTurnOrigin(messages: ChatMessage[]): string | undefined {
  let i = messages.length - 1;
  if (i < 0 || messages[i].role !== "tool") return undefined;
  while (i >= 0 && messages[i].role === "tool") i--;
  if (i < 0 || messages[i].role !== "assistant") return undefined;
  return turnKey(messages.slice(0, i));
}

/** What the router reads and writes about conversations (a shared store can implement it). */
export interface TierMemory {
  get(key: string, now: number): string | undefined;
  set(key: string, tier: string, now: number): void;
}

export class ConversationMemory implements TierMemory {
  private readonly map = new Map<string, { tier: string; at: number }>();

  constructor(
    private readonly maxEntries = 50_000,
    private readonly ttlMs = 3_600_000,
  ) {}

  get(key: string, now: number): string | undefined {
    const entry = this.map.get(key);
    if (!entry) return undefined;
    if (now - entry.at > this.ttlMs) {
      this.map.delete(key);
      return undefined;
    }
    return entry.tier;
  }

  set(key: string, tier: string, now: number): void {
    this.map.delete(key); // re-insert: Map order is the eviction order (least recently set first)
    this.map.set(key, { tier, at: now });
    if (this.map.size > this.maxEntries) this.map.delete(this.map.keys().next().value!);
  }
}
