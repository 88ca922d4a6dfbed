import { InvalidInputError } from "../domain/errors";
import type { OrderInput, RefundInput } from "../domain/order-events";
import { describeIssues, normalizeEmail } from "../domain/validation";
import { z } from "zod";
import type { OrderLine } from "../domain/earning";
import { MoneyError, parseMinor } from "../domain/money";

/**
 * Shopify webhook payloads (REST JSON, snake_case) turned into the loyalty core's types.
 *
 * Only the fields the app uses are validated; everything else Shopify sends is ignored.
 * Amounts come from the `*_set.shop_money` variants when present, so a multi-currency
 * order is measured in the shop's currency. Ids may exceed 2^53 (Shopify's own sample
 * payloads do), so payloads are parsed with `parseJsonExact` and ids become bigints.
 */

/** JSON.parse that keeps integers beyond 2^53 as their exact digits (a string). */
/**
 * Whether JSON text nests deeper than `max` arrays/objects. Checked before any parser
 * sees the text: a few thousand levels of "[[[[" overflow the stack of recursive code
 * (revivers, validators) and Shopify's payloads are never deeper than a dozen.
 */
export function jsonNestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123 /* [ { */) {
      if (++depth > max) return true;
    } else if (c === 93 || c === 125) depth--;
  }
  return false;
}

export function parseJsonExact(text: string): unknown {
  // The reviver costs a call per value: only a body with a 16-digit run can need it.
  if (!/\d{16}/.test(text)) return JSON.parse(text);
  return JSON.parse(text, function (this: unknown, _key: string, value: unknown, context?: { source?: string }) {
    if (typeof value === "number" && !Number.isSafeInteger(value) && Number.isInteger(value) && context?.source) {
      return context.source;
    }
    return value;
  } as (key: string, value: unknown) => unknown);
}

const id = z
  .union([z.number().int().positive(), z.string().regex(/^\d{1,20}$/, "must be a numeric id")])
  .transform((value) => BigInt(value))
  .refine((value) => value > 0n && value < 2n ** 63n, "is out of range");

const gidOrNull = z.string().nullish();

const amount = z.union([z.string(), z.number()]);
/** Prices and quantities of goods are never negative in an order Shopify sends. */
const price = amount
  .refine((value) => String(value).trim() !== "", "must not be empty")
  .refine((value) => !String(value).trim().startsWith("-"), "must not be negative");
const moneyPair = z.object({ amount, currency_code: z.string().length(3) });
const moneySet = z.object({ shop_money: moneyPair, presentment_money: moneyPair.optional() }).nullish();
const refundMoneyPair = z.object({ amount: price, currency_code: z.string().length(3) });
const refundMoneySet = z
  .object({ shop_money: refundMoneyPair, presentment_money: refundMoneyPair.optional() })
  .nullish();

const date = z
  .string()
  .refine((value) => !Number.isNaN(Date.parse(value)), "must be an ISO date")
  .transform((value) => new Date(value));

/** Pick the shop-currency amount of a `*_set`, else the plain field (already shop currency). */
function shopAmount(
  set: z.infer<typeof moneySet>,
  plain: string | number | null | undefined,
  currency: string,
): bigint {
  if (set?.shop_money) return parseMinor(set.shop_money.amount, currency);
  if (plain === null || plain === undefined || plain === "") return 0n;
  return parseMinor(plain, currency);
}

const taxLine = z.object({ price: amount.nullish(), price_set: moneySet });
const discountAllocation = z.object({ amount: amount.nullish(), amount_set: moneySet });

const lineItem = z.object({
  id: id.nullish(),
  product_id: id.nullish(),
  variant_id: id.nullish(),
  quantity: z.number().int().min(0).max(1_000_000),
  price,
  price_set: moneySet,
  gift_card: z.boolean().nullish(),
  tax_lines: z.array(taxLine).nullish(),
  discount_allocations: z.array(discountAllocation).nullish(),
});

const shippingLine = z.object({
  price: price.nullish(),
  price_set: moneySet,
  discounted_price: amount.nullish(),
  discounted_price_set: moneySet,
  tax_lines: z.array(taxLine).nullish(),
});

const customer = z
  .object({
    id,
    email: z.string().nullish(),
    first_name: z.string().nullish(),
    last_name: z.string().nullish(),
    state: z.string().nullish(),
    admin_graphql_api_id: gidOrNull,
  })
  .nullish();

