/** 简体中文：dashboard 区域。 */
import type { Dict } from "../dict.ts";
import type * as en from "../en/dashboard.ts";

export const dashboard: Dict<typeof en.dashboard> = {
  title: "仪表盘",
};
