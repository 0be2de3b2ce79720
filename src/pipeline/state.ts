/**
 * The state of one request as it walks the pipeline: its context, the config snapshot it started
 * with (a reload never changes a request in flight), its route and the record of its attempts.
 */

import type { ResolvedConfig, Timeouts } from "../config/types.ts";
import type {
  AttemptSummary,
  ChatRequest,
  Clock,
  CompletionSummary,
  EmbeddingsRequest,
  Logger,
  Plugin,
  RequestContext,
  SharedCache,
  Target,
  Usage,
} from "../plugin/types.ts";
import type { Hold, SpendGuard } from "../pricing/spend-guard.ts";
import type { TierMemory } from "../routing/conversations.ts";
import type { HealthRegistry } from "../routing/health.ts";
import type { UsageTracker } from "../routing/usage.ts";
import type { DoorCall } from "./pipeline.ts";
import type { Refusal } from "./refusal.ts";

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
  conversations: TierMemory;
  /** The cluster's shared cache (`ctx.cache`); none outside a cluster. */
  cache?: SharedCache;
  newId: () => string;
  /**
   * The gateway's own observer plugins for a config (the request log, the metrics): they run before the
   * config's observers, with the same contract (`onComplete`, errors only logged). Asked once per config.
   */
  observers?: (config: ResolvedConfig) => Plugin[];
  /** Key budgets and in-flight caps (src/pricing/spend-guard.ts); absent: none enforced. */
  spend?: SpendGuard;
  /** Aborted when the gateway stops and ends what is in flight: every upstream call ends with its reason (`AttemptSetup.stopping`). */
  stopping?: AbortSignal;
  /**
   * A request that ended before its route was planned (bad input, a guard, key limits, a budget): the
   * request log's record of it (bounded per client address); true when it was logged.
   */
  refused?: (refusal: Refusal, config: ResolvedConfig) => boolean;
}

/**
 * The route a request runs on: decided by the plan (stages 1 to 4) before the first attempt, and never
 * changed after (a reload does not touch a request in flight either: `config` is its snapshot).
 */
export interface RequestPlan {
  readonly ctx: RequestContext;
  readonly config: ResolvedConfig;
  readonly client: { readonly ip?: string; readonly apiKeyId?: string };
  readonly body: ChatRequest;
  /** The body as the client sent it. */
  readonly rawBody: string;
  readonly stream: boolean;
  readonly startedAt: number;
  readonly deadline: number;
  readonly tier: string;
  /** Why this tier: the classifier's reason, or how the client pinned it. */
  readonly tierReason: string;
  readonly timeouts: Timeouts;
  readonly candidates: readonly Target[];
  /** The front door it came through, when not chat completions. */
  readonly door?: DoorCall;
  /** An embeddings request (`POST /v1/embeddings`), sent as it is; `body` is then its inputs as user messages. */
  readonly embeddings?: EmbeddingsRequest;
}

/** What the client got: the target that answered, once one did, and what its answer said. */
export interface Answered {
  target: Target;
  firstTokenAt: number;
  usage?: Usage;
  /** The answer carried tool calls (its tool-result turn will come back to this tier). */
  toolCalls?: boolean;
}

/** A request on its way: the plan it runs on, the attempts made so far, and the answer once there is one. */
export interface RequestState extends RequestPlan {
  readonly deps: PipelineDeps;
  /** What the key's budget and in-flight cap hold for this request until it completes. */
  readonly hold?: Hold;
  readonly attempts: AttemptLog;
  /** Time spent waiting on upstreams and backoffs: subtracted to get the gateway's own overhead. */
  waitedMs: number;
  answered?: Answered;
}

/**
 * The attempts of one request, in the order they were made: appended to, never rewritten, but for the
 * facts that come later: a committed stream that failed ("cut", with why), and a last "retry" or
 * "failover" that nothing followed ("fail", with why).
 */
export class AttemptLog {
  private readonly list: AttemptSummary[] = [];
  private committed = -1;

  get count(): number {
    return this.list.length;
  }

  append(attempt: AttemptSummary): void {
    this.list.push(attempt);
  }

  /** The last attempt is the one whose stream now reaches the client. */
  commitLast(): void {
    this.committed = this.list.length - 1;
  }

  /** The committed stream failed after commit: its attempt ends as "cut". */
  cutCommitted(reason: string): void {
    const attempt = this.list[this.committed];
    if (attempt) this.list[this.committed] = { ...attempt, outcome: "cut", reason };
  }

  /**
   * Nothing followed the last attempt: judged "retry" or "failover", it was neither (no target left, the
   * attempt limit or the deadline reached), so it ends "fail", and its reason says why.
   */
  noneFollowed(why: string): void {
    const last = this.list.length - 1;
    const attempt = this.list[last];
    if (attempt && (attempt.outcome === "retry" || attempt.outcome === "failover"))
      this.list[last] = { ...attempt, outcome: "fail", reason: `${attempt.reason}; ${why}` };
  }

  /** A copy, for the summary observers get. */
  entries(): AttemptSummary[] {
    return [...this.list];
  }

  /** "target: reason" of every attempt, for an error message. */
  trail(): string {
    return this.list.map((a) => `${a.target}: ${a.reason}`).join("; ");
  }
}

/** How a request ended, for its summary: the status, the error if any, and the answer to log. */
export interface Ending {
  status: number;
  error?: { code: string; message: string };
  /** The gateway's own time; measured now when absent. */
  overhead?: number;
  response?: CompletionSummary["response"];
  /** `response` is the upstream's own JSON in the door's format (a passed-through attempt): not translated. */
  passedThrough?: boolean;
}

/** Milliseconds the gateway itself has spent on this request so far. */
export function overheadMs(state: RequestState): number {
  return Math.max(0, state.deps.clock.now() - state.startedAt - state.waitedMs);
}
