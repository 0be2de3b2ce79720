/**
 * Reassembles a streamed answer into one chat.completion object for the request log: content,
 * reasoning, tool calls (their argument fragments joined by index), finish reasons, usage.
 */
import { TextPieces } from "./text-pieces.ts";

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

interface ToolCall {
  id?: string;
  type?: string;
  function: { name: string; arguments: string };
}

interface Choice {
  role: string;
  content: TextPieces;
  reasoning: TextPieces;
  toolCalls: ToolCall[];
  finishReason: string | null;
}

export class StreamAssembler {
  private readonly choices = new Map<number, Choice>();
  private id: unknown;
  private model: unknown;
  private created: unknown;
  private usage: unknown;

  /** Text for choice 0 of a chunk read without parsing (`plainContent`): all such a chunk carries. */
  addContent(content: string): void {
    this.choice(0).content.append(content);
  }

  add(chunk: unknown): void {
    if (!isObj(chunk)) return;
    this.id ??= chunk.id;
    this.model ??= chunk.model;
    this.created ??= chunk.created;
    if (isObj(chunk.usage)) this.usage = chunk.usage;
    if (!Array.isArray(chunk.choices)) return;
    for (const raw of chunk.choices) {
      if (!isObj(raw)) continue;
      const choice = this.choice(typeof raw.index === "number" ? raw.index : 0);
      if (typeof raw.finish_reason === "string") choice.finishReason = raw.finish_reason;
      const delta = isObj(raw.delta) ? raw.delta : undefined;
      if (!delta) continue;
      if (typeof delta.role === "string") choice.role = delta.role;
      if (typeof delta.content === "string") choice.content.append(delta.content);
      if (typeof delta.reasoning_content === "string") choice.reasoning.append(delta.reasoning_content);
      if (Array.isArray(delta.tool_calls)) for (const call of delta.tool_calls) this.addToolCall(choice, call);
    }
  }

  private choice(index: number): Choice {
    let choice = this.choices.get(index);
    if (!choice) {
      choice = {
        role: "assistant",
        content: new TextPieces(),
        reasoning: new TextPieces(),
        toolCalls: [],
        finishReason: null,
      };
      this.choices.set(index, choice);
    }
    return choice;
  }

  private addToolCall(choice: Choice, call: unknown): void {
    if (!isObj(call)) return;
    const i = typeof call.index === "number" ? call.index : choice.toolCalls.length;
    const target = (choice.toolCalls[i] ??= { function: { name: "", arguments: "" } });
    if (typeof call.id === "string") target.id = call.id;
    if (typeof call.type === "string") target.type = call.type;
    const fn = isObj(call.function) ? call.function : undefined;
    if (typeof fn?.name === "string") target.function.name += fn.name;
    if (typeof fn?.arguments === "string") target.function.arguments += fn.arguments;
  }

  /** The answer as a non-streamed chat.completion would have carried it. */
  result(): Obj {
    const choices = [...this.choices.entries()]
      .sort(([a], [b]) => a - b)
      .map(([index, c]) => {
        const message: Obj = { role: c.role, content: c.content.text() };
        if (!c.reasoning.empty) message.reasoning_content = c.reasoning.text();
        if (c.toolCalls.length > 0)
          message.tool_calls = c.toolCalls.filter(Boolean).map((t) => ({ type: "function", ...t }));
        return { index, message, finish_reason: c.finishReason };
      });
    return {
      id: this.id,
      object: "chat.completion",
      created: this.created,
      model: this.model,
      choices,
      usage: this.usage ?? null,
    };
  }
}
