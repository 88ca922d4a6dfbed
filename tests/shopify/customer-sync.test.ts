import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createAdminClient, type AdminGraphql } from "../../app/shopify/admin-api.server";
import {
  CUSTOMER_NAMESPACE,
  METAFIELDS_PER_CALL,
  packBatches,
  planCustomer,
  shopsNeedingSync,
  syncShop,
  type Progress,
} from "../../app/shopify/customer-sync.server";
import { postEntry } from "../../app/services/ledger";
import { APP_INSTALLATION_ID, startAdminStandin, type AdminStandin } from "../../scripts/shopify-standin/admin-api";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { createShop } from "../support/seed";

/**
 * The Shopify sync against the local Admin API stand-in: which mutations go out, in
 * batches within Shopify's limits, retried when throttled, and with no update lost when
 * a change races a push.
 */

let db: TestDatabase;
let standin: AdminStandin;
let admin: AdminGraphql;
let waits: number[];

beforeAll(async () => {
  db = await createTestDatabase();
  standin = await startAdminStandin();
});
afterAll(async () => {
  await standin?.close();
  await db?.close();
});
beforeEach(() => {
  waits = [];
  admin = createAdminClient({
    endpoint: standin.endpoint("x"),
    accessToken: "demo-offline-token",
    sleep: async (ms) => {
      waits.push(ms);
    },
  });
});

async function programWithTiers() {
  const shop = await createShop(db.prisma);
  const silver = await db.prisma.tier.create({
    data: { shopId: shop.id, name: "Silver", position: 0, threshold: 10_000n, multiplierBp: 12_500, earlyAccess: true },
  });
  const gold = await db.prisma.tier.create({
    data: {
      shopId: shop.id,
      name: "Gold",
      position: 1,
      threshold: 50_000n,
      multiplierBp: 15_000,
      earlyAccess: true,
      freeShipping: true,
      customerTag: "vip-gold",
    },
  });
  return { shop, silver, gold };
}

let nextCustomer = 8_000_000;
async function member(shopId: string, data: { balance?: number; tierId?: string | null } = {}) {
  const customerId = BigInt(++nextCustomer);
  const created = await db.prisma.member.create({
    data: { shopId, customerId, referralCode: `S${customerId}`, tierId: data.tierId ?? null },
  });
  if (data.balance)
    await postEntry(db.prisma, {
      shopId,
      memberId: created.id,
      points: data.balance,
      kind: "EARN",
      source: "ADMIN",
      idempotencyKey: `seed:${created.id}`,
      reason: { code: "adjustment", params: { note: "test" } },
    });
  return { ...created, gid: `gid://shopify/Customer/${customerId}` };
}

function metafield(gid: string, key: string) {
  return standin.metafields.get(`${gid}|${CUSTOMER_NAMESPACE}|${key}`);
}

function callsSince(start: number, field: string) {
  return standin.requests.slice(start).filter((r) => r.fields.includes(field));
}

