/**
 * The frame of every signed-in page: navigation (a drawer on narrow screens), theme switch, sign-out.
 * For the keyboard: a "Skip to content" link first, focus on the page's heading after each navigation
 * (not left behind in the sidebar), and the phone drawer behaves as a dialog: a backdrop and a close
 * button, Escape and a tap outside close it, Tab stays inside while it is open, and focus returns to the
 * menu button when it closes. The page behind an open drawer is `inert`.
 */
import { A, useLocation, useNavigate } from "@solidjs/router";
import { createEffect, createSignal, type JSX, on, onCleanup, type ParentProps, Show } from "solid-js";
import { call } from "../api.ts";
import { t } from "../i18n/index.ts";
import { me, signedOut } from "../session.ts";
import { theme, toggleTheme } from "../theme.ts";
import { cycleTab, focusablesIn } from "./focus-trap.ts";
import { LanguageSwitch } from "./language-switch.tsx";

const LINKS = [
  ["/", "dashboard"],
  ["/logs", "logs"],
  ["/tail", "tail"],
  ["/health", "health"],
  ["/playground", "playground"],
  ["/config", "config"],
  ["/keys", "keys"],
  ["/security", "security"],
] as const;

/**
 * Focuses the page's main heading (else the main region): where a screen reader or keyboard user should
 * be after moving to another page. tabindex -1 makes it focusable by script only, never by Tab.
 */
export function focusMain(main: HTMLElement): void {
  const heading = main.querySelector<HTMLElement>("h1") ?? main;
  if (!heading.hasAttribute("tabindex")) heading.setAttribute("tabindex", "-1");
  heading.focus({ preventScroll: false });
}

/** Waits for a page that renders its heading a little later (after its first data), up to ~1 s. */
function focusMainSoon(main: HTMLElement, tries = 20): void {
  if (main.querySelector("h1") || tries === 0) focusMain(main);
  else setTimeout(() => focusMainSoon(main, tries - 1), 50);
}

export function Layout(props: ParentProps): JSX.Element {
  const [open, setOpen] = createSignal(false);
  const navigate = useNavigate();
  const location = useLocation();
  let main!: HTMLElement;
  let drawer!: HTMLElement;
  let menuButton!: HTMLButtonElement;

  const closeDrawer = () => {
    if (!open()) return;
    setOpen(false);
    menuButton.focus();
  };

  // After a navigation (not on the first page shown), focus goes to the new page's heading.
  createEffect(
    on(
      () => location.pathname,
      () => queueMicrotask(() => focusMainSoon(main)),
      { defer: true },
    ),
  );

  // While the drawer is open the page behind it is inert (unreachable by Tab and screen readers), Escape
  // and a tap outside close it, Tab cycles inside it, and focus starts on its first control.
  createEffect(() => {
    if (!open()) return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key === "Escape") {
        event.preventDefault();
        closeDrawer();
      } else cycleTab(event, drawer);
    };
    const onPointerDown = (event: PointerEvent) => {
      if (event.target instanceof Node && !drawer.contains(event.target)) {
        event.preventDefault();
        closeDrawer();
      }
    };
    document.addEventListener("keydown", onKeyDown);
    document.addEventListener("pointerdown", onPointerDown);
    const overflow = document.body.style.overflow;
    document.body.style.overflow = "hidden"; // the page behind does not scroll under the drawer
    queueMicrotask(() => focusablesIn(drawer)[0]?.focus());
    onCleanup(() => {
      document.body.style.overflow = overflow;
      document.removeEventListener("keydown", onKeyDown);
      document.removeEventListener("pointerdown", onPointerDown);
    });
  });

  // Widened past the phone layout, the drawer is the sidebar again: nothing may stay inert behind it.
  const narrow = window.matchMedia("(max-width: 760px)");
  const onWiden = () => !narrow.matches && setOpen(false);
  narrow.addEventListener("change", onWiden);
  onCleanup(() => narrow.removeEventListener("change", onWiden));

  const logout = async () => {
    await call("POST /api/auth/logout").catch(() => {});
    signedOut();
    navigate("/login");
  };
  // The page shown already: no navigation follows, so focus is moved here instead of staying in the menu.
  const followLink = (href: string) => {
    setOpen(false);
    if (href === location.pathname) focusMain(main);
  };
  const skipToContent = (event: MouseEvent) => {
    event.preventDefault();
    focusMain(main);
  };
  return (
    <div class="shell">
      {/* biome-ignore lint/a11y/useValidAnchor: a skip link: its href names the target, and the click moves focus to the page's heading, which the router's own hash handling would not */}
      <a class="skip-link" href="#main" onClick={skipToContent}>
        {t("shell.skipToContent")}
      </a>
      <header class="topbar" inert={open()}>
        <button
          type="button"
          ref={menuButton}
          aria-label={t("shell.openMenu")}
          aria-expanded={open()}
          aria-controls="main-nav"
          onClick={() => setOpen(!open())}
        >
          ☰
        </button>
        <span class="brand">
          <span class="brand-dot" />
          SmartRoute
        </span>
      </header>
      <Show when={open()}>
        {/* Dims the page behind the drawer; a tap on it (anywhere outside the drawer) closes the drawer. */}
        <div class="drawer-backdrop" aria-hidden="true" />
      </Show>
      <nav id="main-nav" ref={drawer} class="sidebar" classList={{ open: open() }} aria-label={t("shell.nav.label")}>
        <div class="row drawer-head">
          <div class="brand">
            <span class="brand-dot" />
            SmartRoute
          </div>
          <span class="spacer" />
          <button type="button" class="drawer-close" aria-label={t("shell.closeMenu")} onClick={closeDrawer}>
            ✕
          </button>
        </div>
        <div class="nav">
          {LINKS.map(([href, key]) => (
            <A href={href} end={href === "/"} activeClass="active" onClick={() => followLink(href)}>
              {t(`shell.nav.${key}`)}
            </A>
          ))}
        </div>
        <div class="sidebar-foot">
          <span class="muted">
            {t("shell.signedInAs")}
            <strong>{me()?.username}</strong>
          </span>
          <button type="button" onClick={toggleTheme}>
            {theme() === "dark" ? t("shell.lightTheme") : t("shell.darkTheme")}
          </button>
          <button type="button" onClick={logout}>
            {t("shell.signOut")}
          </button>
          <LanguageSwitch />
        </div>
      </nav>
      <main id="main" class="main" ref={main} tabindex="-1" inert={open()}>
        {props.children}
      </main>
    </div>
  );
}
