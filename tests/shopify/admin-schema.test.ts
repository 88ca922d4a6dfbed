import { beforeAll, describe, expect, it } from "vitest";
import { getVariableValues, parse, validate, type GraphQLSchema, type OperationDefinitionNode } from "graphql";
import type { AdminGraphql } from "../../app/shopify/admin-api.server";
import {
  DISCOUNT_CODE_BASIC_CREATE,
  DISCOUNT_CODE_FREE_SHIPPING_CREATE,
  STORE_CREDIT_ACCOUNT_CREDIT,
  createRewardDiscount,
  creditStoreCredit,
  type RewardSpec,
} from "../../app/shopify/discounts.server";
import { SHOP_QUERY } from "../../app/shopify/queries";
import { THANK_YOU_ORDER_QUERY } from "../../app/shopify/thank-you.server";
import {
  CURRENT_APP_INSTALLATION,
  METAFIELDS_DELETE,
  METAFIELDS_SET,
  customerTagsMutation,
} from "../../app/shopify/customer-sync.server";
import { MAIN_THEME_SETTINGS } from "../../app/shopify/theme-embed.server";
import { linkLandingPage, MENU_UPDATE, STORE_MENUS } from "../../app/shopify/navigation.server";
import { defaultMenus } from "../../scripts/shopify-standin/navigation";
import { loadAdminSchema } from "../../scripts/shopify-admin-schema";

/**
 * Every GraphQL document the app sends to the Admin API, and the variables it builds for
 * each reward type, checked against Shopify's published 2026-10 schema.
 */

let schema: GraphQLSchema;
beforeAll(() => {
  schema = loadAdminSchema();
}, 120_000);

function errorsOf(document: string): string[] {
  return validate(schema, parse(document)).map((error) => error.message);
}

function variableErrors(document: string, variables: Record<string, unknown>): string[] {
  const operation = parse(document).definitions[0] as OperationDefinitionNode;
  const result = getVariableValues(schema, operation.variableDefinitions ?? [], variables);
  return (result.errors ?? []).map((error) => error.message);
}

