import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDefaultProgram } from "../../app/services/defaults";
import { recordHistoryBatch } from "../../app/services/history";
import { adminClient, BROWSER_UA, installShop } from "../support/admin";
import { startTestApp, type TestApp } from "../support/app";
import { createMember, createShop } from "../support/seed";

/**
 * The embedded admin's loaders and actions over HTTP, through the production build and
 * Shopify's own authenticate.admin: authentication required, every read and write
 * scoped to the token's shop, and validation errors as field messages with nothing
 * written.
 */

let app: TestApp;
let shopA: { id: string; domain: string };
let shopB: { id: string; domain: string };
let a: ReturnType<typeof adminClient>;
let b: ReturnType<typeof adminClient>;

const PAGES: Array<[path: string, route: string]> = [
  ["/app/program", "routes/app.program"],
  ["/app/settings", "routes/app.settings"],
  ["/app/branding", "routes/app.branding"],
  ["/app/activity", "routes/app.activity"],
  ["/app/setup", "routes/app.setup"],
  ["/app/members", "routes/app.members._index"],
  ["/app", "routes/app._index"],
];

beforeAll(async () => {
  app = await startTestApp();
  for (const name of ["a", "b"]) {
    const shop = await createShop(app.db.prisma, { live: false });
    await app.db.prisma.$transaction((tx) => seedDefaultProgram(tx, shop.id, "USD", name === "a" ? "en" : "ru"));
    await installShop(app.db.prisma, shop.domain);
    if (name === "a") shopA = shop;
    else shopB = shop;
  }
  a = adminClient(app.server.url, shopA.domain);
  b = adminClient(app.server.url, shopB.domain);
});
afterAll(async () => {
  await app?.close();
});

const member = (shopId: string, balance = 0) => createMember(app.db.prisma, shopId, { balance });

describe("admin authentication", () => {
  it("refuses every page without a session token, or with one signed by someone else", async () => {
    const forged = adminClient(app.server.url, shopA.domain, { secret: "attacker-secret" });
    for (const [path, route] of PAGES) {
      const none = await fetch(`${app.server.url}${path}?_data=${route}`, {
        headers: { "User-Agent": BROWSER_UA },
        redirect: "manual",
      });
      expect(none.status, path).not.toBe(200);
      expect((await forged.load(path, route)).status, path).toBe(401);
    }
    const write = await forged.act("/app/program", { intent: "deleteReward", id: randomUUID() });
    expect(write.status).toBe(401);
    expect((await forged.act("/app?index&days=30", {})).status).toBe(401);
    expect(await app.db.prisma.analyticsPeriod.count()).toBe(0);
  });
});

describe("an address no page answers", () => {
  it("is a 404 page for a signed-in merchant, and refused like any page without a session", async () => {
    const page = await a.load("/app/no-such-page", "routes/app.$");
    expect(page.status).toBe(404);
    const html = await fetch(`${app.server.url}/app/no-such-page`, { headers: a.headers() });
    expect(html.status).toBe(404);
    expect(await html.text()).toContain("Page not found");
    const forged = adminClient(app.server.url, shopA.domain, { secret: "attacker-secret" });
    expect((await forged.load("/app/no-such-page", "routes/app.$")).status).toBe(401);
  });
});

describe("admin authentication with an extension's session token", () => {
  // Signed with the app's own secret, but minted for checkout or customer accounts (a
  // bare `dest`): the wrong credential for the admin. It used to crash the library's
  // token handling into a 500.
  it.each(["checkout", "customer-account"] as const)(
    "refuses a %s token on every page and action with 401, writing nothing",
    async (surface) => {
      const extension = adminClient(app.server.url, shopA.domain, { surface, staff: "gid://shopify/Customer/1" });
      for (const [path, route] of PAGES) expect((await extension.load(path, route)).status, path).toBe(401);
      expect((await extension.act("/app/program", { intent: "deleteReward", id: randomUUID() })).status).toBe(401);
      expect(await app.db.prisma.activityLog.count({ where: { shopId: shopA.id } })).toBe(0);
    },
  );
});

