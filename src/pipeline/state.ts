/**
 * The state of one request as it walks the pipeline: its context, the config snapshot it started
 * with (a reload never changes a request in flight), its route and the record of its attempts.
 */
import type { ResolvedConfig, Timeouts } from "../config/types.ts";
import type {
  AttemptSummary,
  ChatRequest,
  Clock,
  Logger,
  Plugin,
  RequestContext,
  Target,
  Usage,
} from "../plugin/types.ts";
import type { ConversationMemory } from "../routing/conversations.ts";
import type { HealthRegistry } from "../routing/health.ts";
import type { UsageTracker } from "../routing/usage.ts";

/** What the pipeline needs from the outside world, injected so tests control time, chance and network. */
export interface PipelineDeps {
  clock: Clock;
  random: () => number;
  log: Logger;
  fetch: (url: string, init: RequestInit) => Promise<Response>;
  health: HealthRegistry;
  /** Recent use of each target, for the adaptive strategy. */
  usage: UsageTracker;
  /** Tiers of recent conversations and tool-calling turns. */
  conversations: ConversationMemory;
  newId: () => string;
  /**
   * The gateway's own observer plugins for a config (the request log, the metrics): they run before the
   * config's observers, with the same contract (`onComplete`, errors only logged). Asked once per config.
   */
  observers?: (config: ResolvedConfig) => Plugin[];
  /** Aborted when the gateway stops and ends what is in flight: every upstream call ends with its reason (`stopping.ts`). */
  stopping?: AbortSignal;
}

export interface RequestState {
  ctx: RequestContext;
  config: ResolvedConfig;
  client: { ip?: string; apiKeyId?: string };
  deps: PipelineDeps;
  body: ChatRequest;
  /** The body as the client sent it. */
  rawBody: string;
  stream: boolean;
  startedAt: number;
  deadline: number;
  tier: string;
  /** Why this tier: the classifier's reason, or how the client pinned it. */
  tierReason: string;
  timeouts: Timeouts;
  candidates: Target[];
  attempts: AttemptSummary[];
  /** Time spent waiting on upstreams and backoffs: subtracted to get the gateway's own overhead. */
  waitedMs: number;
  /** The target that answered, once one did. */
  target?: Target;
  usage?: Usage;
  firstTokenAt?: number;
  /** The answer carried tool calls (its tool-result turn will come back to this tier). */
  toolCalls?: boolean;
}

/** Milliseconds the gateway itself has spent on this request so far. */
export function overheadMs(state: RequestState): number {
  return Math.max(0, state.deps.clock.now() - state.startedAt - state.waitedMs);
}
