/** drizzle on Bun: its bun-sqlite driver over the bun:sqlite connection, as it is. */
import type { Database } from "bun:sqlite";
import { drizzle } from "drizzle-orm/bun-sqlite";
import type { StoreDatabase } from "./db.ts";
import type * as schema from "./schema.ts";
import type { SqliteDatabase } from "./sqlite.ts";

export function openDrizzle(sqlite: SqliteDatabase, schemaModule: typeof schema): StoreDatabase {
  return drizzle(sqlite as unknown as Database, { schema: schemaModule });
}
