import prisma from "../db.server";
import { adminShop } from "../services/admin/program";
import { authenticateAdmin } from "./admin-auth.server";
import { adminClientForRequest } from "./admin-api.server";
import { learnStaffName } from "./staff.server";
import { requestLocale } from "../http/locale";

/**
 * What every embedded admin route starts with: Shopify's own authentication (session
 * token → shop), the shop's loyalty context scoped to that shop, the admin user's
 * language, and who is acting (for the activity log).
 */

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
    /**
     * The Admin API for this request (the demo's stand-in where the shop points at one).
     * A read the page should not wait long for passes fewer attempts and a shorter timeout.
     */
    adminApi: (limits: { attempts?: number; timeoutMs?: number } = {}) =>
      adminClientForRequest(prisma, shop.domain, admin, { attempts: 2, timeoutMs: 5000, ...limits }),
  };
}
