/** English strings of the keys area: the key list, the create/edit form, the shown-once dialog, use over time. */
import { template } from "../dict.ts";

export const keys = {
  title: "API keys",
  /** What a disabled control says to a read-only admin (the security page says it too). */
  /** After the note (its space included: Chinese puts none between sentences). */
  readOnlyAsk: " Ask an admin to create, change, rotate or revoke a key.",
  dismiss: "Dismiss",
  /** "Clients send a key as [Authorization: Bearer <key>]." */
  bearerBefore: "Clients send a key as ",
  bearerAfter: ".",
  /** "[n] keys from the config file ([auth.apiKeys]) also work; they are not listed here." */
  configKeysBefore: (n: number): string =>
    n === 1 ? " 1 key from the config file (" : ` ${n} keys from the config file (`,
  configKeysAfter: (n: number): string =>
    n === 1 ? ") also works; they are not listed here." : ") also work; they are not listed here.",
  open: {
    title: "/v1 is open:",
    body: " no key was ever created and the config declares none, so anyone who can reach the gateway can use it. Creating a key closes it for good: every request then needs a key, even after the key is revoked.",
    byConfigTitle: "/v1 is open on purpose:",
    /** "the config says [auth: { open: true }], so requests…" */
    byConfigBefore: " the config says ",
    byConfigAfter: ", so requests without a key are served. A revoked key is still refused.",
  },
  revoked: template<{ name: string; prefix: string }>(
    "Key “{{name}}” ({{prefix}}…) was revoked: requests with it are refused from now on.",
  ),
  saved: template<{ name: string }>("Key “{{name}}” saved: its new limits apply from its next request."),
  ago: {
    justNow: "just now",
    minutes: template<{ n: string }>("{{n}} min ago"),
    hours: template<{ n: string }>("{{n}} h ago"),
  },
  list: {
    title: "Keys",
    showInactive: template<{ n: string }>("Show revoked and expired ({{n}})"),
    none: "No key created yet.",
    onlyInactive: "Only revoked or expired keys.",
    name: "Name",
    key: "Key",
    status: "Status",
    created: "Created",
    expires: "Expires",
    lastUsed: "Last used",
    requests: "Requests",
    limits: "Limits",
    budget: "Budget",
    actions: "Actions",
    never: "never",
    usage: "Usage",
    usageOf: template<{ name: string }>("Use over time of the key {{name}}"),
    edit: "Edit",
    editOf: template<{ name: string }>("Edit the key {{name}}"),
    rotate: "Rotate",
    rotateOf: template<{ name: string }>("Rotate the key {{name}}"),
    revoke: "Revoke",
    revokeOf: template<{ name: string }>("Revoke the key {{name}}"),
  },
  status: { active: "active", revoked: "revoked", expired: "expired" },
  limits: {
    none: "none",
    tiers: template<{ list: string }>("tiers {{list}}"),
    /** Before the list of models (in monospace). */
    models: "models ",
    perMinute: template<{ n: string }>("{{n}}/min"),
  },
  using: {
    title: "Using a key",
    /** "The gateway speaks OpenAI's API at [url]. Use [auto], a tier or a [provider/model] as the model. Export the key as [GATEWAY_API_KEY] first." */
    at: "The gateway speaks OpenAI's API at ",
    use: ". Use ",
    tierOr: ", a tier or a ",
    asModel: " as the model. Export the key as ",
    first: " first.",
  },
  editTitle: template<{ name: string }>("Edit the key “{{name}}”"),
  rotateDialog: {
    title: "Rotate this key?",
    confirm: "Rotate key",
    /** "[name] gets a new secret… The current one ([prefix…]) stops… get [401] until…" */
    newSecret: " gets a new secret, shown once. The current one (",
    stops: ") stops working at once: clients using it get ",
    stays: " until they have the new one. Its limits, usage and history stay.",
  },
  revokeDialog: {
    title: "Revoke this key?",
    confirm: "Revoke key",
    /** "[name] ([prefix…]) stops working at once; clients using it get [401]. This cannot be undone." */
    open: " (",
    stops: ") stops working at once; clients using it get ",
    final: ". This cannot be undone.",
  },
  form: {
    createTitle: "Create a key",
    name: "Name",
    namePlaceholder: "e.g. billing-service",
    expiry: "Expires after (optional)",
    expiryHint: "Works until the end of that day. Empty: never expires.",
    rpm: "Requests per minute (optional)",
    unlimited: "unlimited",
    budget: "Budget in USD (optional)",
    noBudget: "no budget",
    budgetHint: "Past it the key gets 429 budget_exceeded until the period resets.",
    period: "Budget period",
    inFlight: "Requests in flight (optional)",
    tiers: "Tiers (none ticked: all)",
    noTier: "No tier found.",
    models: "Models that may answer (none ticked: all)",
    noModel: "No model found.",
    /** "This will be the first key: from then on every [/v1] request must send a key (…)." */
    firstKeyBefore: "This will be the first key: from then on every ",
    firstKeyAfter: " request must send a key (today it accepts requests without one).",
    badRpm: "Requests per minute must be a whole number above 0.",
    badBudget: "The budget must be an amount in USD above 0.",
    badInFlight: "Requests in flight must be a whole number above 0.",
    saving: "Saving…",
    save: "Save changes",
    creating: "Creating…",
    create: "Create key",
  },
  periods: {
    day: "per day (UTC)",
    month: "per month (UTC)",
    total: "in total",
  },
  budget: {
    none: "no budget",
    /** "$1.20 of $25.00 per month": `period` is the key's budget period (day, month, total). */
    spent: (spent: string, limit: string, period: string) => `${spent} of ${limit} per ${period}`,
    headroom: template<{ amount: string }>("· headroom {{amount}}"),
    held: template<{ amount: string }>(" · held {{amount}}"),
    resets: template<{ time: string }>(" · resets {{time}}"),
    inFlight: template<{ n: string; max: string }>("· {{n}}/{{max}} in flight"),
  },
  created: {
    title: template<{ name: string }>("Key “{{name}}” created"),
    rotatedTitle: template<{ name: string }>("Key “{{name}}” rotated"),
    copyNow: "Copy this key now.",
    shownOnce:
      " It is shown only this once: the gateway keeps only a hash and cannot show it again. If it is lost, revoke it and create a new one.",
    shownOnceRotated:
      " It is shown only this once: the gateway keeps only a hash and cannot show it again. If it is lost, rotate it again.",
    oldDead: " The old secret stopped working: update every client that used it.",
    field: "The new API key",
    what: "the API key",
    copy: "Copy key",
    tryIt: "Try it",
    snippetLanguage: "Snippet language for the new key",
    notCopied: "You have not copied the key with the button. Once this dialog is closed the key cannot be shown again.",
    closeAnyway: "Close anyway",
    done: "Done, I have it",
    close: "Close",
  },
  snippet: {
    language: "Snippet language",
    what: "the snippet",
    copy: "Copy snippet",
    region: "Code snippet",
  },
  activity: {
    title: template<{ name: string }>("Use of “{{name}}”"),
    period: "Period",
    day: "30 days",
    hour: "48 hours",
    /** "12 requests, $0.0300 in 30 days": `count` is `n` formatted, `span` one of the two periods above. */
    total: (n: number, count: string, cost: string, span: string) =>
      `${count} request${n === 1 ? "" : "s"}, ${cost} in ${span}`,
    bar: template<{ when: string; n: string; cost: string }>("{{when}}: {{n}} requests, {{cost}}"),
    captionDay: "Requests and spend per day",
    captionHour: "Requests and spend per hour",
    requests: template<{ n: string }>("{{n}} requests"),
  },
};
