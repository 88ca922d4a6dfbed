import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EarningAction, RewardTrigger, RewardType } from "../../app/generated/prisma/enums";
import { awardBirthdays } from "../../app/services/birthdays";
import { issueNewRedemptions } from "../../app/shopify/redemption.server";
import { signedReviewRequest } from "../../app/integrations/reviews/outbound";
import { startAdminStandin, type AdminStandin } from "../../scripts/shopify-standin/admin-api";
import { startTestApp, type TestApp } from "../support/app";
import { postWebhook, proxyUrl } from "../support/shopify";
import { createShop } from "../support/seed";
import { customerPayload, emailConsentPayload, orderPayload } from "../fixtures/shopify-payloads";

/**
 * No promise without a path. For every way to earn, every reward type and every way a
 * reward is given that the program can show a shopper, this walks the public entry
 * points (Shopify's webhooks, the App Proxy as Shopify signs it, a review app's webhook)
 * to the effect: points in the ledger, a discount or store credit created in Shopify. The
 * lists come from the schema's enums, so a new one added without a path fails here.
 */
let app: TestApp;
let standin: AdminStandin;
let shop: { id: string; domain: string };
let customers = 61_000;

beforeAll(async () => {
  standin = await startAdminStandin({ accessToken: "offline-token" });
  app = await startTestApp({ COMEBACK_SHOP_CACHE_MS: "0" });
  shop = await createShop(app.db.prisma, {
    rules: { SIGNUP: 11, BIRTHDAY: 12, REVIEW: 13, PHOTO_REVIEW: 14, NEWSLETTER: 15, FIRST_ORDER: 16, REFERRAL: 17 },
    settings: { reviewsRequirePurchase: false, birthdayLeadDays: 0 },
  });
  await app.db.prisma.earningRule.create({
    data: {
      shopId: shop.id,
      action: "SOCIAL_FOLLOW",
      key: "telegram",
      points: 18,
      config: { url: "https://t.me/shop" },
    },
  });
  await app.db.prisma.reviewProviderConfig.create({
    data: { shopId: shop.id, provider: "generic", secret: "promise-secret" },
  });
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
});
afterAll(async () => {
  await app?.close();
  await standin?.close();
});

const webhook = (topic: string, payload: unknown) =>
  postWebhook(app.server.url, { topic, shop: shop.domain, body: JSON.stringify(payload), webhookId: randomUUID() });
const proxy = (path: string, customerId: number | null, body?: object) =>
  fetch(proxyUrl(app.server.url, path, { shop: shop.domain, customerId }), {
    method: body ? "POST" : "GET",
    headers: { "content-type": "application/json" },
    body: body && JSON.stringify(body),
  });

/** A new customer, enrolled the way Shopify tells us about one. */
async function newMember(email = `p${++customers}@example.com`) {
  const id = customers;
  expect((await webhook("customers/create", customerPayload({ id, email }))).status).toBe(200);
  const member = await app.db.prisma.member.findUniqueOrThrow({
    where: { shopId_customerId: { shopId: shop.id, customerId: BigInt(id) } },
  });
  return { ...member, customer: id, email };
}
const earned = async (memberId: string) =>
  (await app.db.prisma.ledgerEntry.findMany({ where: { memberId, points: { gt: 0 } } })).map((e) => e.source);
let orders = 62_000;

