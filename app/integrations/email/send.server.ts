import type { Member, MessageLog, PrismaClient } from "../../generated/prisma/client";
import { FLOW_TRIGGERS, isMessageKind, nextSendingTime, type MessageKind } from "../../domain/messages";
import { programLanguage, type Language } from "../../domain/localized";
import { readWidgetSettings } from "../../domain/widget";
import { mailText } from "../../i18n/mail";
import { appConfig } from "../../platform/runtime.server";
import { logger } from "../../platform/logger.server";
import { messageContent, type LinkBuilder, type MessageContent } from "../../services/message-content";
import {
  claimDueMessages,
  consentRefusal,
  isSuppressed,
  recordOutcome,
  type SendOutcome,
} from "../../services/messages";
import { giftedRedemption } from "../../services/rewards";
import { loadShopContext, type ShopContext } from "../../services/shop-context";
import { loadProgram, type ProgramData } from "../../services/member-view";
import { requestRedemptionIssue } from "../../shopify/redemption.server";
import { recommendProducts, storefrontToken } from "../../shopify/storefront.server";
import { DEFAULT_TEMPLATES, type MessageTemplateText } from "./default-templates";
import { messageLinks, type MessageLinks } from "./links.server";
import { deliver, mailTransport, type OutgoingMail } from "./mailer.server";
import { renderEmail, type RenderedEmail } from "./render";

/**
 * Sends a shop's due messages: claims them (a lease, so instances share the work), checks
 * consent, preferences and suppressions at send time, builds the content from the data
 * as it is now, renders the merchant's template, and delivers over SMTP. Temporary SMTP
 * errors are retried with backoff; a 5xx is a hard bounce and suppresses the address.
 * Outside the shop's sending hours nothing is claimed.
 */

const MAX_ATTEMPTS = 6;
const SMTP_CONCURRENCY = 4;
const RECOMMENDING = new Set<MessageKind>(["POINTS_EARNED", "WIN_BACK"]);

/** Shopify's recommendations for the member's last order (best sellers without one), priced for the reader. */
async function recommendationsFor(
  db: PrismaClient,
  shop: ShopContext,
  member: Member,
  language: Language,
  batch: Batch,
) {
  const last = await db.order.findFirst({
    where: { shopId: shop.id, memberId: member.id, paidAt: { not: null } },
    orderBy: { processedAt: "desc" },
    select: { productIds: true },
  });
  batch.storefrontToken ??= storefrontToken(db, shop).catch(() => null);
  const products = await recommendProducts(db, shop, last?.productIds ?? [], storefrontUrl(shop), {
    token: batch.storefrontToken,
  });
  return products.map((p) => ({
    title: p.title,
    url: p.url,
    price: new Intl.NumberFormat(language, { style: "currency", currency: p.price.currencyCode }).format(
      Number(p.price.amount),
    ),
  }));
}
const OUTCOME_FIELD = {
  SENT: "sent",
  SKIPPED: "skipped",
  DEFER: "deferred",
  FAILED: "failed",
  BOUNCED: "bounced",
} as const satisfies Record<SendOutcome["status"], keyof SendResult>;

interface Batch {
  program: Promise<ProgramData> | null;
  storefrontToken?: Promise<string | null>;
  settings: Map<string, Promise<{ enabled: boolean; viaFlow: boolean } | null>>;
  templates: Map<string, Promise<MessageTemplateText & { edited: boolean }>>;
}

function memo<T>(map: Map<string, Promise<T>>, key: string, load: () => Promise<T>): Promise<T> {
  let value = map.get(key);
  if (!value) {
    value = load();
    map.set(key, value);
  }
  return value;
}
/** The per-shop sending queue (the minute sweep asks for it). */
export const MESSAGE_QUEUE = "messages-send-shop";
const PROXY_PATH = "/apps/comeback";

export async function templateFor(
  db: PrismaClient,
  shopId: string,
  kind: MessageKind,
  language: Language,
): Promise<MessageTemplateText & { edited: boolean }> {
  const row = await db.messageTemplate.findUnique({
    where: { shopId_kind_locale: { shopId, kind, locale: language } },
  });
  return row
    ? { subject: row.subject, body: row.body, edited: true }
    : { ...DEFAULT_TEMPLATES[language][kind], edited: false };
}

export function storefrontUrl(shop: { domain: string }): string {
  return appConfig().storefrontUrl ?? `https://${shop.domain}`;
}

