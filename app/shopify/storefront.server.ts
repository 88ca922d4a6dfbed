import type { PrismaClient } from "../generated/prisma/client";
import { logger } from "../platform/logger.server";
import { adminClientForShop } from "./admin-api.server";
import { ADMIN_API_VERSION } from "./admin-api.server";

/**
 * Product recommendations for email, from Shopify's own engine: the Storefront API's
 * `productRecommendations` for the products of the customer's last order, through a
 * Storefront access token the app creates once per shop (storefrontAccessTokenCreate),
 * with the shop's best sellers as the fallback. Email goes out without recommendations
 * rather than late: any failure here is logged and answered with none.
 */

export const STOREFRONT_TOKEN_CREATE = `#graphql
  mutation ComebackStorefrontToken($input: StorefrontAccessTokenInput!) {
    storefrontAccessTokenCreate(input: $input) {
      storefrontAccessToken {
        accessToken
      }
      userErrors {
        field
        message
      }
    }
  }
`;

// Storefront API 2026-10 (not in the Admin schema the type check validates against).
const RECOMMENDATIONS = `query ComebackRecommendations($productId: ID!) {
  productRecommendations(productId: $productId, intent: RELATED) {
    id title handle onlineStoreUrl
    priceRange { minVariantPrice { amount currencyCode } }
  }
}`;
const BEST_SELLERS = `query ComebackBestSellers($first: Int!) {
  products(first: $first, sortKey: BEST_SELLING) {
    nodes { id title handle onlineStoreUrl priceRange { minVariantPrice { amount currencyCode } } }
  }
}`;

export interface RecommendedProduct {
  id: string;
  title: string;
  url: string;
  price: { amount: string; currencyCode: string };
}

interface StorefrontProduct {
  id: string;
  title: string;
  handle: string;
  onlineStoreUrl: string | null;
  priceRange: { minVariantPrice: { amount: string; currencyCode: string } };
}

/** The shop's Storefront token, created on first use. Callers sending many emails share one promise. */
export async function storefrontToken(db: PrismaClient, shop: { id: string; domain: string }): Promise<string | null> {
  const row = await db.shop.findUnique({ where: { id: shop.id }, select: { storefrontToken: true } });
  if (row?.storefrontToken) return row.storefrontToken;
  const admin = await adminClientForShop(db, shop.domain);
  if (!admin) return null;
  const result = await admin.request(STOREFRONT_TOKEN_CREATE, { input: { title: "Comeback email recommendations" } });
  const token = result.storefrontAccessTokenCreate?.storefrontAccessToken?.accessToken ?? null;
  if (token) {
    // Two instances may both create one: the first stored is kept, the other is unused.
    await db.shop.updateMany({ where: { id: shop.id, storefrontToken: null }, data: { storefrontToken: token } });
    return (
      (await db.shop.findUnique({ where: { id: shop.id }, select: { storefrontToken: true } }))?.storefrontToken ??
      token
    );
  }
  return null;
}

/** The Storefront API's endpoint: the shop's own, or the local stand-in's beside its Admin API. */
async function endpoint(db: PrismaClient, shop: { id: string; domain: string }): Promise<string> {
  const row = await db.shop.findUnique({ where: { id: shop.id }, select: { adminApiUrl: true } });
  return row?.adminApiUrl
    ? row.adminApiUrl.replace("/admin/api/", "/api/")
    : `https://${shop.domain}/api/${ADMIN_API_VERSION}/graphql.json`;
}

export async function recommendProducts(
  db: PrismaClient,
  shop: { id: string; domain: string },
  basedOn: string[],
  storeUrl: string,
  options: { count?: number; token?: Promise<string | null> } = {},
): Promise<RecommendedProduct[]> {
  const count = options.count ?? 3;
  try {
    const token = await (options.token ?? storefrontToken(db, shop));
    if (!token) return [];
    const url = await endpoint(db, shop);
    const ask = async <T>(query: string, variables: Record<string, unknown>): Promise<T | null> => {
      const response = await fetch(url, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-Shopify-Storefront-Access-Token": token },
        body: JSON.stringify({ query, variables }),
        signal: AbortSignal.timeout(5000),
      });
      if (!response.ok) throw new Error(`Storefront API ${response.status}`);
      return ((await response.json()) as { data?: T }).data ?? null;
    };
    const bought = new Set(basedOn.map((id) => `gid://shopify/Product/${id}`));
    const found: StorefrontProduct[] = [];
    for (const id of basedOn.slice(0, 3)) {
      const data = await ask<{ productRecommendations: StorefrontProduct[] | null }>(RECOMMENDATIONS, {
        productId: `gid://shopify/Product/${id}`,
      });
      for (const p of data?.productRecommendations ?? []) if (!bought.has(p.id)) found.push(p);
    }
    if (found.length < count) {
      const data = await ask<{ products: { nodes: StorefrontProduct[] } }>(BEST_SELLERS, { first: count * 2 });
      for (const p of data?.products.nodes ?? []) if (!bought.has(p.id)) found.push(p);
    }
    const unique = [...new Map(found.map((p) => [p.id, p])).values()].slice(0, count);
    return unique.map((p) => ({
      id: p.id,
      title: p.title,
      // The product on the store the email links to (the demo's local storefront, or the shop).
      url: `${storeUrl.replace(/\/$/, "")}/products/${p.handle}`,
      price: p.priceRange.minVariantPrice,
    }));
  } catch (error) {
    logger.warn({ err: error, shopId: shop.id }, "recommendations unavailable");
    return [];
  }
}
