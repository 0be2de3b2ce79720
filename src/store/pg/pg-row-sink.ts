/**
 * Writes log batches to PostgreSQL (cluster mode): one transaction per batch, a multi-row INSERT of the
 * rows and multi-row upserts of the same rollups as SQLite (src/store/rollups.ts, target-rollups.ts
 * compute them; this file only writes them). The writer's connection pool is the driver's, so the event
 * loop never waits on PostgreSQL: a batch is awaited by the log writer, not by a request.
 *
 * Differences from the SQLite sink, because several replicas write the same rollup rows at once:
 * - the histograms are merged in SQL inside the upsert (the row is locked by ON CONFLICT), not read
 *   and written back, so two replicas adding to one minute never lose each other's counts;
 * - rollups count only the rows this transaction inserted (`RETURNING id`): a batch retried after a
 *   commit whose answer was lost adds nothing twice.
 */
import { getTableColumns, type SQL, sql } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import type { RequestRow } from "../record.ts";
import { type Rollup, rollupsOf } from "../rollups.ts";
import type { RowBatch, RowSink } from "../row-sink.ts";
import { type TargetRollup, targetRollupsOf, withAttempts } from "../target-rollups.ts";
import type { PgDatabase } from "./pg-store.ts";
import { requests, statsDay, statsMinute, statsTargetDay, statsTargetMinute } from "./schema.ts";

/** Rows per INSERT: 30 columns each stays far below PostgreSQL's 65 535 parameters per statement. */
const ROWS_PER_INSERT = 1_000;

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

type Transaction = Parameters<Parameters<PgDatabase["transaction"]>[0]>[0];

async function upsert(tx: Transaction, into: RollupTarget, rollups: (Rollup | TargetRollup)[]): Promise<void> {
  if (rollups.length === 0) return;
  const columns = getTableColumns(into.table) as Record<string, PgColumn>;
  await tx
    .insert(into.table)
    .values(rollups.map((r) => rollupRow(r, into.period)) as never)
    .onConflictDoUpdate({ target: into.key.map((field) => columns[field]), set: into.set });
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
  /** `isReady`: false while the store's tables may not exist yet (unreachable since start): the batch waits. */
  constructor(
    private readonly db: PgDatabase,
    private readonly isReady: () => boolean = () => true,
  ) {}

  async write(batch: RowBatch): Promise<void> {
    if (!this.isReady()) throw new Error("PostgreSQL has not been reachable since the gateway started");
    // Rows and rollups from the same storable values, so the rollups add up to the rows as stored.
    const storable = batch.rows.map(storableRow);
    await this.db.transaction(async (tx) => {
      const inserted = new Set<string>();
      for (let i = 0; i < storable.length; i += ROWS_PER_INSERT) {
        const ids = await tx
          .insert(requests)
          .values(storable.slice(i, i + ROWS_PER_INSERT))
          .onConflictDoNothing({ target: requests.id })
          .returning({ id: requests.id });
        for (const { id } of ids) inserted.add(id);
      }
      const fresh = storable.flatMap((row, i) =>
        inserted.has(row.id) ? [{ row, failovers: batch.failovers[i] }] : [],
      );
      const rows = fresh.map((f) => f.row);
      const { minutes, days } = rollupsOf(
        rows,
        fresh.map((f) => f.failovers),
      );
      const targets = targetRollupsOf(withAttempts(rows));
      await upsert(tx, MINUTE, minutes);
      await upsert(tx, DAY, days);
      await upsert(tx, TARGET_MINUTE, targets.minutes);
      await upsert(tx, TARGET_DAY, targets.days);
    });
  }

  /** The pool is the store's: closed with it. */
  async close(): Promise<void> {}
}