// A refunded line gives money back, so its amounts are never negative (order
// adjustments, below, legitimately are); a negative one would add points on a refund.
const refundLineItem = z.object({
  quantity: z.number().int().min(0),
  subtotal: price.nullish(),
  subtotal_set: refundMoneySet,
  total_tax: price.nullish(),
  total_tax_set: refundMoneySet,
  line_item: z.object({ gift_card: z.boolean().nullish() }).passthrough().nullish(),
});

const orderAdjustment = z.object({
  kind: z.string().nullish(),
  amount: amount.nullish(),
  amount_set: moneySet,
  tax_amount: amount.nullish(),
  tax_amount_set: moneySet,
});

const refundSchema = z.object({
  id,
  order_id: id,
  created_at: date.nullish(),
  processed_at: date.nullish(),
  refund_line_items: z.array(refundLineItem).default([]),
  order_adjustments: z.array(orderAdjustment).nullish(),
  refund_shipping_lines: z
    .array(z.object({ subtotal_amount_set: moneySet, subtotal: amount.nullish() }).passthrough())
    .nullish(),
  // Money returned, to the card or to store credit (a refund to store credit is a refund
  // transaction on the order too: the Admin schema's StoreCreditAccountCreditTransaction
  // names an OrderTransaction as its origin).
  transactions: z
    .array(
      z
        .object({
          kind: z.string().nullish(),
          status: z.string().nullish(),
          amount: price.nullish(),
          currency: z.string().length(3).nullish(),
        })
        .passthrough(),
    )
    .nullish(),
});

const orderSchema = z.object({
  id,
  admin_graphql_api_id: gidOrNull,
  name: z.string().nullish(),
  email: z.string().nullish(),
  contact_email: z.string().nullish(),
  currency: z.string().length(3),
  presentment_currency: z.string().length(3).nullish(),
  total_price: amount.nullish(),
  total_price_set: moneySet,
  taxes_included: z.boolean().nullish(),
  financial_status: z.string().nullish(),
  cancelled_at: date.nullish(),
  // REST Order's fulfillments (shopify.dev rest/admin-api/2026-10 Order example):
  // { status: "success", shipment_status: "delivered" | "in_transit" | …, created_at, updated_at }.
  fulfillments: z
    .array(
      z
        .object({
          status: z.string().nullish(),
          shipment_status: z.string().nullish(),
          created_at: date.nullish(),
          updated_at: date.nullish(),
        })
        .passthrough(),
    )
    .nullish(),
  processed_at: date.nullish(),
  created_at: date.nullish(),
  updated_at: date.nullish(),
  test: z.boolean().nullish(),
  customer_locale: z.string().max(35).nullish(),
  customer,
  line_items: z.array(lineItem).max(5000),
  shipping_lines: z.array(shippingLine).nullish(),
  discount_codes: z.array(z.object({ code: z.string() }).passthrough()).nullish(),
  payment_gateway_names: z.array(z.string().max(200)).max(100).nullish(),
  refunds: z.array(z.unknown()).nullish(),
  // Cart attributes become note attributes; the storefront widget keeps ?ref= there.
  note_attributes: z
    .array(z.object({ name: z.string(), value: z.unknown() }).passthrough())
    .max(500)
    .nullish(),
});

/**
 * The gateway Shopify names for store credit spent at checkout, in an order's
 * payment_gateway_names and its transactions (seen in public Shopify integrations'
 * gateway mappings; shopify.dev lists no enum for gateway names).
 */
export const STORE_CREDIT_GATEWAY = "shopify_store_credit";

/** The cart attribute the storefront widget sets from a referral link (?ref=CODE). */
export const REFERRAL_ATTRIBUTE = "comeback_ref";
const REFERRAL_CODE = /^[A-Za-z0-9_-]{3,32}$/;

export type {
  CustomerRef as ShopifyCustomerRef,
  OrderInput as ShopifyOrder,
  RefundInput as ShopifyRefund,
} from "../domain/order-events";

/** A payload that is not what Shopify sends for its topic (422 with the reasons). */
export class PayloadError extends InvalidInputError {
  override name = "PayloadError";
}

function parseWith<T extends z.ZodTypeAny>(schema: T, payload: unknown, what: string): z.infer<T> {
  const result = schema.safeParse(payload);
  if (!result.success) throw new PayloadError(`invalid ${what} payload`, describeIssues(result.error));
  return result.data;
}

function guard<T>(what: string, build: () => T): T {
  try {
    return build();
  } catch (error) {
    if (error instanceof MoneyError) throw new PayloadError(`invalid ${what} payload`, [error.message]);
    throw error;
  }
}

function sum(values: bigint[]): bigint {
  return values.reduce((a, b) => a + b, 0n);
}

