/**
 * How a mock stream's events reach the socket. Loopback mocks normally write whole events, often several
 * in one write; real networks and TLS split them, drip them, and interleave events that carry nothing for
 * the gateway's client (keep-alive comments, Anthropic `ping`s and `content_block_stop`s). These shapes
 * reproduce that, for every protocol route, with stream requests (`stream: true`):
 *
 * - `wire=split`: every event is written as two writes `gapMs` apart (default 3), cut in the middle;
 * - `wire=drip`: every event is written `dripBytes` bytes at a time (default 1), `gapMs` apart (default 1);
 * - `wire=events`: every event is its own write, `gapMs` apart (default 2), so an event that produces
 *   nothing for the client arrives alone;
 * - `pings=N`: after every content delta, N events that carry nothing for the client (a `: ping` comment
 *   on the OpenAI route, `event: ping` on Anthropic's, an unknown event type on the Responses route).
 */
import { type Behaviour, num } from "./params.ts";
import type { StreamStep } from "./stream.ts";

export interface WireShape {
  kind: "split" | "drip" | "events" | "whole";
  gapMs: number;
  dripBytes: number;
}

const DEFAULT_GAP_MS: Record<WireShape["kind"], number> = { split: 3, drip: 1, events: 2, whole: 0 };

/** The shape asked for by `wire=...`, or undefined for the mock's normal writes. */
export function wireShape(b: Behaviour): WireShape | undefined {
  const kind = b.params.get("wire");
  if (kind !== "split" && kind !== "drip" && kind !== "events") return undefined;
  return {
    kind,
    gapMs: Math.max(1, num(b.params, "gapMs", DEFAULT_GAP_MS[kind])),
    dripBytes: Math.max(1, num(b.params, "dripBytes", 1)),
  };
}

/** How many do-nothing events follow each content delta (`pings=N`). */
export function pingsPerDelta(b: Behaviour): number {
  return Math.max(0, Math.floor(num(b.params, "pings", 0)));
}

/** Adds `count` copies of `ping` after each of `deltas` (the steps that carry content). */
export function withPings(deltas: StreamStep[], ping: string, count: number): StreamStep[] {
  if (count === 0) return deltas;
  return deltas.flatMap((step) => [step, ...Array.from({ length: count }, () => ({ delayMs: 0, data: ping }))]);
}

/**
 * The steps as the socket should see them. Each step is one write: a step's own delay stays on its first
 * piece, and every later piece (or, for `events`, every event) waits `gapMs`, so no two pieces are corked
 * into one write.
 */
export function shapeSteps(steps: StreamStep[], shape: WireShape | undefined): StreamStep[] {
  if (!shape) return steps;
  const out: StreamStep[] = [];
  for (const [i, step] of steps.entries()) {
    const gap = i === 0 ? step.delayMs : Math.max(step.delayMs, shape.gapMs);
    for (const [j, piece] of pieces(step.data, shape).entries())
      out.push({ delayMs: j === 0 ? gap : shape.gapMs, data: piece });
  }
  return out;
}

function pieces(data: string, shape: WireShape): string[] {
  if (shape.kind === "events" || data.length < 2) return [data];
  if (shape.kind === "split") {
    const middle = Math.floor(data.length / 2);
    return [data.slice(0, middle), data.slice(middle)];
  }
  const out: string[] = [];
  // Code points, not UTF-16 units: a piece is encoded on its own, so a surrogate pair must stay whole.
  const chars = [...data];
  for (let i = 0; i < chars.length; i += shape.dripBytes) out.push(chars.slice(i, i + shape.dripBytes).join(""));
  return out;
}
