/** @jsxImportSource preact */
// @vitest-environment happy-dom
import { readFileSync } from "node:fs";
import { render, type ComponentChild } from "preact";
import { act } from "preact/test-utils";
import { afterEach, describe, expect, it } from "vitest";
import { OrderPointsBlock, ProfileCard, REWARDS_PAGE } from "../../extensions/comeback-customer-account/src/blocks";
import {
  accountClient,
  type AccountApi,
  type AccountView,
  type HistoryPage,
  type MemberView,
  type OrderPoints,
} from "../../extensions/comeback-customer-account/src/client";
import { RewardsPage } from "../../extensions/comeback-customer-account/src/rewards-page";
import { buildCustomerAccount, LIMIT_BYTES } from "../../scripts/build-thank-you";

/**
 * The customer-account targets in every state, rendered with Preact in a DOM (as the
 * Thank-you block's tests do), with the `shopify` API and the network provided here. The
 * views are typed by the app's own view types, so a change there breaks these fixtures.
 */
type Messages = { [key: string]: string | Messages };
const locales: Record<string, Messages> = {
  en: JSON.parse(readFileSync("extensions/comeback-customer-account/locales/en.default.json", "utf8")) as Messages,
  ru: JSON.parse(readFileSync("extensions/comeback-customer-account/locales/ru.json", "utf8")) as Messages,
};

/** Shopify's i18n.translate: nested keys by dots, plural by `count`, `{{name}}` filled in. */
function translator(locale: string) {
  return (key: string, options: Record<string, string | number> = {}) => {
    let value: string | Messages | undefined = locales[locale];
    for (const part of key.split(".")) value = typeof value === "object" ? value[part] : undefined;
    if (value && typeof value === "object" && "other" in value)
      value = value[new Intl.PluralRules(locale).select(Number(options.count))] ?? value.other;
    if (typeof value !== "string") throw new Error(`missing ${locale}.${key}`);
    return value.replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(options[name] ?? ""));
  };
}

function api(locale = "en"): AccountApi {
  return {
    sessionToken: { get: async () => "account-token" },
    i18n: {
      translate: translator(locale),
      formatNumber: (n) => new Intl.NumberFormat(locale).format(n),
      formatCurrency: (amount, options) =>
        new Intl.NumberFormat(locale, { style: "currency", currency: options?.currency ?? "USD" }).format(amount),
      formatDate: (date, options) => new Intl.DateTimeFormat(locale, { timeZone: "UTC", ...options }).format(date),
    },
    localization: { language: { value: { isoCode: locale } } },
  };
}

const reward = (id: string, name: string, cost: number, extra: Partial<MemberView["rewards"][number]> = {}) => ({
  id,
  name,
  names: {},
  type: "FIXED_AMOUNT" as const,
  cost,
  valueMinor: 500,
  valuePercent: null,
  minOrderMinor: null,
  tier: null,
  tierNames: null,
  tierPosition: null,
  available: true,
  affordable: true,
  ...extra,
});

function program(language = "en"): AccountView["program"] {
  return {
    shop: "tea.myshopify.com",
    live: true,
    currency: "USD",
    languages: ["en", "ru"],
    defaultLanguage: "en",
    points: { singular: "point", plural: "points" },
    pointsName: {
      en: { one: "point", other: "points" },
      ru: { one: "балл", few: "балла", many: "баллов", other: "балла" },
    },
    earning: { points: 1, perSpendMinor: 100 },
    waysToEarn: [
      { action: "SIGNUP", points: 100 },
      { action: "REVIEW", points: 50 },
      {
        action: "SOCIAL_FOLLOW",
        points: 20,
        network: "instagram",
        label: "Instagram",
        url: "https://instagram.com/tea",
      },
    ],
    birthday: { leadDays: 0, gift: "POINTS", points: 200 },
    referral: { points: 300, friendReward: reward("f", language === "ru" ? "Скидка 10 $" : "$10 off", 0) },
    rewards: [],
    tiers: [
      {
        name: "Silver",
        names: {},
        position: 0,
        threshold: "20000",
        metric: "SPEND",
        multiplier: 1.25,
        perks: ["points_x1.25"],
      },
      {
        name: "Gold",
        names: {},
        position: 1,
        threshold: "50000",
        metric: "SPEND",
        multiplier: 1.5,
        perks: ["points_x1.5", "free_shipping"],
      },
    ],
    campaigns: [],
    display: {} as AccountView["program"]["display"],
    autoEnroll: false,
  };
}

