import type { ParsedMail } from "mailparser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Member, Shop } from "../../app/generated/prisma/client";
import { MESSAGE_CATEGORY, MESSAGE_KINDS, type MessageKind } from "../../app/domain/messages";
import { closeMailTransports } from "../../app/integrations/email/mailer.server";
import { sendDueMessages } from "../../app/integrations/email/send.server";
import { verifyLink } from "../../app/integrations/email/links.server";
import { loadConfig } from "../../app/platform/config.server";
import { provideRuntime } from "../../app/platform/runtime.server";
import { redactCustomer } from "../../app/services/compliance";
import { postEntry } from "../../app/services/ledger";
import { collectEventMessages, selectDailyMessages } from "../../app/services/messages";
import { giftedRedemption } from "../../app/services/rewards";
import { createSurprise, runSurprise } from "../../app/services/surprises";
import { invalidateShopContext, loadShopContext } from "../../app/services/shop-context";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { createShop } from "../support/seed";
import { startSmtpSink, type SmtpSink } from "../support/smtp";
import { signProxyQuery } from "../support/shopify";

/**
 * Lifecycle email end to end: each kind's occasion is created in the database as the
 * webhooks and jobs create it, the selection turns it into a message, and the sender
 * delivers it over SMTP (TCP) to a server this test runs; the received MIME message is
 * parsed and checked: content in the member's language, signed links, the one-click
 * unsubscribe, consent, bounces, erasure, and exactly one message per occasion.
 */
const SECRET = "test-api-secret";
const DAY = 86_400_000;
let db: TestDatabase;
let smtp: SmtpSink;

beforeAll(async () => {
  db = await createTestDatabase();
  smtp = await startSmtpSink();
  provideRuntime({
    config: loadConfig({
      ...process.env,
      DATABASE_URL: db.url,
      SMTP_URL: smtp.url,
      MAIL_FROM: "loyalty@comeback.test",
      MAIL_RATE_PER_SECOND: "1000",
      COMEBACK_SHOP_CACHE_MS: "0",
    }),
    databaseUrl: db.url,
  });
});
afterAll(async () => {
  await closeMailTransports();
  await smtp?.close();
  await db?.close();
});

interface Program {
  shop: Shop;
  silver: string;
  bronze: string;
  ladder: string;
  friend: string;
  coupon: string;
}

async function program(language: "en" | "ru"): Promise<Program> {
  const shop = await createShop(db.prisma, {
    settings: {
      languages: ["en", "ru"],
      defaultLanguage: language,
      expiryInactivityDays: 365,
      // No quiet hours here (the test may run at any hour); they have their own test.
      quietHoursEnd: 0,
      quietHoursStart: 0,
    },
    rules: { SIGNUP: 100 },
  });
  await db.prisma.shop.update({ where: { id: shop.id }, data: { name: language === "ru" ? "Чайная" : "Tea House" } });
  const reward = (data: object) =>
    db.prisma.reward.create({ data: { shopId: shop.id, currency: "USD", codeExpiryDays: 30, ...data } as never });
  await reward({ name: "$5 off", names: { ru: "Скидка $5" }, type: "FIXED_AMOUNT", pointsCost: 500, valueMinor: 500 });
  const ladder = await reward({
    name: "Thank you: $10 off",
    names: { ru: "Спасибо: скидка $10" },
    type: "FIXED_AMOUNT",
    trigger: "ORDER_LADDER",
    ladderOrderCount: 1,
    valueMinor: 1000,
  });
  const friend = await reward({
    name: "Welcome: $10 off",
    names: { ru: "Добро пожаловать: скидка $10" },
    type: "FIXED_AMOUNT",
    trigger: "REFERRAL_FRIEND",
    valueMinor: 1000,
  });
  const coupon = await reward({
    name: "Come back: 15% off",
    names: { ru: "Возвращайтесь: скидка 15%" },
    type: "PERCENTAGE",
    trigger: "ORDER_LADDER",
    ladderOrderCount: 99,
    valuePercentBp: 1500,
  });
  const bronze = await db.prisma.tier.create({
    data: { shopId: shop.id, name: "Bronze", names: { ru: "Бронза" }, position: 0, threshold: 0n },
  });
  const silver = await db.prisma.tier.create({
    data: {
      shopId: shop.id,
      name: "Silver",
      names: { ru: "Серебро" },
      position: 1,
      threshold: 30000n,
      multiplierBp: 12500,
      freeShipping: true,
    },
  });
  await db.prisma.messageSetting.create({
    data: {
      shopId: shop.id,
      kind: "WIN_BACK",
      enabled: true,
      timing: { afterDays: 60, thenDays: 14, couponRewardId: coupon.id },
    },
  });
  await db.prisma.messageSetting.create({
    // On for a month already, so orders delivered last week are surveyed.
    data: {
      shopId: shop.id,
      kind: "NPS",
      enabled: true,
      timing: { delayDays: 7, points: 25 },
      enabledAt: new Date(Date.now() - 30 * DAY),
    },
  });
  invalidateShopContext({ id: shop.id });
  return { shop, silver: silver.id, bronze: bronze.id, ladder: ladder.id, friend: friend.id, coupon: coupon.id };
}

