/**
 * The real PostgreSQL the cluster tests share (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test):
 * each test gets its own schema (`sr_test_<random>`), dropped after, so tests never see each other's rows.
 * Without a PostgreSQL answering, the PostgreSQL tests are skipped (and say so).
 */
import { join } from "node:path";
import postgres from "postgres";
import { startGateway } from "../../src/main.ts";
import { quiet } from "./redis.ts";

export const PG_URL = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

async function answers(): Promise<boolean> {
  const probe = postgres(PG_URL, { max: 1, connect_timeout: 2, onnotice: () => {} });
  try {
    await probe`SELECT 1`;
    return true;
  } catch {
    return false;
  } finally {
    await probe.end({ timeout: 1 });
  }
}

export const pgAnswers = await answers();
if (!pgAnswers) console.warn(`PostgreSQL tests skipped: no PostgreSQL at ${PG_URL}`);

/** A new empty schema no other test uses, and the function that drops it with everything in it. */
export async function freshSchema(): Promise<{ schema: string; drop(): Promise<void> }> {
  const schema = `sr_test_${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`;
  const admin = postgres(PG_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE SCHEMA ${schema}`);
  return {
    schema,
    async drop() {
      await admin.unsafe(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end({ timeout: 1 });
    },
  };
}

/** The tables of `schema`, sorted. */
export async function tablesOf(schema: string): Promise<string[]> {
  const admin = postgres(PG_URL, { max: 1, onnotice: () => {} });
  try {
    const rows = await admin<{ name: string }[]>`
      SELECT table_name AS name FROM information_schema.tables WHERE table_schema = ${schema} ORDER BY table_name`;
    return rows.map((r) => r.name);
  } finally {
    await admin.end({ timeout: 1 });
  }
}

/** A gateway in this process on the config in `dir`, its data in `dir/<data>` (tests pass databaseUrl). */
export function inProcess(dir: string, data: string, options: Partial<Parameters<typeof startGateway>[0]>) {
  return startGateway({
    configPath: join(dir, "gateway.config.ts"),
    projectRoot: dir,
    dataDir: join(dir, data),
    port: 0,
    host: "127.0.0.1",
    log: quiet,
    watch: false,
    ...options,
  });
}
