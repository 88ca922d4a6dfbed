import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, webhooksApplied, type TestApp } from "../support/app";
import type { TestDatabase } from "../support/database";
import type { RunningServer } from "../support/server";
import { postWebhook, webhookHeaders } from "../support/shopify";
import { createShop } from "../support/seed";
import { customerPayload, emailConsentPayload, orderPayload, refundPayload } from "../fixtures/shopify-payloads";

let app: TestApp;
let db: TestDatabase;
let server: RunningServer;

beforeAll(async () => {
  app = await startTestApp();
  db = app.db;
  server = app.server;
});

afterAll(async () => {
  await app?.close();
});

function send(shop: string, topic: string, payload: unknown, webhookId: string = randomUUID()) {
  return postWebhook(server.url, { topic, shop, body: JSON.stringify(payload), webhookId });
}

function shuffle<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let state = seed;
  for (let i = out.length - 1; i > 0; i--) {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

async function ledgerOf(memberId: string) {
  return db.prisma.ledgerEntry.findMany({ where: { memberId }, orderBy: { idempotencyKey: "asc" } });
}

describe("orders/paid", () => {
  it("enrolls the customer and credits points, with the cached balance equal to the ledger", async () => {
    const shop = await createShop(db.prisma, { rules: { FIRST_ORDER: 50 } });
    const response = await send(
      shop.domain,
      "orders/paid",
      orderPayload({ id: 1001, customer: { id: 501 }, lines: [{ price: "120.00", discount: "20.00" }] }),
    );
    expect(response.status).toBe(200);
    const member = await db.prisma.member.findUniqueOrThrow({
      where: { shopId_customerId: { shopId: shop.id, customerId: 501n } },
    });
    expect(member.balance).toBe(150); // 100 for $100 + 50 first-order bonus
    const entries = await ledgerOf(member.id);
    expect(entries.map((e) => [e.idempotencyKey, e.points])).toEqual([
      ["order:1001:earn", 100],
      ["order:1001:first-order", 50],
    ]);
  });

  it("earns nothing while the program is a draft, but records the order", async () => {
    const shop = await createShop(db.prisma, { live: false });
    const response = await send(
      shop.domain,
      "orders/paid",
      orderPayload({ id: 1002, customer: { id: 502 }, lines: [{ price: "50.00" }] }),
    );
    expect(response.status).toBe(200);
    expect(await db.prisma.ledgerEntry.count({ where: { shopId: shop.id } })).toBe(0);
    expect(await db.prisma.order.count({ where: { shopId: shop.id } })).toBe(1);
  });
});

describe("VIP tiers", () => {
  it("orders take a member up the tiers at once, and the multiplier applies from the next order", async () => {
    const shop = await createShop(db.prisma);
    await db.prisma.tier.createMany({
      data: [
        { shopId: shop.id, name: "Silver", position: 0, threshold: 10000n, multiplierBp: 15000 },
        { shopId: shop.id, name: "Gold", position: 1, threshold: 30000n, multiplierBp: 20000 },
      ],
    });
    const tierOf = async () =>
      (await db.prisma.member.findFirstOrThrow({ where: { shopId: shop.id }, include: { tier: true } })).tier?.name ??
      null;
    await send(
      shop.domain,
      "orders/paid",
      orderPayload({ id: 1101, customer: { id: 511 }, lines: [{ price: "99.99" }] }),
    );
    expect(await tierOf()).toBeNull();
    // Crossing exactly the threshold ($100.00 in total) upgrades in the same delivery.
    await send(
      shop.domain,
      "orders/paid",
      orderPayload({ id: 1102, customer: { id: 511 }, lines: [{ price: "0.01" }] }),
    );
    expect(await tierOf()).toBe("Silver");
    // This order earns at Silver's 1.5x, and carries the member to Gold.
    await send(
      shop.domain,
      "orders/paid",
      orderPayload({ id: 1103, customer: { id: 511 }, lines: [{ price: "200.00" }] }),
    );
    expect(await tierOf()).toBe("Gold");
    await send(
      shop.domain,
      "orders/paid",
      orderPayload({ id: 1104, customer: { id: 511 }, lines: [{ price: "10.00" }] }),
    );
    const earned = await db.prisma.ledgerEntry.findMany({
      where: { shopId: shop.id, source: "ORDER" },
      orderBy: { idempotencyKey: "asc" },
    });
    expect(earned.map((e) => [e.idempotencyKey, e.points])).toEqual(
      [
        ["order:1101:earn", 99],
        ["order:1102:earn", 0],
        ["order:1103:earn", 300],
        ["order:1104:earn", 20],
      ].filter(([, points]) => points !== 0),
    );
    const events = await db.prisma.tierEvent.findMany({ where: { shopId: shop.id }, orderBy: { id: "asc" } });
    expect(events.map((e) => e.cause)).toEqual(["order #9999", "order #9999"]);
    // A refund below the threshold does not downgrade on the spot.
    await send(
      shop.domain,
      "refunds/create",
      refundPayload({ id: 1201, orderId: 1103, lines: [{ subtotal: "200.00" }] }),
    );
    expect(await tierOf()).toBe("Gold");
  });
});

describe("at-least-once, out-of-order delivery", () => {
  it("sent 3 times each, concurrently and shuffled, ends with no duplicates and the right balances", async () => {
    const shop = await createShop(db.prisma, { rules: { FIRST_ORDER: 25 } });
    const customers = [601, 602, 603];
    const events: Array<{ topic: string; payload: unknown; id: string }> = [];
    const newId = (): string => randomUUID();
    // Each customer: order A (paid, partially refunded twice), order B (paid then cancelled),
    // order C (paid, refunded in full).
    for (const customer of customers) {
      const base = customer * 10;
      events.push(
        {
          topic: "customers/create",
          payload: customerPayload({ id: customer, email: `c${customer}@example.com` }),
          id: randomUUID(),
        },
        {
          topic: "orders/paid",
          payload: orderPayload({
            id: base + 1,
            customer: { id: customer },
            lines: [{ price: "80.00" }, { price: "20.00" }],
          }),
          id: randomUUID(),
        },
        {
          topic: "refunds/create",
          payload: refundPayload({ id: base + 101, orderId: base + 1, lines: [{ subtotal: "20.00" }] }),
          id: randomUUID(),
        },
        {
          topic: "refunds/create",
          payload: refundPayload({ id: base + 102, orderId: base + 1, lines: [{ subtotal: "30.00" }] }),
          id: randomUUID(),
        },
        {
          topic: "orders/paid",
          payload: orderPayload({ id: base + 2, customer: { id: customer }, lines: [{ price: "45.50" }] }),
          id: randomUUID(),
        },
        {
          topic: "orders/cancelled",
          payload: orderPayload({
            id: base + 2,
            customer: { id: customer },
            lines: [{ price: "45.50" }],
            cancelledAt: "2026-10-04T10:00:00Z",
            financialStatus: "refunded",
          }),
          id: randomUUID(),
        },
        {
          topic: "orders/paid",
          payload: orderPayload({ id: base + 3, customer: { id: customer }, lines: [{ price: "33.33" }] }),
          id: randomUUID(),
        },
        {
          topic: "refunds/create",
          payload: refundPayload({ id: base + 103, orderId: base + 3, lines: [{ subtotal: "33.33" }] }),
          id: randomUUID(),
        },
      );
    }
    // Three deliveries of each event with its webhook id, and one more under a new id
    // (a second subscription to the same topic).
    const deliveries = events.flatMap((event) => [event, event, event, { ...event, id: newId() }]);
    const responses = await Promise.all(
      shuffle(deliveries, 42).map((event) => send(shop.domain, event.topic, event.payload, event.id)),
    );
    const statuses = responses.map((r) => r.status);
    // A delivery that lost a lock race may be asked to retry (503), as Shopify would.
    const retry = shuffle(deliveries, 7).filter((_, i) => statuses[i] !== 200);
    for (const event of retry) expect((await send(shop.domain, event.topic, event.payload, event.id)).status).toBe(200);
    expect(statuses.filter((s) => s !== 200 && s !== 503)).toEqual([]);
    // Under this burst most deliveries were acknowledged once recorded; the inbox applies them.
    expect(responses.some((r) => r.status === 200)).toBe(true);
    await webhooksApplied(db.prisma);

    for (const customer of customers) {
      const base = customer * 10;
      const member = await db.prisma.member.findUniqueOrThrow({
        where: { shopId_customerId: { shopId: shop.id, customerId: BigInt(customer) } },
      });
      const entries = await ledgerOf(member.id);
      const keys = entries.map((e) => e.idempotencyKey);
      expect(new Set(keys).size).toBe(keys.length);
      const byKey = Object.fromEntries(entries.map((e) => [e.idempotencyKey, e.points]));
      // Order A: 100 points; refunds of $20 and $30 take 20 and 30 at the original rate.
      expect(byKey[`order:${base + 1}:earn`]).toBe(100);
      expect(byKey[`refund:${base + 101}`]).toBe(-20);
      expect(byKey[`refund:${base + 102}`]).toBe(-30);
      // Order B: earned 45 and lost them all to the cancellation.
      expect(byKey[`order:${base + 2}:earn`]).toBe(45);
      expect(byKey[`order:${base + 2}:cancel`]).toBe(-45);
      // Order C: fully refunded.
      expect(byKey[`order:${base + 3}:earn`]).toBe(33);
      expect(byKey[`refund:${base + 103}`]).toBe(-33);
      // One first-order bonus stands in the end. If the order that took it was the
      // cancelled one, it went back only when no other order stood, and the next order
      // earned it again.
      const bonuses = entries.filter((e) => e.source === "FIRST_ORDER");
      const bonusReversals = entries.filter((e) => e.idempotencyKey.endsWith(":first-order:cancel"));
      expect(bonuses.length - bonusReversals.length).toBe(1);
      for (const reversal of bonusReversals) expect(reversal.orderId).toBe(BigInt(base + 2));
      const sum = entries.reduce((total, e) => total + e.points, 0);
      expect(sum).toBe(50 + 25);
      expect(member.balance).toBe(sum);
    }
    // Every distinct delivery id recorded once.
    const distinctIds = new Set(deliveries.map((d) => d.id)).size;
    expect(await db.prisma.webhookEvent.count({ where: { shopId: shop.id } })).toBe(distinctIds);
  });

  it("a refund that arrives before its order ends in the same ledger as in order", async () => {
    const shop = await createShop(db.prisma);
    const refund = refundPayload({ id: 7101, orderId: 7001, lines: [{ subtotal: "25.00" }] });
    expect((await send(shop.domain, "refunds/create", refund)).status).toBe(200);
    expect(await db.prisma.ledgerEntry.count({ where: { shopId: shop.id } })).toBe(0);
    expect(
      (
        await send(
          shop.domain,
          "orders/paid",
          orderPayload({ id: 7001, customer: { id: 701 }, lines: [{ price: "100.00" }] }),
        )
      ).status,
    ).toBe(200);
    const member = await db.prisma.member.findFirstOrThrow({ where: { shopId: shop.id } });
    const entries = await ledgerOf(member.id);
    expect(entries.map((e) => [e.idempotencyKey, e.points])).toEqual([
      ["order:7001:earn", 100],
      ["refund:7101", -25],
    ]);
    expect(member.balance).toBe(75);
  });
});

describe("email marketing consent", () => {
  // Since API 2025-01 consent is not in customer payloads: this topic is its only path.
  it("customers_email_marketing_consent/update records consent and pays the newsletter points once", async () => {
    const shop = await createShop(db.prisma, { rules: { NEWSLETTER: 30 } });
    await send(shop.domain, "customers/create", customerPayload({ id: 881, email: "news@example.com" }));
    const subscribed = emailConsentPayload({ customerId: 881, email: "news@example.com", state: "subscribed" });
    const results = await Promise.all(
      [1, 2].map(() => send(shop.domain, "customers_email_marketing_consent/update", subscribed)),
    );
    expect(results.map((r) => r.status)).toEqual([200, 200]);
    await webhooksApplied(db.prisma);
    const member = await db.prisma.member.findUniqueOrThrow({
      where: { shopId_customerId: { shopId: shop.id, customerId: 881n } },
    });
    expect(member).toMatchObject({ emailConsent: true, balance: 30 });

    // Unsubscribing, then subscribing again, pays nothing more.
    await send(
      shop.domain,
      "customers_email_marketing_consent/update",
      emailConsentPayload({ customerId: 881, state: "unsubscribed" }),
    );
    expect((await db.prisma.member.findUniqueOrThrow({ where: { id: member.id } })).emailConsent).toBe(false);
    await send(shop.domain, "customers_email_marketing_consent/update", subscribed);
    expect(await db.prisma.member.findUniqueOrThrow({ where: { id: member.id } })).toMatchObject({
      emailConsent: true,
      balance: 30,
    });
    // A customers/update (which carries no consent) leaves it as it is.
    await send(shop.domain, "customers/update", customerPayload({ id: 881, email: "news@example.com" }));
    expect((await db.prisma.member.findUniqueOrThrow({ where: { id: member.id } })).emailConsent).toBe(true);
  });
});

describe("guest orders", () => {
  it("hold points by email and credit them once when the customer account is created", async () => {
    const shop = await createShop(db.prisma, { rules: { SIGNUP: 10 } });
    const order = orderPayload({ id: 8001, customer: null, email: "Guest@Example.com", lines: [{ price: "64.99" }] });
    expect((await send(shop.domain, "orders/paid", order)).status).toBe(200);
    const held = await db.prisma.pendingPoints.findFirstOrThrow({ where: { shopId: shop.id } });
    expect(held).toMatchObject({ email: "guest@example.com", points: 64, status: "PENDING", memberId: null });

    const created = customerPayload({ id: 801, email: "guest@example.com" });
    const results = await Promise.all([1, 2, 3].map(() => send(shop.domain, "customers/create", created)));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    await webhooksApplied(db.prisma);
    const member = await db.prisma.member.findFirstOrThrow({ where: { shopId: shop.id } });
    expect(member.balance).toBe(74);
    expect((await ledgerOf(member.id)).map((e) => [e.idempotencyKey, e.points])).toEqual([
      ["order:8001:earn", 64],
      ["signup:801", 10],
    ]);
    expect(await db.prisma.pendingPoints.findFirstOrThrow({ where: { id: held.id } })).toMatchObject({
      status: "CREDITED",
      memberId: member.id,
    });
  });
});

describe("bad input gets a clear 4xx, writes nothing and the server stays up", () => {
  it("rejects forged, incomplete, malformed, unknown-shop and absurd deliveries", async () => {
    const shop = await createShop(db.prisma);
    const body = JSON.stringify(orderPayload({ id: 9001, customer: { id: 901 }, lines: [{ price: "10.00" }] }));
    const before = {
      events: await db.prisma.webhookEvent.count(),
      entries: await db.prisma.ledgerEntry.count(),
      orders: await db.prisma.order.count(),
      members: await db.prisma.member.count(),
    };
    const url = `${server.url}/webhooks/orders/paid`;
    const base = { topic: "orders/paid", shop: shop.domain, body };
    const cases: Array<[string, RequestInit, number, string?]> = [
      ["forged HMAC", { headers: webhookHeaders({ ...base, secret: "not-the-secret" }), body }, 401, "invalid_hmac"],
      ["HMAC of another body", { headers: webhookHeaders(base), body: body.replace("10.00", "99999.00") }, 401],
      ["missing HMAC", { headers: webhookHeaders({ ...base, headers: { "X-Shopify-Hmac-Sha256": null } }), body }, 400],
      [
        "missing webhook id",
        { headers: webhookHeaders({ ...base, headers: { "X-Shopify-Webhook-Id": null } }), body },
        400,
      ],
      ["missing topic", { headers: webhookHeaders({ ...base, headers: { "X-Shopify-Topic": null } }), body }, 400],
      [
        "wrong topic for the route",
        { headers: webhookHeaders({ ...base, topic: "customers/create" }), body },
        400,
        "wrong_topic",
      ],
      [
        "malformed JSON",
        { headers: webhookHeaders({ ...base, body: "{not json" }), body: "{not json" },
        400,
        "malformed_json",
      ],
      [
        "unknown shop",
        { headers: webhookHeaders({ ...base, shop: "nobody.myshopify.com" }), body },
        404,
        "unknown_shop",
      ],
    ];
    const absurd: Array<[string, unknown]> = [
      ["negative price", orderPayload({ id: 9002, customer: { id: 902 }, lines: [{ price: "-10.00" }] })],
      [
        "absurd amount",
        orderPayload({ id: 9003, customer: { id: 903 }, lines: [{ price: "9999999999.00", quantity: 100 }] }),
      ],
      [
        "quantity not a number",
        {
          ...orderPayload({ id: 9004, lines: [{ price: "1.00" }] }),
          line_items: [{ price: "1.00", quantity: "many" }],
        },
      ],
      ["id not a number", { ...orderPayload({ id: 9005, lines: [{ price: "1.00" }] }), id: "abc" }],
      ["not an order at all", [1, 2, 3]],
    ];
    for (const [, payload] of absurd) {
      const text = JSON.stringify(payload);
      cases.push([
        String(payload),
        { headers: webhookHeaders({ ...base, body: text }), body: text },
        422,
        "invalid_payload",
      ]);
    }
    for (const [name, init, status, error] of cases) {
      const response = await fetch(url, { method: "POST", ...init });
      expect(response.status, name).toBe(status);
      if (error) expect(((await response.json()) as { error: string }).error, name).toBe(error);
    }
    const huge = "x".repeat(5 * 1024 * 1024);
    const tooBig = await fetch(url, {
      method: "POST",
      headers: { ...webhookHeaders({ ...base, body: huge }) },
      body: huge,
    });
    expect(tooBig.status).toBe(413);

    expect({
      events: await db.prisma.webhookEvent.count(),
      entries: await db.prisma.ledgerEntry.count(),
      orders: await db.prisma.order.count(),
      members: await db.prisma.member.count(),
    }).toEqual(before);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    // The genuine delivery still works afterwards.
    expect((await fetch(url, { method: "POST", headers: webhookHeaders(base), body })).status).toBe(200);
  });
});

describe("compliance", () => {
  it("customers/redact erases personal data and keeps the ledger totals", async () => {
    const shop = await createShop(db.prisma);
    await send(
      shop.domain,
      "orders/paid",
      orderPayload({
        id: 9501,
        customer: { id: 951, email: "erase@example.com" },
        email: "erase@example.com",
        lines: [{ price: "30.00" }],
      }),
    );
    const member = await db.prisma.member.findFirstOrThrow({ where: { shopId: shop.id } });
    const response = await send(shop.domain, "customers/redact", {
      shop_id: 1,
      shop_domain: shop.domain,
      customer: { id: 951, email: "erase@example.com", phone: null },
      orders_to_redact: [9501],
    });
    expect(response.status).toBe(200);
    const after = await db.prisma.member.findUniqueOrThrow({ where: { id: member.id } });
    expect(after).toMatchObject({ email: null, firstName: null, customerId: null, status: "REDACTED", balance: 30 });
    expect(await db.prisma.order.findFirstOrThrow({ where: { shopId: shop.id } })).toMatchObject({
      email: null,
      customerId: null,
    });
    expect(
      (await db.prisma.ledgerEntry.aggregate({ where: { memberId: member.id }, _sum: { points: true } }))._sum.points,
    ).toBe(30);
  });

  it("customers/data_request records an export for the merchant", async () => {
    const shop = await createShop(db.prisma);
    await send(shop.domain, "customers/create", customerPayload({ id: 961, email: "export@example.com" }));
    const response = await send(shop.domain, "customers/data_request", {
      shop_domain: shop.domain,
      customer: { id: 961, email: "export@example.com" },
      orders_requested: [],
      data_request: { id: 9999 },
    });
    expect(response.status).toBe(200);
    const log = await db.prisma.activityLog.findFirstOrThrow({
      where: { shopId: shop.id, action: "compliance.data_request" },
    });
    // The log names the export, not the customer; the export holds the data.
    expect(JSON.stringify(log.details)).not.toContain("export@example.com");
    const file = await db.prisma.dataExport.findUniqueOrThrow({
      where: { id: (log.details as { exportId: string }).exportId },
    });
    expect(JSON.stringify(file.content)).toContain("export@example.com");
  });

  it("shop/redact erases the shop; app/uninstalled keeps the data and stops earning", async () => {
    const shop = await createShop(db.prisma);
    await send(
      shop.domain,
      "orders/paid",
      orderPayload({ id: 9601, customer: { id: 971 }, lines: [{ price: "10.00" }] }),
    );
    expect((await send(shop.domain, "app/uninstalled", { id: 1, domain: shop.domain })).status).toBe(200);
    expect((await db.prisma.shop.findUniqueOrThrow({ where: { id: shop.id } })).uninstalledAt).not.toBeNull();
    // Work stops after uninstall.
    expect(
      (
        await send(
          shop.domain,
          "orders/paid",
          orderPayload({ id: 9602, customer: { id: 971 }, lines: [{ price: "10.00" }] }),
        )
      ).status,
    ).toBe(200);
    expect(await db.prisma.ledgerEntry.count({ where: { shopId: shop.id } })).toBe(1);

    expect((await send(shop.domain, "shop/redact", { shop_id: 1, shop_domain: shop.domain })).status).toBe(200);
    expect(await db.prisma.shop.findUnique({ where: { id: shop.id } })).toBeNull();
    expect(await db.prisma.member.count({ where: { shopId: shop.id } })).toBe(0);
    // Repeated: nothing left to erase, still 200.
    expect((await send(shop.domain, "shop/redact", { shop_id: 1, shop_domain: shop.domain })).status).toBe(200);
  });
});
