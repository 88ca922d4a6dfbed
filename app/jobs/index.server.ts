import type { PgBoss } from "pg-boss";
import type { PrismaClient } from "../generated/prisma/client";
import { logger } from "../platform/logger.server";
import { pruneRateLimits } from "../platform/rate-limit.server";
import { startJobQueue, stopJobQueue } from "../platform/job-queue.server";
import { awardBirthdays } from "../services/birthdays";
import { runTierReevaluation, TIER_QUEUE } from "../services/admin/tiers";
import { CAMPAIGN_COLLECTIONS_QUEUE, refreshCampaignCollections } from "../shopify/catalog.server";
import { ANALYTICS_QUEUE, rollUpShopAnalytics, shopsDueForRollUp } from "../services/analytics";
import { PAST_POINTS_QUEUE, runPastPoints } from "../services/past-points";
import { loadShopContext } from "../services/shop-context";
import { expireInactivePoints } from "../services/expiry";
import { expireUnclaimedPending, releaseDuePending } from "../services/pending";
import { evaluateAllTiers } from "../services/tiers";
import {
  SHOPIFY_SYNC_QUEUE,
  SYNC_DEBOUNCE_SECONDS,
  shopsNeedingSync,
  syncShopById,
} from "../shopify/customer-sync.server";
import { ISSUE_QUEUE, issueNewRedemptions, retryPendingRedemptions } from "../shopify/redemption.server";
import { MESSAGE_QUEUE, sendDueMessages } from "../integrations/email/send.server";
import {
  collectEventMessages,
  selectDailyMessages,
  shopsWithDueMessages,
  shopsWithPendingFlowTriggers,
} from "../services/messages";
import { FLOW_QUEUE, sendFlowTriggers } from "../shopify/flow.server";
import { SURPRISE_QUEUE, runSurprise, runningSurprises } from "../services/surprises";
import { IMPORT_QUEUE, runningImports } from "../services/member-import";
import { runImportJob } from "../shopify/member-import.server";
import { HISTORY_QUEUE, openHistories } from "../services/history";
import { BULK_QUEUE, runBulkAction, runningBulkActions } from "../services/admin/bulk-members";
import { runHistoryStep } from "../shopify/history.server";
import { appConfig } from "../platform/runtime.server";

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
  // Lifecycle email: what happened becomes messages each minute, the daily selection
  // (expiring points, tiers ending, win-back) hourly, and each shop's due messages are sent.
  messagesCollect: { name: "messages-collect", cron: "* * * * *" },
  messagesDaily: { name: "messages-daily", cron: "10 * * * *" },
  // Surprise campaigns and member imports interrupted by a restart are taken up again.
  surpriseSweep: { name: "surprise-sweep", cron: "* * * * *" },
  importSweep: { name: "member-import-sweep", cron: "* * * * *" },
  bulkSweep: { name: "members-bulk-sweep", cron: "* * * * *" },
  // Order history exports: poll Shopify (its finish webhook may not arrive) and resume reading.
  historySweep: { name: "history-import-sweep", cron: "* * * * *" },
  // The dashboard's closed days, rolled up after each shop's midnight (zones turn on the
  // quarter hour at the latest).
  analyticsSweep: { name: "analytics-roll-up-sweep", cron: "*/15 * * * *" },
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
    [JOBS.messagesCollect.name]: async () => {
      // Without an SMTP server nothing is selected: turning email on later does not mail the past.
      if (!appConfig().smtpUrl) return 0;
      const added = await collectEventMessages(db);
      for (const shopId of await shopsWithDueMessages(db))
        await boss.sendDebounced(MESSAGE_QUEUE, { shopId }, null, 5, shopId);
      for (const shopId of await shopsWithPendingFlowTriggers(db))
        await boss.sendDebounced(FLOW_QUEUE, { shopId }, null, 5, shopId);
      return added;
    },
    [JOBS.messagesDaily.name]: async () => (appConfig().smtpUrl ? selectDailyMessages(db) : 0),
    [JOBS.surpriseSweep.name]: async () => {
      const running = await runningSurprises(db);
      for (const campaignId of running) await boss.sendDebounced(SURPRISE_QUEUE, { campaignId }, null, 30, campaignId);
      return running.length;
    },
    [JOBS.importSweep.name]: async () => {
      const running = await runningImports(db);
      for (const { id } of running) await boss.sendDebounced(IMPORT_QUEUE, { importId: id }, null, 30, id);
      return running.length;
    },
    [JOBS.bulkSweep.name]: async () => {
      const running = await runningBulkActions(db);
      for (const id of running) await boss.sendDebounced(BULK_QUEUE, { progressId: id }, null, 30, id);
      return running.length;
    },
    [JOBS.historySweep.name]: async () => {
      const open = await openHistories(db);
      for (const { id } of open) await boss.sendDebounced(HISTORY_QUEUE, { historyId: id }, null, 20, id);
      return open.length;
    },
    [JOBS.analyticsSweep.name]: async () => {
      const due = await shopsDueForRollUp(db);
      for (const shopId of due) await boss.sendDebounced(ANALYTICS_QUEUE, { shopId }, null, 30, shopId);
      return due.length;
    },
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

  // Work asked for per shop. A throw (throttled past the client's patience, Shopify down)
  // is retried with backoff.
  const perShop: Record<
    string,
    { run: (shopId: string) => Promise<number | object>; retryLimit: number; expire: number }
  > = {
    [SHOPIFY_SYNC_QUEUE]: { run: (shopId) => syncShopById(db, shopId), retryLimit: 8, expire: 10 * 60 },
    [ISSUE_QUEUE]: { run: (shopId) => issueNewRedemptions(db, shopId), retryLimit: 5, expire: 5 * 60 },
    [FLOW_QUEUE]: { run: (shopId) => sendFlowTriggers(db, shopId), retryLimit: 8, expire: 10 * 60 },
    [MESSAGE_QUEUE]: {
      run: async (shopId) => ({ ...(await sendDueMessages(db, shopId)) }),
      retryLimit: 5,
      expire: 15 * 60,
    },
    [TIER_QUEUE]: { run: (shopId) => runTierReevaluation(db, shopId), retryLimit: 3, expire: 30 * 60 },
    [ANALYTICS_QUEUE]: { run: (shopId) => rollUpShopAnalytics(db, shopId), retryLimit: 2, expire: 15 * 60 },
    [PAST_POINTS_QUEUE]: {
      run: async (shopId) => {
        const shop = await loadShopContext(db, { id: shopId });
        return shop ? runPastPoints(db, shop) : 0;
      },
      retryLimit: 3,
      expire: 60 * 60,
    },
    [CAMPAIGN_COLLECTIONS_QUEUE]: {
      run: (shopId) => refreshCampaignCollections(db, shopId),
      retryLimit: 5,
      expire: 10 * 60,
    },
  };
  for (const [queue, { run, retryLimit, expire }] of Object.entries(perShop)) {
    await boss.createQueue(queue, { retryLimit, retryDelay: 30, retryBackoff: true, expireInSeconds: expire });
    if (options.workers !== false)
      await boss.work<{ shopId: string }>(queue, async (jobs) => {
        for (const job of jobs) await timed(queue, () => run(job.data.shopId));
      });
  }
  await boss.createQueue(SURPRISE_QUEUE, {
    retryLimit: 5,
    retryDelay: 30,
    retryBackoff: true,
    expireInSeconds: 30 * 60,
  });
  if (options.workers !== false)
    await boss.work<{ campaignId: string }>(SURPRISE_QUEUE, async (jobs) => {
      for (const job of jobs) await timed(SURPRISE_QUEUE, () => runSurprise(db, job.data.campaignId));
    });
  await boss.createQueue(IMPORT_QUEUE, { retryLimit: 5, retryDelay: 30, retryBackoff: true, expireInSeconds: 30 * 60 });
  if (options.workers !== false)
    await boss.work<{ importId: string }>(IMPORT_QUEUE, async (jobs) => {
      for (const job of jobs) await timed(IMPORT_QUEUE, () => runImportJob(db, job.data.importId));
    });
  await boss.createQueue(BULK_QUEUE, { retryLimit: 5, retryDelay: 30, retryBackoff: true, expireInSeconds: 30 * 60 });
  if (options.workers !== false)
    await boss.work<{ progressId: string }>(BULK_QUEUE, async (jobs) => {
      for (const job of jobs) {
        const { shopId } = (await timed(BULK_QUEUE, () => runBulkAction(db, job.data.progressId))) as {
          shopId: string | null;
        };
        // Balances, tiers and exclusions reach the storefront's metafields now, not at the next sweep.
        if (shopId) await boss.sendDebounced(SHOPIFY_SYNC_QUEUE, { shopId }, null, 5, shopId);
      }
    });
  await boss.createQueue(HISTORY_QUEUE, {
    retryLimit: 5,
    retryDelay: 30,
    retryBackoff: true,
    expireInSeconds: 60 * 60,
  });
  if (options.workers !== false)
    await boss.work<{ historyId: string }>(HISTORY_QUEUE, async (jobs) => {
      for (const job of jobs)
        await timed(HISTORY_QUEUE, async () => ({ step: await runHistoryStep(db, job.data.historyId) }));
    });
  // Once at start, not a minute later: what changed while no instance ran (a deploy, the
  // demo's fresh stand-in) reaches Shopify at once.
  if (options.schedule !== false) await boss.send(JOBS.shopifySyncSweep.name, {});
  return { boss, stop: () => stopJobQueue(boss) };
}
