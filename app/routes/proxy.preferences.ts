import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import prisma from "../db.server";
import { programLanguage, type Language } from "../domain/localized";
import { verifyLink } from "../integrations/email/links.server";
import { htmlResponse, mailPage, pageText } from "../integrations/email/pages";
import { escapeHtml } from "../integrations/email/render";
import { appConfig } from "../platform/runtime.server";
import { messageRecipient, setMailPreferences, type MailPreferences } from "../services/messages";
import type { ShopContext } from "../services/shop-context";
import { authenticateProxy } from "../shopify/app-proxy.server";

/**
 * /apps/comeback/preferences?t=<token> on the store's own domain (App Proxy): the email
 * preference page every message links to. The token, signed for this purpose, names the
 * message and so the member; the page works without signing in. Choices apply at send
 * time to every later message.
 */
async function recipient(shop: ShopContext, token: string) {
  const id = verifyLink(appConfig().apiSecret, "preferences", token);
  if (!id) return null;
  const log = await messageRecipient(prisma, id);
  if (!log || log.shopId !== shop.id || !log.member || log.member.status !== "ACTIVE") return null;
  return log.member;
}

function page(shop: ShopContext, language: Language, token: string, member: MailPreferences, saved: boolean) {
  const name = shop.name ?? shop.domain;
  const box = (field: string, checked: boolean, label: string) =>
    `<label><input type="checkbox" name="${field}" value="on"${checked ? " checked" : ""}><span>${label}</span></label>`;
  return mailPage(
    language,
    pageText("pref_title", language),
    `<h1>${pageText("pref_title", language)}</h1>
<p>${pageText("pref_intro", language, { shop: name })}</p>
${saved ? `<p role="status">${pageText("pref_saved", language)}</p>` : ""}
<form method="post"><input type="hidden" name="t" value="${escapeHtml(token)}">
${box("notices", !member.noticesOptOut, pageText("pref_notices", language))}
${box("marketing", !member.marketingOptOut, pageText("pref_marketing", language))}
<p class="muted">${pageText("pref_marketing_consent", language)}</p>
<button type="submit">${pageText("pref_save", language)}</button></form>`,
  );
}

function invalid(shop: ShopContext | null, language: Language) {
  return htmlResponse(
    mailPage(language, pageText("pref_title", language), `<p>${pageText("pref_invalid", language)}</p>`),
    404,
  );
}

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const context = await authenticateProxy(request);
  if (context instanceof Response) return context;
  const { shop } = context;
  const token = new URL(request.url).searchParams.get("t") ?? "";
  const member = await recipient(shop, token);
  const language = programLanguage(member?.locale ?? null, shop.settings.languages, shop.settings.defaultLanguage);
  if (!member) return invalid(shop, language);
  return htmlResponse(page(shop, language, token, member, false));
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const context = await authenticateProxy(request, { forms: true });
  if (context instanceof Response) return context;
  const { shop } = context;
  const form = new URLSearchParams(await request.text());
  const token = form.get("t") ?? new URL(request.url).searchParams.get("t") ?? "";
  const member = await recipient(shop, token);
  const language = programLanguage(member?.locale ?? null, shop.settings.languages, shop.settings.defaultLanguage);
  if (!member) return invalid(shop, language);
  const updated = await setMailPreferences(prisma, member.id, {
    notices: form.get("notices") === "on",
    marketing: form.get("marketing") === "on",
  });
  return htmlResponse(page(shop, language, token, updated, true));
};
