import type { EarningAction, Prisma, PrismaClient } from "../../app/generated/prisma/client";
import { seedDefaultProgram } from "../../app/services/defaults";

let counter = 0;

export async function createShop(
  prisma: PrismaClient,
  options: {
    domain?: string;
    currency?: string;
    live?: boolean;
    settings?: Partial<Prisma.ShopSettingsUncheckedCreateWithoutShopInput>;
    rules?: Partial<Record<EarningAction, number>>;
  } = {},
) {
  counter += 1;
  const domain =
    options.domain ?? `shop-${process.pid}-${counter}-${Math.random().toString(36).slice(2, 8)}.myshopify.com`;
  return prisma.shop.create({
    data: {
      domain,
      currency: options.currency ?? "USD",
      programStatus: options.live === false ? "DRAFT" : "LIVE",
      settings: { create: { ...options.settings } },
      earningRules: {
        create: Object.entries(options.rules ?? {}).map(([action, points]) => ({
          action: action as EarningAction,
          points: points!,
        })),
      },
    },
  });
}

/**
 * A live shop with the default program, whose Admin API is the stand-in at `endpoint`
 * and whose offline session holds the stand-in's token: what most end-to-end tests need.
 */
export async function createStandinShop(
  prisma: PrismaClient,
  endpoint: (shop: string) => string,
  options: { currency?: string; settings?: Partial<Prisma.ShopSettingsUncheckedCreateWithoutShopInput> } = {},
) {
  const shop = await createShop(prisma, {
    live: true,
    currency: options.currency ?? "USD",
    settings: options.settings,
  });
  await prisma.$transaction((tx) => seedDefaultProgram(tx, shop.id, options.currency ?? "USD", "en"));
  await prisma.shop.update({ where: { id: shop.id }, data: { adminApiUrl: endpoint(shop.domain) } });
  await prisma.session.create({
    data: {
      id: `offline_${shop.domain}`,
      shop: shop.domain,
      state: "s",
      isOnline: false,
      accessToken: "offline-token",
    },
  });
  return shop;
}

/**
 * A member with a balance their ledger accounts for (one seed entry), as the admin tests
 * need one: a random customer id and email unless given.
 */
export async function createMember(
  prisma: PrismaClient,
  shopId: string,
  options: { balance?: number } & Partial<Prisma.MemberUncheckedCreateInput> = {},
) {
  const { balance = 0, ...data } = options;
  counter += 1;
  const created = await prisma.member.create({
    data: {
      shopId,
      customerId: BigInt(Math.floor(Math.random() * 1e12)),
      referralCode: `M${counter}${Math.random().toString(36).slice(2, 8)}`,
      email: `member${counter}.${Math.random().toString(36).slice(2, 8)}@example.com`,
      ...data,
    },
  });
  if (balance) {
    await prisma.ledgerEntry.create({
      data: {
        shopId,
        memberId: created.id,
        points: balance,
        kind: "EARN",
        source: "ADMIN",
        reason: "seed",
        idempotencyKey: `seed:${created.id}`,
      },
    });
    return prisma.member.update({ where: { id: created.id }, data: { balance } });
  }
  return created;
}
