/**
 * "Add a model" for a tier's `models`: a searchable list of `provider/model` names, the ones already
 * in tiers and those each provider's /models lists (GET /api/config/models), with the catalog's
 * context window and price per million tokens, so the admin picks a name instead of typing one. The
 * pick is a pending form change like any other (reviewed and applied with the rest).
 */
import { createSignal, createUniqueId, For, type JSX, Show } from "solid-js";
import { call } from "../api.ts";
import { fmtInt } from "../format.ts";
import { errorText } from "./modal.tsx";

type Choices = Awaited<ReturnType<typeof call<"GET /api/config/models">>>;
type Choice = Choices["models"][number];

const price = (usd: number | undefined) => (usd === undefined ? "–" : `$${usd < 1 ? usd.toFixed(3) : usd.toFixed(2)}`);

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
          + Add a model to {props.tier} from the list…
        </button>
      }
    >
      <form class="cfg-picker stack" onSubmit={pick} aria-labelledby={`${uid}-title`}>
        <div class="row">
          <strong id={`${uid}-title`}>Add a model to {props.tier}</strong>
          <span class="spacer" />
          <button type="button" class="cfg-small" onClick={() => setOpen(false)}>
            Close
          </button>
        </div>
        <Show when={error()}>
          <p class="error" role="alert">
            {error()}
          </p>
        </Show>
        <Show when={choices()} fallback={<Show when={!error()}>{<p class="muted">Asking the providers…</p>}</Show>}>
          <label for={`${uid}-filter`}>Filter</label>
          <input
            id={`${uid}-filter`}
            value={filter()}
            placeholder="e.g. gpt-4o"
            autocomplete="off"
            onInput={(e) => setFilter(e.currentTarget.value)}
          />
          <section class="cfg-picker-table cfg-model-table" aria-label={`Models to add to ${props.tier}`} tabindex="0">
            <table>
              <thead>
                <tr>
                  <th scope="col">Model</th>
                  <th scope="col">Context</th>
                  <th scope="col">In / out per 1M</th>
                  <th scope="col">Source</th>
                </tr>
              </thead>
              <tbody>
                <For
                  each={shown()}
                  fallback={
                    <tr>
                      <td colSpan={4} class="muted">
                        No model matches.
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
                      <td class="muted">{m.configured ? "in a tier" : "provider's /models"}</td>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
          </section>
          <Show when={(choices()?.unreachable.length ?? 0) > 0}>
            <p class="muted">
              Not listed:{" "}
              {choices()!
                .unreachable.map((u) => `${u.provider} (${u.error})`)
                .join("; ")}
            </p>
          </Show>
          <div class="row">
            <button type="submit" class="primary" disabled={!picked()}>
              {picked() ? `Add ${picked()}` : "Pick a model"}
            </button>
          </div>
        </Show>
      </form>
    </Show>
  );
}
