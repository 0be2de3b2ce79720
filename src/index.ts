/**
 * SmartRoute's public API: everything a `gateway.config.ts` or a plugin (built-in or the user's own)
 * imports. Plugins import only this file.
 */
export { defineConfig } from "./config/define.ts";
export { createGateway, type CreateGatewayOptions, type InMemoryGateway } from "./create-gateway.ts";
export { env, isEnvRef, resolveEnv, type EnvRef } from "./config/env.ts";
export { definePlugin } from "./plugin/define.ts";
export { GatewayError, type GatewayErrorCode } from "./errors.ts";
export { Type, type Static, type TSchema } from "@sinclair/typebox";
export { RegExpObject, StringOrRegExp } from "./plugin/schemas.ts";
export { parseRetryAfter } from "./pipeline/retry-after.ts";
export { VirtualClock, VIRTUAL_EPOCH } from "./pipeline/virtual-clock.ts";
export { matchesTarget } from "./plugin/match.ts";
export { CLASSIFIER_VIEW, classifierView, latestUserText, textOf } from "./pipeline/message-text.ts";
export type * from "./plugin/types.ts";
export type * from "./config/types.ts";
