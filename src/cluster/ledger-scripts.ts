/**
 * The Lua scripts of the shared spend ledger. Each is one atomic step on Redis, so requests of one key on
 * every process of a cluster check and add against the same totals: spent + reserved never passes the
 * budget, and the in-flight count never passes the cap. Holds carry an expiry (a sorted set's score):
 * the process that made one renews it while its request runs, so a killed process's holds lapse instead of
 * holding the budget or the cap for good.
 *
 * Budget keys (per key and window): KEYS[1] the account hash (spent, reserved), KEYS[2] the holds hash
 * (id → micros), KEYS[3] the holds' expiries (zset id → expiresAt).
 */

// Drops the holds expired at ARGV[1] (now) from the reserved total.
const EXPIRE_HOLDS = `
local gone = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', ARGV[1])
for _, id in ipairs(gone) do
  local m = redis.call('HGET', KEYS[2], id)
  if m then redis.call('HINCRBY', KEYS[1], 'reserved', -tonumber(m)) end
  redis.call('HDEL', KEYS[2], id)
end
if #gone > 0 then redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', ARGV[1]) end
`;

/**
 * ARGV: now, limit, micros, id, expiresAt, seed (what the log says was spent, used by the window's first
 * caller), keepMs (how long the window's keys live, 0: for good). Returns 1 (reserved) or 0 (refused).
 */
export const RESERVE = `${EXPIRE_HOLDS}
redis.call('HSETNX', KEYS[1], 'spent', ARGV[6])
local spent = tonumber(redis.call('HGET', KEYS[1], 'spent'))
local reserved = tonumber(redis.call('HGET', KEYS[1], 'reserved') or '0')
local micros = tonumber(ARGV[3])
if spent + reserved + micros > tonumber(ARGV[2]) then return 0 end
redis.call('HINCRBY', KEYS[1], 'reserved', micros)
redis.call('HSET', KEYS[2], ARGV[4], micros)
redis.call('ZADD', KEYS[3], ARGV[5], ARGV[4])
local keep = tonumber(ARGV[7])
if keep > 0 then for i = 1, 3 do redis.call('PEXPIRE', KEYS[i], keep) end end
return 1
`;

/** ARGV: id, micros (the real cost). The hold, if it has not lapsed, is released; the cost is added. */
export const SETTLE = `
local m = redis.call('HGET', KEYS[2], ARGV[1])
if m then
  redis.call('HINCRBY', KEYS[1], 'reserved', -tonumber(m))
  redis.call('HDEL', KEYS[2], ARGV[1])
  redis.call('ZREM', KEYS[3], ARGV[1])
end
redis.call('HINCRBY', KEYS[1], 'spent', ARGV[2])
return 1
`;

/** ARGV: now. Returns { spent or -1 when the window has no account yet, reserved }. */
export const USAGE = `${EXPIRE_HOLDS}
local spent = redis.call('HGET', KEYS[1], 'spent')
return { tonumber(spent or '-1'), tonumber(redis.call('HGET', KEYS[1], 'reserved') or '0') }
`;

/** KEYS[1]: the key's flights (zset id → expiresAt). ARGV: now, max, id, expiresAt, ttlMs. 1: counted. */
export const ENTER = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[4], ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return 1
`;
