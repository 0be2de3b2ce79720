/**
 * Writes log batches to PostgreSQL (cluster mode): a multi-row INSERT of the rows and multi-row upserts
 * of the same rollups as SQLite (src/store/rollups.ts, target-rollups.ts compute them; this file only
 * writes them), all in ONE statement (data-modifying CTEs), so rows and their rollups land together or
 * not at all. One statement, not a transaction: the driver (postgres.js 3.4.9) sends a transaction's
 * ROLLBACK on a connection a network cut has just closed, and throws outside any promise, which ends
 * the process; a single statement on the pool is safe. The driver's pool writes off the event loop; a
 * batch is awaited by the log writer, never by a request.
 *
 * Differences from the SQLite sink, because several replicas write the same rollup rows at once:
 * - the histograms are merged in SQL inside the upsert (the row is locked by ON CONFLICT), not read
 *   and written back, so two replicas adding to one minute never lose each other's counts;
 * - rows already stored are left out first (a batch retried after a commit whose answer was lost):
 *   their rollups are not added twice. Only this writer ever writes a row's id, so the check is safe.
 */
import { getTableColumns, type SQL, sql } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import type { RequestRow } from "../record.ts";
import { type Rollup, rollupsOf } from "../rollups.ts";
import type { RowBatch, RowSink } from "../row-sink.ts";
import { type TargetRollup, targetRollupsOf, withAttempts } from "../target-rollups.ts";
import { describePgError, withDeadline } from "./pg-errors.ts";
import type { PgDatabase, PgStore } from "./pg-store.ts";
import { requests, statsDay, statsMinute, statsTargetDay, statsTargetMinute } from "./schema.ts";

/** Rows per statement: their 30 columns and their rollups stay below PostgreSQL's parameter limit. */
const ROWS_PER_INSERT = 500;

const HISTOGRAMS = new Set(["latencyHist", "ttftHist"]);

/** `old + new` element by element, for two JSON arrays of counts held as text (the histograms). */
function mergedHistogram(column: PgColumn): SQL {
  const name = sql.identifier(column.name);
  return sql`(SELECT json_agg(COALESCE(o.v::bigint, 0) + COALESCE(n.v::bigint, 0) ORDER BY COALESCE(o.i, n.i))::text
    FROM json_array_elements_text(${column}::json) WITH ORDINALITY AS o(v, i)
    FULL JOIN json_array_elements_text(excluded.${name}::json) WITH ORDINALITY AS n(v, i) ON o.i = n.i)`;
}

/** The upsert's SET: every figure added to the stored one, the histograms merged; the key columns kept. */
function additions(table: PgTable, key: string[]): Record<string, SQL> {
  const set: Record<string, SQL> = {};
  for (const [field, column] of Object.entries(getTableColumns(table))) {
    if (key.includes(field)) continue;
    set[field] = HISTOGRAMS.has(field)
      ? mergedHistogram(column)
      : sql`${column} + excluded.${sql.identifier(column.name)}`;
  }
  return set;
}

type Period = "minute" | "day";

/** A computed rollup as a row of its table: the period under its column's name, histograms as JSON text. */
function rollupRow<R extends Rollup | TargetRollup>(r: R, period: Period) {
  const { period: at, latencyHist, ttftHist, ...figures } = r;
  return {
    ...figures,
    [period]: at,
    latencyHist: JSON.stringify(latencyHist),
    ttftHist: JSON.stringify(ttftHist),
  };
}

interface RollupTarget {
  table: typeof statsMinute | typeof statsDay | typeof statsTargetMinute | typeof statsTargetDay;
  period: Period;
  key: string[];
  set: Record<string, SQL>;
}

function target(table: RollupTarget["table"], period: Period, by: "model" | "target"): RollupTarget {
  const key = [period, "tier", by];
  return { table, period, key, set: additions(table, key) };
}

const MINUTE = target(statsMinute, "minute", "model");
const DAY = target(statsDay, "day", "model");
const TARGET_MINUTE = target(statsTargetMinute, "minute", "target");
const TARGET_DAY = target(statsTargetDay, "day", "target");

/** The upsert of `rollups` into `into`, as SQL text and parameters (drizzle builds it, `$1`…). */
function upsertQuery(db: PgDatabase, into: RollupTarget, rollups: (Rollup | TargetRollup)[]) {
  const columns = getTableColumns(into.table) as Record<string, PgColumn>;
  return db
    .insert(into.table)
    .values(rollups.map((r) => rollupRow(r, into.period)) as never)
    .onConflictDoUpdate({ target: into.key.map((field) => columns[field]), set: into.set })
    .toSQL();
}

