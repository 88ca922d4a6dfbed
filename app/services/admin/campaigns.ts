import { z } from "zod";
import { DAY_MS } from "../../domain/time";
import type { Prisma } from "../../generated/prisma/client";
import { inTransaction, type Db } from "../../platform/database/db";
import { invalidateShopContext, type ShopContext } from "../shop-context";
import { changes, checkbox, FormErrors, NotFoundError, recordActivity, text, type Form } from "./forms";
import { translationsFrom } from "./rewards";

/**
 * Bonus campaigns (the seeds' time-limited promotions): a points multiplier over whole
 * days in the shop's time zone, on every product or on chosen products and collections
 * (picked in the admin with Shopify's resource picker). Products of the collections are
 * read from Shopify after saving, so earning needs no call to Shopify.
 */

const campaignSchema = z.object({
  name: text(80),
  multiplier: z
    .string()
    .trim()
    .transform((v) => Number(v.replace(",", ".")))
    .pipe(
      z
        .number({ error: "validation.multiplier" })
        .min(1.1, { error: "validation.multiplier" })
        .max(10, { error: "validation.multiplier" }),
    ),
  startsAt: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: "validation.date" }),
  endsAt: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: "validation.date" }),
  enabled: checkbox,
});

/** Shopify ids from the picker: "gid://shopify/Product/123" or "123", comma-separated. */
function ids(raw: string | undefined, kind: "Product" | "Collection", field: string, errors: FormErrors): string[] {
  const list: string[] = [];
  for (const part of (raw ?? "")
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean)) {
    const match = new RegExp(`^(?:gid://shopify/${kind}/)?(\\d{1,20})$`).exec(part);
    if (!match) errors.add(field, "validation.invalid");
    else list.push(match[1]!);
  }
  if (list.length > 250) errors.add(field, "validation.tooMany");
  return [...new Set(list)];
}

/** The instant of midnight at the UTC date of `day`, in `timeZone`. */
export function localMidnight(day: Date, timeZone: string): Date {
  const probe = new Date(day.getTime() + 12 * 3600_000);
  const local = new Date(probe.toLocaleString("en-US", { timeZone }));
  const utc = new Date(probe.toLocaleString("en-US", { timeZone: "UTC" }));
  return new Date(day.getTime() - (local.getTime() - utc.getTime()));
}

export async function saveCampaign(db: Db, shop: ShopContext, form: Form, actor: string, campaignId?: string) {
  const errors = new FormErrors();
  const input = errors.parse(campaignSchema, form);
  const names = translationsFrom(form, shop.settings.defaultLanguage, errors);
  const productIds = ids(form.productIds, "Product", "productIds", errors);
  const collectionIds = ids(form.collectionIds, "Collection", "collectionIds", errors);
  const startDay = input ? new Date(`${input.startsAt}T00:00:00Z`) : null;
  const endDay = input ? new Date(`${input.endsAt}T00:00:00Z`) : null;
  if (startDay && Number.isNaN(startDay.getTime())) errors.add("startsAt", "validation.date");
  if (endDay && (Number.isNaN(endDay.getTime()) || (startDay && endDay < startDay)))
    errors.add("endsAt", "validation.endBeforeStart");
  errors.throwIfAny();
  const valid = input!;
  // Whole local days: from the start day's midnight to the end of the end day.
  const data = {
    name: valid.name,
    names,
    multiplierBp: Math.round(valid.multiplier * 10_000),
    startsAt: localMidnight(startDay!, shop.timezone),
    endsAt: localMidnight(new Date(endDay!.getTime() + DAY_MS), shop.timezone),
    productIds,
    collectionIds,
    enabled: campaignId ? valid.enabled : true,
  };
  try {
    return await inTransaction(db, async (tx) => {
      const before = campaignId ? await tx.campaign.findFirst({ where: { id: campaignId, shopId: shop.id } }) : null;
      if (campaignId && !before) throw new NotFoundError("campaign");
      const collectionsChanged = !before || before.collectionIds.join() !== collectionIds.join();
      const write = { ...data, ...(collectionsChanged ? { collectionProductIds: [], collectionsReadAt: null } : {}) };
      const campaign = before
        ? await tx.campaign.update({ where: { id: before.id }, data: write })
        : await tx.campaign.create({ data: { ...write, shopId: shop.id } });
      await recordActivity(tx, shop.id, {
        actor,
        action: before ? "campaign.updated" : "campaign.created",
        subject: campaign.name,
        details: (before
          ? changes(before, data)
          : { multiplierBp: campaign.multiplierBp, from: valid.startsAt, to: valid.endsAt }) as Prisma.InputJsonValue,
      });
      return campaign;
    });
  } finally {
    invalidateShopContext({ id: shop.id });
  }
}

export async function deleteCampaign(db: Db, shop: ShopContext, campaignId: string, actor: string) {
  try {
    await inTransaction(db, async (tx) => {
      const campaign = await tx.campaign.findFirst({ where: { id: campaignId, shopId: shop.id } });
      if (!campaign) throw new NotFoundError("campaign");
      await tx.campaign.delete({ where: { id: campaignId } });
      await recordActivity(tx, shop.id, { actor, action: "campaign.deleted", subject: campaign.name });
    });
  } finally {
    invalidateShopContext({ id: shop.id });
  }
}

/** Campaigns not long over, newest first. */
export function listCampaigns(db: Db, shop: ShopContext, now = new Date()) {
  return db.campaign.findMany({
    where: { shopId: shop.id, endsAt: { gt: new Date(now.getTime() - 90 * DAY_MS) } },
    orderBy: { startsAt: "desc" },
  });
}

export async function findCampaign(db: Db, shop: ShopContext, campaignId: string) {
  const campaign = await db.campaign.findFirst({ where: { id: campaignId, shopId: shop.id } });
  if (!campaign) throw new NotFoundError("campaign");
  return campaign;
}

/** Campaigns whose collections' products must be read from Shopify (new, or read over an hour ago). */
export function campaignsNeedingCollections(db: Db, shopId: string, now = new Date()) {
  return db.campaign.findMany({
    where: {
      shopId,
      enabled: true,
      endsAt: { gt: now },
      collectionIds: { isEmpty: false },
      OR: [{ collectionsReadAt: null }, { collectionsReadAt: { lt: new Date(now.getTime() - 3600_000) } }],
    },
  });
}

/** Stores what Shopify says a campaign's collections hold. */
export async function storeCollectionProducts(db: Db, campaignId: string, productIds: string[], at = new Date()) {
  await db.campaign.update({
    where: { id: campaignId },
    data: { collectionProductIds: [...new Set(productIds)], collectionsReadAt: at },
  });
}
