/** @jsxImportSource preact */
// @vitest-environment happy-dom
import { readFileSync } from "node:fs";
import { render } from "preact";
import { act } from "preact/test-utils";
import { afterEach, describe, expect, it } from "vitest";
import {
  ThankYouBlock,
  type NextGoal,
  type ThankYouApi,
  type View,
} from "../../extensions/comeback-thank-you/src/block";
import { buildThankYou, LIMIT_BYTES } from "../../scripts/build-thank-you";

/**
 * The Thank-you block's UI in every state, rendered with Preact in a DOM (Shopify's
 * extension test library is not published for Preact targets), with the `shopify` API
 * and the network provided by the test.
 */
type Messages = Record<string, string | Record<string, string>>;
const locales: Record<string, Messages> = {
  en: JSON.parse(readFileSync("extensions/comeback-thank-you/locales/en.default.json", "utf8")) as Messages,
  ru: JSON.parse(readFileSync("extensions/comeback-thank-you/locales/ru.json", "utf8")) as Messages,
};

/** Shopify's i18n.translate: the locale's text, plural by `count`, `{{name}}` filled in. */
function translator(locale: string) {
  return (key: string, options: Record<string, string | number> = {}) => {
    let value = locales[locale]![key];
    if (value && typeof value === "object")
      value = value[new Intl.PluralRules(locale).select(Number(options.count))] ?? value.other;
    if (typeof value !== "string") throw new Error(`missing ${locale}.${key}`);
    return value.replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(options[name] ?? ""));
  };
}

/** What the app sends beside each view: the built-in points' name, unless a test sets one. */
const WORDS = {
  en: { language: "en", pointsName: { one: "point", other: "points" } },
  ru: { language: "ru", pointsName: { one: "балл", few: "балла", many: "баллов", other: "балла" } },
};

function api(locale = "en", isFirstOrder = false): ThankYouApi {
  return {
    orderConfirmation: {
      value: { order: { id: "gid://shopify/OrderIdentity/1001" }, number: "K7Q2PX9WZ", isFirstOrder },
    },
    sessionToken: { get: async () => "session-token" },
    i18n: {
      translate: translator(locale),
      formatCurrency: (amount, options) =>
        new Intl.NumberFormat(locale, { style: "currency", currency: options?.currency ?? "USD" }).format(amount),
      formatNumber: (number) => new Intl.NumberFormat(locale).format(number),
    },
    localization: { language: { value: { isoCode: locale === "ru" ? "ru-RU" : locale } } },
    shop: { storefrontUrl: "https://tea.example" },
  };
}

interface Call {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: unknown;
}

/** A fetch that answers from a list and records what the block sent. */
function network(...answers: Array<View | number | Error | Promise<View> | { status: number; error: string }>) {
  const calls: Call[] = [];
  const fetcher = (async (url: string, init: RequestInit = {}) => {
    calls.push({
      url,
      method: init.method ?? "GET",
      headers: init.headers as Record<string, string>,
      body: init.body ? JSON.parse(String(init.body)) : null,
    });
    const answer = await answers.shift();
    if (answer instanceof Error) throw answer;
    if (typeof answer === "number") return new Response("{}", { status: answer });
    if (answer && "status" in answer)
      return new Response(JSON.stringify({ error: answer.error }), { status: answer.status });
    return new Response(JSON.stringify(answer), { status: 200 });
  }) as typeof fetch;
  return { fetcher, calls };
}

let root: HTMLElement;
async function mount(a: ThankYouApi, fetcher: typeof fetch, retryDelays: number[] = []) {
  root = document.createElement("div");
  document.body.append(root);
  await act(async () => {
    render(<ThankYouBlock api={a} appUrl="https://app.example" fetcher={fetcher} retryDelays={retryDelays} />, root);
  });
  await act(async () => {
    await new Promise((r) => setTimeout(r, 0));
  });
}
/** What a reader sees: Intl's no-break spaces read as spaces. */
const texts = () =>
  [...root.querySelectorAll("s-text, s-heading")].map((el) => el.textContent?.replace(/[\u00a0\u202f]/g, " "));

afterEach(() => {
  render(null, root);
  root.remove();
});

