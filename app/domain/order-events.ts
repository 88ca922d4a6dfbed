import type { OrderLine } from "./earning";

/**
 * The order events the loyalty rules work on, in the app's own terms (integer money in
 * the shop's currency, bigint ids, dates). The Shopify layer maps webhook payloads into
 * these (shopify/payloads.ts); the services never see a payload.
 */

export interface CustomerRef {
  id: bigint;
  email: string | null;
  firstName: string | null;
  state: string | null;
}

export interface OrderInput {
  id: bigint;
  name: string | null;
  email: string | null;
  customer: CustomerRef | null;
  currency: string;
  totalMinor: bigint;
  taxesIncluded: boolean;
  financialStatus: string | null;
  cancelledAt: Date | null;
  /** First shipped, and delivered as the carrier reported (null until then). */
  fulfilledAt: Date | null;
  deliveredAt: Date | null;
  processedAt: Date;
  updatedAt: Date | null;
  test: boolean;
  /** The buyer's language at checkout (e.g. "ru", "en-US"): what messages to them use. */
  customerLocale: string | null;
  lines: OrderLine[];
  shippingMinor: bigint;
  shippingTaxMinor: bigint;
  discountCodes: string[];
  /** Part of it was paid with Shopify store credit (where a loyalty store-credit reward is spent). */
  paidWithStoreCredit: boolean;
  refunds: RefundInput[];
  /** A referral code the buyer arrived with, if well-formed. */
  referralCode: string | null;
}

export interface RefundInput {
  id: bigint;
  orderId: bigint;
  /** Null only before the amounts are read (a refund with no *_set amounts names none). */
  currency: string | null;
  linesSubtotalMinor: bigint;
  linesTaxMinor: bigint;
  shippingMinor: bigint;
  /** Money returned by successful refund transactions (card or store credit). */
  transactionsMinor: bigint;
  refundedAt: Date | null;
}
