/**
 * The active config and its hot reload (DESIGN §6). A reload loads the whole module graph fresh,
 * validates it and swaps the active config in one assignment: requests already running keep the
 * snapshot they started with. A config that fails to load is reported and the old one stays active.
 */
import { type FSWatcher, readFileSync, watch } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import type { Logger } from "../plugin/types.ts";
import { formatIssues, type LoadResult, loadConfig } from "./load.ts";
import type { ConfigIssue } from "./resolve.ts";
import type { ResolvedConfig } from "./types.ts";

interface ReloadEvent {
  ok: boolean;
  version: number;
  reason: string;
  /** Who caused it: an admin's name, or "file" for a change seen on disk. */
  author: string;
  /** The config file's text, when the reload succeeded. */
  source?: string;
  issues?: ConfigIssue[];
}

/** The `path` of a config given as a value, not loaded from a file. */
const INLINE = "(inline config)";

export class LiveConfig {
  private active: ResolvedConfig;
  private files: string[];
  private watchers = new Map<string, FSWatcher>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly listeners = new Set<(event: ReloadEvent) => void>();
  /** Increases by one with every config applied. */
  version = 1;
  /** The source text of the active config file. */
  source: string;
  /** Problems of the last reload that was rejected, cleared by the next successful one. */
  lastIssues: ConfigIssue[] | undefined;

  private constructor(
    readonly path: string,
    readonly projectRoot: string,
    private readonly log: Logger,
    first: Extract<LoadResult, { ok: true }>,
  ) {
    this.active = first.config;
    this.files = first.files;
    this.source = first.source;
  }

  /** Loads the config for the first time; throws with every issue listed when it is invalid. */
  static async load(options: { path: string; projectRoot?: string; log: Logger }): Promise<LiveConfig> {
    const path = resolve(options.path);
    const projectRoot = resolve(options.projectRoot ?? dirname(path));
    const result = await loadConfig({ path, projectRoot });
    if (!result.ok) throw new Error(`Invalid config ${path}:\n${formatIssues(result.issues)}`);
    return new LiveConfig(path, projectRoot, options.log, result);
  }

  /**
   * A config given as a value (an in-memory gateway): no file, so nothing to watch or reload. `reload`
   * answers a rejection that says so; the config stays as given.
   */
  static inline(config: ResolvedConfig, log: Logger): LiveConfig {
    return new LiveConfig(INLINE, process.cwd(), log, { ok: true, config, source: "", files: [] });
  }

  /** True when the config comes from a file (not given as a value). */
  get fromFile(): boolean {
    return this.path !== INLINE;
  }

  /** The active config. Take it once per request and keep it: that is the request's snapshot. */
  get(): ResolvedConfig {
    return this.active;
  }

  onReload(listener: (event: ReloadEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Runs `task` alone: no reload overlaps it. Checking a candidate config imports modules into the same
   * module cache a reload evicts and re-fills, so the two must take turns.
   */
  exclusive<T>(task: () => Promise<T>): Promise<T> {
    const next = this.queue.then(task);
    this.queue = next.catch(() => {});
    return next;
  }

  /** Loads the config again; reloads are serialized, so the last edit always wins. */
  reload(reason = "manual", author = "file"): Promise<ReloadEvent> {
    const next = this.queue.then(() => this.reloadNow(reason, author));
    this.queue = next.catch(() => {});
    return next;
  }

  private async reloadNow(reason: string, author: string): Promise<ReloadEvent> {
    if (this.path === INLINE)
      return {
        ok: false,
        version: this.version,
        reason,
        author,
        issues: [{ path: "(config)", message: "an inline config has no file to reload" }],
      };
    const result = await loadConfig({ path: this.path, projectRoot: this.projectRoot });
    let event: ReloadEvent;
    if (result.ok) {
      this.active = result.config;
      this.files = result.files;
      this.source = result.source;
      this.lastIssues = undefined;
      this.version += 1;
      event = { ok: true, version: this.version, reason, author, source: result.source };
      this.log.info(`config reloaded (version ${this.version}, ${reason})`);
      if (this.watchers.size > 0) this.watchFiles();
    } else {
      this.lastIssues = result.issues;
      event = { ok: false, version: this.version, reason, author, issues: result.issues };
      this.log.error(`config reload rejected, version ${this.version} stays active:\n${formatIssues(result.issues)}`);
    }
    for (const listener of this.listeners) listener(event);
    return event;
  }

  /**
   * Watches the config file and every project module it imports. Directories are watched, not files:
   * an editor's atomic save (write a temp file, rename it over) silences a watch on the file itself.
   */
  watch(debounceMs = 50): void {
    if (this.path === INLINE) return; // no file to watch
    this.debounceMs = debounceMs;
    this.watchFiles();
  }

  private debounceMs = 50;

  private watchFiles(): void {
    const wanted = new Set([this.path, ...this.files]);
    const dirs = new Set([...wanted].map((file) => dirname(file)));
    for (const [dir, watcher] of this.watchers) {
      if (!dirs.has(dir)) {
        watcher.close();
        this.watchers.delete(dir);
      }
    }
    for (const dir of dirs) {
      if (this.watchers.has(dir)) continue;
      const watcher = watch(dir, (_event, name) => {
        if (!name) return;
        const file = join(dir, name.toString());
        if (file === this.path || this.files.includes(file)) this.schedule(file);
      });
      watcher.on("error", (error) => this.log.warn(`config watch on ${dir} failed`, { error: String(error) }));
      this.watchers.set(dir, watcher);
    }
  }

  private changed = new Set<string>();

  private schedule(file: string): void {
    this.changed.add(file);
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const files = [...this.changed];
      this.changed.clear();
      // The admin API writes the file and reloads it itself: the watcher then sees a text that is
      // already active, and reloading it again would only bump the version.
      if (files.every((f) => f === this.path) && this.sameAsActive()) {
        this.lastIssues = undefined; // back to the text that runs: nothing is wrong with it
        return;
      }
      void this.reload(`${files.map((f) => relative(this.projectRoot, f)).join(", ")} changed`);
    }, this.debounceMs);
  }

  private sameAsActive(): boolean {
    try {
      return readFileSync(this.path, "utf8") === this.source;
    } catch {
      return false;
    }
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const watcher of this.watchers.values()) watcher.close();
    this.watchers.clear();
  }
}