export function parseRefund(payload: unknown, currency?: string): RefundInput {
  const refund = parseWith(refundSchema, payload, "refund");
  return guard("refund", () => {
    // The refund payload has no currency field of its own; its *_set amounts carry it.
    const firstSet = refund.refund_line_items.find((line) => line.subtotal_set)?.subtotal_set;
    const refunded = (refund.transactions ?? []).filter((t) => t.kind === "refund" && t.status === "success");
    const transactionCurrency = refunded.find((t) => t.currency)?.currency ?? null;
    // An amount-only refund has no *_set amounts: the order's own currency applies then.
    const code = (firstSet?.shop_money.currency_code ?? currency ?? transactionCurrency ?? "").toUpperCase() || null;
    const refundedAt = refund.processed_at ?? refund.created_at ?? null;
    // The amounts need the currency's exponent: the caller parses again with the order's.
    if (!code)
      return {
        id: refund.id,
        orderId: refund.order_id,
        currency: null,
        linesSubtotalMinor: 0n,
        linesTaxMinor: 0n,
        shippingMinor: 0n,
        transactionsMinor: 0n,
        refundedAt,
      };
    const lines = refund.refund_line_items.filter((line) => !line.line_item?.gift_card);
    const shippingFromLines = sum(
      (refund.refund_shipping_lines ?? []).map((line) => shopAmount(line.subtotal_amount_set, line.subtotal, code)),
    );
    // Older payloads report refunded shipping as an order adjustment instead.
    const shippingFromAdjustments = sum(
      (refund.order_adjustments ?? [])
        .filter((adjustment) => adjustment.kind === "shipping_refund")
        .map((adjustment) => -shopAmount(adjustment.amount_set, adjustment.amount, code)),
    );
    return {
      id: refund.id,
      orderId: refund.order_id,
      currency: code,
      linesSubtotalMinor: sum(lines.map((line) => shopAmount(line.subtotal_set, line.subtotal, code))),
      linesTaxMinor: sum(lines.map((line) => shopAmount(line.total_tax_set, line.total_tax, code))),
      shippingMinor: shippingFromLines > 0n ? shippingFromLines : shippingFromAdjustments,
      transactionsMinor: sum(
        refunded
          .filter((t) => !t.currency || t.currency.toUpperCase() === code)
          .map((t) => shopAmount(null, t.amount, code)),
      ),
      refundedAt,
    };
  });
}

/** When the order first shipped, and when its carrier reported it delivered (any shipment). */
function fulfillmentDates(
  fulfillments: Array<{
    status?: string | null;
    shipment_status?: string | null;
    created_at?: Date | null;
    updated_at?: Date | null;
  }>,
) {
  const shipped = fulfillments
    .filter((f) => f.status === "success" && f.created_at)
    .map((f) => f.created_at!.getTime());
  const delivered = fulfillments
    .filter((f) => f.status === "success" && f.shipment_status === "delivered")
    .map((f) => (f.updated_at ?? f.created_at)?.getTime())
    .filter((t): t is number => t !== undefined);
  return {
    fulfilledAt: shipped.length ? new Date(Math.min(...shipped)) : null,
    deliveredAt: delivered.length ? new Date(Math.max(...delivered)) : null,
  };
}

export function parseOrder(payload: unknown): OrderInput {
  const order = parseWith(orderSchema, payload, "order");
  return guard("order", () => {
    const currency = order.currency.toUpperCase();
    const lines: OrderLine[] = order.line_items.map((line) => {
      const unit = shopAmount(line.price_set, line.price, currency);
      return {
        productId: line.product_id ? line.product_id.toString() : null,
        grossMinor: unit * BigInt(line.quantity),
        discountMinor: sum((line.discount_allocations ?? []).map((d) => shopAmount(d.amount_set, d.amount, currency))),
        taxMinor: sum((line.tax_lines ?? []).map((t) => shopAmount(t.price_set, t.price, currency))),
        giftCard: Boolean(line.gift_card),
      };
    });
    const shipping = order.shipping_lines ?? [];
    const refunds = (order.refunds ?? []).map((refund) => parseRefund(refund, currency));
    return {
      id: order.id,
      name: order.name ?? null,
      email: normalizeEmail(order.email ?? order.contact_email ?? order.customer?.email),
      customer: order.customer
        ? {
            id: order.customer.id,
            email: normalizeEmail(order.customer.email),
            firstName: order.customer.first_name ?? null,
            state: order.customer.state ?? null,
          }
        : null,
      currency,
      totalMinor: shopAmount(order.total_price_set, order.total_price, currency),
      taxesIncluded: Boolean(order.taxes_included),
      financialStatus: order.financial_status ?? null,
      cancelledAt: order.cancelled_at ?? null,
      ...fulfillmentDates(order.fulfillments ?? []),
      processedAt: order.processed_at ?? order.created_at ?? new Date(),
      updatedAt: order.updated_at ?? null,
      test: Boolean(order.test),
      customerLocale: order.customer_locale ?? null,
      lines,
      shippingMinor: sum(
        shipping.map((line) =>
          line.discounted_price_set || line.discounted_price !== undefined
            ? shopAmount(line.discounted_price_set, line.discounted_price, currency)
            : shopAmount(line.price_set, line.price, currency),
        ),
      ),
      shippingTaxMinor: sum(
        shipping.flatMap((line) => (line.tax_lines ?? []).map((t) => shopAmount(t.price_set, t.price, currency))),
      ),
      discountCodes: (order.discount_codes ?? []).map((code) => code.code),
      paidWithStoreCredit: (order.payment_gateway_names ?? []).includes(STORE_CREDIT_GATEWAY),
      refunds,
      referralCode: (() => {
        const value = order.note_attributes?.find((attribute) => attribute.name === REFERRAL_ATTRIBUTE)?.value;
        return typeof value === "string" && REFERRAL_CODE.test(value) ? value : null;
      })(),
    };
  });
}

