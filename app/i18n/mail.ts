/**
 * The texts of lifecycle email around the merchant's templates: the footer, the ways to
 * earn and tier perks as the templates list them, the preference page, and the admin's
 * names for each kind. English and Russian.
 */
import { bilingual, type Language } from "./bilingual";

type Texts = Record<Language, string>;

const MAIL = {
  footer: {
    en: "You receive this email as a member of the {shop} rewards program.",
    ru: "Вы получили это письмо как участник бонусной программы {shop}.",
  },
  footer_friend: {
    en: "You receive this email because you asked {shop} for your welcome code.",
    ru: "Вы получили это письмо, потому что запросили код в {shop}.",
  },
  preferences: { en: "Email preferences or unsubscribe", ru: "Настройки рассылки и отписка" },
  earn_spend: { en: "{points} for every {amount} you spend", ru: "{points} за каждые {amount} покупок" },
  way_SIGNUP: { en: "Joining: {points}", ru: "За вступление: {points}" },
  way_FIRST_ORDER: { en: "Your first order: {points}", ru: "За первый заказ: {points}" },
  way_REVIEW: { en: "A product review: {points}", ru: "За отзыв о товаре: {points}" },
  way_PHOTO_REVIEW: { en: "A photo with your review: {points}", ru: "За фото в отзыве: {points}" },
  way_BIRTHDAY: { en: "Your birthday: {points}", ru: "В день рождения: {points}" },
  way_NEWSLETTER: { en: "Subscribing to our newsletter: {points}", ru: "За подписку на рассылку: {points}" },
  way_REFERRAL: { en: "A friend's first order: {points}", ru: "За первый заказ друга: {points}" },
  way_SOCIAL_FOLLOW: { en: "Following us on {network}: {points}", ru: "За подписку в {network}: {points}" },
  perk_free_shipping: { en: "Free shipping", ru: "Бесплатная доставка" },
  perk_early_access: { en: "Early access to new products and sales", ru: "Ранний доступ к новинкам и распродажам" },
  perk_points: { en: "{multiplier}× points on every order", ru: "В {multiplier} раза больше баллов за заказы" },
  remaining_orders: { en: "{count} order(s)", ru: "Заказов: {count}" },
  pref_title: { en: "Email preferences", ru: "Настройки рассылки" },
  pref_intro: {
    en: "Choose which emails {shop} sends you about your rewards.",
    ru: "Выберите, какие письма о бонусах присылать вам от {shop}.",
  },
  pref_notices: {
    en: "Account notices: points earned, codes, expiring points, tier changes",
    ru: "Уведомления о счёте: начисления, коды, сгорание баллов, смена уровня",
  },
  pref_marketing: {
    en: "Offers: birthday gifts and come-back offers",
    ru: "Предложения: подарки ко дню рождения и приглашения вернуться",
  },
  pref_marketing_consent: {
    en: "Offers are sent only if you subscribed to the store's email marketing.",
    ru: "Предложения приходят, только если вы подписаны на рассылку магазина.",
  },
  pref_save: { en: "Save", ru: "Сохранить" },
  pref_saved: { en: "Saved. Thank you!", ru: "Сохранено. Спасибо!" },
  pref_invalid: {
    en: "This link is not valid any more. Use the link in a recent email.",
    ru: "Ссылка больше не действует. Откройте ссылку из недавнего письма.",
  },
  nps_title: { en: "Thank you!", ru: "Спасибо!" },
  nps_scored: { en: "You gave {shop} {score} out of 10.", ru: "Ваша оценка {shop}: {score} из 10." },
  nps_points: { en: "{points} are on their way to your account.", ru: "{points} уже начислены на ваш счёт." },
  nps_comment: { en: "Anything you would like to tell us? (optional)", ru: "Хотите что-то добавить? (необязательно)" },
  nps_send: { en: "Send", ru: "Отправить" },
  nps_comment_saved: { en: "Thank you, we read every message.", ru: "Спасибо, мы читаем каждое сообщение." },
  nps_review: {
    en: "Glad you liked it! A review on the product's page helps other shoppers.",
    ru: "Рады, что вам понравилось! Отзыв на странице товара поможет другим покупателям.",
  },
  nps_review_link: { en: "Go to the store", ru: "Перейти в магазин" },
  unsub_title: { en: "Unsubscribe", ru: "Отписка" },
  unsub_confirm: { en: "Stop these emails", ru: "Больше не присылать такие письма" },
  unsub_done: {
    en: "You are unsubscribed. You can change this on the preference page at any time.",
    ru: "Вы отписаны. Это можно изменить в настройках рассылки в любой момент.",
  },
} satisfies Record<string, Texts>;

