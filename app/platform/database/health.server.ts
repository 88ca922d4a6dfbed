import type { Db } from "./db";

/** Whether the database answers a trivial query within `timeoutMs`, and how fast. */
export async function pingDatabase(db: Db, timeoutMs = 2000): Promise<{ ok: true; latencyMs: number } | { ok: false }> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      db.$queryRaw`SELECT 1`,
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error("timeout")), timeoutMs);
      }),
    ]);
    return { ok: true, latencyMs: Math.round(performance.now() - started) };
  } catch {
    return { ok: false };
  } finally {
    clearTimeout(timer);
  }
}
