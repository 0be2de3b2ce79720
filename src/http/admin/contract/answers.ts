/**
 * What the admin routes answer, as types only (erased from the UI bundle). Where a server function
 * already builds the answer, its own type is used, so the two cannot drift; the rest are declared
 * here and the routes return them by annotation.
 */

import type { AdminView, InviteView } from "../../../auth/admin-team.ts";
import type { ReplicaState } from "../../../cluster/shared-config.ts";
import type { ConfigIssue } from "../../../config/resolve.ts";
import type { ConfigSchema } from "../../../config/schema.ts";
import type { Hunk } from "../../../config-editor/diff.ts";
import type { TreeNode } from "../../../config-editor/source-tree.ts";
import type { Explanation } from "../../../pipeline/explain.ts";
import type { HealthView } from "../../../routing/health.ts";
import type { HealthVerdict, HealthWindowRange } from "../../../routing/health-window.ts";
import type { KeyUsagePoint, StoredKey } from "../../../store/api-key-store.ts";
import type { ConfigVersion } from "../../../store/config-history.ts";
import type { AttemptFailure, LogCount, LogDetail, LogListItem, LogPageResult } from "../../../store/queries/logs.ts";
import type { RefusedTotals } from "../../../store/queries/refused.ts";
import type { StatsResult } from "../../../store/queries/stats.ts";
import type { TargetWindow } from "../../../store/queries/target-stats.ts";
import type { PlaygroundSent } from "../playground-routes.ts";

export type {
  AttemptFailure,
  ConfigIssue,
  ConfigVersion,
  Explanation,
  HealthVerdict,
  HealthView,
  HealthWindowRange,
  Hunk,
  LogCount,
  LogDetail,
  LogListItem,
  PlaygroundSent,
  RefusedTotals,
  StatsResult,
  TargetWindow,
  TreeNode,
};

export interface Ok {
  ok: true;
}

/** The signed-in admin (GET /api/auth/me, and in the answer of setup and login). */
export interface Me {
  username: string;
  /** "admin" changes anything; "viewer" sees everything and changes only its own account. */
  role: "admin" | "viewer";
  totpEnabled: boolean;
  mustEnrol: boolean;
  sessionExpiresAt: number;
  createdAt: number;
}

export interface SignedIn extends Ok {
  user: Me;
}

export interface TotpEnrolment {
  secret: string;
  uri: string;
  qrSvg: string;
}

export interface RecoveryCodes {
  recoveryCodes: string[];
}

export interface OpenSession {
  /** The first characters of the session id: enough to revoke it, not to use it. */
  id: string;
  current: boolean;
  createdAt: number;
  expiresAt: number;
  clientIp: string | null;
  userAgent: string | null;
}

export interface AdminSettings {
  require2fa: boolean;
  sessionTtlMs: number;
}

export interface AuditEntry {
  id: number;
  ts: number;
  actor: string;
  action: string;
  detail: unknown;
  clientIp: string | null;
}

export type KeyRecord = Omit<StoredKey, "hash"> & { spend?: KeySpendView };

/** A key's budget now: spent and held in its period (micro-dollars), what is left, when it resets; requests in flight. */
export interface KeySpendView {
  period?: "day" | "month" | "total";
  spentMicros?: number;
  reservedMicros?: number;
  limitMicros?: number;
  /** limit - spent - reserved (never below 0). */
  headroomMicros?: number;
  resetAt?: number;
  inFlight: number;
}

export interface KeyList {
  keys: KeyRecord[];
  /** How many keys the config file declares (they are not listed: only their digests are known). */
  configKeys: number;
  open: boolean;
  openByConfig: boolean;
}

/** A key's requests and spend per hour or day, oldest first; buckets without a request are left out. */
export interface KeyUsage {
  bucket: "hour" | "day";
  from: number;
  points: KeyUsagePoint[];
}

export type { AdminView, InviteView };
export interface AdminTeamView {
  admins: AdminView[];
  invites: InviteView[];
}

