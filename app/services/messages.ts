import { Prisma } from "../generated/prisma/client";
import type { MessageLog } from "../generated/prisma/client";
import type { Db } from "../platform/database/db";
import { DAY_MS } from "../domain/time";
import {
  DEFAULT_ENABLED,
  FLOW_KINDS,
  MESSAGE_CATEGORY,
  MESSAGE_KINDS,
  readTiming,
  type MessageKind,
} from "../domain/messages";

/**
 * Which lifecycle messages are due, written as MessageLog rows. The row's unique key
 * (shop, kind, occasion) is what makes each message go out once: every selection below is
 * one INSERT ... SELECT ... ON CONFLICT DO NOTHING, so a re-run, a retried job or a second
 * instance selecting at the same moment adds nothing. Sending (integrations/email) claims
 * QUEUED rows and decides, at send time, whether consent and preferences still allow it.
 */

/** Events older than this are not messaged (an outage longer than this loses them, by design). */
export const EVENT_LOOKBACK_MS = 2 * DAY_MS;

export interface KindSetting {
  kind: MessageKind;
  enabled: boolean;
  viaFlow: boolean;
  timing: ReturnType<typeof readTiming>;
}

export async function messageSettings(db: Db, shopId: string): Promise<KindSetting[]> {
  const rows = await db.messageSetting.findMany({ where: { shopId } });
  return MESSAGE_KINDS.map((kind) => {
    const row = rows.find((r) => r.kind === kind);
    return {
      kind,
      enabled: row?.enabled ?? DEFAULT_ENABLED[kind],
      viaFlow: row?.viaFlow ?? false,
      timing: readTiming(kind, row?.timing),
    };
  });
}

/**
 * The rows an event kind adds: `select` yields ("shopId", "memberId", occasion, context,
 * at) for the events of the lookback window; this keeps those of live shops whose kind is
 * on and was on when the event happened, for active members with an email.
 */
async function insertEvents(db: Db, kind: MessageKind, select: Prisma.Sql, now: Date, since: Date): Promise<number> {
  return db.$executeRaw`
    INSERT INTO "MessageLog" ("shopId", "memberId", kind, occasion, context, "sendAfter", "flowStatus")
    SELECT e."shopId", e."memberId", ${kind}, e.occasion, e.context, ${now}::timestamp,
           ${FLOW_KINDS.includes(kind) ? "PENDING" : null}::text
    FROM (${select}) e
    JOIN "Shop" sh ON sh.id = e."shopId" AND sh."programStatus" = 'LIVE' AND sh."uninstalledAt" IS NULL
    JOIN "Member" m ON m.id = e."memberId" AND m.status = 'ACTIVE' AND m.email IS NOT NULL
    LEFT JOIN "MessageSetting" ms ON ms."shopId" = e."shopId" AND ms.kind = ${kind}
    WHERE COALESCE(ms.enabled, true)
      AND e.at >= GREATEST(${since}::timestamp, COALESCE(ms."enabledAt", sh."launchedAt", sh."installedAt"))
      AND e.at <= ${now}::timestamp
    ON CONFLICT ("shopId", kind, occasion) DO NOTHING`;
}

/**
 * Messages that follow something that happened: joining, an order's points, a reward
 * within reach, codes the program gave, a tier reached, a referral credited, a birthday
 * gift. Runs every minute and after webhooks; each event's own id is its occasion.
 */
