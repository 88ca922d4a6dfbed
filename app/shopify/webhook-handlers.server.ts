import { exportCustomerData, redactCustomer } from "../services/compliance";
import { enrollMember, refreshMemberProfile, updateEmailConsent } from "../services/members";
import { invalidateShopContext } from "../services/shop-context";
import {
  applyOrderCancelled,
  applyOrderPaid,
  recordFulfillment,
  applyOrderUpdated,
  applyRefund,
  type OrderOutcome,
} from "../services/orders";
import {
  parseCustomer,
  parseCustomerPrivacyRequest,
  parseEmailConsent,
  parseOrder,
  parseRefund,
  PayloadError,
  type ShopifyCustomer,
  type ShopifyEmailConsent,
  type ShopifyOrder,
  type ShopifyRefund,
} from "./payloads";
import type { WebhookHandler, WebhookOutcome } from "./webhook-handler";
import { requestHistoryStep } from "../services/history";

/** Shopify topics → the loyalty core. Routes only pick the handler. */

function fromOrderOutcome(outcome: OrderOutcome): WebhookOutcome {
  switch (outcome.kind) {
    case "ignored":
      return { status: "IGNORED", note: outcome.reason };
    case "duplicate":
      return { status: "IGNORED", note: "already applied" };
    default:
      return {
        status: "PROCESSED",
        codesGranted: (outcome.kind === "earned" && (outcome.codesGranted ?? 0) > 0) || undefined,
      };
  }
}

export const ordersPaid: WebhookHandler<ShopifyOrder> = {
  topic: "orders/paid",
  deferrable: true,
  parse: parseOrder,
  apply: async (tx, shop, order) => {
    const outcome = fromOrderOutcome(await applyOrderPaid(tx, shop, order));
    await recordFulfillment(tx, shop, order);
    return outcome;
  },
};

export const ordersUpdated: WebhookHandler<ShopifyOrder> = {
  topic: "orders/updated",
  deferrable: true,
  parse: parseOrder,
  apply: async (tx, shop, order) => {
    const outcome = fromOrderOutcome(await applyOrderUpdated(tx, shop, order));
    await recordFulfillment(tx, shop, order);
    return outcome;
  },
};

/** orders/fulfilled: the order shipped in full (its fulfillments say when, and any delivery). */
export const ordersFulfilled: WebhookHandler<ShopifyOrder> = {
  topic: "orders/fulfilled",
  deferrable: true,
  parse: parseOrder,
  apply: async (tx, shop, order) =>
    (await recordFulfillment(tx, shop, order))
      ? { status: "PROCESSED", note: "fulfillment recorded" }
      : { status: "IGNORED", note: "nothing new about its shipping" },
};

export const ordersCancelled: WebhookHandler<ShopifyOrder> = {
  topic: "orders/cancelled",
  deferrable: true,
  parse: parseOrder,
  apply: async (tx, shop, order) => fromOrderOutcome(await applyOrderCancelled(tx, shop, order)),
};

export const refundsCreate: WebhookHandler<{ payload: unknown; refund: ShopifyRefund }> = {
  topic: "refunds/create",
  deferrable: true,
  parse: (payload) => ({ payload, refund: parseRefund(payload) }),
  // An amount-only refund names no currency: its amounts are read in the shop's.
  apply: async (tx, shop, { payload, refund }) =>
    fromOrderOutcome(await applyRefund(tx, shop, refund.currency ? refund : parseRefund(payload, shop.currency))),
};

export const customersCreate: WebhookHandler<ShopifyCustomer> = {
  topic: "customers/create",
  deferrable: true,
  parse: parseCustomer,
  apply: async (tx, shop, customer) => {
    if (!shop.settings.autoEnroll) {
      await refreshMemberProfile(tx, shop, { ...customer, customerId: customer.id });
      return { status: "IGNORED", note: "auto-enrol is off" };
    }
    const { created } = await enrollMember(tx, shop, {
      customerId: customer.id,
      email: customer.email,
      firstName: customer.firstName,
      locale: customer.locale,
      emailConsent: customer.emailConsent,
      via: "customer_created",
    });
    return created ? { status: "PROCESSED" } : { status: "IGNORED", note: "already a member" };
  },
};

export const customersUpdate: WebhookHandler<ShopifyCustomer> = {
  topic: "customers/update",
  deferrable: true,
  parse: parseCustomer,
  apply: async (tx, shop, customer) => {
    const member = await refreshMemberProfile(tx, shop, { ...customer, customerId: customer.id });
    return member ? { status: "PROCESSED" } : { status: "IGNORED", note: "not a member" };
  },
};

export const customersEmailConsentUpdate: WebhookHandler<ShopifyEmailConsent> = {
  topic: "customers_email_marketing_consent/update",
  deferrable: true,
  parse: parseEmailConsent,
  apply: async (tx, shop, consent) => {
    const member = await updateEmailConsent(tx, shop, consent.customerId, consent.subscribed);
    return member ? { status: "PROCESSED" } : { status: "IGNORED", note: "not a member" };
  },
};

