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
import { postWebhook, proxyUrl, signProxyQuery } from "../support/shopify";
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

    // The dashboard shows the same index, and the Feedback page the responses; detractors raise an alert.
    const admin = adminClient(app.server.url, shop.domain);
    await app.db.prisma.shop.update({ where: { id: shop.id }, data: { setupCompleted: true } });
    invalidateShopContext({ id: shop.id });
    const dashboard = await admin.load<{ nps: { current: { nps: number; responses: number } } }>(
      "/app?days=30",
      "routes/app._index",
    );
    expect(dashboard.status).toBe(200);
    expect(dashboard.data.nps.current).toMatchObject({ nps: -20, responses: 10, promoters: 2, detractors: 4 });
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

  it("asks a member with an unanswered survey in the storefront panel, with the email's score links, until they answer", async () => {
    const shop = await createShop(app.db.prisma, {
      settings: { quietHoursEnd: 0, quietHoursStart: 0, autoEnroll: true },
      rules: { SIGNUP: 0 },
    });
    await installShop(app.db.prisma, shop.domain);
    await app.db.prisma.messageSetting.create({
      data: { shopId: shop.id, kind: "NPS", enabled: true, timing: { delayDays: 7 }, enabledAt: new Date(0) },
    });
    // Ann takes email; Boris unsubscribed from all of it, so only the panel can ask him.
    const delivered = new Date(Date.now() - 9 * DAY).toISOString();
    for (const id of [7_001, 7_002]) {
      const order = {
        id: 71_000 + id,
        customer: { id, email: `panel${id}@example.com`, firstName: id === 7_001 ? "Ann" : "Boris" },
        email: `panel${id}@example.com`,
        lines: [{ price: "30.00" }],
        processedAt: new Date(Date.now() - 12 * DAY).toISOString(),
      };
      for (const [topic, body] of [
        ["orders/paid", orderPayload(order)],
        [
          "orders/fulfilled",
          orderPayload({ ...order, fulfillments: [{ createdAt: delivered, shipmentStatus: "delivered" }] }),
        ],
      ] as const)
        expect(
          (await postWebhook(app.server.url, { topic, shop: shop.domain, body: JSON.stringify(body) })).status,
        ).toBe(200);
    }
    await app.db.prisma.member.updateMany({
      where: { shopId: shop.id, customerId: 7_002n },
      data: { marketingOptOut: true, noticesOptOut: true },
    });
    type Panel = { member: { survey: { scores: string[] } | null } | null };
    const panel = async (customerId: number | null) =>
      (await (await fetch(proxyUrl(app.server.url, "member", { shop: shop.domain, customerId }))).json()) as Panel;
    // Not yet due: no survey anywhere.
    expect((await panel(7_001)).member?.survey).toBeNull();

    invalidateShopContext({ id: shop.id });
    await selectDailyMessages(app.db.prisma);
    await sendDueMessages(app.db.prisma, shop.id);
    expect(smtp.to("panel7001@example.com")).toHaveLength(1);
    expect(smtp.to("panel7002@example.com")).toHaveLength(0);

    const ann = (await panel(7_001)).member!.survey!;
    const boris = (await panel(7_002)).member!.survey!;
    expect((await panel(null)).member).toBeNull();
    for (const survey of [ann, boris]) {
      expect(survey.scores).toHaveLength(11);
      survey.scores.forEach((href, score) =>
        expect(href).toMatch(new RegExp(`^/apps/comeback/nps\\?t=[\\w.-]+&s=${score}&l=en$`)),
      );
    }
    // The panel's link for Ann is the one her email carries.
    const destinations = [...String(smtp.to("panel7001@example.com")[0]!.html).matchAll(/\?u=([^"&]+)/g)].map((m) =>
      decodeURIComponent(m[1]!),
    );
    expect(destinations.some((url) => url.endsWith(ann.scores[9]!.replace(/&l=en$/, "")))).toBe(true);

    // Boris taps 9 in the panel: Shopify's proxy forwards the link's query to the app.
    const answer = new URL(boris.scores[9]!, "https://store.example");
    const answered = await fetch(
      `${app.server.url}/proxy/nps?${signProxyQuery({
        shop: shop.domain,
        logged_in_customer_id: "7002",
        path_prefix: "/apps/comeback",
        timestamp: String(Math.floor(Date.now() / 1000)),
        t: answer.searchParams.get("t")!,
        s: answer.searchParams.get("s")!,
      })}`,
      { headers: { "user-agent": BROWSER_UA } },
    );
    expect(answered.status).toBe(200);
    const member = await app.db.prisma.member.findFirstOrThrow({ where: { shopId: shop.id, customerId: 7_002n } });
    expect(
      await app.db.prisma.feedback.findMany({ where: { shopId: shop.id }, select: { memberId: true, score: true } }),
    ).toEqual([{ memberId: member.id, score: 9 }]);
    // Answered: the panel stops asking him, and still asks Ann.
    expect((await panel(7_002)).member?.survey).toBeNull();
    expect((await panel(7_001)).member?.survey?.scores).toEqual(ann.scores);
  });

  it("pages through 1,234 responses both ways without a gap or a repeat, and exports every one as CSV with formulas defused", async () => {
    const shop = await createShop(app.db.prisma);
    await installShop(app.db.prisma, shop.domain);
    // Answers in bursts of three that share a timestamp: the pages must still split them cleanly.
    await app.db.prisma.$executeRaw`
      INSERT INTO "Feedback" (id, "shopId", "orderId", score, comment, "createdAt")
      SELECT gen_random_uuid(), ${shop.id}::uuid, 90000 + n, n % 11,
             CASE WHEN n = 7 THEN '=HYPERLINK("http://evil.example","Click")' ELSE 'Comment ' || n END,
             now() - make_interval(mins => n / 3)
      FROM generate_series(1, 1234) AS n`;
    const admin = adminClient(app.server.url, shop.domain);
    type Page = {
      responses: Array<{ id: string; order: string }>;
      page: { total: number; next: string | null; previous: string | null };
    };
    const load = async (query: string) =>
      (await admin.load<Page>(`/app/feedback?days=30${query}`, "routes/app.feedback")).data;

    const seen: string[] = [];
    const pages: Page[] = [];
    let page = await load("");
    expect(page.page).toMatchObject({ total: 1234, previous: null });
    for (;;) {
      pages.push(page);
      seen.push(...page.responses.map((r) => r.id));
      if (!page.page.next) break;
      page = await load(`&after=${page.page.next}`);
    }
    expect(pages).toHaveLength(25); // 24 pages of 50 and one of 34
    expect(pages.at(-1)!.responses).toHaveLength(34);
    expect(new Set(seen).size).toBe(1234);
    // Newest first: order ids rise as answers get older.
    const orders = pages.flatMap((p) => p.responses.map((r) => Number(r.order)));
    expect(
      orders.filter((o, i) => i > 0 && Math.floor((o - 90000) / 3) < Math.floor((orders[i - 1]! - 90000) / 3)),
    ).toEqual([]);
    // Back from the last page: each "previous" is exactly the page before.
    let back = pages.at(-1)!;
    for (let i = pages.length - 2; i >= 0; i -= 1) {
      back = await load(`&before=${back.page.previous}`);
      expect(
        back.responses.map((r) => r.id),
        `page ${i + 1}`,
      ).toEqual(pages[i]!.responses.map((r) => r.id));
    }
    expect(back.page.previous).toBeNull();

    const csv = await fetch(`${app.server.url}/app/feedback/export?days=30&after=${pages[3]!.page.next}`, {
      headers: admin.headers(),
    });
    const lines = (await csv.text())
      .replace(/^\uFEFF/, "")
      .trim()
      .split("\r\n");
    expect(lines).toHaveLength(1235); // the whole period, whatever page the merchant was on
    const formula = lines.find((line) => line.includes("HYPERLINK"))!;
    expect(formula.endsWith(`"'=HYPERLINK(""http://evil.example"",""Click"")"`)).toBe(true);
  });
});
