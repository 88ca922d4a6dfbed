import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../support/app";
import { postWebhook, proxyUrl } from "../support/shopify";
import { createShop } from "../support/seed";
import { orderPayload } from "../fixtures/shopify-payloads";
import { postEntry } from "../../app/services/ledger";
import { awardBirthdays } from "../../app/services/birthdays";
import { startAdminStandin, type AdminStandin } from "../../scripts/shopify-standin/admin-api";

/**
 * What a shopper does from the widget, through the App Proxy as Shopify signs it and the
 * production build: tell a birthday and choose the gift, follow the shop on a network,
 * open a member's link and get the friend's welcome code, redeem store credit. Each ends
 * in its real effect: a ledger entry, a discount created in Shopify (the stand-in).
 */
let app: TestApp;
let standin: AdminStandin;

beforeAll(async () => {
  standin = await startAdminStandin({ accessToken: "offline-token" });
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
  await standin?.close();
});

async function shopWithStandin(options: Parameters<typeof createShop>[1] = {}) {
  const shop = await createShop(app.db.prisma, options);
  await app.db.prisma.shop.update({ where: { id: shop.id }, data: { adminApiUrl: standin.endpoint(shop.domain) } });
  await app.db.prisma.session.create({
    data: {
      id: `offline_${shop.domain}`,
      shop: shop.domain,
      state: "s",
      isOnline: false,
      accessToken: "offline-token",
    },
  });
  return shop;
}

let customers = 5000;
async function member(shopId: string, extra: { email?: string; points?: number } = {}) {
  customers += 1;
  const created = await app.db.prisma.member.create({
    data: {
      shopId,
      customerId: BigInt(customers),
      referralCode: `REF${customers}`,
      email: extra.email ?? `m${customers}@example.com`,
    },
  });
  if (extra.points)
    await postEntry(app.db.prisma, {
      shopId,
      memberId: created.id,
      points: extra.points,
      kind: "EARN",
      source: "ADMIN",
      reason: { code: "adjustment", params: { note: "seed" } },
      idempotencyKey: `seed:${created.id}`,
    });
  return { ...created, customer: customers };
}

