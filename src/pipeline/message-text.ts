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

/**
 * How much of a conversation classifiers read. Classifying runs on the event loop of every auto
 * request and costs about 160 ms per MB of text, so a long paste is read by its start and its end
 * (where the instruction about it sits), and a long conversation by its first and last messages.
 */
export const CLASSIFIER_VIEW = {
  /** Characters kept from the start of a message longer than `headChars + tailChars`. */
  headChars: 12_000,
  /** Characters kept from its end. */
  tailChars: 4_000,
  /** Messages kept from the start of a conversation (the system prompt, the first ask). */
  headMessages: 2,
  /** Messages kept from its end (the latest user message is kept in any case). */
  tailMessages: 14,
} as const;

/** Between the start and the end of a cut text: blank lines, so no word or line is glued to another. */
const CUT = "\n\n…\n\n";

/** `text`, or its first `headChars` and last `tailChars` characters when it is longer (no surrogate pair split). */
function boundText(text: string): string {
  const { headChars, tailChars } = CLASSIFIER_VIEW;
  if (text.length <= headChars + tailChars) return text;
  let head = headChars;
  let tail = text.length - tailChars;
  if (isLowSurrogate(text.charCodeAt(head))) head--;
  if (isLowSurrogate(text.charCodeAt(tail))) tail++;
  return text.slice(0, head) + CUT + text.slice(tail);
}

const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;

/** A message whose text is bounded; the same object when it is short enough. */
function boundMessage(message: ChatMessage): ChatMessage {
  const content = message.content;
  if (typeof content === "string") {
    const text = boundText(content);
    return text === content ? message : { ...message, content: text };
  }
  if (!Array.isArray(content)) return message;
  const text = textOf(content);
  const bounded = boundText(text);
  if (bounded === text) return message;
  // The text parts become one bounded part; the others (images, audio, files) are kept as they are.
  const others = content.filter(
    (part) => !(part && typeof part === "object" && (part as { type?: unknown }).type === "text"),
  );
  return { ...message, content: [{ type: "text", text: bounded }, ...others] };
}

/** What classifiers read of a request: a bounded copy of its conversation and of its latest user text. */
interface ClassifierView {
  /** The latest user message's text, bounded (start and end of a long one). */
  text: string;
  /** The first and last messages (and the latest user message), each with its text bounded. */
  messages: ChatMessage[];
}

/** The bounded view of `messages` classifiers get (`ctx.text`, `ctx.messages`); its size is flat in the prompt's. */
export function classifierView(messages: ChatMessage[]): ClassifierView {
  const { headMessages, tailMessages } = CLASSIFIER_VIEW;
  let latestUser = -1;
  for (let i = messages.length - 1; i >= 0 && latestUser < 0; i--) if (messages[i].role === "user") latestUser = i;
  let kept = messages;
  if (messages.length > headMessages + tailMessages) {
    const tailStart = messages.length - tailMessages;
    const latest = latestUser >= headMessages && latestUser < tailStart ? [messages[latestUser]] : [];
    kept = [...messages.slice(0, headMessages), ...latest, ...messages.slice(tailStart)];
  }
  const view = kept.map(boundMessage);
  // The latest user message is in the view whatever was dropped: the text comes from its bounded copy.
  return { text: latestUser < 0 ? "" : latestUserText(view), messages: view };
}