function member(extra: Partial<MemberView> = {}): MemberView {
  return {
    balance: 640,
    pendingPoints: 45,
    pendingUntil: "2026-12-10T00:00:00.000Z",
    lifetimeEarned: 1200,
    tier: { name: "Silver", position: 0 },
    nextTier: { name: "Gold", remaining: "15000", metric: "SPEND" },
    rewards: [
      reward("r1", "$5 off", 500),
      reward("r2", "$20 off", 2000, { affordable: false }),
      reward("r3", "Free gift", 300, { tier: "Gold", tierPosition: 1, available: false, affordable: false }),
    ],
    codes: [
      {
        code: "CB-OLD-1234",
        name: "$5 off",
        type: "FIXED_AMOUNT",
        endsAt: "2027-01-31T00:00:00.000Z",
        origin: "points",
      },
    ],
    referralCode: "ANNA42",
    enrolledAt: "2026-01-05T00:00:00.000Z",
    birthday: null,
    followed: [],
    giftChoice: null,
    surprise: null,
    version: 3,
    expiresAt: "2027-11-26T00:00:00.000Z",
    ...extra,
  };
}

const view = (extra: Partial<AccountView> = {}, language = "en"): AccountView => ({
  language,
  live: true,
  program: program(language),
  member: member(),
  customer: { loggedIn: true, enrolled: true },
  expiresAt: "2027-11-26T00:00:00.000Z",
  ...extra,
});

interface Call {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: unknown;
}
type Answer = object | number | { status: number; error: string };

/** A fetch that answers by request (view, history, order, POST) and records what was sent. */
function network(answers: { view?: Answer[]; history?: HistoryPage[]; order?: OrderPoints[]; post?: Answer[] }) {
  const calls: Call[] = [];
  const fetcher = (async (url: string, init: RequestInit = {}) => {
    calls.push({
      url,
      method: init.method ?? "GET",
      headers: init.headers as Record<string, string>,
      body: init.body ? JSON.parse(String(init.body)) : null,
    });
    const list =
      init.method === "POST"
        ? answers.post
        : url.includes("view=history")
          ? answers.history
          : url.includes("view=order")
            ? answers.order
            : answers.view;
    const answer = list?.shift();
    if (answer === undefined) return new Response(JSON.stringify({ error: "unexpected" }), { status: 500 });
    if (typeof answer === "number") return new Response("{}", { status: answer });
    if ("status" in answer && "error" in answer)
      return new Response(JSON.stringify({ error: answer.error }), { status: answer.status });
    return new Response(JSON.stringify(answer), { status: 200 });
  }) as typeof fetch;
  return { fetcher, calls };
}

let root: HTMLElement;
const settle = () => act(async () => void (await new Promise((r) => setTimeout(r, 0))));
async function mount(node: ComponentChild) {
  root = document.createElement("div");
  document.body.append(root);
  await act(async () => render(node, root));
  await settle();
  await settle();
}
const clean = (text: string | null | undefined) =>
  text
    ?.replace(/[\u00a0\u202f]/g, " ")
    .replace(/\s+/g, " ")
    .trim();
const texts = () => [...root.querySelectorAll("s-text, s-heading, s-paragraph")].map((el) => clean(el.textContent));
const buttons = () => [...root.querySelectorAll("s-button")];
const button = (label: string) => buttons().find((el) => clean(el.textContent) === label)!;
async function click(element: { dispatchEvent(event: Event): boolean }) {
  await act(async () => void element.dispatchEvent(new Event("click")));
  await settle();
  await settle();
}

