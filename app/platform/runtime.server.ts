import { loadConfig, type AppConfig } from "./config.server";

/**
 * The process's configuration, loaded once and handed to the app by the entry point.
 *
 * The HTTP server resolves the database (starting the embedded PostgreSQL when
 * DATABASE_URL is unset) before the Remix build loads, then provides both here. In
 * development the build's modules are Vite's own copies, not the server's, so the
 * runtime is kept on globalThis, the one object both see. Scripts and tests that import
 * app modules directly get the configuration read once from their environment.
 */
export interface Runtime {
  config: AppConfig;
  /** The database the process uses: DATABASE_URL, or the embedded server's. */
  databaseUrl: string;
}

const KEY = Symbol.for("comeback.runtime");
type Holder = typeof globalThis & { [KEY]?: Runtime };

export function provideRuntime(runtime: Runtime): void {
  (globalThis as Holder)[KEY] = runtime;
}

export function runtime(): Runtime {
  const holder = globalThis as Holder;
  if (!holder[KEY]) {
    const config = loadConfig();
    if (!config.databaseUrl)
      throw new Error("DATABASE_URL is not set: start the app through server/index.ts, which resolves it");
    holder[KEY] = { config, databaseUrl: config.databaseUrl };
  }
  return holder[KEY];
}

export function appConfig(): AppConfig {
  return runtime().config;
}
