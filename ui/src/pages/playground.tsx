import type { JSX } from "solid-js";

/** Placeholder: the playground page is being built. */
export function PlaygroundPage(): JSX.Element {
  return <h1>Playground</h1>;
}
