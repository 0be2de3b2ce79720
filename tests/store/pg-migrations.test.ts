/** The PostgreSQL store's migrations: a fresh database gets every table; opening again changes nothing. */
import { afterEach, expect, test } from "bun:test";
import { getTableConfig as getSqliteTableConfig } from "drizzle-orm/sqlite-core";
import { openPgStore } from "../../src/store/pg/pg-store.ts";
import * as sqliteSchema from "../../src/store/schema.ts";
import { freshSchema, PG_URL, pgAnswers, tablesOf } from "../helpers/postgres.ts";

/** Every migration the journal lists: each applied once. */
const journal = (await Bun.file(
  new URL("../../src/store/pg-migrations/meta/_journal.json", import.meta.url),
).json()) as {
  entries: unknown[];
};

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function schemaForTest(): Promise<string> {
  const fresh = await freshSchema();
  cleanups.push(fresh.drop);
  return fresh.schema;
}

const sqliteTables = Object.values(sqliteSchema).map((t) => getSqliteTableConfig(t as never));

test.skipIf(!pgAnswers)(
  "migrating a fresh database creates every table of the SQLite store, in its schema",
  async () => {
    const schema = await schemaForTest();
    const store = await openPgStore(PG_URL, { schema });
    await store.close();
    const expected = [...sqliteTables.map((t) => t.name), "__drizzle_migrations"].sort();
    expect(await tablesOf(schema)).toEqual(expected);
  },
);

test.skipIf(!pgAnswers)("every table has the SQLite table's columns, under the same names", async () => {
  const schema = await schemaForTest();
  const store = await openPgStore(PG_URL, { schema });
  try {
    for (const table of sqliteTables) {
      const rows = await store.sql<{ name: string }[]>`
        SELECT column_name AS name FROM information_schema.columns
        WHERE table_schema = ${schema} AND table_name = ${table.name} ORDER BY column_name`;
      expect({ table: table.name, columns: rows.map((r) => r.name) }).toEqual({
        table: table.name,
        columns: table.columns.map((c) => c.name).sort(),
      });
    }
    const indexes = await store.sql<{ name: string }[]>`
      SELECT indexname AS name FROM pg_indexes WHERE schemaname = ${schema} ORDER BY indexname`;
    for (const table of sqliteTables)
      for (const index of table.indexes) expect(indexes.map((i) => i.name)).toContain(index.config.name);
    // The sessions' foreign key points at this schema's users (not public's): a session needs its user.
    const orphan = store.sql`INSERT INTO sessions (id, user_id, created_at, expires_at) VALUES ('s', 42, 1, 2)`;
    await expect(orphan.then(() => "inserted")).rejects.toThrow("sessions_user_id_users_id_fk");
  } finally {
    await store.close();
  }
});

test.skipIf(!pgAnswers)("opening a migrated database again runs nothing and keeps its rows", async () => {
  const schema = await schemaForTest();
  const first = await openPgStore(PG_URL, { schema });
  await first.sql`INSERT INTO settings (key, value, updated_at) VALUES ('kept', '1', 1)`;
  const applied = await first.sql`SELECT id, hash FROM __drizzle_migrations ORDER BY id`;
  await first.close();

  const second = await openPgStore(PG_URL, { schema });
  try {
    expect(await second.sql`SELECT id, hash FROM __drizzle_migrations ORDER BY id`).toEqual(applied);
    expect([...(await second.sql`SELECT key FROM settings`)]).toEqual([{ key: "kept" }]);
  } finally {
    await second.close();
  }
});

test.skipIf(!pgAnswers)("replicas starting together migrate once: the others wait and find nothing to do", async () => {
  const schema = await schemaForTest();
  const stores = await Promise.all([1, 2, 3].map(() => openPgStore(PG_URL, { schema })));
  try {
    const applied = await stores[0].sql`SELECT count(*)::int AS n FROM __drizzle_migrations`;
    expect([...applied]).toEqual([{ n: journal.entries.length }]);
  } finally {
    await Promise.all(stores.map((s) => s.close()));
  }
});

test.skipIf(!pgAnswers)("a database that cannot be reached is a clear error without the password", async () => {
  const url = "postgres://postgres:s3cret-pw@127.0.0.1:1/test";
  const error = await openPgStore(url).then(
    () => undefined,
    (e: Error) => e,
  );
  expect(error?.message).toContain("PostgreSQL store at postgres://postgres:***@127.0.0.1:1/test could not be opened");
  expect(error?.message).not.toContain("s3cret-pw");
});

test.skipIf(!pgAnswers)(
  "a database that answers with a refusal stops the start, even when unreachable ones are waited for",
  async () => {
    const url = PG_URL.replace(/\/[^/?]+(\?|$)/, "/sr_no_such_database$1");
    const warned: string[] = [];
    const log = { warn: (m: string) => warned.push(m), info: () => {} };
    const error = await openPgStore(url, { whenUnreachable: { log } }).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error?.message).toContain("could not be opened");
    expect(error?.message).toContain("sr_no_such_database");
    expect(warned).toEqual([]);
  },
);