let customers = 90_000;
async function member(p: Program, email: string, data: Partial<Member> = {}) {
  const customerId = BigInt(++customers);
  return db.prisma.member.create({
    data: {
      shopId: p.shop.id,
      customerId,
      email,
      firstName: String(data.locale ?? "").startsWith("ru") ? "Ольга" : "Olga",
      locale: null,
      referralCode: `R${customerId}`,
      emailConsent: true,
      ...data,
    } as never,
  });
}

const earn = (p: Program, m: Member, points: number, code: string, key: string) =>
  postEntry(db.prisma, {
    shopId: p.shop.id,
    memberId: m.id,
    points,
    kind: "EARN",
    source: code === "birthday" ? "BIRTHDAY" : code === "referral" ? "REFERRAL" : "ADMIN",
    reason: { code: code as never, params: {} },
    idempotencyKey: key,
  });

async function issued(
  p: Program,
  rewardId: string,
  to: { memberId: string } | { recipientEmail: string },
  key: string,
) {
  const reward = await db.prisma.reward.findUniqueOrThrow({ where: { id: rewardId } });
  const created = await db.prisma.redemption.create({ data: giftedRedemption(p.shop.id, reward, to, key) });
  return db.prisma.redemption.update({ where: { id: created.id }, data: { status: "ISSUED" } });
}

/** Sets up the occasion of `kind` for a new member of `p` at `email`. */
async function occasion(p: Program, kind: MessageKind, email: string, language: "en" | "ru"): Promise<string[]> {
  const locale = language === "ru" ? "ru-RU" : "en";
  switch (kind) {
    case "WELCOME": {
      const m = await member(p, email, { locale });
      await earn(p, m, 100, "signup", `signup:${m.id}`);
      return ["100"];
    }
    case "POINTS_EARNED": {
      const m = await member(p, email, { locale, enrolledAt: new Date(Date.now() - 3 * DAY) });
      await db.prisma.order.create({
        data: {
          id: BigInt(customers) * 10n,
          shopId: p.shop.id,
          memberId: m.id,
          currency: "USD",
          name: "#1042",
          pointsEarned: 120,
          paidAt: new Date(),
          processedAt: new Date(),
        },
      });
      await earn(p, m, 120, "order", `order:${m.id}`);
      return ["#1042", "120"];
    }
    case "REWARD_UNLOCKED": {
      const m = await member(p, email, { locale, enrolledAt: new Date(Date.now() - 3 * DAY) });
      await earn(p, m, 600, "adjustment", `adj:${m.id}`);
      return [language === "ru" ? "Скидка $5" : "$5 off"];
    }
    case "ORDER_CODE": {
      const m = await member(p, email, { locale, enrolledAt: new Date(Date.now() - 3 * DAY) });
      const r = await issued(p, p.ladder, { memberId: m.id }, `ladder:${m.id}`);
      return [r.code!];
    }
    case "FRIEND_CODE": {
      const r = await issued(p, p.friend, { recipientEmail: email }, `friend:${email}`);
      return [r.code!];
    }
    case "TIER_UP": {
      const m = await member(p, email, { locale, tierId: p.silver, enrolledAt: new Date(Date.now() - 3 * DAY) });
      await db.prisma.tierEvent.create({
        data: { shopId: p.shop.id, memberId: m.id, fromTierId: p.bronze, toTierId: p.silver, cause: "test" },
      });
      return [language === "ru" ? "Серебро" : "Silver"];
    }
    case "TIER_DOWNGRADE": {
      await member(p, email, {
        locale,
        tierId: p.silver,
        tierDowngradeAfter: new Date(Date.now() + 10 * DAY),
        enrolledAt: new Date(Date.now() - 300 * DAY),
      });
      return [language === "ru" ? "Серебро" : "Silver", language === "ru" ? "Бронза" : "Bronze"];
    }
    case "POINTS_EXPIRING": {
      const m = await member(p, email, { locale, enrolledAt: new Date(Date.now() - 400 * DAY) });
      await earn(p, m, 800, "adjustment", `adj:${m.id}`);
      await db.prisma.member.update({
        where: { id: m.id },
        data: { lastActivityAt: new Date(Date.now() - 360 * DAY) },
      });
      await db.prisma.messageLog.deleteMany({ where: { memberId: m.id } }); // the adjustment's own messages
      return ["800"];
    }
    case "BIRTHDAY": {
      const m = await member(p, email, { locale, enrolledAt: new Date(Date.now() - 30 * DAY) });
      await earn(p, m, 200, "birthday", `birthday:${m.id}`);
      return ["200"];
    }
    case "WIN_BACK": {
      await member(p, email, {
        locale,
        lastOrderAt: new Date(Date.now() - 70 * DAY),
        orderCount: 1,
        enrolledAt: new Date(Date.now() - 100 * DAY),
      });
      return [];
    }
    case "REFERRAL_CREDITED": {
      const m = await member(p, email, { locale, enrolledAt: new Date(Date.now() - 30 * DAY) });
      await earn(p, m, 500, "referral", `referral:${m.id}`);
      return ["500"];
    }
    case "NPS": {
      const m = await member(p, email, { locale, enrolledAt: new Date(Date.now() - 30 * DAY) });
      await db.prisma.order.create({
        data: {
          id: BigInt(customers) * 10n + 7n,
          shopId: p.shop.id,
          memberId: m.id,
          currency: "USD",
          name: "#2002",
          paidAt: new Date(Date.now() - 12 * DAY),
          processedAt: new Date(Date.now() - 12 * DAY),
          fulfilledAt: new Date(Date.now() - 11 * DAY),
          deliveredAt: new Date(Date.now() - 8 * DAY),
        },
      });
      return [language === "ru" ? "0 — точно нет, 10 — точно да" : "0 = not at all likely, 10 = extremely likely"];
    }
    case "SURPRISE": {
      const m = await member(p, email, { locale, enrolledAt: new Date(Date.now() - 30 * DAY) });
      const shop = (await loadShopContext(db.prisma, { id: p.shop.id }))!;
      const campaign = await createSurprise(
        db.prisma,
        shop,
        {
          memberId: m.id,
          message: "Sorry about the wait",
          reason: "late",
          gift: "points",
          points: "150",
          holdoutPercent: "0",
        },
        "staff:1",
      );
      await runSurprise(db.prisma, campaign.id);
      return ["Sorry about the wait", "150"];
    }
  }
}

