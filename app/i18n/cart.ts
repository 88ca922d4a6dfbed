/**
 * The cart block's texts (rendered by the app, so the storefront script carries none).
 * English and Russian; `{name}` placeholders are filled by `cartText`.
 */
import { bilingual, type Language } from "./bilingual";

const CART = {
  title: { en: "Spend your points", ru: "Потратьте баллы" },
  balance: { en: "You have {points}", ru: "У вас {points}" },
  redeem: { en: "Redeem and apply", ru: "Обменять и применить" },
  // Starts with the button's visible words, so speech input ("click Redeem and apply") finds it.
  redeem_label: {
    en: "Redeem and apply: {reward} for {points}",
    ru: "Обменять и применить: «{reward}» за {points}",
  },
  store_credit: { en: "Redeem as store credit", ru: "Зачислить на счёт" },
  your_codes: { en: "Your codes", ru: "Ваши коды" },
  apply: { en: "Apply", ru: "Применить" },
  apply_label: { en: "Apply {code} to this cart", ru: "Применить код {code} к корзине" },
  remove: { en: "Remove", ru: "Убрать" },
  remove_label: { en: "Remove {code} from this cart", ru: "Убрать код {code} из корзины" },
  until: { en: "valid until {date}", ru: "действует до {date}" },
  in_cart: { en: "Applied to this cart", ru: "Применён к корзине" },
  not_applicable: { en: "In your cart, but it doesn't apply to it", ru: "В корзине, но к ней не подходит" },
  blocker_points: { en: "{points} more needed", ru: "Нужно ещё {points}" },
  blocker_tier: { en: "For {tier} members", ru: "Для уровня «{tier}»" },
  blocker_minimum: {
    en: "Add {amount} more to your cart to use it",
    ru: "Добавьте товаров ещё на {amount}, чтобы его использовать",
  },
  blocker_combine: {
    en: "Doesn't combine with {code}, already in your cart",
    ru: "Не сочетается с кодом {code}, который уже в корзине",
  },
  applied: { en: "{code} is applied to your cart.", ru: "Код {code} применён к корзине." },
  applied_not: {
    en: "{code} is yours, but it doesn't apply to this cart yet.",
    ru: "Код {code} ваш, но к этой корзине пока не подходит.",
  },
  saving: { en: "You save {amount}. Total: {total}", ru: "Экономия {amount}. Итого: {total}" },
  shipping: { en: "Shipping will be free at checkout.", ru: "Доставка будет бесплатной при оформлении заказа." },
  product: {
    en: "The gift item is free once it is in your cart.",
    ru: "Подарочный товар станет бесплатным, когда окажется в корзине.",
  },
  removed: {
    en: "{code} is off this cart. It stays yours: use it on a later order.",
    ru: "Код {code} убран из корзины. Он остаётся вашим: используйте его в следующем заказе.",
  },
  credited: {
    en: "{amount} of store credit is in your account. It is offered at checkout.",
    ru: "{amount} зачислено на ваш счёт в магазине. Их можно списать при оформлении заказа.",
  },
  pending: {
    en: "Your code is being prepared. It will be here in a moment.",
    ru: "Код готовится и через минуту появится здесь.",
  },
  not_enough: { en: "Not enough points for this reward.", ru: "Для этой награды не хватает баллов." },
  failed: {
    en: "That didn't work, and your points are safe. Please try again.",
    ru: "Не получилось, баллы на месте. Попробуйте ещё раз.",
  },
  guest: { en: "Sign in to spend your points on this order.", ru: "Войдите, чтобы потратить баллы на этот заказ." },
  sign_in: { en: "Sign in", ru: "Войти" },
  not_member: {
    en: "Join our rewards program to earn points with this order.",
    ru: "Вступите в бонусную программу, чтобы получить баллы за этот заказ.",
  },
  join: { en: "Join", ru: "Вступить" },
  no_rewards: { en: "No rewards to spend points on yet.", ru: "Пока нет наград, на которые можно потратить баллы." },
} satisfies Record<string, Record<Language, string>>;

export type CartTextKey = keyof typeof CART;

export const cartText = bilingual(CART);
