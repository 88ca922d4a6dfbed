import type { AdminMutations, AdminQueries } from "@shopify/admin-api-client";
import { GraphQLClient, ClientError } from "graphql-request";
import { GraphqlQueryError, HttpResponseError, HttpRetriableError, HttpThrottlingError } from "@shopify/shopify-api";
import type { Db } from "../platform/database/db";
import { logger } from "../platform/logger.server";
import { AdminApiError } from "./admin-errors";
import { offlineAccessToken } from "./offline-token.server";

/**
 * The Admin GraphQL API, as one small interface for the rest of the app.
 *
 * In a request, the `admin` client that shopify-app-remix's authentication provides;
 * outside a request (jobs, retries), `graphql-request` with the shop's offline token.
 * The endpoint is the shop's own (`https://<shop>/admin/api/2026-10/graphql.json`)
 * unless the shop row overrides it (the local demo and the tests point it at the
 * stand-in, which only the graphql-request client can reach).
 *
 * Shopify's cost-based throttling answers `THROTTLED` with the bucket's state; we wait
 * for enough points to restore and try again. 5xx and network failures back off
 * exponentially. `userErrors` are the caller's business: they are data, not failures.
 */

export const ADMIN_API_VERSION = "2026-10";

export { AdminApiError, type AdminErrorKind } from "./admin-errors";

/**
 * The app's Admin GraphQL documents, typed by @shopify/api-codegen-preset from Shopify's
 * schema (app/types/admin.generated.d.ts, made by `npm run graphql-codegen`): a document
 * written as a `#graphql` literal gets its variables and result types from its text.
 */
type Documents = AdminQueries & AdminMutations;

