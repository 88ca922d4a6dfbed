/**
 * `npm run demo`: the app on this machine with no Shopify account and no database server.
 *
 * It refuses to run in production. Without DATABASE_URL it uses the embedded PostgreSQL
 * in .data/; with SHOPIFY_API_SECRET unset it generates one and prints it, so signed
 * webhooks and App Proxy requests can be sent to it from outside.
 */
import { randomBytes } from "node:crypto";
import { spawn } from "node:child_process";

if (process.env.NODE_ENV === "production") {
  console.error("comeback demo: refusing to start with NODE_ENV=production; the demo is for local use only");
  process.exit(1);
}

const port = process.env.PORT || "3000";
const secret = process.env.SHOPIFY_API_SECRET || randomBytes(24).toString("hex");
const env: NodeJS.ProcessEnv = {
  ...process.env,
  NODE_ENV: "development",
  HOST: "127.0.0.1",
  PORT: port,
  SHOPIFY_API_KEY: process.env.SHOPIFY_API_KEY || "comeback-demo",
  SHOPIFY_API_SECRET: secret,
  SHOPIFY_APP_URL: `http://localhost:${port}`,
  COMEBACK_DEMO: "1",
  LOG_LEVEL: process.env.LOG_LEVEL || "info",
};

console.log(`Comeback demo
  app:            http://localhost:${port}
  health:         http://localhost:${port}/healthz
  database:       ${process.env.DATABASE_URL ? "DATABASE_URL" : "embedded PostgreSQL in .data/"}
  webhook secret: ${process.env.SHOPIFY_API_SECRET ? "(from SHOPIFY_API_SECRET)" : secret}
`);

const child = spawn(process.execPath, ["--import", "tsx", "server/index.ts"], { env, stdio: "inherit" });
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => child.kill(signal));
child.on("exit", (code) => process.exit(code ?? 0));
