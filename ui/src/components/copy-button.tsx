/**
 * A button that copies a text to the clipboard and says so (visibly and to screen readers). Falls back
 * to a hidden textarea and execCommand where the Clipboard API is missing (plain http on another host).
 */
import { createSignal, type JSX, onCleanup } from "solid-js";
import { t } from "../i18n/index.ts";

export async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // fall through to the old way
  }
  const area = document.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.dataset.copyHelper = "";
  area.style.position = "fixed";
  area.style.opacity = "0";
  const active = document.activeElement as HTMLElement | null;
  document.body.append(area);
  area.select();
  let done = false;
  try {
    done = document.execCommand("copy");
  } catch {
    done = false;
  }
  area.remove();
  active?.focus();
  return done;
}

export interface CopyButtonProps {
  text: string | (() => string);
  /** Visible label (default "Copy", translated). */
  label?: string;
  /** What is copied, translated by the caller, for the accessible name ("Copy the API key"). */
  what?: string;
  class?: string;
  onCopied?: () => void;
}

export function CopyButton(props: CopyButtonProps): JSX.Element {
  const [state, setState] = createSignal<"idle" | "done" | "failed">("idle");
  let timer: ReturnType<typeof setTimeout> | undefined;
  onCleanup(() => clearTimeout(timer));
  const copy = async () => {
    const ok = await copyText(typeof props.text === "function" ? props.text() : props.text);
    setState(ok ? "done" : "failed");
    if (ok) props.onCopied?.();
    clearTimeout(timer);
    timer = setTimeout(() => setState("idle"), 2500);
  };
  return (
    <button
      type="button"
      class={props.class}
      onClick={copy}
      aria-label={props.what ? t("common.copy.what", { what: props.what }) : undefined}
    >
      <span aria-hidden={props.what ? "true" : undefined}>
        {state() === "done"
          ? t("common.copy.done")
          : state() === "failed"
            ? t("common.copy.failed")
            : (props.label ?? t("common.copy.label"))}
      </span>
      <span class="sr-only" aria-live="polite">
        {state() === "done"
          ? t("common.copy.announceDone")
          : state() === "failed"
            ? t("common.copy.announceFailed")
            : ""}
      </span>
    </button>
  );
}
