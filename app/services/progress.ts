import type { JobProgress, Prisma } from "../generated/prisma/client";
import type { Db } from "../platform/database/db";

/**
 * Progress of long work a merchant waits for (tier re-evaluation after an edit, imports,
 * bulk actions), kept in the database so any instance can report it to the admin while
 * a job runs on another.
 */

export type ProgressKind = "tiers.evaluate" | "history.pastPoints" | "members.bulk";

export function startProgress(
  db: Db,
  input: { shopId: string; kind: ProgressKind; actor?: string | null; details?: Prisma.InputJsonValue },
): Promise<JobProgress> {
  return db.jobProgress.create({
    data: { shopId: input.shopId, kind: input.kind, actor: input.actor ?? null, details: input.details },
  });
}

export async function reportProgress(db: Db, id: string, update: { total?: number; done?: number }): Promise<void> {
  await db.jobProgress.update({ where: { id }, data: update });
}

export async function finishProgress(
  db: Db,
  id: string,
  outcome: { status: "DONE" | "FAILED"; error?: string; details?: Prisma.InputJsonValue },
): Promise<void> {
  await db.jobProgress.update({
    where: { id },
    data: {
      status: outcome.status,
      error: outcome.error?.slice(0, 500),
      details: outcome.details,
      finishedAt: new Date(),
    },
  });
}

/** The newest run of a kind for a shop, for the admin page that shows it. */
export function latestProgress(db: Db, shopId: string, kind: ProgressKind): Promise<JobProgress | null> {
  return db.jobProgress.findFirst({ where: { shopId, kind }, orderBy: { startedAt: "desc" } });
}
