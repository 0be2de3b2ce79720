/**
 * The playground's choice of what to request: auto, a tier, a configured model, or another name typed
 * in (an alias, or an unknown name to see how it is treated). Used for the request and for the
 * side-by-side's second column.
 */
import { For, type JSX, Show } from "solid-js";
import { t } from "../i18n/index.ts";
import { type HealthTarget, tiersOf } from "./health-parts.tsx";

/**
 * The "Another name…" option's value: no configured name can start with an ellipsis. (A NUL here reached
 * the DOM as U+FFFD, so the option never matched and choosing it did nothing.)
 */
export const OTHER = "…another name";

export interface ModelPickerProps {
  label: string;
  /** The label of the typed name's field. */
  otherLabel: string;
  value: string;
  onChange: (value: string) => void;
  other: string;
  onOther: (value: string) => void;
  targets: HealthTarget[];
  /** The first option, when choosing nothing is allowed (the side-by-side's "no comparison"). */
  none?: string;
}

/** The name chosen: the typed one for "Another name…" (auto when left empty). */
export const chosenModel = (value: string, other: string) => (value === OTHER ? other.trim() || "auto" : value);

export function ModelPicker(props: ModelPickerProps): JSX.Element {
  return (
    <>
      <label class="play-model">
        {props.label}
        <select value={props.value} onChange={(e) => props.onChange(e.currentTarget.value)}>
          <Show when={props.none}>{(none) => <option value="">{none()}</option>}</Show>
          <option value="auto">{t("playground.picker.auto")}</option>
          <Show when={props.targets.length > 0}>
            <optgroup label={t("playground.picker.tiers")}>
              <For each={tiersOf(props.targets)}>{(tier) => <option value={tier}>{tier}</option>}</For>
            </optgroup>
            <optgroup label={t("playground.picker.models")}>
              <For each={props.targets}>{(target) => <option value={target.target}>{target.target}</option>}</For>
            </optgroup>
          </Show>
          <option value={OTHER}>{t("playground.picker.other")}</option>
        </select>
      </label>
      <Show when={props.value === OTHER}>
        <label class="play-model">
          {props.otherLabel}
          <input
            value={props.other}
            onInput={(e) => props.onOther(e.currentTarget.value)}
            placeholder={t("playground.picker.otherPlaceholder")}
          />
        </label>
      </Show>
    </>
  );
}
