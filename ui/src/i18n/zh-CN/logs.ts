/** 简体中文：logs 区域。 */
import type { Dict } from "../dict.ts";
import type * as en from "../en/logs.ts";

export const logs: Dict<typeof en.logs> = {
  title: "请求日志",
};
