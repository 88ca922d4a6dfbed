import { PgBoss } from "pg-boss";
import { logger } from "./logger.server";

/**
 * The PostgreSQL job queue (pg-boss, in its own `pgboss` schema of the app's database).
 * Any number of app instances can run workers: each job is fetched by one of them (SKIP
 * LOCKED), and cron schedules fire once per tick across all instances. What runs on it
 * is registered in app/jobs; this module only owns the queue's life and how work is
 * asked for.
 */
// Kept on globalThis, like the runtime: the server starts the queue, but the routes that
// ask for work are the Remix build's own copies of this module (Vite's in development, the
// bundle in production), and a module-level variable there would always be empty.
const KEY = Symbol.for("comeback.jobQueue");
type Holder = typeof globalThis & { [KEY]?: PgBoss | null };
const holder = globalThis as Holder;
const current = (): PgBoss | null => holder[KEY] ?? null;

export async function startJobQueue(databaseUrl: string): Promise<PgBoss> {
  const boss = new PgBoss({
    connectionString: databaseUrl,
    schema: "pgboss",
    max: 4,
    application_name: "comeback-jobs",
  });
  boss.on("error", (error: unknown) => logger.error({ err: error }, "job queue error"));
  await boss.start();
  holder[KEY] = boss;
  return boss;
}

export async function stopJobQueue(boss: PgBoss): Promise<void> {
  if (current() === boss) holder[KEY] = null;
  await boss.stop({ graceful: true, timeout: 8000 });
}

/**
 * Asks for `queue` to run soon with `data`; requests within `seconds` that share `key`
 * become one job. Without a queue in this process (tests, scripts) it does nothing, and
 * it never throws: a sweep or the next request catches what a lost request missed.
 */
export async function requestDebounced(queue: string, data: object, seconds: number, key: string): Promise<void> {
  const running = current();
  if (!running) return;
  try {
    await running.sendDebounced(queue, data, null, seconds, key);
  } catch (error) {
    logger.warn({ err: error, queue, key }, "could not enqueue job");
  }
}

/** As requestDebounced, but the first request of each window runs and later ones are dropped. */
export async function requestThrottled(queue: string, data: object, seconds: number, key: string): Promise<void> {
  const running = current();
  if (!running) return;
  try {
    await running.sendThrottled(queue, data, null, seconds, key);
  } catch (error) {
    logger.warn({ err: error, queue, key }, "could not enqueue job");
  }
}

/** Asks for one run of `queue` with `data`. Like the others, a no-op without a queue and never throws. */
export async function requestJob(queue: string, data: object): Promise<void> {
  const running = current();
  if (!running) return;
  try {
    await running.send(queue, data);
  } catch (error) {
    logger.warn({ err: error, queue }, "could not enqueue job");
  }
}
