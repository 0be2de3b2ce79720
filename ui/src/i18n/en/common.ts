/** English strings shared by every area: buttons, dialogs, copying, waits and errors. */
import { template } from "../dict.ts";

export const common = {
  loading: "Loading…",
  /** What a read-only admin is told where a change would be (disabled buttons, page notices). */
  readOnlyNote: "Your role is read-only: you can see everything here but change nothing.",
  cancel: "Cancel",
  confirm: "Confirm",
  closeDialog: "Close the dialog",
  copy: {
    label: "Copy",
    done: "✓ Copied",
    failed: "Copy failed",
    /** The accessible name of a copy button: "Copy the API key". */
    what: template<{ what: string }>("Copy {{what}}"),
    announceDone: "Copied to the clipboard",
    announceFailed: "Could not copy: select the text and copy it by hand",
  },
  /** A wait the server asked for, in words (from 90 s up in minutes). */
  seconds: (n: number) => (n === 1 ? "1 second" : `${n} seconds`),
  minutes: (n: number) => `${n} minutes`,
  /** A server message and how long to wait before trying again. */
  tryAgainIn: template<{ message: string; wait: string }>("{{message}} Try again in {{wait}}."),
  /**
   * The server's refusals at sign-in and password checks (src/auth/admin-auth.ts REFUSALS, and
   * account-security.ts / config-guard.ts), by their exact English: shown in the UI's language.
   */
  server: {
    wrongLogin: "Wrong username or password.",
    wrongCode: "Wrong code: check the app's current code, or type a recovery code.",
    recoveryUsed: "That recovery code was used already: each works once. Use another one, or an app code.",
    wrongPassword: "Wrong password.",
  },
  /** A percentage: the number is already formatted for the language. */
  percent: template<{ n: string }>("{{n}} %"),
};