export async function collectEventMessages(db: Db, now = new Date()): Promise<number> {
  const since = new Date(now.getTime() - EVENT_LOOKBACK_MS);
  const counts = await Promise.all([
    insertEvents(
      db,
      "WELCOME",
      Prisma.sql`SELECT "shopId", id AS "memberId", 'welcome:' || id AS occasion, '{}'::jsonb AS context, "enrolledAt" AS at
                 FROM "Member" WHERE "enrolledAt" >= ${since}`,
      now,
      since,
    ),
    insertEvents(
      db,
      "POINTS_EARNED",
      Prisma.sql`SELECT "shopId", "memberId", 'order:' || id AS occasion, jsonb_build_object('orderId', id::text) AS context,
                        "paidAt" AS at
                 FROM "Order" WHERE "paidAt" >= ${since} AND "memberId" IS NOT NULL AND "pointsEarned" > 0
                   AND "cancelledAt" IS NULL`,
      now,
      since,
    ),
    // The most valuable reward the recent earnings put within reach (once per reward, ever).
    insertEvents(
      db,
      "REWARD_UNLOCKED",
      Prisma.sql`SELECT DISTINCT ON (m.id) m."shopId", m.id AS "memberId", 'reward:' || r.id || ':' || m.id AS occasion,
                        jsonb_build_object('rewardId', r.id) AS context, recent.at
                 FROM (SELECT "memberId", sum(points) AS earned, max("createdAt") AS at FROM "LedgerEntry"
                       WHERE "createdAt" >= ${since} AND points > 0 GROUP BY "memberId") recent
                 JOIN "Member" m ON m.id = recent."memberId"
                 JOIN "Reward" r ON r."shopId" = m."shopId" AND r.enabled AND r.trigger = 'POINTS'
                   AND r."pointsCost" <= m.balance AND r."pointsCost" > m.balance - recent.earned
                   AND (r."tierId" IS NULL OR EXISTS (
                     SELECT 1 FROM "Tier" rt JOIN "Tier" mt ON mt.id = m."tierId"
                     WHERE rt.id = r."tierId" AND mt.position >= rt.position))
                 ORDER BY m.id, r."pointsCost" DESC`,
      now,
      since,
    ),
    insertEvents(
      db,
      "ORDER_CODE",
      Prisma.sql`SELECT rd."shopId", rd."memberId", 'redemption:' || rd.id AS occasion,
                        jsonb_build_object('redemptionId', rd.id) AS context, rd."updatedAt" AS at
                 FROM "Redemption" rd JOIN "Reward" r ON r.id = rd."rewardId"
                 WHERE rd."updatedAt" >= ${since} AND rd.status = 'ISSUED' AND rd.code IS NOT NULL
                   AND rd."memberId" IS NOT NULL AND r.trigger = 'ORDER_LADDER'`,
      now,
      since,
    ),
    insertEvents(
      db,
      "TIER_UP",
      Prisma.sql`SELECT e."shopId", e."memberId", 'tier:' || e.id AS occasion,
                        jsonb_build_object('tierId', e."toTierId") AS context, e."createdAt" AS at
                 FROM "TierEvent" e
                 JOIN "Tier" t ON t.id = e."toTierId"
                 LEFT JOIN "Tier" f ON f.id = e."fromTierId"
                 WHERE e."createdAt" >= ${since} AND t.position > COALESCE(f.position, -1)
                   AND t.position > 0`,
      now,
      since,
    ),
    insertEvents(
      db,
      "REFERRAL_CREDITED",
      Prisma.sql`SELECT "shopId", "memberId", 'entry:' || id AS occasion,
                        jsonb_build_object('points', points) AS context, "createdAt" AS at
                 FROM "LedgerEntry" WHERE "createdAt" >= ${since} AND "reasonCode" = 'referral' AND points > 0`,
      now,
      since,
    ),
    // A surprise credited to the member (the holdout gets neither the gift nor the message).
    insertEvents(
      db,
      "SURPRISE",
      Prisma.sql`SELECT c."shopId", r."memberId", 'surprise:' || c.id || ':' || r."memberId" AS occasion,
                        jsonb_build_object('campaignId', c.id) AS context, r."creditedAt" AS at
                 FROM "SurpriseRecipient" r JOIN "SurpriseCampaign" c ON c.id = r."campaignId"
                 WHERE r."creditedAt" >= ${since} AND NOT r.holdout`,
      now,
      since,
    ),
    // The birthday gift: points (a ledger entry) or a choice of rewards (a BirthdayGift).
    insertEvents(
      db,
      "BIRTHDAY",
      Prisma.sql`SELECT "shopId", "memberId", 'birthday:' || "memberId" || ':' || extract(year FROM "createdAt")::int AS occasion,
                        jsonb_build_object('points', points) AS context, "createdAt" AS at
                 FROM "LedgerEntry" WHERE "createdAt" >= ${since} AND "reasonCode" = 'birthday' AND points > 0
                 UNION ALL
                 SELECT "shopId", "memberId", 'birthday:' || "memberId" || ':' || year AS occasion,
                        jsonb_build_object('giftId', id) AS context, "offeredAt" AS at
                 FROM "BirthdayGift" WHERE "offeredAt" >= ${since}`,
      now,
      since,
    ),
  ]);
  // The referred friend's code goes to the email they gave; they may not be a member yet.
  const friends = await db.$executeRaw`
    INSERT INTO "MessageLog" ("shopId", "memberId", email, kind, occasion, context, "sendAfter")
    SELECT rd."shopId", rd."memberId", COALESCE(m.email, rd."recipientEmail"), 'FRIEND_CODE', 'redemption:' || rd.id,
           jsonb_build_object('redemptionId', rd.id), ${now}::timestamp
    FROM "Redemption" rd
    JOIN "Reward" r ON r.id = rd."rewardId" AND r.trigger = 'REFERRAL_FRIEND'
    JOIN "Shop" sh ON sh.id = rd."shopId" AND sh."programStatus" = 'LIVE' AND sh."uninstalledAt" IS NULL
    LEFT JOIN "Member" m ON m.id = rd."memberId"
    LEFT JOIN "MessageSetting" ms ON ms."shopId" = rd."shopId" AND ms.kind = 'FRIEND_CODE'
    WHERE rd."updatedAt" >= ${since} AND rd.status = 'ISSUED' AND rd.code IS NOT NULL
      AND COALESCE(m.email, rd."recipientEmail") IS NOT NULL AND COALESCE(m.status, 'ACTIVE') = 'ACTIVE'
      AND COALESCE(ms.enabled, true)
      AND rd."updatedAt" >= GREATEST(${since}::timestamp, COALESCE(ms."enabledAt", sh."launchedAt", sh."installedAt"))
    ON CONFLICT ("shopId", kind, occasion) DO NOTHING`;
  return counts.reduce((a, b) => a + b, 0) + friends;
}

