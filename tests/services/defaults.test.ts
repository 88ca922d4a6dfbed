import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultProgram, seedDefaultProgram } from "../../app/services/defaults";
import { createTestDatabase, type TestDatabase } from "../support/database";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.close();
});

describe("default program", () => {
  it("scales earning, tier thresholds and the fixed reward to the shop's currency", () => {
    const usd = defaultProgram("USD", "en");
    expect(usd.settings).toMatchObject({ earnPoints: 1, earnSpendMinor: 100 });
    expect(usd.tiers.map((t) => [t.name, t.threshold])).toEqual([
      ["Bronze", 0n],
      ["Silver", 30_000n],
      ["Gold", 100_000n],
    ]);
    expect(usd.rewards[0]).toMatchObject({ name: "$5 off", valueMinor: 500, currency: "USD", pointsCost: 500 });

    // Roubles: 100 RUB is about a dollar; 2 minor digits.
    const rub = defaultProgram("RUB", "ru");
    expect(rub.settings).toMatchObject({ earnSpendMinor: 10_000, defaultLanguage: "ru" });
    expect(rub.tiers.map((t) => [t.name, t.threshold])).toEqual([
      ["Бронза", 0n],
      ["Серебро", 3_000_000n],
      ["Золото", 10_000_000n],
    ]);
    expect(rub.rewards[0]!.name).toBe("Скидка 500\u00a0₽");
    // Every name comes in the program's other language too, for English-speaking shoppers.
    expect(rub.rewards[0]!.names).toEqual({ en: "RUB\u00a0500 off" });
    expect(rub.tiers[2]!.names).toEqual({ en: "Gold" });
    expect(usd.tiers[2]!.names).toEqual({ ru: "Золото" });

    // Yen have no minor unit.
    const jpy = defaultProgram("JPY", "en");
    expect(jpy.settings.earnSpendMinor).toBe(150);
    expect(jpy.tiers[1]!.threshold).toBe(45_000n);
    expect(jpy.rewards[0]!.valueMinor).toBe(750);
  });

  it("gives tiers rising multipliers and perks, and tags a merchant can segment on", () => {
    const { tiers } = defaultProgram("EUR", "en");
    expect(tiers.map((t) => t.multiplierBp)).toEqual([10_000, 12_500, 15_000]);
    expect(tiers.map((t) => [t.earlyAccess, t.freeShipping])).toEqual([
      [false, false],
      [true, false],
      [true, true],
    ]);
    expect(new Set(tiers.map((t) => t.customerTag)).size).toBe(3);
  });

  it("is written once for a new shop and never over a program the shop already has", async () => {
    const shop = await db.prisma.shop.create({
      data: { domain: "defaults-1.myshopify.com", currency: "RUB", settings: { create: {} } },
    });
    expect(await db.prisma.$transaction((tx) => seedDefaultProgram(tx, shop.id, "RUB", "ru"))).toBe(true);
    expect(await db.prisma.$transaction((tx) => seedDefaultProgram(tx, shop.id, "RUB", "ru"))).toBe(false);
    expect(await db.prisma.tier.count({ where: { shopId: shop.id } })).toBe(3);
    expect(await db.prisma.reward.count({ where: { shopId: shop.id } })).toBe(3);
    const settings = await db.prisma.shopSettings.findUniqueOrThrow({ where: { shopId: shop.id } });
    expect(settings).toMatchObject({ earnSpendMinor: 10_000, expiryInactivityDays: 365, defaultLanguage: "ru" });
    // A draft: nothing is live before the merchant launches it.
    expect((await db.prisma.shop.findUniqueOrThrow({ where: { id: shop.id } })).programStatus).toBe("DRAFT");

    const configured = await db.prisma.shop.create({
      data: {
        domain: "defaults-2.myshopify.com",
        settings: { create: {} },
        tiers: { create: { name: "Mine", position: 0, threshold: 1n } },
      },
    });
    expect(await db.prisma.$transaction((tx) => seedDefaultProgram(tx, configured.id, "USD", "en"))).toBe(false);
    expect(await db.prisma.reward.count({ where: { shopId: configured.id } })).toBe(0);
  });
});
