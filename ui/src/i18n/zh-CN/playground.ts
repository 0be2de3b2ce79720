/** 简体中文：playground 区域。 */
import type { Dict } from "../dict.ts";
import type * as en from "../en/playground.ts";

export const playground: Dict<typeof en.playground> = {
  title: "路由试验场",
};
