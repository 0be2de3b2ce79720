/**
 * Budgets and the in-flight cap of gateway keys (`limits.budgetUsd` with `budgetPeriod`, and
 * `limits.maxConcurrent`), checked once the route is planned, so the worst case is priced on the request's
 * own candidates: the prompt at one token per character (no tokenizer is that pessimistic) and the output
 * at `max_tokens` (or `max_completion_tokens`, else the model's context window), each at the full input and
 * output rate. The pipeline settles the hold when the request ends (`settle`), at its real cost.
 * A request admitted here always reaches `settle`: the pipeline completes every planned request.
 */
import type { ResolvedConfig } from "../config/types.ts";
import { GatewayError } from "../errors.ts";
import type { CompletionSummary, RequestContext, Target } from "../plugin/types.ts";
import { costOf } from "./cost.ts";
import { priceOf } from "./price-of.ts";
import { type BudgetPeriod, budgetWindow, type Flight, type Reservation, type SpendLedger } from "./spend-ledger.ts";

/** What a key's limits say about money and concurrency. */
export interface SpendLimits {
  budgetUsd?: number;
  /** Default "month". */
  budgetPeriod?: BudgetPeriod;
  maxConcurrent?: number;
}

/** What an admitted request holds until it settles. */
export interface Hold {
  key: string;
  reservation?: Reservation;
  flight?: Flight;
}

/** Output tokens assumed when neither the request nor the catalog bounds them. */
const UNBOUNDED_OUTPUT = 128_000;

function maxOutput(ctx: RequestContext, target: Target): number {
  const body = ctx.body as { max_tokens?: unknown; max_completion_tokens?: unknown };
  const asked = [body.max_tokens, body.max_completion_tokens].find((v) => typeof v === "number" && v > 0);
  return typeof asked === "number" ? Math.ceil(asked) : (target.contextWindow ?? UNBOUNDED_OUTPUT);
}

/** The most the request can cost on any of its candidates (unpriced ones add nothing). */
export function worstCaseMicros(ctx: RequestContext, candidates: readonly Target[], config: ResolvedConfig): number {
  const input = JSON.stringify(ctx.body.messages ?? []).length;
  let worst = 0;
  for (const target of candidates) {
    const priced = priceOf(config, target);
    if (!priced) continue;
    const parts = {
      input,
      cachedInput: 0,
      cacheWrite: 0,
      cacheWrite1h: 0,
      output: maxOutput(ctx, target),
      reasoning: 0,
    };
    worst = Math.max(worst, costOf(parts, priced.price).totalMicros);
  }
  return worst;
}

const usd = (micros: number) => `$${(micros / 1_000_000).toFixed(2)}`;

export class SpendGuard {
  constructor(
    readonly ledger: SpendLedger,
    /** The real cost of a finished request, in micro-dollars (0 when not priced). */
    private readonly costOfSummary: (summary: CompletionSummary, config: ResolvedConfig) => number,
  ) {}

  /** Admits the request or throws 429 (`concurrency_limited`, `budget_exceeded`); undefined: no limit applies. */
  async admit(ctx: RequestContext, candidates: readonly Target[], config: ResolvedConfig): Promise<Hold | undefined> {
    const key = ctx.client.apiKeyId;
    const limits = ctx.client.limits;
    if (!key || !limits || (limits.budgetUsd === undefined && limits.maxConcurrent === undefined)) return undefined;
    const hold: Hold = { key };
    const now = ctx.clock.now();
    const budget = limits.budgetUsd;
    const window = budget === undefined ? undefined : budgetWindow(limits.budgetPeriod ?? "month", budget, now);
    const worst = window ? worstCaseMicros(ctx, candidates, config) : 0;
    // Both asked at once: on a shared ledger (Redis) that is one round trip instead of two. What one of
    // them took is given back when the other refuses, or when either fails (a down shared store: 503).
    const [flight, reservation] = await Promise.allSettled([
      limits.maxConcurrent === undefined ? undefined : this.ledger.enter(key, limits.maxConcurrent),
      window ? this.ledger.reserve(key, window, worst) : undefined,
    ]);
    hold.flight = flight.status === "fulfilled" ? flight.value : undefined;
    hold.reservation = reservation.status === "fulfilled" ? reservation.value : undefined;
    const giveBack = () => this.settle(hold, undefined, config);
    if (flight.status === "rejected" || reservation.status === "rejected") {
      giveBack();
      throw flight.status === "rejected" ? flight.reason : (reservation as PromiseRejectedResult).reason;
    }
    if (limits.maxConcurrent !== undefined && !hold.flight) {
      giveBack();
      throw new GatewayError("rejected", `This API key allows ${limits.maxConcurrent} requests in flight at once.`, {
        status: 429,
        clientCode: "concurrency_limited",
        retryAfterMs: 1000,
      });
    }
    if (window && !hold.reservation) {
      giveBack();
      const reset =
        window.resetAt === undefined ? "it does not reset" : `it resets at ${new Date(window.resetAt).toISOString()}`;
      throw new GatewayError(
        "rejected",
        `This API key's ${limits.budgetPeriod ?? "month"} budget of ${usd(window.limitMicros)} is spent or held by requests in flight (this one could cost up to ${usd(worst)}); ${reset}.`,
        {
          status: 429,
          clientCode: "budget_exceeded",
          ...(window.resetAt === undefined ? {} : { retryAfterMs: window.resetAt - now }),
        },
      );
    }
    return hold;
  }

  /** Releases what the request holds; `summary` undefined: it never ran (its reservation costs nothing). */
  settle(hold: Hold | undefined, summary: CompletionSummary | undefined, config: ResolvedConfig): void {
    if (!hold) return;
    if (hold.flight) this.ledger.leave(hold.flight);
    if (hold.reservation) this.ledger.settle(hold.reservation, summary ? this.costOfSummary(summary, config) : 0);
  }
}
