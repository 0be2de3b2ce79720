import type { JSX } from "solid-js";

/** Placeholder: the logs page is being built. */
export function LogsPage(): JSX.Element {
  return <h1>Logs</h1>;
}