describe("program editor", () => {
  it("shows each shop only its own program", async () => {
    const tiers = await a.load("/app/tiers", "routes/app.tiers._index");
    expect(tiers.status).toBe(200);
    type TierData = { tiers: Array<{ name: string }> };
    expect((tiers.data as TierData).tiers.map((t) => t.name)).toEqual(["Bronze", "Silver", "Gold"]);
    // Shop B's program is Russian; its admin user here reads English, so the names that
    // have an English translation show in English.
    const other = (await b.load("/app/tiers?locale=ru", "routes/app.tiers._index")).data as TierData;
    expect(other.tiers.map((t) => t.name)).toEqual(["Бронза", "Серебро", "Золото"]);
    const rewards = (await a.load("/app/rewards", "routes/app.rewards._index")).data as {
      points: Array<{ name: string }>;
    };
    expect(rewards.points.map((r) => r.name)).toEqual(["$5 off", "Free shipping", "10% off your order"]);
  });

  it("answers invalid reward input with every field's error at once and writes nothing", async () => {
    const before = await app.db.prisma.reward.count({ where: { shopId: shopA.id } });
    const response = await a.act("/app/rewards/new", {
      formId: "reward",
      trigger: "POINTS",
      name: "",
      type: "FIXED_AMOUNT",
      pointsCost: "-5",
      value: "abc",
      minOrder: "ten",
    });
    expect(response.status).toBe(422);
    const body = response.data as { errors: Record<string, string>; formId: string };
    expect(body.formId).toBe("reward");
    expect(body.errors).toEqual({
      name: "validation.required",
      pointsCost: "validation.range",
      value: "validation.money",
      minOrder: "validation.money",
    });
    // A ladder code without a deadline, a friend's reward as store credit: refused too.
    const ladder = await a.act("/app/rewards/new", {
      trigger: "ORDER_LADDER",
      ladderOrderCount: "1",
      name: "Thanks",
      type: "PERCENTAGE",
      percent: "10",
    });
    expect((ladder.data as { errors: object }).errors).toEqual({ codeExpiryDays: "validation.required" });
    const friend = await a.act("/app/rewards/new", {
      trigger: "REFERRAL_FRIEND",
      name: "Hi",
      type: "STORE_CREDIT",
      value: "5",
      codeExpiryDays: "30",
    });
    expect((friend.data as { errors: object }).errors).toEqual({ type: "validation.friendStoreCredit" });
    expect(await app.db.prisma.reward.count({ where: { shopId: shopA.id } })).toBe(before);
    expect(await app.db.prisma.activityLog.count({ where: { shopId: shopA.id } })).toBe(0);
  });

  it("creates and edits a reward with its translations, limit and combinations, and logs who changed what", async () => {
    const created = await a.act("/app/rewards/new", {
      trigger: "POINTS",
      name: "$10 off",
      name_ru: "Скидка $10",
      type: "FIXED_AMOUNT",
      pointsCost: "1000",
      value: "10",
      limitPerMember: "2",
      combinesWithProduct: "on",
      enabled: "on",
    });
    expect(created.redirect).toMatch(/^\/app\/rewards\/[0-9a-f-]{36}\?saved=reward$/);
    const id = created.redirect!.split("/").pop()!.split("?")[0]!;
    const reward = await app.db.prisma.reward.findUniqueOrThrow({ where: { id } });
    expect(reward).toMatchObject({
      shopId: shopA.id,
      names: { ru: "Скидка $10" },
      valueMinor: 1000,
      currency: "USD",
      pointsCost: 1000,
      limitPerMember: 2,
      combinesWithOrder: false,
      combinesWithProduct: true,
      combinesWithShipping: false,
      enabled: true,
    });
    const page = await a.load(`/app/rewards/${id}`, "routes/app.rewards.$id");
    expect((page.data as { reward: { limitPerMember: number; combinesWithProduct: boolean } }).reward).toMatchObject({
      limitPerMember: 2,
      combinesWithProduct: true,
    });

    // Saving the editor again (as it posts every field) changes the cost only.
    const edited = await a.act(`/app/rewards/${id}`, {
      formId: "reward",
      trigger: "POINTS",
      name: "$10 off",
      name_ru: "Скидка $10",
      type: "FIXED_AMOUNT",
      pointsCost: "900",
      value: "10",
      limitPerMember: "2",
      combinesWithProduct: "on",
      enabled: "on",
    });
    expect(edited.status).toBe(200);
    expect(await app.db.prisma.reward.findUniqueOrThrow({ where: { id } })).toMatchObject({
      pointsCost: 900,
      limitPerMember: 2,
      combinesWithProduct: true,
    });
    const log = await app.db.prisma.activityLog.findMany({ where: { shopId: shopA.id }, orderBy: { id: "asc" } });
    expect(log.map((l) => [l.actor, l.action, l.subject])).toEqual([
      ["staff:1", "reward.created", "$10 off"],
      ["staff:1", "reward.updated", "$10 off"],
    ]);
    expect(log[1]!.details).toEqual({ pointsCost: [1000, 900] });
  });

  it("never lets one shop change or delete another shop's reward, tier or campaign", async () => {
    const theirs = await app.db.prisma.reward.findFirstOrThrow({ where: { shopId: shopB.id } });
    const tier = await app.db.prisma.tier.findFirstOrThrow({ where: { shopId: shopB.id } });
    const attempts: Array<[string, Record<string, string>]> = [
      [`/app/rewards/${theirs.id}`, { intent: "deleteReward", id: theirs.id }],
      [`/app/rewards/${theirs.id}`, { trigger: "POINTS", name: "Hijacked", type: "FREE_SHIPPING", pointsCost: "1" }],
      ["/app/rewards", { intent: "deleteReward", id: theirs.id }],
      [`/app/tiers/${tier.id}`, { intent: "deleteTier", id: tier.id }],
      [`/app/tiers/${tier.id}`, { name: "Hijacked", threshold: "1", multiplier: "1" }],
    ];
    for (const [path, fields] of attempts) {
      const response = await a.act(path, fields);
      expect(response.status, `${path} ${JSON.stringify(response.data)}`).toBe(404);
    }
    expect((await a.load(`/app/rewards/${theirs.id}`, "routes/app.rewards.$id")).status).toBe(404);
    expect(await app.db.prisma.reward.findUniqueOrThrow({ where: { id: theirs.id } })).toMatchObject({
      name: theirs.name,
      pointsCost: theirs.pointsCost,
    });
    expect((await app.db.prisma.tier.findUniqueOrThrow({ where: { id: tier.id } })).name).toBe(tier.name);
  });

  it("keeps tiers ordered by threshold, refuses duplicates, and queues a re-evaluation with progress", async () => {
    const platinum = await a.act("/app/tiers/new", {
      name: "Platinum",
      name_ru: "Платина",
      threshold: "500",
      multiplier: "1.75",
    });
    expect(platinum.redirect, JSON.stringify(platinum.data)).toMatch(/^\/app\/tiers\/[0-9a-f-]{36}\?saved=tier$/);
    const tiers = await app.db.prisma.tier.findMany({ where: { shopId: shopA.id }, orderBy: { position: "asc" } });
    expect(tiers.map((t) => [t.name, t.position, t.threshold])).toEqual([
      ["Bronze", 0, 0n],
      ["Silver", 1, 30_000n],
      ["Platinum", 2, 50_000n],
      ["Gold", 3, 100_000n],
    ]);
    const duplicate = await a.act("/app/tiers/new", { name: "gold", threshold: "700", multiplier: "2" });
    expect(duplicate.status).toBe(422);
    expect((duplicate.data as { errors: object }).errors).toEqual({ name: "validation.tierNameTaken" });
    // The edit asked for the members to be evaluated again; the tiers page shows it queued.
    const page = (await a.load("/app/tiers", "routes/app.tiers._index")).data as {
      progress: { status: string } | null;
    };
    expect(page.progress).toMatchObject({ status: "RUNNING" });
  });

  it("asks for every tier's threshold again when the tier metric changes", async () => {
    const tiers = await app.db.prisma.tier.findMany({ where: { shopId: shopA.id }, orderBy: { position: "asc" } });
    const settings = { tierMetric: "ORDERS", tierWindow: "LIFETIME", tierGraceDays: "30" };
    const missing = await a.act("/app/tiers", settings);
    expect(missing.status).toBe(422);
    expect(Object.keys((missing.data as { errors: object }).errors).sort()).toEqual(
      tiers.map((t) => `threshold_${t.id}`).sort(),
    );
    expect((await app.db.prisma.shopSettings.findUniqueOrThrow({ where: { shopId: shopA.id } })).tierMetric).toBe(
      "SPEND",
    );
    const thresholds = Object.fromEntries(tiers.map((t, i) => [`threshold_${t.id}`, String(i * 3)]));
    const ok = await a.act("/app/tiers", { ...settings, ...thresholds });
    expect(ok.status).toBe(200);
    const after = await app.db.prisma.tier.findMany({ where: { shopId: shopA.id }, orderBy: { position: "asc" } });
    expect(after.map((t) => [t.name, t.threshold])).toEqual(tiers.map((t, i) => [t.name, BigInt(i * 3)]));
    // Back to spend for the tests below.
    await a.act("/app/tiers", {
      tierMetric: "SPEND",
      tierWindow: "LIFETIME",
      tierGraceDays: "30",
      ...Object.fromEntries(tiers.map((t) => [`threshold_${t.id}`, (Number(t.threshold) / 100).toFixed(2)])),
    });
  });

  it("saves earning rules and the points' name in every language, with a diff in the log", async () => {
    const form = {
      intent: "earning",
      earnPoints: "2",
      earnSpend: "1",
      availabilityDelayDays: "14",
      expiryInactivityDays: "",
      pendingWindowDays: "30",
      negativeBalancePolicy: "CLAMP_TO_ZERO",
      autoEnroll: "on",
      rule_REVIEW: "75",
      pointsName_en_one: "star",
      pointsName_en_other: "stars",
      pointsName_ru_one: "звезда",
      pointsName_ru_few: "звезды",
      pointsName_ru_many: "звёзд",
    };
    const bad = await a.act("/app/program", { ...form, earnPoints: "0", pointsName_ru_few: "" });
    expect(bad.status).toBe(422);
    expect((bad.data as { errors: object }).errors).toEqual({
      earnPoints: "validation.range",
      pointsName_ru_few: "validation.required",
    });
    const good = await a.act("/app/program", form);
    expect(good.status).toBe(200);
    const settings = await app.db.prisma.shopSettings.findUniqueOrThrow({ where: { shopId: shopA.id } });
    expect(settings).toMatchObject({
      earnPoints: 2,
      earnSpendMinor: 100,
      availabilityDelayDays: 14,
      expiryInactivityDays: null,
      negativeBalancePolicy: "CLAMP_TO_ZERO",
      pointsName: {
        en: { one: "star", other: "stars" },
        ru: { one: "звезда", few: "звезды", many: "звёзд", other: "звезды" },
      },
      allowTestOrders: false,
    });
    // Left unticked, the form asks to credit reviews of products the customer did not buy.
    expect(settings.reviewsRequirePurchase).toBe(false);
    const log = await app.db.prisma.activityLog.findFirstOrThrow({
      where: { shopId: shopA.id, action: "program.updated" },
    });
    expect(log.details).toMatchObject({ earnPoints: [1, 2], rule_REVIEW: [50, 75], expiryInactivityDays: [365, null] });
  });

  it("sets up birthdays, social follows and the order ladder, refusing what would not work", async () => {
    const noGifts = await a.act("/app/program", {
      intent: "birthday",
      birthdayGift: "CHOICE",
      birthdayLeadDays: "7",
      rule_BIRTHDAY: "0",
    });
    expect((noGifts.data as { errors: object }).errors).toEqual({ birthdayGift: "validation.birthdayGifts" });
    const birthday = await a.act("/app/program", {
      intent: "birthday",
      birthdayGift: "POINTS",
      birthdayLeadDays: "3",
      rule_BIRTHDAY: "250",
    });
    expect(birthday.status).toBe(200);
    const social = await a.act("/app/program", {
      intent: "social",
      social_instagram_url: "instagram.com/comeback.tea",
      social_instagram_points: "20",
      social_vk_url: "https://evil.example/vk",
      social_vk_points: "20",
    });
    expect((social.data as { errors: object }).errors).toEqual({ social_vk_url: "validation.profileUrl" });
    const socialOk = await a.act("/app/program", {
      intent: "social",
      social_instagram_url: "instagram.com/comeback.tea",
      social_instagram_points: "20",
      social_telegram_url: "t.me/comeback_tea",
      social_telegram_points: "15",
    });
    expect(socialOk.status).toBe(200);
    const rules = await app.db.prisma.earningRule.findMany({
      where: { shopId: shopA.id, action: { in: ["SOCIAL_FOLLOW", "BIRTHDAY"] } },
      orderBy: { key: "asc" },
    });
    expect(rules.map((r) => [r.action, r.key, r.points, r.config])).toEqual([
      ["BIRTHDAY", "", 250, {}],
      ["SOCIAL_FOLLOW", "instagram", 20, { url: "https://instagram.com/comeback.tea" }],
      ["SOCIAL_FOLLOW", "telegram", 15, { url: "https://t.me/comeback_tea" }],
    ]);
    // Dropping a network's link removes its rule: nothing offers it any more.
    await a.act("/app/program", {
      intent: "social",
      social_telegram_url: "t.me/comeback_tea",
      social_telegram_points: "15",
    });
    expect(await app.db.prisma.earningRule.count({ where: { shopId: shopA.id, action: "SOCIAL_FOLLOW" } })).toBe(1);

    const step = await a.act("/app/rewards/new", {
      trigger: "ORDER_LADDER",
      ladderOrderCount: "1",
      name: "Thank you: 10% off",
      type: "PERCENTAGE",
      percent: "10",
      codeExpiryDays: "30",
      enabled: "on",
    });
    expect(step.redirect).toMatch(/saved=reward$/);
    const gold = await app.db.prisma.tier.findFirstOrThrow({ where: { shopId: shopA.id, name: "Gold" } });
    expect(
      (await a.act("/app/rewards", { intent: "ladderTier", ladderVipTierId: gold.id, ladderVipOrders: "3" })).status,
    ).toBe(200);
    const ladder = (await a.load("/app/rewards", "routes/app.rewards._index")).data as {
      ladder: Array<{ name: string; ladderOrderCount: number }>;
      ladderVip: { tierId: string; orders: number };
    };
    expect(ladder.ladder).toEqual([expect.objectContaining({ name: "Thank you: 10% off", ladderOrderCount: 1 })]);
    expect(ladder.ladderVip).toEqual({ tierId: gold.id, orders: 3 });
  });

  it("connects a review app with its webhook URL and never shows or logs the secret", async () => {
    const short = await a.act("/app/program", {
      intent: "reviewProvider",
      provider: "judgeme",
      secret: "short",
      enabled: "on",
    });
    expect((short.data as { errors: object }).errors).toEqual({ secret: "validation.secretShort" });
    const ok = await a.act("/app/program", {
      intent: "reviewProvider",
      provider: "yotpo",
      secret: "yotpo-token-123456",
      enabled: "on",
    });
    expect(ok.status).toBe(200);
    const page = (await a.load("/app/program", "routes/app.program")).data as {
      providers: Array<{ provider: string; url: string }>;
    };
    expect(page.providers).toEqual([
      expect.objectContaining({
        provider: "yotpo",
        url: `https://comeback.test/webhooks/reviews/yotpo?shop=${shopA.domain}&token=yotpo-token-123456`,
      }),
    ]);
    const log = await app.db.prisma.activityLog.findFirstOrThrow({
      where: { shopId: shopA.id, action: "reviews.connected" },
    });
    expect(JSON.stringify(log.details)).not.toContain("yotpo-token-123456");
  });

  it("saves a campaign on chosen products and collections over whole local days", async () => {
    const bad = await a.act("/app/campaigns/new", {
      name: "Tea week",
      multiplier: "2",
      startsAt: "2026-12-10",
      endsAt: "2026-12-01",
      productIds: "gid://shopify/Order/1",
    });
    expect((bad.data as { errors: object }).errors).toEqual({
      endsAt: "validation.endBeforeStart",
      productIds: "validation.invalid",
    });
    const created = await a.act("/app/campaigns/new", {
      name: "Tea week",
      name_ru: "Неделя чая",
      multiplier: "2",
      startsAt: "2026-12-01",
      endsAt: "2026-12-07",
      productIds: "gid://shopify/Product/632910392",
      collectionIds: "gid://shopify/Collection/5001",
    });
    expect(created.redirect).toMatch(/^\/app\/campaigns\/[0-9a-f-]{36}\?saved=campaign$/);
    const campaign = await app.db.prisma.campaign.findFirstOrThrow({ where: { shopId: shopA.id, name: "Tea week" } });
    expect(campaign).toMatchObject({
      names: { ru: "Неделя чая" },
      multiplierBp: 20_000,
      productIds: ["632910392"],
      collectionIds: ["5001"],
      collectionProductIds: [],
      startsAt: new Date("2026-12-01T00:00:00Z"),
      endsAt: new Date("2026-12-08T00:00:00Z"),
    });
  });
});

