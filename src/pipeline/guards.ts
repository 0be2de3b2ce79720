/** Stage 1b, guards: the plugins with `onRequest`, in config order; the first rejection ends the request. */
import type { ResolvedConfig } from "../config/types.ts";
import { rejectionError } from "../plugin/rejection.ts";
import { firstAnswerAsync } from "../plugin/runner.ts";
import type { RequestContext } from "../plugin/types.ts";

/** Runs guards (`onRequest`); the first rejection ends the request with its message, status and code. */
export async function runGuards(ctx: RequestContext, config: ResolvedConfig): Promise<void> {
  const guards = config.hooks.guards;
  if (guards.length === 0) return;
  const answer = await firstAnswerAsync(guards, "onRequest", (p) => p.onRequest!(ctx), ctx.log);
  if (!answer) return;
  throw rejectionError(answer.value.reject);
}
