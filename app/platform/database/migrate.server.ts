import { readFileSync, readdirSync, existsSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import type * as SchemaEngineWasm from "@prisma/schema-engine-wasm";

/**
 * Migrations through Prisma's WebAssembly schema engine.
 *
 * The stock `prisma migrate deploy` downloads a native engine, which these machines
 * cannot do. The WASM engine applies the same migration folders and records them in the
 * same `_prisma_migrations` table, so a deployment that can run the stock CLI may keep
 * doing so: both see one history.
 */

const require = createRequire(import.meta.url);

type SchemaEngineModule = typeof SchemaEngineWasm;
type SchemaEngine = Awaited<ReturnType<SchemaEngineModule["SchemaEngine"]["new"]>>;

let enginePromise: Promise<SchemaEngineModule> | undefined;

async function loadEngineModule(): Promise<SchemaEngineModule> {
  enginePromise ??= (async () => {
    // The package exports only its JS entry points; the .wasm sits beside them.
    const packageDir = dirname(require.resolve("@prisma/schema-engine-wasm/schema_engine_bg"));
    const glue = (await import("@prisma/schema-engine-wasm/schema_engine_bg")) as unknown as SchemaEngineModule & {
      __wbg_set_wasm(exports: WebAssembly.Exports): void;
    };
    // The engine reports Rust panics through this global; without it a panic surfaces as
    // an unrelated TypeError.
    (globalThis as { PRISMA_WASM_PANIC_REGISTRY?: unknown }).PRISMA_WASM_PANIC_REGISTRY ??= {
      set_message(message: string) {
        throw new Error(`Prisma schema engine panicked: ${message}`);
      },
    };
    const bytes = readFileSync(join(packageDir, "schema_engine_bg.wasm"));
    const { instance } = await WebAssembly.instantiate(bytes, { "./schema_engine_bg.js": glue as never });
    glue.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return glue;
  })();
  return enginePromise;
}

export const projectRoot = findProjectRoot();

function findProjectRoot(): string {
  // Works from app/ sources, the vite server build and the bundled server alike.
  let dir = process.cwd();
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, "prisma", "schema.prisma"))) return dir;
    dir = dirname(dir);
  }
  return process.cwd();
}

export const schemaPath = join(projectRoot, "prisma", "schema.prisma");
export const migrationsDir = join(projectRoot, "prisma", "migrations");

const FILTERS = { externalTables: [], externalEnums: [] };

async function withEngine<T>(databaseUrl: string, run: (engine: SchemaEngine) => Promise<T>): Promise<T> {
  const mod = await loadEngineModule();
  const schema = readFileSync(schemaPath, "utf8");
  // Our own pool, so its connections are closed when we are done: the engine does not
  // close them, and an open connection blocks e.g. renaming or dropping the database.
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  const adapter = bindMigrationAwareSqlAdapterFactory(wholeScripts(new PrismaPg(pool)));
  const engine = await mod.SchemaEngine.new({ datamodels: [[schemaPath, schema]] }, () => {}, adapter);
  try {
    return await run(engine);
  } finally {
    engine.free();
    await pool.end();
  }
}

type ScriptRunner = { executeScript(script: string): Promise<void>; onError(error: unknown): never };

/**
 * adapter-pg runs a migration script by splitting it on every ";", which cuts the
 * dollar-quoted body of a trigger function in pieces. PostgreSQL's simple query protocol
 * takes the whole script at once (as one implicit transaction), as `prisma migrate` does.
 */
function wholeScripts(factory: PrismaPg): PrismaPg {
  const connect = factory.connect.bind(factory);
  factory.connect = async () => {
    const adapter = await connect();
    const runner = adapter as unknown as ScriptRunner & { client: pg.Pool };
    runner.executeScript = async (script: string) => {
      try {
        await runner.client.query(script);
      } catch (error) {
        runner.onError(error);
      }
    };
    return adapter;
  };
  return factory;
}

function migrationList() {
  const lockPath = join(migrationsDir, "migration_lock.toml");
  const directories = existsSync(migrationsDir)
    ? readdirSync(migrationsDir)
        .filter((name) => statSync(join(migrationsDir, name)).isDirectory())
        .sort()
        .map((name) => ({
          // The directory name is what _prisma_migrations records, as `prisma migrate deploy` does.
          path: name,
          migrationFile: {
            path: "migration.sql",
            content: { tag: "ok" as const, value: readFileSync(join(migrationsDir, name, "migration.sql"), "utf8") },
          },
        }))
    : [];
  return {
    baseDir: migrationsDir,
    lockfile: { path: lockPath, content: existsSync(lockPath) ? readFileSync(lockPath, "utf8") : null },
    shadowDbInitScript: "",
    migrationDirectories: directories,
  };
}

/** Applies every pending migration. Returns the names applied now. */
export async function applyMigrations(databaseUrl: string): Promise<string[]> {
  return withEngine(databaseUrl, async (engine) => {
    const result = await engine.applyMigrations({ migrationsList: migrationList(), filters: FILTERS });
    return result.appliedMigrationNames;
  });
}

/**
 * The SQL that would take a database from `from` to the schema in schema.prisma.
 * An empty string means they match.
 */
export async function diffAgainstSchema(
  databaseUrl: string,
  from: { tag: "empty" } | { tag: "migrations" } | { tag: "database" },
): Promise<string> {
  return withEngine(databaseUrl, async (engine) => {
    const source =
      from.tag === "empty"
        ? { tag: "empty" as const }
        : from.tag === "migrations"
          ? { tag: "migrations" as const, ...migrationList() }
          : // The live database, read through the driver adapter.
            {
              tag: "schemaDatasource" as const,
              files: [{ path: schemaPath, content: readFileSync(schemaPath, "utf8") }],
              configDir: projectRoot,
            };
    const result = await engine.diff({
      from: source,
      to: { tag: "schemaDatamodel", files: [{ path: schemaPath, content: readFileSync(schemaPath, "utf8") }] },
      script: true,
      exitCode: false,
      filters: FILTERS,
    });
    return (result.stdout ?? "").trim();
  });
}

/**
 * The SQL that takes a database from an earlier schema.prisma to the current one, with
 * no database involved: how new migrations are written offline.
 */
export async function diffBetweenSchemas(previousSchema: string, databaseUrl: string): Promise<string> {
  // The engine needs a connection even for a schema-to-schema diff; it reads nothing.
  return withEngine(databaseUrl, async (engine) => {
    const current = readFileSync(schemaPath, "utf8");
    const result = await engine.diff({
      from: { tag: "schemaDatamodel", files: [{ path: schemaPath, content: previousSchema }] },
      to: { tag: "schemaDatamodel", files: [{ path: schemaPath, content: current }] },
      script: true,
      exitCode: false,
      filters: FILTERS,
    });
    return (result.stdout ?? "").trim();
  });
}

export function resolveFromRoot(...parts: string[]): string {
  return resolve(projectRoot, ...parts);
}
