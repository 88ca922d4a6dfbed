import prisma from "../db.server";
import { resolveLocale, type Locale } from "../i18n";
import { adminShop } from "../services/admin/program";
import { authenticateAdmin } from "./admin-auth.server";
import { adminClientForRequest } from "./admin-api.server";
import { learnStaffName } from "./staff.server";

/**
 * What every embedded admin route starts with: Shopify's own authentication (session
 * token → shop), the shop's loyalty context scoped to that shop, the admin user's
 * language, and who is acting (for the activity log).
 */

const LOCALE_COOKIE = "comeback_locale";

/**
 * Shopify admin passes the staff member's language as ?locale= on the document request
 * only; later data requests come without it, so it is kept in a cookie.
 */
export function requestLocale(request: Request): { locale: Locale; setCookie?: string } {
  const fromUrl = new URL(request.url).searchParams.get("locale");
  if (fromUrl) {
    const locale = resolveLocale(fromUrl);
    // SameSite=None: the admin is framed by admin.shopify.com.
    return {
      locale,
      setCookie: `${LOCALE_COOKIE}=${locale}; Path=/; Max-Age=31536000; SameSite=None; Secure; HttpOnly`,
    };
  }
  const cookie = request.headers.get("cookie")?.match(new RegExp(`(?:^|;\\s*)${LOCALE_COOKIE}=(\\w+)`))?.[1];
  return { locale: resolveLocale(cookie) };
}

export async function adminContext(request: Request) {
  const { session, sessionToken, admin } = await authenticateAdmin(request);
  const shop = await adminShop(prisma, session.shop);
  const { locale } = requestLocale(request);
  // Who "staff:<id>" is, for the activity log: learned after this request, once a week.
  const raw =
    request.headers.get("authorization")?.replace(/^Bearer\s+/i, "") ??
    new URL(request.url).searchParams.get("id_token");
  if (sessionToken?.sub && raw) void learnStaffName(prisma, shop, String(sessionToken.sub), raw);
  return {
    shop,
    locale,
    actor: `staff:${sessionToken?.sub ?? "unknown"}`,
    /** The Admin API for this request (the demo's stand-in where the shop points at one). */
    adminApi: () => adminClientForRequest(prisma, shop.domain, admin, { attempts: 2, timeoutMs: 5000 }),
  };
}
