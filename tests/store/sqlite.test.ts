/**
 * The SQLite adapter contract (src/store/sqlite.ts): the node:sqlite adapter Deno uses answers exactly
 * as bun:sqlite does for every call the store makes, and drizzle with its migrations runs over it. Both
 * drivers run here, under Bun (which has node:sqlite too).
 */
import { describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { migrate } from "drizzle-orm/bun-sqlite/migrator";
import { MIGRATIONS_DIR, openStore } from "../../src/store/db.ts";
import { openDrizzle } from "../../src/store/drizzle-node.ts";
import * as schema from "../../src/store/schema.ts";
import { users } from "../../src/store/schema.ts";
import type { SqliteDatabase } from "../../src/store/sqlite.ts";
import * as bunDriver from "../../src/store/sqlite-bun.ts";
import * as nodeDriver from "../../src/store/sqlite-node.ts";

const drivers = { "bun:sqlite": bunDriver, "node:sqlite adapter": nodeDriver };

for (const [name, driver] of Object.entries(drivers)) {
  describe(name, () => {
    const open = (): SqliteDatabase => {
      const db = driver.openSqlite(":memory:");
      db.run("CREATE TABLE t (a INTEGER PRIMARY KEY, b TEXT)");
      return db;
    };

    test("get() is a plain object, or null when there is no row; all() a list of plain objects", () => {
      const db = open();
      db.prepare("INSERT INTO t (a, b) VALUES (?, ?)").run(1, "x");
      const row = db.query("SELECT a, b FROM t WHERE a = ?").get(1);
      expect(row).toEqual({ a: 1, b: "x" });
      expect(Object.getPrototypeOf(row)).toBe(Object.prototype);
      expect(db.query("SELECT a, b FROM t WHERE a = ?").get(2)).toBeNull();
      expect(db.query("SELECT a, b FROM t").all()).toEqual([{ a: 1, b: "x" }]);
      db.close();
    });

    test("run() reports the rows changed; booleans bind as 1/0 and undefined as NULL; ?N parameters", () => {
      const db = open();
      expect(db.prepare("INSERT INTO t (a, b) VALUES (?1, ?2)").run(1, true).changes).toBe(1);
      db.prepare("INSERT INTO t (a, b) VALUES (?, ?)").run(2, undefined);
      db.prepare("INSERT INTO t (a, b) VALUES (?, ?)").run(3, false);
      expect(db.query("SELECT b FROM t ORDER BY a").all()).toEqual([{ b: "1" }, { b: null }, { b: "0" }]);
      expect(db.prepare("UPDATE t SET b = 'y' WHERE a > ?").run(0).changes).toBe(3);
      expect(db.prepare("UPDATE t SET b = 'y' WHERE a > ?").run(9).changes).toBe(0);
      db.close();
    });

    test("transaction(fn) commits, rolls back when fn throws, and nests with savepoints", () => {
      const db = open();
      const insert = db.prepare("INSERT INTO t (a, b) VALUES (?, ?)");
      db.transaction((a: number) => insert.run(a, "ok"))(1);
      expect(() =>
        db.transaction(() => {
          insert.run(2, "rolled back");
          throw new Error("boom");
        })(),
      ).toThrow("boom");
      db.transaction(() => {
        insert.run(3, "outer");
        try {
          db.transaction(() => {
            insert.run(4, "inner");
            throw new Error("inner boom");
          })();
        } catch {
          // the inner savepoint only is undone
        }
      })();
      expect(db.query("SELECT a FROM t ORDER BY a").all()).toEqual([{ a: 1 }, { a: 3 }]);
      db.close();
    });

    test("run() executes PRAGMAs; a query's errors are SQLite's", () => {
      const db = open();
      db.run("PRAGMA user_version = 7");
      expect(db.query("PRAGMA user_version").get()).toEqual({ user_version: 7 });
      expect(() => db.query("SELECT nope FROM t").all()).toThrow();
      db.close();
    });
  });
}

describe("drizzle over the node:sqlite adapter", () => {
  test("the committed migrations apply, the query builder works, and Bun opens the file without migrating again", () => {
    const dir = mkdtempSync(join(tmpdir(), "smartroute-sqlite-"));
    try {
      const path = join(dir, "gateway.db");
      const sqlite = nodeDriver.openSqlite(path);
      sqlite.run("PRAGMA journal_mode = WAL");
      const db = openDrizzle(sqlite, schema);
      migrate(db as Parameters<typeof migrate>[0], { migrationsFolder: MIGRATIONS_DIR });
      migrate(db as Parameters<typeof migrate>[0], { migrationsFolder: MIGRATIONS_DIR }); // a second start: nothing to do
      const created = db
        .insert(users)
        .values({ username: "admin", passwordHash: "$argon2id$x", createdAt: 1 })
        .returning()
        .get();
      expect(created).toMatchObject({ id: 1, username: "admin", passwordHash: "$argon2id$x" });
      db.update(users).set({ username: "root" }).where(eq(users.id, created.id)).run();
      expect(
        db
          .select()
          .from(users)
          .all()
          .map((u) => u.username),
      ).toEqual(["root"]);
      expect(db.select().from(users).where(eq(users.id, 99)).get()).toBeUndefined();
      const migrations = sqlite.query("SELECT hash, created_at FROM __drizzle_migrations ORDER BY id").all();
      sqlite.close();

      const onBun = openStore(dir);
      expect(onBun.sqlite.query("SELECT hash, created_at FROM __drizzle_migrations ORDER BY id").all()).toEqual(
        migrations,
      );
      expect(
        onBun.db
          .select()
          .from(users)
          .all()
          .map((u) => u.username),
      ).toEqual(["root"]);
      onBun.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
