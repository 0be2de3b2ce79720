/**
 * Opens the PostgreSQL store of cluster mode (`GATEWAY_DATABASE_URL`) and brings its schema up to date
 * with the committed migrations (src/store/pg-migrations). Only this module and its siblings import the
 * `postgres` driver, and only when the setting is given: a single process never loads it.
 *
 * Several replicas start at once against one database: the migrations run under an advisory lock, so
 * one replica migrates and the others wait for it and then find nothing to do.
 */
import { drizzle, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import postgres, { type Sql } from "postgres";
import { describeDatabaseUrl } from "../../config/process-settings.ts";
import type { Logger } from "../../plugin/types.ts";
import type { LogReader } from "../log-reader.ts";
import { isUnavailable } from "./pg-errors.ts";
import { pgLogReader } from "./pg-run.ts";
import * as schema from "./schema.ts";

export type PgDatabase = PostgresJsDatabase<typeof schema>;

export const PG_MIGRATIONS_DIR = new URL("../pg-migrations", import.meta.url).pathname;

/** Any 64-bit key: the one lock every SmartRoute replica takes around its migrations. */
const MIGRATION_LOCK = 0x5347_5254; // "SGRT"

export interface PgStore {
  sql: Sql;
  db: PgDatabase;
  /** The request log's read side (the admin API's logs, stats, health windows). */
  logs: LogReader;
  /** The schema the tables live in (and the migrations table with them). */
  schema: string;
  /** False until the migrations ran (a database unreachable at start is retried in the background). */
  isReady(): boolean;
  /** Resolves once the migrations ran. */
  ready: Promise<void>;
  close(): Promise<void>;
}

export interface PgStoreOptions {
  /** The schema the tables are created in (default: the URL's `?search_path=`, else "public"; tests use one each). */
  schema?: string;
  migrationsFolder?: string;
  /** Connections in the pool (default 10). */
  max?: number;
  /**
   * Start even when the database cannot be reached (down, or the network): migrate in the background,
   * every `retryMs` (default 2 000), saying so once on `log`. A database that answers with a refusal
   * (a wrong password, no such database) is still an error at once.
   */
  whenUnreachable?: { log: Pick<Logger, "warn" | "info">; retryMs?: number };
}

/** The schema a URL names with `?search_path=` (which the driver also sends as the connection's), else "public". */
function schemaOf(url: string): string {
  try {
    return new URL(url).searchParams.get("search_path") || "public";
  } catch {
    return "public";
  }
}

/** A connection pool: int8 and numeric read as JS numbers (times and sums are below 2^53), notices not printed. */
export function connectPg(url: string, options: Pick<PgStoreOptions, "schema" | "max"> = {}): Sql {
  return postgres(url, {
    max: options.max ?? 10,
    connect_timeout: 5,
    onnotice: () => {},
    connection: { search_path: options.schema ?? "public", application_name: "smartroute" },
    types: {
      int8: { to: 20, from: [20], serialize: String, parse: Number },
      // SUM and AVG over integers answer numeric: read as numbers, as SQLite gives them.
      numeric: { to: 1700, from: [1700], serialize: String, parse: Number },
    },
  });
}

/**
 * Runs the committed migrations that this database has not run yet, one replica at a time: on a
 * connection of its own (a pool of one), which holds the advisory lock for the run. Not a reserved
 * connection of the main pool: the driver would write to a reserved connection whose socket a network
 * cut closed (and throw outside any promise); a pool of one reconnects instead, and the server drops
 * the lock of a connection that died.
 */
export async function migratePg(url: string, schemaName: string, migrationsFolder: string): Promise<void> {
  const one = connectPg(url, { schema: schemaName, max: 1 });
  try {
    await one`SELECT pg_advisory_lock(${MIGRATION_LOCK})`;
    await migrate(drizzle(one), {
      migrationsFolder,
      migrationsSchema: schemaName,
      migrationsTable: "__drizzle_migrations",
    });
    await one`SELECT pg_advisory_unlock(${MIGRATION_LOCK})`;
  } finally {
    await one.end({ timeout: 1 });
  }
}

/**
 * Connects and migrates; rejects (with the URL's password hidden) when the database refuses, or cannot
 * be reached and `whenUnreachable` is not given.
 */
export async function openPgStore(url: string, options: PgStoreOptions = {}): Promise<PgStore> {
  const schemaName = options.schema ?? schemaOf(url);
  const sql = connectPg(url, { ...options, schema: schemaName });
  const db = drizzle(sql, { schema });
  const migrateNow = () => migratePg(url, schemaName, options.migrationsFolder ?? PG_MIGRATIONS_DIR);
  let ready = false;
  let closed = false;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let readyNow: () => void = () => {};
  const whenReady = new Promise<void>((resolve) => (readyNow = resolve));
  const opened = () => {
    ready = true;
    readyNow();
  };
  try {
    await migrateNow();
    opened();
  } catch (error) {
    const waiting = options.whenUnreachable;
    if (!waiting || !isUnavailable(error)) {
      await sql.end({ timeout: 1 });
      throw new Error(`PostgreSQL store at ${describeDatabaseUrl(url)} could not be opened: ${String(error)}`);
    }
    waiting.log.warn(
      `PostgreSQL at ${describeDatabaseUrl(url)} cannot be reached (${String(error)}); serving, log rows queue until it answers`,
    );
    const again = () => {
      retry = setTimeout(async () => {
        if (closed) return;
        try {
          await migrateNow();
          opened();
          waiting.log.info(`PostgreSQL at ${describeDatabaseUrl(url)} answers: request log store ready`);
        } catch {
          again();
        }
      }, waiting.retryMs ?? 2_000);
    };
    again();
  }
  return {
    sql,
    db,
    logs: pgLogReader(sql, () => ready),
    schema: schemaName,
    isReady: () => ready,
    ready: whenReady,
    close: () => {
      closed = true;
      clearTimeout(retry);
      return sql.end({ timeout: 5 });
    },
  };
}