describe("Thank-you block", () => {
  it("tells a member what the order earned, the balance and the next reward; asks with the session token", async () => {
    const { fetcher, calls } = network({
      ...WORDS.en,
      state: "member",
      points: 145,
      confirmed: true,
      balance: 465,
      next: { kind: "reward", name: "$5 off", remaining: 35 },
      welcome: true,
    });
    await mount(api("en", true), fetcher);
    expect(texts()).toEqual([
      "Welcome! Your first order counts.",
      "You earned 145 points with this order.",
      "Balance: 465 points.",
      "You are 35 points from $5 off.",
    ]);
    expect(calls).toEqual([
      {
        url: "https://app.example/extensions/thank-you?order=gid%3A%2F%2Fshopify%2FOrderIdentity%2F1001&number=K7Q2PX9WZ&first=1&locale=en",
        method: "GET",
        headers: { Authorization: "Bearer session-token" },
        body: null,
      },
    ]);
  });

  it("names the order's email the account needs, when the server sends it", async () => {
    const { fetcher } = network({
      ...WORDS.ru,
      state: "guest",
      points: 80,
      signupBonus: 0,
      pendingDays: 30,
      welcome: true,
      email: "olga@example.com",
    });
    await mount(api("ru"), fetcher);
    expect(texts()).toEqual([
      "Добро пожаловать! Ваш первый заказ уже считается.",
      "Вступите и получите 80 баллов за этот заказ.",
      "Они начислятся, когда вы создадите аккаунт с адресом olga@example.com — в течение 30 дн.",
    ]);
  });

  it("says 'you earn' for an estimate, and shows no balance the server kept private", async () => {
    const { fetcher } = network({
      ...WORDS.en,
      state: "member",
      points: 10,
      confirmed: false,
      balance: null,
      next: null,
      welcome: false,
    });
    await mount(api(), fetcher);
    expect(texts()).toEqual(["Rewards", "You earn 10 points with this order."]);
  });

  it("invites a guest honestly, and records the click before sending them to sign up", async () => {
    const { fetcher, calls } = network(
      { ...WORDS.en, state: "guest", points: 80, signupBonus: 100, pendingDays: 30, welcome: false },
      { state: "off" },
    );
    await mount(api(), fetcher);
    expect(texts()).toEqual([
      "Rewards",
      "Join and get 80 points for this order.",
      "Plus 100 points for joining.",
      "They are credited when you create your account with the email of this order, within 30 days.",
    ]);
    const button = root.querySelector("s-button")!;
    expect(button.getAttribute("href")).toBe("https://tea.example/account/register");
    await act(async () => {
      button.dispatchEvent(new Event("click"));
      await new Promise((r) => setTimeout(r, 0));
    });
    expect(calls[1]).toMatchObject({
      method: "POST",
      body: {
        order: "gid://shopify/OrderIdentity/1001",
        number: "K7Q2PX9WZ",
        locale: "en",
        event: "join_clicked",
      },
    });
  });

  it("joins a known customer in one tap and shows their points", async () => {
    const { fetcher, calls } = network(
      { ...WORDS.en, state: "join", points: 25, signupBonus: 100, pendingDays: 30, welcome: false },
      { ...WORDS.en, state: "member", points: 25, confirmed: true, balance: 125, next: null, welcome: false },
    );
    await mount(api(), fetcher);
    const button = root.querySelector("s-button")!;
    expect(button.textContent).toBe("Join");
    await act(async () => {
      button.dispatchEvent(new Event("click"));
      await new Promise((r) => setTimeout(r, 0));
    });
    expect(calls[1]).toMatchObject({
      method: "POST",
      headers: { Authorization: "Bearer session-token", "Content-Type": "application/json" },
      body: { event: "join" },
    });
    expect(texts()).toEqual(["Rewards", "You earned 25 points with this order.", "Balance: 125 points."]);
  });

  it("renders nothing when the program is off", async () => {
    const { fetcher } = network({ state: "off" });
    await mount(api(), fetcher);
    expect(root.innerHTML).toBe("");
  });

  it("shows a quiet note on a network error or a server error", async () => {
    for (const failure of [new TypeError("Failed to fetch"), 500, 401]) {
      const { fetcher } = network(failure);
      await mount(api(), fetcher);
      expect(texts()).toEqual(["What you earned will appear in your account soon."]);
      render(null, root);
      root.remove();
    }
    root = document.createElement("div");
  });

  it("shows a skeleton while the app is slow, then the content", async () => {
    let answer!: (view: View) => void;
    const { fetcher } = network(new Promise<View>((resolve) => (answer = resolve)));
    await mount(api(), fetcher);
    expect(root.querySelectorAll("s-skeleton-paragraph")).toHaveLength(2);
    expect(texts()).toEqual([]);
    await act(async () => {
      answer({ ...WORDS.en, state: "member", points: 5, confirmed: true, balance: 5, next: null, welcome: false });
      await new Promise((r) => setTimeout(r, 0));
    });
    expect(root.querySelectorAll("s-skeleton-paragraph")).toHaveLength(0);
    expect(texts()).toContain("You earned 5 points with this order.");
  });

  it("keeps the skeleton and asks again while the order is not in the Admin API yet", async () => {
    const notYet = { status: 404, error: "order_not_found" };
    const { fetcher, calls } = network(notYet, notYet, {
      ...WORDS.en,
      state: "guest",
      points: 80,
      signupBonus: 0,
      pendingDays: 30,
      welcome: false,
    });
    await mount(api(), fetcher, [5, 5, 5]);
    expect(root.querySelectorAll("s-skeleton-paragraph")).toHaveLength(2);
    await act(async () => {
      await new Promise((r) => setTimeout(r, 50));
    });
    expect(calls).toHaveLength(3);
    expect(texts()).toContain("Join and get 80 points for this order.");
  });

  it("gives up quietly after the last retry, and never retries a final answer", async () => {
    const notYet = { status: 404, error: "order_not_found" };
    const patient = network(notYet, notYet, notYet);
    await mount(api(), patient.fetcher, [1, 1]);
    await act(async () => {
      await new Promise((r) => setTimeout(r, 30));
    });
    expect(patient.calls).toHaveLength(3);
    expect(texts()).toEqual(["What you earned will appear in your account soon."]);
    render(null, root);
    root.remove();

    for (const final of [{ status: 404, error: "order_too_old" }, { status: 401, error: "unknown_shop" }, 500]) {
      const once = network(final, { state: "off" });
      await mount(api(), once.fetcher, [1, 1]);
      await act(async () => {
        await new Promise((r) => setTimeout(r, 20));
      });
      expect(once.calls).toHaveLength(1);
      expect(texts()).toEqual(["What you earned will appear in your account soon."]);
      render(null, root);
      root.remove();
    }
    root = document.createElement("div");
  });

  it("speaks Russian with Russian plurals", async () => {
    const { fetcher } = network({
      ...WORDS.ru,
      state: "member",
      points: 62,
      confirmed: true,
      balance: 1001,
      next: { kind: "reward", name: "Скидка 500 ₽", remaining: 21 },
      welcome: false,
    });
    await mount(api("ru"), fetcher);
    expect(texts()).toEqual([
      "Бонусы",
      "За этот заказ вы получили 62 балла.",
      "Баланс: 1 001 балл.",
      "До награды «Скидка 500 ₽» осталось 21 балл.",
    ]);
  });

  it("uses the merchant's name for points with the buyer's plural forms", async () => {
    const names = {
      en: { language: "en", pointsName: { one: "star", other: "stars" } },
      ru: { language: "ru", pointsName: { one: "бонус", few: "бонуса", many: "бонусов", other: "бонуса" } },
    };
    const cases: Array<["en" | "ru", number, string]> = [
      ["en", 1, "You earned 1 star with this order."],
      ["en", 1250, "You earned 1,250 stars with this order."],
      ["ru", 1, "За этот заказ вы получили 1 бонус."],
      ["ru", 3, "За этот заказ вы получили 3 бонуса."],
      ["ru", 25, "За этот заказ вы получили 25 бонусов."],
    ];
    for (const [locale, points, expected] of cases) {
      const { fetcher } = network({
        ...names[locale],
        state: "member",
        points,
        confirmed: true,
        balance: null,
        next: null,
        welcome: false,
      });
      await mount(api(locale), fetcher);
      expect(texts().at(-1)).toBe(expected);
      render(null, root);
      root.remove();
    }
    root = document.createElement("div");
  });

  it("names the next tier when every reward is affordable, in the program's metric and the buyer's language", async () => {
    const member = (next: NextGoal, locale: "en" | "ru" = "en"): View => ({
      ...WORDS[locale],
      state: "member",
      points: 5,
      confirmed: true,
      balance: 900,
      next,
      welcome: false,
    });
    const cases: Array<[string, View, string]> = [
      ["en", member({ kind: "tier", name: "Gold", unit: "points", remaining: 250 }), "You are 250 points from Gold."],
      ["en", member({ kind: "tier", name: "Gold", unit: "orders", remaining: 1 }), "You are 1 order away from Gold."],
      [
        "en",
        member({ kind: "tier", name: "Gold", unit: "money", remaining: 42.5, currency: "USD" }),
        "Spend $42.50 more to reach Gold.",
      ],
      [
        "ru",
        member({ kind: "tier", name: "Золото", unit: "points", remaining: 3 }, "ru"),
        "До уровня «Золото» осталось 3 балла.",
      ],
      [
        "ru",
        member({ kind: "tier", name: "Золото", unit: "orders", remaining: 5 }, "ru"),
        "До уровня «Золото» осталось 5 заказов.",
      ],
    ];
    for (const [locale, view, expected] of cases) {
      const { fetcher } = network(view);
      await mount(api(locale), fetcher);
      expect(texts().at(-1)).toBe(expected);
      render(null, root);
      root.remove();
    }
    const { fetcher } = network(
      member({ kind: "tier", name: "Золото", unit: "money", remaining: 1500, currency: "RUB" }, "ru"),
    );
    await mount(api("ru"), fetcher);
    expect(texts().at(-1)).toMatch(/^До уровня «Золото» осталось потратить 1\s500,00\s₽\.$/);
  });

  it("has the same texts in both languages, and bundles well under Shopify's 64 KB", async () => {
    expect(Object.keys(locales.ru!).sort()).toEqual(Object.keys(locales.en!).sort());
    const size = await buildThankYou();
    console.log(`thank-you extension bundle: ${size.raw} B, ${size.gzip} B gzip`);
    expect(size.gzip).toBeLessThan(LIMIT_BYTES);
    expect(size.raw).toBeLessThan(LIMIT_BYTES);
  });
});
