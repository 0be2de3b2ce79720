/** The frame of every signed-in page: navigation (a drawer on narrow screens), theme switch, sign-out. */
import { A, useNavigate } from "@solidjs/router";
import { createSignal, type JSX, type ParentProps } from "solid-js";
import { call } from "../api.ts";
import { me, signedOut } from "../session.ts";
import { theme, toggleTheme } from "../theme.ts";

const LINKS: [string, string][] = [
  ["/", "Dashboard"],
  ["/logs", "Logs"],
  ["/tail", "Live tail"],
  ["/health", "Models & health"],
  ["/playground", "Routing playground"],
  ["/config", "Config"],
  ["/keys", "API keys"],
  ["/security", "Security"],
];

export function Layout(props: ParentProps): JSX.Element {
  const [open, setOpen] = createSignal(false);
  const navigate = useNavigate();
  const logout = async () => {
    await call("POST /api/auth/logout").catch(() => {});
    signedOut();
    navigate("/login");
  };
  return (
    <div class="shell">
      <header class="topbar">
        <button aria-label="Open the menu" aria-expanded={open()} onClick={() => setOpen(!open())}>
          ☰
        </button>
        <span class="brand">
          <span class="brand-dot" />
          SmartRoute
        </span>
      </header>
      <nav class="sidebar" classList={{ open: open() }} aria-label="Main">
        <div class="brand">
          <span class="brand-dot" />
          SmartRoute
        </div>
        <div class="nav">
          {LINKS.map(([href, label]) => (
            <A href={href} end={href === "/"} activeClass="active" onClick={() => setOpen(false)}>
              {label}
            </A>
          ))}
        </div>
        <div class="sidebar-foot">
          <span class="muted">
            Signed in as <strong>{me()?.username}</strong>
          </span>
          <button onClick={toggleTheme}>{theme() === "dark" ? "☀ Light theme" : "☾ Dark theme"}</button>
          <button onClick={logout}>Sign out</button>
        </div>
      </nav>
      <main class="main">{props.children}</main>
    </div>
  );
}
