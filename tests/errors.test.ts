/** The closed set of `GatewayError` codes and their statuses (DESIGN §11: mapped in one place). */
import { describe, expect, test } from "bun:test";
import { GATEWAY_ERROR_STATUS, GatewayError, type GatewayErrorCode, isGatewayErrorCode } from "../src/errors.ts";

const CODES = Object.keys(GATEWAY_ERROR_STATUS) as GatewayErrorCode[];

describe("every code", () => {
  test.each(CODES)("%s has a failure status and answers with it", (code) => {
    const status = GATEWAY_ERROR_STATUS[code];
    expect(status === 499 || (status >= 400 && status <= 599)).toBe(true);
    const error = new GatewayError(code, "m");
    expect(error.status).toBe(status);
    expect(error.toJSON().error.code).toBe(code);
  });
});

test("the mid-stream codes are in the closed set", () => {
  for (const code of ["stream_stalled", "stream_cut", "upstream_error", "deadline_exceeded", "client_closed"])
    expect(isGatewayErrorCode(code)).toBe(true);
  expect(isGatewayErrorCode("toString")).toBe(false);
});

test("only rejected and upstream_client_error borrow a status, and only a 4xx or 5xx", () => {
  expect(new GatewayError("rejected", "m", { status: 402 }).status).toBe(402);
  expect(new GatewayError("upstream_client_error", "m", { upstreamStatus: 422 }).status).toBe(422);
  expect(new GatewayError("rejected", "m", { status: 200 }).status).toBe(400);
  expect(new GatewayError("not_found", "m", { status: 402 }).status).toBe(404);
});

test("data goes beside error at the body's top level", () => {
  const error = new GatewayError("config_invalid", "no", {
    data: { ok: false, issues: [{ path: "a", message: "b" }] },
  });
  expect(JSON.parse(JSON.stringify(error))).toEqual({
    ok: false,
    issues: [{ path: "a", message: "b" }],
    error: { message: "no", type: "invalid_request_error", code: "config_invalid", param: null },
  });
});