/**
 * The daily selection: points about to expire (one message per configured lead time and
 * expiry date), a tier about to end, and win-back touches. Set-based over every shop.
 */
export async function selectDailyMessages(db: Db, now = new Date()): Promise<number> {
  const live = Prisma.sql`sh."programStatus" = 'LIVE' AND sh."uninstalledAt" IS NULL`;
  const expiring = await db.$executeRaw`
    INSERT INTO "MessageLog" ("shopId", "memberId", kind, occasion, context, "sendAfter", "flowStatus")
    SELECT m."shopId", m.id, 'POINTS_EXPIRING',
           'expiring:' || m.id || ':' || d.days || ':' || to_char(m."lastActivityAt" + make_interval(days => s."expiryInactivityDays"), 'YYYY-MM-DD'),
           jsonb_build_object('days', d.days), ${now}::timestamp, 'PENDING'
    FROM "ShopSettings" s
    JOIN "Shop" sh ON sh.id = s."shopId" AND ${live}
    LEFT JOIN "MessageSetting" ms ON ms."shopId" = s."shopId" AND ms.kind = 'POINTS_EXPIRING'
    CROSS JOIN LATERAL (
      SELECT DISTINCT value::int AS days
      FROM jsonb_array_elements_text(COALESCE(NULLIF(ms.timing -> 'days', 'null'::jsonb), '[30, 7]'::jsonb))
      WHERE value ~ '^[0-9]+$'
    ) d
    JOIN "Member" m ON m."shopId" = s."shopId" AND m.status = 'ACTIVE' AND m.email IS NOT NULL AND m.balance > 0
      -- Due within the next day of this lead time (a missed day is caught up, never doubled).
      AND m."lastActivityAt" + make_interval(days => s."expiryInactivityDays") > ${now}::timestamp
      AND m."lastActivityAt" + make_interval(days => s."expiryInactivityDays")
          <= ${now}::timestamp + make_interval(days => d.days)
    WHERE s."expiryInactivityDays" IS NOT NULL AND COALESCE(ms.enabled, true)
      -- Only the nearest lead time not yet passed: a member 5 days from expiry gets the 7-day one.
      AND NOT EXISTS (
        SELECT 1 FROM jsonb_array_elements_text(COALESCE(NULLIF(ms.timing -> 'days', 'null'::jsonb), '[30, 7]'::jsonb)) o
        WHERE o.value ~ '^[0-9]+$' AND o.value::int < d.days
          AND m."lastActivityAt" + make_interval(days => s."expiryInactivityDays")
              <= ${now}::timestamp + make_interval(days => o.value::int))
    ON CONFLICT ("shopId", kind, occasion) DO NOTHING`;
  const downgrade = await db.$executeRaw`
    INSERT INTO "MessageLog" ("shopId", "memberId", kind, occasion, context, "sendAfter")
    SELECT m."shopId", m.id, 'TIER_DOWNGRADE', 'downgrade:' || m.id || ':' || m."tierId" || ':' || to_char(m."tierDowngradeAfter", 'YYYY-MM-DD'),
           jsonb_build_object('tierId', m."tierId"), ${now}::timestamp
    FROM "Member" m
    JOIN "Shop" sh ON sh.id = m."shopId" AND ${live}
    LEFT JOIN "MessageSetting" ms ON ms."shopId" = m."shopId" AND ms.kind = 'TIER_DOWNGRADE'
    WHERE m.status = 'ACTIVE' AND m.email IS NOT NULL AND m."tierDowngradeAfter" IS NOT NULL AND NOT m."tierOverride"
      AND m."tierDowngradeAfter" > ${now}::timestamp
      AND m."tierDowngradeAfter" <= ${now}::timestamp + make_interval(days => COALESCE((ms.timing ->> 'daysBefore')::int, 14))
      AND COALESCE(ms.enabled, true)
    ON CONFLICT ("shopId", kind, occasion) DO NOTHING`;
  // Win-back: the first touch after `afterDays` without an order, the second `thenDays`
  // after the first was sent. Both name the last order, so a new order starts afresh.
  const first = await db.$executeRaw`
    INSERT INTO "MessageLog" ("shopId", "memberId", kind, occasion, context, "sendAfter", "flowStatus")
    SELECT m."shopId", m.id, 'WIN_BACK', 'winback:1:' || m.id || ':' || to_char(m."lastOrderAt", 'YYYY-MM-DD"T"HH24:MI:SS'),
           jsonb_build_object('touch', 1, 'lastOrderAt', m."lastOrderAt"), ${now}::timestamp, 'PENDING'
    FROM "Member" m
    JOIN "Shop" sh ON sh.id = m."shopId" AND ${live}
    JOIN "MessageSetting" ms ON ms."shopId" = m."shopId" AND ms.kind = 'WIN_BACK' AND ms.enabled
    WHERE m.status = 'ACTIVE' AND m.email IS NOT NULL AND m."lastOrderAt" IS NOT NULL
      AND m."lastOrderAt" <= ${now}::timestamp - make_interval(days => COALESCE((ms.timing ->> 'afterDays')::int, 60))
      -- Not a customer who left years before the message was switched on.
      AND m."lastOrderAt" >= ms."enabledAt" - make_interval(days => COALESCE((ms.timing ->> 'afterDays')::int, 60) + 30)
    ON CONFLICT ("shopId", kind, occasion) DO NOTHING`;
  const second = await db.$executeRaw`
    INSERT INTO "MessageLog" ("shopId", "memberId", kind, occasion, context, "sendAfter")
    SELECT l."shopId", l."memberId", 'WIN_BACK', 'winback:2:' || substr(l.occasion, 11),
           jsonb_build_object('touch', 2, 'lastOrderAt', l.context -> 'lastOrderAt', 'rewardId', ms.timing ->> 'couponRewardId'),
           ${now}::timestamp
    FROM "MessageLog" l
    JOIN "Member" m ON m.id = l."memberId" AND m.status = 'ACTIVE'
    JOIN "MessageSetting" ms ON ms."shopId" = l."shopId" AND ms.kind = 'WIN_BACK' AND ms.enabled
    WHERE l.kind = 'WIN_BACK' AND l.occasion LIKE 'winback:1:%' AND l.status = 'SENT'
      AND l."sentAt" <= ${now}::timestamp - make_interval(days => COALESCE((ms.timing ->> 'thenDays')::int, 14))
      -- The occasion is winback:1:<member id, 36 characters>:<last order>.
      AND to_char(m."lastOrderAt", 'YYYY-MM-DD"T"HH24:MI:SS') = substr(l.occasion, 48)
    ON CONFLICT ("shopId", kind, occasion) DO NOTHING`;
  // NPS: N days after delivery (or the first shipment when no delivery is reported), one
  // survey per paid order, to the member or to the guest's email. Answered ones are skipped at send.
  const surveys = await db.$executeRaw`
    INSERT INTO "MessageLog" ("shopId", "memberId", email, kind, occasion, context, "sendAfter")
    SELECT o."shopId", o."memberId", CASE WHEN o."memberId" IS NULL THEN o.email END, 'NPS', 'nps:' || o.id,
           jsonb_build_object('orderId', o.id::text, 'points', COALESCE((ms.timing ->> 'points')::int, 0)),
           ${now}::timestamp
    FROM "Order" o
    JOIN "Shop" sh ON sh.id = o."shopId" AND ${live}
    JOIN "MessageSetting" ms ON ms."shopId" = o."shopId" AND ms.kind = 'NPS' AND ms.enabled
    LEFT JOIN "Member" m ON m.id = o."memberId"
    CROSS JOIN LATERAL (SELECT COALESCE(o."deliveredAt", o."fulfilledAt") AS at,
                               make_interval(days => COALESCE((ms.timing ->> 'delayDays')::int, 7)) AS delay) t
    WHERE o."paidAt" IS NOT NULL AND o."cancelledAt" IS NULL AND t.at IS NOT NULL
      AND COALESCE(m.email, o.email) IS NOT NULL AND COALESCE(m.status, 'ACTIVE') = 'ACTIVE'
      AND t.at <= ${now}::timestamp - t.delay
      -- A bounded window: a shop switching NPS on does not survey last year's orders.
      AND t.at > ${now}::timestamp - t.delay - interval '14 days'
      AND t.at >= ms."enabledAt" - t.delay
    ON CONFLICT ("shopId", kind, occasion) DO NOTHING`;
  return expiring + downgrade + first + second + surveys;
}

