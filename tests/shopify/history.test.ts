import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { historyStep } from "../../app/shopify/history.server";
import { cohortRetention } from "../../app/services/retention";
import { historyLines, type HistorySpec } from "../../scripts/shopify-standin/bulk";
import { startAdminStandin, type AdminStandin } from "../../scripts/shopify-standin/admin-api";
import { adminClient, installShop } from "../support/admin";
import { startTestApp, type TestApp } from "../support/app";
import { createShop } from "../support/seed";
import { postWebhook, TEST_SECRET } from "../support/shopify";

/**
 * The order history import through the production build and the Admin API stand-in's
 * bulk operations: the merchant starts it, Shopify's bulk_operations/finish webhook
 * arrives signed, the job reads 50,000 orders' JSONL, a dropped download resumes where it
 * stopped, and running it again adds nothing.
 */
const DAY = 86_400_000;
let app: TestApp;
let standin: AdminStandin;
const spec: HistorySpec = {
  orders: 50_000,
  customers: 12_000,
  since: new Date(Date.now() - 800 * DAY),
  firstCustomerId: 6_000_000_000,
  firstOrderId: 4_000_000_000,
};

beforeAll(async () => {
  standin = await startAdminStandin({ accessToken: "shpat_test", history: spec });
  app = await startTestApp();
}, 120_000);
afterAll(async () => {
  await app?.close();
  await standin?.close();
});

/** What the file holds for a window, worked out from the same generator. */
function expected(since: Date) {
  const orders = [...historyLines(spec, since)].map((line) => JSON.parse(line) as Record<string, unknown>);
  return orders.filter((o) => !("__parentId" in o));
}

describe("order history import", () => {
  it("brings in 24 months of orders once, resuming a broken download, with no points", async () => {
    const shop = await createShop(app.db.prisma);
    await installShop(app.db.prisma, shop.domain);
    await app.db.prisma.shop.update({ where: { id: shop.id }, data: { adminApiUrl: standin.endpoint(shop.domain) } });
    standin.bulkWebhook = {
      url: `${app.server.url}/webhooks/bulk_operations/finish`,
      secret: TEST_SECRET,
      shop: shop.domain,
    };
    // An order the app already recorded from its webhook (it earned points): left as it is.
    const known = 4_000_000_000 + 49_990;
    await app.db.prisma.order.create({
      data: {
        id: BigInt(known),
        shopId: shop.id,
        currency: "USD",
        totalMinor: 999n,
        pointsEarned: 9,
        processedAt: new Date(),
        paidAt: new Date(),
      },
    });

    const admin = adminClient(app.server.url, shop.domain);
    const started = await admin.act("/app/imports/history", { months: "24" });
    expect(started.redirect).toBe("/app/imports?history=started");
    const history = await app.db.prisma.historyImport.findFirstOrThrow({ where: { shopId: shop.id } });
    expect(history).toMatchObject({ status: "RUNNING", months: 24 });
    expect(history.bulkOperationId).toMatch(/^gid:\/\/shopify\/BulkOperation\/\d+$/);
    // Shopify's finish webhook reaches the app, signed, and is processed.
    await expect
      .poll(() => app.db.prisma.webhookEvent.count({ where: { shopId: shop.id, topic: "bulk_operations/finish" } }), {
        timeout: 10_000,
      })
      .toBe(1);
    // A second start while one runs is refused.
    expect((await admin.act("/app/imports/history", { months: "24" })).status).toBe(409);

    // The job: the download breaks off after 30,000 lines (an error, retried by the queue)…
    standin.bulk.cutNextDownloadAfter = 30_000;
    await expect(historyStep(app.db.prisma, history.id)).rejects.toThrow();
    const broken = await app.db.prisma.historyImport.findUniqueOrThrow({ where: { id: history.id } });
    expect(broken.status).toBe("READING");
    expect(broken.linesRead).toBeGreaterThan(0);
    expect(broken.linesRead).toBeLessThanOrEqual(30_000);
    // …and the retry goes on from the last committed line.
    expect(await historyStep(app.db.prisma, history.id)).toBe("done");

    const want = expected(history.since);
    const done = await app.db.prisma.historyImport.findUniqueOrThrow({ where: { id: history.id } });
    expect(done).toMatchObject({
      status: "DONE",
      objectCount: want.length,
      ordersSeen: want.length,
      ordersAdded: want.length - 1,
    });
    expect(await app.db.prisma.order.count({ where: { shopId: shop.id, importedAt: { not: null } } })).toBe(
      want.length - 1,
    );
    expect(await app.db.prisma.order.findFirstOrThrow({ where: { shopId: shop.id, id: BigInt(known) } })).toMatchObject(
      {
        pointsEarned: 9,
        importedAt: null,
      },
    );
    // Paid and not cancelled, as Shopify said; past orders earn nothing.
    const cancelled = want.filter((o) => o.cancelledAt !== null).length;
    expect(await app.db.prisma.order.count({ where: { shopId: shop.id, cancelledAt: { not: null } } })).toBe(cancelled);
    expect(await app.db.prisma.ledgerEntry.count({ where: { shopId: shop.id } })).toBe(0);
    const sample = await app.db.prisma.order.findFirstOrThrow({
      where: { shopId: shop.id, id: 4_000_000_000n + 40_000n },
    });
    const source = want.find((o) => o.id === "gid://shopify/Order/4000040000")!;
    expect(sample.totalMinor).toBe(
      BigInt(Math.round(Number((source.totalPriceSet as { shopMoney: { amount: string } }).shopMoney.amount) * 100)),
    );
    expect(sample.productIds.length).toBeGreaterThan(0);

    // The analytics now have a past: cohorts for every month of the window.
    const cohorts = await cohortRetention(app.db.prisma, { id: shop.id, timezone: "UTC" }, 12);
    expect(cohorts).toHaveLength(12);
    expect(cohorts.reduce((sum, c) => sum + c.customers, 0)).toBeGreaterThan(0);

    // Again: Shopify exports the same orders; nothing is added.
    await admin.act("/app/imports/history", { months: "24" });
    const again = await app.db.prisma.historyImport.findFirstOrThrow({
      where: { shopId: shop.id },
      orderBy: { createdAt: "desc" },
    });
    await expect.poll(async () => historyStep(app.db.prisma, again.id), { timeout: 10_000 }).toBe("done");
    expect(await app.db.prisma.historyImport.findUniqueOrThrow({ where: { id: again.id } })).toMatchObject({
      status: "DONE",
      ordersAdded: 0,
    });
    expect(await app.db.prisma.order.count({ where: { shopId: shop.id } })).toBe(want.length);
  }, 180_000);

  it("refuses a window it does not offer, and a finish webhook with a malformed id", async () => {
    const shop = await createShop(app.db.prisma);
    await installShop(app.db.prisma, shop.domain);
    const admin = adminClient(app.server.url, shop.domain);
    expect((await admin.act("/app/imports/history", { months: "1000" })).status).toBe(400);
    expect(await app.db.prisma.historyImport.count({ where: { shopId: shop.id } })).toBe(0);
    const bad = await postWebhook(app.server.url, {
      topic: "bulk_operations/finish",
      shop: shop.domain,
      body: JSON.stringify({ admin_graphql_api_id: "gid://shopify/Order/1", status: "completed" }),
    });
    expect(bad.status).toBe(422);
  });
});
