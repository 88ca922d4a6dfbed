import { createHmac, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type * as AwardRoute from "../../app/routes/flow.award-points";
import { FLOW_TRIGGERS } from "../../app/domain/messages";
import { postEntry } from "../../app/services/ledger";
import { collectEventMessages, selectDailyMessages } from "../../app/services/messages";
import { invalidateShopContext } from "../../app/services/shop-context";
import { sendFlowTriggers } from "../../app/shopify/flow.server";
import { startAdminStandin, type AdminStandin } from "../../scripts/shopify-standin/admin-api";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { createShop } from "../support/seed";
import { TEST_SECRET } from "../support/shopify";

/**
 * Shopify Flow: Comeback's events go out as the trigger extensions declare them
 * (flowTriggerReceive, recorded by the Admin API stand-in, the document validated against
 * the 2026-10 schema by the type check), once per occasion; and the "Award loyalty points"
 * action verifies Shopify's HMAC and credits once per action run.
 */
const DAY = 86_400_000;
let db: TestDatabase;
let standin: AdminStandin;
let award: typeof AwardRoute;

beforeAll(async () => {
  db = await createTestDatabase();
  standin = await startAdminStandin({ accessToken: "offline-token" });
  award = await import("../../app/routes/flow.award-points");
});
afterAll(async () => {
  await standin?.close();
  await db?.close();
});

async function shopWithAccess() {
  const shop = await createShop(db.prisma, { settings: { expiryInactivityDays: 365 } });
  await db.prisma.shop.update({ where: { id: shop.id }, data: { adminApiUrl: standin.endpoint(shop.domain) } });
  await db.prisma.session.create({
    data: {
      id: `offline_${shop.domain}`,
      shop: shop.domain,
      state: "s",
      isOnline: false,
      accessToken: "offline-token",
    },
  });
  invalidateShopContext({ id: shop.id });
  return shop;
}

let nextCustomer = 55_000;
async function member(shopId: string, data: Record<string, unknown> = {}) {
  const customerId = BigInt(++nextCustomer);
  return db.prisma.member.create({
    data: { shopId, customerId, email: `c${customerId}@example.com`, referralCode: `F${customerId}`, ...data } as never,
  });
}

describe("Flow triggers", () => {
  it("sends each occasion's trigger once, with the customer reference and the declared fields", async () => {
    const shop = await shopWithAccess();
    const earner = await member(shop.id, { enrolledAt: new Date(Date.now() - 5 * DAY) });
    await db.prisma.order.create({
      data: { id: 7001n, shopId: shop.id, memberId: earner.id, currency: "USD", pointsEarned: 80, paidAt: new Date() },
    });
    await postEntry(db.prisma, {
      shopId: shop.id,
      memberId: earner.id,
      points: 80,
      kind: "EARN",
      source: "ORDER",
      reason: { code: "order", params: { order: "#7001" } },
      idempotencyKey: `order:${earner.id}`,
    });
    const expiring = await member(shop.id, { enrolledAt: new Date(Date.now() - 500 * DAY), balance: 0 });
    await postEntry(db.prisma, {
      shopId: shop.id,
      memberId: expiring.id,
      points: 300,
      kind: "EARN",
      source: "ADMIN",
      reason: { code: "adjustment", params: {} },
      idempotencyKey: `adj:${expiring.id}`,
    });
    await db.prisma.member.update({
      where: { id: expiring.id },
      data: { lastActivityAt: new Date(Date.now() - 360 * DAY), enrolledAt: new Date(Date.now() - 500 * DAY) },
    });
    await db.prisma.messageLog.deleteMany({ where: { memberId: expiring.id } });

    await collectEventMessages(db.prisma);
    await selectDailyMessages(db.prisma);
    const before = standin.flowTriggers.length;
    await sendFlowTriggers(db.prisma, shop.id);
    // Replayed selection and a second send add nothing.
    await collectEventMessages(db.prisma);
    await sendFlowTriggers(db.prisma, shop.id);
    const sent = standin.flowTriggers.slice(before);
    expect(sent).toContainEqual({
      handle: FLOW_TRIGGERS.POINTS_EARNED,
      payload: { customer_id: Number(earner.customerId), Balance: 80, "Order ID": "7001" },
    });
    const reminder = sent.find((t) => t.handle === FLOW_TRIGGERS.POINTS_EXPIRING);
    expect(reminder?.payload).toMatchObject({ customer_id: Number(expiring.customerId), Balance: 300, "Days left": 7 });
    expect(String(reminder?.payload["Expires at"])).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(sent.filter((t) => t.handle === FLOW_TRIGGERS.POINTS_EARNED)).toHaveLength(1);
    expect(sent.filter((t) => t.handle === FLOW_TRIGGERS.POINTS_EXPIRING)).toHaveLength(1);
    // Kinds without a trigger (welcome, referral) carry none.
    expect(sent.every((t) => Object.values(FLOW_TRIGGERS).includes(t.handle))).toBe(true);
    expect(await db.prisma.messageLog.count({ where: { shopId: shop.id, flowStatus: "PENDING" } })).toBe(0);
  });

  it("records Flow's refusal on the occasion, and retries what failed in transit", async () => {
    const shop = await shopWithAccess();
    const m = await member(shop.id, { enrolledAt: new Date(Date.now() - 5 * DAY) });
    await postEntry(db.prisma, {
      shopId: shop.id,
      memberId: m.id,
      points: 10,
      kind: "EARN",
      source: "ADMIN",
      reason: { code: "adjustment", params: {} },
      idempotencyKey: `adj:${m.id}`,
    });
    await db.prisma.order.create({
      data: { id: 7002n, shopId: shop.id, memberId: m.id, currency: "USD", pointsEarned: 10, paidAt: new Date() },
    });
    await collectEventMessages(db.prisma);
    standin.failNext("userError");
    await sendFlowTriggers(db.prisma, shop.id);
    expect(
      await db.prisma.messageLog.findFirstOrThrow({ where: { memberId: m.id, kind: "POINTS_EARNED" } }),
    ).toMatchObject({
      flowStatus: "FAILED",
      flowError: "Invalid handle",
    });
  });
});

describe("the Award loyalty points action", () => {
  function flowRequest(body: Record<string, unknown>, secret = TEST_SECRET) {
    const raw = JSON.stringify(body);
    return new Request("https://comeback.test/flow/award-points", {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-shopify-hmac-sha256": createHmac("sha256", secret).update(raw).digest("base64"),
      },
      body: raw,
    });
  }
  const call = async (request: Request) => {
    try {
      return await award.action({ request, params: {}, context: {} } as never);
    } catch (thrown) {
      if (thrown instanceof Response) return thrown;
      throw thrown;
    }
  };

  it("credits a member once per action run, and refuses bad signatures and bad properties", async () => {
    const shop = await shopWithAccess();
    const m = await member(shop.id);
    const run = randomUUID();
    const body = {
      shop_id: 1,
      shopify_domain: shop.domain,
      action_run_id: run,
      action_definition_id: "comeback-award-points",
      handle: "comeback-award-points",
      properties: { customer_id: Number(m.customerId), points: 150, reason: "VIP event" },
    };
    const first = await call(flowRequest(body));
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ ok: true, balance: 150 });
    // Flow retries the same run: no second credit.
    const again = await call(flowRequest(body));
    expect(await again.json()).toEqual({ ok: true, balance: 150 });
    const entries = await db.prisma.ledgerEntry.findMany({ where: { memberId: m.id } });
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ points: 150, kind: "ADJUST", actor: "flow", reasonCode: "adjustment" });

    // A body signed with another secret never reaches the ledger.
    const forged = await call(flowRequest({ ...body, action_run_id: randomUUID() }, "not-the-secret"));
    expect(forged.status).toBe(400);
    const bad = await call(
      flowRequest({
        ...body,
        action_run_id: randomUUID(),
        properties: { customer_id: Number(m.customerId), points: 0, reason: "" },
      }),
    );
    expect(bad.status).toBe(422);
    const stranger = await call(
      flowRequest({
        ...body,
        action_run_id: randomUUID(),
        properties: { customer_id: 999_999_999, points: 5, reason: "x" },
      }),
    );
    expect(stranger.status).toBe(404);
    const tooMuch = await call(
      flowRequest({
        ...body,
        action_run_id: randomUUID(),
        properties: { customer_id: Number(m.customerId), points: -500, reason: "x" },
      }),
    );
    expect(tooMuch.status).toBe(422);
    expect(await db.prisma.ledgerEntry.count({ where: { memberId: m.id } })).toBe(1);
  });
});

