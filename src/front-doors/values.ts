/** Small readers of untyped JSON shared by the front doors (the client's body is checked, never trusted). */
import type { Obj } from "./door.ts";

export const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
export const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
export const num = (v: unknown): number | undefined => (typeof v === "number" ? v : undefined);

export { invalidField as invalid } from "../errors.ts";
