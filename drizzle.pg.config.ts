/** The PostgreSQL store's migrations (cluster mode), beside SQLite's (drizzle.config.ts). */
import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "postgresql",
  schema: "./src/store/pg/schema.ts",
  out: "./src/store/pg-migrations",
});