const SUBJECTS: Record<"en" | "ru", Record<MessageKind, RegExp>> = {
  en: {
    WELCOME: /^Welcome to Tea House rewards$/,
    POINTS_EARNED: /^You earned 120 points with order #1042$/,
    REWARD_UNLOCKED: /^You can now get \$5 off$/,
    ORDER_CODE: /^Thank you: \$10 off: your code inside$/,
    FRIEND_CODE: /^Your welcome gift from Tea House$/,
    TIER_UP: /^You reached Silver$/,
    TIER_DOWNGRADE: /^Keep your Silver status$/,
    POINTS_EXPIRING: /^800 points expire on /,
    BIRTHDAY: /^Happy birthday, Olga!$/,
    WIN_BACK: /^We miss you at Tea House$/,
    REFERRAL_CREDITED: /^Your friend ordered: 500 points for you$/,
    NPS: /^How was your order #2002\?$/,
    SURPRISE: /^A little gift from Tea House$/,
  },
  ru: {
    WELCOME: /^Добро пожаловать в бонусную программу Чайная$/,
    POINTS_EARNED: /^За заказ #1042 начислено 120 баллов$/,
    REWARD_UNLOCKED: /^Вам доступна награда «Скидка \$5»$/,
    ORDER_CODE: /^Спасибо: скидка \$10: ваш код внутри$/,
    FRIEND_CODE: /^Подарок от Чайная за приглашение друга$/,
    TIER_UP: /^Ваш новый уровень: Серебро$/,
    TIER_DOWNGRADE: /^Сохраните уровень «Серебро»$/,
    POINTS_EXPIRING: / сгорят 800 баллов$/,
    BIRTHDAY: /^С наступающим днём рождения, Ольга!$/,
    WIN_BACK: /^Мы скучаем по вам в Чайная$/,
    REFERRAL_CREDITED: /^Друг сделал заказ: вам 500 баллов$/,
    NPS: /^Как вам заказ #2002\?$/,
    SURPRISE: /^Небольшой подарок от Чайная$/,
  },
};

const plain = (text: string | undefined) => (text ?? "").replace(/[\u00a0\u202f]/g, " ");
const kindOf = (mail: ParsedMail) => String(mail.headers.get("x-comeback-kind") ?? "");

async function runAll(shopId: string, now = new Date()) {
  await collectEventMessages(db.prisma, now);
  await selectDailyMessages(db.prisma, now);
  return sendDueMessages(db.prisma, shopId, { now: () => now });
}

