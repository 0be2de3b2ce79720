/** Pieces shared by the config page's tabs: a unified diff of hunks, and a list of config issues. */
import { For, type JSX, Show } from "solid-js";
import { t } from "../i18n/index.ts";
import type { ConfigIssue, Hunk } from "./config-model.tsx";

/** Hunks as `diff -u` shows them, with old and new line numbers; `.diff .add/.del` colour the lines. */
export function DiffView(props: { hunks: Hunk[]; label: string }): JSX.Element {
  const numbered = (hunk: Hunk) => {
    let oldLine = hunk.oldLines === 0 ? hunk.oldStart + 1 : hunk.oldStart;
    let newLine = hunk.newLines === 0 ? hunk.newStart + 1 : hunk.newStart;
    return hunk.lines.map((line) => {
      const old = line.op === "+" ? "" : String(oldLine++);
      const next = line.op === "-" ? "" : String(newLine++);
      return { ...line, old, next };
    });
  };
  return (
    <Show when={props.hunks.length > 0} fallback={<p class="muted">{t("config.diff.same")}</p>}>
      <section class="diff cfg-diff" aria-label={props.label} tabindex="0">
        <For each={props.hunks}>
          {(hunk) => (
            <>
              <div class="cfg-hunk">
                @@ −{hunk.oldStart},{hunk.oldLines} +{hunk.newStart},{hunk.newLines} @@
              </div>
              <For each={numbered(hunk)}>
                {(line) => (
                  <div classList={{ add: line.op === "+", del: line.op === "-" }}>
                    <span class="cfg-ln" aria-hidden="true">
                      {line.old}
                    </span>
                    <span class="cfg-ln" aria-hidden="true">
                      {line.next}
                    </span>
                    <span class="cfg-op">{line.op === " " ? " " : line.op === "+" ? "+" : "−"}</span>
                    {line.text}
                    <Show when={line.eol === false}>
                      <span class="muted">{t("config.diff.noNewline")}</span>
                    </Show>
                  </div>
                )}
              </For>
            </>
          )}
        </For>
      </section>
    </Show>
  );
}

/** Issues with path, line and message; `onSelect` makes an issue a button (to its field or its line). */
export function IssueList(props: {
  issues: ConfigIssue[];
  onSelect?: (issue: ConfigIssue) => void;
  canSelect?: (issue: ConfigIssue) => boolean;
  selectHint?: string;
}): JSX.Element {
  return (
    <ul class="cfg-issues">
      <For each={props.issues}>
        {(issue) => (
          <li>
            <Show
              when={props.onSelect && (props.canSelect?.(issue) ?? true)}
              fallback={<code>{issue.path || t("config.diff.wholeConfig")}</code>}
            >
              <button
                type="button"
                class="cfg-link mono"
                title={props.selectHint}
                onClick={() => props.onSelect!(issue)}
              >
                {issue.path || t("config.diff.wholeConfig")}
              </button>
            </Show>
            <Show when={issue.line}>
              <span class="muted">
                {" "}
                {issue.file ? `${issue.file}:${issue.line}` : t("config.diff.line", { line: issue.line! })}
              </span>
            </Show>
            <span> {issue.message}</span>
          </li>
        )}
      </For>
    </ul>
  );
}