export type MailTextKey = keyof typeof MAIL;

export const mailText = bilingual(MAIL);

/** The admin's name and description of each kind. */
export const MESSAGE_KIND_TEXT: Record<string, { en: string; ru: string; helpEn: string; helpRu: string }> = {
  SURPRISE: {
    en: "Surprise gift",
    ru: "Подарок-сюрприз",
    helpEn: "When a surprise campaign credits the member: your note, the points or the code.",
    helpRu: "Когда кампания-сюрприз начисляет подарок: ваша записка, баллы или код.",
  },
  NPS: {
    en: "NPS survey",
    ru: "Опрос NPS",
    helpEn:
      "Days after delivery (or shipment): how likely they are to recommend you, answered in one click. Results in Feedback.",
    helpRu:
      "Через N дней после доставки (или отправки): готовы ли рекомендовать вас, ответ в один клик. Результаты — в «Отзывах».",
  },
  WELCOME: {
    en: "Welcome",
    ru: "Приветствие",
    helpEn: "When a customer joins: the balance and how to earn.",
    helpRu: "При вступлении: баланс и как получать баллы.",
  },
  POINTS_EARNED: {
    en: "Points earned",
    ru: "Баллы начислены",
    helpEn: "After each paid order: the points, the balance, what it buys and what expiry would cost.",
    helpRu: "После оплаченного заказа: баллы, баланс, на что хватает и что сгорит.",
  },
  REWARD_UNLOCKED: {
    en: "Reward unlocked",
    ru: "Награда доступна",
    helpEn: "When the balance first reaches a reward's cost.",
    helpRu: "Когда баланса впервые хватает на награду.",
  },
  ORDER_CODE: {
    en: "Order ladder codes",
    ru: "Коды после заказов",
    helpEn: "The codes given after the 1st and 2nd orders, with their expiry.",
    helpRu: "Коды после 1-го и 2-го заказа, со сроком действия.",
  },
  FRIEND_CODE: {
    en: "Referred friend's code",
    ru: "Код для приглашённого друга",
    helpEn: "The welcome code a referred friend asked for, to the email they gave.",
    helpRu: "Приветственный код другу на указанный им email.",
  },
  TIER_UP: {
    en: "VIP tier reached",
    ru: "Новый уровень",
    helpEn: "When a member moves up a tier.",
    helpRu: "Когда участник переходит на уровень выше.",
  },
  TIER_DOWNGRADE: {
    en: "Tier ending soon",
    ru: "Уровень скоро закончится",
    helpEn: "Before a scheduled downgrade at the end of the period.",
    helpRu: "Перед запланированным понижением уровня в конце периода.",
  },
  POINTS_EXPIRING: {
    en: "Points expiring",
    ru: "Баллы сгорают",
    helpEn: "Before points expire, at each of the days you list.",
    helpRu: "Перед сгоранием баллов, за указанное число дней.",
  },
  BIRTHDAY: {
    en: "Birthday",
    ru: "День рождения",
    helpEn: "With the birthday gift, as many days early as the gift (Program → Birthday). Marketing: needs consent.",
    helpRu: "Вместе с подарком ко дню рождения (Программа → День рождения). Маркетинг: нужно согласие.",
  },
  WIN_BACK: {
    en: "Win-back",
    ru: "Возврат клиента",
    helpEn:
      "After days without an order, then a second touch that can carry a code. Stops when they order. Marketing: needs consent.",
    helpRu:
      "После периода без заказов, затем второе письмо, можно с кодом. Прекращается при заказе. Маркетинг: нужно согласие.",
  },
  REFERRAL_CREDITED: {
    en: "Referral credited",
    ru: "Бонус за друга",
    helpEn: "When a referred friend's first order credits the member.",
    helpRu: "Когда за первый заказ друга начислены баллы.",
  },
};
