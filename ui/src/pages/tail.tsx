import type { JSX } from "solid-js";

/** Placeholder: the tail page is being built. */
export function TailPage(): JSX.Element {
  return <h1>Tail</h1>;
}
