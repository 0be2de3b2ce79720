import type { JSX } from "solid-js";

/** Placeholder: the security page is being built. */
export function SecurityPage(): JSX.Element {
  return <h1>Security</h1>;
}
