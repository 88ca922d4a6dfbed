import type { Db } from "../platform/database/db";
import { logger } from "../platform/logger.server";
import { campaignsNeedingCollections, storeCollectionProducts } from "../services/admin/campaigns";
import { invalidateShopContext } from "../services/shop-context";
import { requestDebounced } from "../platform/job-queue.server";
import { adminClientForShop, type AdminGraphql } from "./admin-api.server";
import type { ComebackCollectionProductsQuery } from "../types/admin.generated";

/**
 * The shop's catalogue as the admin needs it: searching products, variants and
 * collections for the picker (where App Bridge's own resource picker is not available,
 * as in the local demo), the titles of chosen ones, and which products a campaign's
 * collections hold.
 */

export type ResourceType = "product" | "variant" | "collection";
export interface PickedResource {
  id: string;
  title: string;
}

export const SEARCH_PRODUCTS = `#graphql
  query ComebackSearchProducts($query: String) {
    products(first: 20, query: $query, sortKey: TITLE) {
      nodes {
        id
        title
        variants(first: 20) {
          nodes {
            id
            title
          }
        }
      }
    }
  }
`;

export const SEARCH_COLLECTIONS = `#graphql
  query ComebackSearchCollections($query: String) {
    collections(first: 20, query: $query, sortKey: TITLE) {
      nodes {
        id
        title
      }
    }
  }
`;

export const RESOURCE_TITLES = `#graphql
  query ComebackResourceTitles($ids: [ID!]!) {
    nodes(ids: $ids) {
      id
      ... on Product {
        title
      }
      ... on Collection {
        title
      }
      ... on ProductVariant {
        displayName
      }
    }
  }
`;

export const COLLECTION_PRODUCTS = `#graphql
  query ComebackCollectionProducts($id: ID!, $after: String) {
    collection(id: $id) {
      products(first: 250, after: $after) {
        nodes {
          id
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
`;

/** Search terms as Shopify's search syntax reads them: a title prefix. */
function titleQuery(text: string): string | null {
  const cleaned = text
    .replace(/["\\:()]/g, " ")
    .trim()
    .slice(0, 60);
  return cleaned ? `title:${cleaned}*` : null;
}

export async function searchResources(
  admin: AdminGraphql,
  type: ResourceType,
  text: string,
): Promise<PickedResource[]> {
  const query = titleQuery(text);
  if (type === "collection") {
    const result = await admin.request(SEARCH_COLLECTIONS, { query });
    return result.collections.nodes.map((node) => ({ id: node.id, title: node.title }));
  }
  const result = await admin.request(SEARCH_PRODUCTS, { query });
  if (type === "product") return result.products.nodes.map((node) => ({ id: node.id, title: node.title }));
  return result.products.nodes.flatMap((product) =>
    product.variants.nodes.map((variant) => ({
      id: variant.id,
      title: variant.title === "Default Title" ? product.title : `${product.title} — ${variant.title}`,
    })),
  );
}

/** Titles for chosen ids (a deleted product keeps its id, shown as such). */
export async function resourceTitles(admin: AdminGraphql | null, ids: string[]): Promise<PickedResource[]> {
  if (ids.length === 0) return [];
  if (!admin) return ids.map((id) => ({ id, title: id }));
  try {
    const result = await admin.request(RESOURCE_TITLES, { ids: ids.slice(0, 250) });
    const titles = new Map(
      result.nodes.flatMap((node) => {
        if (!node) return [];
        const title = "title" in node ? node.title : "displayName" in node ? node.displayName : null;
        return typeof title === "string" ? [[node.id, title] as const] : [];
      }),
    );
    return ids.map((id) => ({ id, title: titles.get(id) ?? id }));
  } catch (error) {
    logger.warn({ err: error }, "could not read resource titles");
    return ids.map((id) => ({ id, title: id }));
  }
}

/** Every product of a collection (numeric ids), page by page. */
export async function collectionProductIds(admin: AdminGraphql, collectionId: string): Promise<string[]> {
  const ids: string[] = [];
  let after: string | null = null;
  for (let page = 0; page < 40; page++) {
    const result: ComebackCollectionProductsQuery = await admin.request(COLLECTION_PRODUCTS, {
      id: `gid://shopify/Collection/${collectionId}`,
      after,
    });
    const products = result.collection?.products;
    if (!products) break;
    for (const node of products.nodes) {
      const match = /(\d+)$/.exec(node.id);
      if (match) ids.push(match[1]!);
    }
    if (!products.pageInfo.hasNextPage) break;
    after = products.pageInfo.endCursor ?? null;
  }
  return ids;
}

export const CAMPAIGN_COLLECTIONS_QUEUE = "shopify-campaign-collections";

/** Asks for the shop's campaign collections to be read from Shopify soon. */
export function requestCampaignCollections(shopId: string): Promise<void> {
  return requestDebounced(CAMPAIGN_COLLECTIONS_QUEUE, { shopId }, 5, shopId);
}

/** The job: reads the products of every campaign collection that is new or an hour old. */
export async function refreshCampaignCollections(db: Db, shopId: string): Promise<number> {
  const campaigns = await campaignsNeedingCollections(db, shopId);
  if (campaigns.length === 0) return 0;
  const shop = await db.shop.findUnique({ where: { id: shopId }, select: { domain: true } });
  const admin = shop ? await adminClientForShop(db, shop.domain) : null;
  if (!admin) return 0;
  for (const campaign of campaigns) {
    const products: string[] = [];
    for (const collection of campaign.collectionIds) products.push(...(await collectionProductIds(admin, collection)));
    await storeCollectionProducts(db, campaign.id, products);
  }
  invalidateShopContext({ id: shopId });
  return campaigns.length;
}