export function linkBuilder(shop: { domain: string }): LinkBuilder {
  const store = storefrontUrl(shop);
  return {
    store: `${store}/`,
    // The customer's account page, where the theme's account block lists the rewards.
    rewards: `${store}/account`,
    referral: (code) => `${store}/?ref=${encodeURIComponent(code)}`,
    code: (code) => `${store}/discount/${encodeURIComponent(code)}`,
  };
}

export function brandFor(shop: ShopContext, language: Language, friend = false) {
  const widget = readWidgetSettings(shop.settings.widget);
  const name = shop.name ?? shop.domain;
  return {
    shopName: name,
    logoUrl: shop.settings.mailLogoUrl,
    accent: widget.accent,
    onAccent: widget.onAccent,
    language,
    footer: mailText(friend ? "footer_friend" : "footer", language, { shop: name }),
    preferencesLabel: mailText("preferences", language),
  };
}

/** Renders one message for its recipient: the merchant's template, the content of now. */
export async function renderMessage(
  shop: ShopContext,
  log: MessageLog,
  member: Member | null,
  language: Language,
  links: MessageLinks,
  content: Extract<MessageContent, { data: unknown }>,
  template: MessageTemplateText,
): Promise<RenderedEmail> {
  const kind = log.kind as MessageKind;
  return renderEmail({
    subject: template.subject,
    body: template.body,
    data: { ...content.data, links: { ...(content.data.links as object), preferences: links.preferences } },
    pointsName: shop.settings.pointsName,
    brand: brandFor(shop, language, kind === "FRIEND_CODE" && !member),
    preferencesUrl: links.preferences,
    trackLink: links.click,
    openPixel: links.open,
  });
}

export interface SendResult {
  claimed: number;
  sent: number;
  skipped: number;
  deferred: number;
  failed: number;
  bounced: number;
}

export async function sendDueMessages(
  db: PrismaClient,
  shopId: string,
  options: { now?: () => Date; limit?: number; sleep?: (ms: number) => Promise<void> } = {},
): Promise<SendResult> {
  const result: SendResult = { claimed: 0, sent: 0, skipped: 0, deferred: 0, failed: 0, bounced: 0 };
  const config = appConfig();
  if (!config.smtpUrl || !config.mailFrom) return result;
  const clock = options.now ?? (() => new Date());
  const shop = await loadShopContext(db, { id: shopId });
  if (!shop) return result;
  const now = clock();
  const opens = nextSendingTime(now, shop.timezone, shop.settings.quietHoursEnd, shop.settings.quietHoursStart);
  if (opens > now) return result;

  const spacing = 1000 / config.mailRatePerSecond;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  // What every message of the batch shares is read once: the program, settings, templates.
  const batch: Batch = { program: null, settings: new Map(), templates: new Map() };
  let issueRequested = false;
  let nextSlot = Date.now();
  const handle = async (log: MessageLog) => {
    // Paced to the shop's rate across the concurrent sends.
    const wait = nextSlot - Date.now();
    nextSlot = Math.max(nextSlot, Date.now()) + spacing;
    if (wait > 1) await sleep(wait);
    const outcome = await sendOne(db, shop, log, config, clock(), batch);
    if (outcome.status === "DEFER" && outcome.error === "code_pending" && !issueRequested) {
      issueRequested = true;
      void requestRedemptionIssue(shop.id);
    }
    await recordOutcome(db, log, outcome, clock());
    result[OUTCOME_FIELD[outcome.status]]++;
  };
  for (;;) {
    const claimed = await claimDueMessages(db, shopId, options.limit ?? 50, clock());
    if (claimed.length === 0) break;
    result.claimed += claimed.length;
    // A few deliveries in flight, as many as the SMTP pool keeps connections.
    const queue = [...claimed];
    await Promise.all(
      Array.from({ length: Math.min(SMTP_CONCURRENCY, queue.length) }, async () => {
        for (let log = queue.shift(); log; log = queue.shift()) await handle(log);
      }),
    );
    if (claimed.length < (options.limit ?? 50)) break;
  }
  return result;
}

