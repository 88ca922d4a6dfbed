import type { Tx } from "../platform/database/db";
import type { DeliveryOutcome } from "../services/deliveries";
import type { ShopContext } from "../services/shop-context";

/** What each Shopify topic does with its deliveries (see webhooks.server.ts for how they are received). */
export type WebhookOutcome = DeliveryOutcome;

export interface WebhookHandler<T> {
  topic: string;
  /** Validates and converts the payload; throws PayloadError when it is not usable. */
  parse(payload: unknown): T;
  apply(tx: Tx, shop: ShopContext, input: T, meta: { webhookId: string }): Promise<WebhookOutcome>;
  /** Compliance and lifecycle topics answer 200 for shops we hold nothing for. */
  unknownShop?: "ok" | "reject";
  /** Most work stops when the app is uninstalled; compliance topics must still run. */
  runAfterUninstall?: boolean;
  /**
   * A busy instance may acknowledge it once recorded and leave it to the webhook inbox:
   * every effect is inside the delivery's transaction and keyed to be idempotent.
   */
  deferrable?: boolean;
  /**
   * Runs only once the shop's recorded deliveries are applied: a redaction must come after
   * the orders that name the customer, or one applied later would bring their data back.
   */
  afterRecordedDeliveries?: boolean;
}
