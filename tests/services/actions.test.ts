import { afterAll, beforeAll, describe, expect, it } from "vitest";
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
});
