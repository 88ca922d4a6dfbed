import { vitePlugin as remix } from "@remix-run/dev";
import { defineConfig, type UserConfig } from "vite";

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}

// The Shopify CLI passes the tunnel URL as SHOPIFY_APP_URL; HMR must use it too.
const host = new URL(process.env.SHOPIFY_APP_URL || "http://localhost").hostname;
const hmr =
  host === "localhost"
    ? { protocol: "ws", host: "localhost", port: 64999, clientPort: 64999 }
    : { protocol: "wss", host, port: Number(process.env.FRONTEND_PORT) || 8002, clientPort: 443 };

export default defineConfig({
  server: {
    allowedHosts: [host],
    // The extension routes answer CORS themselves (authenticate.public.checkout and
    // .customerAccount); Vite's own headers would add a second Access-Control-Allow-Origin,
    // which browsers refuse, so extension calls failed against the dev server.
    cors: false,
    hmr,
    // The Branding page's preview bundles the theme extension's Liquid, texts and CSS.
    fs: { allow: ["app", "node_modules", "extensions/comeback-theme"] },
  },
  plugins: [
    remix({
      ignoredRouteFiles: ["**/.*", "**/*.test.*"],
      future: {
        v3_fetcherPersist: true,
        v3_relativeSplatPath: true,
        v3_throwAbortReason: true,
        v3_lazyRouteDiscovery: true,
        v3_singleFetch: true,
        v3_routeConfig: false,
      },
    }),
  ],
  build: { assetsInlineLimit: 0 },
  // Everything the routes import, pre-bundled when the dev server starts. Left to discovery,
  // Vite finds some on the first page view, re-bundles and reloads, and the page can end up
  // with two copies of React (invalid hook calls) until the next reload.
  optimizeDeps: {
    include: [
      "@shopify/app-bridge-react",
      "@shopify/polaris",
      "@shopify/polaris-viz",
      "@remix-run/node",
      "@shopify/shopify-app-remix/server",
      "@shopify/shopify-app-remix/react",
      "@shopify/shopify-app-remix/adapters/node",
      "@shopify/shopify-app-session-storage-prisma",
      "@shopify/shopify-api",
      "@prisma/adapter-pg",
      "@prisma/client/runtime/client",
      "zod",
      "pino",
      "pg-boss",
      "graphql-request",
      "liquidjs",
    ],
  },
}) satisfies UserConfig;
