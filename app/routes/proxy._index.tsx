import type { LoaderFunctionArgs } from "@remix-run/node";
import { renderToStaticMarkup } from "react-dom/server";
import prisma from "../db.server";
import { isLanguage, type Language } from "../domain/localized";
import { faqsIn, readLandingFaqs } from "../domain/landing-faq";
import { storefrontView } from "../services/member-view";
import { authenticateProxy } from "../shopify/app-proxy.server";
import { Landing } from "../storefront/landing";

/**
 * GET /proxy (the store's `/apps/comeback`): the loyalty landing page, as Liquid that
 * Shopify renders inside the shop's theme (shopify.dev, app proxies: `application/liquid`).
 *
 * It is rendered once per program language; Liquid picks the shopper's by
 * `request.locale` (an App Proxy request does not say it). Merchant texts cannot become
 * Liquid: every `{` of the rendered page (but the stylesheet's) is an HTML entity. The referral link takes the
 * store's own address from Liquid (`shop.url`), which the app does not know.
 */
const ORIGIN = "__COMEBACK_SHOP_URL__";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const context = await authenticateProxy(request);
  if (context instanceof Response) return context;
  const { shop, customerId } = context;
  const languages = shop.settings.languages.filter(isLanguage);
  const fallback: Language = isLanguage(shop.settings.defaultLanguage) ? shop.settings.defaultLanguage : "en";
  const shown: Language[] = languages.length ? languages : [fallback];
  const pages = await Promise.all(
    shown.map(async (language) => {
      const view = await storefrontView(prisma, shop, customerId, language);
      const html = renderToStaticMarkup(
        <Landing
          view={view}
          language={language}
          shopName={shop.name ?? shop.domain.replace(/\.myshopify\.com$/, "")}
          pointsName={shop.settings.pointsName}
          settings={{
            availabilityDelayDays: shop.settings.availabilityDelayDays,
            expiryInactivityDays: shop.settings.expiryInactivityDays,
            tierMetric: shop.settings.tierMetric,
            tierWindow: shop.settings.tierWindow,
          }}
          faqs={faqsIn(readLandingFaqs(shop.settings.landingFaqs), language, fallback)}
          origin={ORIGIN}
          login="/account/login"
          register="/account/register"
        />,
      );
      // Every brace outside the page's own stylesheet (CSS has no `{{` or `{%`).
      const safe = html.replace(/(<style>[\s\S]*?<\/style>)|\{/g, (_match, style?: string) => style ?? "&#123;");
      return { language, liquid: safe.replaceAll(ORIGIN, "{{ shop.url }}") };
    }),
  );
  const first = pages.find((p) => p.language === fallback) ?? pages[0]!;
  const others = pages.filter((p) => p !== first);
  const body = others.length
    ? `{%- assign comeback_lang = request.locale.iso_code | slice: 0, 2 -%}${others
        .map((p, i) => `{%- ${i === 0 ? "if" : "elsif"} comeback_lang == '${p.language}' -%}${p.liquid}`)
        .join("")}{%- else -%}${first.liquid}{%- endif -%}`
    : first.liquid;
  return new Response(body, {
    headers: { "Content-Type": "application/liquid; charset=utf-8", "Cache-Control": "private, no-store" },
  });
};