export interface AdminGraphql {
  request<Q extends keyof Documents & string>(
    query: Q,
    variables?: Documents[Q]["variables"],
  ): Promise<Documents[Q]["return"]>;
  /** A document assembled at run time (aliased batches, tests): the caller types the result. */
  requestUntyped<T>(query: string, variables?: Record<string, unknown>): Promise<T>;
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
  /**
   * Called once when Shopify refuses the token (401): a fresh token to try again with, or
   * null to give up. Offline tokens can be revoked or expire earlier than recorded.
   */
  onUnauthorized?: (rejected: string) => Promise<string | null>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The retry policy both transports share: throttling waits for the bucket to refill,
 * transient failures back off exponentially, anything else is thrown at once.
 */
async function withRetries<T>(
  attempts: number,
  sleep: (ms: number) => Promise<void>,
  attempt: () => Promise<T>,
): Promise<T> {
  let lastError: AdminApiError | undefined;
  for (let n = 1; n <= attempts; n++) {
    try {
      return await attempt();
    } catch (error) {
      lastError = error instanceof AdminApiError ? error : new AdminApiError("transient", String(error));
      if (!lastError.retryable || n === attempts) throw lastError;
      const wait = lastError.waitMs ?? Math.min(200 * 2 ** (n - 1), 3000);
      logger.warn({ kind: lastError.kind, attempt: n, waitMs: wait }, "admin api retry");
      await sleep(wait);
    }
  }
  throw lastError ?? new AdminApiError("transient", "no attempt made");
}

/** graphql-request with the shop's offline token (jobs, and shops with an endpoint override). */
export function createAdminClient(options: Options): AdminGraphql {
  const attempts = options.attempts ?? 4;
  const sleep = options.sleep ?? defaultSleep;
  const timeoutMs = options.timeoutMs ?? 8000;
  let accessToken = options.accessToken;
  let renewed = false;
  const send = async <T>(query: string, variables?: Record<string, unknown>): Promise<T> => {
    const client = new GraphQLClient(options.endpoint, {
      headers: { "X-Shopify-Access-Token": accessToken, "Content-Type": "application/json" },
      signal: AbortSignal.timeout(timeoutMs),
    });
    try {
      return (await client.rawRequest<T>(query, variables)).data;
    } catch (error) {
      throw classify(error);
    }
  };
  const run = <T>(query: string, variables?: Record<string, unknown>): Promise<T> =>
    withRetries(attempts, sleep, async () => {
      try {
        return await send<T>(query, variables);
      } catch (error) {
        if (!(error instanceof AdminApiError) || error.kind !== "auth" || renewed || !options.onUnauthorized)
          throw error;
        renewed = true;
        const fresh = await options.onUnauthorized(accessToken);
        if (!fresh || fresh === accessToken) throw error;
        accessToken = fresh;
        return send<T>(query, variables);
      }
    });
  return typedClient(run);
}

/** Both faces of an AdminGraphql over one transport: typed by document, and untyped. */
function typedClient(run: <T>(query: string, variables?: Record<string, unknown>) => Promise<T>): AdminGraphql {
  return {
    request: (query, variables) => run(query, variables as Record<string, unknown> | undefined),
    requestUntyped: run,
  };
}

/** The `admin` context that shopify-app-remix's authentication hands a request. */
export interface AuthenticatedAdmin {
  graphql(query: string, options?: { variables?: Record<string, unknown> }): Promise<Response>;
}

/**
 * The authenticated request's own Admin client, behind the same interface and retry
 * policy. The library reports failures with its own error classes; they are mapped here.
 */
export function fromAuthenticatedAdmin(
  admin: AuthenticatedAdmin,
  options: { attempts?: number; sleep?: (ms: number) => Promise<void> } = {},
): AdminGraphql {
  return typedClient(<T>(query: string, variables?: Record<string, unknown>) =>
    withRetries(options.attempts ?? 4, options.sleep ?? defaultSleep, async () => {
      try {
        const response = await admin.graphql(query, { variables });
        const body = (await response.json()) as { data?: T; errors?: unknown };
        if (body.errors) throw new AdminApiError("graphql", JSON.stringify(body.errors).slice(0, 500));
        return body.data as T;
      } catch (error) {
        throw classifyLibraryError(error);
      }
    }),
  );
}

function classify(error: unknown): AdminApiError {
  if (error instanceof ClientError) {
    const status = error.response.status;
    const errors = error.response.errors ?? [];
    if (errors.some((e) => (e.extensions as { code?: string } | undefined)?.code === "THROTTLED") || status === 429) {
      return new AdminApiError("throttled", "throttled by Shopify", throttleWaitMs(error));
    }
    if (status === 401 || status === 403) return new AdminApiError("auth", `Admin API refused the token (${status})`);
    if (status >= 500) return new AdminApiError("transient", `Admin API answered ${status}`);
    return new AdminApiError("graphql", errors.map((e) => e.message).join("; ") || `Admin API answered ${status}`);
  }
  const message = error instanceof Error ? error.message : String(error);
  return new AdminApiError("transient", `Admin API unreachable: ${message}`);
}

/** How long until the bucket holds enough points for the query that was throttled. */
function throttleWaitMs(error: ClientError): number {
  const extensions = error.response.extensions as
    { cost?: { requestedQueryCost?: number; throttleStatus?: ThrottleStatus } } | undefined;
  const cost = extensions?.cost;
  if (cost?.throttleStatus && cost.requestedQueryCost) {
    const missing = cost.requestedQueryCost - cost.throttleStatus.currentlyAvailable;
    return Math.max(100, Math.ceil((missing / Math.max(cost.throttleStatus.restoreRate, 1)) * 1000));
  }
  return 1000;
}

function classifyLibraryError(error: unknown): AdminApiError {
  if (error instanceof AdminApiError) return error;
  if (error instanceof HttpThrottlingError) {
    const retryAfter = Number(error.response.retryAfter);
    return new AdminApiError(
      "throttled",
      "throttled by Shopify",
      Number.isFinite(retryAfter) ? retryAfter * 1000 : undefined,
    );
  }
  if (error instanceof HttpRetriableError)
    return new AdminApiError("transient", `Admin API answered ${error.response.code}`);
  if (error instanceof HttpResponseError) {
    const code = error.response.code;
    if (code === 401 || code === 403) return new AdminApiError("auth", `Admin API refused the token (${code})`);
    return new AdminApiError(code >= 500 ? "transient" : "graphql", `Admin API answered ${code}`);
  }
  if (error instanceof GraphqlQueryError) {
    const errors = ((error.body as { errors?: unknown } | undefined)?.errors ?? []) as Array<{
      extensions?: { code?: string };
    }>;
    const list = Array.isArray(errors) ? errors : [];
    if (list.some((e) => e.extensions?.code === "THROTTLED"))
      return new AdminApiError("throttled", "throttled by Shopify");
    return new AdminApiError("graphql", error.message);
  }
  const message = error instanceof Error ? error.message : String(error);
  return new AdminApiError("transient", `Admin API unreachable: ${message}`);
}

/**
 * The Admin client for a shop outside a request, with its offline token (refreshed when
 * it is about to expire, and once more if Shopify refuses it); null when the shop has none.
 */
export async function adminClientForShop(
  db: Db,
  shopDomain: string,
  overrides: Partial<Options> = {},
): Promise<AdminGraphql | null> {
  const shop = await db.shop.findUnique({ where: { domain: shopDomain }, select: { domain: true, adminApiUrl: true } });
  if (!shop) return null;
  const accessToken = await offlineAccessToken(db, shop);
  if (!accessToken) return null;
  return createAdminClient({
    endpoint: shop.adminApiUrl ?? `https://${shopDomain}/admin/api/${ADMIN_API_VERSION}/graphql.json`,
    accessToken,
    onUnauthorized: (rejected) => offlineAccessToken(db, shop, { force: true, rejected }),
    ...overrides,
  });
}

/**
 * The client for a request: the authenticated request's own `admin` (as Shopify's
 * template does), unless the shop's endpoint is overridden (local demo, tests), in
 * which case the offline-token client reaches the override.
 */
export async function adminClientForRequest(
  db: Db,
  shopDomain: string,
  admin: AuthenticatedAdmin | undefined,
  overrides: Partial<Options> = {},
): Promise<AdminGraphql | null> {
  const shop = await db.shop.findUnique({ where: { domain: shopDomain }, select: { adminApiUrl: true } });
  if (!shop) return null;
  if (!shop.adminApiUrl && admin)
    return fromAuthenticatedAdmin(admin, { attempts: overrides.attempts, sleep: overrides.sleep });
  return adminClientForShop(db, shopDomain, overrides);
}
