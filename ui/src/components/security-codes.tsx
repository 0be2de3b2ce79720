/** The ten recovery codes, shown once after enrolment or regeneration: copy, download, then dismiss. */
import { For, type JSX } from "solid-js";
import { formatDateTime, t } from "../i18n/index.ts";
import { CopyButton } from "./copy-button.tsx";

export function RecoveryCodes(props: {
  codes: string[];
  username: string;
  regenerated?: boolean;
  onDone: () => void;
}): JSX.Element {
  const text = () =>
    [
      t("security.codes.fileTitle", { name: props.username, host: location.host }),
      t("security.codes.fileCreated", { time: formatDateTime(Date.now()) }),
      "",
      ...props.codes,
      "",
    ].join("\n");
  const download = () => {
    const url = URL.createObjectURL(new Blob([text()], { type: "text/plain;charset=utf-8" }));
    const link = document.createElement("a");
    link.href = url;
    link.download = `smartroute-recovery-codes-${props.username}.txt`;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };
  return (
    <section
      class="panel stack security-codes"
      aria-labelledby="security-codes-title"
      tabindex="-1"
      ref={(el) => queueMicrotask(() => el.focus())}
    >
      <h2 id="security-codes-title">{t("security.codes.title")}</h2>
      <p class="warn-box" role="alert">
        <strong>{t("security.codes.saveNow")}</strong>
        {t("security.codes.each")}
        {props.regenerated ? t("security.codes.previousDead") : ""}
      </p>
      <ol class="security-code-list">
        <For each={props.codes}>{(code) => <li class="mono">{code}</li>}</For>
      </ol>
      <div class="row">
        <CopyButton text={text} what={t("security.codes.what")} label={t("security.codes.copyAll")} />
        <button type="button" onClick={download}>
          {t("security.codes.download")}
        </button>
        <span class="spacer" />
        <button type="button" class="primary" onClick={() => props.onDone()}>
          {t("security.codes.saved")}
        </button>
      </div>
    </section>
  );
}
