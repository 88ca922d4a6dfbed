import { PgBoss } from "pg-boss";
import type { PrismaClient } from "../generated/prisma/client";
import { awardBirthdays } from "../loyalty/actions";
import { expireInactivePoints } from "../loyalty/expiry";
import { evaluateAllTiers } from "../loyalty/tiers";
import { expireUnclaimedPending, releaseDuePending } from "../loyalty/pending";
import { retryPendingRedemptions } from "../shopify/redemption.server";
import { logger } from "./logger.server";
import { pruneRateLimits } from "./rate-limit.server";

/**
 * Background work on a PostgreSQL job queue (pg-boss, in its own `pgboss` schema of the
 * app's database). Any number of app instances can run workers: each job is fetched by
 * one of them (SKIP LOCKED), and cron schedules fire once per tick across all instances.
 * The work itself is idempotent too, so a job retried after a crash changes nothing twice.
 */

export const JOBS = {
  expirePoints: { name: "loyalty-expire-points", cron: "15 3 * * *" },
  releasePending: { name: "loyalty-release-pending", cron: "*/15 * * * *" },
  expirePending: { name: "loyalty-expire-pending", cron: "30 * * * *" },
  retryRedemptions: { name: "loyalty-retry-redemptions", cron: "* * * * *" },
  // Hourly, so each shop's midnight is met whatever its time zone.
  birthdays: { name: "loyalty-birthdays", cron: "5 * * * *" },
  pruneRateLimits: { name: "platform-prune-rate-limits", cron: "20 * * * *" },
  evaluateTiers: { name: "loyalty-evaluate-tiers", cron: "40 2 * * *" },
} as const;

export interface JobRunner {
  boss: PgBoss;
  stop(): Promise<void>;
}

export async function startJobs(options: {
  databaseUrl: string;
  prisma: PrismaClient;
  /** Register cron schedules (the web process does; one-off scripts need not). */
  schedule?: boolean;
  workers?: boolean;
}): Promise<JobRunner> {
  const boss = new PgBoss({ connectionString: options.databaseUrl, schema: "pgboss", max: process.env.COMEBACK_EMBEDDED_DB === "1" ? 1 : 4, application_name: "comeback-jobs" });
  boss.on("error", (error: unknown) => logger.error({ err: error }, "job queue error"));
  await boss.start();

  const handlers: Record<string, () => Promise<number>> = {
    [JOBS.expirePoints.name]: () => expireInactivePoints(options.prisma),
    [JOBS.releasePending.name]: () => releaseDuePending(options.prisma),
    [JOBS.expirePending.name]: () => expireUnclaimedPending(options.prisma),
    [JOBS.retryRedemptions.name]: () => retryPendingRedemptions(options.prisma),
    [JOBS.birthdays.name]: () => awardBirthdays(options.prisma),
    [JOBS.pruneRateLimits.name]: () => pruneRateLimits(options.prisma),
    [JOBS.evaluateTiers.name]: () => evaluateAllTiers(options.prisma),
  };

  for (const job of Object.values(JOBS)) {
    await boss.createQueue(job.name, { retryLimit: 5, retryDelay: 60, retryBackoff: true, expireInSeconds: 15 * 60 });
    if (options.schedule !== false) await boss.schedule(job.name, job.cron, null, { tz: "UTC" });
    if (options.workers !== false) {
      await boss.work(job.name, async () => {
        const started = performance.now();
        const count = await handlers[job.name]!();
        logger.info({ job: job.name, count, ms: Math.round(performance.now() - started) }, "job done");
        return { count };
      });
    }
  }

  return {
    boss,
    async stop() {
      await boss.stop({ graceful: true, timeout: 8000 });
    },
  };
}