/** Longest wait for one statement of a batch. */
const WRITE_DEADLINE_MS = 30_000;

/** PostgreSQL's limit of parameters in one statement. */
const MAX_PARAMETERS = 65_534;

/** Statements as one: each a data-modifying CTE, their `$n` numbered on. */
export function oneStatement(parts: { sql: string; params: unknown[] }[]): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const ctes = parts.map((part, i) => {
    const offset = params.length;
    params.push(...part.params);
    return `w${i} AS (${part.sql.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`)})`;
  });
  return { sql: `WITH ${ctes.join(", ")} SELECT 1`, params };
}

/** Columns PostgreSQL keeps as integers, which SQLite would also take as fractions (an upstream's odd usage). */
const WHOLE = ["ts", "status", "attempts", "promptTokens", "completionTokens", "costMicros", "baselineMicros"] as const;

/**
 * A row as PostgreSQL accepts it, so that no row can fail its whole batch again and again: integers
 * rounded (a non-finite one is null, as it would be unreadable anyway), and NUL characters, which a
 * PostgreSQL text cannot hold, replaced by U+FFFD.
 */
export function storableRow({ seq: _seq, ...row }: RequestRow): Omit<RequestRow, "seq"> {
  const out: Record<string, unknown> = { ...row };
  for (const [column, value] of Object.entries(out))
    if (typeof value === "string" && value.includes("\u0000")) out[column] = value.replaceAll("\u0000", "\uFFFD");
  for (const column of WHOLE) {
    const value = out[column];
    if (typeof value === "number") out[column] = Number.isFinite(value) ? Math.round(value) : null;
  }
  return out as Omit<RequestRow, "seq">;
}

export class PgRowSink implements RowSink {
  constructor(private readonly pg: Pick<PgStore, "db" | "sql" | "isReady">) {}

  async write(batch: RowBatch): Promise<void> {
    if (!this.pg.isReady()) throw new Error("PostgreSQL has not been reachable since the gateway started");
    // Rows and rollups from the same storable values, so the rollups add up to the rows as stored.
    const storable = batch.rows.map(storableRow);
    try {
      const ids = storable.map((r) => r.id);
      const stored = await withDeadline(
        this.pg.sql<{ id: string }[]>`SELECT id FROM requests WHERE id = ANY(${ids})`,
        WRITE_DEADLINE_MS,
        "PostgreSQL",
      );
      const known = new Set(stored.map((r) => r.id));
      const fresh = storable.flatMap((row, i) => (known.has(row.id) ? [] : [{ row, failovers: batch.failovers[i] }]));
      await this.writeFresh(fresh, ROWS_PER_INSERT);
    } catch (error) {
      // The writer logs this: the driver's message only, never drizzle's (it lists every row's values).
      throw new Error(describePgError(error));
    }
  }

  /** Rows with their rollups, `per` rows a statement (fewer when the parameters would not fit in one). */
  private async writeFresh(fresh: { row: Omit<RequestRow, "seq">; failovers: number }[], per: number): Promise<void> {
    for (let i = 0; i < fresh.length; i += per) {
      const part = fresh.slice(i, i + per);
      const rows = part.map((f) => f.row);
      // Refused rows add to no rollup (rollupsOf skips them; their trace has no attempt).
      const { minutes, days } = rollupsOf(
        rows,
        part.map((f) => f.failovers),
      );
      const targets = targetRollupsOf(withAttempts(rows));
      const db = this.pg.db;
      const statement = oneStatement([
        db.insert(requests).values(rows).onConflictDoNothing({ target: requests.id }).toSQL(),
        ...(
          [
            [MINUTE, minutes],
            [DAY, days],
            [TARGET_MINUTE, targets.minutes],
            [TARGET_DAY, targets.days],
          ] as const
        ).flatMap(([into, rollups]) => (rollups.length > 0 ? [upsertQuery(db, into, rollups)] : [])),
      ]);
      if (statement.params.length > MAX_PARAMETERS && part.length > 1) {
        await this.writeFresh(part, Math.ceil(part.length / 2));
        continue;
      }
      // A statement left pending by a cut fails the batch, which the writer tries again (see pg-errors.ts).
      await withDeadline(
        this.pg.sql.unsafe(statement.sql, statement.params as never[]),
        WRITE_DEADLINE_MS,
        "PostgreSQL",
      );
    }
  }

  /** The pool is the store's: closed with it. */
  async close(): Promise<void> {}
}