describe.each(["en", "ru"] as const)("every message kind in %s", (language) => {
  let p: Program;
  const expected = new Map<MessageKind, string[]>();
  const address = (kind: MessageKind) => `${kind.toLowerCase()}-${language}@example.com`;

  beforeAll(async () => {
    p = await program(language);
    for (const kind of MESSAGE_KINDS) expected.set(kind, await occasion(p, kind, address(kind), language));
    // Replayed, and by two instances at once: still one message per occasion (checked below).
    await Promise.all([runAll(p.shop.id), runAll(p.shop.id)]);
    await runAll(p.shop.id);
  });

  it.each([...MESSAGE_KINDS])(
    "%s arrives over SMTP with its content, signed links and one-click unsubscribe",
    async (kind) => {
      const mails = smtp.to(address(kind)).filter((m) => kindOf(m) === kind);
      expect(mails).toHaveLength(1);
      const mail = mails[0]!;
      expect(mail.subject).toMatch(SUBJECTS[language][kind]);
      expect(mail.from?.value[0]?.address).toBe("loyalty@comeback.test");
      expect(mail.from?.value[0]?.name).toBe(language === "ru" ? "Чайная" : "Tea House");
      expect(String(mail.headers.get("content-language"))).toBe(language);
      const text = plain(mail.text);
      for (const fragment of expected.get(kind)!) expect(text).toContain(fragment);
      if (kind !== "FRIEND_CODE") expect(text).toContain(language === "ru" ? "Здравствуйте, Ольга!" : "Hi Olga,");
      expect(mail.html).toBeTruthy();
      expect(String(mail.html)).toContain(`lang="${language}"`);

      // RFC 8058: List-Unsubscribe names a signed one-click URL, and List-Unsubscribe-Post says so.
      const header = (name: string) =>
        mail.headerLines.find((h) => h.key === name)?.line.replace(/^[^:]+:\s*/, "") ?? "";
      const list = header("list-unsubscribe");
      const unsubscribe = /https:\/\/comeback\.test\/m\/u\/([\w.-]+)/.exec(list)?.[1];
      expect(unsubscribe).toBeTruthy();
      const messageId = verifyLink(SECRET, "unsubscribe", unsubscribe!);
      expect(messageId).toMatch(/^[0-9a-f-]{36}$/);
      expect(header("list-unsubscribe-post")).toBe("List-Unsubscribe=One-Click");

      // Every link in the body goes through a click redirect signed for its destination.
      const clicks = [...String(mail.html).matchAll(/href="https:\/\/comeback\.test\/m\/c\/([\w.-]+)\?u=([^"]+)"/g)];
      expect(clicks.length).toBeGreaterThan(0);
      for (const [, token, destination] of clicks) {
        const url = decodeURIComponent(destination!.replace(/&amp;/g, "&"));
        expect(verifyLink(SECRET, "click", token!, url)).toBe(messageId);
        expect(verifyLink(SECRET, "click", token!, "https://evil.example/")).toBeNull();
      }
      // The open pixel and the preference page (an App Proxy page on the store's domain).
      expect(String(mail.html)).toMatch(new RegExp(`https://comeback\\.test/m/o/${messageId}\\.[\\w-]+\\.gif`));
      expect(String(mail.html)).toMatch(
        new RegExp(`https://${p.shop.domain.replace(/\./g, "\\.")}/apps/comeback/preferences\\?t=${messageId}\\.`),
      );
      const log = await db.prisma.messageLog.findUniqueOrThrow({ where: { id: messageId! } });
      expect(log).toMatchObject({ status: "SENT", kind, locale: language });

      // The one-click unsubscribe works (a POST to the List-Unsubscribe URL)…
      const { action } = await import("../../app/routes/m.u.$token");
      const done = await action({
        params: { token: unsubscribe },
        request: new Request(`https://comeback.test/m/u/${unsubscribe}`, {
          method: "POST",
          body: "List-Unsubscribe=One-Click",
        }),
        context: {},
      } as never);
      expect(done.status).toBe(200);
      // …and is respected: the next occasion of this kind for this recipient is not sent.
      const next = await db.prisma.messageLog.create({
        data: {
          shopId: log.shopId,
          memberId: log.memberId,
          email: log.email,
          kind,
          occasion: `${log.occasion}:again`,
          context: log.context as never,
        },
      });
      const before = smtp.to(address(kind)).length;
      await sendDueMessages(db.prisma, p.shop.id);
      expect(smtp.to(address(kind))).toHaveLength(before);
      expect(await db.prisma.messageLog.findUniqueOrThrow({ where: { id: next.id } })).toMatchObject({
        status: "SKIPPED",
        skipReason: log.memberId ? "unsubscribed" : "suppressed",
      });
    },
  );

  it.each([...MESSAGE_KINDS].filter((k) => k !== "FRIEND_CODE"))(
    "%s follows consent: marketing needs it, account notices do not",
    async (kind) => {
      const sent = await db.prisma.messageLog.findFirstOrThrow({ where: { shopId: p.shop.id, kind, status: "SENT" } });
      const m = await member(p, `${kind.toLowerCase()}-no-consent-${language}@example.com`, {
        emailConsent: false,
        locale: language,
      });
      // The same occasion's context for a member who never subscribed to marketing.
      await db.prisma.messageLog.create({
        data: { shopId: p.shop.id, memberId: m.id, kind, occasion: `consent:${m.id}`, context: sent.context as never },
      });
      await sendDueMessages(db.prisma, p.shop.id);
      const row = await db.prisma.messageLog.findFirstOrThrow({ where: { memberId: m.id, kind } });
      if (MESSAGE_CATEGORY[kind] === "marketing")
        expect(row).toMatchObject({ status: "SKIPPED", skipReason: "no_consent" });
      else expect(row.skipReason).not.toBe("no_consent");
    },
  );
});

