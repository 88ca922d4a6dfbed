import { randomUUID } from "node:crypto";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDefaultProgram } from "../../app/services/defaults";
import { runBulkAction } from "../../app/services/admin/bulk-members";
import { findBalanceMismatches } from "../../app/services/ledger";
import { adminClient, installShop } from "../support/admin";
import { startTestApp, type TestApp } from "../support/app";
import { createMember, createShop } from "../support/seed";

/**
 * Bulk actions on the members list, as a merchant starts them (POST through the
 * production build and Shopify's authenticate.admin) and as the job carries them out:
 * every error at once with nothing written, only the shop's own members, balances never
 * below zero, nobody changed twice when the job runs twice or on two instances, and the
 * activity log naming who did it.
 */

let app: TestApp;
let shop: { id: string; domain: string };
let other: { id: string; domain: string };
let admin: ReturnType<typeof adminClient>;

beforeAll(async () => {
  app = await startTestApp();
  shop = await createShop(app.db.prisma, { live: true });
  other = await createShop(app.db.prisma, { live: true });
  for (const s of [shop, other]) {
    await app.db.prisma.$transaction((tx) => seedDefaultProgram(tx, s.id, "USD", "en"));
    await installShop(app.db.prisma, s.domain);
  }
  admin = adminClient(app.server.url, shop.domain);
});
afterAll(async () => {
  await app?.close();
});

const member = (shopId: string, balance = 0, extra: { tierId?: string; status?: "EXCLUDED" } = {}) =>
  createMember(app.db.prisma, shopId, { balance, ...extra });

async function start(fields: Record<string, string>) {
  const response = await admin.act<{ ok: boolean; result?: { progressId: string; count: number }; errors?: object }>(
    "/app/members?index",
    { intent: "bulk", ...fields },
  );
  return response;
}

async function progressOf(id: string) {
  return app.db.prisma.jobProgress.findUniqueOrThrow({ where: { id } });
}

describe("starting a bulk action", () => {
  it("answers a bad form with every field's error at once and writes nothing", async () => {
    const before = await app.db.prisma.jobProgress.count({ where: { shopId: shop.id } });
    const response = await start({ action: "adjust", points: "abc", reason: " ", ids: "" });
    expect(response.status).toBe(422);
    expect(response.data.errors).toEqual({
      points: "validation.wholeNumber",
      reason: "validation.reasonRequired",
      ids: "members.bulk.noneSelected",
    });
    const badTier = await start({
      action: "setTier",
      tierId: randomUUID(),
      until: "2020-01-01",
      reason: "VIP",
      ids: randomUUID(),
    });
    expect(badTier.data.errors).toEqual({ tierId: "validation.invalid", until: "validation.future" });
    expect(await app.db.prisma.jobProgress.count({ where: { shopId: shop.id } })).toBe(before);
    expect(
      await app.db.prisma.activityLog.count({ where: { shopId: shop.id, action: { startsWith: "members.bulk" } } }),
    ).toBe(0);
  });

  it("never reaches another shop's members", async () => {
    const theirs = await member(other.id, 100);
    const response = await start({ action: "adjust", points: "50", reason: "Sorry", ids: theirs.id });
    expect(response.status).toBe(422);
    expect(response.data.errors).toEqual({ ids: "members.bulk.noneSelected" });
    expect((await app.db.prisma.member.findUniqueOrThrow({ where: { id: theirs.id } })).balance).toBe(100);
  });
});

describe("adjusting points for the members picked", () => {
  it("credits or debits each once, skips those it would take below zero or who are excluded, and logs who did it", async () => {
    const rich = await member(shop.id, 500);
    const poor = await member(shop.id, 50);
    const excluded = await member(shop.id, 500, { status: "EXCLUDED" });
    const response = await start({
      action: "adjust",
      points: "-100",
      reason: "Points given by mistake",
      ids: [rich.id, poor.id, excluded.id].join(","),
    });
    expect(response.status).toBe(200);
    const { progressId, count } = response.data.result!;
    expect(count).toBe(3);

    // Two instances take the job at once, then a retry runs it a third time.
    await Promise.all([runBulkAction(app.db.prisma, progressId), runBulkAction(app.db.prisma, progressId)]);
    await runBulkAction(app.db.prisma, progressId);

    const balances = await app.db.prisma.member.findMany({
      where: { id: { in: [rich.id, poor.id, excluded.id] } },
      select: { id: true, balance: true },
    });
    expect(Object.fromEntries(balances.map((m) => [m.id, m.balance]))).toEqual({
      [rich.id]: 400,
      [poor.id]: 50,
      [excluded.id]: 500,
    });
    const entries = await app.db.prisma.ledgerEntry.findMany({ where: { memberId: rich.id, kind: "ADJUST" } });
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ points: -100, actor: "staff:1", reason: "Points given by mistake" });
    const progress = await progressOf(progressId);
    expect(progress).toMatchObject({ status: "DONE", total: 3, done: 3 });
    expect((progress.details as { outcomes: object }).outcomes).toEqual({ changed: 1, belowZero: 1, inactive: 1 });
    const audit = await app.db.prisma.activityLog.findFirstOrThrow({
      where: { shopId: shop.id, action: "members.bulk.adjust" },
    });
    expect(audit).toMatchObject({ actor: "staff:1" });
    expect(audit.details).toMatchObject({ members: 3, points: -100, reason: "Points given by mistake" });
    expect(await findBalanceMismatches(app.db.prisma, { shopId: shop.id })).toEqual([]);

    // The members list shows where it stands.
    const list = await admin.load<{ bulk: { status: string; outcomes: object } }>(
      "/app/members",
      "routes/app.members._index",
    );
    expect(list.data.bulk).toMatchObject({ status: "DONE", outcomes: { changed: 1, belowZero: 1, inactive: 1 } });
  });

  it("runs one at a time per shop", async () => {
    const m = await member(shop.id, 10);
    const first = await start({ action: "adjust", points: "5", reason: "Welcome gift", ids: m.id });
    expect(first.status).toBe(200);
    const second = await start({ action: "adjust", points: "5", reason: "Welcome gift", ids: m.id });
    expect(second.status).toBe(422);
    expect(second.data.errors).toEqual({ form: "members.bulk.running" });
    await runBulkAction(app.db.prisma, first.data.result!.progressId);
    expect((await app.db.prisma.member.findUniqueOrThrow({ where: { id: m.id } })).balance).toBe(15);
  });
});

