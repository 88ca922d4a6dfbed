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
