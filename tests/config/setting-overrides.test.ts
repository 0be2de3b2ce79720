/** Which config settings the process overrides, and by what: a flag wins over the environment. */
import { describe, expect, test } from "bun:test";
import { settingOverrides } from "../../src/config/process-settings.ts";

describe("settingOverrides", () => {
  test("GATEWAY_PORT and GATEWAY_HOST override server.port and server.host", () => {
    expect(settingOverrides({ GATEWAY_PORT: "7001", GATEWAY_HOST: "0.0.0.0" }, [])).toEqual([
      { path: "server.port", by: "GATEWAY_PORT", value: "7001" },
      { path: "server.host", by: "GATEWAY_HOST", value: "0.0.0.0" },
    ]);
  });

  test("--port wins over GATEWAY_PORT; empty values override nothing", () => {
    expect(settingOverrides({ GATEWAY_PORT: "7001", GATEWAY_HOST: "" }, ["--port=7002"])).toEqual([
      { path: "server.port", by: "--port", value: "7002" },
    ]);
    expect(settingOverrides({}, [])).toEqual([]);
  });
});
