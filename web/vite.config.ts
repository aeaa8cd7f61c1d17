/// <reference types="vitest" />
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// The build goes to dist/, served by `futureim serve`: files under assets/
// carry content hashes (cached for a year), index.html is revalidated.
export default defineConfig({
  plugins: [react()],
  build: { outDir: "dist", assetsDir: "assets", sourcemap: false, target: "es2020" },
  // `npm run dev` / `vite preview` send the API's paths to a local `futureim
  // serve` (FUTUREIM_API, default the default server.listen). Only API paths:
  // /admin and /admin/audit are pages.
  server: {
    proxy: Object.fromEntries(
      ["^/auth/", "^/admin/(users|audit-log)", "^/query$", "^/health$", "^/openapi\\.json$", "^/ops/", "^/analytics/"].map((p) => [
        p,
        process.env.FUTUREIM_API ?? "http://127.0.0.1:8080",
      ]),
    ),
  },
  test: { environment: "node", include: ["src/**/*.test.ts", "src/**/*.test.tsx"] },
});
