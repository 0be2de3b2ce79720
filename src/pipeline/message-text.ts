import type { ChatMessage } from "../plugin/types.ts";

/** The text of a message's content: a string, or the text parts of an array of content parts. */
export function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  let text = "";
  for (const part of content) {
    if (part && typeof part === "object" && (part as { type?: unknown }).type === "text") {
      const t = (part as { text?: unknown }).text;
      if (typeof t === "string") text += (text ? "\n" : "") + t;
    }
  }
  return text;
}

/** The text of the latest user message, what classifiers look at first. */
export function latestUserText(messages: ChatMessage[]): string {
  for (let i = messages.length - 1; i >= 0; i--) {
    if (messages[i].role === "user") return textOf(messages[i].content);
  }
  return "";
}
