/** 简体中文：各区域共用的文字（按钮、对话框、复制、等待与错误）。 */
import { type Dict, template } from "../dict.ts";
import type * as en from "../en/common.ts";

export const common: Dict<typeof en.common> = {
  readOnlyNote: "你的角色是只读：可以查看这里的一切，但不能做任何更改。",
  loading: "加载中…",
  cancel: "取消",
  confirm: "确认",
  closeDialog: "关闭对话框",
  copy: {
    label: "复制",
    done: "✓ 已复制",
    failed: "复制失败",
    what: template<{ what: string }>("复制{{what}}"),
    announceDone: "已复制到剪贴板",
    announceFailed: "无法复制：请选中文字后手动复制",
  },
  seconds: (n: number) => `${n} 秒`,
  minutes: (n: number) => `${n} 分钟`,
  tryAgainIn: template<{ message: string; wait: string }>("{{message}} 请 {{wait}}后重试。"),
  server: {
    wrongLogin: "用户名或密码错误。",
    wrongCode: "验证码错误：请核对应用中当前的验证码，或输入恢复码。",
    recoveryUsed: "该恢复码已使用过：每个恢复码只能使用一次。请换一个，或使用应用验证码。",
    wrongPassword: "密码错误。",
  },
  percent: template<{ n: string }>("{{n}}%"),
};