/** Each way to earn, from its real trigger to a ledger entry with its source. */
const EARN: Record<EarningAction, () => Promise<void>> = {
  SIGNUP: async () => {
    const m = await newMember();
    expect(await earned(m.id)).toContain("SIGNUP");
  },
  FIRST_ORDER: async () => {
    const m = await newMember();
    await webhook(
      "orders/paid",
      orderPayload({ id: ++orders, customer: { id: m.customer }, lines: [{ price: "10.00" }] }),
    );
    expect(await earned(m.id)).toContain("FIRST_ORDER");
  },
  NEWSLETTER: async () => {
    const m = await newMember();
    await webhook(
      "customers_email_marketing_consent/update",
      emailConsentPayload({ customerId: m.customer, email: m.email, state: "subscribed" }),
    );
    expect(await earned(m.id)).toContain("NEWSLETTER");
  },
  BIRTHDAY: async () => {
    const m = await newMember();
    const today = new Date();
    const birthday = `${String(today.getUTCMonth() + 1).padStart(2, "0")}-${String(today.getUTCDate()).padStart(2, "0")}`;
    expect((await proxy("actions", m.customer, { action: "birthday", birthday })).status).toBe(200);
    await awardBirthdays(app.db.prisma, today);
    expect(await earned(m.id)).toContain("BIRTHDAY");
  },
  REVIEW: async () => {
    const m = await newMember();
    await review(m.email, false);
    expect(await earned(m.id)).toContain("REVIEW");
  },
  PHOTO_REVIEW: async () => {
    const m = await newMember();
    await review(m.email, true);
    const entries = await app.db.prisma.ledgerEntry.findMany({ where: { memberId: m.id, source: "REVIEW" } });
    expect(entries.map((e) => e.reasonCode).sort()).toEqual(["photo_review", "review"]);
  },
  SOCIAL_FOLLOW: async () => {
    const m = await newMember();
    expect((await proxy("actions", m.customer, { action: "social_follow", network: "telegram" })).status).toBe(200);
    expect(await earned(m.id)).toContain("SOCIAL");
  },
  REFERRAL: async () => {
    const referrer = await newMember();
    const friend = `friend${++customers}@example.com`;
    await webhook(
      "orders/paid",
      orderPayload({
        id: ++orders,
        email: friend,
        customer: null,
        lines: [{ price: "30.00" }],
        noteAttributes: [{ name: "comeback_ref", value: referrer.referralCode }],
      }),
    );
    expect(await earned(referrer.id)).toContain("REFERRAL");
  },
};

async function review(email: string, photo: boolean) {
  const { url, init } = signedReviewRequest(
    "generic",
    "promise-secret",
    { id: randomUUID(), email, productId: "632910392", rating: 5, hasPhoto: photo },
    { appUrl: app.server.url, shopDomain: shop.domain },
  );
  expect((await fetch(url, init)).status).toBe(200);
}

describe("every way to earn the program can show", () => {
  it("has a path from a real trigger to the points, and is offered", async () => {
    const missing = Object.values(EarningAction).filter((action) => !(action in EARN));
    expect(missing, "an earning action with no path").toEqual([]);
    for (const action of Object.values(EarningAction)) await EARN[action]();
    // Each is offered to shoppers (social follows by network), and nothing else is.
    const view = (await (await proxy("member", null)).json()) as { program: { waysToEarn: Array<{ action: string }> } };
    expect(new Set(view.program.waysToEarn.map((w) => w.action))).toEqual(new Set(Object.values(EarningAction)));
  });
});

