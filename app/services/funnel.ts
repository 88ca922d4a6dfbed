import type { Db, Tx } from "../platform/database/db";

/**
 * The post-purchase signup funnel: the Thank-you block was seen, "join" was tapped, the
 * buyer joined. One event of each kind per order (dedupe key), so reloads and retries
 * do not inflate the enrollment figures.
 */
export const THANK_YOU_EVENTS = {
  viewed: "thankyou.viewed",
  joinClicked: "thankyou.join_clicked",
  joined: "thankyou.joined",
} as const;
export type ThankYouEvent = keyof typeof THANK_YOU_EVENTS;

export async function recordThankYouEvent(
  db: Db,
  shopId: string,
  event: ThankYouEvent,
  orderId: bigint,
  memberId: string | null = null,
): Promise<void> {
  const name = THANK_YOU_EVENTS[event];
  await db.analyticsEvent.createMany({
    data: [{ shopId, name, orderId, memberId, dedupeKey: `${name}:${orderId}` }],
    skipDuplicates: true,
  });
}

/**
 * A guest who saw the block and later created their account: when their held points for
 * that order are credited, the funnel records the join.
 */
export async function recordGuestConversion(tx: Tx, shopId: string, orderId: bigint, memberId: string): Promise<void> {
  const joined = THANK_YOU_EVENTS.joined;
  await tx.$executeRaw`
    INSERT INTO "AnalyticsEvent" ("shopId", name, "orderId", "memberId", "dedupeKey", "createdAt")
    SELECT ${shopId}::uuid, ${joined}, ${orderId}, ${memberId}::uuid, ${`${joined}:${orderId}`}, now()
    WHERE EXISTS (SELECT 1 FROM "AnalyticsEvent" WHERE "shopId" = ${shopId}::uuid AND name = ${THANK_YOU_EVENTS.viewed} AND "orderId" = ${orderId})
    ON CONFLICT ("shopId", "dedupeKey") DO NOTHING`;
}
