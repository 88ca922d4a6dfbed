import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { awardBirthdays, chooseBirthdayGift, setBirthday } from "../../app/services/birthdays";
import { RedemptionError } from "../../app/services/rewards";
import { loadShopContext } from "../../app/services/shop-context";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { createShop } from "../support/seed";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.close();
});

let members = 0;
async function member(shopId: string, birthday: Date | null = null) {
  members += 1;
  return db.prisma.member.create({
    data: { shopId, customerId: BigInt(members), referralCode: `B${members}`, birthday, email: `b${members}@x.io` },
  });
}
const ledgerKeys = async (memberId: string) =>
  (await db.prisma.ledgerEntry.findMany({ where: { memberId }, orderBy: { id: "asc" } })).map((e) => e.idempotencyKey);

describe("telling a birthday", () => {
  it("is done once, day and month, the year optional, and refuses dates that do not exist", async () => {
    const shop = await createShop(db.prisma);
    const a = await member(shop.id);
    expect(await setBirthday(db.prisma, a.id, { month: 2, day: 30 })).toBe("invalid_date");
    expect(await setBirthday(db.prisma, a.id, { month: 2, day: 29, year: 2001 })).toBe("invalid_date");
    expect(await setBirthday(db.prisma, a.id, { month: 6, day: 1, year: 2090 })).toBe("invalid_date");
    // February 29th without a year is a birthday like any other.
    expect(await setBirthday(db.prisma, a.id, { month: 2, day: 29 })).toBe("saved");
    expect(await setBirthday(db.prisma, a.id, { month: 3, day: 1 })).toBe("already_set");
    expect((await db.prisma.member.findUniqueOrThrow({ where: { id: a.id } })).birthday).toEqual(
      new Date("2000-02-29T00:00:00Z"),
    );
    const b = await member(shop.id);
    expect(await setBirthday(db.prisma, b.id, { month: 12, day: 31, year: 1990 })).toBe("saved");
  });
});

describe("birthday points", () => {
  it("come the shop's lead time before the birthday, in its time zone, once a year", async () => {
    const shop = await createShop(db.prisma, { rules: { BIRTHDAY: 200 }, settings: { birthdayLeadDays: 7 } });
    await db.prisma.shop.update({ where: { id: shop.id }, data: { ianaTimezone: "Asia/Tokyo" } });
    const m = await member(shop.id, new Date(Date.UTC(2000, 2, 15)));
    // March 8 begins in Tokyo at March 7, 15:00 UTC.
    expect(await awardBirthdays(db.prisma, new Date("2027-03-07T14:00:00Z"))).toBe(0);
    expect(await awardBirthdays(db.prisma, new Date("2027-03-07T16:00:00Z"))).toBe(1);
    expect(await awardBirthdays(db.prisma, new Date("2027-03-08T10:00:00Z"))).toBe(0);
    // A missed day is caught up; the key carries the birthday's year, so nothing doubles.
    expect(await awardBirthdays(db.prisma, new Date("2027-03-09T10:00:00Z"))).toBe(0);
    expect(await awardBirthdays(db.prisma, new Date("2028-03-09T10:00:00Z"))).toBe(1);
    expect(await ledgerKeys(m.id)).toEqual([`birthday:${m.id}:2027`, `birthday:${m.id}:2028`]);
    const entry = await db.prisma.ledgerEntry.findFirstOrThrow({ where: { memberId: m.id } });
    expect(entry).toMatchObject({ points: 200, source: "BIRTHDAY", reasonCode: "birthday" });
    expect((await db.prisma.member.findUniqueOrThrow({ where: { id: m.id } })).balance).toBe(400);
  });

  it("celebrate February 29th on the 28th in other years, and early January in the year before", async () => {
    const shop = await createShop(db.prisma, { rules: { BIRTHDAY: 100 }, settings: { birthdayLeadDays: 7 } });
    const leap = await member(shop.id, new Date(Date.UTC(2000, 1, 29)));
    const january = await member(shop.id, new Date(Date.UTC(1990, 0, 3)));
    expect(await awardBirthdays(db.prisma, new Date("2027-02-21T12:00:00Z"))).toBe(1); // Feb 28 − 7
    expect(await awardBirthdays(db.prisma, new Date("2028-02-22T12:00:00Z"))).toBe(1); // Feb 29 − 7
    expect(await ledgerKeys(leap.id)).toEqual([`birthday:${leap.id}:2027`, `birthday:${leap.id}:2028`]);
    // January 3rd, 7 days early, is December 27th of the year before: the 2027 birthday.
    expect(await awardBirthdays(db.prisma, new Date("2026-12-27T12:00:00Z"))).toBe(1);
    expect(await ledgerKeys(january.id)).toEqual([`birthday:${january.id}:2027`]);
  });

  it("carry a member over a POINTS tier threshold at once", async () => {
    const shop = await createShop(db.prisma, {
      rules: { BIRTHDAY: 500 },
      settings: { birthdayLeadDays: 0, tierMetric: "POINTS" },
    });
    const gold = await db.prisma.tier.create({ data: { shopId: shop.id, name: "Gold", position: 0, threshold: 400n } });
    const m = await member(shop.id, new Date(Date.UTC(2000, 4, 10)));
    expect(await awardBirthdays(db.prisma, new Date("2027-05-10T12:00:00Z"))).toBe(1);
    expect((await db.prisma.member.findUniqueOrThrow({ where: { id: m.id } })).tierId).toBe(gold.id);
  });
});

