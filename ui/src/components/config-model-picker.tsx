/**
 * "Add a model" for a tier's `models`: a searchable list of `provider/model` names, the ones already
 * in tiers and those each provider's /models lists (GET /api/config/models), with the catalog's
 * context window and price per million tokens, so the admin picks a name instead of typing one. The
 * pick is a pending form change like any other (reviewed and applied with the rest).
 */
import { createSignal, createUniqueId, For, type JSX, Show } from "solid-js";
import { call } from "../api.ts";
import { fmtInt } from "../format.ts";
import { formatNumber, t } from "../i18n/index.ts";
import { errorText } from "./modal.tsx";

type Choices = Awaited<ReturnType<typeof call<"GET /api/config/models">>>;
type Choice = Choices["models"][number];

// Three decimals under a dollar (cheap models differ there), two above; digits grouped as the language does.
const price = (usd: number | undefined) => {
  if (usd === undefined) return "–";
  const digits = usd < 1 ? 3 : 2;
  return `$${formatNumber(usd, { minimumFractionDigits: digits, maximumFractionDigits: digits })}`;
};

export function ModelPicker(props: {
  tier: string;
  /** Refs the tier lists already (not offered again). */
  present: string[];
  onPick: (ref: string) => void;
}): JSX.Element {
  const uid = createUniqueId();
  const [open, setOpen] = createSignal(false);
  const [choices, setChoices] = createSignal<Choices>();
  const [error, setError] = createSignal("");
  const [filter, setFilter] = createSignal("");
  const [picked, setPicked] = createSignal("");

  const load = async () => {
    setOpen(true);
    setError("");
    try {
      setChoices(await call("GET /api/config/models"));
    } catch (e) {
      setError(errorText(e));
    }
  };
  const shown = (): Choice[] => {
    const words = filter().trim().toLowerCase().split(/\s+/).filter(Boolean);
    return (choices()?.models ?? []).filter(
      (m) => !props.present.includes(m.ref) && words.every((w) => m.ref.toLowerCase().includes(w)),
    );
  };
  const pick = (event: SubmitEvent) => {
    event.preventDefault();
    if (!picked()) return;
    props.onPick(picked());
    setPicked("");
    setOpen(false);
  };

  return (
    <Show
      when={open()}
      fallback={
        <button type="button" class="cfg-small" onClick={() => void load()}>
          {t("config.picker.open", { tier: props.tier })}
        </button>
      }
    >
      <form class="cfg-picker stack" onSubmit={pick} aria-labelledby={`${uid}-title`}>
        <div class="row">
          <strong id={`${uid}-title`}>{t("config.picker.title", { tier: props.tier })}</strong>
          <span class="spacer" />
          <button type="button" class="cfg-small" onClick={() => setOpen(false)}>
            {t("config.picker.close")}
          </button>
        </div>
        <Show when={error()}>
          <p class="error" role="alert">
            {error()}
          </p>
        </Show>
        <Show
          when={choices()}
          fallback={<Show when={!error()}>{<p class="muted">{t("config.picker.asking")}</p>}</Show>}
        >
          <label for={`${uid}-filter`}>{t("config.picker.filter")}</label>
          <input
            id={`${uid}-filter`}
            value={filter()}
            placeholder={t("config.picker.filterPlaceholder")}
            autocomplete="off"
            onInput={(e) => setFilter(e.currentTarget.value)}
          />
          <section
            class="cfg-picker-table cfg-model-table"
            aria-label={t("config.picker.table", { tier: props.tier })}
            tabindex="0"
          >
            <table>
              <thead>
                <tr>
                  <th scope="col">{t("config.picker.model")}</th>
                  <th scope="col">{t("config.picker.context")}</th>
                  <th scope="col">{t("config.picker.price")}</th>
                  <th scope="col">{t("config.picker.source")}</th>
                </tr>
              </thead>
              <tbody>
                <For
                  each={shown()}
                  fallback={
                    <tr>
                      <td colSpan={4} class="muted">
                        {t("config.picker.noMatch")}
                      </td>
                    </tr>
                  }
                >
                  {(m) => (
                    <tr classList={{ "cfg-picked": picked() === m.ref }}>
                      <td>
                        <label class="cfg-picker-choice">
                          <input
                            type="radio"
                            name={`${uid}-model`}
                            value={m.ref}
                            checked={picked() === m.ref}
                            onChange={() => setPicked(m.ref)}
                          />
                          <code>{m.ref}</code>
                        </label>
                      </td>
                      <td>{m.contextWindow ? fmtInt(m.contextWindow) : "–"}</td>
                      <td title={m.priceSource}>
                        {price(m.inputPrice)} / {price(m.outputPrice)}
                      </td>
                      <td class="muted">{m.configured ? t("config.picker.inTier") : t("config.picker.listed")}</td>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
          </section>
          <Show when={(choices()?.unreachable.length ?? 0) > 0}>
            <p class="muted">
              {t("config.picker.notListed", {
                list: choices()!
                  .unreachable.map((u) => `${u.provider} (${u.error})`)
                  .join("; "),
              })}
            </p>
          </Show>
          <div class="row">
            <button type="submit" class="primary" disabled={!picked()}>
              {picked() ? t("config.picker.add", { ref: picked() }) : t("config.picker.pick")}
            </button>
          </div>
        </Show>
      </form>
    </Show>
  );
}
