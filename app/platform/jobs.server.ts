import { PgBoss } from "pg-boss";
import type { PrismaClient } from "../generated/prisma/client";
import { awardBirthdays } from "../loyalty/actions";
import { expireInactivePoints } from "../loyalty/expiry";
import { evaluateAllTiers } from "../loyalty/tiers";
import { parsePeriodDays, refreshDashboard, type PeriodDays } from "../loyalty/analytics";
import { expireUnclaimedPending, releaseDuePending } from "../loyalty/pending";
import { retryPendingRedemptions } from "../shopify/redemption.server";
import { shopsNeedingSync, syncShopById } from "../shopify/customer-sync.server";
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
  // Backs up the debounced per-shop sync jobs (a lost enqueue, a change made by SQL).
  shopifySyncSweep: { name: "shopify-sync-sweep", cron: "* * * * *" },
} as const;

/** Per-shop Shopify sync (metafields and tags), debounced by shop: see customer-sync. */
export const SHOPIFY_SYNC_QUEUE = "shopify-sync-shop";
const SYNC_DEBOUNCE_SECONDS = 10;

/** Recomputes one shop's dashboard snapshot for one period length. */
export const DASHBOARD_QUEUE = "analytics-refresh-dashboard";

let running: PgBoss | null = null;

/**
 * Asks for a fresh dashboard snapshot. Requests within a minute for the same shop and
 * period share one job. Without a job queue (tests, scripts) it does nothing: the stale
 * snapshot stays until the merchant refreshes it.
 */
export async function requestDashboardRefresh(shopId: string, days: PeriodDays): Promise<void> {
  if (!running) return;
  try {
    await running.sendThrottled(DASHBOARD_QUEUE, { shopId, days }, null, 60, `${shopId}:${days}`);
  } catch (error) {
    logger.warn({ err: error, shopId }, "could not enqueue dashboard refresh");
  }
}

/**
 * Asks for the shop's Shopify sync soon. Changes within the debounce window share one
 * job; the job reads the latest state, so a burst of webhooks becomes one push.
 * Never throws: the minute sweep catches anything this misses.
 */
export async function requestShopifySync(shopId: string): Promise<void> {
  if (!running) return;
  try {
    await running.sendDebounced(SHOPIFY_SYNC_QUEUE, { shopId }, null, SYNC_DEBOUNCE_SECONDS, shopId);
  } catch (error) {
    logger.warn({ err: error, shopId }, "could not enqueue shopify sync");
  }
}

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
  const boss = new PgBoss({ connectionString: options.databaseUrl, schema: "pgboss", max: 4, application_name: "comeback-jobs" });
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
    [JOBS.shopifySyncSweep.name]: async () => {
      const shops = await shopsNeedingSync(options.prisma);
      for (const shopId of shops) await boss.sendDebounced(SHOPIFY_SYNC_QUEUE, { shopId }, null, SYNC_DEBOUNCE_SECONDS, shopId);
      return shops.length;
    },
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

  // A throw (throttled past the client's patience, Shopify down) is retried with backoff.
  await boss.createQueue(SHOPIFY_SYNC_QUEUE, { retryLimit: 8, retryDelay: 30, retryBackoff: true, expireInSeconds: 10 * 60 });
  if (options.workers !== false) {
    await boss.work<{ shopId: string }>(SHOPIFY_SYNC_QUEUE, async (jobs) => {
      for (const job of jobs) {
        const stats = await syncShopById(options.prisma, job.data.shopId);
        logger.info({ job: SHOPIFY_SYNC_QUEUE, shopId: job.data.shopId, ...stats }, "job done");
      }
    });
  }
  await boss.createQueue(DASHBOARD_QUEUE, { retryLimit: 2, retryDelay: 60, expireInSeconds: 5 * 60 });
  if (options.workers !== false) {
    await boss.work<{ shopId: string; days: number }>(DASHBOARD_QUEUE, async (jobs) => {
      for (const job of jobs) {
        const shop = await options.prisma.shop.findUnique({ where: { id: job.data.shopId }, select: { id: true, currency: true, ianaTimezone: true } });
        if (!shop) continue;
        const started = performance.now();
        await refreshDashboard(options.prisma, { id: shop.id, currency: shop.currency, timezone: shop.ianaTimezone }, parsePeriodDays(String(job.data.days)));
        logger.info({ job: DASHBOARD_QUEUE, shopId: shop.id, days: job.data.days, ms: Math.round(performance.now() - started) }, "job done");
      }
    });
  }
  running = boss;

  return {
    boss,
    async stop() {
      if (running === boss) running = null;
      await boss.stop({ graceful: true, timeout: 8000 });
    },
  };
}
