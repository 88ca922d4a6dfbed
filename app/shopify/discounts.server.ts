import type { RewardType } from "../generated/prisma/client";
import { minorToDecimalString } from "../domain/money";
import { AdminApiError, type AdminGraphql } from "./admin-api.server";

/**
 * Rewards become real Shopify discounts: a unique code, usable once, by that customer
 * only (`context.customers`; a referred friend's code by new customers only, through a
 * segment), ending when the reward says. Store credit goes to the
 * customer's store credit account instead. These documents are the only mutations the
 * redemption flow sends; the Admin API stand-in implements exactly them.
 */

export const DISCOUNT_CODE_BASIC_CREATE = `#graphql
  mutation ComebackDiscountCodeBasicCreate($basicCodeDiscount: DiscountCodeBasicInput!) {
    discountCodeBasicCreate(basicCodeDiscount: $basicCodeDiscount) {
      codeDiscountNode { id }
      userErrors { field message code }
    }
  }
`;

export const DISCOUNT_CODE_FREE_SHIPPING_CREATE = `#graphql
  mutation ComebackDiscountCodeFreeShippingCreate($freeShippingCodeDiscount: DiscountCodeFreeShippingInput!) {
    discountCodeFreeShippingCreate(freeShippingCodeDiscount: $freeShippingCodeDiscount) {
      codeDiscountNode { id }
      userErrors { field message code }
    }
  }
`;

export const STORE_CREDIT_ACCOUNT_CREDIT = `#graphql
  mutation ComebackStoreCreditAccountCredit($id: ID!, $creditInput: StoreCreditAccountCreditInput!) {
    storeCreditAccountCredit(id: $id, creditInput: $creditInput) {
      storeCreditAccountTransaction { id amount { amount currencyCode } }
      userErrors { field message code }
    }
  }
`;

export interface UserError {
  field: string[] | null;
  message: string;
  code: string | null;
}

export interface RewardSpec {
  name: string;
  type: RewardType;
  valueMinor: number | null;
  valuePercentBp: number | null;
  currency: string | null;
  productVariantId: string | null;
  minOrderMinor: number | null;
  combinesWithOrder: boolean;
  combinesWithProduct: boolean;
  combinesWithShipping: boolean;
}

export type IssueResult = { ok: true; shopifyId: string } | { ok: false; userErrors: UserError[] };

export function customerGid(customerId: bigint): string {
  return `gid://shopify/Customer/${customerId}`;
}

function variantGid(id: string): string {
  return id.startsWith("gid://") ? id : `gid://shopify/ProductVariant/${id}`;
}

export async function createRewardDiscount(
  admin: AdminGraphql,
  input: {
    reward: RewardSpec;
    code: string;
    /** Who may use the code: one customer, or the customers of a segment (new customers, for a friend). */
    eligible: { customerId: bigint } | { segmentId: string };
    shopCurrency: string;
    startsAt: Date;
    endsAt: Date | null;
  },
): Promise<IssueResult> {
  const { reward, code } = input;
  const currency = reward.currency ?? input.shopCurrency;
  const common = {
    title: `Comeback: ${reward.name} (${code})`,
    code,
    startsAt: input.startsAt.toISOString(),
    endsAt: input.endsAt?.toISOString() ?? null,
    context:
      "customerId" in input.eligible
        ? { customers: { add: [customerGid(input.eligible.customerId)] } }
        : { customerSegments: { add: [input.eligible.segmentId] } },
    usageLimit: 1,
    appliesOncePerCustomer: true,
    minimumRequirement: reward.minOrderMinor
      ? { subtotal: { greaterThanOrEqualToSubtotal: minorToDecimalString(BigInt(reward.minOrderMinor), currency) } }
      : null,
    combinesWith: {
      orderDiscounts: reward.combinesWithOrder,
      productDiscounts: reward.combinesWithProduct,
      shippingDiscounts: reward.combinesWithShipping,
    },
  };

  if (reward.type === "FREE_SHIPPING") {
    const data = await admin.request(DISCOUNT_CODE_FREE_SHIPPING_CREATE, {
      freeShippingCodeDiscount: { ...common, destination: { all: true } },
    });
    return result(data.discountCodeFreeShippingCreate);
  }

  let customerGets: Record<string, unknown>;
  switch (reward.type) {
    case "FIXED_AMOUNT":
      customerGets = {
        value: {
          discountAmount: {
            amount: minorToDecimalString(BigInt(reward.valueMinor ?? 0), currency),
            appliesOnEachItem: false,
          },
        },
        items: { all: true },
      };
      break;
    case "PERCENTAGE":
      customerGets = { value: { percentage: (reward.valuePercentBp ?? 0) / 10_000 }, items: { all: true } };
      break;
    case "FREE_PRODUCT":
      if (!reward.productVariantId) throw new Error("a free-product reward needs a product variant");
      customerGets = {
        value: { percentage: 1 },
        items: { products: { productVariantsToAdd: [variantGid(reward.productVariantId)] } },
      };
      break;
    default:
      throw new Error(`reward type ${reward.type} is not a discount code`);
  }
  const data = await admin.request(DISCOUNT_CODE_BASIC_CREATE, { basicCodeDiscount: { ...common, customerGets } });
  return result(data.discountCodeBasicCreate);
}

export async function creditStoreCredit(
  admin: AdminGraphql,
  input: { customerId: bigint; amountMinor: number; currency: string },
): Promise<IssueResult> {
  const data = await admin.request(STORE_CREDIT_ACCOUNT_CREDIT, {
    // A customer id credits (or opens) that customer's account in this currency.
    id: customerGid(input.customerId),
    creditInput: {
      creditAmount: {
        amount: minorToDecimalString(BigInt(input.amountMinor), input.currency),
        currencyCode: input.currency,
      },
    },
  });
  const payload = data.storeCreditAccountCredit;
  if (!payload) throw new AdminApiError("graphql", "storeCreditAccountCredit returned no payload");
  if (payload.userErrors.length || !payload.storeCreditAccountTransaction)
    return { ok: false, userErrors: payload.userErrors };
  return { ok: true, shopifyId: payload.storeCreditAccountTransaction.id };
}

/**
 * A discount mutation's answer. The schema allows a null payload (an error elsewhere in
 * the answer); that is a failure worth retrying, not a refusal.
 */
function result(
  payload: { codeDiscountNode?: { id: string } | null; userErrors: UserError[] } | null | undefined,
): IssueResult {
  if (!payload) throw new AdminApiError("graphql", "the discount mutation returned no payload");
  if (payload.userErrors.length || !payload.codeDiscountNode) return { ok: false, userErrors: payload.userErrors };
  return { ok: true, shopifyId: payload.codeDiscountNode.id };
}
