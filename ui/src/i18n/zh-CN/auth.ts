/** 简体中文：登录、初始设置与邀请、密码确认。 */
import type { Dict } from "../dict.ts";
import type * as en from "../en/auth.ts";

export const auth: Dict<typeof en.auth> = {
  login: {
    form: "登录",
    title: "登录 SmartRoute",
    noAdmin: "还没有管理员账号：请打开网关启动时打印的设置链接。",
    username: "用户名",
    password: "密码",
    enterCode: "请输入身份验证器应用中的 6 位验证码。",
    enterRecovery: "请输入一个恢复码（每个恢复码只能使用一次）。",
    code: "验证码",
    recoveryCode: "恢复码",
    useAppCode: "改用应用验证码",
    useRecoveryCode: "改用恢复码",
    signingIn: "正在登录…",
    verify: "验证",
    signIn: "登录",
  },
  setup: {
    setupTitle: "设置 SmartRoute",
    joinTitle: "加入 SmartRoute",
    doneBefore: "初始设置已完成。",
    doneLink: "登录",
    doneAfter: "，或打开管理员发给你的邀请链接。",
    setupIntro: "创建管理员账号。网关启动时打印的设置链接会自动填入令牌；该链接只能使用一次，有效期一小时。",
    inviteIntro: "管理员邀请你加入：请设置用户名和密码。接下来需要用身份验证器应用开启两步验证。该链接只能使用一次。",
    setupToken: "设置令牌",
    inviteToken: "邀请令牌",
    username: "用户名",
    password: "密码（至少 10 个字符）",
    passwordAgain: "再次输入密码",
    mismatch: "两次输入的密码不一致。",
    creating: "正在创建…",
    createAdmin: "创建管理员账号",
    createMine: "创建我的账号",
  },
  gate: {
    title: "输入密码以确认",
    whyBefore: "此更改在配置文件中添加或修改了",
    whyCode: "代码",
    whyAfter: "，而不只是修改值。检查或应用此配置会以网关的权限在网关主机上运行这些代码，因此需要输入你的密码。",
    password: "你的密码",
    cancelled: "已取消：更改未发送。",
  },
};
