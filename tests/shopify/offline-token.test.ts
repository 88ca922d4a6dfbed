import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postEntry } from "../../app/services/ledger";
import { reserveRedemption } from "../../app/services/rewards";
import { loadShopContext } from "../../app/services/shop-context";
import { adminClientForShop } from "../../app/shopify/admin-api.server";
import { syncShopById } from "../../app/shopify/customer-sync.server";
import { offlineAccessToken } from "../../app/shopify/offline-token.server";
import { retryPendingRedemptions } from "../../app/shopify/redemption.server";
import { startAdminStandin, type AdminStandin } from "../../scripts/shopify-standin/admin-api";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { createShop } from "../support/seed";

/**
 * Expiring offline tokens, outside a request: jobs and retries get a fresh token through
 * the refresh exchange before calling the Admin API, instead of failing with 401 once a
 * quiet shop's token has expired. Regression: the sync job and redemption retries used
 * the stored token as it was, and treated Shopify's 401 as final.
 */
let db: TestDatabase;
let standin: AdminStandin;

beforeAll(async () => {
  db = await createTestDatabase();
  // The credentials vitest.config.ts gives the app.
  standin = await startAdminStandin({ clientId: "test-api-key", clientSecret: "test-api-secret" });
});
afterAll(async () => {
  await standin?.close();
  await db?.close();
});

/** A live shop whose stored offline token expired an hour ago. */
async function shopWithExpiredToken() {
  const shop = await createShop(db.prisma);
  await db.prisma.shop.update({ where: { id: shop.id }, data: { adminApiUrl: standin.endpoint(shop.domain) } });
  const issued = standin.issueExpiringToken();
  standin.expireToken(issued.accessToken);
  await db.prisma.session.create({
    data: {
      id: `offline_${shop.domain}`,
      shop: shop.domain,
      state: "",
      isOnline: false,
      accessToken: issued.accessToken,
      expires: new Date(Date.now() - 3600_000),
      refreshToken: issued.refreshToken,
      refreshTokenExpires: new Date(Date.now() + 29 * 24 * 3600_000),
    },
  });
  return { shop, issued };
}

async function storedSession(shop: string) {
  return db.prisma.session.findUniqueOrThrow({ where: { id: `offline_${shop}` } });
}

describe("expiring offline tokens outside a request", () => {
  it("a sync job refreshes the expired token, stores the new pair, and pushes to Shopify", async () => {
    const { shop, issued } = await shopWithExpiredToken();
    const member = await db.prisma.member.create({
      data: { shopId: shop.id, customerId: 77_001n, referralCode: "TOK1" },
    });
    await postEntry(db.prisma, {
      shopId: shop.id,
      memberId: member.id,
      points: 250,
      kind: "EARN",
      source: "ADMIN",
      reason: { code: "adjustment", params: { note: "seed" } },
      idempotencyKey: "tok:1",
    });
    const before = standin.refreshes;

    const stats = await syncShopById(db.prisma, shop.id);
    expect(stats.skipped).toBeUndefined();
    expect(stats.members).toBe(1);
    expect(standin.metafields.get(`gid://shopify/Customer/77001|$app:loyalty|balance`)?.value).toBe("250");
    expect(standin.refreshes - before).toBe(1);

    const session = await storedSession(shop.domain);
    expect(session.accessToken).not.toBe(issued.accessToken);
    expect(session.refreshToken).not.toBe(issued.refreshToken);
    expect(session.expires!.getTime()).toBeGreaterThan(Date.now() + 50 * 60_000);
    expect(session.refreshTokenExpires!.getTime()).toBeGreaterThan(Date.now() + 29 * 24 * 3600_000);
  });

  it("a redemption retry job issues the code with a refreshed token", async () => {
    const { shop } = await shopWithExpiredToken();
    const reward = await db.prisma.reward.create({
      data: {
        shopId: shop.id,
        name: "$5 off",
        type: "FIXED_AMOUNT",
        pointsCost: 500,
        valueMinor: 500,
        currency: "USD",
      },
    });
    const member = await db.prisma.member.create({
      data: { shopId: shop.id, customerId: 77_002n, referralCode: "TOK2" },
    });
    await postEntry(db.prisma, {
      shopId: shop.id,
      memberId: member.id,
      points: 600,
      kind: "EARN",
      source: "ADMIN",
      reason: { code: "adjustment", params: { note: "seed" } },
      idempotencyKey: "tok:2",
    });
    // Reserved while Shopify was unreachable: PENDING, with the points held.
    const context = (await loadShopContext(db.prisma, { id: shop.id }))!;
    const pending = await reserveRedemption(db.prisma, context, { customerId: 77_002n, rewardId: reward.id });
    await db.prisma.redemption.update({
      where: { id: pending.id },
      data: { updatedAt: new Date(Date.now() - 3600_000) },
    });

    expect(await retryPendingRedemptions(db.prisma)).toBe(1);
    const issued = await db.prisma.redemption.findUniqueOrThrow({ where: { id: pending.id } });
    expect(issued.status).toBe("ISSUED");
    expect(standin.discounts.map((d) => d.code)).toContain(issued.code);
  });

  it("concurrent jobs on several connections spend the refresh token once and share the new token", async () => {
    const { shop } = await shopWithExpiredToken();
    const before = standin.refreshes;
    const shopRow = { domain: shop.domain, adminApiUrl: standin.endpoint(shop.domain) };
    const tokens = await Promise.all(Array.from({ length: 6 }, () => offlineAccessToken(db.prisma, shopRow)));
    expect(new Set(tokens).size).toBe(1);
    expect(standin.refreshes - before).toBe(1);
  });

  it("a token Shopify refuses before its recorded expiry is refreshed once and the call retried", async () => {
    const { shop } = await shopWithExpiredToken();
    const admin = (await adminClientForShop(db.prisma, shop.domain))!;
    const { accessToken } = await storedSession(shop.domain);
    // Revoked or expired early: the stored expiry still looks fine.
    standin.expireToken(accessToken);
    const before = standin.refreshes;
    const data = await admin.requestUntyped<{ shop: { currencyCode: string } }>("query { shop { currencyCode } }");
    expect(data.shop.currencyCode).toBe("USD");
    expect(standin.refreshes - before).toBe(1);
  });

  it("a spent refresh token ends in an auth error the caller sees, not a loop", async () => {
    const { shop, issued } = await shopWithExpiredToken();
    // Spend it elsewhere, as a second install of the app would.
    await fetch(`${new URL(standin.endpoint(shop.domain)).origin}/admin/oauth/access_token`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        client_id: "test-api-key",
        client_secret: "test-api-secret",
        refresh_token: issued.refreshToken,
        grant_type: "refresh_token",
      }),
    });
    await expect(adminClientForShop(db.prisma, shop.domain)).rejects.toMatchObject({
      name: "AdminApiError",
      kind: "auth",
    });
  });
});
