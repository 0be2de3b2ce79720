/**
 * Config: `gateway.config.ts` as a form generated from the editable tree (GET /api/config), pending
 * edits reviewed (validate, diff) and applied with a hot reload; the whole text in a code view; the
 * history with diffs and rollback. Values written as code are shown read-only; secrets only masked.
 */

import { useBeforeLeave, useLocation } from "@solidjs/router";
import { createEffect, createMemo, createSignal, For, type JSX, onCleanup, onMount, Show } from "solid-js";
import { ApiError, call } from "../api.ts";
import { ClusterReplicas } from "../components/cluster-replicas.tsx";
import { CodeView } from "../components/config-code.tsx";
import { IssueList } from "../components/config-diff.tsx";
import { ContainerBody, domId, type EditorContext, EditorProvider, NodeView } from "../components/config-fields.tsx";
import { HistoryView } from "../components/config-history.tsx";
import {
  type ConfigIssue,
  type ConfigResponse,
  childIds,
  computeEdits,
  createDraft,
  type Edit,
  nodeForIssue,
  ROOT,
  shownId,
} from "../components/config-model.tsx";
import { AddProvider } from "../components/config-provider-add.tsx";
import { ReviewPanel } from "../components/config-review.tsx";
import { LiteralSecretsNotice, StoredSecrets } from "../components/config-secrets-notice.tsx";
import { ReadOnlyNotice } from "../components/read-only-notice.tsx";
import { t } from "../i18n/index.ts";

type SectionKey =
  | "providers"
  | "tiers"
  | "routing"
  | "classifiers"
  | "retry"
  | "adapters"
  | "timeouts"
  | "health"
  | "logging"
  | "pricing";

interface SectionInfo {
  key: SectionKey;
  empty: "object" | "array";
}

// Titles and blurbs come from the dictionary (`config.sections.<key>`, `<key>Blurb`), read at render.
const SECTIONS: SectionInfo[] = [
  { key: "providers", empty: "object" },
  { key: "tiers", empty: "object" },
  { key: "routing", empty: "object" },
  { key: "classifiers", empty: "array" },
  { key: "retry", empty: "object" },
  { key: "adapters", empty: "array" },
  { key: "timeouts", empty: "object" },
  { key: "health", empty: "object" },
  { key: "logging", empty: "object" },
  { key: "pricing", empty: "object" },
];
const sectionTitle = (key: SectionKey) => t(`config.sections.${key}`);
const sectionBlurb = (key: SectionKey) => t(`config.sections.${key}Blurb`);

const TABS = ["form", "code", "history"] as const;
type Tab = (typeof TABS)[number];

/** Edits that touch a top-level section (for the unsaved count on its heading). */
const inSection = (edit: Edit, key: string) =>
  edit.path === key ||
  edit.path.startsWith(`${key}.`) ||
  edit.path.startsWith(`${key}[`) ||
  (edit.path === "" && edit.op === "insert" && edit.key === key);

