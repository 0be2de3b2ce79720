import type { JSX } from "solid-js";

/** Placeholder: the dashboard page is being built. */
export function DashboardPage(): JSX.Element {
  return <h1>Dashboard</h1>;
}