/** A new invite: `token` goes in the link (`/invite#token=…`) and is not shown again. */
export interface CreatedInvite {
  token: string;
  invite: InviteView;
  note: string;
}

export interface CreatedKey {
  key: string;
  record: KeyRecord;
  note: string;
}

/** GET /api/logs: one page, the cursor of the next, and (first page) how many rows match. */
export type LogPage = LogPageResult;

/** GET /api/stats: the rollups' figures, and the requests refused before routing (in no rollup). */
export type StatsAnswer = StatsResult & { refused: RefusedTotals };

/** GET /api/health: every configured target with the tiers it serves. */
export interface HealthTarget extends HealthView {
  tiers: string[];
  /** Counted figures of the window (attempts, error rate, latency, series); absent without a request log. */
  window?: TargetWindow;
  /** What the card says: healthy, degraded, failing or no traffic, and why (src/routing/health-window.ts). */
  verdict: HealthVerdict;
}

/** The processes of a cluster and the config each runs (`GET /api/cluster`; `enabled: false` alone). */
export interface ClusterAnswer {
  enabled: boolean;
  /** Digest of the cluster's current config text, once an edit was applied through the admin. */
  current?: string;
  /** This process's name (it is listed first). */
  self?: string;
  replicas: ReplicaState[];
}

export interface HealthAnswer {
  targets: HealthTarget[];
  /** The window the figures cover; absent without a request log. */
  window?: HealthWindowRange;
}

export interface TestResult {
  ok: boolean;
  model: string;
  latencyMs: number;
  answer?: string;
  usage?: unknown;
  error?: string;
}

export interface ConfigAnswer {
  file: string;
  version: number;
  historyId?: number;
  source: string;
  tree: TreeNode[];
  issues: ConfigIssue[];
  secrets: string[];
  /** Literal secrets still in the file, offered to move into the secret store. */
  literalSecrets: { count: number; paths: string[] };
  /** Settings the process runs with another value of (GATEWAY_PORT, --port…). */
  overrides: { path: string; by: string; value: string }[];
  /** The provider factories the "Add provider" form offers. */
  providerKinds: { factory: string; label: string; defaultBaseURL: string; keyRequired: boolean }[];
  schema: typeof ConfigSchema;
}

export interface ValidateAnswer {
  ok: boolean;
  issues: ConfigIssue[];
  diff: Hunk[];
  /** Literal secrets the change writes that the file does not hold yet (apply with `moveSecrets` moves those with a path). */
  literalSecrets: { count: number; paths: string[] };
}

/** A connection test: whether the upstream answered with the key, and the models its /models lists. */
export interface ProviderProbe {
  ok: boolean;
  status?: number;
  models: string[];
  error?: string;
}

export interface ProviderAdded extends Ok {
  version: number;
  /** The secret store variable the key went to, referenced as env("NAME"). */
  env?: string;
}

/** A `provider/model` the tier picker offers, with the catalog's facts where it knows the model. */
export interface ModelChoice {
  ref: string;
  /** Already in a tier (else listed by its provider's /models). */
  configured: boolean;
  contextWindow?: number;
  /** USD per million tokens (the base rate of a tiered price). */
  inputPrice?: number;
  outputPrice?: number;
  /** Where the price comes from: "config" or "catalog:<id>". */
  priceSource?: string;
}

export interface ModelChoices {
  models: ModelChoice[];
  /** Providers whose /models could not be read, and why. */
  unreachable: { provider: string; error: string }[];
}

/** A secret store entry: its name and when it was set, never its value. */
export interface StoredSecret {
  name: string;
  setAt?: number;
  /** Config paths that reference it as env("NAME"). */
  usedBy: string[];
}

/** A change written and reloaded (a refused one is a 400 `config_invalid` carrying the issues). */
export interface Applied extends Ok {
  version: number;
  historyId?: number;
}

export interface SecretSet extends Ok {
  env: string;
  version: number;
}

export interface SecretsMoved extends Ok {
  moved: { path: string; env: string }[];
  version?: number;
}

export type HistoryVersion = Omit<ConfigVersion, "source">;
