/** English strings of the frame around every page: navigation, theme, language, sign-out, not found. */
export const shell = {
  nav: {
    label: "Main",
    dashboard: "Dashboard",
    logs: "Logs",
    tail: "Live tail",
    health: "Models & health",
    playground: "Routing playground",
    config: "Config",
    keys: "API keys",
    security: "Security",
  },
  skipToContent: "Skip to content",
  openMenu: "Open the menu",
  closeMenu: "Close the menu",
  /** Followed by the username in bold (the space is in the string: Chinese has none). */
  signedInAs: "Signed in as ",
  lightTheme: "☀ Light theme",
  darkTheme: "☾ Dark theme",
  signOut: "Sign out",
  language: "Language",
  notFound: {
    title: "Page not found",
    back: "Back to the dashboard",
  },
};
