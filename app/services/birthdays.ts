import { Prisma, type Redemption } from "../generated/prisma/client";
import { UNKNOWN_BIRTH_YEAR } from "../domain/time";
import { inTransaction, type Db } from "../platform/database/db";
import { postSelectedEntries } from "./ledger";
import { giftedRedemption, RedemptionError } from "./rewards";
import type { ShopContext } from "./shop-context";
import { upgradeMembersAfterEarning } from "./tiers";

/**
 * Birthdays (seed 002: "a gift a week before, to choose"). A member tells their birthday
 * once (day and month, the year if they like). The shop's lead time before it, the gift
 * comes: the BIRTHDAY rule's points, or, when the merchant set up a choice, an offer of
 * two or three rewards the member picks from in the widget, issued as a discount.
 *
 * February 29th is kept as such and celebrated on February 28th in other years. Each
 * birthday pays once: the points' key and the offer's unique row carry its year.
 */

export type BirthdayResult = "saved" | "already_set" | "invalid_date";

export async function setBirthday(
  db: Db,
  memberId: string,
  birthday: { month: number; day: number; year?: number | null },
  now = new Date(),
): Promise<BirthdayResult> {
  const year = birthday.year ?? null;
  if (year !== null && (year < 1900 || year > now.getUTCFullYear())) return "invalid_date";
  const date = new Date(Date.UTC(year ?? UNKNOWN_BIRTH_YEAR, birthday.month - 1, birthday.day));
  if (date.getUTCMonth() !== birthday.month - 1 || date.getUTCDate() !== birthday.day) return "invalid_date";
  // Told once: a birthday that could be changed at will would pay its gift as often as asked.
  const updated = await db.member.updateMany({ where: { id: memberId, birthday: null }, data: { birthday: date } });
  return updated.count === 1 ? "saved" : "already_set";
}

/** How long a gift offer stays open after the birthday itself. */
const OFFER_DAYS_AFTER_BIRTHDAY = 30;
/** A run missed (a deploy, an outage) is caught up this many days late. */
const CATCH_UP_DAYS = 2;

/**
 * The members whose gift day is today (or up to CATCH_UP_DAYS ago) in their shop's time
 * zone, with the year and date of the birthday it is for.
 */
function dueBirthdays(now: Date, mode: "POINTS" | "CHOICE") {
  return Prisma.sql`
    WITH base AS (
      SELECT m.id AS "memberId", m."shopId", EXTRACT(MONTH FROM m.birthday)::int AS mo,
             EXTRACT(DAY FROM m.birthday)::int AS d, s."birthdayLeadDays" AS lead,
             (${now}::timestamptz AT TIME ZONE sh."ianaTimezone")::date AS today
      FROM "Member" m
      JOIN "Shop" sh ON sh.id = m."shopId"
      JOIN "ShopSettings" s ON s."shopId" = m."shopId"
      WHERE sh."programStatus" = 'LIVE' AND sh."uninstalledAt" IS NULL AND s."birthdayGift" = ${mode}::"BirthdayGiftMode"
        AND m.status = 'ACTIVE' AND m.birthday IS NOT NULL
    ), dated AS (
      SELECT b.*, y.year,
             make_date(y.year, b.mo, CASE WHEN b.mo = 2 AND b.d = 29
               AND NOT (y.year % 4 = 0 AND (y.year % 100 <> 0 OR y.year % 400 = 0)) THEN 28 ELSE b.d END) AS birthday
      FROM base b, LATERAL (VALUES (EXTRACT(YEAR FROM b.today)::int), (EXTRACT(YEAR FROM b.today)::int + 1)) AS y(year)
    )
    SELECT * FROM dated
    WHERE birthday - lead BETWEEN today - ${CATCH_UP_DAYS}::int AND today`;
}

/**
 * Job (hourly, so each shop's midnight is met): birthday gifts that are due. Points are
 * posted set-based by the ledger; gift choices are offered as BirthdayGift rows.
 */
