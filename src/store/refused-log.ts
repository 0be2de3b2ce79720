/**
 * Refused requests into the request log, at a bounded rate: a token bucket per client address and one
 * for the whole process, so a flood of bad keys (or of anything refused) cannot fill the disk or the
 * writer's queue. Every refusal is counted in /metrics; one that finds its bucket empty is counted
 * there as not logged (by which limit), never silently dropped.
 */
import type { ResolvedConfig } from "../config/types.ts";
import type { Refusal } from "../pipeline/refusal.ts";
import type { LogWriter } from "./log-writer.ts";

/** A bucket's size (the burst it lets through at once) and how fast it refills. */
export interface BucketSpec {
  burst: number;
  perSecond: number;
}

export interface RefusedLogOptions {
  /** Without one (no data directory), refusals are only counted. */
  writer?: LogWriter;
  now: () => number;
  /** Called for every refusal: `logged` is false with the limit that kept it out of the log. */
  count?: (refusal: Refusal, notLogged?: "address" | "total") => void;
  /** Rows per client address (default a burst of 30, then one every 2 s: 30 a minute). */
  perAddress?: BucketSpec;
  /** Rows for the whole process (default a burst of 500, then 20 a second). */
  total?: BucketSpec;
  /** Addresses whose buckets are kept (default 10 000); the least recently refused are forgotten first. */
  maxAddresses?: number;
}

export const REFUSED_PER_ADDRESS: BucketSpec = { burst: 30, perSecond: 0.5 };
export const REFUSED_TOTAL: BucketSpec = { burst: 500, perSecond: 20 };

class Bucket {
  private tokens: number;
  private at: number;

  constructor(
    private readonly spec: BucketSpec,
    now: number,
  ) {
    this.tokens = spec.burst;
    this.at = now;
  }

  /** Takes a token if there is one. */
  take(now: number): boolean {
    this.tokens = Math.min(this.spec.burst, this.tokens + (Math.max(0, now - this.at) / 1000) * this.spec.perSecond);
    this.at = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Would take a token now (without taking it). */
  has(now: number): boolean {
    return Math.min(this.spec.burst, this.tokens + (Math.max(0, now - this.at) / 1000) * this.spec.perSecond) >= 1;
  }
}

export class RefusedLog {
  private readonly addresses = new Map<string, Bucket>();
  private readonly total: Bucket;
  private readonly perAddress: BucketSpec;
  private readonly maxAddresses: number;
  /** Refusals seen, and those kept out of the log by a limit (also in /metrics). */
  readonly stats = { refused: 0, notLogged: 0 };

  constructor(private readonly options: RefusedLogOptions) {
    this.perAddress = options.perAddress ?? REFUSED_PER_ADDRESS;
    this.total = new Bucket(options.total ?? REFUSED_TOTAL, options.now());
    this.maxAddresses = options.maxAddresses ?? 10_000;
  }

  /** Records a refusal: counted always, logged when its address and the process have room. True if logged. */
  record(refusal: Refusal, config: ResolvedConfig): boolean {
    this.stats.refused += 1;
    const writer = this.options.writer;
    if (!writer) {
      this.options.count?.(refusal);
      return false;
    }
    const limit = this.take(refusal.client.ip ?? "", this.options.now());
    if (limit) {
      this.stats.notLogged += 1;
      this.options.count?.(refusal, limit);
      return false;
    }
    this.options.count?.(refusal);
    writer.enqueueRefusal(refusal, config);
    return true;
  }

  /** Takes a token from the address's bucket and the total one; the limit that had none, if any. */
  private take(address: string, now: number): "address" | "total" | undefined {
    let bucket = this.addresses.get(address);
    if (bucket)
      this.addresses.delete(address); // re-inserted below: the map stays least recently refused first
    else bucket = new Bucket(this.perAddress, now);
    this.addresses.set(address, bucket);
    if (this.addresses.size > this.maxAddresses) this.addresses.delete(this.addresses.keys().next().value!);
    // The address is checked first, so one flooding address does not spend the others' share.
    if (!bucket.has(now)) return "address";
    if (!this.total.take(now)) return "total";
    bucket.take(now);
    return undefined;
  }
}
