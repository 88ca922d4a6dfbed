import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postEntry } from "../../app/services/ledger";
import { startTestApp, type TestApp } from "../support/app";
import { createShop } from "../support/seed";
import { JSON_BODY, proxyUrl } from "../support/shopify";

/**
 * GET/POST /proxy/panel through the production build: the storefront panel's content as
 * HTML in the shopper's language, its actions through the same handlers as the JSON
 * routes, and bad input refused with nothing written.
 */
let app: TestApp;
let shop: Awaited<ReturnType<typeof createShop>>;
const ORIGIN = "https://tea.example";

beforeAll(async () => {
  app = await startTestApp();
  const prisma = app.db.prisma;
  shop = await createShop(prisma, { rules: { SIGNUP: 100, BIRTHDAY: 200, REFERRAL: 500 } });
  await prisma.shopSettings.update({ where: { shopId: shop.id }, data: { languages: ["en", "ru"] } });
  const gold = await prisma.tier.create({
    data: { shopId: shop.id, name: "Gold", names: { ru: "Золото" }, position: 1, threshold: 50000n },
  });
  await prisma.reward.createMany({
    data: [
      {
        shopId: shop.id,
        name: "$5 off",
        names: { ru: "Скидка 5 $" },
        type: "FIXED_AMOUNT",
        pointsCost: 500,
        valueMinor: 500,
        currency: "USD",
      },
      {
        shopId: shop.id,
        name: "15% off",
        type: "PERCENTAGE",
        pointsCost: 400,
        valuePercentBp: 1500,
        tierId: gold.id,
        position: 1,
      },
    ],
  });
  const member = await prisma.member.create({
    data: { shopId: shop.id, customerId: 4242n, referralCode: "VERA4242" },
  });
  await postEntry(prisma, {
    shopId: shop.id,
    memberId: member.id,
    points: 1250,
    kind: "EARN",
    source: "ADMIN",
    reason: { code: "adjustment", params: { note: "seed" } },
    idempotencyKey: "seed:4242",
  });
}, 120_000);

afterAll(async () => {
  await app?.close();
});

const url = (customerId: number | null, extra: Record<string, string> = {}) =>
  proxyUrl(app.server.url, "panel", {
    shop: shop.domain,
    customerId,
    extra: { origin: ORIGIN, path: "/products/tea", ...extra },
  });
const text = (html: string) => html.replace(/\u00a0/g, " ");

describe("GET /proxy/panel", () => {
  it("renders a member's panel in their language, private to them", async () => {
    const response = await fetch(url(4242, { locale: "ru" }));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(response.headers.get("cache-control")).toBe("private, no-store");
    const html = text(await response.text());
    expect(html).toContain('<p class="cb-balance">1 250 баллов</p>');
    expect(html).toContain("<span>Скидка 5 $</span>");
    // Affordable: redeem in place; tier-locked: which tier it needs.
    expect(html).toMatch(
      /data-cb-do="\{&quot;do&quot;:&quot;redeem&quot;,&quot;rewardId&quot;:&quot;[0-9a-f-]{36}&quot;\}">Получить</,
    );
    expect(html).toContain("Для уровня «Золото» и выше");
    // The referral link is on the storefront's origin; the launcher's balance comes along.
    expect(html).toContain(`value="${ORIGIN}/?ref=VERA4242"`);
    expect(html).toContain('data-balance="1 250 баллов"');
  });

  it("invites a guest to join or sign in, in English by default", async () => {
    const html = await (await fetch(url(null))).text();
    expect(html).toContain("Earn points on every order and spend them on rewards.");
    expect(html).toContain('href="/account/login"');
    expect(html).not.toContain("cb-balance");
  });

  it('answers on a long product path, which "Apply to cart" returns to', async () => {
    const path = `/collections/green-tea/products/${"sencha-".repeat(60)}100g`;
    const response = await fetch(url(4242, { path }));
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('class="cb-balance"');
  });

  it("refuses an unsigned request and a malformed query", async () => {
    expect((await fetch(`${app.server.url}/proxy/panel?origin=${ORIGIN}`)).status).toBe(401);
    const noOrigin = await fetch(
      proxyUrl(app.server.url, "panel", {
        shop: shop.domain,
        customerId: 4242,
        extra: { origin: "javascript:alert(1)" },
      }),
    );
    expect(noOrigin.status).toBe(400);
    expect(((await noOrigin.json()) as { message: string }).message).toMatch(/^origin: /);
    expect((await fetch(url(4242, { hide: "everything" }))).status).toBe(400);
  });
});

describe("POST /proxy/panel", () => {
  const post = (payload: unknown, locale = "en") =>
    fetch(url(4242, { locale }), { method: "POST", headers: JSON_BODY, body: JSON.stringify(payload) });
  const birthday = async () =>
    (await app.db.prisma.member.findFirstOrThrow({ where: { shopId: shop.id, customerId: 4242n } })).birthday;

  it("refuses a bad body with 400 and writes nothing", async () => {
    const before = await app.db.prisma.redemption.count();
    expect((await post({ do: "redeem", rewardId: "not-a-uuid" })).status).toBe(400);
    expect((await post({ do: "launch" })).status).toBe(400);
    expect((await post({ do: "birthday", day: 40, month: 2 })).status).toBe(400);
    expect(await app.db.prisma.redemption.count()).toBe(before);
    expect(await birthday()).toBeNull();
  });

  it("saves a birthday once, says why a date is refused, and answers in the shopper's language", async () => {
    const impossible = text(await (await post({ do: "birthday", day: "31", month: "2" }, "ru")).text());
    expect(impossible).toContain('<p class="cb-note" role="status" tabindex="-1" data-focus="">Такой даты нет.</p>');
    expect(await birthday()).toBeNull();

    const saved = text(await (await post({ do: "birthday", day: "15", month: "3", year: "" })).text());
    expect(saved).toMatch(/<p class="cb-note"[^>]*>Saved\. Your gift comes \d+ days before your birthday\.<\/p>/);
    // The form is gone once the birthday is known.
    expect(saved).not.toContain('id="cb-birthday"');
    expect((await birthday())?.toISOString().slice(5, 10)).toBe("03-15");

    const again = text(await (await post({ do: "birthday", day: "1", month: "1" })).text());
    expect(again).toContain("Your birthday is already saved.");
    expect((await birthday())?.toISOString().slice(5, 10)).toBe("03-15");
  });
});
