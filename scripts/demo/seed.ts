/**
 * The demo shop, comeback-demo.myshopify.com: a live program with earning rules, tiers
 * and rewards, and a year of history for a few hundred customers: orders, refunds,
 * cancellations, reviews, redemptions. Generated from a fixed seed, so every run makes
 * the same shop, and written with a few multi-row statements so it takes seconds even
 * on the embedded PostgreSQL. Every member's cached balance equals their ledger.
 */
import { pseudonym } from "../../app/platform/personal-data.server";
import pg from "pg";
import { DEFAULT_SCOPES } from "../../app/platform/config.server";
import { storedReason } from "../../app/services/ledger";
import type { Reason } from "../../app/i18n/reasons";
import { STANDIN_PRODUCTS } from "../shopify-standin/catalog";

export const DEMO_SHOP = "comeback-demo.myshopify.com";
/** The demo's Judge.me token: `npm run demo:webhook -- review judgeme <customer>` signs with it. */
export const DEMO_REVIEW_SECRET = "demo-judgeme-private-token";
const DAY = 24 * 3600 * 1000;

function prng(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = [
  "Anna",
  "Ivan",
  "Olga",
  "Dmitry",
  "Maria",
  "Sergey",
  "Elena",
  "Alexei",
  "Emma",
  "Liam",
  "Olivia",
  "Noah",
  "Sofia",
  "Lucas",
  "Mia",
  "Ethan",
];
const LAST = [
  "Ivanova",
  "Petrov",
  "Smirnova",
  "Kuznetsov",
  "Popova",
  "Sokolov",
  "Smith",
  "Johnson",
  "Brown",
  "Garcia",
  "Miller",
  "Davis",
];

type Row = unknown[];

async function insert(client: pg.Client, table: string, columns: string[], rows: Row[]) {
  for (let start = 0; start < rows.length; start += 400) {
    const chunk = rows.slice(start, start + 400);
    const values: unknown[] = [];
    const tuples = chunk.map((row) => `(${row.map((value) => `$${values.push(value)}`).join(", ")})`);
    await client.query(
      `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(", ")}) VALUES ${tuples.join(", ")}`,
      values,
    );
  }
}

export async function seedDemoShop(databaseUrl: string, options: { customers?: number; now?: Date } = {}) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    // Lets the storefront and App Proxy find an installation, as after a real OAuth.
    await client.query(
      `INSERT INTO "Session" (id, shop, state, "isOnline", scope, "accessToken") VALUES ($1, $2, 'demo', false, $3, 'demo-offline-token')
       ON CONFLICT (id) DO UPDATE SET scope = EXCLUDED.scope`,
      // The app's own scopes: with fewer, authenticate.admin would ask Shopify for a new token.
      [`offline_${DEMO_SHOP}`, DEMO_SHOP, DEFAULT_SCOPES.join(",")],
    );
    const existing = await client.query(`SELECT id FROM "Shop" WHERE domain = $1`, [DEMO_SHOP]);
    if (existing.rowCount) return { created: false };

    const random = prng(20261122);
    const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)]!;
    const now = options.now ?? new Date();
    const customers = options.customers ?? 300;

    await client.query("BEGIN");
    const shopId = (
      await client.query(
        `INSERT INTO "Shop" (id, domain, name, currency, "ianaTimezone", "programStatus", "launchedAt", "setupCompleted", "installedAt", "updatedAt")
         VALUES (gen_random_uuid(), $1, 'Comeback Demo Store', 'USD', 'Europe/Moscow', 'LIVE', $2, true, $2, now()) RETURNING id`,
        [DEMO_SHOP, new Date(now.getTime() - 400 * DAY)],
      )
    ).rows[0].id as string;
    await client.query(
      `INSERT INTO "ShopSettings" ("shopId", "earnPoints", "earnSpendMinor", "expiryInactivityDays", "pendingWindowDays",
                                   "birthdayGift", "birthdayLeadDays", "quietHoursEnd", "quietHoursStart",
                                   "mailSenderName", "mailReplyTo", "updatedAt")
       -- No quiet hours in the demo, so its mailbox fills whatever the time of day.
       VALUES ($1, 1, 100, 365, 30, 'CHOICE', 7, 0, 0, 'Comeback Demo Store', 'hello@comeback-demo.test', now())`,
      [shopId],
    );
    const rules: Array<[string, string, number, object]> = [
      ["SIGNUP", "", 100, {}],
      ["FIRST_ORDER", "", 100, {}],
      ["REVIEW", "", 50, {}],
      ["PHOTO_REVIEW", "", 25, {}],
      ["BIRTHDAY", "", 200, {}],
      ["NEWSLETTER", "", 50, {}],
      ["REFERRAL", "", 500, {}],
      // One rule per network, with the profile the widget's button opens.
      ["SOCIAL_FOLLOW", "instagram", 25, { url: "https://instagram.com/comeback.demo" }],
      ["SOCIAL_FOLLOW", "telegram", 25, { url: "https://t.me/comeback_demo" }],
      ["SOCIAL_FOLLOW", "vk", 25, { url: "https://vk.com/comeback_demo" }],
    ];
    await insert(
      client,
      "EarningRule",
      ["id", "shopId", "action", "key", "points", "config", "updatedAt"],
      rules.map(([action, key, points, config]) => [
        crypto.randomUUID(),
        shopId,
        action,
        key,
        points,
        JSON.stringify(config),
        now,
      ]),
    );
    // A review app connected (Judge.me), so reviews earn: `npm run demo:webhook -- review judgeme <customer>`.
    await client.query(`INSERT INTO "ReviewProviderConfig" ("shopId", provider, secret) VALUES ($1, 'judgeme', $2)`, [
      shopId,
      DEMO_REVIEW_SECRET,
    ]);

    const tiers = [
      {
        id: crypto.randomUUID(),
        name: "Bronze",
        names: { ru: "Бронза" },
        position: 0,
        threshold: 0n,
        multiplierBp: 10000,
        freeShipping: false,
        earlyAccess: false,
      },
      {
        id: crypto.randomUUID(),
        name: "Silver",
        names: { ru: "Серебро" },
        position: 1,
        threshold: 30000n,
        multiplierBp: 12500,
        freeShipping: true,
        earlyAccess: false,
      },
      {
        id: crypto.randomUUID(),
        name: "Gold",
        names: { ru: "Золото" },
        position: 2,
        threshold: 80000n,
        multiplierBp: 15000,
        freeShipping: true,
        earlyAccess: true,
      },
    ];
    await insert(
      client,
      "Tier",
      [
        "id",
        "shopId",
        "name",
        "names",
        "position",
        "threshold",
        "multiplierBp",
        "freeShipping",
        "earlyAccess",
        "customerTag",
        "updatedAt",
      ],
      tiers.map((t) => [
        t.id,
        shopId,
        t.name,
        JSON.stringify(t.names),
        t.position,
        t.threshold.toString(),
        t.multiplierBp,
        t.freeShipping,
        t.earlyAccess,
        `comeback-${t.name.toLowerCase()}`,
        now,
      ]),
    );
    const rewards = [
      {
        id: crypto.randomUUID(),
        name: "$5 off your order",
        names: { ru: "Скидка $5 на заказ" },
        type: "FIXED_AMOUNT",
        cost: 500,
        valueMinor: 500,
        percent: null,
        tier: null,
      },
      {
        id: crypto.randomUUID(),
        name: "Free shipping",
        names: { ru: "Бесплатная доставка" },
        type: "FREE_SHIPPING",
        cost: 300,
        valueMinor: null,
        percent: null,
        tier: null,
      },
      {
        id: crypto.randomUUID(),
        name: "$15 off your order",
        names: { ru: "Скидка $15 на заказ" },
        type: "FIXED_AMOUNT",
        cost: 1400,
        valueMinor: 1500,
        percent: null,
        tier: null,
      },
      {
        id: crypto.randomUUID(),
        name: "15% off (Gold members)",
        names: { ru: "Скидка 15% (для уровня «Золото»)" },
        type: "PERCENTAGE",
        cost: 1000,
        valueMinor: null,
        percent: 1500,
        tier: tiers[2]!.id,
      },
      {
        id: crypto.randomUUID(),
        name: "$10 store credit",
        names: { ru: "$10 на счёт в магазине" },
        type: "STORE_CREDIT",
        cost: 1200,
        valueMinor: 1000,
        percent: null,
        tier: null,
      },
      {
        id: crypto.randomUUID(),
        name: "A free Tea sample box",
        names: { ru: "Пробный набор чая в подарок" },
        type: "FREE_PRODUCT",
        cost: 700,
        valueMinor: null,
        percent: null,
        tier: null,
        variant: "gid://shopify/ProductVariant/808950816",
      },
    ];
    await insert(
      client,
      "Reward",
      [
        "id",
        "shopId",
        "name",
        "names",
        "type",
        "pointsCost",
        "valueMinor",
        "valuePercentBp",
        "currency",
        "tierId",
        "productVariantId",
        "position",
        "codeExpiryDays",
        "updatedAt",
      ],
      rewards.map((r, i) => [
        r.id,
        shopId,
        r.name,
        JSON.stringify(r.names),
        r.type,
        r.cost,
        r.valueMinor,
        r.percent,
        r.valueMinor ? "USD" : null,
        r.tier,
        (r as { variant?: string }).variant ?? null,
        i,
        30,
        now,
      ]),
    );

    // The order ladder: a coupon after the 1st and the 2nd order, VIP (Silver) after the 3rd;
    // two birthday gifts to choose from, and the referred friend's first-order code.
    const friendReward = crypto.randomUUID();
    const given: Row[] = [
      [
        crypto.randomUUID(),
        "Thank you: $10 off your next order",
        { ru: "Спасибо: скидка $10 на следующий заказ" },
        "FIXED_AMOUNT",
        "ORDER_LADDER",
        1,
        1000,
        null,
        0,
      ],
      [
        crypto.randomUUID(),
        "Come back soon: 10% off",
        { ru: "Возвращайтесь: скидка 10%" },
        "PERCENTAGE",
        "ORDER_LADDER",
        2,
        null,
        1000,
        1,
      ],
      [
        crypto.randomUUID(),
        "Birthday: 20% off",
        { ru: "День рождения: скидка 20%" },
        "PERCENTAGE",
        "BIRTHDAY_GIFT",
        null,
        null,
        2000,
        0,
      ],
      [
        crypto.randomUUID(),
        "Birthday: free shipping",
        { ru: "День рождения: бесплатная доставка" },
        "FREE_SHIPPING",
        "BIRTHDAY_GIFT",
        null,
        null,
        null,
        1,
      ],
      [
        friendReward,
        "Welcome: $10 off your first order",
        { ru: "Добро пожаловать: скидка $10 на первый заказ" },
        "FIXED_AMOUNT",
        "REFERRAL_FRIEND",
        null,
        1000,
        null,
        0,
      ],
    ];
    await insert(
      client,
      "Reward",
      [
        "id",
        "shopId",
        "name",
        "names",
        "type",
        "trigger",
        "ladderOrderCount",
        "valueMinor",
        "valuePercentBp",
        "currency",
        "codeExpiryDays",
        "position",
        "updatedAt",
      ],
      given.map(([id, name, names, type, trigger, ladder, value, percent, position]) => [
        id,
        shopId,
        name,
        JSON.stringify(names),
        type,
        trigger,
        ladder,
        value,
        percent,
        value ? "USD" : null,
        30,
        position,
        now,
      ]),
    );
    await client.query(
      `UPDATE "ShopSettings" SET "ladderVipOrders" = 3, "ladderVipTierId" = $1, "referralFriendRewardId" = $2 WHERE "shopId" = $3`,
      [tiers[1]!.id, friendReward, shopId],
    );
    // Win-back is off until a merchant sets it; the demo shows it: after 60 days without an
    // order, then 14 days later with the "Come back soon" code.
    await client.query(
      `INSERT INTO "MessageSetting" ("shopId", kind, enabled, timing, "enabledAt", "updatedAt")
       VALUES ($1, 'WIN_BACK', true, $2, now(), now())`,
      [shopId, JSON.stringify({ afterDays: 60, thenDays: 14, couponRewardId: given[1]![0] })],
    );
    // A bonus campaign running now: double points on the green teas (collection 5001).
    await client.query(
      `INSERT INTO "Campaign" (id, "shopId", name, names, "multiplierBp", "startsAt", "endsAt", "collectionIds", "collectionProductIds", "collectionsReadAt")
       VALUES (gen_random_uuid(), $1, 'Green tea week', $2, 20000, $3, $4, '{5001}', $5, now())`,
      [
        shopId,
        JSON.stringify({ ru: "Неделя зелёного чая" }),
        new Date(now.getTime() - 2 * DAY),
        new Date(now.getTime() + 5 * DAY),
        STANDIN_PRODUCTS.filter((p) => p.collections.includes(5001)).map((p) => String(p.id)),
      ],
    );

    const members: Row[] = [];
    const orders: Row[] = [];
    const refunds: Row[] = [];
    const entries: Row[] = [];
    const redemptions: Row[] = [];
    const reviews: Row[] = [];
    let orderId = 5_500_000_000;
    const reviewed = new Set<string>();
    // History ends before now: a refund or cancellation a few days after a recent order
    // has not happened yet, so it is dated an hour ago at the latest.
    const past = (time: number) => new Date(Math.min(time, now.getTime() - 3600_000));
    let refundId = 9_100_000_000;

    for (let n = 0; n < customers; n++) {
      const customerId = 7_000_000_000 + n;
      const first = pick(FIRST);
      const last = pick(LAST);
      const email = `${first}.${last}.${n}@example.com`.toLowerCase();
      const locale = random() < 0.5 ? "ru" : "en";
      const joinedAt = new Date(now.getTime() - Math.floor(random() * 360 + 5) * DAY);
      const enrolled = random() < 0.85;
      const memberId = crypto.randomUUID();
      let balance = 0;
      let lifetime = 0;
      let orderCount = 0;
      let spent = 0n;
      let lastOrderAt: Date | null = null;
      let lastOrder: Row | null = null;
      let lastActivity = joinedAt;
      const ledger = (
        points: number,
        kind: string,
        source: string,
        reason: Reason,
        key: string,
        at: Date,
        order: number | null = null,
      ) => {
        const stored = storedReason(reason);
        entries.push([shopId, memberId, points, kind, source, stored.text, stored.code, stored.params, key, order, at]);
        balance += points;
        if (kind === "EARN" && points > 0) lifetime += points;
        if (at > lastActivity && kind !== "REVERSAL") lastActivity = at;
      };
      if (enrolled) ledger(100, "EARN", "SIGNUP", { code: "signup" }, `signup:${customerId}`, joinedAt);

      const orderTotal = Math.floor(random() * random() * 9) + (random() < 0.7 ? 1 : 0);
      for (let o = 0; o < orderTotal; o++) {
        orderId += 1;
        const at = new Date(
          joinedAt.getTime() + Math.floor(random() * Math.max(1, (now.getTime() - joinedAt.getTime()) / DAY)) * DAY,
        );
        const cents = BigInt(1500 + Math.floor(random() * 23500));
        const points = enrolled ? Number(cents / 100n) : 0;
        const cancelled = random() < 0.03;
        const refundCents = !cancelled && random() < 0.1 ? (cents * BigInt(20 + Math.floor(random() * 60))) / 100n : 0n;
        const reversed =
          refundCents > 0n ? Math.min(points, Math.ceil((points * Number(refundCents)) / Number(cents))) : 0;
        const bought = [pick(STANDIN_PRODUCTS), pick(STANDIN_PRODUCTS)].map((p) => String(p.id));
        orders.push([
          orderId,
          shopId,
          customerId,
          enrolled ? memberId : null,
          email,
          `#${orderId - 5_500_000_000 + 1000}`,
          "USD",
          cents.toString(),
          cents.toString(),
          points,
          cancelled ? points : reversed,
          refundCents.toString(),
          at,
          at,
          cancelled ? past(at.getTime() + DAY) : null,
          cancelled ? past(at.getTime() + DAY) : null,
          [...new Set(bought)],
          now,
          false,
        ]);
        if (!enrolled) continue;
        ledger(
          points,
          "EARN",
          "ORDER",
          { code: "order", params: { order: `#${orderId - 5_500_000_000 + 1000}` } },
          `order:${orderId}:earn`,
          at,
          orderId,
        );
        if (orderCount === 0 && !cancelled)
          ledger(100, "EARN", "FIRST_ORDER", { code: "first_order" }, `order:${orderId}:first-order`, at, orderId);
        if (cancelled) {
          ledger(
            -points,
            "REVERSAL",
            "CANCELLATION",
            { code: "cancellation", params: { order: `#${orderId - 5_500_000_000 + 1000}` } },
            `order:${orderId}:cancel`,
            past(at.getTime() + DAY),
            orderId,
          );
          continue;
        }
        orderCount += 1;
        spent += cents - refundCents;
        lastOrderAt = at;
        lastOrder = orders.at(-1)!;
        if (refundCents > 0n) {
          refundId += 1;
          const refundAt = past(at.getTime() + 7 * DAY);
          refunds.push([
            refundId,
            shopId,
            orderId,
            "USD",
            refundCents.toString(),
            "0",
            refundCents.toString(),
            reversed,
            refundAt,
            refundAt,
          ]);
          ledger(
            -reversed,
            "REVERSAL",
            "REFUND",
            { code: "refund", params: { order: `#${orderId - 5_500_000_000 + 1000}` } },
            `refund:${refundId}`,
            refundAt,
            orderId,
          );
        }
        if (random() < 0.3) {
          // A product of this order, as reviews are credited for products the customer bought.
          const product = bought[0]!;
          const photo = random() < 0.3;
          const reviewAt = new Date(at.getTime() + 10 * DAY);
          // Once per customer and product, as the real review webhooks credit them.
          if (reviewAt < now && !reviewed.has(`${memberId}:${product}`)) {
            reviewed.add(`${memberId}:${product}`);
            reviews.push([
              crypto.randomUUID(),
              shopId,
              "judgeme",
              `demo-${orderId}`,
              email,
              memberId,
              product,
              4 + Math.floor(random() * 2),
              photo,
              true,
              reviewAt,
            ]);
            ledger(50, "EARN", "REVIEW", { code: "review" }, `review:${product}:${pseudonym(email)}`, reviewAt);
            if (photo)
              ledger(
                25,
                "EARN",
                "REVIEW",
                { code: "photo_review" },
                `review-photo:${product}:${pseudonym(email)}`,
                reviewAt,
              );
          }
        }
      }
      // Some members spend their points: a discount code or store credit. Three in five
      // spend it on their last order, which makes it a loyalty order (code or store credit).
      const reward = random() < 0.3 ? rewards.find((r) => r.type === "STORE_CREDIT")! : rewards[0]!;
      if (enrolled && balance >= reward.cost && random() < 0.5) {
        const redemptionId = crypto.randomUUID();
        const used = lastOrder !== null && lastOrderAt !== null && random() < 0.6;
        const at =
          used && lastOrderAt
            ? new Date(lastOrderAt.getTime() - DAY)
            : new Date(Math.min(now.getTime() - DAY, (lastOrderAt ?? joinedAt).getTime() + 3 * DAY));
        if (used) lastOrder![lastOrder!.length - 1] = true;
        redemptions.push([
          redemptionId,
          shopId,
          memberId,
          reward.id,
          JSON.stringify({ name: reward.name, names: reward.names, type: reward.type, valueMinor: reward.valueMinor }),
          reward.cost,
          used ? "USED" : "ISSUED",
          reward.type === "STORE_CREDIT" ? null : `CB-DEMO-${n.toString(36).toUpperCase()}`,
          reward.type === "STORE_CREDIT" ? null : new Date(at.getTime() + 30 * DAY),
          `redeem:demo:${n}`,
          at,
          now,
          used ? lastOrder![0] : null,
        ]);
        ledger(
          -reward.cost,
          "REDEEM",
          "REDEMPTION",
          { code: "redeemed", params: { reward: reward.name, rewardNames: reward.names } },
          `redemption:${redemptionId}`,
          at,
        );
      }
      if (!enrolled) continue;
      const tier = [...tiers].reverse().find((t) => spent >= t.threshold) ?? tiers[0]!;
      members.push([
        memberId,
        shopId,
        customerId,
        email,
        first,
        locale,
        random() < 0.6,
        "ACTIVE",
        joinedAt,
        balance,
        lifetime,
        tier.id,
        joinedAt,
        `D${n.toString(36).toUpperCase().padStart(6, "0")}`,
        lastActivity,
        lastOrderAt,
        orderCount,
        spent.toString(),
        now,
      ]);
    }

    await insert(
      client,
      "Member",
      [
        "id",
        "shopId",
        "customerId",
        "email",
        "firstName",
        "locale",
        "emailConsent",
        "status",
        "enrolledAt",
        "balance",
        "lifetimeEarned",
        "tierId",
        "tierAchievedAt",
        "referralCode",
        "lastActivityAt",
        "lastOrderAt",
        "orderCount",
        "totalSpentMinor",
        "updatedAt",
      ],
      members,
    );
    await insert(
      client,
      "Order",
      [
        "id",
        "shopId",
        "customerId",
        "memberId",
        "email",
        "name",
        "currency",
        "totalMinor",
        "earnableMinor",
        "pointsEarned",
        "pointsReversed",
        "refundedEarnableMinor",
        "processedAt",
        "paidAt",
        "cancelledAt",
        "cancelAppliedAt",
        "productIds",
        "updatedAt",
        "usedLoyaltyReward",
      ],
      orders,
    );
    // Shipping: each paid order shipped the next day and was delivered three days later.
    // NPS has been on for four months; about half the customers answered the survey.
    await client.query(
      `UPDATE "Order" SET "fulfilledAt" = "processedAt" + interval '1 day', "deliveredAt" = "processedAt" + interval '4 days'
       WHERE "shopId" = $1 AND "paidAt" IS NOT NULL AND "cancelledAt" IS NULL AND "processedAt" < now() - interval '5 days'`,
      [shopId],
    );
    await client.query(
      `INSERT INTO "MessageSetting" ("shopId", kind, enabled, timing, "enabledAt", "updatedAt")
       VALUES ($1, 'NPS', true, '{"delayDays": 7, "points": 20}', now() - interval '120 days', now())`,
      [shopId],
    );
    await client.query(
      `INSERT INTO "Feedback" (id, "shopId", "memberId", "orderId", score, comment, "createdAt")
       SELECT gen_random_uuid(), o."shopId", o."memberId", o.id, s.score,
              CASE WHEN s.score <= 4 THEN (ARRAY['The parcel arrived late.', 'Посылка шла две недели.'])[1 + (o.id % 2)::int]
                   WHEN s.score >= 9 AND o.id % 5 = 0 THEN (ARRAY['Lovely tea, thank you!', 'Отличный чай, спасибо!'])[1 + (o.id % 2)::int]
              END,
              o."deliveredAt" + interval '8 days'
       FROM "Order" o
       CROSS JOIN LATERAL (SELECT (ARRAY[10, 10, 9, 9, 9, 8, 8, 7, 6, 4, 10, 9, 3, 8, 10])[1 + (o.id % 15)::int] AS score) s
       WHERE o."shopId" = $1 AND o."deliveredAt" IS NOT NULL AND o."memberId" IS NOT NULL
         AND o."deliveredAt" > now() - interval '120 days' AND o."deliveredAt" < now() - interval '9 days' AND o.id % 2 = 0`,
      [shopId],
    );
    await insert(
      client,
      "OrderRefund",
      [
        "id",
        "shopId",
        "orderId",
        "currency",
        "linesSubtotalMinor",
        "linesTaxMinor",
        "earnableMinor",
        "pointsReversed",
        "appliedAt",
        "refundedAt",
      ],
      refunds,
    );
    await insert(
      client,
      "LedgerEntry",
      [
        "shopId",
        "memberId",
        "points",
        "kind",
        "source",
        "reason",
        "reasonCode",
        "reasonParams",
        "idempotencyKey",
        "orderId",
        "createdAt",
      ],
      entries,
    );
    await insert(
      client,
      "Redemption",
      [
        "id",
        "shopId",
        "memberId",
        "rewardId",
        "rewardSnapshot",
        "pointsSpent",
        "status",
        "code",
        "endsAt",
        "idempotencyKey",
        "createdAt",
        "updatedAt",
        "usedOrderId",
      ],
      redemptions,
    );
    await insert(
      client,
      "Review",
      [
        "id",
        "shopId",
        "provider",
        "externalId",
        "email",
        "memberId",
        "productId",
        "rating",
        "hasPhoto",
        "credited",
        "createdAt",
      ],
      reviews,
    );
    await client.query("COMMIT");
    return { created: true, members: members.length, orders: orders.length, entries: entries.length };
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    await client.end();
  }
}