type PrivacyRequest = ReturnType<typeof parseCustomerPrivacyRequest>;

export const customersRedact: WebhookHandler<PrivacyRequest> = {
  topic: "customers/redact",
  afterRecordedDeliveries: true,
  parse: parseCustomerPrivacyRequest,
  unknownShop: "ok",
  runAfterUninstall: true,
  apply: async (tx, shop, request) => {
    const result = await redactCustomer(tx, shop, request);
    return { status: "PROCESSED", note: `redacted ${result.members} member(s), ${result.orders} order(s)` };
  },
};

export const customersDataRequest: WebhookHandler<PrivacyRequest> = {
  topic: "customers/data_request",
  parse: parseCustomerPrivacyRequest,
  unknownShop: "ok",
  runAfterUninstall: true,
  apply: async (tx, shop, request) => {
    const { exportId } = await exportCustomerData(tx, shop, request);
    return { status: "PROCESSED", note: `export ${exportId} ready in the activity log` };
  },
};

export const shopRedact: WebhookHandler<unknown> = {
  topic: "shop/redact",
  afterRecordedDeliveries: true,
  parse: (payload) => payload,
  unknownShop: "ok",
  runAfterUninstall: true,
  apply: async (tx, shop) => {
    // Every loyalty table cascades from Shop; sessions are keyed by domain.
    await tx.session.deleteMany({ where: { shop: shop.domain } });
    await tx.shop.delete({ where: { id: shop.id } });
    invalidateShopContext(shop);
    return { status: "PROCESSED", note: "shop data erased" };
  },
};

export const appUninstalled: WebhookHandler<unknown> = {
  topic: "app/uninstalled",
  parse: (payload) => payload,
  unknownShop: "ok",
  runAfterUninstall: true,
  apply: async (tx, shop) => {
    // Work stops (the shop context is no longer live); data stays until shop/redact.
    await tx.shop.updateMany({ where: { id: shop.id, uninstalledAt: null }, data: { uninstalledAt: new Date() } });
    invalidateShopContext(shop);
    await tx.session.deleteMany({ where: { shop: shop.domain } });
    return { status: "PROCESSED" };
  },
};

export const appScopesUpdate: WebhookHandler<{ current: string[] }> = {
  topic: "app/scopes_update",
  parse: (payload) => {
    const current = (payload as { current?: unknown })?.current;
    return { current: Array.isArray(current) ? current.map(String) : [] };
  },
  unknownShop: "ok",
  runAfterUninstall: true,
  apply: async (tx, shop, { current }) => {
    await tx.session.updateMany({ where: { shop: shop.domain }, data: { scope: current.join(",") } });
    return { status: "PROCESSED" };
  },
};

/**
 * bulk_operations/finish: Shopify finished writing a bulk operation's file (shopify.dev
 * usage/bulk-operations/queries: { admin_graphql_api_id, status, error_code, … }, lower
 * case). The history import's next step reads it; the minute's poll covers a lost one.
 */
export const bulkOperationsFinish: WebhookHandler<{ id: string; status: string }> = {
  topic: "bulk_operations/finish",
  parse: (payload) => {
    const body = (payload ?? {}) as { admin_graphql_api_id?: unknown; status?: unknown };
    if (
      typeof body.admin_graphql_api_id !== "string" ||
      !/^gid:\/\/shopify\/BulkOperation\/\d+$/.test(body.admin_graphql_api_id)
    )
      throw new PayloadError("invalid bulk_operations/finish payload", [
        "admin_graphql_api_id: must be a BulkOperation GID",
      ]);
    return { id: body.admin_graphql_api_id, status: String(body.status ?? "") };
  },
  apply: async (tx, shop, { id }) => {
    const history = await tx.historyImport.findFirst({
      where: { shopId: shop.id, bulkOperationId: id, status: "RUNNING" },
      select: { id: true },
    });
    if (!history) return { status: "IGNORED", note: "no history import waits on this operation" };
    await requestHistoryStep(history.id);
    return { status: "PROCESSED" };
  },
};

/** The topics the webhook inbox applies (those marked deferrable), by name. */
export const DEFERRABLE_HANDLERS: ReadonlyMap<string, WebhookHandler<unknown>> = new Map(
  (
    [
      ordersPaid,
      ordersUpdated,
      ordersFulfilled,
      ordersCancelled,
      refundsCreate,
      customersCreate,
      customersUpdate,
      customersEmailConsentUpdate,
      customersRedact,
      customersDataRequest,
      shopRedact,
      appUninstalled,
      appScopesUpdate,
      bulkOperationsFinish,
    ] as Array<WebhookHandler<unknown>>
  )
    .filter((handler) => handler.deferrable)
    .map((handler) => [handler.topic, handler]),
);
