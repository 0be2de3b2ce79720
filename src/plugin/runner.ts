/**
 * The hook runner: the three ways the pipeline calls a hook on a list of plugins, in config order.
 * - first: plugins are asked in turn, the first answer that is not undefined wins (classify, judge);
 * - waterfall: each plugin transforms the previous one's result (orderTargets, adapt);
 * - parallel: every plugin is told, nobody waits, errors are logged and swallowed (observers).
 * A throwing plugin in `first` counts as "no answer"; in a waterfall it leaves the value as it was.
 * Either way it is logged with the plugin's name and never fails the request.
 */
import type { Logger, MaybePromise, Plugin } from "./types.ts";

interface HookAnswer<T, P extends Plugin = Plugin> {
  value: T;
  plugin: P;
}

function report(log: Logger, plugin: Plugin, hook: string, error: unknown): void {
  log.warn(`plugin ${plugin.name} threw in ${hook}`, { error: error instanceof Error ? error.message : String(error) });
}

/** Synchronous "first answer wins" (hot-path hooks such as judge). */
export function firstAnswer<T, P extends Plugin = Plugin>(
  plugins: readonly P[],
  hook: string,
  call: (plugin: P) => T | undefined | void,
  log: Logger,
): HookAnswer<T, P> | undefined {
  for (const plugin of plugins) {
    try {
      const value = call(plugin);
      if (value !== undefined) return { value, plugin };
    } catch (error) {
      report(log, plugin, hook, error);
    }
  }
  return undefined;
}

/** Asynchronous "first answer wins" (classify, guards). */
export async function firstAnswerAsync<T, P extends Plugin = Plugin>(
  plugins: readonly P[],
  hook: string,
  call: (plugin: P) => MaybePromise<T | undefined | void>,
  log: Logger,
): Promise<HookAnswer<T, P> | undefined> {
  for (const plugin of plugins) {
    try {
      const value = await call(plugin);
      if (value !== undefined) return { value, plugin };
    } catch (error) {
      report(log, plugin, hook, error);
    }
  }
  return undefined;
}

/** Waterfall: each plugin gets the previous result; a throw or undefined keeps the value as it was. */
// biome-ignore lint/complexity/useMaxParams: the same shape as firstAnswer and notifyAll, plus the initial value
export async function waterfall<T, P extends Plugin = Plugin>(
  plugins: readonly P[],
  hook: string,
  initial: T,
  call: (plugin: P, value: T) => MaybePromise<T | undefined | void>,
  log: Logger,
): Promise<T> {
  let value = initial;
  for (const plugin of plugins) {
    try {
      const next = await call(plugin, value);
      if (next !== undefined) value = next;
    } catch (error) {
      report(log, plugin, hook, error);
    }
  }
  return value;
}

/** Parallel notification: observers cannot change the outcome and their errors never fail a request. */
export function notifyAll<P extends Plugin>(
  plugins: readonly P[],
  hook: string,
  call: (plugin: P) => unknown,
  log: Logger,
): void {
  for (const plugin of plugins) {
    try {
      const result = call(plugin);
      if (result instanceof Promise) result.catch((error) => report(log, plugin, hook, error));
    } catch (error) {
      report(log, plugin, hook, error);
    }
  }
}
