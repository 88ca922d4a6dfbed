// Runs `prisma generate` without network access.
// Every Prisma CLI command first tries to download the native schema engine, which this
// project never needs: generation runs in WASM and migrations go through the WASM engine
// (see app/platform/database/migrate.server.ts). Pointing PRISMA_SCHEMA_ENGINE_BINARY at
// any existing executable skips the download.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const env = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: "1" };
if (!env.PRISMA_SCHEMA_ENGINE_BINARY) {
  env.PRISMA_SCHEMA_ENGINE_BINARY = existsSync("/bin/true") ? "/bin/true" : process.execPath;
}
const result = spawnSync("npx", ["--no-install", "prisma", "generate"], { stdio: "inherit", env });
process.exit(result.status ?? 1);