describe("consent, preferences and suppression, decided at send time", () => {
  let p: Program;
  beforeAll(async () => {
    p = await program("en");
  });

  it("sends marketing only with consent; account notices without it unless the merchant requires it", async () => {
    const noConsent = await member(p, "no-consent@example.com", {
      emailConsent: false,
      enrolledAt: new Date(Date.now() - 9 * DAY),
    });
    await earn(p, noConsent, 200, "birthday", `birthday:${noConsent.id}`); // marketing
    await earn(p, noConsent, 500, "referral", `referral:${noConsent.id}`); // a notice
    await runAll(p.shop.id);
    expect(smtp.to("no-consent@example.com").map(kindOf).sort()).toEqual(["REFERRAL_CREDITED", "REWARD_UNLOCKED"]);
    const birthday = await db.prisma.messageLog.findFirstOrThrow({
      where: { memberId: noConsent.id, kind: "BIRTHDAY" },
    });
    expect(birthday).toMatchObject({ status: "SKIPPED", skipReason: "no_consent" });

    await db.prisma.shopSettings.update({ where: { shopId: p.shop.id }, data: { noticesNeedConsent: true } });
    invalidateShopContext({ id: p.shop.id });
    await earn(p, noConsent, 50, "referral", `referral:${noConsent.id}:2`);
    await runAll(p.shop.id);
    expect(smtp.to("no-consent@example.com")).toHaveLength(2);
    await db.prisma.shopSettings.update({ where: { shopId: p.shop.id }, data: { noticesNeedConsent: false } });
    invalidateShopContext({ id: p.shop.id });
  });

  it("leaves a kind to Shopify Flow when the merchant says so: no email, the trigger still goes", async () => {
    await db.prisma.messageSetting.create({
      data: { shopId: p.shop.id, kind: "REFERRAL_CREDITED", enabled: true, viaFlow: true },
    });
    await db.prisma.messageSetting.create({
      data: { shopId: p.shop.id, kind: "POINTS_EARNED", enabled: true, viaFlow: true },
    });
    const m = await member(p, "via-flow@example.com", { enrolledAt: new Date(Date.now() - 9 * DAY) });
    await db.prisma.order.create({
      data: {
        id: 880_001n,
        shopId: p.shop.id,
        memberId: m.id,
        currency: "USD",
        name: "#2001",
        pointsEarned: 40,
        paidAt: new Date(),
      },
    });
    await earn(p, m, 40, "order", `order:${m.id}`);
    await runAll(p.shop.id);
    expect(smtp.to("via-flow@example.com")).toHaveLength(0);
    expect(
      await db.prisma.messageLog.findFirstOrThrow({ where: { memberId: m.id, kind: "POINTS_EARNED" } }),
    ).toMatchObject({
      status: "SKIPPED",
      skipReason: "via_flow",
      flowStatus: "PENDING",
    });
    // A kind without a Flow trigger ignores the switch: its email goes.
    await earn(p, m, 500, "referral", `referral:${m.id}`);
    await runAll(p.shop.id);
    expect(smtp.to("via-flow@example.com").map(kindOf)).toContain("REFERRAL_CREDITED");
    await db.prisma.messageSetting.deleteMany({ where: { shopId: p.shop.id } });
  });

  it("unsubscribes in one click (POST only), and respects it for that category only", async () => {
    const { action, loader } = await import("../../app/routes/m.u.$token");
    const m = await member(p, "one-click@example.com", { enrolledAt: new Date(Date.now() - 9 * DAY) });
    await earn(p, m, 500, "referral", `referral:${m.id}`);
    await runAll(p.shop.id);
    const first = smtp.to("one-click@example.com").find((mail) => kindOf(mail) === "REFERRAL_CREDITED")!;
    const line = first.headerLines.find((h) => h.key === "list-unsubscribe")!.line;
    const url = /<(https:[^>]+)>/.exec(line)![1]!;
    const token = url.split("/m/u/")[1]!;

    // A link scanner's GET changes nothing.
    const shown = await loader({ params: { token }, request: new Request(url), context: {} } as never);
    expect(shown.status).toBe(200);
    expect((await db.prisma.member.findUniqueOrThrow({ where: { id: m.id } })).noticesOptOut).toBe(false);
    // A forged token changes nothing either.
    const forged = await action({
      params: { token: token.slice(0, -2) + "xx" },
      request: new Request(url, { method: "POST" }),
      context: {},
    } as never);
    expect(forged.status).toBe(404);

    const done = await action({
      params: { token },
      request: new Request(url, {
        method: "POST",
        body: "List-Unsubscribe=One-Click",
        headers: { "content-type": "application/x-www-form-urlencoded" },
      }),
      context: {},
    } as never);
    expect(done.status).toBe(200);
    expect(await done.text()).toContain("You are unsubscribed");
    expect(await db.prisma.member.findUniqueOrThrow({ where: { id: m.id } })).toMatchObject({
      noticesOptOut: true,
      marketingOptOut: false,
    });

    // Another notice is not sent; marketing (with consent) still is.
    await earn(p, m, 60, "referral", `referral:${m.id}:2`);
    await earn(p, m, 200, "birthday", `birthday:${m.id}`);
    const before = smtp.to("one-click@example.com").length;
    await runAll(p.shop.id);
    expect(smtp.to("one-click@example.com").slice(before).map(kindOf)).toEqual(["BIRTHDAY"]);
    const stats = await db.prisma.messageLog.findFirstOrThrow({
      where: {
        memberId: m.id,
        kind: "REFERRAL_CREDITED",
        occasion: { contains: "entry" },
        unsubscribedAt: { not: null },
      },
    });
    expect(stats.status).toBe("SENT");
  });

  it("treats a 5xx at delivery as a hard bounce that suppresses the address, and retries a 4xx later", async () => {
    smtp.reject.add("gone@example.com");
    const gone = await member(p, "gone@example.com", { enrolledAt: new Date(Date.now() - 9 * DAY) });
    await earn(p, gone, 500, "referral", `referral:${gone.id}`);
    await runAll(p.shop.id);
    // Sent side by side, both of the member's messages may have bounced before either was suppressed.
    const bounced = await db.prisma.messageLog.findMany({ where: { memberId: gone.id } });
    expect(bounced.some((l) => l.status === "BOUNCED")).toBe(true);
    expect(bounced.every((l) => l.status === "BOUNCED" || l.skipReason === "suppressed")).toBe(true);
    // From then on the address is not tried at all.
    await earn(p, gone, 50, "referral", `referral:${gone.id}:2`);
    await runAll(p.shop.id);
    expect(
      await db.prisma.messageLog.findFirstOrThrow({
        where: { memberId: gone.id, occasion: { contains: "entry" }, status: "SKIPPED" },
      }),
    ).toMatchObject({ skipReason: "suppressed" });
    expect(
      await db.prisma.emailSuppression.findUnique({
        where: { shopId_email: { shopId: p.shop.id, email: "gone@example.com" } },
      }),
    ).toMatchObject({ reason: "BOUNCE" });

    smtp.defer.add("busy@example.com");
    const busy = await member(p, "busy@example.com", { enrolledAt: new Date(Date.now() - 9 * DAY) });
    await earn(p, busy, 500, "referral", `referral:${busy.id}`);
    const now = new Date();
    await runAll(p.shop.id, now);
    const deferred = await db.prisma.messageLog.findMany({ where: { memberId: busy.id } });
    expect(deferred.every((l) => l.status === "QUEUED" && l.sendAfter > now && /451/.test(l.error ?? ""))).toBe(true);
    smtp.defer.delete("busy@example.com");
    await sendDueMessages(db.prisma, p.shop.id, { now: () => new Date(now.getTime() + 2 * 60_000) });
    expect(smtp.to("busy@example.com").map(kindOf).sort()).toEqual(["REFERRAL_CREDITED", "REWARD_UNLOCKED"]);
  });

  it("never writes to an erased customer, and erases what was sent to them", async () => {
    const m = await member(p, "erased@example.com", { enrolledAt: new Date(Date.now() - 9 * DAY) });
    await earn(p, m, 500, "referral", `referral:${m.id}`);
    await runAll(p.shop.id);
    expect(smtp.to("erased@example.com").length).toBeGreaterThan(0);
    const before = smtp.messages.length;
    await earn(p, m, 100, "referral", `referral:${m.id}:2`);
    await collectEventMessages(db.prisma);
    const shop = (await loadShopContext(db.prisma, { id: p.shop.id }))!;
    await db.prisma.$transaction((tx) =>
      redactCustomer(tx, shop, { customerId: m.customerId, email: "erased@example.com", orderIds: [] }),
    );
    expect(
      await db.prisma.messageLog.count({ where: { OR: [{ memberId: m.id }, { email: "erased@example.com" }] } }),
    ).toBe(0);
    await earn(p, m, 100, "referral", `referral:${m.id}:3`);
    await runAll(p.shop.id);
    expect(smtp.messages.length).toBe(before);
    expect(await db.prisma.messageLog.count({ where: { memberId: m.id } })).toBe(0);
  });

  it("waits for the shop's sending hours", async () => {
    const q = await program("en");
    await db.prisma.shop.update({ where: { id: q.shop.id }, data: { ianaTimezone: "Europe/Moscow" } });
    await db.prisma.shopSettings.update({
      where: { shopId: q.shop.id },
      data: { quietHoursEnd: 9, quietHoursStart: 20 },
    });
    invalidateShopContext({ id: q.shop.id });
    const m = await member(q, "night@example.com", { enrolledAt: new Date(Date.now() - 9 * DAY) });
    await earn(q, m, 500, "referral", `referral:${m.id}`);
    await collectEventMessages(db.prisma);
    // 23:30 in Moscow (UTC+3): nothing goes out.
    const night = new Date("2030-01-15T20:30:00Z");
    await db.prisma.messageLog.updateMany({
      where: { memberId: m.id },
      data: { sendAfter: new Date("2030-01-15T00:00:00Z") },
    });
    expect((await sendDueMessages(db.prisma, q.shop.id, { now: () => night })).claimed).toBe(0);
    expect(smtp.to("night@example.com")).toHaveLength(0);
    // 09:05 the next morning: it does.
    expect((await sendDueMessages(db.prisma, q.shop.id, { now: () => new Date("2030-01-16T06:05:00Z") })).sent).toBe(2);
  });
});

