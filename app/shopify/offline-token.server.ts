import type { Db } from "../platform/database/db";
import { inTransaction } from "../platform/database/db";
import { appConfig } from "../platform/runtime.server";
import { logger } from "../platform/logger.server";
import { AdminApiError } from "./admin-errors";

/**
 * The shop's offline access token for work outside a request (jobs, retries, the
 * Thank-you route), refreshed before it expires.
 *
 * With expiring offline tokens, Shopify issues a token that lives about an hour and a
 * refresh token that lives 30 days and is used once. shopify-app-remix refreshes inside
 * `unauthenticated.admin`, with no lock: two instances refreshing at once spend the same
 * refresh token and one of them loses the session. Here the exchange runs under a
 * per-shop advisory lock, and whoever waited re-reads the session the winner stored.
 *
 * The exchange is the library's (shopify-api lib/auth/oauth/refresh-token.ts): POST
 * {client_id, client_secret, refresh_token, grant_type: "refresh_token"} to
 * /admin/oauth/access_token on the shop's domain (or the stand-in the shop row points
 * the Admin API at, in the demo and tests), stored in the library's session row.
 */

/** Refresh this long before expiry, as the library does. */
const REFRESH_MARGIN_MS = 5 * 60 * 1000;

interface OfflineSession {
  id: string;
  accessToken: string;
  expires: Date | null;
  refreshToken: string | null;
}

interface TokenResponse {
  access_token?: string;
  expires_in?: number;
  refresh_token?: string;
  refresh_token_expires_in?: number;
  scope?: string;
}

function needsRefresh(session: OfflineSession, now: number): boolean {
  return session.expires !== null && session.expires.getTime() - now <= REFRESH_MARGIN_MS;
}

async function readSession(db: Db, shopDomain: string, lock: boolean): Promise<OfflineSession | null> {
  const rows = lock
    ? await db.$queryRaw<OfflineSession[]>`
        SELECT id, "accessToken", expires, "refreshToken" FROM "Session"
        WHERE shop = ${shopDomain} AND NOT "isOnline" ORDER BY id LIMIT 1 FOR UPDATE`
    : await db.$queryRaw<OfflineSession[]>`
        SELECT id, "accessToken", expires, "refreshToken" FROM "Session"
        WHERE shop = ${shopDomain} AND NOT "isOnline" ORDER BY id LIMIT 1`;
  return rows[0] ?? null;
}

/**
 * A usable offline token, or null when the shop has no offline session. `force` refreshes
 * even a token that looks fresh (Shopify answered 401 to it).
 */
export async function offlineAccessToken(
  db: Db,
  shop: { domain: string; adminApiUrl: string | null },
  options: { force?: boolean; rejected?: string } = {},
): Promise<string | null> {
  const current = await readSession(db, shop.domain, false);
  if (!current) return null;
  if (!options.force && !needsRefresh(current, Date.now())) return current.accessToken;
  if (!current.refreshToken) return current.accessToken;

  return inTransaction(db, async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`offline-token:${shop.domain}`}))`;
    const session = await readSession(tx, shop.domain, true);
    if (!session) return null;
    // Another request or instance refreshed while we waited for the lock.
    const replaced = options.rejected !== undefined && session.accessToken !== options.rejected;
    if (replaced || (!options.force && !needsRefresh(session, Date.now())) || !session.refreshToken)
      return session.accessToken;

    const refreshed = await exchange(shop, session.refreshToken);
    const now = Date.now();
    await tx.session.update({
      where: { id: session.id },
      data: {
        accessToken: refreshed.access_token,
        expires: refreshed.expires_in ? new Date(now + refreshed.expires_in * 1000) : null,
        // Kept when the answer has none: losing it would end refreshing for good.
        refreshToken: refreshed.refresh_token ?? session.refreshToken,
        ...(refreshed.refresh_token_expires_in
          ? { refreshTokenExpires: new Date(now + refreshed.refresh_token_expires_in * 1000) }
          : {}),
        ...(refreshed.scope ? { scope: refreshed.scope } : {}),
      },
    });
    logger.info({ shop: shop.domain }, "offline access token refreshed");
    return refreshed.access_token!;
  });
}

async function exchange(
  shop: { domain: string; adminApiUrl: string | null },
  refreshToken: string,
): Promise<TokenResponse> {
  const config = appConfig();
  const origin = shop.adminApiUrl ? new URL(shop.adminApiUrl).origin : `https://${shop.domain}`;
  let response: Response;
  try {
    response = await fetch(`${origin}/admin/oauth/access_token`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({
        client_id: config.apiKey,
        client_secret: config.apiSecret,
        refresh_token: refreshToken,
        grant_type: "refresh_token",
      }),
      signal: AbortSignal.timeout(8000),
    });
  } catch (error) {
    throw new AdminApiError(
      "transient",
      `token refresh unreachable: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (response.status >= 500) throw new AdminApiError("transient", `token refresh answered ${response.status}`);
  const body = (await response.json().catch(() => ({}))) as TokenResponse & { error?: string };
  if (!response.ok || !body.access_token) {
    // The refresh token is spent or revoked: the merchant must open the app again.
    throw new AdminApiError("auth", `token refresh refused (${response.status} ${body.error ?? "no token"})`);
  }
  return body;
}
