import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { awardBirthdays } from "../../app/services/actions";
import { enrollMember, refreshMemberProfile } from "../../app/services/members";
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

async function context(shopId: string) {
  return (await loadShopContext(db.prisma, { id: shopId }))!;
}

describe("non-purchase actions", () => {
  it("newsletter points once, when consent is given at signup or later", async () => {
    const shop = await createShop(db.prisma, { rules: { NEWSLETTER: 40 } });
    const ctx = await context(shop.id);
    const { member } = await db.prisma.$transaction((tx) =>
      enrollMember(tx, ctx, { customerId: 1n, email: "a@x.io", via: "admin" }),
    );
    expect(member.balance).toBe(0);
    const profile = { customerId: 1n, email: "a@x.io", firstName: null, locale: null, emailConsent: true };
    await db.prisma.$transaction((tx) => refreshMemberProfile(tx, ctx, profile));
    await db.prisma.$transaction((tx) => refreshMemberProfile(tx, ctx, { ...profile, emailConsent: false }));
    await db.prisma.$transaction((tx) => refreshMemberProfile(tx, ctx, profile));
    expect((await db.prisma.member.findUniqueOrThrow({ where: { id: member.id } })).balance).toBe(40);
  });

  it("birthday points on the day in the shop's time zone, once a year", async () => {
    const shop = await createShop(db.prisma, { rules: { BIRTHDAY: 200 } });
    await db.prisma.shop.update({ where: { id: shop.id }, data: { ianaTimezone: "Asia/Tokyo" } });
    const member = await db.prisma.member.create({
      data: { shopId: shop.id, customerId: 2n, referralCode: "BDAY", birthday: new Date(Date.UTC(2000, 2, 15)) },
    });
    // 14 March 16:00 UTC is already 15 March 01:00 in Tokyo.
    expect(await awardBirthdays(db.prisma, new Date("2027-03-14T14:00:00Z"))).toBe(0);
    expect(await awardBirthdays(db.prisma, new Date("2027-03-14T16:00:00Z"))).toBe(1);
    expect(await awardBirthdays(db.prisma, new Date("2027-03-15T10:00:00Z"))).toBe(0);
    expect(await awardBirthdays(db.prisma, new Date("2028-03-15T10:00:00Z"))).toBe(1);
    const entries = await db.prisma.ledgerEntry.findMany({ where: { memberId: member.id } });
    expect(entries.map((e) => e.idempotencyKey).sort()).toEqual([
      `birthday:${member.id}:2027`,
      `birthday:${member.id}:2028`,
    ]);
    expect((await db.prisma.member.findUniqueOrThrow({ where: { id: member.id } })).balance).toBe(400);
  });
});
