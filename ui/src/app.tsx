/**
 * Routes and the sign-in gate: the setup page on first run, the login page without a session, the
 * security page while the admin must enrol two-factor authentication, else the requested page.
 */
import { Navigate, Route, Router, type RouteSectionProps, useLocation } from "@solidjs/router";
import { type JSX, Match, onMount, Show, Switch } from "solid-js";
import { Layout } from "./components/layout.tsx";
import { t } from "./i18n/index.ts";
import { ConfigPage } from "./pages/config.tsx";
import { DashboardPage } from "./pages/dashboard.tsx";
import { HealthPage } from "./pages/health.tsx";
import { KeysPage } from "./pages/keys.tsx";
import { LogDetailPage } from "./pages/log-detail.tsx";
import { LoginPage } from "./pages/login.tsx";
import { LogsPage } from "./pages/logs.tsx";
import { PlaygroundPage } from "./pages/playground.tsx";
import { SecurityPage } from "./pages/security.tsx";
import { SetupPage } from "./pages/setup.tsx";
import { TailPage } from "./pages/tail.tsx";
import { me, refreshSession, setupRequired } from "./session.ts";

function Gate(props: RouteSectionProps): JSX.Element {
  const location = useLocation();
  return (
    <Switch fallback={<div class="center muted">{t("common.loading")}</div>}>
      <Match when={me() === null && setupRequired()}>
        <Navigate href={`/setup${location.hash}`} />
      </Match>
      <Match when={me() === null}>
        <Navigate href="/login" />
      </Match>
      <Match when={me()?.mustEnrol && location.pathname !== "/security"}>
        <Navigate href="/security" />
      </Match>
      <Match when={me()}>
        <Layout>{props.children}</Layout>
      </Match>
    </Switch>
  );
}

export function App(): JSX.Element {
  onMount(() => void refreshSession());
  return (
    <Show when={me() !== undefined} fallback={<div class="center muted">{t("common.loading")}</div>}>
      <Router>
        <Route path="/setup" component={SetupPage} />
        <Route path="/login" component={LoginPage} />
        <Route path="/" component={Gate}>
          <Route path="/" component={DashboardPage} />
          <Route path="/logs" component={LogsPage} />
          <Route path="/logs/:id" component={LogDetailPage} />
          <Route path="/tail" component={TailPage} />
          <Route path="/health" component={HealthPage} />
          <Route path="/playground" component={PlaygroundPage} />
          <Route path="/config" component={ConfigPage} />
          <Route path="/keys" component={KeysPage} />
          <Route path="/security" component={SecurityPage} />
          <Route
            path="*"
            component={() => (
              <div class="stack">
                <h1>{t("shell.notFound.title")}</h1>
                <p>
                  <a href="/">{t("shell.notFound.back")}</a>
                </p>
              </div>
            )}
          />
        </Route>
      </Router>
    </Show>
  );
}
