import type en from "./en";
import adminRu from "./admin-ru";

const ru: Record<keyof typeof en, string | Partial<Record<Intl.LDMLPluralRule, string>>> = {
  ...adminRu,
  "app.name": "Comeback",
  "login.title": "Вход",
  "login.shopLabel": "Домен магазина",
  "login.shopHelp": "example.myshopify.com",
  "login.submit": "Войти",
  "login.errors.missingShop": "Введите домен магазина, чтобы войти",
  "login.errors.invalidShop": "Введите корректный домен магазина, чтобы войти",
  "landing.heading": "Превращайте разовых покупателей в постоянных",
  "landing.tagline": "Баллы, VIP-уровни, награды и рефералы, которые работают сами.",
  "nav.home": "Главная",
  "home.title": "Comeback",
  "home.status.heading": "Статус программы",
  "home.status.DRAFT": "Черновик: программа ещё не запущена",
  "home.status.LIVE": "Запущена",
  "home.status.PAUSED": "Приостановлена",
  "home.members": {
    one: "{count} участник",
    few: "{count} участника",
    many: "{count} участников",
    other: "{count} участника",
  },
  "home.empty.heading": "Участников пока нет",
  "home.empty.body": "Покупатели присоединяются, когда создают аккаунт или делают заказ после запуска программы.",
  "error.heading": "Что-то пошло не так",
  "error.body": "Перезагрузите страницу. Если ошибка повторится, напишите в поддержку.",
};

export default ru;
