import { setTimeout as sleep } from "node:timers/promises";
import { InvalidInputError } from "../domain/errors";
import type { PrismaClient } from "../generated/prisma/client";
import { logger } from "../platform/logger.server";
import {
  applyRecordedDelivery,
  deferRecordedDelivery,
  dueDeliveries,
  type DeliveryOutcome,
} from "../services/deliveries";
import { LedgerError } from "../services/ledger";
import { loadShopContext } from "../services/shop-context";
import { requestShopifySync } from "./customer-sync.server";
import { requestRedemptionIssue } from "./redemption.server";
import { DEFERRABLE_HANDLERS } from "./webhook-handlers.server";

/**
 * The webhook inbox: deliveries an instance acknowledged while it was busy (recorded
 * durably with their payload, see `receiveWebhook`) are applied here, in the background,
 * oldest first. Every instance runs one; a delivery is claimed under its
 * row lock, so each is applied once whichever instance (or the route itself) gets there
 * first, and one left by a crashed instance is taken up by the next poll.
 */

/** How often an idle inbox looks for deliveries recorded by other instances. */
const POLL_MS = 200;
const BATCH = 100;
/** Deliveries applied side by side: enough to overlap database waits, few enough to leave the CPU to requests. */
const CONCURRENCY = 2;
/** A delivery that keeps failing is given up after this many tries (about 8 minutes of backoff). */
const MAX_ATTEMPTS = 8;

let inFlight = 0;
let backlog = false;
let wake: (() => void) | null = null;

/**
 * Counts a webhook request in this instance while it runs. The route applies a delivery in
 * the request (the sender sees the outcome, a shopper sees the points at once) only when it
 * is the only one and no recorded delivery is waiting; under load it records and answers.
 */
export async function trackDelivery<T>(run: (applyNow: boolean) => Promise<T>): Promise<T> {
  inFlight++;
  try {
    return await run(inFlight === 1 && !backlog);
  } finally {
    inFlight--;
  }
}

/** A delivery was recorded for later: the local inbox, if this instance runs one, starts now. */
export function wakeInbox(): void {
  backlog = true;
  wake?.();
}

/** After a delivery's commit: Shopify's copy of balances and tiers is due, and any codes it granted. */
export function afterDeliveryCommitted(shopId: string, outcome: DeliveryOutcome): void {
  void requestShopifySync(shopId);
  if (outcome.codesGranted) void requestRedemptionIssue(shopId);
}

async function applyOne(db: PrismaClient, id: bigint): Promise<void> {
  try {
    const done = await applyRecordedDelivery(db, id, async (tx, delivery) => {
      const handler = DEFERRABLE_HANDLERS.get(delivery.topic);
      if (!handler) return { status: "IGNORED", note: `no handler for ${delivery.topic}` };
      const shop = await loadShopContext(db, { id: delivery.shopId });
      if (!shop || shop.uninstalled) return { status: "IGNORED", note: "app uninstalled" };
      const input = handler.parse(delivery.payload);
      return handler.apply(tx, shop, input, { webhookId: delivery.webhookId });
    });
    if (done) afterDeliveryCommitted(done.delivery.shopId, done.outcome);
  } catch (error) {
    // Input the rules refuse fails for good (the sender would have had a 422); anything
    // else (the database away, a lost race after retries) is tried again later.
    const final = error instanceof InvalidInputError || error instanceof LedgerError;
    const message = error instanceof Error ? error.message : String(error);
    const state = await deferRecordedDelivery(db, id, message, { final, maxAttempts: MAX_ATTEMPTS }).catch(
      () => "retry" as const,
    );
    const log = final ? logger.warn.bind(logger) : logger.error.bind(logger);
    log({ webhookEvent: String(id), err: error, state }, "recorded delivery not applied");
  }
}

declare global {
  // One inbox per process, also across Vite's reloads of the app in development.
  var __comebackWebhookInbox: { stop(): Promise<void> } | undefined;
}

export function runWebhookInbox(db: PrismaClient): { stop(): Promise<void> } {
  globalThis.__comebackWebhookInbox ??= startInbox(db);
  return globalThis.__comebackWebhookInbox;
}

function startInbox(db: PrismaClient): { stop(): Promise<void> } {
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      let ids: bigint[] = [];
      try {
        ids = await dueDeliveries(db, BATCH);
      } catch (error) {
        logger.error({ err: error }, "webhook inbox: cannot read due deliveries");
      }
      backlog = ids.length > 0;
      if (ids.length === 0) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, POLL_MS);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = null;
        continue;
      }
      let next = 0;
      await Promise.all(
        Array.from({ length: Math.min(CONCURRENCY, ids.length) }, async () => {
          while (!stopped && next < ids.length) await applyOne(db, ids[next++]!);
        }),
      );
      // Requests first: one turn of the event loop between batches.
      await sleep(0);
    }
  })();
  return {
    async stop() {
      stopped = true;
      wake?.();
      await loop;
    },
  };
}
