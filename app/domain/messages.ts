/**
 * Lifecycle messages: what each kind is for, whether it is marketing (sent only with
 * consent) or an account notice, and its timing. Pure rules; selection, sending and
 * templates live in services/messages.ts and integrations/email.
 */

export const MESSAGE_KINDS = [
  "WELCOME",
  "POINTS_EARNED",
  "REWARD_UNLOCKED",
  "ORDER_CODE",
  "FRIEND_CODE",
  "TIER_UP",
  "TIER_DOWNGRADE",
  "POINTS_EXPIRING",
  "BIRTHDAY",
  "WIN_BACK",
  "REFERRAL_CREDITED",
  "NPS",
  "SURPRISE",
] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];

export function isMessageKind(value: unknown): value is MessageKind {
  return typeof value === "string" && (MESSAGE_KINDS as readonly string[]).includes(value);
}

/**
 * Marketing needs the customer's email marketing consent (Shopify's
 * `emailMarketingConsent` SUBSCRIBED). Account notices are about the customer's own
 * account and are usually allowed without it (GDPR, CAN-SPAM); the merchant may require
 * consent for them too.
 */
export type MessageCategory = "marketing" | "notice";
export const MESSAGE_CATEGORY: Record<MessageKind, MessageCategory> = {
  WELCOME: "notice",
  POINTS_EARNED: "notice",
  REWARD_UNLOCKED: "notice",
  ORDER_CODE: "notice",
  FRIEND_CODE: "notice",
  TIER_UP: "notice",
  TIER_DOWNGRADE: "notice",
  POINTS_EXPIRING: "notice",
  BIRTHDAY: "marketing",
  WIN_BACK: "marketing",
  REFERRAL_CREDITED: "notice",
  // A question about the customer's own order, answered or not: a service message.
  NPS: "notice",
  // A gift already in the customer's account, and how to use it.
  SURPRISE: "notice",
};

/**
 * On unless the merchant turns them off; win-back waits for the merchant to choose its
 * timing (and maybe a coupon), since it writes to people who stopped buying.
 */
export const DEFAULT_ENABLED: Record<MessageKind, boolean> = {
  WELCOME: true,
  POINTS_EARNED: true,
  REWARD_UNLOCKED: true,
  ORDER_CODE: true,
  FRIEND_CODE: true,
  TIER_UP: true,
  TIER_DOWNGRADE: true,
  POINTS_EXPIRING: true,
  BIRTHDAY: true,
  WIN_BACK: false,
  REFERRAL_CREDITED: true,
  NPS: false,
  SURPRISE: true,
};

export interface MessageTiming {
  /** POINTS_EXPIRING: days before expiry, one message each. */
  days?: number[];
  /** WIN_BACK: the first touch after this many days without an order... */
  afterDays?: number;
  /** ...and the second this many days after the first. */
  thenDays?: number;
  /** WIN_BACK: the second touch carries a code for this reward (a gift, no points). */
  couponRewardId?: string | null;
  /** TIER_DOWNGRADE: the warning comes this many days before the scheduled downgrade. */
  daysBefore?: number;
  /** NPS: days after delivery (or shipment, when no delivery is reported). */
  delayDays?: number;
  /** NPS: points for answering (0: none), once per order. */
  points?: number;
}

export const DEFAULT_TIMING: Record<MessageKind, MessageTiming> = {
  WELCOME: {},
  POINTS_EARNED: {},
  REWARD_UNLOCKED: {},
  ORDER_CODE: {},
  FRIEND_CODE: {},
  TIER_UP: {},
  TIER_DOWNGRADE: { daysBefore: 14 },
  POINTS_EXPIRING: { days: [30, 7] },
  BIRTHDAY: {},
  WIN_BACK: { afterDays: 60, thenDays: 14, couponRewardId: null },
  REFERRAL_CREDITED: {},
  NPS: { delayDays: 7, points: 0 },
  SURPRISE: {},
};

const dayCount = (value: unknown, min: number, max: number): number | null =>
  typeof value === "number" && Number.isInteger(value) && value >= min && value <= max ? value : null;

/** The stored timing, completed by the kind's defaults; values out of range fall back. */
export function readTiming(kind: MessageKind, stored: unknown): Required<MessageTiming> {
  const given = (stored && typeof stored === "object" ? stored : {}) as Record<string, unknown>;
  const base = {
    days: [],
    afterDays: 0,
    thenDays: 0,
    couponRewardId: null,
    daysBefore: 0,
    delayDays: 0,
    points: 0,
    ...DEFAULT_TIMING[kind],
  };
  const days = Array.isArray(given.days)
    ? [...new Set(given.days.map((d) => dayCount(d, 1, 365)).filter((d): d is number => d !== null))].sort(
        (a, b) => b - a,
      )
    : null;
  return {
    days: days && days.length ? days : base.days,
    afterDays: dayCount(given.afterDays, 7, 730) ?? base.afterDays,
    thenDays: dayCount(given.thenDays, 1, 365) ?? base.thenDays,
    couponRewardId: typeof given.couponRewardId === "string" && given.couponRewardId ? given.couponRewardId : null,
    daysBefore: dayCount(given.daysBefore, 1, 90) ?? base.daysBefore,
    delayDays: dayCount(given.delayDays, 0, 60) ?? base.delayDays,
    points: dayCount(given.points, 0, 100_000) ?? base.points,
  };
}

