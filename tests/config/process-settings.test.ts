import { describe, expect, test } from "bun:test";
import { resolve } from "node:path";
import { readProcessSettings } from "../../src/config/process-settings.ts";

const CWD = "/srv/gateway";

describe("readProcessSettings", () => {
  test("defaults: ./gateway.config.ts and ./data in the working directory, no port or host override", () => {
    expect(readProcessSettings({}, [], CWD)).toEqual({
      configPath: resolve(CWD, "gateway.config.ts"),
      dataDir: resolve(CWD, "data"),
      port: undefined,
      host: undefined,
    });
  });

  test("environment variables set every setting", () => {
    const env = {
      GATEWAY_CONFIG: "conf/prod.config.ts",
      GATEWAY_PORT: "8080",
      GATEWAY_HOST: "127.0.0.1",
      GATEWAY_DATA_DIR: "/var/lib/smartroute",
    };
    expect(readProcessSettings(env, [], CWD)).toEqual({
      configPath: resolve(CWD, "conf/prod.config.ts"),
      dataDir: "/var/lib/smartroute",
      port: 8080,
      host: "127.0.0.1",
    });
  });

  test("cluster mode: GATEWAY_REDIS_URL (or --redis-url) and what limits do while Redis is down", () => {
    const env = {
      GATEWAY_REDIS_URL: "redis://10.0.0.5:6379",
      GATEWAY_REDIS_LIMITS_WHEN_DOWN: "open",
      GATEWAY_REDIS_PREFIX: "team-a:",
    };
    expect(readProcessSettings(env, [], CWD)).toMatchObject({
      redisUrl: env.GATEWAY_REDIS_URL,
      redisLimitsWhenDown: "open",
      redisPrefix: "team-a:",
    });
    expect(readProcessSettings(env, ["--redis-url=redis://other:6379"], CWD).redisUrl).toBe("redis://other:6379");
    expect(readProcessSettings({ GATEWAY_REDIS_URL: "" }, [], CWD).redisUrl).toBeUndefined();
    expect(() => readProcessSettings({ GATEWAY_REDIS_LIMITS_WHEN_DOWN: "maybe" }, [], CWD)).toThrow(/closed" or "open/);
  });

  test("cluster mode: GATEWAY_DATABASE_URL (or --database-url) puts the request log in PostgreSQL", () => {
    const url = "postgres://gw:pw@10.0.0.6:5432/smartroute";
    expect(readProcessSettings({ GATEWAY_DATABASE_URL: url }, [], CWD).databaseUrl).toBe(url);
    expect(
      readProcessSettings({ GATEWAY_DATABASE_URL: url }, ["--database-url", "postgresql://other/db"], CWD).databaseUrl,
    ).toBe("postgresql://other/db");
    expect(readProcessSettings({ GATEWAY_DATABASE_URL: "" }, [], CWD).databaseUrl).toBeUndefined();
    expect(() => readProcessSettings({ GATEWAY_DATABASE_URL: "mysql://db/x" }, [], CWD)).toThrow(
      "GATEWAY_DATABASE_URL (--database-url) must start with postgres:// or postgresql://",
    );
  });

  test("a database URL is shown without its password", async () => {
    const { describeDatabaseUrl } = await import("../../src/config/process-settings.ts");
    expect(describeDatabaseUrl("postgres://gw:s3cret@db:5432/smartroute")).toBe("postgres://gw:***@db:5432/smartroute");
    expect(describeDatabaseUrl("postgres://db/smartroute")).toBe("postgres://db/smartroute");
  });

  test("--port 7000 wins over GATEWAY_PORT", () => {
    expect(readProcessSettings({ GATEWAY_PORT: "8080" }, ["--port", "7000"], CWD).port).toBe(7000);
  });

  test("--port=7000 wins over GATEWAY_PORT", () => {
    expect(readProcessSettings({ GATEWAY_PORT: "8080" }, ["--port=7000"], CWD).port).toBe(7000);
  });

  test("--host, --config and --data-dir win over their variables", () => {
    const env = { GATEWAY_HOST: "0.0.0.0", GATEWAY_CONFIG: "a.ts", GATEWAY_DATA_DIR: "env-data" };
    const settings = readProcessSettings(env, ["--host", "localhost", "--config=b.ts", "--data-dir", "cli-data"], CWD);
    expect(settings).toMatchObject({
      host: "localhost",
      configPath: resolve(CWD, "b.ts"),
      dataDir: resolve(CWD, "cli-data"),
    });
  });

  test("flags are found among other arguments", () => {
    expect(readProcessSettings({}, ["src/main.ts", "--verbose", "--port", "9000"], CWD).port).toBe(9000);
  });

  test("an empty GATEWAY_PORT or GATEWAY_HOST counts as unset", () => {
    expect(readProcessSettings({ GATEWAY_PORT: "", GATEWAY_HOST: "" }, [], CWD)).toMatchObject({
      port: undefined,
      host: undefined,
    });
  });

  test("port 0 (any free port) is accepted", () => {
    expect(readProcessSettings({}, ["--port", "0"], CWD).port).toBe(0);
  });

  test("an invalid --port is refused with a message naming the flag and the value", () => {
    expect(() => readProcessSettings({}, ["--port", "http"], CWD)).toThrow(/--port.*port number.*"http"/);
  });

  test("an out-of-range GATEWAY_PORT is refused with a message naming the variable and the value", () => {
    expect(() => readProcessSettings({ GATEWAY_PORT: "70000" }, [], CWD)).toThrow(/GATEWAY_PORT.*"70000"/);
  });

  test("a fractional port is refused", () => {
    expect(() => readProcessSettings({}, ["--port=80.5"], CWD)).toThrow(/port/);
  });

  test("a valid --port makes an invalid GATEWAY_PORT irrelevant", () => {
    expect(readProcessSettings({ GATEWAY_PORT: "nope" }, ["--port", "7000"], CWD).port).toBe(7000);
  });
});
