/**
 * A modal dialog: rendered in a portal over the page, focus moved inside and trapped there (Tab and
 * Shift+Tab cycle), Esc closes, focus returns to where it was on close. `ConfirmDialog` is the
 * "are you sure?" variant for destructive actions: it runs the action, shows its error in place, and
 * starts on the harmless button.
 */
import { createSignal, createUniqueId, type JSX, onCleanup, onMount, type ParentProps, Show } from "solid-js";
import { Portal } from "solid-js/web";
import { ApiError } from "../api.ts";
import { fmtWait } from "../format.ts";
import { dictionaries } from "../i18n/dictionaries.ts";
import { t } from "../i18n/index.ts";
import { cycleTab, focusablesIn } from "./focus-trap.ts";

export interface ModalProps {
  title: string;
  /** Called on Esc, the close button and (unless `sticky`) a click on the backdrop. */
  onClose: () => void;
  /** A click outside does not close (for a dialog whose content would be lost). */
  sticky?: boolean;
  /** A CSS selector of the element to focus first (default: the first field, else the first button). */
  initialFocus?: string;
  wide?: boolean;
}

export function Modal(props: ParentProps<ModalProps>): JSX.Element {
  const titleId = createUniqueId();
  let box!: HTMLDivElement;
  let backdrop!: HTMLDivElement;
  const opener = document.activeElement as HTMLElement | null;

  const focusables = () => focusablesIn(box);

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === "Escape") {
      event.preventDefault();
      event.stopPropagation();
      props.onClose();
      return;
    }
    cycleTab(event, box);
  };

  onMount(() => {
    const overflow = document.body.style.overflow;
    document.body.style.overflow = "hidden";
    const preferred = props.initialFocus ? box.querySelector<HTMLElement>(props.initialFocus) : null;
    const field = box.querySelector<HTMLElement>("input:not([readonly]), select, textarea");
    (preferred ?? field ?? focusables()[0] ?? box).focus();
    // Focus that escapes (a click on the backdrop, a script) is brought back.
    const keepInside = (event: FocusEvent) => {
      const target = event.target;
      if (target instanceof HTMLElement && target.dataset.copyHelper !== undefined) return; // copy-button's fallback
      if (target instanceof Node && !box.contains(target)) (focusables()[0] ?? box).focus();
    };
    // Keys and the backdrop are listened to on the document: the dialog and the backdrop are no controls
    // themselves (Escape and the close button are the keyboard's way out; a click outside, the pointer's).
    const onBackdropClick = (event: MouseEvent) => event.target === backdrop && !props.sticky && props.onClose();
    document.addEventListener("focusin", keepInside);
    document.addEventListener("keydown", onKeyDown);
    document.addEventListener("click", onBackdropClick);
    onCleanup(() => {
      document.removeEventListener("focusin", keepInside);
      document.removeEventListener("keydown", onKeyDown);
      document.removeEventListener("click", onBackdropClick);
      document.body.style.overflow = overflow;
      if (opener && document.contains(opener)) opener.focus();
    });
  });

  return (
    <Portal>
      <div ref={backdrop} class="modal-backdrop">
        <div
          ref={box}
          class="panel modal"
          classList={{ "modal-wide": props.wide }}
          role="dialog"
          aria-modal="true"
          aria-labelledby={titleId}
          tabindex="-1"
        >
          <div class="row modal-head">
            <h2 id={titleId}>{props.title}</h2>
            <span class="spacer" />
            <button
              type="button"
              class="modal-close"
              aria-label={t("common.closeDialog")}
              onClick={() => props.onClose()}
            >
              ✕
            </button>
          </div>
          {props.children}
        </div>
      </div>
    </Portal>
  );
}

export interface ConfirmProps {
  title: string;
  confirmLabel: string;
  /** Runs on confirm; the dialog closes when it resolves and shows the error when it throws. */
  onConfirm: () => Promise<void>;
  onClose: () => void;
  danger?: boolean;
}

export function ConfirmDialog(props: ParentProps<ConfirmProps>): JSX.Element {
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal("");
  const confirm = async () => {
    setBusy(true);
    setError("");
    try {
      await props.onConfirm();
      props.onClose();
    } catch (e) {
      setError(errorText(e));
      setBusy(false);
    }
  };
  return (
    <Modal title={props.title} onClose={() => !busy() && props.onClose()} initialFocus="[data-cancel]">
      <div class="stack">
        <div>{props.children}</div>
        <Show when={error()}>
          <p class="error" role="alert">
            {error()}
          </p>
        </Show>
        <div class="row modal-actions">
          <button type="button" data-cancel onClick={() => props.onClose()} disabled={busy()}>
            {t("common.cancel")}
          </button>
          <button type="button" class={props.danger ? "danger-solid" : "primary"} onClick={confirm} disabled={busy()}>
            <Show when={busy()}>
              <span class="spinner" aria-hidden="true" />
            </Show>
            {props.confirmLabel}
          </button>
        </div>
      </div>
    </Modal>
  );
}

type ServerMessage = keyof typeof dictionaries.en.common.server;
const SERVER_MESSAGES = Object.entries(dictionaries.en.common.server) as [ServerMessage, string][];

/** A server message the UI knows, in the UI's language; any other as the server wrote it (English). */
function serverMessage(message: string): string {
  const known = SERVER_MESSAGES.find(([, english]) => english === message);
  return known ? t(`common.server.${known[0]}`) : message;
}

/** The message to show for a failed request, with the wait when the server said how long. */
export function errorText(e: unknown): string {
  if (e instanceof ApiError) {
    const message = serverMessage(e.message);
    if (e.status === 429 && e.retryAfterS) return t("common.tryAgainIn", { message, wait: fmtWait(e.retryAfterS) });
    return message;
  }
  return e instanceof Error ? e.message : String(e);
}
