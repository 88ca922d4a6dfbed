/**
 * Database tasks that work offline.
 *
 *   npm run db:migrate                 apply pending migrations to DATABASE_URL
 *   npm run db:new-migration -- NAME   write prisma/migrations/<timestamp>_NAME from the
 *                                      change to schema.prisma since the last commit
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadConfig, ConfigError } from "../app/platform/config.server";
import { prepareDatabase } from "../app/platform/database/prepare.server";
import { diffBetweenSchemas, migrationsDir, schemaPath } from "../app/platform/database/migrate.server";

async function main() {
  const [command, name] = process.argv.slice(2);
  if (command === "migrate") {
    const config = loadConfig({ ...process.env, SHOPIFY_API_KEY: "-", SHOPIFY_API_SECRET: "-" });
    const database = await prepareDatabase({
      databaseUrl: config.databaseUrl,
      dataDir: config.dataDir,
      embeddedPort: config.embeddedDatabasePort,
    });
    console.log(database.appliedMigrations.length ? `applied: ${database.appliedMigrations.join(", ")}` : "up to date");
    await database.embedded?.stop();
    return;
  }
  if (command === "new") {
    if (!name || !/^[a-z0-9_]+$/.test(name)) throw new Error("usage: npm run db:new-migration -- snake_case_name");
    const previous = execFileSync("git", ["show", `HEAD:prisma/schema.prisma`], { encoding: "utf8" });
    const config = loadConfig({ ...process.env, SHOPIFY_API_KEY: "-", SHOPIFY_API_SECRET: "-" });
    const database = await prepareDatabase({
      databaseUrl: config.databaseUrl,
      dataDir: config.dataDir,
      embeddedPort: config.embeddedDatabasePort,
      migrate: false,
    });
    const sql = await diffBetweenSchemas(previous, database.url);
    await database.embedded?.stop();
    // The engine answers "-- This is an empty migration." when nothing changed.
    if (!sql.split("\n").some((line) => line.trim() && !line.trim().startsWith("--"))) {
      console.log(`schema.prisma has no change since HEAD (${schemaPath})`);
      return;
    }
    const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
    const dir = join(migrationsDir, `${stamp}_${name}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "migration.sql"), `${sql}\n`);
    console.log(`wrote ${dir}/migration.sql`);
    return;
  }
  throw new Error("usage: tsx scripts/db.ts migrate | new NAME");
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof ConfigError ? `configuration error: ${error.message}` : String(error));
    process.exit(1);
  },
);