describe("the trigger extensions", () => {
  it("declare exactly the fields each payload carries, with a customer reference", async () => {
    const { readdirSync, readFileSync } = await import("node:fs");
    const { flowPayload } = await import("../../app/shopify/flow.server");
    const { loadShopContext } = await import("../../app/services/shop-context");
    const shop = await shopWithAccess();
    const context = (await loadShopContext(db.prisma, { id: shop.id }))!;
    const m = await db.prisma.member.findFirstOrThrow({ where: { customerId: { not: null } } });
    const declared = new Map<string, string[]>();
    for (const dir of readdirSync("extensions").filter((d) => d.startsWith("flow-"))) {
      const toml = readFileSync(`extensions/${dir}/shopify.extension.toml`, "utf8");
      if (!/type = "flow_trigger"/.test(toml)) continue;
      expect(toml).toContain('type = "customer_reference"');
      declared.set(
        /handle = "([^"]+)"/.exec(toml)![1]!,
        [...toml.matchAll(/^key = "([^"]+)"/gm)].map((k) => k[1]!),
      );
    }
    expect([...declared.keys()].sort()).toEqual(Object.values(FLOW_TRIGGERS).sort());
    for (const [kind, handle] of Object.entries(FLOW_TRIGGERS)) {
      const payload = flowPayload(context, { kind, context: {}, occasion: "x" } as never, m);
      expect(
        Object.keys(payload)
          .filter((k) => k !== "customer_id")
          .sort(),
        kind,
      ).toEqual(declared.get(handle)!.sort());
    }
  });
});
