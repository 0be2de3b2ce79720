/**
 * Keyword matching shared by the classifiers: how a configured word becomes a pattern, and how the user
 * messages a classifier reads are collected. Everything here is compiled once, at factory time.
 */
import { type ChatMessage, type RequestContext, textOf } from "../../src/index.ts";

/**
 * A needle that is a plain ASCII word or phrase: letters, digits and `_`, with single spaces, hyphens or
 * apostrophes between the words ("SQL", "prove that", "trade-off", "don't"). These match on word
 * boundaries; anything else (Chinese, "```", "c++", ".pdf") matches as a plain substring.
 */
const PLAIN_ASCII_WORD = /^[A-Za-z0-9_]+(?:[ '-][A-Za-z0-9_]+)*$/;

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** True when `needle` matches on word boundaries (see PLAIN_ASCII_WORD) rather than as a substring. */
function isPlainWord(needle: string): boolean {
  return PLAIN_ASCII_WORD.test(needle);
}

/**
 * The pattern source for one string needle. A plain ASCII word or phrase must not touch an ASCII letter,
 * digit or `_` on either side, so "SQL" does not hit "MySQL" and "prove that" does not hit "improve that";
 * a space in a phrase matches any run of whitespace (a line break included). Other needles match
 * anywhere: Chinese has no spaces, so 证明 must be found inside 帮我证明一下.
 */
function needleSource(needle: string): string {
  if (!isPlainWord(needle)) return escapeRegExp(needle);
  return `(?<![A-Za-z0-9_])${escapeRegExp(needle).replace(/ /g, "\\s+")}(?![A-Za-z0-9_])`;
}

/**
 * One non-global RegExp matching any of `needles` (see `needleSource`), or undefined for none. Non-global
 * on purpose: `exec` on it keeps no state between calls, and the match names the needle that hit.
 */
export function compileNeedles(needles: readonly string[], caseSensitive = false): RegExp | undefined {
  if (needles.length === 0) return undefined;
  // Longer needles first, so the reason names "prove that" rather than a shorter needle it contains.
  const sorted = [...needles].sort((a, b) => b.length - a.length);
  return new RegExp(sorted.map(needleSource).join("|"), caseSensitive ? "" : "i");
}

/** The text of a message for classification: text parts joined, each image part as "[image]". */
export function messageText(message: ChatMessage): string {
  const content = message.content;
  if (!Array.isArray(content)) return textOf(content);
  const parts: string[] = [];
  for (const part of content) {
    if (!part || typeof part !== "object") continue;
    const type = (part as { type?: unknown }).type;
    if (type === "text") parts.push(textOf([part]));
    else if (type === "image_url" || type === "input_image" || type === "image") parts.push("[image]");
  }
  return parts.join("\n");
}

/**
 * The texts of up to `count` user messages before the latest one, newest first. The latest user message
 * itself is `ctx.text` and is not included.
 */
export function earlierUserTexts(ctx: RequestContext, count: number): string[] {
  const out: string[] = [];
  if (count <= 0) return out;
  const messages = ctx.messages;
  let skippedLatest = false;
  for (let i = messages.length - 1; i >= 0 && out.length < count; i--) {
    if (messages[i].role !== "user") continue;
    if (!skippedLatest) {
      skippedLatest = true;
      continue;
    }
    out.push(messageText(messages[i]));
  }
  return out;
}
