import type { Language } from "../../domain/localized";
import type { MessageKind } from "../../domain/messages";

/**
 * The built-in subject and body of every message, in English and Russian, in Liquid.
 * A merchant's edited template (MessageTemplate) replaces these per kind and language;
 * "Reset" goes back to them. What a template can use is listed in TEMPLATE_VARIABLES.
 *
 * Filters: `points` ("1,250 points" with the program's name for points, in the message's
 * language), `button: url` (a button in the shop's colour).
 */
export interface MessageTemplateText {
  subject: string;
  body: string;
}

const en: Record<MessageKind, MessageTemplateText> = {
  WELCOME: {
    subject: "Welcome to {{ shop.name }} rewards",
    body: `<p>Hi {{ customer.first_name | default: "there" }},</p>
<p>You're in! You have <strong>{{ balance | points }}</strong> to start with.</p>
{% if ways_to_earn.size > 0 %}<p>Here is how you earn more:</p>
<ul>{% for way in ways_to_earn %}<li>{{ way }}</li>{% endfor %}</ul>{% endif %}
{% if next_reward %}<p>Your first reward, {{ next_reward.name }}, is {{ next_reward.remaining | points }} away.</p>{% endif %}
{{ "See your rewards" | button: links.rewards }}`,
  },
  POINTS_EARNED: {
    subject: "You earned {{ points_earned | points }} with order {{ order.name }}",
    body: `<p>Hi {{ customer.first_name | default: "there" }},</p>
<p>Thank you for your order {{ order.name }}. It earned you <strong>{{ points_earned | points }}</strong>, and your balance is now <strong>{{ balance | points }}</strong>.</p>
{% if affordable.size > 0 %}<p>That already buys you:</p>
<ul>{% for reward in affordable %}<li>{{ reward.name }} ({{ reward.cost | points }})</li>{% endfor %}</ul>{% endif %}
{% if next_reward %}<p>You are {{ next_reward.remaining | points }} from {{ next_reward.name }}.</p>{% endif %}
{% if expiry %}<p>Your points expire on {{ expiry.date }} if you don't shop or redeem by then: that is {{ expiry.points | points }} you would lose.</p>{% endif %}
{{ "Use your points" | button: links.rewards }}
{% if recommendations.size > 0 %}<p>You might also like:</p>
<ul>{% for product in recommendations %}<li><a href="{{ product.url }}">{{ product.title }}</a>, {{ product.price }}</li>{% endfor %}</ul>{% endif %}
`,
  },
  REWARD_UNLOCKED: {
    subject: "You can now get {{ reward.name }}",
    body: `<p>Hi {{ customer.first_name | default: "there" }},</p>
<p>Good news: with <strong>{{ balance | points }}</strong> you can now get <strong>{{ reward.name }}</strong> for {{ reward.cost | points }}.</p>
{{ "Get my reward" | button: links.rewards }}`,
  },
  ORDER_CODE: {
    subject: "{{ code.name }}: your code inside",
    body: `<p>Hi {{ customer.first_name | default: "there" }},</p>
<p>Thank you for shopping with us. Here is a thank-you for your next order: <strong>{{ code.name }}</strong>.</p>
<p style="font-size:20px;letter-spacing:2px"><strong>{{ code.value }}</strong></p>
{% if code.expires_on %}<p>Use it by {{ code.expires_on }}.</p>{% endif %}
{{ "Shop with my code" | button: code.url }}`,
  },
  FRIEND_CODE: {
    subject: "Your welcome gift from {{ shop.name }}",
    body: `<p>Hello,</p>
<p>A friend invited you to {{ shop.name }}. Here is your welcome gift: <strong>{{ code.name }}</strong>.</p>
<p style="font-size:20px;letter-spacing:2px"><strong>{{ code.value }}</strong></p>
{% if code.expires_on %}<p>It is valid until {{ code.expires_on }}, on your first order.</p>{% endif %}
{{ "Shop now" | button: code.url }}`,
  },
  TIER_UP: {
    subject: "You reached {{ tier.name }}",
    body: `<p>Hi {{ customer.first_name | default: "there" }},</p>
<p>Congratulations, you are now a <strong>{{ tier.name }}</strong> member{% if tier.multiplier %} and earn {{ tier.multiplier }} points on every purchase{% endif %}.</p>
{% if tier.perks.size > 0 %}<ul>{% for perk in tier.perks %}<li>{{ perk }}</li>{% endfor %}</ul>{% endif %}
{{ "See my status" | button: links.rewards }}`,
  },
  TIER_DOWNGRADE: {
    subject: "Keep your {{ tier.name }} status",
    body: `<p>Hi {{ customer.first_name | default: "there" }},</p>
<p>Your <strong>{{ tier.name }}</strong> status ends on {{ tier.downgrade_on }}{% if tier.previous %}, and you would move to {{ tier.previous }}{% endif %}.</p>
{% if tier.remaining %}<p>{{ tier.remaining }} more keeps it.</p>{% endif %}
{{ "Keep my status" | button: links.store }}`,
  },
  POINTS_EXPIRING: {
    subject: "{{ expiry.points | points }} expire on {{ expiry.date }}",
    body: `<p>Hi {{ customer.first_name | default: "there" }},</p>
<p>Your <strong>{{ expiry.points | points }}</strong> expire on <strong>{{ expiry.date }}</strong>. Any purchase or reward before then keeps them.</p>
{% if affordable.size > 0 %}<p>Right now they buy you:</p>
<ul>{% for reward in affordable %}<li>{{ reward.name }} ({{ reward.cost | points }})</li>{% endfor %}</ul>{% elsif next_reward %}<p>You are {{ next_reward.remaining | points }} from {{ next_reward.name }}.</p>{% endif %}
{{ "Use my points" | button: links.rewards }}`,
  },
  BIRTHDAY: {
    subject: "Happy birthday{% if customer.first_name %}, {{ customer.first_name }}{% endif %}!",
    body: `<p>Hi {{ customer.first_name | default: "there" }},</p>
<p>Your birthday is coming up, and we have a gift for you.</p>
{% if gift.points > 0 %}<p>We added <strong>{{ gift.points | points }}</strong> to your balance, which is now {{ balance | points }}.</p>{% endif %}
{% if gift.choice.size > 0 %}<p>Choose your gift by {{ gift.choose_by }}:</p>
<ul>{% for option in gift.choice %}<li>{{ option }}</li>{% endfor %}</ul>{{ "Choose my gift" | button: links.rewards }}{% else %}{{ "Treat yourself" | button: links.store }}{% endif %}`,
  },
  WIN_BACK: {
    subject:
      "{% if touch == 2 %}A little something to come back for{% else %}We miss you at {{ shop.name }}{% endif %}",
    body: `<p>Hi {{ customer.first_name | default: "there" }},</p>
{% if touch == 2 %}<p>It has been a while, so here is a gift for your next order: <strong>{{ code.name }}</strong>.</p>
<p style="font-size:20px;letter-spacing:2px"><strong>{{ code.value }}</strong></p>
{% if code.expires_on %}<p>Valid until {{ code.expires_on }}.</p>{% endif %}{% else %}<p>It has been a while since your last order. Your <strong>{{ balance | points }}</strong> are waiting for you.</p>
{% if affordable.size > 0 %}<p>They already buy you {{ affordable.first.name }}.</p>{% endif %}{% endif %}
{% if code.url %}{{ "Come back" | button: code.url }}{% else %}{{ "Come back" | button: links.store }}{% endif %}
{% if recommendations.size > 0 %}<p>You might also like:</p>
<ul>{% for product in recommendations %}<li><a href="{{ product.url }}">{{ product.title }}</a>, {{ product.price }}</li>{% endfor %}</ul>{% endif %}
`,
  },
  REFERRAL_CREDITED: {
    subject: "Your friend ordered: {{ earned | points }} for you",
    body: `<p>Hi {{ customer.first_name | default: "there" }},</p>
<p>A friend you invited placed their first order, and you earned <strong>{{ earned | points }}</strong>. Your balance is {{ balance | points }}.</p>
<p>Keep sharing your link: {{ links.referral }}</p>
{{ "See my rewards" | button: links.rewards }}`,
  },
  NPS: {
    subject: "How was your order {{ order.name }}?",
    body: `<p>Hi {{ customer.first_name | default: "there" }},</p>
<p>How likely are you to recommend {{ shop.name }} to a friend?</p>
<table role="presentation" cellpadding="0" cellspacing="0"><tr>{% for choice in survey.scores %}<td style="padding:2px"><a href="{{ choice.url }}" style="display:inline-block;width:30px;padding:8px 0;text-align:center;border:1px solid #c9cccf;border-radius:6px;color:#1a1a1a;text-decoration:none;font-weight:600">{{ choice.score }}</a></td>{% endfor %}</tr></table>
<p style="font-size:13px;color:#6d7175">0 = not at all likely, 10 = extremely likely. One click is enough.</p>
{% if survey.points > 0 %}<p>Answering earns you {{ survey.points | points }}.</p>{% endif %}`,
  },
  SURPRISE: {
    subject: "A little gift from {{ shop.name }}",
    body: `<p>Hi {{ customer.first_name | default: "there" }},</p>
<p>{{ gift.note }}</p>
{% if gift.points > 0 %}<p>We added <strong>{{ gift.points | points }}</strong> to your account: your balance is now {{ balance | points }}.</p>{% endif %}
{% if code %}<p>Your gift: <strong>{{ code.name }}</strong></p>
<p style="font-size:20px;letter-spacing:2px"><strong>{{ code.value }}</strong></p>
{% if code.expires_on %}<p>Use it by {{ code.expires_on }}.</p>{% endif %}{{ "Use my gift" | button: code.url }}{% else %}{{ "See my rewards" | button: links.rewards }}{% endif %}`,
  },
};

