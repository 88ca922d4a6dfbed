/**
 * The loyalty panel's texts. The app renders the panel's content (routes/proxy.panel), so
 * the storefront script carries none of them; the shell's few words (title, close,
 * loading, error, retry) stay in the theme's locales, which the page has at first paint.
 * English and Russian; `{name}` placeholders are filled by `panelText`.
 */
import { bilingual, type Language } from "./bilingual";

const PANEL = {
  not_live: { en: "The rewards program opens soon.", ru: "Бонусная программа скоро откроется." },
  tier: { en: "Your tier: {tier}", ru: "Ваш уровень: {tier}" },
  pending: { en: "{points} on the way", ru: "{points} скоро поступят" },
  pending_until: { en: "{points} on the way, available from {date}", ru: "{points} поступят {date}" },
  next_tier_spend: {
    en: "Spend {amount} more to reach {tier}",
    ru: "Купите ещё на {amount}, чтобы получить уровень «{tier}»",
  },
  next_tier_orders: { en: "{count} more orders to reach {tier}", ru: "Ещё заказов: {count} до уровня «{tier}»" },
  next_tier_points: { en: "Earn {points} more to reach {tier}", ru: "Ещё {points} до уровня «{tier}»" },
  rewards: { en: "Rewards", ru: "Награды" },
  redeem: { en: "Redeem", ru: "Получить" },
  tier_only: { en: "For {tier} and above", ru: "Для уровня «{tier}» и выше" },
  more_needed: { en: "{points} to go", ru: "Не хватает: {points}" },
  redeem_pending: {
    en: "Your code is being prepared. It will appear here in a moment.",
    ru: "Код готовится и скоро появится здесь.",
  },
  not_enough: { en: "Not enough points for this reward.", ru: "Для этой награды не хватает баллов." },
  redeem_failed: {
    en: "The code could not be created. Your points are safe; please try again.",
    ru: "Не удалось создать код. Баллы сохранены, попробуйте ещё раз.",
  },
  credited: {
    en: "{amount} was added to your store credit. It is applied at checkout.",
    ru: "{amount} зачислено на ваш баланс в магазине. Он применится при оформлении заказа.",
  },
  your_code: { en: "Your code", ru: "Ваш код" },
  your_codes: { en: "Your codes", ru: "Ваши коды" },
  copy: { en: "Copy", ru: "Скопировать" },
  copied: { en: "Copied", ru: "Скопировано" },
  apply: { en: "Apply to cart", ru: "Применить к корзине" },
  share: { en: "Share", ru: "Поделиться" },
  ways_to_earn: { en: "Ways to earn", ru: "Как получить баллы" },
  earn_spend: { en: "{points} for every {amount} spent", ru: "{points} за каждые потраченные {amount}" },
  action_SIGNUP: { en: "Create an account", ru: "Регистрация" },
  action_BIRTHDAY: { en: "Birthday gift", ru: "Подарок на день рождения" },
  action_REVIEW: { en: "Write a review", ru: "Отзыв о товаре" },
  action_PHOTO_REVIEW: { en: "Add a photo to a review", ru: "Фото в отзыве" },
  action_NEWSLETTER: { en: "Subscribe to our emails", ru: "Подписка на рассылку" },
  action_FIRST_ORDER: { en: "Your first order", ru: "Первый заказ" },
  action_REFERRAL: { en: "Refer a friend", ru: "Пригласите друга" },
  follow: { en: "Follow us on {network}", ru: "Подпишитесь на нас: {network}" },
  followed: { en: "Thanks for following! +{points}", ru: "Спасибо за подписку! +{points}" },
  birthday: { en: "Your birthday", ru: "Ваш день рождения" },
  birthday_day: { en: "Day", ru: "День" },
  birthday_month: { en: "Month", ru: "Месяц" },
  birthday_year: { en: "Year (optional)", ru: "Год (необязательно)" },
  birthday_save: { en: "Save birthday", ru: "Сохранить" },
  birthday_saved: {
    en: "Saved. Your gift comes {days} days before your birthday.",
    ru: "Сохранено. Подарок придёт за {days} дн. до дня рождения.",
  },
  birthday_gift: { en: "A birthday gift of your choice", ru: "Подарок на выбор в день рождения" },
  gift_choose: { en: "Happy birthday! Choose your gift:", ru: "С днём рождения! Выберите подарок:" },
  gift_pick: { en: "Choose", ru: "Выбрать" },
  gift_note: { en: "You've got a gift! {note}", ru: "Вам подарок! {note}" },
  survey: {
    en: "How likely are you to recommend us to a friend?",
    ru: "Насколько вероятно, что вы порекомендуете нас другу?",
  },
  survey_scale: {
    en: "0 means not at all likely, 10 means extremely likely. One tap sends your answer.",
    ru: "0 — совсем маловероятно, 10 — очень вероятно. Ответ отправится в одно касание.",
  },
  campaign: { en: "{name}: {multiplier}× points until {date}", ru: "{name}: баллы ×{multiplier} до {date}" },
  origin_ladder: { en: "Thank-you code", ru: "Код в благодарность" },
  origin_birthday: { en: "Birthday gift", ru: "Подарок на день рождения" },
  origin_referral: { en: "Welcome gift", ru: "Приветственный подарок" },
  expires: { en: "Valid until {date}", ru: "Действует до {date}" },
  referral: { en: "Your referral link", ru: "Ваша ссылка для друзей" },
  referral_body: {
    en: "Share it: you earn points when a friend pays their first order through it.",
    ru: "Поделитесь ею: вы получите баллы, когда друг оплатит по ней первый заказ.",
  },
  friend_offer: {
    en: "A friend invited you: {reward} on your first order.",
    ru: "Вас пригласил друг: {reward} на первый заказ.",
  },
  friend_email: { en: "Your email", ru: "Ваш email" },
  friend_get: { en: "Get my code", ru: "Получить код" },
  friend_code: { en: "Here is your code for your first order:", ru: "Ваш код на первый заказ:" },
  history: { en: "History", ru: "История" },
  show_history: { en: "Show recent activity", ru: "Показать последние операции" },
  guest_intro: {
    en: "Earn points on every order and spend them on rewards.",
    ru: "Получайте баллы за каждый заказ и обменивайте их на награды.",
  },
  join: { en: "Join", ru: "Вступить" },
  sign_in: { en: "Sign in", ru: "Войти" },
  error: { en: "Something went wrong. Please try again.", ru: "Что-то пошло не так. Попробуйте ещё раз." },
  history_empty: { en: "No activity yet.", ru: "Операций пока нет." },
  invalid_date: { en: "That date does not exist.", ru: "Такой даты нет." },
  already_set: { en: "Your birthday is already saved.", ru: "День рождения уже сохранён." },
  email_required: { en: "Enter your email to get your code.", ru: "Укажите email, чтобы получить код." },
  already_claimed: { en: "This email has had its code.", ru: "Для этого email код уже выдан." },
  own_link: { en: "This is your own link.", ru: "Это ваша собственная ссылка." },
  not_new_customer: {
    en: "The welcome offer is for a first order.",
    ru: "Приветственное предложение — только для первого заказа.",
  },
  already_referred: {
    en: "Another member invited this email first.",
    ru: "Этот email уже пригласил другой участник.",
  },
  unknown_code: { en: "This link is no longer valid.", ru: "Эта ссылка больше не действует." },
} satisfies Record<string, Record<Language, string>>;

export type PanelTextKey = keyof typeof PANEL;

export const panelText = bilingual(PANEL);

export function isPanelTextKey(key: string): key is PanelTextKey {
  return Object.hasOwn(PANEL, key);
}
