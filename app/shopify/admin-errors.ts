/** Failures of the Admin API, classified for the callers that decide whether to retry. */
export type AdminErrorKind = "throttled" | "transient" | "auth" | "graphql";

export class AdminApiError extends Error {
  override name = "AdminApiError";
  constructor(
    readonly kind: AdminErrorKind,
    message: string,
    /** How long to wait before retrying, when the answer said. */
    readonly waitMs?: number,
  ) {
    super(message);
  }
  /** Worth retrying later (a job), as opposed to a request Shopify will never accept. */
  get retryable() {
    return this.kind === "throttled" || this.kind === "transient";
  }
}

/**
 * Shopify's refusal of a field the token has no scope for: HTTP 200 with an
 * ACCESS_DENIED error ("Access denied for menus field. Required access: …"), expected
 * until the merchant approves a scope the app added.
 */
export function isAccessDenied(error: unknown): boolean {
  return error instanceof Error && /access denied|ACCESS_DENIED/i.test(error.message);
}