export function ConfigPage(): JSX.Element {
  const location = useLocation();
  const requested = new URLSearchParams(location.search).get("tab");
  const [tab, setTab] = createSignal<Tab>(TABS.includes(requested as Tab) ? (requested as Tab) : "form");
  const [data, setData] = createSignal<ConfigResponse>();
  const [loadError, setLoadError] = createSignal("");
  const [flash, setFlash] = createSignal("");
  const [reviewing, setReviewing] = createSignal(false);
  const [fileChanged, setFileChanged] = createSignal(false);
  const [codeDirty, setCodeDirty] = createSignal(false);
  const [codeOpened, setCodeOpened] = createSignal(tab() === "code");
  const [historyOpened, setHistoryOpened] = createSignal(tab() === "history");
  const [goto, setGoto] = createSignal<{ line: number; n: number }>();
  const [refresh, setRefresh] = createSignal(0);
  const draft = createDraft([]);
  const s = draft.state;
  const edits = createMemo<Edit[]>(() => {
    try {
      return computeEdits(s);
    } catch (e) {
      console.error("config editor: cannot compute the edits", e);
      return [];
    }
  });
  const pending = () => edits().length;
  const dirty = () => pending() > 0 || codeDirty();
  let flashBox: HTMLParagraphElement | undefined;

  const load = async () => {
    try {
      const answer = await call("GET /api/config");
      setData(answer);
      draft.reset(answer.tree);
      setLoadError("");
      setFileChanged(false);
    } catch (e) {
      setLoadError(e instanceof ApiError ? e.message : String(e));
    } finally {
      setRefresh((n) => n + 1);
    }
  };
  onMount(() => void load());

  const done = async (message: string) => {
    setReviewing(false);
    await load();
    setFlash(message);
    requestAnimationFrame(() => flashBox?.focus());
  };
  const applied = (version: number) => void done(t("config.page.applied", { version }));

  const selectTab = (next: Tab) => {
    setTab(next);
    if (next === "code") setCodeOpened(true);
    if (next === "history") setHistoryOpened(true);
  };
  const showInCode = (line: number) => {
    selectTab("code");
    setGoto({ line, n: Date.now() });
  };

  // Focus a control a change re-rendered (a moved item, a new member).
  createEffect(() => {
    const target = s.focus;
    if (!target) return;
    requestAnimationFrame(() => {
      const cut = target.lastIndexOf("|");
      const element = document.getElementById(domId(target.slice(0, cut)));
      const control =
        element?.querySelector<HTMLElement>(`[data-control="${target.slice(cut + 1)}"]`) ??
        element?.querySelector<HTMLElement>("input, select, textarea, button");
      control?.focus();
      draft.clearFocus();
    });
  });

  // Issues → the field they are about.
  const canJump = (issue: ConfigIssue) => nodeForIssue(s, issue) !== undefined;
  const jump = (issue: ConfigIssue) => {
    const id = nodeForIssue(s, issue);
    if (!id) return;
    selectTab("form");
    requestAnimationFrame(() => {
      const element = document.getElementById(domId(id));
      if (!element) return;
      element.scrollIntoView({ block: "center" });
      const control =
        element.querySelector<HTMLElement>('[data-control="value"]') ??
        element.querySelector<HTMLElement>("input, select, textarea, button");
      (control ?? element).focus({ preventScroll: true });
      element.classList.add("cfg-flash");
      setTimeout(() => element.classList.remove("cfg-flash"), 1800);
    });
  };

  const openReview = async () => {
    try {
      const fresh = await call("GET /api/config");
      setFileChanged(fresh.source !== data()?.source);
    } catch {
      // the check below reports whatever is wrong
    }
    setReviewing(false);
    queueMicrotask(() => setReviewing(true));
  };
  createEffect(() => {
    if (pending() === 0) setReviewing(false);
  });

  const discard = () => {
    if (!window.confirm(t("config.page.confirmDiscard", pending()))) return;
    const current = data();
    if (current) draft.reset(current.tree);
    setReviewing(false);
  };

  const reload = async () => {
    if (dirty() && !window.confirm(t("config.page.confirmReload"))) return;
    setFlash("");
    await load();
  };

  // Unsaved changes: the browser's own prompt on unload, a confirmation on in-app navigation.
  const beforeUnload = (event: BeforeUnloadEvent) => {
    if (!dirty()) return;
    event.preventDefault();
    event.returnValue = "";
  };
  onMount(() => window.addEventListener("beforeunload", beforeUnload));
  onCleanup(() => window.removeEventListener("beforeunload", beforeUnload));
  useBeforeLeave((event) => {
    if (!dirty() || event.defaultPrevented) return;
    if (typeof event.to === "string" && event.to.split(/[?#]/)[0] === "/config") return;
    event.preventDefault();
    setTimeout(() => {
      if (window.confirm(t("config.page.confirmLeave", pending(), codeDirty()))) event.retry(true);
    }, 50);
  });

  const editor: EditorContext = {
    draft,
    secrets: () => data()?.secrets ?? [],
    source: () => data()?.source ?? "",
    pendingCount: pending,
    secretSaved: (message) => done(message),
    showInCode,
    overrides: () => data()?.overrides ?? [],
  };

  const sectionNode = (key: string) => childIds(s, ROOT).find((c) => s.nodes[c]?.key === key);
  const others = () => childIds(s, ROOT).filter((c) => !SECTIONS.some((section) => section.key === s.nodes[c]?.key));
  const sectionCount = (key: string) => edits().filter((e) => inSection(e, key)).length;
  const goToSection = (event: MouseEvent, key: string) => {
    event.preventDefault();
    const heading = document.getElementById(`cfg-h-${key}`);
    heading?.scrollIntoView({ block: "start" });
    heading?.focus({ preventScroll: true });
  };

  const onTabKey = (event: KeyboardEvent) => {
    if (event.key !== "ArrowRight" && event.key !== "ArrowLeft" && event.key !== "Home" && event.key !== "End") return;
    event.preventDefault();
    const at = TABS.indexOf(tab());
    const next =
      event.key === "Home"
        ? 0
        : event.key === "End"
          ? TABS.length - 1
          : (at + (event.key === "ArrowRight" ? 1 : -1) + TABS.length) % TABS.length;
    selectTab(TABS[next]);
    document.getElementById(`cfg-tab-${TABS[next]}`)?.focus();
  };

  function Section(props: { info: SectionInfo }): JSX.Element {
    const id = () => sectionNode(props.info.key);
    const shown = () => (id() ? shownId(s, id()!) : undefined);
    const node = () => (shown() ? s.nodes[shown()!] : undefined);
    return (
      <section class="panel cfg-section" aria-labelledby={`cfg-h-${props.info.key}`}>
        <div class="cfg-section-head">
          <h2 id={`cfg-h-${props.info.key}`} tabindex="-1">
            {sectionTitle(props.info.key)}
          </h2>
          <code class="muted">{props.info.key}</code>
          <Show when={sectionCount(props.info.key) > 0}>
            <span class="badge warn">{t("config.page.unsavedBadge", { n: sectionCount(props.info.key) })}</span>
          </Show>
        </div>
        <p class="muted cfg-blurb">{sectionBlurb(props.info.key)}</p>
        <Show
          when={node()}
          keyed
          fallback={
            <div class="row">
              <span class="muted">{t("config.page.notInFile")}</span>
              <button
                type="button"
                class="cfg-small"
                onClick={() => draft.add(ROOT, props.info.empty === "array" ? [] : {}, props.info.key)}
              >
                {t("config.page.addSection", { key: props.info.key })}
              </button>
            </div>
          }
        >
          {(n) => (
            <Show
              when={n.kind === "object" || n.kind === "array"}
              fallback={
                <div class="cfg-grid">
                  <NodeView id={id()!} parent={ROOT} />
                </div>
              }
            >
              <div id={domId(id()!)} class="cfg-section-body">
                <Show when={!n.orig}>
                  <div class="notice row">
                    <span>{t("config.page.newSection")}</span>
                    <button type="button" class="cfg-small" onClick={() => draft.remove(ROOT, id()!)}>
                      {t("config.page.remove")}
                    </button>
                  </div>
                </Show>
                <ContainerBody id={n.id} />
              </div>
            </Show>
          )}
        </Show>
        <Show when={props.info.key === "providers" && data()}>
          <AddProvider
            kinds={data()!.providerKinds}
            taken={
              data()!
                .tree.find((n) => n.path === "providers")
                ?.children?.map((c) => String(c.key)) ?? []
            }
            onAdded={(message) => void done(message)}
          />
        </Show>
      </section>
    );
  }

  return (
    <EditorProvider value={editor}>
      <div class="cfg-page">
        <div class="row cfg-title">
          <h1>{t("config.title")}</h1>
          <span class="spacer" />
          <Show when={data()}>
            {(d) => (
              <>
                <code>{d().file}</code>
                <span class="badge ok" title={t("config.page.versionTitle")}>
                  {t("config.page.versionActive", { version: d().version })}
                </span>
              </>
            )}
          </Show>
          <button type="button" onClick={() => void reload()}>
            {t("config.page.reload")}
          </button>
        </div>

        <ReadOnlyNotice />
        <ClusterReplicas />

        <Show when={loadError()}>
          <div class="error" role="alert">
            <strong>{t("config.page.loadError")}</strong> {loadError()} {t("config.page.loadErrorHelp")}{" "}
            <Show when={tab() !== "history"}>
              <button type="button" class="cfg-link" onClick={() => selectTab("history")}>
                {t("config.page.openHistory")}
              </button>
            </Show>
          </div>
        </Show>

        <Show when={(data()?.issues.length ?? 0) > 0}>
          <div class="error cfg-load-issues" role="alert">
            <strong>{t("config.page.diskIssues", { version: data()!.version })}</strong>
            <p>{t("config.page.diskIssuesHelp")}</p>
            <IssueList
              issues={data()!.issues}
              onSelect={jump}
              canSelect={canJump}
              selectHint={t("config.page.goToField")}
            />
          </div>
        </Show>

        <Show when={data()?.literalSecrets}>
          {(secrets) => <LiteralSecretsNotice secrets={secrets()} onMoved={(message) => void done(message)} />}
        </Show>

        <Show when={flash()}>
          <p class="success row" role="status" tabindex="-1" ref={flashBox}>
            <span>{flash()}</span>
            <span class="spacer" />
            <button type="button" class="cfg-small" onClick={() => setFlash("")}>
              {t("config.page.dismiss")}
            </button>
          </p>
        </Show>

        <div class="segmented cfg-tabs" role="tablist" aria-label={t("config.page.tabsLabel")} onKeyDown={onTabKey}>
          <For each={TABS}>
            {(id) => (
              <button
                type="button"
                role="tab"
                id={`cfg-tab-${id}`}
                aria-selected={tab() === id}
                aria-controls={`cfg-panel-${id}`}
                tabindex={tab() === id ? 0 : -1}
                onClick={() => selectTab(id)}
              >
                {t(`config.page.tabs.${id}`)}
                <Show when={id === "form" && pending() > 0}>
                  <span class="cfg-count">{pending()}</span>
                </Show>
                <Show when={id === "code" && codeDirty()}>
                  <span class="cfg-count">•</span>
                </Show>
              </button>
            )}
          </For>
        </div>

        <div role="tabpanel" id="cfg-panel-form" aria-labelledby="cfg-tab-form" hidden={tab() !== "form"} class="stack">
          <Show
            when={data()}
            fallback={
              <Show when={!loadError()}>
                <div class="skeleton" style={{ height: "24rem" }} />
              </Show>
            }
          >
            <Show when={reviewing()}>
              <ReviewPanel
                file={data()!.file}
                edits={edits()}
                fileChanged={fileChanged()}
                onApplied={applied}
                onClose={() => setReviewing(false)}
                onIssue={jump}
                canJump={canJump}
              />
            </Show>
            <nav class="cfg-nav" aria-label={t("config.page.sectionsLabel")}>
              <For each={SECTIONS}>
                {(section) => (
                  <a
                    href={`#cfg-h-${section.key}`}
                    onClick={(e) => goToSection(e, section.key)}
                    classList={{ "cfg-nav-missing": !sectionNode(section.key) }}
                  >
                    {sectionTitle(section.key)}
                    <Show when={sectionCount(section.key) > 0}>
                      <span class="cfg-count">{sectionCount(section.key)}</span>
                    </Show>
                  </a>
                )}
              </For>
              <Show when={others().length > 0}>
                {/* biome-ignore lint/a11y/useValidAnchor: an in-page link (it works without script); the click moves focus to the section, which the router's own hash handling does not */}
                <a href="#cfg-h-other" onClick={(e) => goToSection(e, "other")}>
                  {t("config.sections.other")}
                </a>
              </Show>
            </nav>
            <Show when={childIds(s, ROOT).length === 0 && data()!.tree.length === 0}>
              <p class="notice">
                {t("config.page.notObjectBefore")}
                <code>export default makeConfig()</code>
                {t("config.page.notObjectAfter")}
              </p>
            </Show>
            <For each={SECTIONS}>{(info) => <Section info={info} />}</For>
            <Show when={others().length > 0}>
              <section class="panel cfg-section" aria-labelledby="cfg-h-other">
                <div class="cfg-section-head">
                  <h2 id="cfg-h-other" tabindex="-1">
                    {t("config.sections.otherTitle")}
                  </h2>
                </div>
                <p class="muted cfg-blurb">{t("config.sections.otherBlurb")}</p>
                <div class="cfg-grid">
                  <For each={others()}>{(id) => <NodeView id={id} parent={ROOT} />}</For>
                </div>
              </section>
            </Show>
            <StoredSecrets refresh={refresh()} />
            <Show when={pending() > 0}>
              <section class="cfg-bar" aria-label={t("config.page.unsavedRegion")}>
                <strong>{t("config.page.unsavedChanges", pending())}</strong>
                <span class="muted cfg-bar-note">{t("config.page.notApplied")}</span>
                <span class="spacer" />
                <button type="button" onClick={discard}>
                  {t("config.page.discard")}
                </button>
                <button type="button" class="primary" onClick={() => void openReview()}>
                  {t("config.page.review")}
                </button>
              </section>
            </Show>
          </Show>
        </div>

        <div role="tabpanel" id="cfg-panel-code" aria-labelledby="cfg-tab-code" hidden={tab() !== "code"}>
          <Show
            when={data() && codeOpened()}
            fallback={
              <Show when={loadError()}>
                <p class="muted">{t("config.page.codeUnavailable")}</p>
              </Show>
            }
          >
            <CodeView
              file={data()!.file}
              source={data()!.source}
              pending={pending()}
              goto={goto()}
              onDirty={setCodeDirty}
              onApplied={applied}
            />
          </Show>
        </div>

        <div role="tabpanel" id="cfg-panel-history" aria-labelledby="cfg-tab-history" hidden={tab() !== "history"}>
          <Show when={historyOpened()}>
            <HistoryView
              refresh={refresh()}
              pending={pending()}
              onRolledBack={(id, version) => void done(t("config.page.rolledBack", { id, version }))}
            />
          </Show>
        </div>
      </div>
    </EditorProvider>
  );
}