async function sendOne(
  db: PrismaClient,
  shop: ShopContext,
  log: MessageLog,
  config: ReturnType<typeof appConfig>,
  now: Date,
  batch: Batch,
): Promise<SendOutcome> {
  if (!isMessageKind(log.kind)) return { status: "SKIPPED", reason: "unknown_kind" };
  const kind = log.kind;
  try {
    const member = log.memberId ? await db.member.findUnique({ where: { id: log.memberId } }) : null;
    if (log.memberId && !member) return { status: "SKIPPED", reason: "not_active" };
    const to = member?.email ?? log.email;
    if (!to) return { status: "SKIPPED", reason: "no_email" };
    const setting = await memo(batch.settings, kind, () =>
      db.messageSetting.findUnique({
        where: { shopId_kind: { shopId: shop.id, kind } },
        select: { enabled: true, viaFlow: true },
      }),
    );
    if (setting && !setting.enabled) return { status: "SKIPPED", reason: "kind_off" };
    // The merchant's Flow workflow sends this kind (its trigger goes out with the occasion).
    if (setting?.viaFlow && FLOW_TRIGGERS[kind]) return { status: "SKIPPED", reason: "via_flow" };
    if (!shop.live) return { status: "SKIPPED", reason: "program_off" };
    const refusal = consentRefusal(kind, member, shop.settings.noticesNeedConsent, await isSuppressed(db, shop.id, to));
    if (refusal) return { status: "SKIPPED", reason: refusal };

    const language = programLanguage(member?.locale ?? null, shop.settings.languages, shop.settings.defaultLanguage);
    const content = await messageContent(
      db,
      shop,
      log,
      member,
      language,
      linkBuilder(shop),
      now,
      await (batch.program ??= loadProgram(db, shop, now)),
    );
    if ("skip" in content) return { status: "SKIPPED", reason: content.skip };
    if (content.redemptionNeeded) {
      // The win-back's second touch carries a code: create it, and send once Shopify has it.
      const reward = await db.reward.findFirst({ where: { id: content.redemptionNeeded.rewardId, shopId: shop.id } });
      if (!reward) return { status: "SKIPPED", reason: "reward_missing" };
      if (member)
        await db.redemption.createMany({
          data: [giftedRedemption(shop.id, reward, { memberId: member.id }, content.redemptionNeeded.key, now)],
          skipDuplicates: true,
        });
      if (log.attempts >= MAX_ATTEMPTS) return { status: "FAILED", error: "the code was not issued in time" };
      return { status: "DEFER", until: new Date(now.getTime() + 60_000), error: "code_pending" };
    }

    // Recommendations are marketing: only with consent, and only where the message has room for them.
    if (member && RECOMMENDING.has(kind) && member.emailConsent && !member.marketingOptOut) {
      content.data.recommendations = await recommendationsFor(db, shop, member, language, batch);
    }
    // The message's signed links (tracking, unsubscribe, preferences, NPS answers), made once.
    const links = messageLinks({
      secret: config.apiSecret,
      appUrl: config.appUrl,
      storefrontUrl: storefrontUrl(shop),
      proxyPath: PROXY_PATH,
      messageId: log.id,
    });
    if (kind === "NPS") {
      content.data.survey = {
        ...(content.data.survey as object),
        scores: Array.from({ length: 11 }, (_, score) => ({ score, url: links.survey(score) })),
      };
    }
    const template = await memo(batch.templates, `${kind}:${language}`, () => templateFor(db, shop.id, kind, language));
    const rendered = await renderMessage(shop, log, member, language, links, content, template);
    const mail: OutgoingMail = {
      from: { name: shop.settings.mailSenderName || shop.name || shop.domain, address: config.mailFrom! },
      to,
      replyTo: shop.settings.mailReplyTo,
      subject: rendered.subject,
      html: rendered.html,
      text: rendered.text,
      messageId: `<${log.id}@${config.mailFrom!.split("@")[1]}>`,
      headers: {
        // RFC 8058 one-click unsubscribe (Gmail and Yahoo require it of bulk senders).
        "List-Unsubscribe": `<${links.unsubscribe}>`,
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "X-Comeback-Kind": kind,
        "Content-Language": language,
      },
    };
    const delivery = await deliver(mailTransport(config.smtpUrl!), mail);
    if (delivery.ok) return { status: "SENT", subject: rendered.subject, codes: content.codes, locale: language };
    if (delivery.permanent) return { status: "BOUNCED", error: delivery.error, email: to };
    if (log.attempts >= MAX_ATTEMPTS) return { status: "FAILED", error: delivery.error };
    // 1, 4, 9, 16, 25 minutes.
    return {
      status: "DEFER",
      until: new Date(now.getTime() + log.attempts * log.attempts * 60_000),
      error: delivery.error,
    };
  } catch (error) {
    logger.error({ err: error, messageId: log.id, kind }, "message could not be prepared");
    if (log.attempts >= MAX_ATTEMPTS) return { status: "FAILED", error: String((error as Error)?.message ?? error) };
    return { status: "DEFER", until: new Date(now.getTime() + 5 * 60_000), error: String((error as Error)?.message) };
  }
}
