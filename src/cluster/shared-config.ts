/**
 * Config edits in a cluster. The config (a TypeScript file with plugins) is deployed with each process;
 * an edit an admin applies on one process (a form change, the code view, a rollback) is kept in Redis as
 * the cluster's current text and announced. Every other process writes that text to its own config file
 * and hot-reloads it, or, when it does not load there (a module or secret that process lacks), puts its
 * own text back and reports the error. Each process reports what it runs (a digest of its text, its
 * version, the last refusal) in a Redis hash every few seconds, which the admin UI lists.
 *
 * Changes seen on disk (a deploy, an editor) are not announced: they belong to that machine. A process
 * that starts adopts the cluster's text if it was applied after its own file was last written, so a
 * process that was down during an edit catches up.
 */
import { createHash } from "node:crypto";
import { statSync } from "node:fs";
import { hostname } from "node:os";
import type { LiveConfig } from "../config/live.ts";
import type { ConfigIssue } from "../config/resolve.ts";
import { writeConfigAtomically } from "../config-editor/candidate.ts";
import type { Logger } from "../plugin/types.ts";
import type { SharedState } from "./shared-state.ts";

/** The cluster's current config text: who applied it, where, when. */
interface ClusterConfig {
  source: string;
  digest: string;
  author: string;
  reason: string;
  /** The process that applied it (its replica name). */
  origin: string;
  at: number;
}

/** What one live process runs, as it last reported. */
export interface ReplicaState {
  name: string;
  /** First 12 hex digits of the SHA-256 of its config text. */
  digest: string;
  version: number;
  /** True when it runs the cluster's current text. */
  current: boolean;
  /** The last cluster edit it refused, with why. */
  refused?: { digest: string; at: number; issues: ConfigIssue[] };
  reportedAt: number;
}

export interface SharedConfigOptions {
  now: () => number;
  log: Logger;
  /** This process's name in the list (default `host:pid:xxxx`). */
  name?: string;
  /** How often it reports (default 5 s); a report older than three times that is a process gone. */
  reportMs?: number;
}

const CURRENT = "config:current";
const REPLICAS = "config:replicas";
/** The pub/sub channel an applied edit is announced on (its digest). */
const CHANGED = "config:changed";
/** The author a reload done for the cluster carries, so it is not announced again. */
const VIA_CLUSTER = " (via cluster)";

export const digestOf = (source: string) => createHash("sha256").update(source).digest("hex").slice(0, 12);

export class SharedConfig {
  readonly name: string;
  private readonly reportMs: number;
  private readonly timer: ReturnType<typeof setInterval>;
  private refused?: ReplicaState["refused"];
  private currentDigest?: string;
  private stopListening: () => void;
  readonly ready: Promise<void>;

  constructor(
    private readonly shared: SharedState,
    private readonly live: LiveConfig,
    private readonly options: SharedConfigOptions,
  ) {
    // The host and process, and a few random characters: processes in one test run share a pid.
    this.name = options.name ?? `${hostname()}:${process.pid}:${crypto.randomUUID().slice(0, 4)}`;
    this.reportMs = options.reportMs ?? 5_000;
    this.stopListening = live.onReload((event) => {
      if (event.ok && event.source !== undefined && event.author !== "file" && !event.author.endsWith(VIA_CLUSTER))
        void this.announce(event.source, event.author, event.reason);
    });
    this.ready = shared
      .subscribe(CHANGED, () => void this.adoptCurrent())
      .then(() => this.adoptCurrent(this.fileWrittenAt()))
      .then(() => this.report())
      .catch(() => undefined);
    this.timer = setInterval(() => void this.report(), this.reportMs);
    this.timer.unref?.();
  }

  private fileWrittenAt(): number {
    try {
      return statSync(this.live.path).mtimeMs;
    } catch {
      return 0;
    }
  }

  private async announce(source: string, author: string, reason: string): Promise<void> {
    const current: ClusterConfig = {
      source,
      digest: digestOf(source),
      author,
      reason,
      origin: this.name,
      at: this.options.now(),
    };
    this.currentDigest = current.digest;
    try {
      await this.shared.redis.set(CURRENT, JSON.stringify(current));
      this.shared.publish(CHANGED, current.digest);
    } catch (error) {
      this.options.log.warn("config edit not shared: Redis unreachable", { error: String(error) });
    }
    void this.report();
  }

  /**
   * Tries the cluster's text again after this process refused it: something it lacked may have arrived
   * since (a secret stored on another process, src/cluster/shared-secrets.ts). Nothing refused: nothing done.
   */
  async retryRefused(): Promise<void> {
    if (!this.refused) return;
    this.refused = undefined;
    await this.adoptCurrent();
  }

  /** Runs the cluster's current text if this process does not yet (and, at start, if it is newer than the file). */
  private async adoptCurrent(notBefore = 0): Promise<void> {
    const text = await this.shared.redis.get(CURRENT).catch(() => null);
    if (!text) return;
    let current: ClusterConfig;
    try {
      current = JSON.parse(text);
    } catch {
      return;
    }
    this.currentDigest = current.digest;
    if (current.at < notBefore || digestOf(this.live.source) === current.digest) return void this.report();
    if (this.refused?.digest === current.digest) return;
    const previous = this.live.source;
    writeConfigAtomically(this.live.path, current.source);
    const event = await this.live.reload(
      `${current.reason} (applied on ${current.origin})`,
      `${current.author}${VIA_CLUSTER}`,
    );
    if (event.ok) this.refused = undefined;
    else {
      writeConfigAtomically(this.live.path, previous);
      this.refused = { digest: current.digest, at: this.options.now(), issues: event.issues ?? [] };
      this.options.log.error(
        `config ${current.digest} from ${current.origin} refused here; this process keeps its own`,
      );
    }
    await this.report();
  }

  private async report(): Promise<void> {
    if (this.shared.degraded) return;
    const digest = digestOf(this.live.source);
    const state: ReplicaState = {
      name: this.name,
      digest,
      version: this.live.version,
      current: this.currentDigest === undefined || this.currentDigest === digest,
      refused: this.refused,
      reportedAt: this.options.now(),
    };
    await this.shared.redis.hset(REPLICAS, this.name, JSON.stringify(state)).catch(() => undefined);
  }

  /** The processes that reported lately (this one first), and the cluster's current digest. */
  async replicas(): Promise<{ current?: string; replicas: ReplicaState[] }> {
    const all = await this.shared.redis.hgetall(REPLICAS).catch(() => ({}) as Record<string, string>);
    const since = this.options.now() - this.reportMs * 3;
    const replicas = Object.values(all)
      .map((text) => JSON.parse(text) as ReplicaState)
      .filter((r) => r.reportedAt >= since)
      .sort((a, b) => (a.name === this.name ? -1 : b.name === this.name ? 1 : a.name.localeCompare(b.name)));
    return { current: this.currentDigest, replicas };
  }

  close(): void {
    clearInterval(this.timer);
    this.stopListening();
    this.shared.redis.hdel(REPLICAS, this.name).catch(() => undefined);
  }
}
