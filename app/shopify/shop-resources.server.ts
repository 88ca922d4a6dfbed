import type { PrismaClient, Tier } from "../generated/prisma/client";
import type { Db } from "../platform/database/db";
import { logger } from "../platform/logger.server";
import { AdminApiError, type AdminGraphql } from "./admin-api.server";
import { tierTag } from "../domain/tiers";

/**
 * Objects Comeback creates once per shop in Shopify and keeps in step with the program:
 *
 * - the customer segment "customers without orders", which limits a referred friend's
 *   first-order code to new customers;
 * - for each tier with free shipping, a segment of the tier's customers (by the tier tag
 *   the customer sync writes) and an automatic free-shipping discount for that segment, so
 *   the perk applies at checkout by itself.
 *
 * Each is recorded in ShopifyResource under the app's own key with a signature of what it
 * was made from: unchanged objects are left alone, changed ones updated, orphans deleted.
 */

export const SEGMENT_CREATE = `#graphql
  mutation ComebackSegmentCreate($name: String!, $query: String!) {
    segmentCreate(name: $name, query: $query) {
      segment { id }
      userErrors { field message }
    }
  }
`;

export const SEGMENT_UPDATE = `#graphql
  mutation ComebackSegmentUpdate($id: ID!, $name: String, $query: String) {
    segmentUpdate(id: $id, name: $name, query: $query) {
      segment { id }
      userErrors { field message }
    }
  }
`;

export const SEGMENTS_NAMED = `#graphql
  query ComebackSegmentsNamed($query: String!) {
    segments(first: 10, query: $query) {
      nodes { id name }
    }
  }
`;

export const AUTOMATIC_FREE_SHIPPING_CREATE = `#graphql
  mutation ComebackAutomaticFreeShippingCreate($discount: DiscountAutomaticFreeShippingInput!) {
    discountAutomaticFreeShippingCreate(freeShippingAutomaticDiscount: $discount) {
      automaticDiscountNode { id }
      userErrors { field message code }
    }
  }
`;

export const AUTOMATIC_FREE_SHIPPING_UPDATE = `#graphql
  mutation ComebackAutomaticFreeShippingUpdate($id: ID!, $discount: DiscountAutomaticFreeShippingInput!) {
    discountAutomaticFreeShippingUpdate(id: $id, freeShippingAutomaticDiscount: $discount) {
      automaticDiscountNode { id }
      userErrors { field message code }
    }
  }
`;

export const AUTOMATIC_DISCOUNT_DELETE = `#graphql
  mutation ComebackAutomaticDiscountDelete($id: ID!) {
    discountAutomaticDelete(id: $id) {
      deletedAutomaticDiscountId
      userErrors { field message code }
    }
  }
`;

export const NEW_CUSTOMERS_SEGMENT = "segment:new-customers";

function refused(what: string, errors: Array<{ message: string }> | undefined | null): never {
  throw new AdminApiError("graphql", `${what} refused: ${errors?.[0]?.message ?? "no payload"}`);
}

/** The shop's segment with exactly this name, given `query`; null if there is none. */
async function adoptSegment(admin: AdminGraphql, name: string, query: string): Promise<string | null> {
  const found = await admin.request(SEGMENTS_NAMED, { query: `name:"${name.replace(/"/g, '\\"')}"` });
  const existing = found.segments.nodes.find((segment) => segment.name === name);
  if (!existing) return null;
  const updated = await admin.request(SEGMENT_UPDATE, { id: existing.id, name, query });
  return updated.segmentUpdate?.segment?.id ?? null;
}

/** A segment by the app's key, created or brought up to date. Returns its GID. */
export async function ensureSegment(
  db: Db,
  admin: AdminGraphql,
  input: { shopId: string; key: string; name: string; query: string },
): Promise<string> {
  const known = await db.shopifyResource.findUnique({
    where: { shopId_key: { shopId: input.shopId, key: input.key } },
  });
  const signature = `${input.name}|${input.query}`;
  if (known?.signature === signature) return known.gid;
  if (known) {
    const result = await admin.request(SEGMENT_UPDATE, { id: known.gid, name: input.name, query: input.query });
    const payload = result.segmentUpdate;
    if (!payload?.segment) refused("segmentUpdate", payload?.userErrors);
  } else {
    const result = await admin.request(SEGMENT_CREATE, { name: input.name, query: input.query });
    const payload = result.segmentCreate;
    // Segment names are unique per shop: one left from an earlier install is taken over.
    const id = payload?.segment?.id ?? (await adoptSegment(admin, input.name, input.query));
    if (!id) refused("segmentCreate", payload?.userErrors);
    await db.shopifyResource.create({ data: { shopId: input.shopId, key: input.key, gid: id, signature } });
    return id;
  }
  await db.shopifyResource.update({
    where: { shopId_key: { shopId: input.shopId, key: input.key } },
    data: { signature },
  });
  return known.gid;
}

