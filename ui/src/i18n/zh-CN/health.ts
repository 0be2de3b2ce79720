/** 简体中文：health 区域。 */
import type { Dict } from "../dict.ts";
import type * as en from "../en/health.ts";

export const health: Dict<typeof en.health> = {
  title: "模型与健康",
};