describe("Shopify customer sync", () => {
  it("writes balance, tier and progress metafields and tier and perk tags, then has nothing left to do", async () => {
    const { shop, silver } = await programWithTiers();
    const ann = await member(shop.id, { balance: 1234, tierId: silver.id });
    const bob = await member(shop.id, { balance: 0 });
    await db.prisma.order.create({
      data: {
        id: 7_700_001n,
        shopId: shop.id,
        memberId: ann.id,
        currency: "USD",
        earnableMinor: 20_000n,
        paidAt: new Date(),
        processedAt: new Date(),
      },
    });

    const start = standin.requests.length;
    const stats = await syncShop(db.prisma, shop.id, admin);
    expect(stats).toMatchObject({ program: true, members: 2, rejected: 0 });

    expect(metafield(ann.gid, "balance")).toEqual({ type: "number_integer", value: "1234" });
    expect(metafield(ann.gid, "tier")).toEqual({ type: "single_line_text_field", value: "Silver" });
    const progress = JSON.parse(metafield(ann.gid, "progress")!.value) as Progress;
    expect(progress).toMatchObject({
      tier: "Silver",
      nextTier: "Gold",
      remaining: 30_000,
      metric: "SPEND",
      currency: "USD",
      multiplier: 1.25,
    });
    expect([...standin.tags.get(ann.gid)!].sort()).toEqual([
      "comeback-early-access",
      "comeback-member",
      "comeback-tier-silver",
    ]);
    // No tier: no tier metafield, only the member tag.
    expect(metafield(bob.gid, "tier")).toBeUndefined();
    expect([...standin.tags.get(bob.gid)!]).toEqual(["comeback-member"]);
    // The program's settings for the storefront, on the app installation.
    const program = JSON.parse(standin.metafields.get(`${APP_INSTALLATION_ID}|loyalty|program`)!.value);
    expect(program).toMatchObject({
      currency: "USD",
      earning: { points: 1, perSpendMinor: 100 },
      tiers: [
        { name: "Silver", multiplier: 1.25 },
        { name: "Gold", multiplier: 1.5 },
      ],
    });
    expect(callsSince(start, "metafieldsSet")).toHaveLength(2);

    expect(await shopsNeedingSync(db.prisma)).not.toContain(shop.id);
    const again = standin.requests.length;
    expect(await syncShop(db.prisma, shop.id, admin)).toMatchObject({ program: false, members: 0 });
    expect(standin.requests.length).toBe(again);
  });

  it("moves the tier tag and perks when the tier changes, and deletes the tier metafield when there is none", async () => {
    const { shop, silver, gold } = await programWithTiers();
    const ann = await member(shop.id, { balance: 10, tierId: silver.id });
    await syncShop(db.prisma, shop.id, admin);

    await db.prisma.member.update({ where: { id: ann.id }, data: { tierId: gold.id } });
    expect(await shopsNeedingSync(db.prisma)).toContain(shop.id);
    const start = standin.requests.length;
    await syncShop(db.prisma, shop.id, admin);
    expect([...standin.tags.get(ann.gid)!].sort()).toEqual([
      "comeback-early-access",
      "comeback-free-shipping",
      "comeback-member",
      "vip-gold",
    ]);
    expect(metafield(ann.gid, "tier")!.value).toBe("Gold");
    const tagCall = callsSince(start, "tagsRemove")[0]!;
    expect(tagCall.variables).toMatchObject({
      id0: ann.gid,
      add0: ["vip-gold", "comeback-free-shipping"],
      remove0: ["comeback-tier-silver"],
    });

    await db.prisma.member.update({ where: { id: ann.id }, data: { tierId: null } });
    await syncShop(db.prisma, shop.id, admin);
    expect(metafield(ann.gid, "tier")).toBeUndefined();
    expect([...standin.tags.get(ann.gid)!]).toEqual(["comeback-member"]);
  });

  it("renaming a tier re-syncs its members under the new name", async () => {
    const { shop, silver } = await programWithTiers();
    const ann = await member(shop.id, { tierId: silver.id });
    await syncShop(db.prisma, shop.id, admin);
    await db.prisma.tier.update({ where: { id: silver.id }, data: { name: "Серебро" } });
    await syncShop(db.prisma, shop.id, admin);
    expect(metafield(ann.gid, "tier")!.value).toBe("Серебро");
    expect([...standin.tags.get(ann.gid)!]).toContain("comeback-tier-серебро");
    expect(standin.tags.get(ann.gid)!.has("comeback-tier-silver")).toBe(false);
  });

  it("sends at most 25 metafields per call and reaches every member", async () => {
    const { shop } = await programWithTiers();
    const members = [];
    for (let i = 0; i < 30; i++) members.push(await member(shop.id, { balance: 100 + i }));
    const start = standin.requests.length;
    const stats = await syncShop(db.prisma, shop.id, admin);
    expect(stats.members).toBe(30);
    const calls = callsSince(start, "metafieldsSet").map((r) => (r.variables.metafields as unknown[]).length);
    expect(Math.max(...calls)).toBeLessThanOrEqual(METAFIELDS_PER_CALL);
    // 30 members x 2 metafields (no tier) + the program = 61 inputs in 4 calls, not 31.
    expect(calls.reduce((a, b) => a + b, 0)).toBe(61);
    expect(calls.length).toBe(4);
    for (const [i, m] of members.entries()) expect(metafield(m.gid, "balance")!.value).toBe(String(100 + i));
  });

  it("packs batches by metafield count", () => {
    const progress = {
      tier: null,
      tierPosition: null,
      nextTier: null,
      nextTierPosition: null,
      remaining: null,
      metric: "SPEND",
      currency: "USD",
      multiplier: 1,
      lifetimeEarned: 0,
      birthday: false,
      version: 1,
    };
    const plans = Array.from({ length: 20 }, (_, i) =>
      planCustomer(
        {
          id: `m${i}`,
          customerId: BigInt(i + 1),
          balance: i,
          lifetimeEarned: 0,
          tierId: null,
          status: "ACTIVE",
          syncVersion: 1,
          syncedTags: [],
          hasBirthday: false,
        },
        [],
        progress,
      ),
    );
    const batches = packBatches(plans);
    expect(batches.map((b) => b.reduce((n, p) => n + p.set.length, 0))).toEqual([24, 16]);
    expect(batches.flat()).toHaveLength(20);
  });

  it("waits out Shopify's throttling and retries, within the queue's job", async () => {
    const { shop } = await programWithTiers();
    const ann = await member(shop.id, { balance: 77 });
    standin.failNext("throttle", 2);
    const stats = await syncShop(db.prisma, shop.id, admin);
    expect(stats.members).toBe(1);
    expect(waits).toHaveLength(2);
    expect(metafield(ann.gid, "balance")!.value).toBe("77");

    // Throttled past the client's patience: the job fails (the queue retries it later)
    // and the member stays marked, so the retry pushes it.
    await db.prisma.member.update({ where: { id: ann.id }, data: { balance: 78 } });
    standin.failNext("throttle", 4);
    await expect(syncShop(db.prisma, shop.id, admin)).rejects.toMatchObject({ kind: "throttled" });
    expect(await shopsNeedingSync(db.prisma)).toContain(shop.id);
    // The lease was released, so the retry can run at once.
    expect((await syncShop(db.prisma, shop.id, admin)).members).toBe(1);
    expect(metafield(ann.gid, "balance")!.value).toBe("78");
  });

  it("loses no update when the balance changes while a push is in flight", async () => {
    const { shop } = await programWithTiers();
    const ann = await member(shop.id, { balance: 90 });
    await syncShop(db.prisma, shop.id, admin);
    await postEntry(db.prisma, {
      shopId: shop.id,
      memberId: ann.id,
      points: 10,
      kind: "EARN",
      source: "ADMIN",
      idempotencyKey: `before:${ann.id}`,
      reason: { code: "adjustment", params: { note: "test" } },
    });
    const start = standin.requests.length;
    const release = standin.hold();
    const pushing = syncShop(db.prisma, shop.id, admin);
    // Wait until the stand-in holds the push of 100, then change the balance.
    await expect.poll(() => callsSince(start, "metafieldsSet").length).toBe(1);
    await postEntry(db.prisma, {
      shopId: shop.id,
      memberId: ann.id,
      points: 50,
      kind: "EARN",
      source: "ADMIN",
      idempotencyKey: `race:${ann.id}`,
      reason: { code: "adjustment", params: { note: "race" } },
    });
    // A second worker on another instance finds the shop leased and does not interfere.
    expect((await syncShop(db.prisma, shop.id, admin)).skipped).toBe("leased");
    release();
    await pushing;
    // The push of 100 was recorded at the version it read, so the same run found the
    // member still marked and pushed 150 after it: the later value is the one that stays.
    const pushes = callsSince(start, "metafieldsSet").map(
      (r) => (r.variables.metafields as Array<{ key: string; value: string }>).find((m) => m.key === "balance")!.value,
    );
    expect(pushes).toEqual(["100", "150"]);
    expect(metafield(ann.gid, "balance")!.value).toBe("150");
    expect(await shopsNeedingSync(db.prisma)).not.toContain(shop.id);
  });

  it("sets aside a customer Shopify refuses, so the rest of the batch still goes out", async () => {
    const { shop } = await programWithTiers();
    const ann = await member(shop.id, { balance: 5 });
    const bob = await member(shop.id, { balance: 6 });
    await syncShop(db.prisma, shop.id, admin);
    await db.prisma.member.updateMany({ where: { shopId: shop.id }, data: { balance: { increment: 1 } } });
    // Shopify refuses the first input of the next batch (ann's or bob's).
    standin.failNext("userError");
    const stats = await syncShop(db.prisma, shop.id, admin);
    expect(stats.rejected).toBe(1);
    expect(stats.members).toBe(1);
    // One still shows its old balance (set aside), the other its new one.
    const updated = [ann, bob].map((m, i) => metafield(m.gid, "balance")!.value === String(6 + i));
    expect(updated.sort()).toEqual([false, true]);
    expect(await shopsNeedingSync(db.prisma)).not.toContain(shop.id);
  });

  it("marks members changed by set-based SQL too (the trigger), not only through Prisma", async () => {
    const { shop } = await programWithTiers();
    const ann = await member(shop.id, { balance: 5 });
    await syncShop(db.prisma, shop.id, admin);
    await db.prisma.$executeRaw`UPDATE "Member" SET balance = balance - 5 WHERE id = ${ann.id}::uuid`;
    await db.prisma.$executeRaw`UPDATE "Member" SET "lastActivityAt" = now() WHERE id = ${ann.id}::uuid`;
    const row = await db.prisma.member.findUniqueOrThrow({ where: { id: ann.id } });
    expect(row.syncVersion).toBe(row.syncedVersion + 1);
  });
});

