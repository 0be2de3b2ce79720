/**
 * A request the gateway answered without planning a route: refused at the edge (a bad key, a key's
 * rate limit, a body too large, the admission caps) or by the pipeline before its first attempt (bad
 * input, a guard, a key's tiers or models, a budget, Redis down for shared limits). What the request
 * log keeps of it: who, what it asked when known, and the status, code and message the client got.
 * Plain data: it is turned into a log row off the request path (src/store/record.ts).
 */
import type { GatewayError } from "../errors.ts";

/** The API a request came through, as the log's `door` column names it. */
export type LogDoor = "chat" | "messages" | "responses" | "embeddings";

export interface Refusal {
  /** The request id (the pipeline's, or a new one at the edge), sent back as `x-request-id`. */
  id: string;
  /** When the request arrived and when it was refused (epoch ms). */
  startedAt: number;
  finishedAt: number;
  door: LogDoor;
  client: { ip?: string; apiKeyId?: string };
  status: number;
  /** The code the client got in `error.code` (`invalid_api_key`, `rate_limited`, `budget_exceeded`, ...). */
  code: string;
  message: string;
  /** The `model` the client asked for, when its body was read and parsed. */
  requestedModel?: string;
  /** The tier, when the refusal came after routing chose one (a key limited to other tiers). */
  tier?: string;
  stream?: boolean;
  /** The latest user message (bounded), when the body was parsed. */
  text?: string;
  /**
   * The body as the client sent it, only once its key was accepted and the body read: never for a 401,
   * a key's rate limit, a body too large or an admission refusal (kept per `logging.bodies`).
   */
  body?: string;
}

/** The refusal's status, code and message from the error the client gets. */
export function refusalOf(error: GatewayError): Pick<Refusal, "status" | "code" | "message"> {
  return { status: error.status, code: error.clientVisibleCode, message: error.message };
}