describe("acting on every member the filters match", () => {
  it("sets a tier for the members matched when the job starts, then ends it, with each change in the tier history", async () => {
    const tiers = await app.db.prisma.tier.findMany({ where: { shopId: shop.id }, orderBy: { threshold: "asc" } });
    const [bronze, , gold] = tiers;
    const inBronze = [
      await member(shop.id, 0, { tierId: bronze!.id }),
      await member(shop.id, 0, { tierId: bronze!.id }),
    ];
    const elsewhere = await member(shop.id, 0);
    const response = await start({
      action: "setTier",
      tierId: gold!.id,
      until: "",
      reason: "Launch party guests",
      all: "true",
      query: `tier=${bronze!.id}`,
    });
    expect(response.data.result!.count).toBe(2);
    const progressId = response.data.result!.progressId;
    await runBulkAction(app.db.prisma, progressId);
    // A member who reaches the filter after the job froze its selection is left alone.
    const late = await member(shop.id, 0, { tierId: bronze!.id });
    await runBulkAction(app.db.prisma, progressId);

    const after = await app.db.prisma.member.findMany({
      where: { id: { in: [...inBronze.map((m) => m.id), elsewhere.id, late.id] } },
      select: { id: true, tierId: true, tierOverride: true },
    });
    const byId = Object.fromEntries(after.map((m) => [m.id, m]));
    for (const m of inBronze) expect(byId[m.id]).toMatchObject({ tierId: gold!.id, tierOverride: true });
    expect(byId[elsewhere.id]).toMatchObject({ tierOverride: false });
    expect(byId[late.id]).toMatchObject({ tierId: bronze!.id, tierOverride: false });
    expect(await app.db.prisma.tierEvent.count({ where: { memberId: inBronze[0]!.id, actor: "staff:1" } })).toBe(1);

    const end = await start({
      action: "clearTier",
      reason: "Party is over",
      ids: [...inBronze.map((m) => m.id), elsewhere.id].join(","),
    });
    await runBulkAction(app.db.prisma, end.data.result!.progressId);
    const ended = await progressOf(end.data.result!.progressId);
    expect((ended.details as { outcomes: object }).outcomes).toEqual({ changed: 2, unchanged: 1 });
    for (const m of inBronze)
      expect((await app.db.prisma.member.findUniqueOrThrow({ where: { id: m.id } })).tierOverride).toBe(false);
  });

  it("excludes members, with a line in each one's activity, and takes them back with their points", async () => {
    const m = await member(shop.id, 1000);
    const excluded = await start({ action: "exclude", reason: "Reseller accounts", ids: m.id });
    await runBulkAction(app.db.prisma, excluded.data.result!.progressId);
    expect((await app.db.prisma.member.findUniqueOrThrow({ where: { id: m.id } })).status).toBe("EXCLUDED");
    expect(
      await app.db.prisma.activityLog.count({ where: { shopId: shop.id, action: "member.excluded", subject: m.id } }),
    ).toBe(1);
    const back = await start({ action: "include", reason: "Checked: real customer", ids: m.id });
    await runBulkAction(app.db.prisma, back.data.result!.progressId);
    const restored = await app.db.prisma.member.findUniqueOrThrow({ where: { id: m.id } });
    expect(restored).toMatchObject({ status: "ACTIVE", balance: 1000 });
  });
});

describe("exporting the selection", () => {
  it("writes only the members picked, and only the shop's own", async () => {
    const picked = [await member(shop.id, 7), await member(shop.id, 8)];
    const theirs = await member(other.id, 9);
    await member(shop.id, 10);
    const ids = [...picked.map((m) => m.id), theirs.id].join(",");
    const response = await fetch(`${app.server.url}/app/members/export?ids=${ids}`, { headers: admin.headers() });
    expect(response.status).toBe(200);
    const rows = parse(await response.text(), { bom: true, columns: true }) as Array<Record<string, string>>;
    expect(rows.map((r) => r.email).sort()).toEqual(picked.map((m) => m.email).sort());
  });
});