describe("exactly once", () => {
  it("sends one message per occasion under replays and with two instances sending at once", async () => {
    const p = await program("en");
    // Twelve members with the same occasions at the same moment: each is their own message.
    const members = await Promise.all(Array.from({ length: 12 }, (_, i) => member(p, `once-${i}@example.com`)));
    for (const m of members) {
      await earn(p, m, 500, "referral", `referral:${m.id}`);
      await earn(p, m, 200, "birthday", `birthday:${m.id}`);
    }
    await db.prisma.member.updateMany({
      where: { id: { in: members.map((m) => m.id) } },
      data: { lastActivityAt: new Date(Date.now() - 360 * DAY) },
    });
    // Selection replayed and run by two instances at once.
    await Promise.all([
      collectEventMessages(db.prisma),
      collectEventMessages(db.prisma),
      selectDailyMessages(db.prisma),
    ]);
    await collectEventMessages(db.prisma);
    // Two senders at once, then a third after a "crash" (a lease that ran out is taken again).
    await Promise.all([
      sendDueMessages(db.prisma, p.shop.id, { limit: 5 }),
      sendDueMessages(db.prisma, p.shop.id, { limit: 5 }),
    ]);
    await sendDueMessages(db.prisma, p.shop.id);
    for (const m of members) {
      expect(smtp.to(m.email!).map(kindOf).sort()).toEqual([
        "BIRTHDAY",
        "POINTS_EXPIRING",
        "REFERRAL_CREDITED",
        "REWARD_UNLOCKED",
        "WELCOME",
      ]);
    }
    expect(await db.prisma.messageLog.count({ where: { shopId: p.shop.id, status: { not: "SENT" } } })).toBe(0);
  });
});