const ru: Record<MessageKind, MessageTemplateText> = {
  WELCOME: {
    subject: "Добро пожаловать в бонусную программу {{ shop.name }}",
    body: `<p>Здравствуйте{% if customer.first_name %}, {{ customer.first_name }}{% endif %}!</p>
<p>Вы в программе! Для начала у вас <strong>{{ balance | points }}</strong>.</p>
{% if ways_to_earn.size > 0 %}<p>Как получить больше:</p>
<ul>{% for way in ways_to_earn %}<li>{{ way }}</li>{% endfor %}</ul>{% endif %}
{% if next_reward %}<p>До первой награды «{{ next_reward.name }}» осталось {{ next_reward.remaining | points }}.</p>{% endif %}
{{ "Мои бонусы" | button: links.rewards }}`,
  },
  POINTS_EARNED: {
    subject: "За заказ {{ order.name }} начислено {{ points_earned | points }}",
    body: `<p>Здравствуйте{% if customer.first_name %}, {{ customer.first_name }}{% endif %}!</p>
<p>Спасибо за заказ {{ order.name }}. За него вы получили <strong>{{ points_earned | points }}</strong>, и теперь на счёте <strong>{{ balance | points }}</strong>.</p>
{% if affordable.size > 0 %}<p>Их уже хватает на:</p>
<ul>{% for reward in affordable %}<li>{{ reward.name }} ({{ reward.cost | points }})</li>{% endfor %}</ul>{% endif %}
{% if next_reward %}<p>До награды «{{ next_reward.name }}» осталось {{ next_reward.remaining | points }}.</p>{% endif %}
{% if expiry %}<p>Если до {{ expiry.date }} не будет покупок или обмена, баллы сгорят: вы потеряете {{ expiry.points | points }}.</p>{% endif %}
{{ "Потратить баллы" | button: links.rewards }}
{% if recommendations.size > 0 %}<p>Вам может понравиться:</p>
<ul>{% for product in recommendations %}<li><a href="{{ product.url }}">{{ product.title }}</a>, {{ product.price }}</li>{% endfor %}</ul>{% endif %}
`,
  },
  REWARD_UNLOCKED: {
    subject: "Вам доступна награда «{{ reward.name }}»",
    body: `<p>Здравствуйте{% if customer.first_name %}, {{ customer.first_name }}{% endif %}!</p>
<p>Хорошая новость: на вашем счёте <strong>{{ balance | points }}</strong>, и этого хватает на награду <strong>«{{ reward.name }}»</strong> ({{ reward.cost | points }}).</p>
{{ "Получить награду" | button: links.rewards }}`,
  },
  ORDER_CODE: {
    subject: "{{ code.name }}: ваш код внутри",
    body: `<p>Здравствуйте{% if customer.first_name %}, {{ customer.first_name }}{% endif %}!</p>
<p>Спасибо за покупку. Дарим вам к следующему заказу: <strong>{{ code.name }}</strong>.</p>
<p style="font-size:20px;letter-spacing:2px"><strong>{{ code.value }}</strong></p>
{% if code.expires_on %}<p>Код действует до {{ code.expires_on }}.</p>{% endif %}
{{ "За покупками с кодом" | button: code.url }}`,
  },
  FRIEND_CODE: {
    subject: "Подарок от {{ shop.name }} за приглашение друга",
    body: `<p>Здравствуйте!</p>
<p>Друг пригласил вас в {{ shop.name }}. Ваш подарок: <strong>{{ code.name }}</strong>.</p>
<p style="font-size:20px;letter-spacing:2px"><strong>{{ code.value }}</strong></p>
{% if code.expires_on %}<p>Код действует до {{ code.expires_on }} на первый заказ.</p>{% endif %}
{{ "За покупками" | button: code.url }}`,
  },
  TIER_UP: {
    subject: "Ваш новый уровень: {{ tier.name }}",
    body: `<p>Здравствуйте{% if customer.first_name %}, {{ customer.first_name }}{% endif %}!</p>
<p>Поздравляем, теперь ваш уровень — <strong>{{ tier.name }}</strong>{% if tier.multiplier %}: за каждую покупку вы получаете в {{ tier.multiplier }} раза больше баллов{% endif %}.</p>
{% if tier.perks.size > 0 %}<ul>{% for perk in tier.perks %}<li>{{ perk }}</li>{% endfor %}</ul>{% endif %}
{{ "Мой статус" | button: links.rewards }}`,
  },
  TIER_DOWNGRADE: {
    subject: "Сохраните уровень «{{ tier.name }}»",
    body: `<p>Здравствуйте{% if customer.first_name %}, {{ customer.first_name }}{% endif %}!</p>
<p>Ваш уровень <strong>«{{ tier.name }}»</strong> действует до {{ tier.downgrade_on }}{% if tier.previous %}, затем он сменится на «{{ tier.previous }}»{% endif %}.</p>
{% if tier.remaining %}<p>Чтобы его сохранить, осталось: {{ tier.remaining }}.</p>{% endif %}
{{ "Сохранить уровень" | button: links.store }}`,
  },
  POINTS_EXPIRING: {
    subject: "{{ expiry.date }} сгорят {{ expiry.points | points }}",
    body: `<p>Здравствуйте{% if customer.first_name %}, {{ customer.first_name }}{% endif %}!</p>
<p>Ваши <strong>{{ expiry.points | points }}</strong> сгорят <strong>{{ expiry.date }}</strong>. Любая покупка или обмен баллов до этой даты их сохранит.</p>
{% if affordable.size > 0 %}<p>Сейчас их хватает на:</p>
<ul>{% for reward in affordable %}<li>{{ reward.name }} ({{ reward.cost | points }})</li>{% endfor %}</ul>{% elsif next_reward %}<p>До награды «{{ next_reward.name }}» осталось {{ next_reward.remaining | points }}.</p>{% endif %}
{{ "Потратить баллы" | button: links.rewards }}`,
  },
  BIRTHDAY: {
    subject: "С наступающим днём рождения{% if customer.first_name %}, {{ customer.first_name }}{% endif %}!",
    body: `<p>Здравствуйте{% if customer.first_name %}, {{ customer.first_name }}{% endif %}!</p>
<p>Скоро ваш день рождения, и у нас есть для вас подарок.</p>
{% if gift.points > 0 %}<p>Мы начислили вам <strong>{{ gift.points | points }}</strong>, теперь на счёте {{ balance | points }}.</p>{% endif %}
{% if gift.choice.size > 0 %}<p>Выберите подарок до {{ gift.choose_by }}:</p>
<ul>{% for option in gift.choice %}<li>{{ option }}</li>{% endfor %}</ul>{{ "Выбрать подарок" | button: links.rewards }}{% else %}{{ "Порадовать себя" | button: links.store }}{% endif %}`,
  },
  WIN_BACK: {
    subject:
      "{% if touch == 2 %}Небольшой подарок, чтобы вы вернулись{% else %}Мы скучаем по вам в {{ shop.name }}{% endif %}",
    body: `<p>Здравствуйте{% if customer.first_name %}, {{ customer.first_name }}{% endif %}!</p>
{% if touch == 2 %}<p>Давно вас не видели, поэтому дарим подарок к следующему заказу: <strong>{{ code.name }}</strong>.</p>
<p style="font-size:20px;letter-spacing:2px"><strong>{{ code.value }}</strong></p>
{% if code.expires_on %}<p>Действует до {{ code.expires_on }}.</p>{% endif %}{% else %}<p>Вы давно у нас не были. Ваши <strong>{{ balance | points }}</strong> ждут вас.</p>
{% if affordable.size > 0 %}<p>Их уже хватает на награду «{{ affordable.first.name }}».</p>{% endif %}{% endif %}
{% if code.url %}{{ "Вернуться в магазин" | button: code.url }}{% else %}{{ "Вернуться в магазин" | button: links.store }}{% endif %}
{% if recommendations.size > 0 %}<p>Вам может понравиться:</p>
<ul>{% for product in recommendations %}<li><a href="{{ product.url }}">{{ product.title }}</a>, {{ product.price }}</li>{% endfor %}</ul>{% endif %}
`,
  },
  REFERRAL_CREDITED: {
    subject: "Друг сделал заказ: вам {{ earned | points }}",
    body: `<p>Здравствуйте{% if customer.first_name %}, {{ customer.first_name }}{% endif %}!</p>
<p>Приглашённый вами друг сделал первый заказ, и вы получили <strong>{{ earned | points }}</strong>. Теперь на счёте {{ balance | points }}.</p>
<p>Делитесь ссылкой и дальше: {{ links.referral }}</p>
{{ "Мои бонусы" | button: links.rewards }}`,
  },
  NPS: {
    subject: "Как вам заказ {{ order.name }}?",
    body: `<p>Здравствуйте{% if customer.first_name %}, {{ customer.first_name }}{% endif %}!</p>
<p>Насколько вероятно, что вы порекомендуете {{ shop.name }} другу?</p>
<table role="presentation" cellpadding="0" cellspacing="0"><tr>{% for choice in survey.scores %}<td style="padding:2px"><a href="{{ choice.url }}" style="display:inline-block;width:30px;padding:8px 0;text-align:center;border:1px solid #c9cccf;border-radius:6px;color:#1a1a1a;text-decoration:none;font-weight:600">{{ choice.score }}</a></td>{% endfor %}</tr></table>
<p style="font-size:13px;color:#6d7175">0 — точно нет, 10 — точно да. Достаточно одного нажатия.</p>
{% if survey.points > 0 %}<p>За ответ мы начислим {{ survey.points | points }}.</p>{% endif %}`,
  },
  SURPRISE: {
    subject: "Небольшой подарок от {{ shop.name }}",
    body: `<p>Здравствуйте{% if customer.first_name %}, {{ customer.first_name }}{% endif %}!</p>
<p>{{ gift.note }}</p>
{% if gift.points > 0 %}<p>Мы начислили вам <strong>{{ gift.points | points }}</strong>, теперь на счёте {{ balance | points }}.</p>{% endif %}
{% if code %}<p>Ваш подарок: <strong>{{ code.name }}</strong></p>
<p style="font-size:20px;letter-spacing:2px"><strong>{{ code.value }}</strong></p>
{% if code.expires_on %}<p>Код действует до {{ code.expires_on }}.</p>{% endif %}{{ "Воспользоваться" | button: code.url }}{% else %}{{ "Мои бонусы" | button: links.rewards }}{% endif %}`,
  },
};

export const DEFAULT_TEMPLATES: Record<Language, Record<MessageKind, MessageTemplateText>> = { en, ru };

/** What templates can use, for the editor's help panel. */
export const TEMPLATE_VARIABLES = [
  "customer.first_name",
  "shop.name",
  "balance",
  "affordable (list of rewards: name, cost)",
  "next_reward.name, next_reward.remaining",
  "expiry.date, expiry.points",
  "order.name, points_earned",
  "reward.name, reward.cost",
  "code.value, code.name, code.expires_on, code.url",
  "tier.name, tier.previous, tier.multiplier, tier.perks, tier.downgrade_on, tier.remaining",
  "gift.points, gift.choice, gift.choose_by",
  "touch (win-back: 1 or 2)",
  "earned (referral)",
  "survey.scores (NPS: score, url), survey.points",
  "gift.note, gift.points (surprise)",
  "recommendations (points earned, win-back: title, url, price; only with marketing consent)",
  "ways_to_earn",
  "links.store, links.rewards, links.referral, links.preferences",
] as const;
