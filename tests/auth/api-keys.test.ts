import { describe, expect, test } from "bun:test";
import { ApiKeyCheck, KeyRegistry } from "../../src/auth/api-keys.ts";
import { GatewayError } from "../../src/index.ts";
import { openStore } from "../../src/store/db.ts";
import { accountBackends } from "../helpers/account-stores.ts";

const KEY = "sk-gw-3f9a1c";
const headers = (init: Record<string, string> = {}) => new Headers(init);
// The config's keys are checked by the registry /v1 uses (here without stored keys).
const registry = new KeyRegistry(undefined);
const keysOf = (check: ApiKeyCheck, openAccess = false) => ({ digests: check.digestMap, openAccess });
const verify = (check: ApiKeyCheck, h: Headers) => registry.verify(h, keysOf(check), Date.now()).id;

/** The GatewayError the check throws, or undefined when it lets the request in. */
function refusal(check: ApiKeyCheck, init: Record<string, string>): GatewayError | undefined {
  try {
    verify(check, headers(init));
    return undefined;
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
}

describe("config API keys", () => {
  test("with no key configured, /v1 is open", () => {
    const check = new ApiKeyCheck([]);
    expect(registry.open(keysOf(check), 0)).toBe(true);
    expect(refusal(check, {})).toBeUndefined();
  });

  test("with a key configured, it is not open", () => {
    expect(registry.open(keysOf(new ApiKeyCheck([KEY])), 0)).toBe(false);
  });

  test("accepts the key as `Authorization: Bearer <key>`", () => {
    expect(refusal(new ApiKeyCheck([KEY]), { authorization: `Bearer ${KEY}` })).toBeUndefined();
  });

  test("accepts the key as `x-api-key: <key>`", () => {
    expect(refusal(new ApiKeyCheck([KEY]), { "x-api-key": KEY })).toBeUndefined();
  });

  test('"bearer" is case-insensitive', () => {
    const check = new ApiKeyCheck([KEY]);
    expect([
      refusal(check, { authorization: `bearer ${KEY}` }),
      refusal(check, { authorization: `BEARER ${KEY}` }),
    ]).toEqual([undefined, undefined]);
  });

  test("any of several configured keys is accepted", () => {
    expect(refusal(new ApiKeyCheck(["sk-one", KEY, "sk-three"]), { authorization: `Bearer ${KEY}` })).toBeUndefined();
  });

  test("a wrong key is refused with invalid_api_key and status 401", () => {
    const error = refusal(new ApiKeyCheck([KEY]), { authorization: "Bearer sk-gw-wrong" });
    expect(error).toBeInstanceOf(GatewayError);
    expect(error?.code).toBe("invalid_api_key");
    expect(error?.status).toBe(401);
  });

  test("a missing key is refused with invalid_api_key and status 401", () => {
    const error = refusal(new ApiKeyCheck([KEY]), {});
    expect(error?.code).toBe("invalid_api_key");
    expect(error?.status).toBe(401);
  });

  test("the missing-key message tells the client how to send one", () => {
    expect(refusal(new ApiKeyCheck([KEY]), {})?.message).toMatch(/Authorization: Bearer/);
  });

  test("`Bearer` with nothing after it counts as a missing key", () => {
    expect(refusal(new ApiKeyCheck([KEY]), { authorization: "Bearer " })?.code).toBe("invalid_api_key");
  });

  test("a prefix of the key is refused", () => {
    expect(refusal(new ApiKeyCheck([KEY]), { "x-api-key": KEY.slice(0, -1) })?.code).toBe("invalid_api_key");
  });

  test("keys are compared exactly (case matters)", () => {
    expect(refusal(new ApiKeyCheck([KEY]), { "x-api-key": KEY.toUpperCase() })?.code).toBe("invalid_api_key");
  });

  test("the refusal never echoes the presented key", () => {
    expect(refusal(new ApiKeyCheck([KEY]), { authorization: "Bearer sk-secret-guess" })?.message).not.toContain(
      "sk-secret-guess",
    );
  });

  test("an accepted key is identified by an id that is stable across config versions", () => {
    const id = verify(new ApiKeyCheck([KEY]), headers({ "x-api-key": KEY }));
    expect(id).toBeDefined();
    expect(verify(new ApiKeyCheck(["sk-other", KEY]), headers({ authorization: `Bearer ${KEY}` }))).toBe(id);
  });

  test("different keys get different ids, and an id never contains its key", () => {
    const check = new ApiKeyCheck([KEY, "sk-gw-second"]);
    const first = verify(check, headers({ "x-api-key": KEY }));
    const second = verify(check, headers({ "x-api-key": "sk-gw-second" }));
    expect(first).not.toBe(second);
    expect(`${first} ${second}`).not.toContain("sk-gw");
  });

  test("auth.open serves requests without a key even with keys configured; a configured key is still identified", () => {
    const check = new ApiKeyCheck([KEY]);
    expect(registry.open(keysOf(check, true), 0)).toBe(true);
    expect(registry.verify(headers(), keysOf(check, true), Date.now()).id).toBeUndefined();
    expect(registry.verify(headers({ "x-api-key": KEY }), keysOf(check, true), Date.now()).id).toBeDefined();
  });

  test("an open gateway gives no key id", () => {
    // A fresh registry: one that has seen a config with keys stays closed (the next test).
    expect(
      new KeyRegistry(undefined).verify(headers({ "x-api-key": KEY }), keysOf(new ApiKeyCheck([])), Date.now()).id,
    ).toBeUndefined();
  });

  test("once a config declared a key, a config without keys does not reopen /v1", () => {
    const fresh = new KeyRegistry(undefined);
    expect(fresh.open(keysOf(new ApiKeyCheck([])), 0)).toBe(true);
    expect(fresh.open(keysOf(new ApiKeyCheck([KEY])), 0)).toBe(false);
    expect(fresh.open(keysOf(new ApiKeyCheck([])), 0)).toBe(false);
  });
});

for (const backend of accountBackends)
  describe.skipIf(backend.skip)(`rotation, keys in ${backend.name}`, () => {
    const withKey = (key: string) => new Headers({ authorization: `Bearer ${key}` });
    const noConfigKeys = (openAccess: boolean) => ({ digests: new Map<string, string>(), openAccess });

    test("a rotated key keeps its id and limits; the old secret is refused, even on a /v1 open by config", async () => {
      const stores = await backend.open();
      const keys = new KeyRegistry(stores.keys, { saveEveryMs: 60_000 });
      try {
        await keys.ready;
        const { key: first, record } = await keys.create({ name: "ci", limits: { requestsPerMinute: 5 } }, 1000);
        const second = (await keys.rotate(record.id))!;
        expect(second).not.toBe(first);
        expect(keys.verify(withKey(second), noConfigKeys(false), 2000)).toEqual({
          id: record.id,
          limits: { requestsPerMinute: 5 },
        });
        for (const open of [false, true]) {
          const refused = (() => {
            try {
              keys.verify(withKey(first), noConfigKeys(open), 2000);
            } catch (error) {
              return error as GatewayError;
            }
          })();
          expect(refused?.message).toMatch(/replaced by a rotation/);
        }
        // Rotated twice: both earlier secrets stay refused.
        const third = (await keys.rotate(record.id))!;
        expect(() => keys.verify(withKey(second), noConfigKeys(true), 3000)).toThrow(/rotation/);
        expect(keys.verify(withKey(third), noConfigKeys(true), 3000).id).toBe(record.id);
        expect(JSON.stringify(await keys.list())).not.toMatch(/retired|hash/i);
        expect(await keys.rotate("key_nope")).toBeUndefined();
      } finally {
        await keys.close();
        await stores.close();
      }
    });
  });
