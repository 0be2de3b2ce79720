/** English strings of signing in: the login page, the setup and invite page, the password confirmation. */
export const auth = {
  login: {
    form: "Sign in",
    title: "Sign in to SmartRoute",
    noAdmin: "No admin account yet: open the setup link the gateway printed at start.",
    username: "Username",
    password: "Password",
    enterCode: "Enter the 6-digit code from your authenticator app.",
    enterRecovery: "Enter one of your recovery codes (each works once).",
    code: "Code",
    recoveryCode: "Recovery code",
    useAppCode: "Use an app code instead",
    useRecoveryCode: "Use a recovery code instead",
    signingIn: "Signing in…",
    verify: "Verify",
    signIn: "Sign in",
  },
  setup: {
    setupTitle: "Set up SmartRoute",
    joinTitle: "Join SmartRoute",
    /** "Setup is done. [Sign in], or open the invite link an admin sent you.": spaces are in the strings (Chinese has none). */
    doneBefore: "Setup is done. ",
    doneLink: "Sign in",
    doneAfter: ", or open the invite link an admin sent you.",
    setupIntro:
      "Create the admin account. The setup link printed by the gateway at start fills the token in; it works once and for one hour.",
    inviteIntro:
      "An admin invited you: choose your username and password. Next you set up two-factor authentication with an authenticator app. The link works once.",
    setupToken: "Setup token",
    inviteToken: "Invite token",
    username: "Username",
    password: "Password (10 characters or more)",
    passwordAgain: "Password again",
    mismatch: "The two passwords differ.",
    creating: "Creating…",
    createAdmin: "Create the admin account",
    createMine: "Create my account",
  },
  gate: {
    title: "Confirm with your password",
    /** "This change adds or changes [code] in the config file, …": the middle word is in bold. */
    whyBefore: "This change adds or changes ",
    whyCode: "code",
    whyAfter:
      " in the config file, not only values. Checking or applying it runs that code on the gateway host, with the gateway's rights, so it needs your password.",
    password: "Your password",
    cancelled: "Cancelled: the change was not sent.",
  },
};