describe("win-back", () => {
  it("sends the second touch with a code once Shopify has it, and stops when the customer orders", async () => {
    const p = await program("en");
    const m = await member(p, "dormant@example.com", {
      lastOrderAt: new Date(Date.now() - 70 * DAY),
      enrolledAt: new Date(Date.now() - 100 * DAY),
    });
    const back = await member(p, "returned@example.com", {
      lastOrderAt: new Date(Date.now() - 70 * DAY),
      enrolledAt: new Date(Date.now() - 100 * DAY),
    });
    await runAll(p.shop.id);
    expect(smtp.to("dormant@example.com").map(kindOf)).toEqual(["WIN_BACK"]);
    // The second customer orders again before the second touch.
    await db.prisma.member.update({ where: { id: back.id }, data: { lastOrderAt: new Date() } });

    const later = new Date(Date.now() + 15 * DAY);
    await selectDailyMessages(db.prisma, later);
    await sendDueMessages(db.prisma, p.shop.id, { now: () => later });
    // The code is being created in Shopify: the message waits for it.
    const second = await db.prisma.messageLog.findFirstOrThrow({
      where: { memberId: m.id, occasion: { startsWith: "winback:2:" } },
    });
    expect(second).toMatchObject({ status: "QUEUED", error: "code_pending" });
    const code = await db.prisma.redemption.findFirstOrThrow({ where: { memberId: m.id, rewardId: p.coupon } });
    await db.prisma.redemption.update({ where: { id: code.id }, data: { status: "ISSUED" } });
    await sendDueMessages(db.prisma, p.shop.id, { now: () => new Date(later.getTime() + 2 * 60_000) });
    const mails = smtp.to("dormant@example.com");
    expect(mails).toHaveLength(2);
    expect(mails[1]!.subject).toBe("A little something to come back for");
    expect(plain(mails[1]!.text)).toContain(code.code!);
    expect(await db.prisma.messageLog.findFirstOrThrow({ where: { id: second.id } })).toMatchObject({
      status: "SENT",
      codes: [code.code],
    });
    // The customer who came back gets no second touch.
    expect(smtp.to("returned@example.com")).toHaveLength(1);
  });
});