describe("member list", () => {
  it("lists only the shop's members, searches them, and pages with a cursor", async () => {
    const mine = await member(shopA.id, 4321);
    const theirs = await member(shopB.id, 9999);
    type ListData = { members: Array<{ id: string; balance: number }>; nextCursor: string | null };
    const page = await a.load("/app/members?sort=balance", "routes/app.members._index");
    expect(page.status).toBe(200);
    const data = page.data as ListData;
    expect(data.members.map((m) => m.id)).toContain(mine.id);
    expect(data.members.map((m) => m.id)).not.toContain(theirs.id);
    expect(data.members[0]!.balance).toBeGreaterThanOrEqual(data.members.at(-1)!.balance);
    // Searching for another shop's member by email finds nothing.
    const search = await a.load(`/app/members?q=${encodeURIComponent(theirs.email!)}`, "routes/app.members._index");
    expect((search.data as ListData).members).toEqual([]);
    // A malformed URL is read with defaults, never an error page.
    expect((await a.load("/app/members?sort=x&dormant=abc&cursor=%%%", "routes/app.members._index")).status).toBe(200);
  });

  it("names tiers in the admin's language, as the member page does", async () => {
    const tier = await app.db.prisma.tier.findFirstOrThrow({
      where: { shopId: shopA.id },
      orderBy: { position: "asc" },
    });
    const russian = (tier.names as Record<string, string>).ru!;
    expect(russian).toBeTruthy();
    const m = await member(shopA.id);
    await app.db.prisma.member.update({ where: { id: m.id }, data: { tierId: tier.id } });
    type ListData = { members: Array<{ id: string; tier: string | null }>; tiers: Array<{ name: string }> };
    const ru = (await a.load(`/app/members?locale=ru&q=${encodeURIComponent(m.email!)}`, "routes/app.members._index"))
      .data as ListData;
    expect(ru.members).toEqual([expect.objectContaining({ id: m.id, tier: russian })]);
    expect(ru.tiers.map((t) => t.name)).toContain(russian);
    const en = (await a.load(`/app/members?locale=en&q=${encodeURIComponent(m.email!)}`, "routes/app.members._index"))
      .data as ListData;
    expect(en.members[0]!.tier).toBe(tier.name);
  });

  // Cursors that pass a loose check but would fail PostgreSQL's query (a 500 before).
  it.each([
    ["a join date past PostgreSQL's range", "recent", { v: "+275760-09-13T00:00:00.000Z", id: randomUUID() }],
    ["a last-order date before year 1", "lastOrder", { v: "-000100-01-01T00:00:00.000Z", id: randomUUID() }],
    ["a balance past a 32-bit integer", "balance", { v: 2 ** 40, id: randomUUID() }],
  ])("reads a cursor holding %s as the first page", async (_name, sort, cursor) => {
    const encoded = Buffer.from(JSON.stringify(cursor)).toString("base64url");
    const page = await a.load(`/app/members?sort=${sort}&cursor=${encoded}`, "routes/app.members._index");
    expect(page.status).toBe(200);
  });
});

