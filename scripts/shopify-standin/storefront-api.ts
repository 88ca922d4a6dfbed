import { Kind, parse, type FieldNode, type OperationDefinitionNode } from "graphql";
import { STANDIN_PRODUCTS, type StandinProduct } from "./catalog";

/**
 * The Storefront API's answers for the queries the app sends (shopify.dev storefront
 * 2026-10): `productRecommendations(productId:, intent: RELATED)` (products of the same
 * collection, as Shopify's related recommendations often are, the product itself left
 * out) and `products(first:, sortKey: BEST_SELLING)` (the catalogue in a fixed order
 * standing in for sales rank). Product shape: { id, title, handle, onlineStoreUrl,
 * priceRange { minVariantPrice { amount currencyCode } } }.
 */

function product(p: StandinProduct) {
  const handle = p.title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
  return {
    id: `gid://shopify/Product/${p.id}`,
    title: p.title,
    handle,
    onlineStoreUrl: `https://comeback-demo.myshopify.com/products/${handle}`,
    priceRange: { minVariantPrice: { amount: (p.price / 100).toFixed(2), currencyCode: "USD" } },
  };
}

export function answerStorefront(raw: string): unknown {
  let body: { query?: string; variables?: Record<string, unknown> };
  try {
    body = JSON.parse(raw);
  } catch {
    return { errors: [{ message: "Invalid JSON" }] };
  }
  let operation: OperationDefinitionNode | undefined;
  try {
    operation = parse(body.query ?? "").definitions.find(
      (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
    );
  } catch (error) {
    return { errors: [{ message: `Parse error: ${(error as Error).message}` }] };
  }
  const variables = body.variables ?? {};
  const data: Record<string, unknown> = {};
  for (const field of operation?.selectionSet.selections ?? []) {
    if (field.kind !== Kind.FIELD) continue;
    const name = (field as FieldNode).name.value;
    const alias = (field as FieldNode).alias?.value ?? name;
    if (name === "productRecommendations") {
      const id = Number(/(\d+)$/.exec(String(variables.productId ?? ""))?.[1]);
      const source = STANDIN_PRODUCTS.find((p) => p.id === id);
      // Unknown product: null, as the Storefront API answers.
      data[alias] = source
        ? STANDIN_PRODUCTS.filter((p) => p.id !== id && p.collections.some((c) => source.collections.includes(c))).map(
            product,
          )
        : null;
    } else if (name === "products") {
      const first = Number(variables.first ?? 10);
      data[alias] = { nodes: STANDIN_PRODUCTS.slice(0, first).map(product) };
    }
  }
  return { data };
}