function act(shop: string, customerId: number | null, body: object, locale = "en") {
  return fetch(proxyUrl(app.server.url, "actions", { shop, customerId, extra: { locale } }), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}
async function view(shop: string, customerId: number | null, locale = "en") {
  const response = await fetch(proxyUrl(app.server.url, "member", { shop, customerId, extra: { locale } }));
  expect(response.status).toBe(200);
  return (await response.json()) as {
    language: string;
    program: {
      waysToEarn: Array<{ action: string; points: number; network?: string; label?: string; url?: string }>;
      birthday: { leadDays: number; gift: string } | null;
      referral: { points: number; friendReward: { name: string } | null } | null;
      rewards: Array<{ id: string; name: string }>;
      tiers: Array<{ name: string }>;
    };
    member: {
      balance: number;
      birthday: { month: number; day: number } | null;
      followed: string[];
      giftChoice: { options: Array<{ id: string; name: string }> } | null;
      codes: Array<{ code: string; name: string; origin: string }>;
      rewards: Array<{ id: string; name: string; available: boolean; affordable: boolean; tier: string | null }>;
    } | null;
  };
}

describe("birthdays from the widget", () => {
  it("are told once, and on the gift day a chosen gift becomes a real discount code", async () => {
    const shop = await shopWithStandin({ settings: { birthdayGift: "CHOICE", birthdayLeadDays: 7 } });
    const gifts = await Promise.all(
      ["20% off", "Free shipping"].map((name, position) =>
        app.db.prisma.reward.create({
          data: {
            shopId: shop.id,
            name,
            names: { ru: name === "20% off" ? "Скидка 20%" : "Бесплатная доставка" },
            type: position === 0 ? "PERCENTAGE" : "FREE_SHIPPING",
            valuePercentBp: position === 0 ? 2000 : null,
            trigger: "BIRTHDAY_GIFT",
            codeExpiryDays: 14,
            position,
          },
        }),
      ),
    );
    const m = await member(shop.id);
    expect((await view(shop.domain, m.customer)).program.birthday).toEqual({ leadDays: 7, gift: "CHOICE", points: 0 });

    expect((await act(shop.domain, null, { action: "birthday", birthday: "06-15" })).status).toBe(401);
    expect((await act(shop.domain, m.customer, { action: "birthday", birthday: "02-30" })).status).toBe(400);
    expect((await act(shop.domain, m.customer, { action: "birthday", birthday: "1990-06-15" })).status).toBe(200);
    const again = await act(shop.domain, m.customer, { action: "birthday", birthday: "07-01" });
    expect(again.status).toBe(409);
    expect((await view(shop.domain, m.customer)).member!.birthday).toEqual({ month: 6, day: 15 });

    // Seven days before June 15th.
    await awardBirthdays(app.db.prisma, new Date(`${new Date().getUTCFullYear() + 1}-06-08T12:00:00Z`));
    await app.db.prisma.birthdayGift.updateMany({
      where: { memberId: m.id },
      data: { expiresAt: new Date(Date.now() + 864e5) },
    });
    const offered = (await view(shop.domain, m.customer, "ru")).member!.giftChoice!;
    expect(offered.options.map((o) => o.name)).toEqual(["Скидка 20%", "Бесплатная доставка"]);

    const chosen = await act(shop.domain, m.customer, { action: "birthday_gift", rewardId: gifts[1]!.id });
    expect(chosen.status).toBe(201);
    const body = (await chosen.json()) as { code: string; status: string; type: string };
    expect(body).toMatchObject({ status: "issued", type: "FREE_SHIPPING" });
    const discount = standin.discounts.find((d) => d.code === body.code)!;
    expect(discount.mutation).toBe("discountCodeFreeShippingCreate");
    expect(discount.input).toMatchObject({ context: { customers: { add: [`gid://shopify/Customer/${m.customer}`] } } });
    const after = (await view(shop.domain, m.customer)).member!;
    expect(after.giftChoice).toBeNull();
    expect(after.codes).toEqual([
      expect.objectContaining({ code: body.code, origin: "birthday", name: "Free shipping" }),
    ]);
  });
});

describe("social follows", () => {
  it("are offered per configured network with its profile, and credit once per network", async () => {
    const shop = await shopWithStandin();
    await app.db.prisma.earningRule.createMany({
      data: [
        { shopId: shop.id, action: "SOCIAL_FOLLOW", key: "vk", points: 30, config: { url: "https://vk.com/shop" } },
        { shopId: shop.id, action: "SOCIAL_FOLLOW", key: "telegram", points: 20, config: { url: "https://t.me/shop" } },
      ],
    });
    const m = await member(shop.id);
    const ways = (await view(shop.domain, m.customer, "ru")).program.waysToEarn.filter(
      (w) => w.action === "SOCIAL_FOLLOW",
    );
    expect(ways).toEqual([
      expect.objectContaining({ network: "vk", label: "ВКонтакте", url: "https://vk.com/shop", points: 30 }),
      expect.objectContaining({ network: "telegram", label: "Telegram", url: "https://t.me/shop", points: 20 }),
    ]);
    const first = await act(shop.domain, m.customer, { action: "social_follow", network: "vk" });
    expect(await first.json()).toEqual({ awarded: 30 });
    expect(await (await act(shop.domain, m.customer, { action: "social_follow", network: "vk" })).json()).toEqual({
      awarded: 0,
    });
    expect((await act(shop.domain, m.customer, { action: "social_follow", network: "instagram" })).status).toBe(404);
    const after = (await view(shop.domain, m.customer)).member!;
    expect(after.balance).toBe(30);
    expect(after.followed).toEqual(["vk"]);
    const history = (await (
      await fetch(
        proxyUrl(app.server.url, "history", { shop: shop.domain, customerId: m.customer, extra: { locale: "ru" } }),
      )
    ).json()) as { entries: Array<{ reason: string }> };
    expect(history.entries[0]!.reason).toBe("Подписка: ВКонтакте");
  });
});

describe("referrals from the friend's side", () => {
  async function referralShop() {
    const shop = await shopWithStandin({ rules: { REFERRAL: 500 } });
    const reward = await app.db.prisma.reward.create({
      data: {
        shopId: shop.id,
        name: "Welcome: $10 off",
        type: "FIXED_AMOUNT",
        valueMinor: 1000,
        currency: "USD",
        trigger: "REFERRAL_FRIEND",
        codeExpiryDays: 30,
      },
    });
    await app.db.prisma.shopSettings.update({
      where: { shopId: shop.id },
      data: { referralFriendRewardId: reward.id },
    });
    return { shop, reward };
  }

  it("count the link's opens, give a guest friend a new-customer code by email, and credit the member on the first paid order", async () => {
    const { shop } = await referralShop();
    const referrer = await member(shop.id);
    expect((await view(shop.domain, null)).program.referral).toEqual({
      points: 500,
      friendReward: expect.objectContaining({ name: "Welcome: $10 off" }),
    });
    expect((await act(shop.domain, null, { action: "referral_click", code: referrer.referralCode })).status).toBe(200);
    expect((await act(shop.domain, null, { action: "referral_click", code: "NOSUCHCODE" })).status).toBe(404);

    expect((await act(shop.domain, null, { action: "referral_friend", code: referrer.referralCode })).status).toBe(400);
    const own = await act(shop.domain, null, {
      action: "referral_friend",
      code: referrer.referralCode,
      email: referrer.email!,
    });
    expect(own.status).toBe(409);
    const claimed = await act(shop.domain, null, {
      action: "referral_friend",
      code: referrer.referralCode,
      email: "Friend@Example.com",
    });
    expect(claimed.status).toBe(201);
    const { code } = (await claimed.json()) as { code: string };
    // A single-use code for customers without orders (a segment), not for one customer.
    const discount = standin.discounts.find((d) => d.code === code)!;
    const segmentId = (discount.input.context as { customerSegments: { add: string[] } }).customerSegments.add[0]!;
    expect(standin.segments.get(segmentId)).toEqual({
      name: "Comeback: customers without orders",
      query: "number_of_orders = 0",
    });
    expect(discount.input).toMatchObject({ usageLimit: 1, appliesOncePerCustomer: true });
    // Asking again gives the same code, never a second one.
    const repeat = await act(shop.domain, null, {
      action: "referral_friend",
      code: referrer.referralCode,
      email: "friend@example.com",
    });
    expect(repeat.status).toBe(200);
    expect(((await repeat.json()) as { code: string }).code).toBe(code);

    // The friend orders from another device (no ?ref on the cart) with the code and their email.
    const response = await postWebhook(app.server.url, {
      topic: "orders/paid",
      shop: shop.domain,
      body: JSON.stringify(
        orderPayload({ id: 880001, email: "friend@example.com", lines: [{ price: "40.00" }], discountCodes: [code] }),
      ),
    });
    expect(response.status).toBe(200);
    const referral = await app.db.prisma.referral.findFirstOrThrow({ where: { shopId: shop.id } });
    expect(referral).toMatchObject({ referrerId: referrer.id, friendEmail: "friend@example.com", status: "REWARDED" });
    expect(referral.signedUpAt && referral.orderedAt && referral.creditedAt).toBeTruthy();
    expect((await app.db.prisma.member.findUniqueOrThrow({ where: { id: referrer.id } })).balance).toBe(500);
    expect(
      await app.db.prisma.analyticsEvent.count({
        where: { shopId: shop.id, name: "referral.click", memberId: referrer.id },
      }),
    ).toBe(1);
    // The friend's code was used: it is no longer offered anywhere.
    expect((await app.db.prisma.redemption.findFirstOrThrow({ where: { code } })).status).toBe("USED");
  });

  it("give a signed-in friend their own code, and refuse someone who has ordered before", async () => {
    const { shop } = await referralShop();
    const referrer = await member(shop.id);
    const friend = await member(shop.id, { email: "new.friend@example.com" });
    const claimed = await act(shop.domain, friend.customer, { action: "referral_friend", code: referrer.referralCode });
    expect(claimed.status).toBe(201);
    const { code } = (await claimed.json()) as { code: string };
    expect(standin.discounts.find((d) => d.code === code)!.input).toMatchObject({
      context: { customers: { add: [`gid://shopify/Customer/${friend.customer}`] } },
    });
    expect((await view(shop.domain, friend.customer)).member!.codes).toEqual([
      expect.objectContaining({ code, origin: "referral" }),
    ]);
    const buyer = await member(shop.id, { email: "old.buyer@example.com" });
    await postWebhook(app.server.url, {
      topic: "orders/paid",
      shop: shop.domain,
      body: JSON.stringify(
        orderPayload({
          id: 880100,
          email: "old.buyer@example.com",
          customer: { id: buyer.customer },
          lines: [{ price: "20.00" }],
        }),
      ),
    });
    const refused = await act(shop.domain, buyer.customer, { action: "referral_friend", code: referrer.referralCode });
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { error: string }).error).toBe("not_new_customer");
  });
});

