/**
 * A button that changes something on the server: disabled for a read-only admin, with the reason as its
 * tooltip (the server refuses the change anyway; this says so before it is tried).
 */
import { type JSX, splitProps } from "solid-js";
import { t } from "../i18n/index.ts";
import { readOnly } from "../session.ts";

export function ChangeButton(props: JSX.ButtonHTMLAttributes<HTMLButtonElement>): JSX.Element {
  const [own, rest] = splitProps(props, ["disabled", "title", "children"]);
  return (
    <button
      type="button"
      {...rest}
      disabled={readOnly() || Boolean(own.disabled)}
      title={readOnly() ? t("common.readOnlyNote") : own.title}
    >
      {own.children}
    </button>
  );
}