/**
 * The next moment mail may go out: now inside the shop's sending hours (local time,
 * `endHour` to `startHour`, e.g. 9 to 20), else the next morning's first minute. Hours are
 * whole hours of the shop's time zone; daylight saving is handled by Intl.
 */
export function nextSendingTime(now: Date, timeZone: string, openHour: number, closeHour: number): Date {
  if (openHour === closeHour) return now; // no quiet hours
  const hour = localHour(now, timeZone);
  const open = openHour < closeHour ? hour >= openHour && hour < closeHour : hour >= openHour || hour < closeHour;
  if (open) return now;
  // Step forward hour by hour to the opening (at most a day), then to that hour's start.
  let candidate = new Date(now.getTime());
  for (let i = 0; i < 25; i++) {
    candidate = new Date(candidate.getTime() + 3600_000);
    if (localHour(candidate, timeZone) === openHour) break;
  }
  const minutes = Number(
    new Intl.DateTimeFormat("en-US", { timeZone, minute: "numeric" }).format(candidate).replace(/\D/g, ""),
  );
  return new Date(
    candidate.getTime() - minutes * 60_000 - candidate.getUTCSeconds() * 1000 - candidate.getUTCMilliseconds(),
  );
}

function localHour(at: Date, timeZone: string): number {
  const hour = Number(new Intl.DateTimeFormat("en-US", { timeZone, hour: "numeric", hourCycle: "h23" }).format(at));
  return hour === 24 ? 0 : hour;
}

/** Text (or a URL in an attribute) with the HTML entities Liquid output and our escaping use, decoded. */
export function decodeHtmlEntities(text: string): string {
  return text
    .replace(/&nbsp;/g, " ")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)))
    .replace(/&amp;/g, "&");
}

/** The plain-text part of an HTML email: paragraphs and line breaks kept, links as "text (url)". */
export function htmlToText(html: string): string {
  return decodeHtmlEntities(
    html
      .replace(/<(head|style|script|title)[^>]*>[\s\S]*?<\/\1>/gi, "")
      .replace(/<!--[\s\S]*?-->/g, "")
      .replace(/<a\b[^>]*href="([^"]*)"[^>]*>([\s\S]*?)<\/a>/gi, (_, href: string, text: string) => {
        const label = text.replace(/<[^>]+>/g, "").trim();
        return label && label !== href ? `${label} (${href})` : href;
      })
      .replace(/<br\s*\/?>/gi, "\n")
      .replace(/<\/(p|div|h[1-6]|tr|td|li|table)>/gi, "\n")
      .replace(/<li[^>]*>/gi, "- ")
      .replace(/<[^>]+>/g, ""),
  )
    .split("\n")
    .map((line) => line.replace(/[ \t\u00a0]+/g, " ").trim())
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

/**
 * The Shopify Flow trigger each kind starts (extensions/comeback-flow-triggers), so a
 * merchant can build workflows on Comeback's events (Shopify Email, Klaviyo, tags) on any
 * plan. Win-back's trigger is the customer becoming dormant: its first touch only.
 */
export const FLOW_TRIGGERS: Partial<Record<MessageKind, string>> = {
  POINTS_EARNED: "comeback-points-earned",
  REWARD_UNLOCKED: "comeback-reward-unlocked",
  TIER_UP: "comeback-tier-changed",
  POINTS_EXPIRING: "comeback-points-expiring",
  BIRTHDAY: "comeback-birthday-soon",
  WIN_BACK: "comeback-customer-dormant",
};
export const FLOW_KINDS = Object.keys(FLOW_TRIGGERS) as MessageKind[];

export const SCORE_BANDS = ["promoter", "passive", "detractor"] as const;
export type ScoreBand = (typeof SCORE_BANDS)[number];
/** The Feedback page's periods, in days. */
export const FEEDBACK_PERIODS = [30, 90, 365] as const;

/** NPS bands: 9–10 promoters, 7–8 passives, 0–6 detractors. */
export function npsBand(score: number): "promoter" | "passive" | "detractor" {
  return score >= 9 ? "promoter" : score >= 7 ? "passive" : "detractor";
}

/** Net Promoter Score: % promoters − % detractors, rounded; null without responses. */
export function netPromoterScore(counts: { promoters: number; passives: number; detractors: number }): number | null {
  const total = counts.promoters + counts.passives + counts.detractors;
  return total === 0 ? null : Math.round(((counts.promoters - counts.detractors) / total) * 100);
}
