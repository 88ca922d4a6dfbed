import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { refreshCampaignCollections } from "../../app/shopify/catalog.server";
import { invalidateShopContext, loadShopContext } from "../../app/services/shop-context";
import { startAdminStandin, type AdminStandin } from "../../scripts/shopify-standin/admin-api";
import { STANDIN_PRODUCTS } from "../../scripts/shopify-standin/catalog";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { createShop } from "../support/seed";

/**
 * A campaign on a collection earns on the collection's products: the background job reads
 * them from the Admin API (the stand-in's catalogue) and the shop's campaigns then name
 * them, so an order's lines can be matched without asking Shopify on the webhook's path.
 */
let db: TestDatabase;
let standin: AdminStandin;

beforeAll(async () => {
  db = await createTestDatabase();
  standin = await startAdminStandin({ accessToken: "offline-token" });
});
afterAll(async () => {
  await standin?.close();
  await db?.close();
});

async function shopWithCampaign(collectionIds: string[], endsInDays = 5) {
  const shop = await createShop(db.prisma);
  await db.prisma.shop.update({ where: { id: shop.id }, data: { adminApiUrl: standin.endpoint(shop.domain) } });
  await db.prisma.session.create({
    data: {
      id: `offline_${shop.domain}`,
      shop: shop.domain,
      state: "s",
      isOnline: false,
      accessToken: "offline-token",
    },
  });
  const now = Date.now();
  const campaign = await db.prisma.campaign.create({
    data: {
      shopId: shop.id,
      name: "Green tea week",
      multiplierBp: 20_000,
      startsAt: new Date(now - 86_400_000),
      endsAt: new Date(now + endsInDays * 86_400_000),
      collectionIds,
    },
  });
  return { shop, campaign };
}

const inCollection = (id: number) =>
  STANDIN_PRODUCTS.filter((p) => p.collections.includes(id)).map((p) => String(p.id));

describe("campaign collections", () => {
  it("reads each collection's products from Shopify, and the shop's campaign then covers them", async () => {
    const { shop, campaign } = await shopWithCampaign(["5001", "5003"]);
    expect(await refreshCampaignCollections(db.prisma, shop.id)).toBe(1);

    const stored = await db.prisma.campaign.findUniqueOrThrow({ where: { id: campaign.id } });
    const expected = [...inCollection(5001), ...inCollection(5003)];
    expect(expected.length).toBeGreaterThan(2);
    expect([...stored.collectionProductIds].sort()).toEqual([...expected].sort());
    expect(stored.collectionsReadAt).not.toBeNull();

    invalidateShopContext({ id: shop.id });
    const context = await loadShopContext(db.prisma, { id: shop.id });
    expect(context?.campaigns[0]?.productIds).toEqual(expect.arrayContaining(expected));
    // A product of another collection is not part of it.
    expect(context?.campaigns[0]?.productIds).not.toContain(inCollection(5002)[0]);
  });

  it("does not ask Shopify again within the hour, nor for campaigns that ended or target no collection", async () => {
    const { shop } = await shopWithCampaign(["5002"]);
    expect(await refreshCampaignCollections(db.prisma, shop.id)).toBe(1);
    const calls = (await (await fetch(`${standin.url}/__standin/state`)).json()) as { requests: number };
    expect(await refreshCampaignCollections(db.prisma, shop.id)).toBe(0);

    const ended = await shopWithCampaign(["5001"], -1);
    expect(await refreshCampaignCollections(db.prisma, ended.shop.id)).toBe(0);
    const after = (await (await fetch(`${standin.url}/__standin/state`)).json()) as { requests: number };
    expect(after.requests).toBe(calls.requests);
  });
});
