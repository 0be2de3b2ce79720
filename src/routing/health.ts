/**
 * Health of each target ("provider/model"), as the router needs it: is it in cooldown, and why.
 * Behind an interface so a shared store (Redis) can replace the in-process one when several gateway
 * processes run (DESIGN §12). Scores and half-open probing build on this (routing issue).
 */
export interface CooldownInfo {
  until: number;
  reason: string;
}

export interface HealthRegistry {
  /** The target's cooldown, if it is in one at `now`. */
  cooldownOf(ref: string, now: number): CooldownInfo | undefined;
  /** Puts a target in cooldown until `until` (a later cooldown wins over an earlier one). */
  coolDown(ref: string, until: number, reason: string): void;
  /** A healthy answer: ends any cooldown. */
  recordSuccess(ref: string): void;
}

export class MemoryHealthRegistry implements HealthRegistry {
  private readonly cooldowns = new Map<string, CooldownInfo>();

  cooldownOf(ref: string, now: number): CooldownInfo | undefined {
    const info = this.cooldowns.get(ref);
    if (info && info.until <= now) {
      this.cooldowns.delete(ref);
      return undefined;
    }
    return info;
  }

  coolDown(ref: string, until: number, reason: string): void {
    const current = this.cooldowns.get(ref);
    if (!current || current.until < until) this.cooldowns.set(ref, { until, reason });
  }

  recordSuccess(ref: string): void {
    if (this.cooldowns.size > 0) this.cooldowns.delete(ref);
  }
}
