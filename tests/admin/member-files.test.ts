import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postEntry } from "../../app/services/ledger";
import { runImport } from "../../app/services/member-import";
import { loadShopContext } from "../../app/services/shop-context";
import { adminClient, installShop } from "../support/admin";
import { startTestApp, type TestApp } from "../support/app";
import { createShop } from "../support/seed";

/**
 * Member files through the production build: the members and points-history exports,
 * the upload of a file into an import (multipart, streamed), its report page, starting
 * it, and an export that round-trips through the import.
 */
let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
}, 120_000);
afterAll(async () => {
  await app?.close();
});

async function shopWithMembers() {
  const shop = await createShop(app.db.prisma);
  await installShop(app.db.prisma, shop.domain);
  const gold = await app.db.prisma.tier.create({
    data: { shopId: shop.id, name: "Gold", position: 0, threshold: 0n },
  });
  for (let i = 0; i < 30; i++) {
    const member = await app.db.prisma.member.create({
      data: {
        shopId: shop.id,
        customerId: BigInt(40_000 + i),
        email: `m${i}@example.com`,
        firstName: i === 3 ? "=cmd|' /C calc'!A0" : `Мария ${i}`,
        referralCode: `REF${i}`,
        tierId: i % 3 === 0 ? gold.id : null,
        birthday: i % 2 ? new Date(Date.UTC(2000, 1, 29)) : new Date(Date.UTC(1985, 6, i + 1)),
      },
    });
    await postEntry(app.db.prisma, {
      shopId: shop.id,
      memberId: member.id,
      points: 100 + i,
      kind: "EARN",
      source: "ADMIN",
      reason: { code: "adjustment", params: { note: "seed" } },
      idempotencyKey: `seed:${i}`,
    });
  }
  return shop;
}

describe("member files", () => {
  it("exports the members the list's filters match, in the import's own format, and the import reads it back", async () => {
    const shop = await shopWithMembers();
    const admin = adminClient(app.server.url, shop.domain);
    const response = await fetch(
      `${app.server.url}/app/members/export?tier=${(await app.db.prisma.tier.findFirstOrThrow({ where: { shopId: shop.id } })).id}`,
      {
        headers: admin.headers(),
      },
    );
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/csv/);
    const text = await response.text();
    const rows = parse(text, { bom: true, columns: true }) as Array<Record<string, string>>;
    // Gold members only: 0, 3, 6, … 27.
    expect(rows).toHaveLength(10);
    expect(rows.find((r) => r.shopify_customer_id === "40003")).toMatchObject({
      email: "m3@example.com",
      points_balance: "103",
      tier: "Gold",
      // A birthday without a year, guarded like any text a spreadsheet would compute.
      birthday: "'--02-29",
      referral_code: "REF3",
      // A name that would run as a formula in a spreadsheet is defused.
      first_name: "'=cmd|' /C calc'!A0",
    });
    expect(rows.find((r) => r.shopify_customer_id === "40000")?.birthday).toBe("1985-07-01");

    // Into another shop, through the upload route: recognised as Comeback's format.
    const target = await createShop(app.db.prisma);
    await installShop(app.db.prisma, target.domain);
    await app.db.prisma.tier.create({ data: { shopId: target.id, name: "Gold", position: 0, threshold: 0n } });
    const form = new FormData();
    form.append("file", new Blob([text], { type: "text/csv" }), "members.csv");
    const targetAdmin = adminClient(app.server.url, target.domain);
    const upload = await fetch(`${app.server.url}/app/imports.data`, {
      method: "POST",
      headers: targetAdmin.headers(),
      body: form,
      redirect: "manual",
    });
    const location = upload.headers.get("x-remix-redirect") ?? upload.headers.get("location") ?? "";
    const id = /\/app\/imports\/([0-9a-f-]{36})$/.exec(location)?.[1];
    expect(id, `${upload.status} ${location}`).toBeTruthy();
    const page = await targetAdmin.load<{
      job: { status: string; format: string; rows: number; invalid: number };
      report: { dryRun: { valid: number; new: number; points: number; tiers: number } };
    }>(`/app/imports/${id}`, "routes/app.imports.$id");
    expect(page.data.job).toMatchObject({ status: "VALIDATED", format: "Comeback", rows: 10, invalid: 0 });
    expect(page.data.report.dryRun).toMatchObject({ valid: 10, new: 10, points: 1135, tiers: 10 });

    const started = await targetAdmin.act(`/app/imports/${id}`, { intent: "start" });
    expect(started.status).toBe(200);
    // The job (run here: the test app has no queue worker) imports every row.
    const context = (await loadShopContext(app.db.prisma, { id: target.id }))!;
    await runImport(app.db.prisma, context, id!, {
      byEmail: async () => new Map(),
      create: async () => null,
    });
    const imported = await app.db.prisma.member.findMany({
      where: { shopId: target.id },
      orderBy: { customerId: "asc" },
      select: { customerId: true, balance: true, referralCode: true, birthday: true, tierId: true },
    });
    expect(imported.map((m) => [m.customerId, m.balance, m.referralCode])).toEqual(
      [0, 3, 6, 9, 12, 15, 18, 21, 24, 27].map((i) => [BigInt(40_000 + i), 100 + i, `REF${i}`]),
    );
    expect(imported.every((m) => m.tierId !== null)).toBe(true);
    // The birthday without a year comes back as one.
    expect(imported[1]!.birthday?.toISOString().slice(0, 10)).toBe("2000-02-29");
    // A second start is refused: the import ran.
    expect((await targetAdmin.act(`/app/imports/${id}`, { intent: "start" })).status).toBe(422);
  });

  it("exports the points history for a date range, oldest first, and refuses a range the wrong way round", async () => {
    const shop = await shopWithMembers();
    const admin = adminClient(app.server.url, shop.domain);
    const today = new Date().toISOString().slice(0, 10);
    const response = await fetch(`${app.server.url}/app/ledger/export?from=${today}&to=${today}`, {
      headers: admin.headers(),
    });
    const rows = parse(await response.text(), { bom: true, columns: true }) as Array<Record<string, string>>;
    expect(rows).toHaveLength(30);
    expect(rows[0]).toMatchObject({ shopify_customer_id: "40000", points: "100", kind: "EARN", source: "ADMIN" });
    const ids = rows.map((r) => BigInt(r.entry_id!));
    expect(ids).toEqual([...ids].sort((a, b) => (a < b ? -1 : 1)));
    const none = await fetch(`${app.server.url}/app/ledger/export?from=2020-01-01&to=2020-01-31`, {
      headers: admin.headers(),
    });
    expect((await none.text()).trim().split("\r\n")).toHaveLength(1);
    const backwards = await fetch(`${app.server.url}/app/ledger/export?from=2026-02-01&to=2026-01-01`, {
      headers: admin.headers(),
    });
    expect(backwards.status).toBe(400);
  });

  it("refuses an empty upload with a message, creating no import", async () => {
    const shop = await createShop(app.db.prisma);
    await installShop(app.db.prisma, shop.domain);
    const admin = adminClient(app.server.url, shop.domain);
    const form = new FormData();
    form.append("file", new Blob([""], { type: "text/csv" }), "empty.csv");
    const empty = await fetch(`${app.server.url}/app/imports.data`, {
      method: "POST",
      headers: admin.headers(),
      body: form,
      redirect: "manual",
    });
    expect(empty.status).toBe(400);
    expect(await app.db.prisma.memberImport.count({ where: { shopId: shop.id } })).toBe(0);
  });
});
