/**
 * How to send a first request, for the empty dashboard, log and tail: a curl command for this gateway,
 * with the Authorization header when gateway keys are in use (then /v1 refuses requests without one).
 */
import { A } from "@solidjs/router";
import { createResource, type JSX, Show } from "solid-js";
import { call } from "../api.ts";

export function FirstRequest(): JSX.Element {
  const [keyed] = createResource(async () => {
    const answer = await call("GET /api/keys").catch(() => undefined);
    return answer !== undefined && !answer.open;
  });
  const origin = location.origin;
  const command = () =>
    [
      `curl ${origin}/v1/chat/completions`,
      ...(keyed() ? [`  -H "authorization: Bearer $GATEWAY_KEY"`] : []),
      `  -H "content-type: application/json"`,
      `  -d '{"model":"auto","messages":[{"role":"user","content":"hi"}]}'`,
    ].join(" \\\n");
  return (
    <>
      <p>
        Point any OpenAI client at <code>{origin}/v1</code>, or send a first request with curl:
      </p>
      <pre>{command()}</pre>
      <Show when={keyed()}>
        <p class="muted">
          This gateway requires a key: set <code>GATEWAY_KEY</code> to one of yours (made under{" "}
          <A href="/keys">API keys</A>, shown once when created).
        </p>
      </Show>
    </>
  );
}
