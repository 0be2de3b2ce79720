/** The ten recovery codes, shown once after enrolment or regeneration: copy, download, then dismiss. */
import { For, type JSX } from "solid-js";
import { CopyButton } from "./copy-button.tsx";

export function RecoveryCodes(props: {
  codes: string[];
  username: string;
  regenerated?: boolean;
  onDone: () => void;
}): JSX.Element {
  const text = () =>
    [
      `SmartRoute recovery codes for ${props.username} (${location.host})`,
      `Created ${new Date().toLocaleString()}. Each code signs in once, instead of an authenticator code.`,
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
      <h2 id="security-codes-title">Your recovery codes</h2>
      <p class="warn-box" role="alert">
        <strong>Save these codes now: they are shown only this once.</strong> Each one signs you in once if you lose
        your authenticator.
        {props.regenerated ? " The previous codes no longer work." : ""}
      </p>
      <ol class="security-code-list">
        <For each={props.codes}>{(code) => <li class="mono">{code}</li>}</For>
      </ol>
      <div class="row">
        <CopyButton text={text} what="the recovery codes" label="Copy all" />
        <button type="button" onClick={download}>
          Download as text
        </button>
        <span class="spacer" />
        <button type="button" class="primary" onClick={() => props.onDone()}>
          I have saved them
        </button>
      </div>
    </section>
  );
}
