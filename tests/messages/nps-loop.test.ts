import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeMailTransports } from "../../app/integrations/email/mailer.server";
import { sendDueMessages } from "../../app/integrations/email/send.server";
import { loadConfig } from "../../app/platform/config.server";
import { provideRuntime } from "../../app/platform/runtime.server";
import { npsReport } from "../../app/services/feedback";
import { selectDailyMessages } from "../../app/services/messages";
import { invalidateShopContext, loadShopContext } from "../../app/services/shop-context";
import { orderPayload } from "../fixtures/shopify-payloads";
import { adminClient, BROWSER_UA, installShop } from "../support/admin";
import { startTestApp, type TestApp } from "../support/app";
import { createShop } from "../support/seed";
import { postWebhook, signProxyQuery } from "../support/shopify";
import { startSmtpSink, type SmtpSink } from "../support/smtp";

/**
 * The NPS loop through its public entry points: orders/paid and orders/fulfilled
 * webhooks into the production build, the survey selected and sent over real SMTP, a
 * click on a score link answered by the App Proxy (signed as Shopify signs it), one
 * response per order, points once, and the loyalty index computed by hand.
 */
const DAY = 86_400_000;
let app: TestApp;
let smtp: SmtpSink;

beforeAll(async () => {
  app = await startTestApp();
  smtp = await startSmtpSink();
  provideRuntime({
    config: loadConfig({
      ...process.env,
      DATABASE_URL: app.db.url,
      SMTP_URL: smtp.url,
      MAIL_FROM: "loyalty@comeback.test",
      COMEBACK_SHOP_CACHE_MS: "0",
    }),
    databaseUrl: app.db.url,
  });
});
afterAll(async () => {
  await closeMailTransports();
  await smtp?.close();
  await app?.close();
});

