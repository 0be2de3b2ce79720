import type { JSX } from "solid-js";

/** Placeholder: the log-detail page is being built. */
export function LogDetailPage(): JSX.Element {
  return <h1>LogDetail</h1>;
}
