/** Which errors the cluster-mode guard treats as the PostgreSQL driver's strays, and which it leaves alone. */
import { expect, test } from "bun:test";
import { isDriverStray } from "../../src/store/pg/driver-strays.ts";

test("a refused reconnect is a stray; the program's own errors are not", () => {
  const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), {
    code: "ECONNREFUSED",
    syscall: "connect",
  });
  expect(isDriverStray(refused)).toBe(true);
  expect(isDriverStray(new TypeError("null is not an object (evaluating 'socket.write')"))).toBe(false); // not from the driver
  expect(isDriverStray(new TypeError("undefined is not a function"))).toBe(false);
  expect(isDriverStray(Object.assign(new Error("refused"), { code: "ECONNREFUSED" }))).toBe(false); // no connect syscall
  expect(isDriverStray("a string")).toBe(false);
});
