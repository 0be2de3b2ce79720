/**
 * What the admin routes answer, as types only (erased from the UI bundle). Where a server function
 * already builds the answer, its own type is used, so the two cannot drift; the rest are declared
 * here and the routes return them by annotation.
 */
import type { ConfigIssue } from "../../../config/resolve.ts";
import type { ConfigSchema } from "../../../config/schema.ts";
import type { Hunk } from "../../../config-editor/diff.ts";
import type { TreeNode } from "../../../config-editor/source-tree.ts";
import type { Explanation } from "../../../pipeline/explain.ts";
import type { HealthView } from "../../../routing/health.ts";
import type { StoredKey } from "../../../store/api-key-store.ts";
import type { ConfigVersion } from "../../../store/config-history.ts";
import type { AttemptFailure, LogCount, LogDetail, LogListItem, LogPageResult } from "../../../store/queries/logs.ts";
import type { RefusedTotals } from "../../../store/queries/refused.ts";
import type { StatsResult } from "../../../store/queries/stats.ts";

export type {
  AttemptFailure,
  ConfigIssue,
  ConfigVersion,
  Explanation,
  HealthView,
  Hunk,
  LogCount,
  LogDetail,
  LogListItem,
  RefusedTotals,
  StatsResult,
  TreeNode,
};

export interface Ok {
  ok: true;
}

/** The signed-in admin (GET /api/auth/me, and in the answer of setup and login). */
export interface Me {
  username: string;
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
  schema: typeof ConfigSchema;
}

export interface ValidateAnswer {
  ok: boolean;
  issues: ConfigIssue[];
  diff: Hunk[];
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
