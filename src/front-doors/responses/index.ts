/** The OpenAI Responses front door (`POST /v1/responses`): Codex CLI and the `openai` SDK's `responses`. */
import type { FrontDoor } from "../door.ts";
import { responsesError } from "./errors.ts";
import { responsesToChat } from "./request.ts";
import { chatToResponse } from "./response.ts";
import { responsesNativeError, responsesStream } from "./stream.ts";

export const responsesDoor: FrontDoor = {
  name: "responses",
  api: "responses",
  nativeStreamError: responsesNativeError,
  toChat: responsesToChat,
  fromChat: chatToResponse,
  stream: responsesStream,
  errorBody: responsesError,
  fieldNames: {
    max_tokens: "max_output_tokens",
    messages: "input",
    response_format: "text.format",
    reasoning_effort: "reasoning.effort",
  },
};
