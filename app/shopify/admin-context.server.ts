import prisma from "../db.server";
import { resolveLocale, type Locale } from "../i18n";
import { adminShop, NotFoundError, ValidationError } from "../services/program-admin";
import { logger } from "../platform/logger.server";
import { authenticateAdmin } from "./admin-auth.server";

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
    return { locale, setCookie: `${LOCALE_COOKIE}=${locale}; Path=/; Max-Age=31536000; SameSite=None; Secure; HttpOnly` };
  }
  const cookie = request.headers.get("cookie")?.match(new RegExp(`(?:^|;\\s*)${LOCALE_COOKIE}=(\\w+)`))?.[1];
  return { locale: resolveLocale(cookie) };
}

export async function adminContext(request: Request) {
  const { session, sessionToken } = await authenticateAdmin(request);
  const shop = await adminShop(prisma, session.shop);
  const { locale } = requestLocale(request);
  return { shop, locale, actor: `staff:${sessionToken?.sub ?? "unknown"}` };
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
}

/** Runs an admin action: field errors → 422, another shop's or a missing id → 404. */
export async function adminAction(work: () => Promise<unknown>): Promise<Response> {
  try {
    const result = await work();
    return json(200, { ok: true, result: result ?? null });
  } catch (error) {
    if (error instanceof ValidationError) return json(422, { ok: false, errors: error.fields });
    if (error instanceof NotFoundError) return json(404, { ok: false, errors: { form: "validation.notFound" } });
    if (error instanceof Response) throw error;
    logger.error({ err: error }, "admin action failed");
    return json(500, { ok: false, errors: { form: "error.body" } });
  }
}

/** The action's form as strings (files and repeated keys are not used by our forms). */
export async function formFields(request: Request): Promise<Record<string, string>> {
  const form = await request.formData();
  const fields: Record<string, string> = {};
  for (const [key, value] of form) if (typeof value === "string") fields[key] = value;
  return fields;
}
