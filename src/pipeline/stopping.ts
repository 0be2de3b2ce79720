/**
 * How a gateway that is stopping ends its requests in flight (after the shutdown grace, `src/shutdown.ts`):
 * one signal, `PipelineDeps.stopping`, that every upstream call also listens to, through `fetch` or a
 * provider's own `send`. Its reason ("the gateway is shutting down") is what a held stream's in-band
 * error names, and what an attempt that had not answered yet fails with; each request still gets its row.
 */
import type { Provider } from "../plugin/types.ts";
import type { PipelineDeps } from "./state.ts";

type Fetch = PipelineDeps["fetch"];

const both = (signal: AbortSignal | null | undefined, stopping: AbortSignal) =>
  signal ? AbortSignal.any([signal, stopping]) : stopping;

/** The provider and fetch of one attempt, made to end when `stopping` aborts; as they are without it. */
export function stoppableUpstream(
  provider: Provider,
  fetch: Fetch,
  stopping: AbortSignal | undefined,
): { provider: Provider; fetch: Fetch } {
  if (!stopping) return { provider, fetch };
  if (!provider.send)
    return { provider, fetch: (url, init) => fetch(url, { ...init, signal: both(init.signal, stopping) }) };
  const send = provider.send.bind(provider);
  // The provider's other methods stay reachable (and `this` in them resolves) through the prototype.
  const wrapped: Provider = Object.create(provider);
  wrapped.send = (request, signal, context) => send(request, both(signal, stopping), context);
  return { provider: wrapped, fetch };
}
