import type { JSX } from "solid-js";

/** Placeholder: the health page is being built. */
export function HealthPage(): JSX.Element {
  return <h1>Health</h1>;
}