export async function awardBirthdays(db: Db, now = new Date()): Promise<number> {
  const credited = await postSelectedEntries(
    db,
    Prisma.sql`
      SELECT due."shopId", due."memberId", r.points, 'EARN' AS kind, 'BIRTHDAY' AS source,
             'birthday:' || due."memberId" || ':' || due.year AS key
      FROM (${dueBirthdays(now, "POINTS")}) due
      JOIN "EarningRule" r ON r."shopId" = due."shopId" AND r.action = 'BIRTHDAY' AND r.enabled AND r.key = '' AND r.points > 0
      JOIN "Member" m ON m.id = due."memberId"
      FOR UPDATE OF m SKIP LOCKED`,
    now,
    { code: "birthday" },
  );
  await upgradeMembersAfterEarning(db, credited, "birthday");
  const offered = await db.$executeRaw`
    INSERT INTO "BirthdayGift" (id, "shopId", "memberId", year, "rewardIds", "offeredAt", "expiresAt")
    SELECT gen_random_uuid(), due."shopId", due."memberId", due.year, gifts.ids, ${now}::timestamp,
           (due.birthday + ${OFFER_DAYS_AFTER_BIRTHDAY}::int)::timestamp
    FROM (${dueBirthdays(now, "CHOICE")}) due
    JOIN LATERAL (
      SELECT array_agg(id::text ORDER BY position, "createdAt") AS ids FROM (
        SELECT id, position, "createdAt" FROM "Reward"
        WHERE "shopId" = due."shopId" AND trigger = 'BIRTHDAY_GIFT' AND enabled
        ORDER BY position, "createdAt" LIMIT 3
      ) g
    ) gifts ON array_length(gifts.ids, 1) >= 2
    ON CONFLICT ("shopId", "memberId", year) DO NOTHING`;
  await db.birthdayGift.updateMany({
    where: { status: "OFFERED", expiresAt: { lte: now } },
    data: { status: "EXPIRED" },
  });
  return credited.length + offered;
}

/**
 * The member picks one of their offered gifts: it becomes their code (issued in Shopify
 * by the caller). Choosing twice gives the first choice back.
 */
export async function chooseBirthdayGift(
  db: Db,
  shop: ShopContext,
  memberId: string,
  rewardId: string,
  now = new Date(),
): Promise<Redemption> {
  return inTransaction(db, async (tx) => {
    const rows = await tx.$queryRaw<
      Array<{ id: string; status: string; rewardIds: string[]; redemptionId: string | null }>
    >`
      SELECT id, status::text AS status, "rewardIds", "redemptionId" FROM "BirthdayGift"
      WHERE "shopId" = ${shop.id}::uuid AND "memberId" = ${memberId}::uuid AND "expiresAt" > ${now}
        AND status IN ('OFFERED', 'CHOSEN')
      ORDER BY year DESC LIMIT 1
      FOR UPDATE`;
    const gift = rows[0];
    if (!gift) throw new RedemptionError("reward_not_found", "No birthday gift is waiting for you", 404);
    if (gift.status === "CHOSEN" && gift.redemptionId) {
      return tx.redemption.findUniqueOrThrow({ where: { id: gift.redemptionId } });
    }
    const reward = gift.rewardIds.includes(rewardId)
      ? await tx.reward.findFirst({ where: { id: rewardId, shopId: shop.id, trigger: "BIRTHDAY_GIFT", enabled: true } })
      : null;
    if (!reward) throw new RedemptionError("reward_not_found", "That gift is not one of yours to choose", 404);
    const redemption = await tx.redemption.create({
      data: giftedRedemption(shop.id, reward, { memberId }, `birthday-gift:${gift.id}`, now),
    });
    await tx.birthdayGift.update({
      where: { id: gift.id },
      data: { status: "CHOSEN", chosenRewardId: reward.id, redemptionId: redemption.id, chosenAt: now },
    });
    return redemption;
  });
}
