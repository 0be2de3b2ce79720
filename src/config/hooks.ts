/**
 * Which plugins implement which hook, computed once per config (not per request). A plugin is called
 * for every hook it has, whichever list of the config it sits in: an adapter with an `onComplete`
 * observes, and a plugin in `plugins` with `adapt` and `judge` (a self-healing one) adapts and judges.
 */
import type { Classifier, ParamAdapter, Plugin, RetryRule, Strategy } from "../plugin/types.ts";

export interface HookLists {
  classifiers: Classifier[];
  /** config.adapters, then `plugins` that adapt. */
  adapters: ParamAdapter[];
  /** config.retry.rules, then `plugins` that judge. */
  rules: RetryRule[];
  guards: Plugin[];
  strategies: Strategy[];
  /** Every plugin with onAttempt or onComplete, each once. */
  observers: Plugin[];
}

export function hookLists(lists: { classifiers: Classifier[]; adapters: ParamAdapter[]; rules: RetryRule[]; plugins: Plugin[] }): HookLists {
  const all = [...new Set([...lists.classifiers, ...lists.adapters, ...lists.rules, ...lists.plugins])];
  return {
    classifiers: lists.classifiers,
    adapters: [...lists.adapters, ...(lists.plugins.filter((p) => p.adapt && !lists.adapters.includes(p as ParamAdapter)) as ParamAdapter[])],
    rules: [...lists.rules, ...(lists.plugins.filter((p) => p.judge && !lists.rules.includes(p as RetryRule)) as RetryRule[])],
    guards: lists.plugins.filter((p) => p.onRequest),
    strategies: lists.plugins.filter((p) => p.orderTargets) as Strategy[],
    observers: all.filter((p) => p.onAttempt || p.onComplete),
  };
}
