import { GraphQLClient, ClientError } from "graphql-request";
import type { Db } from "../loyalty/db";
import { logger } from "../platform/logger.server";

/**
 * The Admin GraphQL API, as one small interface for the rest of the app.
 *
 * Requests go through `graphql-request` with the shop's offline token: from a request
 * handler or from a background job alike, so retries and jobs behave the same. The
 * endpoint is the shop's own (`https://<shop>/admin/api/2026-10/graphql.json`) unless
 * the shop row overrides it (the local demo and the tests point it at the stand-in).
 *
 * Shopify's cost-based throttling answers `THROTTLED` with the bucket's state; we wait
 * for enough points to restore and try again. 5xx and network failures back off
 * exponentially. `userErrors` are the caller's business: they are data, not failures.
 */

export const ADMIN_API_VERSION = "2026-10";

export type AdminErrorKind = "throttled" | "transient" | "auth" | "graphql";

export class AdminApiError extends Error {
  override name = "AdminApiError";
  constructor(
    readonly kind: AdminErrorKind,
    message: string,
  ) {
    super(message);
  }
  /** Worth retrying later (a job), as opposed to a request Shopify will never accept. */
  get retryable() {
    return this.kind === "throttled" || this.kind === "transient";
  }
}

export interface AdminGraphql {
  request<T>(query: string, variables?: Record<string, unknown>): Promise<T>;
}

interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

interface Options {
  endpoint: string;
  accessToken: string;
  attempts?: number;
  timeoutMs?: number;
  /** Injected in tests to avoid real waiting. */
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function createAdminClient(options: Options): AdminGraphql {
  const attempts = options.attempts ?? 4;
  const sleep = options.sleep ?? defaultSleep;
  const timeoutMs = options.timeoutMs ?? 8000;

  return {
    async request<T>(query: string, variables?: Record<string, unknown>): Promise<T> {
      let lastError: AdminApiError | undefined;
      for (let attempt = 1; attempt <= attempts; attempt++) {
        const client = new GraphQLClient(options.endpoint, {
          headers: { "X-Shopify-Access-Token": options.accessToken, "Content-Type": "application/json" },
          signal: AbortSignal.timeout(timeoutMs),
        });
        try {
          const response = await client.rawRequest<T>(query, variables);
          return response.data;
        } catch (error) {
          lastError = classify(error);
          if (!lastError.retryable || attempt === attempts) throw lastError;
          const wait = lastError.kind === "throttled" ? throttleWaitMs(error) : Math.min(200 * 2 ** (attempt - 1), 3000);
          logger.warn({ kind: lastError.kind, attempt, waitMs: wait }, "admin api retry");
          await sleep(wait);
        }
      }
      throw lastError ?? new AdminApiError("transient", "no attempt made");
    },
  };
}

function classify(error: unknown): AdminApiError {
  if (error instanceof ClientError) {
    const status = error.response.status;
    const errors = error.response.errors ?? [];
    if (errors.some((e) => (e.extensions as { code?: string } | undefined)?.code === "THROTTLED") || status === 429) {
      return new AdminApiError("throttled", "throttled by Shopify");
    }
    if (status === 401 || status === 403) return new AdminApiError("auth", `Admin API refused the token (${status})`);
    if (status >= 500) return new AdminApiError("transient", `Admin API answered ${status}`);
    return new AdminApiError("graphql", errors.map((e) => e.message).join("; ") || `Admin API answered ${status}`);
  }
  const message = error instanceof Error ? error.message : String(error);
  return new AdminApiError("transient", `Admin API unreachable: ${message}`);
}

/** How long until the bucket holds enough points for the query that was throttled. */
function throttleWaitMs(error: unknown): number {
  if (error instanceof ClientError) {
    const extensions = error.response.extensions as { cost?: { requestedQueryCost?: number; throttleStatus?: ThrottleStatus } } | undefined;
    const cost = extensions?.cost;
    if (cost?.throttleStatus && cost.requestedQueryCost) {
      const missing = cost.requestedQueryCost - cost.throttleStatus.currentlyAvailable;
      return Math.max(100, Math.ceil((missing / Math.max(cost.throttleStatus.restoreRate, 1)) * 1000));
    }
  }
  return 1000;
}

/** The Admin client for a shop, with its offline token; null when the shop has none. */
export async function adminClientForShop(db: Db, shopDomain: string, overrides: Partial<Options> = {}): Promise<AdminGraphql | null> {
  const [shop, session] = await Promise.all([
    db.shop.findUnique({ where: { domain: shopDomain }, select: { adminApiUrl: true } }),
    db.session.findFirst({ where: { shop: shopDomain, isOnline: false }, select: { accessToken: true } }),
  ]);
  if (!shop || !session?.accessToken) return null;
  return createAdminClient({
    endpoint: shop.adminApiUrl ?? `https://${shopDomain}/admin/api/${ADMIN_API_VERSION}/graphql.json`,
    accessToken: session.accessToken,
    ...overrides,
  });
}
