/** 简体中文：页面外框（导航、主题、语言、退出登录、页面不存在）。 */
import type { Dict } from "../dict.ts";
import type * as en from "../en/shell.ts";

export const shell: Dict<typeof en.shell> = {
  nav: {
    label: "主导航",
    dashboard: "仪表盘",
    logs: "请求日志",
    tail: "实时日志",
    health: "模型与健康",
    playground: "路由试验场",
    config: "配置",
    keys: "API 密钥",
    security: "安全",
  },
  skipToContent: "跳到主要内容",
  openMenu: "打开菜单",
  closeMenu: "关闭菜单",
  signedInAs: "当前用户：",
  lightTheme: "☀ 浅色主题",
  darkTheme: "☾ 深色主题",
  signOut: "退出登录",
  language: "语言",
  notFound: {
    title: "页面不存在",
    back: "返回仪表盘",
  },
};
