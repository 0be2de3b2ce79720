/**
 * Which plugins implement which hook, computed once per config (not per request). A plugin is called
 * for every hook it has, whichever list of the config it sits in (each list's own plugins first, then
 * the others in config order): an adapter with an `onComplete` observes, and a self-healing plugin with
 * `adapt` and `judge` does both from `adapters`, `retry.rules` or `plugins`.
 */
import type { Classifier, ParamAdapter, Plugin, RetryRule, Strategy, TierRefiner } from "../plugin/types.ts";

export interface HookLists {
  classifiers: Classifier[];
  /** config.adapters, then `plugins` that adapt. */
  adapters: ParamAdapter[];
  /** config.retry.rules, then `plugins` that judge. */
  rules: RetryRule[];
  guards: Plugin[];
  strategies: Strategy[];
  /** The built-in refiners (tool turns, sticky) first, then every plugin with `refineTier`. */
  refiners: TierRefiner[];
  /** Every plugin with onAttempt or onComplete, each once (the built-ins first). */
  observers: Plugin[];
}

export function hookLists(lists: {
  classifiers: Classifier[];
  adapters: ParamAdapter[];
  rules: RetryRule[];
  plugins: Plugin[];
  /** The gateway's own plugins the config's switches turned on, placed before the user's. */
  builtins?: Plugin[];
}): HookLists {
  const builtins = lists.builtins ?? [];
  const all = [
    ...new Set<Plugin>([...builtins, ...lists.classifiers, ...lists.adapters, ...lists.rules, ...lists.plugins]),
  ];
  const having = <P extends Plugin>(own: Plugin[], hook: keyof Plugin) =>
    [...new Set([...own, ...all.filter((p) => typeof p[hook] === "function")])] as P[];
  return {
    classifiers: having<Classifier>(lists.classifiers, "classify"),
    adapters: having<ParamAdapter>(lists.adapters, "adapt"),
    rules: having<RetryRule>(lists.rules, "judge"),
    guards: having(
      lists.plugins.filter((p) => p.onRequest),
      "onRequest",
    ),
    strategies: having<Strategy>([], "orderTargets"),
    refiners: having<TierRefiner>([], "refineTier"),
    observers: all.filter((p) => p.onAttempt || p.onComplete),
  };
}
