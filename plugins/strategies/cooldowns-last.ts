/**
 * Runs after every other strategy: targets that cannot take traffic now (circuit open, or a half-open
 * probe already taken) go last, each group keeping its order. They are still tried when everything else
 * failed, so a request is never refused only because every model had a bad minute; a half-open target
 * whose probe is free keeps its place, so the next request probes it.
 */
import { definePlugin, type Strategy, type Target } from "../../src/index.ts";

export function cooldownsLast(): Strategy {
  return definePlugin({
    name: "builtin:cooldowns-last",
    orderTargets(targets, ctx) {
      const cooling: Target[] = [];
      const ready: Target[] = [];
      for (const target of targets) (ctx.health(target.ref).availability === "cooling" ? cooling : ready).push(target);
      return cooling.length === 0 ? targets : [...ready, ...cooling];
    },
  });
}
