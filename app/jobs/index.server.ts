import type { PgBoss } from "pg-boss";
import type { PrismaClient } from "../generated/prisma/client";
import { logger } from "../platform/logger.server";
import { pruneRateLimits } from "../platform/rate-limit.server";
import { startJobQueue, stopJobQueue } from "../platform/job-queue.server";
import { awardBirthdays } from "../services/actions";
import { DASHBOARD_QUEUE, parsePeriodDays, refreshDashboard } from "../services/analytics";
import { expireInactivePoints } from "../services/expiry";
import { expireUnclaimedPending, releaseDuePending } from "../services/pending";
import { evaluateAllTiers } from "../services/tiers";
import {
  SHOPIFY_SYNC_QUEUE,
  SYNC_DEBOUNCE_SECONDS,
  shopsNeedingSync,
  syncShopById,
} from "../shopify/customer-sync.server";
import { retryPendingRedemptions } from "../shopify/redemption.server";

/**
 * Everything that runs in the background, on the PostgreSQL job queue: the schedules
 * (each fires once per tick across all instances) and the per-shop queues the app asks
 * for work on. The work itself is idempotent, so a job retried after a crash changes
 * nothing twice.
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
  // Backs up the debounced per-shop sync jobs (a lost enqueue, a change made by SQL).
  shopifySyncSweep: { name: "shopify-sync-sweep", cron: "* * * * *" },
} as const;

export interface JobRunner {
  boss: PgBoss;
  stop(): Promise<void>;
}

async function timed(job: string, work: () => Promise<number | object>) {
  const started = performance.now();
  const result = await work();
  logger.info(
    { job, ...(typeof result === "number" ? { count: result } : result), ms: Math.round(performance.now() - started) },
    "job done",
  );
  return result;
}

export async function startJobs(options: {
  databaseUrl: string;
  prisma: PrismaClient;
  /** Register cron schedules (the web process does; one-off scripts need not). */
  schedule?: boolean;
  workers?: boolean;
}): Promise<JobRunner> {
  const boss = await startJobQueue(options.databaseUrl);
  const db = options.prisma;
  const scheduled: Record<string, () => Promise<number>> = {
    [JOBS.expirePoints.name]: () => expireInactivePoints(db),
    [JOBS.releasePending.name]: () => releaseDuePending(db),
    [JOBS.expirePending.name]: () => expireUnclaimedPending(db),
    [JOBS.retryRedemptions.name]: () => retryPendingRedemptions(db),
    [JOBS.birthdays.name]: () => awardBirthdays(db),
    [JOBS.pruneRateLimits.name]: () => pruneRateLimits(db),
    [JOBS.evaluateTiers.name]: () => evaluateAllTiers(db),
    [JOBS.shopifySyncSweep.name]: async () => {
      const shops = await shopsNeedingSync(db);
      for (const shopId of shops)
        await boss.sendDebounced(SHOPIFY_SYNC_QUEUE, { shopId }, null, SYNC_DEBOUNCE_SECONDS, shopId);
      return shops.length;
    },
  };

  for (const job of Object.values(JOBS)) {
    await boss.createQueue(job.name, { retryLimit: 5, retryDelay: 60, retryBackoff: true, expireInSeconds: 15 * 60 });
    if (options.schedule !== false) await boss.schedule(job.name, job.cron, null, { tz: "UTC" });
    if (options.workers !== false)
      await boss.work(job.name, async () => ({ count: await timed(job.name, scheduled[job.name]!) }));
  }

  // A throw (throttled past the client's patience, Shopify down) is retried with backoff.
  await boss.createQueue(SHOPIFY_SYNC_QUEUE, {
    retryLimit: 8,
    retryDelay: 30,
    retryBackoff: true,
    expireInSeconds: 10 * 60,
  });
  await boss.createQueue(DASHBOARD_QUEUE, { retryLimit: 2, retryDelay: 60, expireInSeconds: 5 * 60 });
  if (options.workers !== false) {
    await boss.work<{ shopId: string }>(SHOPIFY_SYNC_QUEUE, async (jobs) => {
      for (const job of jobs) await timed(SHOPIFY_SYNC_QUEUE, () => syncShopById(db, job.data.shopId));
    });
    await boss.work<{ shopId: string; days: number }>(DASHBOARD_QUEUE, async (jobs) => {
      for (const job of jobs) {
        const shop = await db.shop.findUnique({
          where: { id: job.data.shopId },
          select: { id: true, currency: true, ianaTimezone: true },
        });
        if (!shop) continue;
        const days = parsePeriodDays(String(job.data.days));
        await timed(
          DASHBOARD_QUEUE,
          async () => (
            await refreshDashboard(db, { id: shop.id, currency: shop.currency, timezone: shop.ianaTimezone }, days),
            { shopId: shop.id, days }
          ),
        );
      }
    });
  }

  return { boss, stop: () => stopJobQueue(boss) };
}
