import type { EarningAction, Prisma, PrismaClient } from "../../app/generated/prisma/client";

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
