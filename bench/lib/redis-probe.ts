/** Whether a Redis answers at `url` (within half a second): what the cluster bench and tests check first. */
import { Redis } from "ioredis";

export async function redisAnswersAt(url: string): Promise<boolean> {
  const probe = new Redis(url, { lazyConnect: true, connectTimeout: 500, maxRetriesPerRequest: 0 });
  probe.on("error", () => {});
  try {
    await probe.connect();
    return (await probe.ping()) === "PONG";
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}