const customerSchema = z.object({
  id,
  email: z.string().nullish(),
  first_name: z.string().nullish(),
  last_name: z.string().nullish(),
  state: z.string().nullish(),
  locale: z.string().nullish(),
  tags: z.union([z.string(), z.array(z.string())]).nullish(),
  email_marketing_consent: z.object({ state: z.string().nullish() }).passthrough().nullish(),
  created_at: date.nullish(),
  updated_at: date.nullish(),
});

export interface ShopifyCustomer {
  id: bigint;
  email: string | null;
  firstName: string | null;
  locale: string | null;
  state: string | null;
  /**
   * Only payloads of API versions before 2025-01 carry the customer's marketing consent;
   * from then on it arrives on customers_email_marketing_consent/update (undefined here).
   */
  emailConsent: boolean | undefined;
  updatedAt: Date | null;
}

export function parseCustomer(payload: unknown): ShopifyCustomer {
  const customer = parseWith(customerSchema, payload, "customer");
  return {
    id: customer.id,
    email: normalizeEmail(customer.email),
    firstName: customer.first_name ?? null,
    locale: customer.locale ?? null,
    state: customer.state ?? null,
    emailConsent: customer.email_marketing_consent
      ? customer.email_marketing_consent.state === "subscribed"
      : undefined,
    updatedAt: customer.updated_at ?? null,
  };
}

/**
 * customers_email_marketing_consent/update (shopify.dev Webhooks reference, 2026-04 sample):
 * { customer_id, email_address, email_marketing_consent: { state, opt_in_level,
 * consent_updated_at } }, states in lower case (subscribed, not_subscribed, pending,
 * unsubscribed, redacted, invalid).
 */
const emailConsentSchema = z.object({
  customer_id: id,
  email_address: z.string().nullish(),
  email_marketing_consent: z
    .object({ state: z.string(), opt_in_level: z.string().nullish(), consent_updated_at: date.nullish() })
    .passthrough(),
});

export interface ShopifyEmailConsent {
  customerId: bigint;
  email: string | null;
  subscribed: boolean;
  state: string;
  updatedAt: Date | null;
}

export function parseEmailConsent(payload: unknown): ShopifyEmailConsent {
  const body = parseWith(emailConsentSchema, payload, "email marketing consent");
  return {
    customerId: body.customer_id,
    email: normalizeEmail(body.email_address),
    subscribed: body.email_marketing_consent.state === "subscribed",
    state: body.email_marketing_consent.state,
    updatedAt: body.email_marketing_consent.consent_updated_at ?? null,
  };
}

const redactSchema = z.object({
  shop_domain: z.string().optional(),
  customer: z.object({ id: id.nullish(), email: z.string().nullish() }).passthrough().nullish(),
  orders_to_redact: z.array(id).nullish(),
  orders_requested: z.array(id).nullish(),
  data_request: z.object({ id: id.nullish() }).passthrough().nullish(),
});

export function parseCustomerPrivacyRequest(payload: unknown) {
  const body = parseWith(redactSchema, payload, "compliance");
  return {
    customerId: body.customer?.id ?? null,
    email: normalizeEmail(body.customer?.email),
    orderIds: body.orders_to_redact ?? body.orders_requested ?? [],
    requestId: body.data_request?.id ?? null,
  };
}