/** Shops with messages due now (the send sweep). */
export async function shopsWithDueMessages(db: Db, now = new Date()): Promise<string[]> {
  const rows = await db.$queryRaw<Array<{ shopId: string }>>`
    SELECT DISTINCT "shopId" FROM "MessageLog"
    WHERE (status = 'QUEUED' AND "sendAfter" <= ${now}) OR (status = 'SENDING' AND "leaseUntil" < ${now})`;
  return rows.map((r) => r.shopId);
}

/**
 * Takes up to `limit` due messages of a shop for sending, with a lease: another instance
 * skips them (SKIP LOCKED), and one whose sender died is taken again when the lease ends.
 */
export async function claimDueMessages(db: Db, shopId: string, limit: number, now = new Date(), leaseSeconds = 120) {
  return db.$queryRaw<MessageLog[]>`
    UPDATE "MessageLog" SET status = 'SENDING', attempts = attempts + 1,
           "leaseUntil" = ${now}::timestamp + make_interval(secs => ${leaseSeconds})
    WHERE id IN (
      SELECT id FROM "MessageLog"
      WHERE "shopId" = ${shopId}::uuid
        AND ((status = 'QUEUED' AND "sendAfter" <= ${now}) OR (status = 'SENDING' AND "leaseUntil" < ${now}))
      ORDER BY "sendAfter", "createdAt"
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED)
    RETURNING *`;
}