describe("activity log", () => {
  it("reads a cursor beyond PostgreSQL's bigint as the first page", async () => {
    for (const before of ["99999999999999999999", "9223372036854775808", "-1"]) {
      expect((await a.load(`/app/activity?before=${before}`, "routes/app.activity")).status, before).toBe(200);
    }
  });
});

describe("member page", () => {
  it("shows a member of the shop, and 404 for another shop's member", async () => {
    const mine = await member(shopA.id, 300);
    const theirs = await member(shopB.id, 300);
    const ok = await a.load(`/app/members/${mine.id}`, "routes/app.members.$id");
    expect(ok.status).toBe(200);
    expect((ok.data as { member: { balance: number } }).member.balance).toBe(300);
    expect((await a.load(`/app/members/${theirs.id}`, "routes/app.members.$id")).status).toBe(404);
    expect((await a.load(`/app/members/not-a-uuid`, "routes/app.members.$id")).status).toBe(404);
    // Writing to another shop's member is refused too, and writes nothing.
    const write = await a.act(`/app/members/${theirs.id}`, {
      intent: "adjust",
      points: "1000",
      reason: "steal",
      requestId: randomUUID(),
    });
    expect(write.status).toBe(404);
    expect((await app.db.prisma.member.findUniqueOrThrow({ where: { id: theirs.id } })).balance).toBe(300);
  });

  it("adjusts points with a required reason, once per form, never below zero, and audits it", async () => {
    const m = await member(shopA.id, 100);
    const path = `/app/members/${m.id}`;
    const noReason = await a.act(path, { intent: "adjust", points: "50", reason: " ", requestId: randomUUID() });
    expect(noReason.status).toBe(422);
    expect((noReason.data as { errors: object }).errors).toEqual({ reason: "validation.reasonRequired" });
    const tooMuch = await a.act(path, {
      intent: "adjust",
      points: "-101",
      reason: "bad experience",
      requestId: randomUUID(),
    });
    expect((tooMuch.data as { errors: object }).errors).toEqual({ points: "validation.belowZero" });
    expect(await app.db.prisma.ledgerEntry.count({ where: { memberId: m.id } })).toBe(1);

    const requestId = randomUUID();
    for (let i = 0; i < 2; i++) {
      const response = await a.act(path, {
        intent: "adjust",
        points: "250",
        reason: "Sorry for the late delivery",
        requestId,
      });
      expect(response.status).toBe(200);
    }
    const entries = await app.db.prisma.ledgerEntry.findMany({ where: { memberId: m.id, kind: "ADJUST" } });
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      points: 250,
      source: "ADMIN",
      reason: "Sorry for the late delivery",
      actor: "staff:1",
    });
    expect((await app.db.prisma.member.findUniqueOrThrow({ where: { id: m.id } })).balance).toBe(350);
    const audit = await app.db.prisma.activityLog.findMany({
      where: { shopId: shopA.id, action: "member.adjusted", subject: m.id },
    });
    expect(audit).toHaveLength(1);
  });

  it("overrides the tier with a reason and an end date, scoped to the shop's tiers", async () => {
    const m = await member(shopA.id);
    const gold = await app.db.prisma.tier.findFirstOrThrow({ where: { shopId: shopA.id, name: "Gold" } });
    const foreign = await app.db.prisma.tier.findFirstOrThrow({ where: { shopId: shopB.id } });
    const path = `/app/members/${m.id}`;
    const wrongTier = await a.act(path, { intent: "override", tierId: foreign.id, reason: "VIP", until: "" });
    expect((wrongTier.data as { errors: object }).errors).toEqual({ tierId: "validation.invalid" });
    const until = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    const ok = await a.act(path, { intent: "override", tierId: gold.id, reason: "Wholesale partner", until });
    expect(ok.status).toBe(200);
    const updated = await app.db.prisma.member.findUniqueOrThrow({ where: { id: m.id } });
    expect(updated).toMatchObject({ tierId: gold.id, tierOverride: true });
    expect(updated.tierOverrideUntil?.toISOString().slice(0, 10)).toBe(until);
    const event = await app.db.prisma.tierEvent.findFirstOrThrow({ where: { memberId: m.id } });
    expect(event.cause).toBe("override: Wholesale partner");
  });
});

