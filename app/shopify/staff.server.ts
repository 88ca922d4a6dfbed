import type { Db } from "../platform/database/db";
import { logger } from "../platform/logger.server";
import { appConfig } from "../platform/runtime.server";

/**
 * The names of the shop's staff, for the activity log and the ledger ("Alex Morgan", not
 * "staff:1"). A session token names the user only by id; Shopify says who that is when
 * the app exchanges the token for an online access token (shopify.dev "Exchange a session
 * token for an access token": the answer's associated_user). The exchange runs at most
 * once a week per user, after the request it came with, and its token is not kept.
 */

const FRESH_MS = 7 * 86_400_000;
const inFlight = new Set<string>();
/** When this process last looked a user up: the admin's every request need not ask the database. */
const checked = new Map<string, number>();
const RECHECK_MS = 60 * 60_000;

const TOKEN_EXCHANGE = {
  grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
  subject_token_type: "urn:ietf:params:oauth:token-type:id_token",
  requested_token_type: "urn:shopify:params:oauth:token-type:online-access-token",
} as const;

interface OnlineTokenAnswer {
  associated_user?: { first_name?: string | null; last_name?: string | null; email?: string | null };
}

/** Learns who `userId` is, if not known this week. Never throws; never logs the token. */
export async function learnStaffName(
  db: Db,
  shop: { id: string; domain: string },
  userId: string,
  sessionToken: string,
): Promise<void> {
  const key = `${shop.id}:${userId}`;
  if (inFlight.has(key) || Date.now() - (checked.get(key) ?? 0) < RECHECK_MS) return;
  inFlight.add(key);
  checked.set(key, Date.now());
  try {
    const known = await db.staffMember.findUnique({ where: { shopId_userId: { shopId: shop.id, userId } } });
    if (known && Date.now() - known.updatedAt.getTime() < FRESH_MS) return;
    const row = await db.shop.findUnique({ where: { id: shop.id }, select: { adminApiUrl: true } });
    // The demo and the tests point the shop at the Admin API stand-in, which answers the exchange too.
    const origin = row?.adminApiUrl ? new URL(row.adminApiUrl).origin : `https://${shop.domain}`;
    const config = appConfig();
    const response = await fetch(`${origin}/admin/oauth/access_token`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({
        client_id: config.apiKey,
        client_secret: config.apiSecret,
        subject_token: sessionToken,
        ...TOKEN_EXCHANGE,
      }),
      signal: AbortSignal.timeout(5000),
    });
    if (!response.ok) {
      logger.warn({ shop: shop.domain, status: response.status }, "staff name: token exchange refused");
      return;
    }
    const user = ((await response.json()) as OnlineTokenAnswer).associated_user;
    const name = [user?.first_name, user?.last_name].filter(Boolean).join(" ") || user?.email;
    if (!name) return;
    await db.staffMember.upsert({
      where: { shopId_userId: { shopId: shop.id, userId } },
      create: { shopId: shop.id, userId, name: name.slice(0, 200), email: user?.email ?? null },
      update: { name: name.slice(0, 200), email: user?.email ?? null },
    });
  } catch (error) {
    logger.warn(
      { shop: shop.domain, err: error instanceof Error ? error.message : String(error) },
      "staff name lookup failed",
    );
  } finally {
    inFlight.delete(key);
  }
}