/** The segment a referred friend's code is limited to. */
export function newCustomersSegment(db: Db, admin: AdminGraphql, shopId: string): Promise<string> {
  return ensureSegment(db, admin, {
    shopId,
    key: NEW_CUSTOMERS_SEGMENT,
    name: "Comeback: customers without orders",
    query: "number_of_orders = 0",
  });
}

/** Shopify's segment query for customers carrying a tag. */
function taggedQuery(tag: string): string {
  return `customer_tags CONTAINS '${tag.replace(/'/g, "\\'")}'`;
}

/**
 * Tier free shipping as a real perk: one automatic free-shipping discount per tier that
 * offers it, for the segment of customers with the tier's tag (members of the tier and
 * of no other tier have it, as the customer sync keeps one tier tag per customer).
 * Returns how many objects were created, updated or deleted.
 */
export async function syncTierPerks(db: PrismaClient, shopId: string, tiers: Tier[], admin: AdminGraphql) {
  let changed = 0;
  const wanted = tiers.filter((tier) => tier.freeShipping);
  for (const tier of wanted) {
    const tag = tierTag(tier);
    const segmentId = await ensureSegment(db, admin, {
      shopId,
      key: `segment:tier:${tier.id}`,
      name: `Comeback: ${tier.name} members`,
      query: taggedQuery(tag),
    });
    const key = `discount:tier-shipping:${tier.id}`;
    const discount = {
      title: `Comeback: free shipping for ${tier.name} members`,
      startsAt: new Date(0).toISOString(),
      context: { customerSegments: { add: [segmentId] } },
      destination: { all: true },
      combinesWith: { orderDiscounts: true, productDiscounts: true, shippingDiscounts: false },
    };
    const signature = JSON.stringify({ ...discount, startsAt: undefined });
    const known = await db.shopifyResource.findUnique({ where: { shopId_key: { shopId, key } } });
    if (known?.signature === signature) continue;
    if (known) {
      const result = await admin.request(AUTOMATIC_FREE_SHIPPING_UPDATE, { id: known.gid, discount });
      if (!result.discountAutomaticFreeShippingUpdate?.automaticDiscountNode)
        refused("discountAutomaticFreeShippingUpdate", result.discountAutomaticFreeShippingUpdate?.userErrors);
      await db.shopifyResource.update({ where: { shopId_key: { shopId, key } }, data: { signature } });
    } else {
      const result = await admin.request(AUTOMATIC_FREE_SHIPPING_CREATE, { discount });
      const node = result.discountAutomaticFreeShippingCreate?.automaticDiscountNode;
      if (!node) refused("discountAutomaticFreeShippingCreate", result.discountAutomaticFreeShippingCreate?.userErrors);
      await db.shopifyResource.create({ data: { shopId, key, gid: node.id, signature } });
    }
    changed += 1;
  }
  // Tiers deleted, or without the perk now: their discounts go.
  const stale = await db.shopifyResource.findMany({
    where: {
      shopId,
      key: { startsWith: "discount:tier-shipping:", notIn: wanted.map((t) => `discount:tier-shipping:${t.id}`) },
    },
  });
  for (const resource of stale) {
    const result = await admin.request(AUTOMATIC_DISCOUNT_DELETE, { id: resource.gid });
    const errors = result.discountAutomaticDelete?.userErrors ?? [];
    // Already gone in Shopify (deleted by the merchant): forget it too.
    if (errors.length && !errors.some((e) => /not found|does not exist/i.test(e.message)))
      logger.warn({ shopId, key: resource.key, errors }, "could not delete a tier discount");
    else await db.shopifyResource.delete({ where: { shopId_key: { shopId, key: resource.key } } });
    changed += 1;
  }
  return changed;
}