export type SendOutcome =
  | { status: "SENT"; subject: string; codes: string[]; locale: string }
  | { status: "SKIPPED"; reason: string }
  | { status: "DEFER"; until: Date; error?: string }
  | { status: "FAILED"; error: string }
  | { status: "BOUNCED"; error: string; email: string };

/** Records what happened to a claimed message; a bounce suppresses the address for the shop. */
export async function recordOutcome(db: Db, log: MessageLog, outcome: SendOutcome, now = new Date()): Promise<void> {
  const where = { id: log.id, status: "SENDING" as const };
  switch (outcome.status) {
    case "SENT":
      await db.messageLog.updateMany({
        where,
        data: {
          status: "SENT",
          sentAt: now,
          subject: outcome.subject,
          codes: outcome.codes,
          locale: outcome.locale,
          leaseUntil: null,
          error: null,
        },
      });
      return;
    case "SKIPPED":
      await db.messageLog.updateMany({
        where,
        data: { status: "SKIPPED", skipReason: outcome.reason, leaseUntil: null },
      });
      return;
    case "DEFER":
      await db.messageLog.updateMany({
        where,
        data: { status: "QUEUED", sendAfter: outcome.until, leaseUntil: null, error: outcome.error ?? null },
      });
      return;
    case "FAILED":
      await db.messageLog.updateMany({ where, data: { status: "FAILED", error: outcome.error, leaseUntil: null } });
      return;
    case "BOUNCED":
      // Concurrent sends can bounce at the same address: the insert tolerates the other's row.
      await db.$transaction([
        db.messageLog.updateMany({ where, data: { status: "BOUNCED", error: outcome.error, leaseUntil: null } }),
        suppress(db, log.shopId, outcome.email, "BOUNCE", outcome.error),
      ]);
  }
}

