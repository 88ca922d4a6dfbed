import { resolveLocale, type Locale } from "../i18n";

/**
 * The admin user's language. Shopify admin passes it as ?locale= on the document request
 * only; later data requests come without it, so it is kept in a cookie. Outside Shopify
 * admin (the local demo) no ?locale= comes, and the browser's languages decide.
 */
const LOCALE_COOKIE = "comeback_locale";

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
  if (cookie) return { locale: resolveLocale(cookie) };
  // Outside Shopify admin (the local demo) no ?locale= comes: the browser's languages say.
  return { locale: resolveLocale(preferredLanguage(request.headers.get("accept-language"))) };
}

/** The first of the browser's languages (Accept-Language, by q) that the admin speaks. */
function preferredLanguage(header: string | null): string | undefined {
  const ranked = (header ?? "")
    .split(",")
    .map((part) => {
      const [tag, ...params] = part.trim().split(";");
      const q = Number(params.find((p) => p.trim().startsWith("q="))?.split("=")[1] ?? 1);
      return { tag: tag!.trim(), q: Number.isFinite(q) ? q : 0 };
    })
    .filter((entry) => entry.tag && entry.q > 0)
    .sort((a, b) => b.q - a.q);
  // resolveLocale falls back to English for a language the admin does not speak.
  return ranked.find((entry) => resolveLocale(entry.tag) === entry.tag.toLowerCase().split(/[-_]/)[0])?.tag;
}
