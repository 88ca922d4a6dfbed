import type { Db, Tx } from "../platform/database/db";
import { Prisma } from "../generated/prisma/client";
import { postEntry, postSelectedEntries } from "./ledger";
import type { ShopContext } from "./shop-context";

/**
 * Points for things that are not purchases (the articles' "reward non-purchase
 * actions"): newsletter signup, social follows, birthdays. Each is awarded once per
 * member (social: once per network; birthday: once per year), whatever path reports it.
 */

export async function awardNewsletter(tx: Tx, shop: ShopContext, memberId: string): Promise<boolean> {
  const rule = shop.rules.get("NEWSLETTER");
  if (!rule || rule.points <= 0 || !shop.live) return false;
  const posted = await postEntry(tx, {
    shopId: shop.id,
    memberId,
    points: rule.points,
    kind: "EARN",
    source: "NEWSLETTER",
    reason: "Subscribed to the newsletter",
    idempotencyKey: `newsletter:${memberId}`,
  });
  return posted.created;
}

export async function awardSocialFollow(
  tx: Tx,
  shop: ShopContext,
  memberId: string,
  network: string,
): Promise<number | null> {
  const rule = shop.socialRules.find((r) => r.key === network);
  if (!rule || rule.points <= 0 || !shop.live) return null;
  const posted = await postEntry(tx, {
    shopId: shop.id,
    memberId,
    points: rule.points,
    kind: "EARN",
    source: "SOCIAL",
    reason: `Followed us on ${network}`,
    idempotencyKey: `social:${network}:${memberId}`,
  });
  return posted.created ? rule.points : 0;
}

/**
 * Job: birthday points for members whose birthday is today in their shop's time zone,
 * set-based like expiry. The key carries the year, so each birthday pays once.
 */
export async function awardBirthdays(db: Db, now = new Date()): Promise<number> {
  const moved = await postSelectedEntries(
    db,
    Prisma.sql`
      SELECT m."shopId", m.id AS "memberId", r.points, 'EARN' AS kind, 'BIRTHDAY' AS source, 'Happy birthday!' AS reason,
             'birthday:' || m.id || ':' || extract(year FROM (${now}::timestamptz AT TIME ZONE sh."ianaTimezone"))::int AS key
      FROM "Member" m
      JOIN "Shop" sh ON sh.id = m."shopId"
      JOIN "EarningRule" r ON r."shopId" = m."shopId" AND r.action = 'BIRTHDAY' AND r.enabled AND r.key = '' AND r.points > 0
      WHERE sh."programStatus" = 'LIVE' AND sh."uninstalledAt" IS NULL AND m.status = 'ACTIVE' AND m.birthday IS NOT NULL
        AND to_char(m.birthday, 'MM-DD') = to_char((${now}::timestamptz AT TIME ZONE sh."ianaTimezone"), 'MM-DD')
      FOR UPDATE OF m SKIP LOCKED`,
    now,
  );
  return moved.length;
}
