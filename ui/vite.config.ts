import { defineConfig } from "vite";
import solid from "vite-plugin-solid";

// The admin UI, built to ui/dist and served by the gateway (same origin as /api: no CORS).
export default defineConfig({
  root: new URL(".", import.meta.url).pathname,
  plugins: [solid()],
  build: { outDir: "dist", emptyOutDir: true, target: "es2022", chunkSizeWarningLimit: 800 },
  server: { proxy: { "/api": "http://localhost:6688", "/v1": "http://localhost:6688" } },
});