afterEach(() => {
  render(null, root);
  root.remove();
});

const history: HistoryPage = {
  entries: [
    { id: "12", points: 120, kind: "EARN", reason: "Order #1012", createdAt: "2026-11-20T10:00:00.000Z" },
    { id: "11", points: -500, kind: "REDEEM", reason: "Redeemed: $5 off", createdAt: "2026-11-02T10:00:00.000Z" },
  ],
  nextCursor: "11",
};

describe("the Rewards page", () => {
  it("shows a member's balance, pending points, expiry, tier with perks and progress, codes, referral and history", async () => {
    const { fetcher, calls } = network({ view: [view()], history: [history] });
    await mount(<RewardsPage api={api()} client={accountClient(api(), "https://app.example", fetcher)} />);
    const shown = texts();
    expect(shown).toEqual(
      expect.arrayContaining([
        "640 points",
        "45 points on the way: yours on December 10, 2026",
        "Your points expire on November 26, 2027 if you neither earn nor spend any before then.",
        "Your tier: Silver",
        "$150.00 more to reach Gold",
        "1,360 points more needed",
        "For Gold members and above",
        "CB-OLD-1234",
        "Valid until January 31, 2027",
        "Your friends get $10 off on their first order, and you get 300 points when they order.",
        "https://tea.myshopify.com/?ref=ANNA42",
        "November 20, 2026 · Order #1012",
        "+120",
        "−500",
      ]),
    );
    expect(root.querySelector("s-list-item")?.textContent).toBe("1.25× points on every order");
    // (64,000 − 20,000 spent towards Gold's 50,000 from Silver's 20,000) = half way.
    expect(Number(root.querySelector("s-progress")?.getAttribute("value"))).toBeCloseTo(0.5);
    // The code can be copied: the button commands a clipboard item holding it.
    const copy = root.querySelector('s-clipboard-item[text="CB-OLD-1234"]')!;
    expect(root.querySelector(`s-button[commandfor="${copy.id}"]`)).not.toBeNull();
    // Share links carry the member's link.
    const shares = [...root.querySelectorAll("s-link")].map((link) => link.getAttribute("href") ?? "");
    expect(
      shares.some((href) =>
        href.startsWith("https://t.me/share/url?url=https%3A%2F%2Ftea.myshopify.com%2F%3Fref%3DANNA42"),
      ),
    ).toBe(true);
    // Redeem: the affordable reward's button is enabled, the others are not.
    expect(
      buttons()
        .filter((el) => clean(el.textContent) === "Redeem")
        .map((el) => el.hasAttribute("disabled")),
    ).toEqual([false, true, true]);
    expect(calls.map((c) => [c.method, c.url, c.headers.Authorization])).toEqual([
      ["GET", "https://app.example/extensions/customer-account?locale=en", "Bearer account-token"],
      [
        "GET",
        "https://app.example/extensions/customer-account?view=history&limit=10&locale=en",
        "Bearer account-token",
      ],
    ]);
  });

  it("pages through the history with the cursor the app gave", async () => {
    const { fetcher, calls } = network({
      view: [view()],
      history: [
        history,
        {
          entries: [
            {
              id: "10",
              points: 100,
              kind: "EARN",
              reason: "Joined the program",
              createdAt: "2026-10-01T10:00:00.000Z",
            },
          ],
          nextCursor: null,
        },
      ],
    });
    await mount(<RewardsPage api={api()} client={accountClient(api(), "https://app.example", fetcher)} />);
    await click(button("Show more"));
    expect(calls.at(-1)!.url).toBe(
      "https://app.example/extensions/customer-account?view=history&limit=10&cursor=11&locale=en",
    );
    expect(texts()).toContain("October 1, 2026 · Joined the program");
    expect(buttons().some((el) => clean(el.textContent) === "Show more")).toBe(false);
  });

  it("redeems in place and shows the code with a copy button and the new balance", async () => {
    const { fetcher, calls } = network({
      view: [view()],
      history: [history],
      post: [{ code: "CB-NEW-5678", balance: 140, status: "issued" }],
    });
    await mount(<RewardsPage api={api()} client={accountClient(api(), "https://app.example", fetcher)} />);
    await click(buttons().find((el) => clean(el.textContent) === "Redeem" && !el.hasAttribute("disabled"))!);
    expect(calls.at(-1)).toMatchObject({ method: "POST", body: { action: "redeem", rewardId: "r1" } });
    expect(texts()).toEqual(expect.arrayContaining(["CB-NEW-5678", "140 points"]));
    expect(root.querySelector('s-clipboard-item[text="CB-NEW-5678"]')).not.toBeNull();
  });

  it("says so when the balance no longer covers a reward, and spends nothing shown", async () => {
    const { fetcher } = network({
      view: [view()],
      history: [history],
      post: [{ status: 409, error: "insufficient_points" }],
    });
    await mount(<RewardsPage api={api()} client={accountClient(api(), "https://app.example", fetcher)} />);
    await click(buttons().find((el) => clean(el.textContent) === "Redeem" && !el.hasAttribute("disabled"))!);
    expect(root.querySelector("s-banner")?.getAttribute("heading")).toBe(
      "You don't have enough points for this reward.",
    );
    expect(texts()).toContain("640 points");
  });

  it("saves a birthday as MM-DD and refuses a day that does not exist before asking", async () => {
    const saved = view({ member: member({ birthday: { month: 5, day: 17 } }) });
    const { fetcher, calls } = network({ view: [view(), saved], history: [history], post: [{ saved: true }] });
    await mount(<RewardsPage api={api()} client={accountClient(api(), "https://app.example", fetcher)} />);
    expect(texts()).toContain("Tell us your birthday and get 200 points on the day.");
    const select = root.querySelector("s-select")!;
    const day = root.querySelector("s-number-field")!;
    await click(button("Save my birthday"));
    expect(texts()).toContain("Choose a month and a day that exists.");
    expect(calls.filter((c) => c.method === "POST")).toEqual([]);
    await act(async () => {
      (select as unknown as { value: string }).value = "5";
      select.dispatchEvent(new Event("change"));
      (day as unknown as { value: string }).value = "17";
      day.dispatchEvent(new Event("input"));
    });
    await click(button("Save my birthday"));
    expect(calls.find((c) => c.method === "POST")?.body).toEqual({ action: "birthday", birthday: "05-17" });
    expect(texts()).toContain("Your birthday: May 17");
  });

  it("invites a customer who is not a member, and joins them in one tap, in Russian", async () => {
    const { fetcher, calls } = network({
      view: [view({ member: null, customer: { loggedIn: true, enrolled: false } }, "ru")],
      post: [{ member: member({ balance: 100, pendingPoints: 0, codes: [] }), created: true }],
      history: [{ entries: [], nextCursor: null }],
    });
    const ru = api("ru");
    await mount(<RewardsPage api={ru} client={accountClient(ru, "https://app.example", fetcher)} />);
    expect(texts()).toEqual([
      "Получайте 1 балл за каждые 1,00 $ покупок и обменивайте их на скидки.",
      "За вступление — 100 баллов.",
    ]);
    await click(button("Вступить"));
    expect(calls.find((c) => c.method === "POST")).toMatchObject({
      url: "https://app.example/extensions/customer-account?locale=ru",
      body: { action: "join" },
    });
    expect(texts()).toContain("100 баллов");
    expect(texts()).toContain("Пока пусто: здесь появятся ваши баллы.");
  });

  it("shows a skeleton while loading, an error with a retry, and a closed program plainly", async () => {
    const { fetcher } = network({ view: [500, view({ live: false })] });
    await mount(<RewardsPage api={api()} client={accountClient(api(), "https://app.example", fetcher)} />);
    expect(root.querySelector("s-banner")?.getAttribute("heading")).toBe(
      "Your rewards could not load. Try again in a moment.",
    );
    await click(button("Try again"));
    expect(texts()).toEqual(["The rewards program is not open yet."]);
  });
});

