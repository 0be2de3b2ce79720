/**
 * The two stores of admin accounts and API keys, for suites that run against both: this process's
 * SQLite (in memory) and the real PostgreSQL in a schema of the test's own (skipped when none answers).
 */
import type { Accounts } from "../../src/store/accounts.ts";
import { SqliteAccounts } from "../../src/store/accounts.ts";
import { type ApiKeyStore, SqliteKeyStore } from "../../src/store/api-key-store.ts";
import { openStore } from "../../src/store/db.ts";
import { PgAccounts } from "../../src/store/pg/pg-accounts.ts";
import { PgKeyStore } from "../../src/store/pg/pg-api-keys.ts";
import { openPgStore } from "../../src/store/pg/pg-store.ts";
import { freshSchema, PG_URL, pgAnswers } from "./postgres.ts";

export interface OpenAccountStores {
  accounts: Accounts;
  keys: ApiKeyStore;
  close(): Promise<void>;
}

export const accountBackends: { name: string; skip: boolean; open(): Promise<OpenAccountStores> }[] = [
  {
    name: "SQLite",
    skip: false,
    async open() {
      const store = openStore(":memory:");
      return {
        accounts: new SqliteAccounts(store),
        keys: new SqliteKeyStore(store),
        close: async () => store.close(),
      };
    },
  },
  {
    name: "PostgreSQL",
    skip: !pgAnswers,
    async open() {
      const fresh = await freshSchema();
      const pg = await openPgStore(PG_URL, { schema: fresh.schema, max: 2 });
      return {
        accounts: new PgAccounts(pg),
        keys: new PgKeyStore(pg),
        async close() {
          await pg.close();
          await fresh.drop();
        },
      };
    },
  },
];
