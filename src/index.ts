/**
 * SmartRoute's public API: everything a `gateway.config.ts` or a plugin (built-in or the user's own)
 * imports. Plugins import only this file.
 */

export { type Static, type TSchema, Type } from "@sinclair/typebox";
export { defineConfig } from "./config/define.ts";
export { type EnvRef, env, isEnvRef, resolveEnv } from "./config/env.ts";
export type * from "./config/types.ts";
export { type CreateGatewayOptions, createGateway, type InMemoryGateway } from "./create-gateway.ts";
export { GatewayError, type GatewayErrorCode } from "./errors.ts";
export type { Explanation } from "./pipeline/explain.ts";
export { CLASSIFIER_VIEW, classifierView, latestUserText, textOf } from "./pipeline/message-text.ts";
export { parseRetryAfter } from "./pipeline/retry-after.ts";
export { VIRTUAL_EPOCH, VirtualClock } from "./pipeline/virtual-clock.ts";
export { definePlugin } from "./plugin/define.ts";
export { matchesTarget } from "./plugin/match.ts";
export { RegExpObject, StringOrRegExp } from "./plugin/schemas.ts";
export type * from "./plugin/types.ts";
export { conversationKey, toolTurnOrigin, turnKey } from "./routing/conversations.ts";
