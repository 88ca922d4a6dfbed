import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import prisma from "../db.server";
import { languageOf, programLanguage, type Language } from "../domain/localized";
import { verifyLink } from "../integrations/email/links.server";
import { escapeHtml } from "../integrations/email/render";
import { pageText } from "../integrations/email/pages";
import { mailText } from "../i18n/mail";
import { pointsWord } from "../domain/localized";
import { appConfig } from "../platform/runtime.server";
import { recordSurveyAnswer, saveSurveyComment, surveyMessage } from "../services/feedback";
import type { ShopContext } from "../services/shop-context";
import { authenticateProxy } from "../shopify/app-proxy.server";

/**
 * /apps/comeback/nps?t=<token>&s=<score> on the store's domain (App Proxy): one click on
 * a score in the survey email records it (a later click changes it; one response per
 * order) and answers a Liquid page that Shopify renders inside the shop's theme: thanks,
 * an optional comment, and for a promoter, a nudge to review. The token is signed for
 * the message and that score.
 */
function answer(body: string, status = 200): Response {
  // application/liquid: Shopify renders it in the theme's layout (shopify.dev app proxies).
  return new Response(
    `<div class="comeback-survey" style="max-width:560px;margin:40px auto;padding:0 16px">${body}</div>`,
    {
      status,
      headers: { "Content-Type": "application/liquid; charset=utf-8", "Cache-Control": "no-store" },
    },
  );
}

async function survey(shop: ShopContext, token: string, scoreText: string) {
  const score = /^(?:[0-9]|10)$/.test(scoreText) ? Number(scoreText) : null;
  if (score === null) return null;
  const id = verifyLink(appConfig().apiSecret, "nps", token, String(score));
  const found = id ? await surveyMessage(prisma, shop.id, id) : null;
  return found ? { found, score } : null;
}

function language(shop: ShopContext, locale: string | null | undefined): Language {
  return programLanguage(languageOf(locale) ?? null, shop.settings.languages, shop.settings.defaultLanguage);
}

function invalid(lang: Language) {
  return answer(`<p>${pageText("pref_invalid", lang)}</p>`, 404);
}

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const context = await authenticateProxy(request);
  if (context instanceof Response) return context;
  const { shop } = context;
  const url = new URL(request.url);
  const token = url.searchParams.get("t") ?? "";
  const found = await survey(shop, token, url.searchParams.get("s") ?? "");
  // The panel's links name the language the shopper reads the store in; the email's do not.
  const asked = url.searchParams.get("l");
  if (!found) return invalid(language(shop, asked));
  const lang = language(shop, asked ?? found.found.locale);
  const result = await recordSurveyAnswer(prisma, shop, found.found, found.score);
  const name = shop.name ?? shop.domain;
  const credited = result.credited
    ? `<p>${escapeHtml(
        mailText("nps_points", lang, {
          points: `${new Intl.NumberFormat(lang).format(result.credited)}\u00a0${pointsWord(shop.settings.pointsName, lang, result.credited)}`,
        }),
      )}</p>`
    : "";
  const review =
    found.score >= 9
      ? `<p>${pageText("nps_review", lang)} <a href="/">${pageText("nps_review_link", lang)}</a></p>`
      : "";
  return answer(`<h1>${pageText("nps_title", lang)}</h1>
<p>${pageText("nps_scored", lang, { shop: name, score: found.score })}</p>${credited}${review}
<form method="post"><input type="hidden" name="t" value="${escapeHtml(token)}"><input type="hidden" name="s" value="${found.score}"><input type="hidden" name="l" value="${lang}">
<label style="display:block;margin:16px 0 8px" for="comeback-comment">${pageText("nps_comment", lang)}</label>
<textarea id="comeback-comment" name="comment" rows="4" maxlength="1000" style="width:100%"></textarea>
<p><button type="submit" class="button">${pageText("nps_send", lang)}</button></p></form>`);
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const context = await authenticateProxy(request, { forms: true });
  if (context instanceof Response) return context;
  const { shop } = context;
  const form = new URLSearchParams(await request.text());
  const found = await survey(shop, form.get("t") ?? "", form.get("s") ?? "");
  if (!found) return invalid(language(shop, form.get("l")));
  const lang = language(shop, form.get("l") ?? found.found.locale);
  await saveSurveyComment(prisma, shop.id, found.found.orderId, form.get("comment") ?? "");
  return answer(`<h1>${pageText("nps_title", lang)}</h1><p role="status">${pageText("nps_comment_saved", lang)}</p>`);
};
