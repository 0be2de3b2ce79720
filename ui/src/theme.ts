/** Light and dark themes: the system's by default, a choice remembered in this browser. */
import { createSignal } from "solid-js";

type Theme = "light" | "dark";
const stored = localStorage.getItem("smartroute-theme") as Theme | null;
const system: Theme = matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
const [theme, setThemeSignal] = createSignal<Theme>(stored ?? system);

function apply(value: Theme): void {
  document.documentElement.dataset.theme = value;
}
apply(theme());

export { theme };
export function toggleTheme(): void {
  const next = theme() === "dark" ? "light" : "dark";
  localStorage.setItem("smartroute-theme", next);
  setThemeSignal(next);
  apply(next);
}