describe("tier free shipping", () => {
  it("is a real perk: an automatic free-shipping discount for the tier's tagged customers, kept in step with the tier", async () => {
    const { shop, gold } = await programWithTiers();
    await syncShop(db.prisma, shop.id, admin);
    const resource = await db.prisma.shopifyResource.findUniqueOrThrow({
      where: { shopId_key: { shopId: shop.id, key: `discount:tier-shipping:${gold.id}` } },
    });
    const discount = standin.automaticDiscounts.get(resource.gid)!;
    const segmentId = (discount.context as { customerSegments: { add: string[] } }).customerSegments.add[0]!;
    // The segment is the customers carrying the tier's tag, which the customer sync writes.
    expect(standin.segments.get(segmentId)).toEqual({
      name: "Comeback: Gold members",
      query: "customer_tags CONTAINS 'vip-gold'",
    });
    expect(discount).toMatchObject({ title: "Comeback: free shipping for Gold members", destination: { all: true } });
    // Silver has no free shipping: nothing for it.
    expect(standin.automaticDiscounts.size).toBeGreaterThanOrEqual(1);
    expect([...standin.automaticDiscounts.values()].filter((d) => String(d.title).includes("Silver"))).toEqual([]);

    // Nothing changed: nothing is sent again.
    const before = standin.requests.length;
    await db.prisma.shop.update({ where: { id: shop.id }, data: { programVersion: { increment: 1 } } });
    await syncShop(db.prisma, shop.id, admin);
    const sent = standin.requests.slice(before).flatMap((r) => r.fields);
    expect(sent).not.toContain("discountAutomaticFreeShippingCreate");
    expect(sent).not.toContain("segmentCreate");

    // A new tag updates the segment; dropping the perk deletes the discount.
    await db.prisma.tier.update({ where: { id: gold.id }, data: { customerTag: "gold-club" } });
    await syncShop(db.prisma, shop.id, admin);
    expect(standin.segments.get(segmentId)!.query).toBe("customer_tags CONTAINS 'gold-club'");
    await db.prisma.tier.update({ where: { id: gold.id }, data: { freeShipping: false } });
    await syncShop(db.prisma, shop.id, admin);
    expect(standin.automaticDiscounts.has(resource.gid)).toBe(false);
    expect(
      await db.prisma.shopifyResource.count({ where: { shopId: shop.id, key: { startsWith: "discount:" } } }),
    ).toBe(0);
  });
});
