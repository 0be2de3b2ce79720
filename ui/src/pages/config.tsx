import type { JSX } from "solid-js";

/** Placeholder: the config page is being built. */
export function ConfigPage(): JSX.Element {
  return <h1>Config</h1>;
}
