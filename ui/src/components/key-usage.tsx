/** How to call the gateway with a key: curl, Python and Node snippets with this gateway's origin. */
import { createSignal, For, type JSX } from "solid-js";
import { t } from "../i18n/index.ts";
import { CopyButton } from "./copy-button.tsx";

type Lang = "curl" | "python" | "node";
const LANGS: [Lang, string][] = [
  ["curl", "curl"],
  ["python", "Python"],
  ["node", "Node.js"],
];

export function usageSnippet(lang: Lang, key: string, origin = location.origin): string {
  const base = `${origin}/v1`;
  if (lang === "curl")
    return `curl ${base}/chat/completions \\
  -H "Authorization: Bearer ${key}" \\
  -H "Content-Type: application/json" \\
  -d '{"model":"auto","messages":[{"role":"user","content":"Hello"}]}'`;
  if (lang === "python")
    return `from openai import OpenAI

client = OpenAI(base_url="${base}", api_key="${key}")
answer = client.chat.completions.create(
    model="auto",  # or a tier ("t1") or "provider/model"
    messages=[{"role": "user", "content": "Hello"}],
)
print(answer.choices[0].message.content)`;
  return `import OpenAI from "openai";

const client = new OpenAI({ baseURL: "${base}", apiKey: ${key.startsWith("$") ? `process.env.${key.slice(1)}` : `"${key}"`} });
const answer = await client.chat.completions.create({
  model: "auto", // or a tier ("t1") or "provider/model"
  messages: [{ role: "user", content: "Hello" }],
});
console.log(answer.choices[0].message.content);`;
}

/** Tabs of snippets; `apiKey` is the real key (in the creation dialog) or a placeholder. */
export function KeyUsage(props: { apiKey: string; label?: string; onCopied?: () => void }): JSX.Element {
  const [lang, setLang] = createSignal<Lang>("curl");
  const text = () => usageSnippet(lang(), props.apiKey);
  return (
    <div class="stack key-usage">
      <div class="row">
        <fieldset class="segmented">
          <legend class="sr-only">{props.label ?? t("keys.snippet.language")}</legend>
          <For each={LANGS}>
            {([value, label]) => (
              <button type="button" aria-pressed={lang() === value} onClick={() => setLang(value)}>
                {label}
              </button>
            )}
          </For>
        </fieldset>
        <span class="spacer" />
        <CopyButton
          text={text}
          what={t("keys.snippet.what")}
          label={t("keys.snippet.copy")}
          onCopied={props.onCopied}
        />
      </div>
      <section aria-label={t("keys.snippet.region")}>
        <pre class="key-snippet" tabindex="0">
          {text()}
        </pre>
      </section>
    </div>
  );
}
