/** A guard's rejection as the request's error: its status and code reach the client (src/plugin/rejection.ts). */
import { describe, expect, test } from "bun:test";
import { rejectionError } from "../../src/plugin/rejection.ts";

const answer = (reject: { message: string; status?: number; code?: string }) => {
  const error = rejectionError(reject);
  return { code: error.code, status: error.status, body: error.toJSON().error };
};

describe("rejectionError", () => {
  test("a status and a code of the guard's own: both sent, on a generic rejected error", () => {
    expect(answer({ message: "pay first", status: 402, code: "payment_required" })).toEqual({
      code: "rejected",
      status: 402,
      body: { message: "pay first", type: "invalid_request_error", code: "payment_required", param: null },
    });
  });

  test("a bare status of ours keeps the code it always had", () => {
    expect(answer({ message: "m", status: 403 })).toMatchObject({ code: "forbidden", status: 403 });
    expect(answer({ message: "m", status: 429 })).toMatchObject({ code: "rate_limited", status: 429 });
    expect(answer({ message: "m", status: 401 })).toMatchObject({ code: "invalid_api_key", status: 401 });
    expect(answer({ message: "m" })).toMatchObject({ code: "invalid_request", status: 400 });
  });

  test("any other status is kept, with the code rejected", () => {
    expect(answer({ message: "m", status: 503 })).toMatchObject({
      code: "rejected",
      status: 503,
      body: { code: "rejected", type: "api_error" },
    });
  });

  test("a code of ours alone takes its status; with another status it is kept as the guard's", () => {
    expect(answer({ message: "m", code: "rate_limited" })).toMatchObject({ code: "rate_limited", status: 429 });
    expect(answer({ message: "m", code: "rate_limited", status: 503 })).toMatchObject({
      code: "rejected",
      status: 503,
      body: { code: "rate_limited" },
    });
  });

  test("a status that is no failure is a 400", () => {
    expect(answer({ message: "m", status: 200 })).toMatchObject({ code: "invalid_request", status: 400 });
    expect(answer({ message: "m", status: 302, code: "moved" })).toMatchObject({
      code: "rejected",
      status: 400,
      body: { code: "moved" },
    });
  });
});