describe("every reward type and every way a reward is given", () => {
  it("ends in a real discount or store credit in Shopify", async () => {
    const m = await newMember();
    await app.db.prisma.member.update({ where: { id: m.id }, data: { birthday: new Date(Date.UTC(2000, 0, 1)) } });
    for (const type of Object.values(RewardType)) {
      await app.db.prisma.reward.create({
        data: {
          shopId: shop.id,
          name: `Points ${type}`,
          type,
          pointsCost: 1,
          valueMinor: type === "FIXED_AMOUNT" || type === "STORE_CREDIT" ? 500 : null,
          currency: type === "FIXED_AMOUNT" || type === "STORE_CREDIT" ? "USD" : null,
          valuePercentBp: type === "PERCENTAGE" ? 1000 : null,
          productVariantId: type === "FREE_PRODUCT" ? "gid://shopify/ProductVariant/808950816" : null,
        },
      });
    }
    // Points to spend, earned by an order (each reward costs one).
    await webhook(
      "orders/paid",
      orderPayload({ id: ++orders, customer: { id: m.customer }, lines: [{ price: "20.00" }] }),
    );
    const view = (await (await proxy("member", m.customer)).json()) as {
      member: { rewards: Array<{ id: string; type: string }> };
    };
    const redeemedTypes: string[] = [];
    for (const reward of view.member.rewards) {
      const response = await proxy("redeem", m.customer, { rewardId: reward.id });
      expect(response.status, reward.type).toBe(201);
      const body = (await response.json()) as { code: string | null; credited: unknown };
      expect(body.code ?? body.credited, reward.type).toBeTruthy();
      redeemedTypes.push(reward.type);
    }
    expect(new Set(redeemedTypes)).toEqual(new Set(Object.values(RewardType)));

    // Given rather than bought: the ladder after an order, a birthday gift chosen, a friend's code.
    const given: Record<RewardTrigger, () => Promise<string | null>> = {
      POINTS: async () => "covered above",
      ORDER_LADDER: async () => {
        await app.db.prisma.reward.create({
          data: {
            shopId: shop.id,
            name: "Ladder",
            type: "PERCENTAGE",
            valuePercentBp: 500,
            trigger: "ORDER_LADDER",
            ladderOrderCount: 2,
            codeExpiryDays: 10,
          },
        });
        await webhook(
          "orders/paid",
          orderPayload({ id: ++orders, customer: { id: m.customer }, lines: [{ price: "20.00" }] }),
        );
        await issueNewRedemptions(app.db.prisma, shop.id);
        return (
          (
            await app.db.prisma.redemption.findFirst({
              where: { memberId: m.id, reward: { trigger: "ORDER_LADDER" }, status: "ISSUED" },
            })
          )?.code ?? null
        );
      },
      BIRTHDAY_GIFT: async () => {
        await app.db.prisma.shopSettings.update({ where: { shopId: shop.id }, data: { birthdayGift: "CHOICE" } });
        const gifts = await Promise.all(
          [0, 1].map((position) =>
            app.db.prisma.reward.create({
              data: {
                shopId: shop.id,
                name: `Gift ${position}`,
                type: "FREE_SHIPPING",
                trigger: "BIRTHDAY_GIFT",
                codeExpiryDays: 10,
                position,
              },
            }),
          ),
        );
        await awardBirthdays(app.db.prisma, new Date(`${new Date().getUTCFullYear() + 1}-01-01T12:00:00Z`));
        const chosen = await proxy("actions", m.customer, { action: "birthday_gift", rewardId: gifts[0]!.id });
        return ((await chosen.json()) as { code: string | null }).code;
      },
      REFERRAL_FRIEND: async () => {
        const reward = await app.db.prisma.reward.create({
          data: {
            shopId: shop.id,
            name: "Friend",
            type: "FIXED_AMOUNT",
            valueMinor: 500,
            currency: "USD",
            trigger: "REFERRAL_FRIEND",
            codeExpiryDays: 10,
          },
        });
        await app.db.prisma.shopSettings.update({
          where: { shopId: shop.id },
          data: { referralFriendRewardId: reward.id },
        });
        const claimed = await proxy("actions", null, {
          action: "referral_friend",
          code: m.referralCode,
          email: `new${++customers}@example.com`,
        });
        return ((await claimed.json()) as { code: string | null }).code;
      },
    };
    const missing = Object.values(RewardTrigger).filter((trigger) => !(trigger in given));
    expect(missing, "a way of giving rewards with no path").toEqual([]);
    for (const trigger of Object.values(RewardTrigger)) {
      const code = await given[trigger]();
      expect(code, trigger).toBeTruthy();
      if (trigger !== "POINTS")
        expect(
          standin.discounts.map((d) => d.code),
          trigger,
        ).toContain(code);
    }
  });
});