function suppress(db: Db, shopId: string, email: string, reason: string, detail: string | null = null) {
  return db.$executeRaw`
    INSERT INTO "EmailSuppression" ("shopId", email, reason, detail)
    VALUES (${shopId}::uuid, ${email.toLowerCase()}, ${reason}, ${detail})
    ON CONFLICT ("shopId", email) DO NOTHING`;
}

/** Why a message may not go to this member now, or null when it may. */
export function consentRefusal(
  kind: MessageKind,
  member: {
    status: string;
    email: string | null;
    emailConsent: boolean;
    marketingOptOut: boolean;
    noticesOptOut: boolean;
  } | null,
  noticesNeedConsent: boolean,
  suppressed: boolean,
): string | null {
  if (member && member.status !== "ACTIVE") return "not_active";
  if (suppressed) return "suppressed";
  if (!member) return null; // a non-member recipient (a friend's code they asked for)
  if (!member.email) return "no_email";
  if (MESSAGE_CATEGORY[kind] === "marketing") {
    if (!member.emailConsent) return "no_consent";
    if (member.marketingOptOut) return "unsubscribed";
    return null;
  }
  if (member.noticesOptOut) return "unsubscribed";
  if (noticesNeedConsent && !member.emailConsent) return "no_consent";
  return null;
}