describe("the NPS loop", () => {
  it("fulfilment → survey over SMTP → one-click score through the App Proxy → recorded once → NPS", async () => {
    const shop = await createShop(app.db.prisma, {
      settings: { quietHoursEnd: 0, quietHoursStart: 0, autoEnroll: true },
      rules: { SIGNUP: 0 },
    });
    await installShop(app.db.prisma, shop.domain);
    await app.db.prisma.messageSetting.create({
      data: {
        shopId: shop.id,
        kind: "NPS",
        enabled: true,
        timing: { delayDays: 7, points: 20 },
        enabledAt: new Date(Date.now() - 60 * DAY),
      },
    });
    const webhook = async (topic: string, body: unknown) =>
      expect((await postWebhook(app.server.url, { topic, shop: shop.domain, body: JSON.stringify(body) })).status).toBe(
        200,
      );

    // Ten customers' orders: paid, then shipped and delivered nine days ago.
    const delivered = new Date(Date.now() - 9 * DAY).toISOString();
    const customers = Array.from({ length: 10 }, (_, i) => 6_100 + i);
    for (const id of customers) {
      const order = {
        id: 61_000 + id,
        customer: { id, email: `nps${id}@example.com`, firstName: "Ann" },
        email: `nps${id}@example.com`,
        lines: [{ price: "30.00" }],
        processedAt: new Date(Date.now() - 12 * DAY).toISOString(),
      };
      await webhook("orders/paid", orderPayload(order));
      await webhook(
        "orders/fulfilled",
        orderPayload({ ...order, fulfillments: [{ createdAt: delivered, shipmentStatus: "delivered" }] }),
      );
    }
    // A redelivered, older orders/updated without the fulfillment erases nothing.
    await webhook(
      "orders/updated",
      orderPayload({ id: 61_000 + customers[0]!, customer: { id: customers[0]! }, lines: [{ price: "30.00" }] }),
    );
    const recorded = await app.db.prisma.order.findFirstOrThrow({
      where: { shopId: shop.id, id: BigInt(61_000 + customers[0]!) },
    });
    expect(recorded.deliveredAt?.toISOString()).toBe(delivered);

    invalidateShopContext({ id: shop.id });
    await selectDailyMessages(app.db.prisma);
    await selectDailyMessages(app.db.prisma); // replayed: no second survey
    await sendDueMessages(app.db.prisma, shop.id);
    const surveys = customers.map((id) => smtp.to(`nps${id}@example.com`));
    expect(surveys.every((mails) => mails.length === 1)).toBe(true);

    // Each customer clicks a score: 3 promoters, 3 passives, 4 detractors.
    const scores = [10, 9, 9, 8, 7, 7, 6, 3, 0, 5];
    const click = async (mail: (typeof surveys)[number][number], score: number) => {
      // Links go through the click tracker: the survey URL is the redirect's destination.
      const destinations = [...String(mail.html).matchAll(/\?u=([^"&]+)/g)].map((m) => decodeURIComponent(m[1]!));
      const link = destinations
        .map((url) => new RegExp(`/apps/comeback/nps\\?t=([\\w.-]+)&s=${score}$`).exec(url))
        .find(Boolean);
      expect(link, `score ${score} link`).toBeTruthy();
      const query = signProxyQuery({
        shop: shop.domain,
        logged_in_customer_id: "",
        path_prefix: "/apps/comeback",
        timestamp: String(Math.floor(Date.now() / 1000)),
        t: link![1]!,
        s: String(score),
      });
      // Shopify's App Proxy passes the shopper's browser on.
      return fetch(`${app.server.url}/proxy/nps?${query}`, { headers: { "user-agent": BROWSER_UA } });
    };
    for (const [index, score] of scores.entries()) {
      const response = await click(surveys[index]![0]!, score);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toMatch(/^application\/liquid/);
      const page = await response.text();
      expect(page).toContain(`${score} out of 10`);
      if (score >= 9) expect(page).toContain("A review on the product");
    }
    // A mail scanner that says what it is follows the tracked link of a score: it is not
    // sent on to the answer (the store's home instead), and no click is counted.
    const scanned = surveys[0]![0]!;
    const tracked = [...String(scanned.html).matchAll(/href="(https:\/\/comeback\.test\/m\/c\/[^"]+)"/g)]
      .map((m) => m[1]!.replace(/&amp;/g, "&").replace(/&#38;/g, "&"))
      .find((href) => decodeURIComponent(new URL(href).searchParams.get("u") ?? "").endsWith("&s=0"))!;
    const bot = await fetch(`${app.server.url}${new URL(tracked).pathname}${new URL(tracked).search}`, {
      headers: { "user-agent": "BingPreview/1.0b" },
      redirect: "manual",
    });
    expect(bot.status).toBe(302);
    expect(bot.headers.get("location")).toMatch(/^https:\/\/[^/]+\/$/);
    const person = await fetch(`${app.server.url}${new URL(tracked).pathname}${new URL(tracked).search}`, {
      headers: { "user-agent": BROWSER_UA },
      redirect: "manual",
    });
    expect(person.headers.get("location")).toMatch(/\/apps\/comeback\/nps\?t=[\w.-]+&s=0$/);

    // The first customer clicks again, lower: the score changes, the count does not, no second points.
    const again = await click(surveys[0]![0]!, 8);
    expect(await again.text()).not.toContain("are on their way");
    const responses = await app.db.prisma.feedback.findMany({ where: { shopId: shop.id } });
    expect(responses).toHaveLength(10);
    const final = [8, ...scores.slice(1)];
    expect(responses.map((r) => r.score).sort((a, b) => a - b)).toEqual([...final].sort((a, b) => a - b));
    const points = await app.db.prisma.ledgerEntry.findMany({ where: { shopId: shop.id, reasonCode: "survey" } });
    expect(points).toHaveLength(10);
    expect(points.every((p) => p.points === 20)).toBe(true);

    // A link for another score, or a forged token, records nothing.
    const forged = await fetch(
      `${app.server.url}/proxy/nps?${signProxyQuery({
        shop: shop.domain,
        logged_in_customer_id: "",
        path_prefix: "/apps/comeback",
        timestamp: String(Math.floor(Date.now() / 1000)),
        t: `${responses[0]!.id}.AAAAAAAAAAAAAAAAAAAAAAAAAAA`,
        s: "10",
      })}`,
    );
    expect(forged.status).toBe(404);

    // By hand: promoters 9, 9, 10? No: the first moved 10 → 8. Promoters: 9, 9 (2);
    // passives: 8, 8, 7, 7 (4); detractors: 6, 3, 0, 5 (4). NPS = (2 − 4) / 10 = −20.
    const context = (await loadShopContext(app.db.prisma, { id: shop.id }))!;
    const report = await npsReport(app.db.prisma, context, new Date(Date.now() - DAY), new Date(Date.now() + DAY));
    expect(report.overall).toEqual({ responses: 10, promoters: 2, passives: 4, detractors: 4, nps: -20 });
    expect(report.members.responses).toBe(10);
    expect(report.guests.responses).toBe(0);

    // The Feedback page shows the same index and the responses; detractors raise an alert.
    const admin = adminClient(app.server.url, shop.domain);
    const page = await admin.load<{
      report: { overall: { nps: number; responses: number } };
      responses: Array<{ score: number }>;
      detractors: number;
    }>("/app/feedback?days=30", "routes/app.feedback");
    expect(page.status).toBe(200);
    expect(page.data.report.overall).toMatchObject({ nps: -20, responses: 10 });
    expect(page.data.detractors).toBe(4);
    const detractorsOnly = await admin.load<{ responses: Array<{ score: number }> }>(
      "/app/feedback?days=30&band=detractor",
      "routes/app.feedback",
    );
    expect(detractorsOnly.data.responses.map((r) => r.score).sort()).toEqual([0, 3, 5, 6]);
    // The CSV export: a byte-order mark, a header and one quoted line per response.
    const csv = await fetch(`${app.server.url}/app/feedback/export?days=30`, { headers: admin.headers() });
    expect(csv.headers.get("content-type")).toMatch(/^text\/csv/);
    const bytes = Buffer.from(await csv.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.subarray(3).toString("utf8");
    expect(text.startsWith('"answered_at","score"')).toBe(true);
    expect(text.trim().split("\r\n")).toHaveLength(11);
  });
});
