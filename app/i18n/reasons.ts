/**
 * Why a ledger entry exists, in the reader's language. Entries store a code and its
 * parameters (LedgerEntry.reasonCode, reasonParams) and the English text for the audit
 * trail; the widget, the Thank-you block and the admin render the code in their language.
 */

type Texts = { en: string; ru: string };

const REASONS = {
  order: { en: "Order {order}", ru: "Заказ {order}" },
  order_edited: { en: "Order {order} edited", ru: "Заказ {order} изменён" },
  order_tier_correction: {
    en: "Order {order}: tier bonus recalculated",
    ru: "Заказ {order}: бонус уровня пересчитан",
  },
  first_order: { en: "First order bonus", ru: "Бонус за первый заказ" },
  first_order_cancelled: {
    en: "First order bonus: order {order} cancelled",
    ru: "Бонус за первый заказ: заказ {order} отменён",
  },
  refund: { en: "Refund on order {order}", ru: "Возврат по заказу {order}" },
  cancellation: { en: "Order {order} cancelled", ru: "Заказ {order} отменён" },
  signup: { en: "Joined the program", ru: "Вступление в программу" },
  birthday: { en: "Happy birthday!", ru: "С днём рождения!" },
  survey: { en: "Thank you for your feedback", ru: "Спасибо за отзыв о заказе" },
  surprise: { en: "A gift from us: {note}", ru: "Подарок от нас: {note}" },
  newsletter: { en: "Subscribed to the newsletter", ru: "Подписка на рассылку" },
  social: { en: "Followed us on {network}", ru: "Подписка: {network}" },
  review: { en: "Product review", ru: "Отзыв о товаре" },
  photo_review: { en: "Photo with a review", ru: "Фото в отзыве" },
  referral: { en: "A friend's first order {order}", ru: "Первый заказ друга {order}" },
  referral_cancelled: {
    en: "Referral reversed: order {order} cancelled",
    ru: "Приглашение отменено: заказ {order} отменён",
  },
  referral_refunded: {
    en: "Referral reversed: order {order} refunded",
    ru: "Приглашение отменено: возврат заказа {order}",
  },
  redeemed: { en: "Redeemed: {reward}", ru: "Обмен на награду: {reward}" },
  redemption_refund: {
    en: "Points returned: {reward} could not be issued",
    ru: "Баллы возвращены: не удалось выдать «{reward}»",
  },
  expired: { en: "Points expired after inactivity", ru: "Баллы сгорели из-за неактивности" },
  bonus: { en: "A gift from the shop: {note}", ru: "Подарок от магазина: {note}" },
  // The merchant's own words, shown as written.
  adjustment: { en: "{note}", ru: "{note}" },
  import: { en: "Balance carried over from {source}", ru: "Баланс перенесён из {source}" },
  past_order: { en: "Points for a past order", ru: "Баллы за прошлый заказ" },
} as const satisfies Record<string, Texts>;

export type ReasonCode = keyof typeof REASONS;
export type ReasonParams = Record<string, string | number | Partial<Record<"en" | "ru", string>>>;
export interface Reason {
  code: ReasonCode;
  params?: ReasonParams;
}

export const REASON_CODES = Object.keys(REASONS) as ReasonCode[];

const NETWORK_LABELS: Record<string, Texts> = {
  instagram: { en: "Instagram", ru: "Instagram" },
  tiktok: { en: "TikTok", ru: "TikTok" },
  facebook: { en: "Facebook", ru: "Facebook" },
  youtube: { en: "YouTube", ru: "YouTube" },
  x: { en: "X", ru: "X" },
  vk: { en: "VK", ru: "ВКонтакте" },
  telegram: { en: "Telegram", ru: "Telegram" },
};

export function networkLabel(network: string, language: "en" | "ru"): string {
  return NETWORK_LABELS[network]?.[language] ?? network;
}

function param(value: ReasonParams[string] | undefined, language: "en" | "ru", fallback?: string): string {
  if (value === undefined) return fallback ?? "";
  if (typeof value === "object") return value[language] ?? value.en ?? fallback ?? "";
  return String(value);
}

/**
 * The text for a stored reason. `params.reward` may come with `params.rewardNames` (the
 * reward's translations when it was redeemed); a code this build does not know shows the
 * stored English text.
 */
export function reasonText(
  language: "en" | "ru",
  code: string | null | undefined,
  params: unknown,
  stored: string,
): string {
  const texts = code ? (REASONS as Record<string, Texts>)[code] : undefined;
  if (!texts) return stored;
  const values = (params && typeof params === "object" ? params : {}) as ReasonParams;
  return texts[language].replace(/\{(\w+)\}/g, (_, name: string) => {
    if (name === "network") return networkLabel(param(values.network, language), language);
    if (name === "reward") {
      const names = values.rewardNames;
      const translated = typeof names === "object" ? names[language] : undefined;
      return translated ?? param(values.reward, language);
    }
    return param(values[name], language);
  });
}

/**
 * Why a member's tier changed (TierEvent.cause), in the reader's language. Causes are
 * stored as English "kind" or "kind: detail" (the detail is an order name, a network or
 * the merchant's own words, shown as written); an unknown one is shown as stored.
 */
const TIER_CAUSES: Array<[RegExp, Texts]> = [
  [/^order (.+)$/, { en: "Order {1}", ru: "Заказ {1}" }],
  [/^override: (.+)$/, { en: "Set by hand: {1}", ru: "Назначен вручную: {1}" }],
  [
    /^override ended: qualifies$/,
    {
      en: "Manual tier ended: the member earned this tier",
      ru: "Ручной уровень снят: участник заработал этот уровень",
    },
  ],
  [/^override ended: (.+)$/, { en: "Manual tier ended: {1}", ru: "Ручной уровень снят: {1}" }],
  [/^evaluation: qualifies$/, { en: "Periodic review: qualifies", ru: "Плановый пересчёт: условия выполнены" }],
  [
    /^evaluation: period ended below threshold$/,
    {
      en: "Periodic review: the period ended below the threshold",
      ru: "Плановый пересчёт: период закончился ниже порога",
    },
  ],
  [/^adjustment$/, { en: "Points adjusted by the store", ru: "Баллы скорректированы магазином" }],
  [/^newsletter$/, { en: "Subscribed to the newsletter", ru: "Подписка на рассылку" }],
  [/^follow: (.+)$/, { en: "Followed us on {1}", ru: "Подписка: {1}" }],
  [/^signup$/, { en: "Joined the program", ru: "Вступление в программу" }],
  [/^review$/, { en: "Product review", ru: "Отзыв о товаре" }],
  [/^referral$/, { en: "A friend's first order", ru: "Первый заказ друга" }],
  [/^birthday$/, { en: "Birthday points", ru: "Баллы ко дню рождения" }],
  [/^points for past orders$/, { en: "Points for past orders", ru: "Баллы за прошлые заказы" }],
  [/^points available$/, { en: "Held points became available", ru: "Отложенные баллы стали доступны" }],
];

export function tierCauseText(language: "en" | "ru", cause: string): string {
  for (const [pattern, texts] of TIER_CAUSES) {
    const match = pattern.exec(cause);
    if (!match) continue;
    const detail = match[1] ?? "";
    return texts[language].replace(
      "{1}",
      pattern.source.startsWith("^follow") ? networkLabel(detail, language) : detail,
    );
  }
  return cause;
}
