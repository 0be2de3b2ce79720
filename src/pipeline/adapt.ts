/**
 * Stage 5a, adapt: the attempt's body is the client's, with the target's model and each matching
 * adapter's patch applied in config order (a waterfall; an adapter that throws is skipped, logged).
 */
import { matchesTarget } from "../plugin/match.ts";
import type { AttemptInfo, BodyPatch, ChatRequest } from "../plugin/types.ts";
import type { RequestState } from "./state.ts";

/** A body with a patch applied: each key set, a key set to `undefined` removed. */
export function applyPatch(body: ChatRequest, patch: BodyPatch): ChatRequest {
  const next: ChatRequest = { ...body };
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) delete next[key];
    else next[key] = value;
  }
  return next;
}

/**
 * The body's native fields (`native: { anthropic: {...} }`, set by a front door), merged in for a provider
 * that speaks that API and dropped for any other: a chat upstream refuses fields it does not know.
 */
function withNativeFields(state: RequestState, body: ChatRequest, attempt: AttemptInfo): ChatRequest {
  const { native, ...rest } = body;
  if (native === undefined) return rest;
  const api = state.config.providers[attempt.target.provider]?.native;
  const fields =
    api && typeof native === "object" && native !== null ? (native as Record<string, unknown>)[api] : undefined;
  if (fields && typeof fields === "object") return { ...rest, ...(fields as Record<string, unknown>) };
  const names = Object.values(native as Record<string, object>).flatMap((f) => Object.keys(f ?? {}));
  if (names.length > 0)
    state.deps.log.info(`dropped ${names.join(", ")} for ${attempt.target.ref}: its upstream cannot take them`, {
      requestId: state.ctx.id,
    });
  return rest;
}

/** The attempt's body: the client's, with each matching adapter's patch applied in order. */
export async function adaptBody(state: RequestState, body: ChatRequest, attempt: AttemptInfo): Promise<ChatRequest> {
  let current: ChatRequest = { ...withNativeFields(state, body, attempt), model: attempt.target.model };
  for (const adapter of state.config.hooks.adapters) {
    if (!matchesTarget(adapter.match, attempt.target)) continue;
    try {
      const result = adapter.adapt(current, attempt);
      // Most adapters are synchronous: await only the ones that are not.
      const patch = result instanceof Promise ? await result : result;
      if (patch) current = applyPatch(current, patch);
    } catch (error) {
      state.deps.log.warn(`adapter ${adapter.name} threw; its patch is skipped`, { error: String(error) });
    }
  }
  return current;
}
