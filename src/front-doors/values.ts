/** Small readers of untyped JSON shared by the front doors (the client's body is checked, never trusted). */
import { GatewayError } from "../errors.ts";
import type { Obj } from "./door.ts";

export const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
export const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
export const num = (v: unknown): number | undefined => (typeof v === "number" ? v : undefined);

/** A 400 naming the field (`param`), its message prefixed with it so a log line alone says what was wrong. */
export function invalid(param: string, message: string): GatewayError {
  return new GatewayError("invalid_request", `${param}: ${message}`, { param });
}
