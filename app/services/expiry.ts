import type { Db } from "../platform/database/db";

/**
 * Job: points expire after the shop's configured period of inactivity (no earning or
 * spending). One set-based statement per batch, not one query per member: it locks the
 * due members (skipping any held by a live request, which will be picked up on the next
 * run), writes their EXPIRE entries and updates their cached balances together.
 *
 * The entry's key names the member and the activity it expires, so a re-run, or a
 * second instance running at the same moment, cannot expire the same points twice.
 */
export async function expireInactivePoints(db: Db, now = new Date(), batchSize = 5000): Promise<number> {
  let expired = 0;
  for (;;) {
    const rows = await db.$queryRaw<Array<{ id: string }>>`
      WITH due AS (
        SELECT m.id, m."shopId", m.balance, m."lastActivityAt"
        FROM "Member" m
        JOIN "ShopSettings" s ON s."shopId" = m."shopId"
        JOIN "Shop" sh ON sh.id = m."shopId"
        WHERE s."expiryInactivityDays" IS NOT NULL
          AND sh."programStatus" = 'LIVE' AND sh."uninstalledAt" IS NULL
          AND m.status = 'ACTIVE' AND m.balance > 0
          AND m."lastActivityAt" < ${now}::timestamp - make_interval(days => s."expiryInactivityDays")
        ORDER BY m.id
        LIMIT ${batchSize}
        FOR UPDATE OF m SKIP LOCKED
      ), entries AS (
        INSERT INTO "LedgerEntry" ("shopId", "memberId", points, kind, source, reason, "idempotencyKey", "createdAt")
        SELECT "shopId", id, -balance, 'EXPIRE', 'EXPIRY', 'Points expired after inactivity',
               'expire:' || id || ':' || floor(extract(epoch FROM "lastActivityAt") * 1000)::bigint, ${now}::timestamp
        FROM due
        ON CONFLICT ("shopId", "idempotencyKey") DO NOTHING
        RETURNING "memberId", points
      )
      UPDATE "Member" m SET balance = m.balance + entries.points, "updatedAt" = ${now}::timestamp
      FROM entries WHERE m.id = entries."memberId"
      RETURNING m.id`;
    expired += rows.length;
    if (rows.length < batchSize) return expired;
  }
}
