import type { Clock } from "../plugin/types.ts";

const pad = (n: number) => String(n).padStart(2, "0");

/** The real clock. Tests pass their own `Clock` instead (`VirtualClock`). */
export const systemClock: Clock = {
  // Epoch milliseconds with sub-millisecond resolution: gateway overhead is measured in fractions of a ms.
  now: () => performance.timeOrigin + performance.now(),
  localTime() {
    const d = new Date();
    return `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  },
  sleep(ms, signal) {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const onAbort = () => (clearTimeout(timer), reject(signal?.reason));
      const timer = setTimeout(() => (signal?.removeEventListener("abort", onAbort), resolve()), ms);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  },
  setTimer(ms, fn) {
    const timer = setTimeout(fn, ms);
    return () => clearTimeout(timer);
  },
};
