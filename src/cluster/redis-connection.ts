/**
 * What `GATEWAY_REDIS_URL` names, as ioredis connection options: one Redis (`redis://`, `rediss://` for
 * TLS: ioredis reads those itself), or a master found through Redis Sentinel
 * (`redis-sentinel://[:password@]host:port[,host:port…]/master-name[?db=N]`), which ioredis follows to
 * the new master after a failover.
 */
import type { RedisOptions } from "ioredis";

const SENTINEL = "redis-sentinel:";

/** ioredis options for `url` (merged over the caller's own), or the URL itself for one Redis. */
export function redisTarget(url: string): string | RedisOptions {
  if (!url.startsWith(`${SENTINEL}//`)) return url;
  // The host list is not a URL's authority (commas): the URL parser reads the rest after the first host.
  const rest = url.slice(SENTINEL.length + 2);
  const at = rest.lastIndexOf("@", rest.indexOf("/") === -1 ? rest.length : rest.indexOf("/"));
  const auth = at === -1 ? "" : rest.slice(0, at);
  const afterAuth = rest.slice(at + 1);
  const slash = afterAuth.indexOf("/");
  const hosts = slash === -1 ? afterAuth : afterAuth.slice(0, slash);
  const parsed = new URL(`http://x${slash === -1 ? "/" : afterAuth.slice(slash)}`);
  const name = decodeURIComponent(parsed.pathname.slice(1));
  if (!name)
    throw new Error("GATEWAY_REDIS_URL: a redis-sentinel:// URL names its master after the hosts (…/mymaster)");
  const sentinels = hosts.split(",").map((host) => {
    const [hostname, port = "26379"] = host.split(":");
    if (!hostname || !/^\d+$/.test(port)) throw new Error(`GATEWAY_REDIS_URL: "${host}" is not host:port`);
    return { host: hostname, port: Number(port) };
  });
  const password = auth.includes(":") ? decodeURIComponent(auth.slice(auth.indexOf(":") + 1)) : undefined;
  const db = parsed.searchParams.get("db");
  return { sentinels, name, ...(password ? { password } : {}), ...(db ? { db: Number(db) } : {}) };
}
