import type { PrismaClient } from "../../app/generated/prisma/client";
import { postEntry } from "../../app/services/ledger";
import type { AdminStandin } from "../../scripts/shopify-standin/admin-api";
import { startStorefront, type RunningStorefront } from "../../scripts/storefront/server";
import { standinStorefrontData } from "../../scripts/storefront/standin-data";
import type { TestApp } from "./app";
import { TEST_SECRET } from "./shopify";

/** A member holding `points`, credited by a staff adjustment, as the storefront tests start from. */
export async function memberWithPoints(
  prisma: PrismaClient,
  shopId: string,
  shopper: { customerId: number; firstName: string; points: number },
) {
  const member = await prisma.member.create({
    data: {
      shopId,
      customerId: BigInt(shopper.customerId),
      firstName: shopper.firstName,
      referralCode: `${shopper.firstName.toUpperCase()}2026`,
    },
  });
  await postEntry(prisma, {
    shopId,
    memberId: member.id,
    points: shopper.points,
    kind: "EARN",
    source: "ADMIN",
    reason: { code: "adjustment", params: { note: "Welcome" } },
    idempotencyKey: `seed:${shopper.customerId}`,
  });
  return member;
}

/** The local storefront "Tea Shop" in front of the test app, reading what the app synced to the stand-in. */
export function startTestStorefront(
  app: TestApp,
  standin: AdminStandin,
  shop: string,
  shoppers: Array<{ id: number; name: string }>,
): Promise<RunningStorefront> {
  return startStorefront({
    appUrl: app.server.url,
    secret: TEST_SECRET,
    apiKey: "test-api-key",
    shop,
    shopName: "Tea Shop",
    currency: "USD",
    data: standinStorefrontData(`${standin.url}/__standin/state`, async () => shoppers),
  });
}
