/** The Anthropic Messages front door (`POST /v1/messages`): Claude Code and the Anthropic SDKs. */
import type { FrontDoor } from "../door.ts";
import { messagesError } from "./errors.ts";
import { messagesToChat } from "./request.ts";
import { chatToMessage } from "./response.ts";
import { messagesStream } from "./stream.ts";

export const messagesDoor: FrontDoor = {
  name: "messages",
  api: "anthropic",
  // Anthropic's own in-band error event: the same one the translated stream ends with.
  nativeStreamError: (failure) => messagesStream({}).error(failure).join(""),
  toChat: messagesToChat,
  fromChat: chatToMessage,
  stream: messagesStream,
  errorBody: messagesError,
  fieldNames: { stop: "stop_sequences", tool_choice: "tool_choice" },
};