describe("a birthday gift to choose", () => {
  it("is offered on the gift day with the shop's gifts, chosen once, and issued as a code", async () => {
    const shop = await createShop(db.prisma, {
      rules: { BIRTHDAY: 200 },
      settings: { birthdayLeadDays: 3, birthdayGift: "CHOICE" },
    });
    const gifts = await Promise.all(
      [
        ["20% off", "PERCENTAGE"],
        ["Free shipping", "FREE_SHIPPING"],
      ].map(([name, type], position) =>
        db.prisma.reward.create({
          data: {
            shopId: shop.id,
            name: name!,
            type: type as "PERCENTAGE",
            trigger: "BIRTHDAY_GIFT",
            valuePercentBp: type === "PERCENTAGE" ? 2000 : null,
            codeExpiryDays: 30,
            position,
          },
        }),
      ),
    );
    const m = await member(shop.id, new Date(Date.UTC(2000, 9, 20)));
    const context = (await loadShopContext(db.prisma, { id: shop.id }))!;
    await expect(chooseBirthdayGift(db.prisma, context, m.id, gifts[0]!.id)).rejects.toBeInstanceOf(RedemptionError);

    const day = new Date("2027-10-17T12:00:00Z");
    expect(await awardBirthdays(db.prisma, day)).toBe(1);
    expect(await awardBirthdays(db.prisma, day)).toBe(0);
    // A choice, not points.
    expect(await db.prisma.ledgerEntry.count({ where: { memberId: m.id } })).toBe(0);
    const offer = await db.prisma.birthdayGift.findFirstOrThrow({ where: { memberId: m.id } });
    expect(offer).toMatchObject({ year: 2027, status: "OFFERED", rewardIds: gifts.map((g) => g.id) });
    expect(offer.expiresAt).toEqual(new Date("2027-11-19T00:00:00Z"));

    const stranger = await db.prisma.reward.create({
      data: { shopId: shop.id, name: "Not a gift", type: "FREE_SHIPPING", pointsCost: 10 },
    });
    await expect(chooseBirthdayGift(db.prisma, context, m.id, stranger.id, day)).rejects.toMatchObject({
      code: "reward_not_found",
    });
    const chosen = await chooseBirthdayGift(db.prisma, context, m.id, gifts[1]!.id, day);
    expect(chosen).toMatchObject({ memberId: m.id, rewardId: gifts[1]!.id, pointsSpent: 0, status: "PENDING" });
    expect(chosen.code).toMatch(/^CB-/);
    // Choosing again gives the first choice back; no second code.
    const again = await chooseBirthdayGift(db.prisma, context, m.id, gifts[0]!.id, day);
    expect(again.id).toBe(chosen.id);
    expect(await db.prisma.redemption.count({ where: { memberId: m.id } })).toBe(1);
    expect((await db.prisma.birthdayGift.findUniqueOrThrow({ where: { id: offer.id } })).status).toBe("CHOSEN");
  });

  it("lapses unchosen after the offer's end", async () => {
    const shop = await createShop(db.prisma, { settings: { birthdayLeadDays: 0, birthdayGift: "CHOICE" } });
    for (const position of [0, 1])
      await db.prisma.reward.create({
        data: { shopId: shop.id, name: `Gift ${position}`, type: "FREE_SHIPPING", trigger: "BIRTHDAY_GIFT", position },
      });
    const m = await member(shop.id, new Date(Date.UTC(2000, 0, 10)));
    await awardBirthdays(db.prisma, new Date("2027-01-10T12:00:00Z"));
    await awardBirthdays(db.prisma, new Date("2027-03-01T12:00:00Z"));
    expect((await db.prisma.birthdayGift.findFirstOrThrow({ where: { memberId: m.id } })).status).toBe("EXPIRED");
  });
});
