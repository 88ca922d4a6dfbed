import { randomUUID } from "node:crypto";
import { appConfig } from "../../platform/runtime.server";
import { logger } from "../../platform/logger.server";
import { ValidationError } from "../../services/admin/forms";
import { signedReviewRequest, TEST_REVIEW_PREFIX } from "./outbound";
import type { Provider } from "./providers";

/**
 * The admin's "send a test event": a review signed with the stored secret, sent to the
 * app's public webhook URL as the review app would send it, so the URL, the secret and
 * the app's reachability are all checked. It is recorded as a test and credits no one.
 */
export async function sendTestReviewEvent(shopDomain: string, provider: string, secret: string): Promise<void> {
  const review = {
    id: `${TEST_REVIEW_PREFIX}${randomUUID()}`,
    email: "review-test@example.com",
    productId: "1",
    rating: 5,
    hasPhoto: false,
  };
  const { url, init } = signedReviewRequest(provider as Provider, secret, review, {
    appUrl: appConfig().appUrl,
    shopDomain,
  });
  let status: number;
  try {
    status = (await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) })).status;
  } catch (error) {
    logger.warn({ err: error, provider }, "review test event could not reach the app");
    throw new ValidationError({ form: "program.reviews.testUnreachable" });
  }
  if (status === 401) throw new ValidationError({ form: "program.reviews.testSignature" });
  if (status !== 200) throw new ValidationError({ form: "program.reviews.testFailed" });
}
