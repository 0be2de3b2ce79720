/**
 * Serves one request through a front door: the client's key and body are checked as for chat
 * completions, the body is translated into a chat request and handed to the pipeline, and the
 * pipeline's answer (JSON, a stream, or an error) is translated back. Every failure, the gateway's own
 * included, reaches the client in the door's error shape with the gateway's status and headers.
 */
import type { ResolvedConfig } from "../config/types.ts";
import { toGatewayError } from "../error-response.ts";
import type { GatewayError } from "../errors.ts";
import type { Gateway } from "../gateway.ts";
import { readV1Call } from "../http/v1-call.ts";
import { parseJsonObject } from "../pipeline/accept.ts";
import { endsWithRelay } from "../pipeline/relay.ts";
import { isPassedThrough } from "../pipeline/respond.ts";
import { SseParser } from "../pipeline/sse.ts";
import type { FrontDoor, Obj, StreamTranslator } from "./door.ts";
import { isObj } from "./values.ts";

const encoder = new TextEncoder();

/**
 * A door's request answered by the gateway itself (no pipeline, no upstream), such as count_tokens:
 * the same key check and body rules, and errors in the door's shape.
 */
export async function serveLocally(
  door: FrontDoor,
  request: Request,
  gateway: Gateway,
  answer: (body: Obj, config: ResolvedConfig) => Promise<{ body: Obj; headers?: Record<string, string> }>,
): Promise<Response> {
  try {
    const { config, call } = await readV1Call(request, gateway);
    const body = parseJsonObject(call.body, config.limits);
    const result = await answer(body, config);
    return Response.json(result.body, { headers: result.headers });
  } catch (error) {
    const failure = toGatewayError(error, gateway.log, `unexpected ${door.name} door error`);
    return doorError(door, failure, failure.headers());
  }
}

export async function serveDoor(door: FrontDoor, request: Request, gateway: Gateway): Promise<Response> {
  try {
    const { config, call, refuse } = await readV1Call(request, gateway, door.name);
    let body: Obj;
    let translated: ReturnType<FrontDoor["toChat"]>;
    try {
      body = parseJsonObject(call.body, config.limits);
      translated = door.toChat(body, request.headers);
    } catch (error) {
      throw refuse(error);
    }
    const answer = await gateway.pipeline.handle(
      {
        ...call,
        body: JSON.stringify(translated.chat),
        door: {
          name: door.name,
          api: door.api,
          streamError: door.nativeStreamError,
          nativeOnly: translated.nativeOnly,
          requestText: call.body,
          notes: translated.notes,
          answerForLog: (completion) => door.fromChat(completion, body),
        },
      },
      config,
    );
    return translateAnswer(door, body, answer);
  } catch (error) {
    const failure = toGatewayError(error, gateway.log, `unexpected ${door.name} door error`);
    return doorError(door, failure, failure.headers());
  }
}

function doorError(door: FrontDoor, error: GatewayError, headers: Record<string, string>): Response {
  const { message, code, param } = error.toJSON().error;
  return Response.json(door.errorBody(error.status, { message, code, param }), { status: error.status, headers });
}

/** A pipeline 400 about a chat field, reworded with the field's name in the door's format. */
function inDoorTerms(
  door: FrontDoor,
  error: { message: string; param: string | null },
): { message: string; param: string | null } {
  const own = error.param ? door.fieldNames?.[error.param] : undefined;
  if (!own || !error.param) return error;
  return { message: error.message.replaceAll(`\`${error.param}\``, `\`${own}\``), param: own };
}

/** The pipeline's answer in the door's format, with the gateway's headers kept. */
async function translateAnswer(door: FrontDoor, body: Obj, answer: Response): Promise<Response> {
  // The upstream spoke the door's API and its answer is the client's already (JSON or events).
  if (isPassedThrough(answer)) return answer;
  const headers = new Headers(answer.headers);
  const type = headers.get("content-type") ?? "";
  if (type.includes("text/event-stream") && answer.body) {
    headers.set("content-type", "text/event-stream; charset=utf-8");
    return new Response(endsWithRelay(answer.body.pipeThrough(translateStream(door.stream(body))), answer.body), {
      status: answer.status,
      headers,
    });
  }
  const json = (await answer.json()) as Obj;
  headers.delete("content-length");
  if (answer.ok) return Response.json(door.fromChat(json, body), { status: answer.status, headers });
  const error = isObj(json.error) ? json.error : {};
  const named = inDoorTerms(door, {
    message: typeof error.message === "string" ? error.message : "The request failed.",
    param: typeof error.param === "string" ? error.param : null,
  });
  const translated = door.errorBody(answer.status, {
    ...named,
    code: typeof error.code === "string" ? error.code : "upstream_error",
  });
  return Response.json(translated, { status: answer.status, headers });
}

/**
 * The pipeline's chat event stream (chunks, then `[DONE]` or one in-band error event) as the door's
 * events. A stream that ends with neither was cut at the gateway's own edge: it ends as an error too.
 */
function translateStream(translator: StreamTranslator): TransformStream<Uint8Array, Uint8Array> {
  const parser = new SseParser();
  let ended = false;
  const emit = (controller: TransformStreamDefaultController<Uint8Array>, events: string[]) => {
    if (events.length > 0) controller.enqueue(encoder.encode(events.join("")));
  };
  const handle = (controller: TransformStreamDefaultController<Uint8Array>, data: string) => {
    if (ended) return;
    if (data === "[DONE]") {
      ended = true;
      return emit(controller, translator.done());
    }
    let event: Obj;
    try {
      event = JSON.parse(data) as Obj;
    } catch {
      // The pipeline only emits JSON events; anything else means the stream broke: end it in the door's format.
      ended = true;
      return emit(
        controller,
        translator.error({ code: "upstream_error", message: "The stream broke; the answer is incomplete." }),
      );
    }
    if (isObj(event.error)) {
      ended = true;
      const { code, message } = event.error as { code?: string; message?: string };
      return emit(
        controller,
        translator.error({ code: code ?? "upstream_error", message: message ?? "stream failed" }),
      );
    }
    emit(controller, translator.chunk(event));
  };
  return new TransformStream({
    transform(bytes, controller) {
      for (const event of parser.push(bytes)) handle(controller, event.data);
    },
    flush(controller) {
      for (const event of parser.end()) handle(controller, event.data);
      if (!ended)
        emit(
          controller,
          translator.error({ code: "stream_cut", message: "The stream ended early; the answer is incomplete." }),
        );
    },
  });
}
