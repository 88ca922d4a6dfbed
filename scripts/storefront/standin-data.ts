import { APP_INSTALLATION_ID } from "../shopify-standin/admin-api";
import type { StorefrontCustomer } from "./render";
import type { StorefrontData } from "./server";

/**
 * The storefront's data as Shopify would serve it to Liquid: the metafields the app
 * itself wrote to the Admin API stand-in (the program on the app installation, each
 * customer's `$app:loyalty` values). Nothing here reads the app's database, so the page
 * shows exactly what the app's Shopify sync produced.
 */
type Metafield = { type: string; value: string };

function typed(field: Metafield | undefined): unknown {
  if (!field) return undefined;
  if (field.type === "json") return JSON.parse(field.value) as unknown;
  if (field.type === "number_integer") return Number(field.value);
  return field.value;
}

export function standinStorefrontData(
  stateUrl: string,
  customers: () => Promise<Array<{ id: number; name: string }>>,
): () => Promise<StorefrontData> {
  return async () => {
    const state = (await (await fetch(stateUrl)).json()) as {
      metafields: Record<string, Metafield>;
      discounts: StorefrontData["discounts"];
    };
    const field = (owner: string, namespace: string, key: string) =>
      typed(state.metafields[`${owner}|${namespace}|${key}`]);
    const list = await customers();
    return {
      program: (field(APP_INSTALLATION_ID, "loyalty", "program") as Record<string, unknown> | undefined) ?? null,
      customers: list,
      discounts: state.discounts,
      async customer(id: number): Promise<StorefrontCustomer | null> {
        // Any customer the shopper switcher chose (it lists the newest and the richest,
        // which change as the demo runs); Shopify knows every signed-in customer.
        const known = list.find((c) => c.id === id) ?? { id, name: `#${id}` };
        const owner = `gid://shopify/Customer/${id}`;
        const balance = field(owner, "$app:loyalty", "balance") as number | undefined;
        const loyalty =
          balance === undefined
            ? null
            : {
                balance,
                tier: field(owner, "$app:loyalty", "tier") as string | undefined,
                progress: field(owner, "$app:loyalty", "progress") as Record<string, unknown> | undefined,
              };
        return { id, firstName: known.name, loyalty };
      },
    };
  };
}