describe("the preference page (App Proxy, on the store's domain)", () => {
  it("shows the member's choices in their language and saves them; a token for another shop or purpose is refused", async () => {
    const { loader, action } = await import("../../app/routes/proxy.preferences");
    const p = await program("ru");
    const m = await member(p, "prefs@example.com", { locale: "ru", enrolledAt: new Date(Date.now() - 9 * DAY) });
    await earn(p, m, 500, "referral", `referral:${m.id}`);
    await runAll(p.shop.id);
    const mail = smtp.to("prefs@example.com")[0]!;
    const link = /https:\/\/[^\s)"]+\/apps\/comeback\/preferences\?t=([\w.-]+)/.exec(String(mail.text))!;
    const token = link[1]!;
    const url = (shop: string, extra: Record<string, string> = {}) =>
      `https://comeback.test/proxy/preferences?${signProxyQuery({
        shop,
        logged_in_customer_id: "",
        path_prefix: "/apps/comeback",
        timestamp: String(Math.floor(Date.now() / 1000)),
        ...extra,
      })}`;
    const page = await loader({
      request: new Request(url(p.shop.domain, { t: token })),
      params: {},
      context: {},
    } as never);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("Настройки рассылки");
    expect(html).toMatch(/name="notices" value="on" checked/);

    const saved = await action({
      request: new Request(url(p.shop.domain), {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ t: token, marketing: "on" }).toString(),
      }),
      params: {},
      context: {},
    } as never);
    expect(saved.status).toBe(200);
    expect(await saved.text()).toContain("Сохранено");
    expect(await db.prisma.member.findUniqueOrThrow({ where: { id: m.id } })).toMatchObject({
      noticesOptOut: true,
      marketingOptOut: false,
    });

    // Another shop's proxy, or the unsubscribe token in place of the preference one: refused.
    const other = await program("en");
    const foreign = await loader({
      request: new Request(url(other.shop.domain, { t: token })),
      params: {},
      context: {},
    } as never);
    expect(foreign.status).toBe(404);
    const unsub = /\/m\/u\/([\w.-]+)/.exec(mail.headerLines.find((h) => h.key === "list-unsubscribe")!.line)![1]!;
    const wrong = await loader({
      request: new Request(url(p.shop.domain, { t: unsub })),
      params: {},
      context: {},
    } as never);
    expect(wrong.status).toBe(404);
  });
});

describe("recommendations", () => {
  it("recommends Shopify's related products for the last order (best sellers without one), only with marketing consent", async () => {
    const { startAdminStandin } = await import("../../scripts/shopify-standin/admin-api");
    const { STANDIN_PRODUCTS } = await import("../../scripts/shopify-standin/catalog");
    const standin = await startAdminStandin({ accessToken: "offline-token" });
    try {
      const p = await program("en");
      await db.prisma.shop.update({ where: { id: p.shop.id }, data: { adminApiUrl: standin.endpoint(p.shop.domain) } });
      await db.prisma.session.create({
        data: {
          id: `offline_${p.shop.domain}`,
          shop: p.shop.domain,
          state: "s",
          isOnline: false,
          accessToken: "offline-token",
        },
      });
      const [sencha, related, other] = [STANDIN_PRODUCTS[0]!, STANDIN_PRODUCTS[1]!, STANDIN_PRODUCTS[2]!];
      const order = async (email: string, consent: boolean, productId: string, id: bigint) => {
        const m = await member(p, email, { emailConsent: consent, enrolledAt: new Date(Date.now() - 9 * DAY) });
        await db.prisma.order.create({
          data: {
            id,
            shopId: p.shop.id,
            memberId: m.id,
            currency: "USD",
            name: `#${id}`,
            pointsEarned: 50,
            productIds: [productId],
            paidAt: new Date(),
            processedAt: new Date(),
          },
        });
        await earn(p, m, 50, "order", `order:${m.id}`);
      };
      await order("rec-yes@example.com", true, String(sencha.id), 990_001n);
      await order("rec-no@example.com", false, String(sencha.id), 990_002n);
      await order("rec-unknown@example.com", true, "1", 990_003n);
      await runAll(p.shop.id);

      const text = (address: string) => plain(smtp.to(address).find((m) => kindOf(m) === "POINTS_EARNED")?.text);
      expect(text("rec-yes@example.com")).toContain("You might also like:");
      expect(text("rec-yes@example.com")).toContain(related.title);
      expect(text("rec-yes@example.com")).not.toContain(`${sencha.title} (`);
      // Without marketing consent the notice goes, without recommendations.
      expect(text("rec-no@example.com")).toContain("It earned you 50 points");
      expect(text("rec-no@example.com")).not.toContain("You might also like");
      // A product Shopify does not know: the shop's best sellers instead.
      expect(text("rec-unknown@example.com")).toContain(other.title);
      // One Storefront token for the shop, created through the Admin API and kept.
      expect(standin.requests.filter((r) => r.fields.includes("storefrontAccessTokenCreate"))).toHaveLength(1);
      expect((await db.prisma.shop.findUniqueOrThrow({ where: { id: p.shop.id } })).storefrontToken).toMatch(
        /^standin-storefront-/,
      );
    } finally {
      await standin.close();
    }
  });
});

describe("the layout", () => {
  it("shows the shop's logo when it has one, its name otherwise, in the accent colour", async () => {
    const p = await program("en");
    await db.prisma.shopSettings.update({
      where: { shopId: p.shop.id },
      data: { mailLogoUrl: "https://cdn.shopify.com/s/files/tea/logo.png", widget: { accent: "#0b6e4f" } },
    });
    invalidateShopContext({ id: p.shop.id });
    const m = await member(p, "logo@example.com", { enrolledAt: new Date(Date.now() - 9 * DAY) });
    await earn(p, m, 500, "referral", `referral:${m.id}`);
    await runAll(p.shop.id);
    const html = String(smtp.to("logo@example.com")[0]!.html);
    const logo = /<img[^>]*src="https:\/\/cdn\.shopify\.com\/s\/files\/tea\/logo\.png"[^>]*>/.exec(html);
    expect(logo?.[0]).toContain('alt="Tea House"');
    expect(html.toLowerCase()).toContain("#0b6e4f");
  });
});