export async function isSuppressed(db: Db, shopId: string, email: string): Promise<boolean> {
  return Boolean(
    await db.emailSuppression.findUnique({ where: { shopId_email: { shopId, email: email.toLowerCase() } } }),
  );
}

export async function recordOpen(db: Db, logId: string, now = new Date()): Promise<void> {
  await db.messageLog.updateMany({ where: { id: logId, openedAt: null }, data: { openedAt: now } });
}

export async function recordClick(db: Db, logId: string, now = new Date()): Promise<void> {
  await db.messageLog.updateMany({ where: { id: logId, clickedAt: null }, data: { clickedAt: now } });
  // A click implies the message was opened (images are often blocked).
  await db.messageLog.updateMany({ where: { id: logId, openedAt: null }, data: { openedAt: now } });
}

/**
 * Unsubscribes from the message's category (marketing, or account notices) and records
 * it on the message. A recipient who is not a member is suppressed for the shop instead.
 */
export async function unsubscribeFromMessage(db: Db, logId: string, now = new Date()): Promise<boolean> {
  const log = await db.messageLog.findUnique({ where: { id: logId } });
  if (!log) return false;
  const kind = log.kind as MessageKind;
  await db.$transaction(async (tx) => {
    await tx.messageLog.updateMany({ where: { id: log.id, unsubscribedAt: null }, data: { unsubscribedAt: now } });
    if (log.memberId) {
      await tx.member.update({
        where: { id: log.memberId },
        data: MESSAGE_CATEGORY[kind] === "marketing" ? { marketingOptOut: true } : { noticesOptOut: true },
      });
    } else if (log.email) {
      await suppress(tx, log.shopId, log.email, "UNSUBSCRIBE");
    }
  });
  return true;
}

export interface KindStats {
  kind: MessageKind;
  sent: number;
  failed: number;
  bounced: number;
  skipped: number;
  opened: number;
  clicked: number;
  unsubscribed: number;
  orders: number;
  revenueMinor: bigint;
}

/**
 * Each kind's figures for messages created in [from, to): deliveries, opens, clicks,
 * unsubscribes, and the orders attributed to a message: an order by its member within 7
 * days of a click, or one that used a code the message carried (each order counted once
 * per kind).
 */
export async function messageStats(db: Db, shopId: string, from: Date, to: Date): Promise<KindStats[]> {
  const rows = await db.$queryRaw<
    Array<{
      kind: string;
      sent: number;
      failed: number;
      bounced: number;
      skipped: number;
      opened: number;
      clicked: number;
      unsubscribed: number;
      orders: number;
      revenue: bigint | null;
    }>
  >`
    WITH logs AS (
      SELECT * FROM "MessageLog" WHERE "shopId" = ${shopId}::uuid AND "createdAt" >= ${from} AND "createdAt" < ${to}
    ),
    attributed AS (
      SELECT DISTINCT l.kind, o.id, o."totalMinor"
      FROM logs l
      JOIN "Order" o ON o."shopId" = l."shopId" AND o."paidAt" IS NOT NULL AND o."cancelledAt" IS NULL
       AND ((l."clickedAt" IS NOT NULL AND o."memberId" = l."memberId"
             AND o."processedAt" >= l."clickedAt" AND o."processedAt" < l."clickedAt" + interval '7 days')
            OR (cardinality(l.codes) > 0 AND o."discountCodes" && l.codes))
    )
    SELECT k.kind,
           count(*) FILTER (WHERE l.status = 'SENT')::int AS sent,
           count(*) FILTER (WHERE l.status = 'FAILED')::int AS failed,
           count(*) FILTER (WHERE l.status = 'BOUNCED')::int AS bounced,
           count(*) FILTER (WHERE l.status = 'SKIPPED')::int AS skipped,
           count(*) FILTER (WHERE l."openedAt" IS NOT NULL)::int AS opened,
           count(*) FILTER (WHERE l."clickedAt" IS NOT NULL)::int AS clicked,
           count(*) FILTER (WHERE l."unsubscribedAt" IS NOT NULL)::int AS unsubscribed,
           (SELECT count(*)::int FROM attributed a WHERE a.kind = k.kind) AS orders,
           (SELECT sum("totalMinor") FROM attributed a WHERE a.kind = k.kind)::bigint AS revenue
    FROM unnest(${[...MESSAGE_KINDS]}::text[]) AS k(kind)
    LEFT JOIN logs l ON l.kind = k.kind
    GROUP BY k.kind`;
  const byKind = new Map(rows.map((r) => [r.kind, r]));
  return MESSAGE_KINDS.map((kind) => {
    const r = byKind.get(kind);
    return {
      kind,
      sent: r?.sent ?? 0,
      failed: r?.failed ?? 0,
      bounced: r?.bounced ?? 0,
      skipped: r?.skipped ?? 0,
      opened: r?.opened ?? 0,
      clicked: r?.clicked ?? 0,
      unsubscribed: r?.unsubscribed ?? 0,
      orders: r?.orders ?? 0,
      revenueMinor: r?.revenue ?? 0n,
    };
  });
}