describe("settings, setup and activity", () => {
  it("validates the languages shoppers see and keeps them per shop", async () => {
    const form = { intent: "languages", defaultLanguage: "ru", lang_ru: "on" };
    const bad = await b.act("/app/settings", { ...form, defaultLanguage: "en", lang_ru: "" });
    expect(bad.status).toBe(422);
    expect((bad.data as { errors: object }).errors).toEqual({ lang_en: "validation.oneLanguage" });
    const notShown = await b.act("/app/settings", { ...form, defaultLanguage: "en" });
    expect((notShown.data as { errors: object }).errors).toEqual({ defaultLanguage: "validation.defaultLanguage" });
    expect((await app.db.prisma.shopSettings.findUniqueOrThrow({ where: { shopId: shopB.id } })).languages).toEqual([
      "en",
      "ru",
    ]);
    const ok = await b.act("/app/settings", form);
    expect(ok.status).toBe(200);
    expect(await app.db.prisma.shopSettings.findUniqueOrThrow({ where: { shopId: shopB.id } })).toMatchObject({
      languages: ["ru"],
      defaultLanguage: "ru",
    });
    expect((await app.db.prisma.shopSettings.findUniqueOrThrow({ where: { shopId: shopA.id } })).languages).toEqual([
      "en",
      "ru",
    ]);
  });

  it("launches the program from setup, then pauses it from settings", async () => {
    const bad = await b.act("/app/setup", { earnPoints: "1", earnSpend: "-1", expiryInactivityDays: "365" });
    expect(bad.status).toBe(422);
    expect((await app.db.prisma.shop.findUniqueOrThrow({ where: { id: shopB.id } })).programStatus).toBe("DRAFT");
    const launched = await b.act("/app/setup", { earnPoints: "1", earnSpend: "1", expiryInactivityDays: "365" });
    expect(launched.redirect).toBe("/app?launched=1");
    expect(await app.db.prisma.shop.findUniqueOrThrow({ where: { id: shopB.id } })).toMatchObject({
      programStatus: "LIVE",
      setupCompleted: true,
    });
    await b.act("/app/settings", { intent: "status", status: "PAUSED" });
    expect((await app.db.prisma.shop.findUniqueOrThrow({ where: { id: shopB.id } })).programStatus).toBe("PAUSED");
    const actions = (
      await app.db.prisma.activityLog.findMany({ where: { shopId: shopB.id }, orderBy: { id: "asc" } })
    ).map((l) => l.action);
    expect(actions).toEqual(["settings.updated", "program.setup", "program.launched", "program.paused"]);
    // The setup offered the order ladder; left unticked, none was added.
    expect(await app.db.prisma.reward.count({ where: { shopId: shopB.id, trigger: "ORDER_LADDER" } })).toBe(0);
  });

  it("sends a shop to the guided setup until it is done, then shows its own dashboard", async () => {
    // Shop A never ran the setup.
    const first = await fetch(`${app.server.url}/app.data?_routes=routes/app._index`, {
      headers: a.headers(),
      redirect: "manual",
    });
    expect(await first.text()).toContain("/app/setup");
    expect(await app.db.prisma.shop.update({ where: { id: shopA.id }, data: { setupCompleted: true } })).toBeTruthy();
    // Shop B (launched above) has members; shop A's dashboard must not count them.
    await member(shopB.id, 700);
    type Dash = { current: { members: number; pointsIssued: number }; daily: unknown[]; liability: string | null };
    const mine = (await a.load("/app?days=7", "routes/app._index")).data as Dash;
    const theirs = (await b.load("/app?days=7", "routes/app._index")).data as Dash;
    const count = async (shopId: string) => app.db.prisma.member.count({ where: { shopId } });
    expect(mine.current.members).toBe(await count(shopA.id));
    expect(theirs.current.members).toBe(await count(shopB.id));
    expect(theirs.current.pointsIssued).toBe(
      (
        await app.db.prisma.ledgerEntry.aggregate({
          where: { shopId: shopB.id, points: { gt: 0 } },
          _sum: { points: true },
        })
      )._sum.points,
    );
    // Today and the six days before it.
    expect(theirs.daily).toHaveLength(7);
    // Today is live: a member who joins now counts at once, with the closed days as rolled up.
    await member(shopB.id, 50);
    const now = (await b.load("/app?days=7", "routes/app._index")).data as Dash & { computedAt: string };
    expect(now.current.members).toBe(theirs.current.members + 1);
    expect(now.current.pointsIssued).toBe(theirs.current.pointsIssued + 50);
    // "Refresh now" rolls the closed days up again.
    expect((await b.act("/app?index&days=7", {})).status).toBe(200);
    const refreshed = (await b.load("/app?days=7", "routes/app._index")).data as { computedAt: string };
    expect(Date.parse(refreshed.computedAt)).toBeGreaterThan(Date.parse(now.computedAt));
  });

  it("lists only the shop's own activity, newest first", async () => {
    const data = (await b.load("/app/activity", "routes/app.activity")).data as { entries: Array<{ action: string }> };
    expect(data.entries.map((e) => e.action)).toEqual([
      "program.paused",
      "program.launched",
      "program.setup",
      "settings.updated",
    ]);
  });
});

