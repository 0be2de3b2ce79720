/**
 * A read-only admin's notice at the top of a page with changes on it (config, health, playground): the
 * page's change controls are disabled, and this says why once for the page (the server refuses the
 * changes anyway: src/http/admin/role-guard.ts).
 */
import { Show } from "solid-js";
import { t } from "../i18n/index.ts";
import { readOnly } from "../session.ts";

export function ReadOnlyNotice() {
  return (
    <Show when={readOnly()}>
      <p class="notice read-only-notice" role="note">
        {t("common.readOnlyNote")}
      </p>
    </Show>
  );
}