/** The message a signed link names, with its member's email preferences. */
export async function messageRecipient(db: Db, messageId: string) {
  return db.messageLog.findUnique({
    where: { id: messageId },
    select: {
      id: true,
      shopId: true,
      locale: true,
      member: {
        select: {
          id: true,
          locale: true,
          marketingOptOut: true,
          noticesOptOut: true,
          emailConsent: true,
          status: true,
        },
      },
    },
  });
}

export type MailPreferences = NonNullable<NonNullable<Awaited<ReturnType<typeof messageRecipient>>>["member"]>;

/** The preference page's choices; they apply at send time to every later message. */
export async function setMailPreferences(
  db: Db,
  memberId: string,
  choices: { notices: boolean; marketing: boolean },
): Promise<MailPreferences> {
  return db.member.update({
    where: { id: memberId },
    data: { noticesOptOut: !choices.notices, marketingOptOut: !choices.marketing },
    select: { id: true, locale: true, marketingOptOut: true, noticesOptOut: true, emailConsent: true, status: true },
  });
}

/** Shops with Flow triggers to send (the minute sweep). */
export async function shopsWithPendingFlowTriggers(db: Db): Promise<string[]> {
  const rows = await db.$queryRaw<Array<{ shopId: string }>>`
    SELECT DISTINCT "shopId" FROM "MessageLog"
    WHERE "flowStatus" = 'PENDING' OR ("flowStatus" = 'SENDING' AND "flowAt" < now() - interval '10 minutes')`;
  return rows.map((r) => r.shopId);
}

/** Takes a shop's pending Flow triggers for sending (another instance skips them). */
export async function claimFlowTriggers(db: Db, shopId: string, limit: number, now = new Date()) {
  return db.$queryRaw<MessageLog[]>`
    UPDATE "MessageLog" SET "flowStatus" = 'SENDING', "flowAt" = ${now}
    WHERE id IN (
      SELECT id FROM "MessageLog"
      WHERE "shopId" = ${shopId}::uuid
        AND ("flowStatus" = 'PENDING'
             OR ("flowStatus" = 'SENDING' AND "flowAt" < ${now}::timestamp - interval '10 minutes'))
      ORDER BY "createdAt"
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED)
    RETURNING *`;
}

export async function recordFlowOutcome(
  db: Db,
  id: string,
  outcome: { status: "SENT" | "FAILED" | "SKIPPED" | "PENDING"; error?: string },
  now = new Date(),
) {
  await db.messageLog.updateMany({
    where: { id, flowStatus: "SENDING" },
    data: { flowStatus: outcome.status, flowError: outcome.error ?? null, flowAt: now },
  });
}
