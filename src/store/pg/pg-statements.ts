/**
 * What the PostgreSQL stores of accounts and keys share: each statement run under the read deadline,
 * with the 503 for a database that is away (pg-run.ts), and "did it change a row" read back portably.
 */
import { runOnPgSafely } from "./pg-run.ts";
import type { PgStore } from "./pg-store.ts";

export abstract class PgStatements {
  constructor(private readonly pg: Pick<PgStore, "db" | "isReady">) {}

  protected run<T>(query: () => Promise<T>): Promise<T> {
    return runOnPgSafely(this.pg.isReady, query);
  }

  protected get db() {
    return this.pg.db;
  }

  /** True when the statement changed at least one row (read back by `returning`: no driver count). */
  protected async changed(query: () => Promise<unknown[]>): Promise<boolean> {
    return (await this.run(query)).length > 0;
  }
}
