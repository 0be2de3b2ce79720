import type { JSX } from "solid-js";

/** Placeholder: the keys page is being built. */
export function KeysPage(): JSX.Element {
  return <h1>Keys</h1>;
}
