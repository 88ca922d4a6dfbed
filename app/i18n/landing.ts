/**
 * The loyalty landing page's texts (App Proxy, /apps/comeback on the store). English and
 * Russian; `{name}` placeholders are filled by `landingText`.
 */
import { bilingual } from "./bilingual";

const LANDING = {
  title: { en: "{shop} Rewards", ru: "Бонусная программа {shop}" },
  intro: {
    en: "Earn points on every order, spend them on rewards, and unlock VIP perks.",
    ru: "Получайте баллы за каждый заказ, обменивайте их на награды и открывайте привилегии VIP-уровней.",
  },
  join: { en: "Join now", ru: "Вступить" },
  sign_in: { en: "Sign in", ru: "Войти" },
  join_member: { en: "Join in one tap", ru: "Вступить в одно касание" },
  balance: { en: "You have {points}", ru: "У вас {points}" },
  tier: { en: "Your tier: {tier}", ru: "Ваш уровень: {tier}" },
  open: { en: "Open my rewards", ru: "Открыть мои бонусы" },
  earn: { en: "How to earn", ru: "Как получить баллы" },
  rewards: { en: "Rewards", ru: "Награды" },
  tiers: { en: "VIP tiers", ru: "VIP-уровни" },
  tier_spend: { en: "Spend {amount}", ru: "Покупки на {amount}" },
  tier_orders: { en: "{count} orders", ru: "Заказов: {count}" },
  tier_points: { en: "Earn {points}", ru: "Наберите {points}" },
  tier_start: { en: "Where everyone starts", ru: "С него начинают все" },
  referral: { en: "Refer a friend", ru: "Пригласите друга" },
  referral_both: {
    en: "Your friend gets {reward} on their first order, and you earn {points} when they pay it.",
    ru: "Друг получит «{reward}» на первый заказ, а вы — {points}, когда он его оплатит.",
  },
  referral_you: {
    en: "You earn {points} when a friend pays their first order through your link.",
    ru: "Вы получите {points}, когда друг оплатит первый заказ по вашей ссылке.",
  },
  referral_link: { en: "Your link: {link}", ru: "Ваша ссылка: {link}" },
  // The page's link in the store's menu, as the setup and the Loyalty page offer it.
  link: { en: "Rewards program", ru: "Бонусная программа" },
  faq: { en: "Questions", ru: "Вопросы" },
  faq_earn_q: { en: "How do I earn points?", ru: "Как получить баллы?" },
  faq_earn_a: {
    en: "{rate}, and in the ways listed above. Points are added to your account automatically.",
    ru: "{rate}, а также способами, перечисленными выше. Баллы начисляются автоматически.",
  },
  faq_when_q: { en: "When can I use my points?", ru: "Когда можно потратить баллы?" },
  faq_when_now: { en: "As soon as your order is paid.", ru: "Сразу после оплаты заказа." },
  faq_when_delay: {
    en: "{days} days after your order is paid.",
    ru: "Через {days} дн. после оплаты заказа.",
  },
  faq_expire_q: { en: "Do points expire?", ru: "Сгорают ли баллы?" },
  faq_expire_never: { en: "No, your points never expire.", ru: "Нет, баллы не сгорают." },
  faq_expire_days: {
    en: "Only after {days} days without earning or spending any.",
    ru: "Только если {days} дн. не получать и не тратить баллы.",
  },
  faq_use_q: { en: "How do I use a reward?", ru: "Как воспользоваться наградой?" },
  faq_use_a: {
    en: "Redeem it in the rewards panel or in your cart: it becomes a discount code for your next order, applied in one tap.",
    ru: "Обменяйте баллы в панели бонусов или прямо в корзине: награда станет кодом скидки на следующий заказ и применится в одно касание.",
  },
  faq_tiers_q: { en: "How do VIP tiers work?", ru: "Как работают VIP-уровни?" },
  faq_tiers_LIFETIME: {
    en: "Your tier follows everything you have {measure} with us, and you move up as soon as you cross a threshold.",
    ru: "Уровень зависит от всего, что вы {measure} у нас за всё время; переход на новый уровень — сразу при достижении порога.",
  },
  faq_tiers_CALENDAR_YEAR: {
    en: "Your tier follows what you have {measure} this calendar year; you move up as soon as you cross a threshold.",
    ru: "Уровень зависит от того, что вы {measure} в этом календарном году; переход — сразу при достижении порога.",
  },
  faq_tiers_ROLLING_12_MONTHS: {
    en: "Your tier follows what you have {measure} in the last 12 months; you move up as soon as you cross a threshold.",
    ru: "Уровень зависит от того, что вы {measure} за последние 12 месяцев; переход — сразу при достижении порога.",
  },
  measure_SPEND: { en: "spent", ru: "потратили" },
  measure_ORDERS: { en: "ordered", ru: "заказали" },
  measure_POINTS: { en: "earned in points", ru: "заработали в баллах" },
  not_live: { en: "Our rewards program opens soon.", ru: "Бонусная программа скоро откроется." },
} satisfies Record<string, Record<"en" | "ru", string>>;

export type LandingTextKey = keyof typeof LANDING;
export const landingText = bilingual(LANDING);
