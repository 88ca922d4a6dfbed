import { z } from "zod";
import { inTransaction, type Db } from "../../platform/database/db";
import { invalidateShopContext, type ShopContext } from "../shop-context";
import { checkbox, FormErrors, NotFoundError, recordActivity, type Form } from "./forms";
import { REVIEW_PROVIDERS } from "../../domain/program-catalog";

/**
 * Review apps the merchant connects: which app, the secret it signs with (or the token
 * Comeback gives it), and whether it is on. Reviews earn only while one is connected, so
 * the storefront offers review points only then.
 */

const providerSchema = z.object({
  provider: z.enum(REVIEW_PROVIDERS, { error: "validation.invalid" }),
  secret: z
    .string()
    .trim()
    .min(8, { error: "validation.secretShort" })
    .max(200, { error: "validation.tooLong" })
    .regex(/^[\x21-\x7e]+$/, { error: "validation.secretChars" }),
  enabled: checkbox,
});

export async function saveReviewProvider(db: Db, shop: ShopContext, form: Form, actor: string) {
  const errors = new FormErrors();
  const input = errors.parse(providerSchema, form);
  if (input?.provider === "okendo" && !/^whsec_[A-Za-z0-9+/=]+$/.test(input.secret))
    errors.add("secret", "validation.svixSecret");
  errors.throwIfAny();
  const { provider, secret, enabled } = input!;
  try {
    await inTransaction(db, async (tx) => {
      const before = await tx.reviewProviderConfig.findUnique({
        where: { shopId_provider: { shopId: shop.id, provider } },
      });
      await tx.reviewProviderConfig.upsert({
        where: { shopId_provider: { shopId: shop.id, provider } },
        create: { shopId: shop.id, provider, secret, enabled },
        update: { secret, enabled },
      });
      // The secret itself never goes into the log.
      await recordActivity(tx, shop.id, {
        actor,
        action: before ? "reviews.updated" : "reviews.connected",
        subject: provider,
        details: { enabled, secretChanged: before ? before.secret !== secret : true },
      });
    });
  } finally {
    invalidateShopContext({ id: shop.id });
  }
}

export async function deleteReviewProvider(db: Db, shop: ShopContext, provider: string, actor: string) {
  try {
    await inTransaction(db, async (tx) => {
      const deleted = await tx.reviewProviderConfig.deleteMany({ where: { shopId: shop.id, provider } });
      if (deleted.count === 0) throw new NotFoundError("provider");
      await recordActivity(tx, shop.id, { actor, action: "reviews.disconnected", subject: provider });
    });
  } finally {
    invalidateShopContext({ id: shop.id });
  }
}

export async function reviewProvider(db: Db, shop: ShopContext, provider: string) {
  const config = await db.reviewProviderConfig.findUnique({
    where: { shopId_provider: { shopId: shop.id, provider } },
  });
  if (!config) throw new NotFoundError("provider");
  return config;
}

/** Each connected app with its last delivery, so the merchant sees that reviews arrive. */
export async function reviewProviders(db: Db, shop: ShopContext) {
  const configs = await db.reviewProviderConfig.findMany({ where: { shopId: shop.id }, orderBy: { provider: "asc" } });
  return Promise.all(
    configs.map(async (config) => {
      const last = await db.webhookEvent.findFirst({
        where: { shopId: shop.id, topic: `reviews/${config.provider}` },
        orderBy: { receivedAt: "desc" },
        select: { receivedAt: true, status: true, error: true },
      });
      return { provider: config.provider, enabled: config.enabled, secret: config.secret, last };
    }),
  );
}
