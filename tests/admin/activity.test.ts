import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { actorLabel, detailLines } from "../../app/components/activity-text";
import { hasMessage, translator } from "../../app/i18n";
import { DEFAULT_SCOPES } from "../../app/platform/config.server";
import { startAdminStandin, type AdminStandin } from "../../scripts/shopify-standin/admin-api";
import { adminClient } from "../support/admin";
import { startTestApp, type TestApp } from "../support/app";
import { createStandinShop } from "../support/seed";

/**
 * Who did what, readably: staff members by the name Shopify gives in an online token
 * exchange (the stand-in answers it as shopify.dev documents), members by name or email,
 * and details as sentences with the forms' own labels.
 */
let standin: AdminStandin;
let app: TestApp;
let shop: { id: string; domain: string };

beforeAll(async () => {
  standin = await startAdminStandin({
    accessToken: "offline-token",
    staff: {
      "1": { first_name: "Alex", last_name: "Morgan", email: "alex@example.com" },
      "2": { first_name: "Ольга", last_name: "Смирнова", email: "olga@example.com", locale: "ru" },
    },
  });
  app = await startTestApp();
  shop = await createStandinShop(app.db.prisma, (domain) => standin.endpoint(domain));
  // What authenticate.admin checks: the offline session holds the app's scopes.
  await app.db.prisma.session.update({
    where: { id: `offline_${shop.domain}` },
    data: { scope: DEFAULT_SCOPES.join(",") },
  });
});
afterAll(async () => {
  await app?.close();
  await standin?.close();
});

async function until<T>(read: () => Promise<T | null>, ms = 5000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (value) return value;
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("the activity log", () => {
  it("names the staff member who adjusted points, and the member, with the details as sentences", async () => {
    const member = await app.db.prisma.member.create({
      data: { shopId: shop.id, customerId: 4242n, referralCode: "ACT1", firstName: "Anna", email: "anna@example.com" },
    });
    for (const staff of ["1", "2", "77"]) {
      const admin = adminClient(app.server.url, shop.domain, { staff });
      const adjusted = await admin.act(`/app/members/${member.id}`, {
        intent: "adjust",
        points: "25",
        reason: `Goodwill ${staff}`,
        requestId: `request-${staff}-0000`,
      });
      expect(adjusted.status, staff).toBe(200);
      if (staff !== "77")
        await until(() =>
          app.db.prisma.staffMember.findUnique({ where: { shopId_userId: { shopId: shop.id, userId: staff } } }),
        );
    }
    // Shopify does not know user 77: no name is stored, and nothing fails.
    await new Promise((r) => setTimeout(r, 300));
    expect(
      await app.db.prisma.staffMember.findMany({ where: { shopId: shop.id }, orderBy: { userId: "asc" } }),
    ).toEqual([
      expect.objectContaining({ userId: "1", name: "Alex Morgan", email: "alex@example.com" }),
      expect.objectContaining({ userId: "2", name: "Ольга Смирнова" }),
    ]);

    const page = await adminClient(app.server.url, shop.domain).load<{
      entries: Array<{ actor: string; subject: string; details: unknown }>;
      names: { staff: Record<string, string>; members: Record<string, string> };
    }>("/app/activity", "routes/app.activity");
    expect(page.status).toBe(200);
    const t = translator("en");
    const shown = page.data.entries.map((e) => ({
      who: actorLabel(e.actor, page.data.names.staff, t),
      subject: page.data.names.members[e.subject],
      details: detailLines(e.details, t),
    }));
    expect(shown).toEqual([
      {
        who: "Staff member (user 77)",
        subject: "Anna · anna@example.com",
        details: ["Points: 25", "Reason: Goodwill 77"],
      },
      { who: "Ольга Смирнова", subject: "Anna · anna@example.com", details: ["Points: 25", "Reason: Goodwill 2"] },
      { who: "Alex Morgan", subject: "Anna · anna@example.com", details: ["Points: 25", "Reason: Goodwill 1"] },
    ]);

    // The member page's ledger names who made the manual entries too.
    const detail = await adminClient(app.server.url, shop.domain).load<{ entries: Array<{ actor: string | null }> }>(
      `/app/members/${member.id}`,
      "routes/app.members.$id",
    );
    expect(detail.data.entries.map((e) => e.actor)).toEqual(
      expect.arrayContaining(["Alex Morgan", "Ольга Смирнова", "Staff member (user 77)"]),
    );
  });

  it("reads a settings diff as before → after with the form's labels, in Russian too", () => {
    const diff = { tierMetric: ["SPEND", "ORDERS"], tierGraceDays: [30, 14], tierCountsHistory: [false, true] };
    expect(detailLines(diff, translator("en"))).toEqual([
      "Tiers are reached by: Money spent → Number of orders",
      "Grace before a downgrade (days): 30 → 14",
      "Count past orders towards tiers: no → yes",
    ]);
    expect(detailLines(diff, translator("ru"))[2]).toBe("Учитывать прошлые заказы для уровней: нет → да");
    expect(detailLines({ tierId: "t-1", reason: "VIP guest" }, translator("en"), { "t-1": "Gold" })).toEqual([
      "Tier: Gold",
      "Reason: VIP guest",
    ]);
    expect(detailLines(null, translator("en"))).toEqual([]);
    // Numbers take the admin's separators, and every field of a grant has a name in Russian.
    expect(detailLines({ points: 53133, orders: 463, members: 218 }, translator("ru"))).toEqual([
      "Баллы: 53\u00a0133",
      "Заказы: 463",
      "Участники: 218",
    ]);
  });
});

/** Every action the app logs, as written in its source: recordActivity(…) and activityLog.create(…). */
function loggedActions(dir = "app"): string[] {
  const found = new Set<string>();
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== "generated") for (const action of loggedActions(path)) found.add(action);
      continue;
    }
    if (!/\.tsx?$/.test(entry.name)) continue;
    const source = readFileSync(path, "utf8");
    for (const call of source.matchAll(
      /(?:recordActivity\(|activityLog\.create\()[\s\S]{0,400}?action: "([a-zA-Z_.]+)"/g,
    ))
      found.add(call[1]!);
  }
  return [...found];
}

describe("the activity log's words", () => {
  it("names every action the app logs, so no entry reads as a code", () => {
    const actions = loggedActions();
    expect(actions).toEqual(expect.arrayContaining(["member.adjusted", "history.pastPoints", "members.imported"]));
    expect(actions.filter((action) => !hasMessage(`activity.action.${action}`))).toEqual([]);
  });
});
