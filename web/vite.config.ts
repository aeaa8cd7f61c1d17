/// <reference types="vitest" />
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// The build goes to dist/, served by `futureim serve`: files under assets/
// carry content hashes (cached for a year), index.html is revalidated.
export default defineConfig({
  plugins: [react()],
  build: { outDir: "dist", assetsDir: "assets", sourcemap: false, target: "es2020" },
  // `npm run dev` talks to a local `futureim serve` on the default port.
  server: {
    proxy: Object.fromEntries(
      ["/auth", "/admin", "/query", "/health", "/openapi.json", "/ops", "/analytics"].map((p) => [
        p,
        "http://127.0.0.1:8080",
      ]),
    ),
  },
  test: { environment: "node", include: ["src/**/*.test.ts", "src/**/*.test.tsx"] },
});
