import { InvalidInputError } from "../domain/errors";
import { isRetryableConflict } from "../platform/database/db";
import { logger } from "../platform/logger.server";
import type { DeliveryResult } from "../services/deliveries";
import { LedgerError } from "../services/ledger";
import { jsonResponse } from "./responses";

/**
 * The answer to a webhook delivery (Shopify's or a review app's): 200 once its effects are
 * committed (or it was a repeat), 422 for input the rules refuse (the sender should stop),
 * 503 for a race lost after retries and 500 otherwise (the sender retries both).
 */
export async function deliveryResponse(
  context: { shop: string; topic: string; deliveryId: string },
  run: () => Promise<DeliveryResult>,
): Promise<Response> {
  try {
    const result = await run();
    if (result.duplicate) return jsonResponse({ status: "duplicate" });
    const { status, note } = result.outcome;
    return jsonResponse({ status: status.toLowerCase(), ...(note ? { note } : {}) });
  } catch (error) {
    if (error instanceof InvalidInputError)
      return jsonResponse({ error: "invalid_payload", issues: error.issues }, 422);
    if (error instanceof LedgerError) {
      logger.warn({ ...context, err: error.message }, "delivery rejected by ledger");
      return jsonResponse({ error: "rejected", message: error.message }, 422);
    }
    if (isRetryableConflict(error)) return jsonResponse({ error: "busy", message: "Please retry" }, 503);
    logger.error({ ...context, err: error }, "delivery failed");
    return jsonResponse({ error: "internal_error" }, 500);
  }
}