describe("the profile card", () => {
  it("shows a member's balance and tier and links to the Rewards page", async () => {
    const { fetcher } = network({ view: [view({}, "ru")] });
    await mount(<ProfileCard api={api("ru")} client={accountClient(api("ru"), "https://app.example", fetcher)} />);
    expect(texts()).toEqual(["640 баллов", "Уровень: Silver", "Баллов хватает на награду."]);
    expect(root.querySelector("s-link")?.getAttribute("href")).toBe(REWARDS_PAGE);
  });

  it("invites a customer who is not a member, and steps aside on an error", async () => {
    const { fetcher } = network({ view: [view({ member: null, customer: { loggedIn: true, enrolled: false } })] });
    await mount(<ProfileCard api={api()} client={accountClient(api(), "https://app.example", fetcher)} />);
    expect(texts()).toEqual(["Join our rewards and earn points on every order."]);
    expect(clean(root.querySelector("s-link")?.textContent)).toBe("Join rewards");
    render(null, root);
    const failing = network({ view: [500] });
    await mount(<ProfileCard api={api()} client={accountClient(api(), "https://app.example", failing.fetcher)} />);
    expect(root.textContent).toBe("");
  });
});

describe("the order-status block", () => {
  const cases: Array<[OrderPoints, string[]]> = [
    [{ state: "earned", points: 120, reversed: 0 }, ["You earned 120 points with this order."]],
    [
      { state: "earned", points: 120, reversed: 40 },
      ["You earned 120 points with this order.", "40 points were taken back after a refund."],
    ],
    [
      { state: "pending", points: 120, availableAt: "2026-12-10T00:00:00.000Z" },
      ["You earned 120 points with this order. They are yours on December 10, 2026."],
    ],
    [
      { state: "reversed", points: 120 },
      ["The 120 points this order earned were taken back after a refund or cancellation."],
    ],
    [{ state: "processing" }, ["Points for this order will show here shortly."]],
    [{ state: "join" }, ["Members earn points on orders like this one."]],
    [{ state: "none" }, []],
  ];
  it.each(cases)("shows %j", async (order, expected) => {
    const { fetcher, calls } = network({ view: [view()], order: [order] });
    await mount(
      <OrderPointsBlock
        api={api()}
        client={accountClient(api(), "https://app.example", fetcher)}
        orderId="gid://shopify/Order/1012"
      />,
    );
    expect(texts()).toEqual(expected);
    expect(calls.map((c) => c.url)).toContain(
      "https://app.example/extensions/customer-account?view=order&order=gid%3A%2F%2Fshopify%2FOrder%2F1012&locale=en",
    );
  });

  it("counts in Russian", async () => {
    const { fetcher } = network({ view: [view({}, "ru")], order: [{ state: "earned", points: 21, reversed: 0 }] });
    const ru = api("ru");
    await mount(
      <OrderPointsBlock
        api={ru}
        client={accountClient(ru, "https://app.example", fetcher)}
        orderId="gid://shopify/Order/7"
      />,
    );
    expect(texts()).toEqual(["За этот заказ вы получили 21 балл."]);
  });
});

describe("the bundles", () => {
  it("stay far under Shopify's 64 KB limit for each target", async () => {
    const sizes = await buildCustomerAccount();
    expect(Object.keys(sizes)).toEqual([
      "customer-account.page.render",
      "customer-account.profile.block.render",
      "customer-account.order-status.block.render",
    ]);
    for (const [target, size] of Object.entries(sizes)) expect(size.gzip, target).toBeLessThan(LIMIT_BYTES / 2);
  });
});
