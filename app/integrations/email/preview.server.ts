import type { PrismaClient } from "../../generated/prisma/client";
import type { Language } from "../../domain/localized";
import type { MessageKind } from "../../domain/messages";
import { appConfig } from "../../platform/runtime.server";
import type { ShopContext } from "../../services/shop-context";
import { deliver, mailTransport } from "./mailer.server";
import { renderEmail, templateError, type RenderedEmail } from "./render";
import { brandFor, linkBuilder } from "./send.server";

/**
 * The template editor's preview and test send: the merchant's (unsaved) subject and body
 * rendered with sample data of the kind, in the chosen language, in the shop's layout.
 * A test goes to the address the merchant types, marked [Test], and is not counted.
 */

export function sampleData(shop: ShopContext, kind: MessageKind, language: Language): Record<string, unknown> {
  const links = linkBuilder(shop);
  const ru = language === "ru";
  const inDays = (days: number) =>
    new Intl.DateTimeFormat(language, { dateStyle: "long", timeZone: shop.timezone }).format(
      new Date(Date.now() + days * 86_400_000),
    );
  const code = {
    value: "CB-7KQ2PX9WZA",
    name: ru ? "Скидка 10%" : "10% off",
    expires_on: inDays(30),
    url: links.code("CB-7KQ2PX9WZA"),
  };
  return {
    shop: { name: shop.name ?? shop.domain },
    customer: { first_name: ru ? "Ольга" : "Olga" },
    balance: 1250,
    affordable: [{ name: ru ? "Скидка 500 ₽" : "$5 off", cost: 500 }],
    next_reward: { name: ru ? "Бесплатная доставка" : "Free shipping", cost: 1500, remaining: 250 },
    expiry: { date: inDays(kind === "POINTS_EXPIRING" ? 7 : 365), points: 1250 },
    ways_to_earn: ru
      ? ["1 балл за каждые 100 ₽", "За отзыв: 50 баллов"]
      : ["1 point for every $1", "A review: 50 points"],
    order: { name: "#1042" },
    points_earned: 120,
    reward: { name: ru ? "Скидка 500 ₽" : "$5 off", cost: 500 },
    code,
    tier: {
      name: ru ? "Золото" : "Gold",
      previous: ru ? "Серебро" : "Silver",
      multiplier: "×1.5",
      perks: ru ? ["Бесплатная доставка"] : ["Free shipping"],
      downgrade_on: inDays(14),
      remaining: ru ? "3 000 ₽" : "$30.00",
    },
    gift: {
      points: 200,
      choice: [],
      choose_by: inDays(21),
      note: ru ? "Простите за задержку посылки." : "Sorry your parcel was late.",
    },
    touch: 1,
    earned: 500,
    recommendations:
      kind === "POINTS_EARNED" || kind === "WIN_BACK"
        ? [
            {
              title: ru ? "Улун, 100 г" : "Oolong, 100 g",
              url: `${links.store}products/oolong`,
              price: ru ? "590 ₽" : "$12.90",
            },
            { title: ru ? "Чайник" : "Teapot", url: `${links.store}products/teapot`, price: ru ? "2 490 ₽" : "$34.00" },
          ]
        : [],
    links: {
      store: links.store,
      rewards: links.rewards,
      referral: links.referral("OLGA42"),
      preferences: `${links.store}apps/comeback/preferences`,
    },
  };
}

export interface TemplateDraft {
  subject: string;
  body: string;
}

/** The first problem of a draft, as "subject"/"body" with the line, or null. */
export function draftError(
  draft: TemplateDraft,
): { field: "subject" | "body"; line: number | null; message: string } | null {
  for (const field of ["subject", "body"] as const) {
    const problem = templateError(draft[field]);
    if (problem) return { field, ...problem };
  }
  return null;
}

export async function previewMessage(
  shop: ShopContext,
  kind: MessageKind,
  language: Language,
  draft: TemplateDraft,
): Promise<RenderedEmail> {
  return renderEmail({
    subject: draft.subject,
    body: draft.body,
    data: sampleData(shop, kind, language),
    pointsName: shop.settings.pointsName,
    brand: brandFor(shop, language),
    preferencesUrl: `${linkBuilder(shop).store}apps/comeback/preferences`,
  });
}

export async function sendTestMessage(
  _db: PrismaClient,
  shop: ShopContext,
  kind: MessageKind,
  language: Language,
  draft: TemplateDraft,
  to: string,
): Promise<{ ok: true } | { ok: false; error: string }> {
  const config = appConfig();
  if (!config.smtpUrl || !config.mailFrom) return { ok: false, error: "no_smtp" };
  const rendered = await previewMessage(shop, kind, language, draft);
  const delivery = await deliver(mailTransport(config.smtpUrl), {
    from: { name: shop.settings.mailSenderName || shop.name || shop.domain, address: config.mailFrom },
    to,
    replyTo: shop.settings.mailReplyTo,
    subject: `[Test] ${rendered.subject}`,
    html: rendered.html,
    text: rendered.text,
    messageId: `<test-${Date.now()}@${config.mailFrom.split("@")[1]}>`,
    headers: { "X-Comeback-Kind": kind, "X-Comeback-Test": "1", "Content-Language": language },
  });
  return delivery.ok ? { ok: true } : { ok: false, error: delivery.error };
}
