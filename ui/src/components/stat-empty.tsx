/**
 * How to send a first request, for the empty dashboard, log and tail: a curl command for this gateway,
 * with the Authorization header when gateway keys are in use (then /v1 refuses requests without one).
 */
import { A } from "@solidjs/router";
import { createResource, type JSX, Show } from "solid-js";
import { call } from "../api.ts";
import { t } from "../i18n/index.ts";

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
        {t("dashboard.empty.pointBefore")}
        <code>{origin}/v1</code>
        {t("dashboard.empty.pointAfter")}
      </p>
      <pre>{command()}</pre>
      <Show when={keyed()}>
        <p class="muted">
          {t("dashboard.empty.keyBefore")}
          <code>GATEWAY_KEY</code>
          {t("dashboard.empty.keyMiddle")}
          <A href="/keys">{t("dashboard.empty.keyLink")}</A>
          {t("dashboard.empty.keyAfter")}
        </p>
      </Show>
    </>
  );
}