describe("messages", () => {
  it("saves a kind's switch and timing, refuses bad days and another shop's reward as a coupon, writing nothing then", async () => {
    const bad = await a.act("/app/messages", {
      intent: "kind",
      formId: "kind-POINTS_EXPIRING",
      kind: "POINTS_EXPIRING",
      enabled: "on",
      days: "30, soon, 900",
    });
    expect(bad.status).toBe(422);
    expect((bad.data as { errors: object }).errors).toEqual({ days: "validation.daysList" });
    const foreign = await app.db.prisma.reward.findFirstOrThrow({ where: { shopId: shopB.id } });
    const coupon = await a.act("/app/messages", {
      intent: "kind",
      kind: "WIN_BACK",
      enabled: "on",
      afterDays: "3",
      thenDays: "14",
      couponRewardId: foreign.id,
    });
    expect((coupon.data as { errors: object }).errors).toEqual({
      afterDays: "validation.range",
      couponRewardId: "validation.invalid",
    });
    expect(await app.db.prisma.messageSetting.count({ where: { shopId: shopA.id } })).toBe(0);

    const good = await a.act("/app/messages", { intent: "kind", kind: "POINTS_EXPIRING", days: "7, 30, 14" });
    expect(good.status).toBe(200);
    expect(
      await app.db.prisma.messageSetting.findUniqueOrThrow({
        where: { shopId_kind: { shopId: shopA.id, kind: "POINTS_EXPIRING" } },
      }),
    ).toMatchObject({ enabled: false, timing: expect.objectContaining({ days: [30, 14, 7] }) });
    const unknown = await a.act("/app/messages", { intent: "kind", kind: "SPAM" });
    expect(unknown.status).toBe(404);
  });

  it("validates the sender's Reply-To and sending hours", async () => {
    const bad = await a.act("/app/messages", {
      intent: "mail",
      formId: "mail",
      mailSenderName: "Tea",
      mailReplyTo: "not an address",
      mailLogoUrl: "http://tea.example/logo.png",
      quietHoursEnd: "9",
      quietHoursStart: "25",
    });
    expect((bad.data as { errors: object }).errors).toEqual({
      mailReplyTo: "validation.email",
      mailLogoUrl: "validation.httpsUrl",
      quietHoursStart: "validation.range",
    });
    const good = await a.act("/app/messages", {
      intent: "mail",
      mailSenderName: "Tea",
      mailReplyTo: "hello@tea.example",
      mailLogoUrl: "https://cdn.shopify.com/s/files/tea/logo.png",
      quietHoursEnd: "8",
      quietHoursStart: "21",
      noticesNeedConsent: "on",
    });
    expect(good.status).toBe(200);
    expect(await app.db.prisma.shopSettings.findUniqueOrThrow({ where: { shopId: shopA.id } })).toMatchObject({
      mailSenderName: "Tea",
      mailReplyTo: "hello@tea.example",
      mailLogoUrl: "https://cdn.shopify.com/s/files/tea/logo.png",
      quietHoursEnd: 8,
      quietHoursStart: 21,
      noticesNeedConsent: true,
    });
  });

  it("refuses a template that does not parse, with its line, and saves one that does", async () => {
    const bad = await a.act("/app/messages/WELCOME", {
      intent: "save",
      subject_en: "Hi {{ customer.first_name",
      body_en: "<p>ok</p>\n{% for x in affordable %}",
    });
    expect(bad.status).toBe(422);
    const problems = (bad.data as { problems: Record<string, string> }).problems;
    expect(problems.subject_en).toMatch(/line 1/);
    expect(problems.body_en).toBeUndefined(); // the first problem of each language is reported
    expect(await app.db.prisma.messageTemplate.count({ where: { shopId: shopA.id } })).toBe(0);
    const good = await a.act("/app/messages/WELCOME", {
      intent: "save",
      subject_en: "Welcome, {{ customer.first_name }}",
      body_en: "<p>{{ balance | points }}</p>",
    });
    expect(good.status).toBe(200);
    expect(await app.db.prisma.messageTemplate.count({ where: { shopId: shopA.id, kind: "WELCOME" } })).toBe(1);
  });
});

