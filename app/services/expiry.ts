import { Prisma } from "../generated/prisma/client";
import type { Db } from "../platform/database/db";
import { postSelectedEntries } from "./ledger";

/**
 * Job: points expire after the shop's configured period of inactivity (no earning or
 * spending). Set-based, in batches: the ledger writes each batch's EXPIRE entries and
 * balances in one statement, for the due members this run could lock (one held by a
 * live request is picked up on the next run).
 *
 * The entry's key names the member and the activity it expires, so a re-run, or a
 * second instance running at the same moment, cannot expire the same points twice.
 */
export async function expireInactivePoints(db: Db, now = new Date(), batchSize = 5000): Promise<number> {
  let expired = 0;
  for (;;) {
    const moved = await postSelectedEntries(
      db,
      Prisma.sql`
        SELECT m."shopId", m.id AS "memberId", -m.balance AS points, 'EXPIRE' AS kind, 'EXPIRY' AS source,
               'expire:' || m.id || ':' || floor(extract(epoch FROM m."lastActivityAt") * 1000)::bigint AS key
        FROM "Member" m
        JOIN "ShopSettings" s ON s."shopId" = m."shopId"
        JOIN "Shop" sh ON sh.id = m."shopId"
        WHERE s."expiryInactivityDays" IS NOT NULL
          AND sh."programStatus" = 'LIVE' AND sh."uninstalledAt" IS NULL
          AND m.status = 'ACTIVE' AND m.balance > 0
          AND m."lastActivityAt" < ${now}::timestamp - make_interval(days => s."expiryInactivityDays")
        ORDER BY m.id
        LIMIT ${batchSize}
        FOR UPDATE OF m SKIP LOCKED`,
      now,
      { code: "expired" },
    );
    expired += moved.length;
    if (moved.length < batchSize) return expired;
  }
}
