/**
 * Every area's dictionary, per language. One file per area and language (`en/logs.ts`, `zh-CN/logs.ts`)
 * so several people translate at once without touching each other's files; this file only combines
 * them. The Chinese dictionaries are typed `Dict<typeof en.area>`, so a key present in English and
 * missing in Chinese (or the other way) does not compile.
 *
 * To translate an area: add its strings to `en/<area>.ts` (nested as you like; the key is the path,
 * `t("logs.filters.model")`), the same keys to `zh-CN/<area>.ts`, and call `t()` in its components.
 * Parameters go through templates (`template<{ count: number }>("{{count}} rows")`), plurals and
 * phrases through small functions (`(n: number) => ...`), never through concatenating pieces. An
 * area is never `{}`: an empty object would make every key under it type-check.
 */

import type { Dict } from "./dict.ts";
import * as en from "./en/index.ts";
import type { Locale } from "./locales.ts";
import * as zh from "./zh-CN/index.ts";

const english = {
  common: en.common,
  shell: en.shell,
  auth: en.auth,
  dashboard: en.dashboard,
  health: en.health,
  logs: en.logs,
  playground: en.playground,
  config: en.config,
  keys: en.keys,
  security: en.security,
};
export type RawDictionary = typeof english;

const chinese: Dict<RawDictionary> = {
  common: zh.common,
  shell: zh.shell,
  auth: zh.auth,
  dashboard: zh.dashboard,
  health: zh.health,
  logs: zh.logs,
  playground: zh.playground,
  config: zh.config,
  keys: zh.keys,
  security: zh.security,
};

export const dictionaries: Record<Locale, RawDictionary> = { en: english, "zh-CN": chinese };