describe("points for past orders", () => {
  it("are previewed and granted only as previewed, in the merchant's own shop", async () => {
    const anna = await member(shopA.id);
    const history = await app.db.prisma.historyImport.create({
      data: { shopId: shopA.id, months: 24, since: new Date("2025-01-01"), status: "READING", actor: "staff:1" },
    });
    const at = new Date("2026-02-01T10:00:00Z");
    await recordHistoryBatch(
      app.db.prisma,
      history.id,
      shopA.id,
      [
        {
          id: 880001n,
          name: "#880001",
          email: null,
          customerId: anna.customerId,
          currency: "USD",
          totalMinor: 25_000n,
          processedAt: at,
          paidAt: at,
          cancelledAt: null,
          productIds: [],
        },
      ],
      1,
    );
    const preview = await a.act("/app/imports/past-points", { intent: "preview" });
    expect(preview.status).toBe(200);
    const { preview: shown } = preview.data as { preview: { points: number; orders: number } };
    expect(shown.orders).toBe(1);
    expect(shown.points).toBeGreaterThan(0);
    // The other shop sees none of it.
    const other = (await b.act("/app/imports/past-points", { intent: "preview" })).data as {
      preview: { orders: number };
    };
    expect(other.preview.orders).toBe(0);

    expect((await a.act("/app/imports/past-points", { intent: "grant" })).status).toBe(400);
    expect((await a.act("/app/imports/past-points", { intent: "nonsense" })).status).toBe(400);
    const moved = await a.act("/app/imports/past-points", {
      intent: "grant",
      expectedPoints: String(shown.points + 1),
    });
    expect(moved.status).toBe(409);
    expect(await app.db.prisma.jobProgress.count({ where: { shopId: shopA.id, kind: "history.pastPoints" } })).toBe(0);

    const granted = await a.act("/app/imports/past-points", { intent: "grant", expectedPoints: String(shown.points) });
    expect(granted.status).toBe(200);
    const page = await a.load<{ pastPoints: { status: string; total: number } }>(
      "/app/imports",
      "routes/app.imports._index",
    );
    expect(page.data.pastPoints).toMatchObject({ status: "RUNNING", total: 1 });
  });
});
