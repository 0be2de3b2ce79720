/**
 * Errors in OpenAI's shape, which the Responses API shares with chat completions:
 * `{ error: { message, type, code, param } }`, the type named by the status.
 */
import { openaiErrorType } from "../../errors.ts";
import type { Obj } from "../door.ts";

export function responsesError(status: number, error: { message: string; code: string; param?: string | null }): Obj {
  return {
    error: { message: error.message, type: openaiErrorType(status), code: error.code, param: error.param ?? null },
  };
}
