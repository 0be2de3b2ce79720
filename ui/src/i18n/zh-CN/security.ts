/** 简体中文：security 区域。 */
import type { Dict } from "../dict.ts";
import type * as en from "../en/security.ts";

export const security: Dict<typeof en.security> = {
  title: "安全",
};
