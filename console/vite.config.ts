import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const outDir = fileURLToPath(new URL("../src/watchfloor/web/console_dist/", import.meta.url));
const page = (path: string): string => fileURLToPath(new URL(path, import.meta.url));
// The operator console and the public Community Connect pages (built into community/).
const input = {
  console: page("./index.html"),
  "community-register": page("./community/index.html"),
  "community-owner": page("./community/owner.html"),
  "community-answer": page("./community/answer.html"),
};
// For local checks only: `npm run preview` / `vite` proxy the API to a running Watchfloor.
const apiTarget = process.env.WATCHFLOOR_API ?? "http://127.0.0.1:8765";
const proxy = {
  "/api": { target: apiTarget, ws: true, changeOrigin: false },
  "/community/api": { target: apiTarget, changeOrigin: false },
  "/community/basemap.json": { target: apiTarget, changeOrigin: false },
};

export default defineConfig({
  base: "/",
  build: {
    outDir,
    emptyOutDir: true,
    target: "es2022",
    sourcemap: false,
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 1500,
    rolldownOptions: { input },
  },
  server: { proxy },
  preview: { proxy },
  test: {
    include: ["src/**/*.test.ts"],
    environment: "node",
  },
});
