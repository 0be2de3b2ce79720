/** The one mapping of failures to what the client receives: responses, unknown errors, the in-band event. */
import { expect, test } from "bun:test";
import { errorResponse, INTERNAL_ERROR_MESSAGE, streamErrorEvent, toGatewayError } from "../src/error-response.ts";
import { GatewayError } from "../src/errors.ts";
import { recordingLogger } from "./helpers/gateway-harness.ts";

test("a GatewayError answers with its status, its headers, the extra headers and OpenAI's body", async () => {
  const response = errorResponse(
    new GatewayError("rate_limited", "slow down", { retryAfterMs: 1500, param: "model" }),
    { "x-request-id": "r1" },
  );
  expect(response.status).toBe(429);
  expect(response.headers.get("content-type")).toBe("application/json");
  expect(response.headers.get("retry-after")).toBe("2");
  expect(response.headers.get("x-request-id")).toBe("r1");
  expect(await response.json()).toEqual({
    error: { message: "slow down", type: "rate_limit_error", code: "rate_limited", param: "model" },
  });
});

test("an unknown error is a 500 internal_error that says nothing of the cause, logged once with its stack", async () => {
  const log = recordingLogger();
  const cause = new Error("ENOENT: /srv/secret/path");
  const response = errorResponse(toGatewayError(cause, log, "route failed"));
  expect(response.status).toBe(500);
  const text = await response.text();
  expect(JSON.parse(text)).toEqual({
    error: { message: INTERNAL_ERROR_MESSAGE, type: "api_error", code: "internal_error", param: null },
  });
  expect(text).not.toContain("secret");
  expect(log.lines).toHaveLength(1);
  expect(log.lines[0]).toStartWith("error route failed");
  expect(log.lines[0]).toContain("/srv/secret/path");
});

test("a GatewayError passes through unlogged", () => {
  const log = recordingLogger();
  const error = new GatewayError("not_found", "no");
  expect(toGatewayError(error, log, "x")).toBe(error);
  expect(log.lines).toHaveLength(0);
});

test("the in-band stream error event keeps its shape", () => {
  const bytes = streamErrorEvent({ code: "stream_stalled", message: "stalled" });
  expect(new TextDecoder().decode(bytes)).toBe(
    'data: {"error":{"message":"stalled","type":"upstream_error","code":"stream_stalled","param":null}}\n\n',
  );
});
