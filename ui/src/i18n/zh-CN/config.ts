/** 简体中文：config 区域。 */
import type { Dict } from "../dict.ts";
import type * as en from "../en/config.ts";

export const config: Dict<typeof en.config> = {
  title: "配置",
};
