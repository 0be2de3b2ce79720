/** 简体中文：keys 区域。 */
import type { Dict } from "../dict.ts";
import type * as en from "../en/keys.ts";

export const keys: Dict<typeof en.keys> = {
  title: "API 密钥",
};