describe("Admin API documents against Shopify's 2026-10 schema", () => {
  it("are all valid", () => {
    const tags = customerTagsMutation([
      { add: true, remove: true },
      { add: true, remove: false },
      { add: false, remove: true },
    ]);
    for (const document of [
      SHOP_QUERY,
      DISCOUNT_CODE_BASIC_CREATE,
      DISCOUNT_CODE_FREE_SHIPPING_CREATE,
      STORE_CREDIT_ACCOUNT_CREDIT,
      METAFIELDS_SET,
      METAFIELDS_DELETE,
      CURRENT_APP_INSTALLATION,
      THANK_YOU_ORDER_QUERY,
      MAIN_THEME_SETTINGS,
      STORE_MENUS,
      MENU_UPDATE,
      tags,
    ]) {
      expect(errorsOf(document), document).toEqual([]);
    }
  });

  it("sends a menu's whole tree back as MenuItemUpdateInput, nested items included, to add the loyalty page", async () => {
    const menus = defaultMenus();
    menus[0]!.items[1]!.items = [
      { ...menus[0]!.items[1]!, id: "gid://shopify/MenuItem/7", title: "Sale", type: "COLLECTION", items: [] },
    ];
    const sent: Array<{ query: string; variables: Record<string, unknown> }> = [];
    const admin = {
      async request(query: string, variables?: Record<string, unknown>) {
        sent.push({ query, variables: variables ?? {} });
        return query === STORE_MENUS
          ? { menus: { nodes: menus } }
          : { menuUpdate: { menu: { id: "m" }, userErrors: [] } };
      },
    } as unknown as AdminGraphql;
    await linkLandingPage(admin, menus[0]!.id, "Rewards program");
    const update = sent.find((call) => call.query === MENU_UPDATE)!;
    expect(variableErrors(MENU_UPDATE, update.variables)).toEqual([]);
    // A wrong shape is caught by the same check.
    expect(variableErrors(MENU_UPDATE, { ...update.variables, items: [{ title: "x", type: "LINK" }] }).length).toBe(1);
  });

  it("catches a document Shopify would reject (the check can fail)", () => {
    expect(errorsOf("query { shop { bogusField } }").join()).toMatch(/bogusField/);
    expect(
      variableErrors(DISCOUNT_CODE_BASIC_CREATE, { basicCodeDiscount: { code: 5, usageLimit: "one" } }).length,
    ).toBeGreaterThan(0);
  });

  it("send variables of the right input types for every reward type", async () => {
    const sent: Array<{ query: string; variables: Record<string, unknown> }> = [];
    async function record<T>(query: string, variables?: Record<string, unknown>): Promise<T> {
      sent.push({ query, variables: variables ?? {} });
      const payload = { codeDiscountNode: { id: "gid://shopify/DiscountCodeNode/1" }, userErrors: [] };
      return {
        discountCodeBasicCreate: payload,
        discountCodeFreeShippingCreate: payload,
        storeCreditAccountCredit: {
          storeCreditAccountTransaction: { id: "gid://shopify/StoreCreditAccountCreditTransaction/1" },
          userErrors: [],
        },
      } as T;
    }
    const recorder: AdminGraphql = {
      request: (query, variables) => record(query, variables as Record<string, unknown>),
      requestUntyped: record,
    };
    const base: RewardSpec = {
      name: "Reward",
      type: "FIXED_AMOUNT",
      valueMinor: 500,
      valuePercentBp: null,
      currency: "USD",
      productVariantId: null,
      minOrderMinor: 2500,
      combinesWithOrder: false,
      combinesWithProduct: true,
      combinesWithShipping: true,
    };
    const rewards: RewardSpec[] = [
      base,
      { ...base, type: "PERCENTAGE", valueMinor: null, valuePercentBp: 1500, minOrderMinor: null },
      { ...base, type: "FREE_SHIPPING", valueMinor: null },
      { ...base, type: "FREE_PRODUCT", valueMinor: null, productVariantId: "808950810" },
    ];
    for (const reward of rewards) {
      await createRewardDiscount(recorder, {
        reward,
        code: "CB-ABCDEFGHJK",
        eligible: { customerId: 207119551n },
        shopCurrency: "USD",
        startsAt: new Date("2026-11-22T00:00:00Z"),
        endsAt: new Date("2026-12-22T00:00:00Z"),
      });
    }
    await creditStoreCredit(recorder, { customerId: 207119551n, amountMinor: 1000, currency: "EUR" });
    expect(sent).toHaveLength(5);
    for (const { query, variables } of sent) {
      expect(variableErrors(query, variables), JSON.stringify(variables)).toEqual([]);
    }
  });

  it("send the sync's metafield and tag variables in Shopify's input types", () => {
    const metafield = {
      ownerId: "gid://shopify/Customer/1",
      namespace: "$app:loyalty",
      key: "balance",
      type: "number_integer",
      value: "5",
    };
    expect(variableErrors(METAFIELDS_SET, { metafields: [metafield] })).toEqual([]);
    expect(
      variableErrors(METAFIELDS_DELETE, {
        metafields: [{ ownerId: metafield.ownerId, namespace: metafield.namespace, key: "tier" }],
      }),
    ).toEqual([]);
    const tags = customerTagsMutation([{ add: true, remove: true }]);
    expect(
      variableErrors(tags, { id0: metafield.ownerId, add0: ["comeback-gold"], remove0: ["comeback-silver"] }),
    ).toEqual([]);
    // The check can fail: a metafield without its owner is not valid input.
    expect(variableErrors(METAFIELDS_SET, { metafields: [{ key: "balance", value: "5" }] })).not.toEqual([]);
  });
});
