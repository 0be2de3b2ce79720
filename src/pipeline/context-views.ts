/**
 * The read-only views of health and usage that plugin contexts carry (`ctx.health`, `ctx.usage`),
 * built over the gateway's registries at the clock's time of each call.
 */
import type { Clock, TargetHealth, UsageView } from "../plugin/types.ts";
import type { HealthRegistry } from "../routing/health.ts";
import type { UsageTracker } from "../routing/usage.ts";

export function healthView(health: HealthRegistry, clock: Clock): (ref: string) => TargetHealth {
  return (ref) => {
    const now = clock.now();
    const view = health.view(ref, now);
    return {
      score: view.score,
      state: view.state,
      availability: health.availability(ref, now),
      errorRate: view.errorRate,
      attemptsInWindow: view.attemptsInWindow,
      latencyMs: view.latencyMs,
      ttftMs: view.ttftMs,
      cooldownUntil: view.cooldownUntil,
    };
  };
}

export function usageView(usage: UsageTracker, clock: Clock): UsageView {
  return { recentUses: (ref) => usage.recentUses(ref, clock.now()), recentPicks: (tier) => usage.history(tier) };
}