describe("rewards in place", () => {
  it("report store credit as credited (it has no code), and say why a tier-only reward cannot be redeemed", async () => {
    const shop = await shopWithStandin();
    const gold = await app.db.prisma.tier.create({
      data: { shopId: shop.id, name: "Gold", names: { ru: "Золото" }, position: 0, threshold: 100_000n },
    });
    const credit = await app.db.prisma.reward.create({
      data: {
        shopId: shop.id,
        name: "$10 credit",
        type: "STORE_CREDIT",
        pointsCost: 300,
        valueMinor: 1000,
        currency: "USD",
      },
    });
    const vip = await app.db.prisma.reward.create({
      data: { shopId: shop.id, name: "Gold gift", type: "FREE_SHIPPING", pointsCost: 100, tierId: gold.id },
    });
    const m = await member(shop.id, { points: 1000 });
    const rewards = (await view(shop.domain, m.customer, "ru")).member!.rewards;
    expect(rewards.find((r) => r.id === vip.id)).toMatchObject({ available: false, affordable: false, tier: "Золото" });

    const redeemed = await fetch(proxyUrl(app.server.url, "redeem", { shop: shop.domain, customerId: m.customer }), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ rewardId: credit.id }),
    });
    expect(redeemed.status).toBe(201);
    expect(await redeemed.json()).toMatchObject({
      status: "issued",
      type: "STORE_CREDIT",
      code: null,
      credited: { amountMinor: 1000, currency: "USD" },
      balance: 700,
    });
    expect(standin.credits.at(-1)).toMatchObject({ customer: `gid://shopify/Customer/${m.customer}`, amount: "10.00" });
    const vipTry = await fetch(proxyUrl(app.server.url, "redeem", { shop: shop.domain, customerId: m.customer }), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ rewardId: vip.id }),
    });
    expect(vipTry.status).toBe(403);
  });
});
