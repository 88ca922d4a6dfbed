import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAdminClient } from "../../app/shopify/admin-api.server";
import { importCustomers } from "../../app/shopify/member-import.server";
import { ImportRefused, importReport, runImport, stageImport, validateImport } from "../../app/services/member-import";
import { loadShopContext, type ShopContext } from "../../app/services/shop-context";
import { findBalanceMismatches } from "../../app/services/ledger";
import { startAdminStandin, type AdminStandin } from "../../scripts/shopify-standin/admin-api";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { createShop } from "../support/seed";

/**
 * The member import from files as other loyalty apps write them. Each fixture uses the
 * columns its vendor documents (the source is named beside it); Shopify is the Admin
 * API stand-in, which knows some of the customers by email.
 */
let db: TestDatabase;
let standin: AdminStandin;

beforeAll(async () => {
  db = await createTestDatabase();
  standin = await startAdminStandin({ accessToken: "offline-token" });
}, 60_000);
afterAll(async () => {
  await standin?.close();
  await db?.close();
});

async function shopWithTiers(): Promise<ShopContext> {
  const shop = await createShop(db.prisma);
  await db.prisma.tier.createMany({
    data: [
      { shopId: shop.id, name: "Silver", names: { ru: "Серебро" }, position: 0, threshold: 0n },
      { shopId: shop.id, name: "Gold", names: { ru: "Золото" }, position: 1, threshold: 50_000n },
    ],
  });
  return (await loadShopContext(db.prisma, { id: shop.id }))!;
}

async function* bytes(...parts: Array<string | Uint8Array>) {
  for (const part of parts) yield typeof part === "string" ? new TextEncoder().encode(part) : part;
}

function stage(shop: ShopContext, content: string | Uint8Array, filename = "members.csv") {
  return stageImport(db.prisma, shop, { filename, data: bytes(content), actor: "staff:1", createMissing: false });
}

const customers = () =>
  importCustomers(createAdminClient({ endpoint: standin.endpoint("x"), accessToken: "offline-token" }));

async function rowsOf(importId: string) {
  return db.prisma.memberImportRow.findMany({ where: { importId }, orderBy: { line: "asc" } });
}

/** A member Comeback already has, found by email or customer id. */
async function member(shop: ShopContext, customerId: number, email: string) {
  return db.prisma.member.create({
    data: { shopId: shop.id, customerId: BigInt(customerId), email, referralCode: `M${customerId}` },
  });
}

describe("recognising other apps' files", () => {
  // Each fixture: [vendor, where its columns are documented, file, what row 2 reads as].
  const fixtures: Array<[string, string, string, Record<string, unknown>]> = [
    [
      "smile",
      "help.smile.io 4036233 (points import: email, points)",
      "email,points\nann@example.com,1250\n",
      { email: "ann@example.com", points: 1250 },
    ],
    [
      "smile",
      "LoyaltyLion help 1965540 (column A email, column B points)",
      "Email,Points\r\nANN@Example.com,40\r\n",
      { email: "ann@example.com", points: 40 },
    ],
    [
      "yotpo",
      "support.yotpo.com importing/exporting points and customers",
      "Full Name,Email,Points Balance,Points Spent,Birthday (MM/DD) or (MM/DD/YYYY)\nAnn Lee,ann@example.com,300,120,03/21/1990\n",
      { email: "ann@example.com", points: 300, firstName: "Ann", lastName: "Lee", birthday: "1990-03-21" },
    ],
    [
      "rivo",
      "help.rivo.io 6671188 (Import Loyalty Data template)",
      "Email,Points Balance,Birthdate,VIP Tier,Activation Date,Credits Balance\nann@example.com,75,1988-07-02,Gold,2025-01-10,0\n",
      { email: "ann@example.com", points: 75, birthday: "1988-07-02", tier: "Gold" },
    ],
    [
      "bon",
      "bonloyalty.com import customer data via CSV (Shopify customer IDs, emails, points)",
      "Shopify Customer ID,Customer Email,Points\n820982911946154508,ann@example.com,500\n",
      { email: "ann@example.com", customerId: 820982911946154508n, points: 500 },
    ],
    [
      "joy",
      "help.joy.so import customer data (Birthday(MM/DD)) and export fields",
      "Email,Name,Membership Type,Points,Birthday(MM/DD)\nann@example.com,Анна Ли,Золото,90,02/29\n",
      {
        email: "ann@example.com",
        firstName: "Анна",
        lastName: "Ли",
        tier: "Золото",
        points: 90,
        birthday: "2000-02-29",
      },
    ],
    [
      "comeback",
      "README: Members CSV (what /app/members/export writes)",
      '"email","shopify_customer_id","first_name","points_balance","lifetime_points","tier","birthday","referral_code"\n"ann@example.com","7001","Ann","60","900","Silver","--12-31","ANN-2026"\n',
      {
        email: "ann@example.com",
        customerId: 7001n,
        points: 60,
        tier: "Silver",
        birthday: "2000-12-31",
        referralCode: "ANN-2026",
      },
    ],
  ];

  it.each(fixtures)("reads a %s file (%s)", async (format, _source, file, expected) => {
    const shop = await shopWithTiers();
    const id = await stage(shop, file);
    const job = await db.prisma.memberImport.findUniqueOrThrow({ where: { id } });
    expect(job).toMatchObject({ format, status: "VALIDATED", rows: 1, invalid: 0 });
    const [row] = await rowsOf(id);
    expect(row).toMatchObject({ line: 2, errors: [], ...expected });
    if (expected.tier)
      expect(row!.tierId).toBe(shop.tiers.find((t) => t.name === (format === "joy" ? "Gold" : expected.tier))!.id);
  });

  it("asks for the columns of a file it does not know, then checks the rows with the merchant's mapping", async () => {
    const shop = await shopWithTiers();
    const id = await stage(shop, "Клиент;Почта;Бонусы\nАнна;anna@example.ru;120\n");
    expect(await db.prisma.memberImport.findUniqueOrThrow({ where: { id } })).toMatchObject({
      format: "generic",
      status: "NEEDS_MAPPING",
      delimiter: ";",
      header: ["Клиент", "Почта", "Бонусы"],
    });
    expect(await validateImport(db.prisma, shop, id, { firstName: 0, email: 1, points: 2 })).toBe(true);
    expect((await rowsOf(id))[0]).toMatchObject({
      firstName: "Анна",
      email: "anna@example.ru",
      points: 120,
      errors: [],
    });
  });
});

describe("files as they come from spreadsheets", () => {
  it("reads Windows-1251 (Excel's Russian CSV), a byte-order mark, semicolons and quoted newlines", async () => {
    const shop = await shopWithTiers();
    // "Имя" and "Ольга" in Windows-1251, as Excel saves a Russian sheet.
    const cp1251 = (text: string) =>
      Uint8Array.from([...text].map((c) => (c >= "А" && c <= "я" ? c.charCodeAt(0) - 0x410 + 0xc0 : c.charCodeAt(0))));
    const legacy = await stage(shop, cp1251("email;points;first_name\nolga@example.ru;10;Ольга\n"));
    expect(await db.prisma.memberImport.findUniqueOrThrow({ where: { id: legacy } })).toMatchObject({
      encoding: "windows-1251",
      delimiter: ";",
    });
    expect((await rowsOf(legacy))[0]).toMatchObject({ firstName: "Ольга", points: 10 });

    const bom = await stage(
      shop,
      '\uFEFFemail,points,first_name\n"a@example.com",5,"Ann\nMarie"\nb@example.com,6,Bo\n',
    );
    const rows = await rowsOf(bom);
    expect(await db.prisma.memberImport.findUniqueOrThrow({ where: { id: bom } })).toMatchObject({
      encoding: "utf-8",
      format: "smile",
    });
    // The quoted newline stays in the name; the next record starts on line 4.
    expect(rows.map((r) => [r.line, r.firstName, r.points])).toEqual([
      [3, "Ann\nMarie", 5],
      [4, "Bo", 6],
    ]);
  });

  it("reports every bad row with its line and reason, and keeps the first of duplicates", async () => {
    const shop = await shopWithTiers();
    const id = await stage(
      shop,
      [
        "Email,Points Balance,Birthdate,VIP Tier",
        "ok@example.com,10,,", // 2
        "not-an-email,10,,", // 3
        "neg@example.com,-5,,", // 4
        "dec@example.com,12.5,,", // 5
        'sep@example.com,"1,250",,', // 6
        "bday@example.com,1,31/31/1990,", // 7
        "tier@example.com,1,,Platinum", // 8
        "OK@example.com,20,,", // 9: same customer as line 2
        ",30,,", // 10
      ].join("\n"),
    );
    const rows = await rowsOf(id);
    expect(rows.map((r) => [r.line, r.errors])).toEqual([
      [2, []],
      [3, ["bad_email"]],
      [4, ["negative_points"]],
      [5, ["bad_points"]],
      [6, ["bad_points"]],
      [7, ["bad_birthday"]],
      [8, ["unknown_tier"]],
      [9, ["duplicate"]],
      [10, ["no_customer"]],
    ]);
    const report = await importReport(db.prisma, shop.id, id);
    expect(report.samples.map((s) => s.line)).toEqual([3, 4, 5, 6, 7, 8, 9, 10]);
    expect(report.dryRun).toMatchObject({ valid: 1, new: 1, existing: 0, points: 10 });
    expect(await db.prisma.memberImport.findUniqueOrThrow({ where: { id } })).toMatchObject({ rows: 9, invalid: 8 });
  });

  it("refuses a 1 GB file at the size limit without holding it, and leaves nothing behind", async () => {
    const shop = await shopWithTiers();
    const before = await db.prisma.memberImport.count({ where: { shopId: shop.id } });
    // Rows of about 1 KB (a long note column), so the staging table gets ~65,000 of them.
    const line = new TextEncoder().encode(`someone@example.com,100,${"x".repeat(1000)}\n`.repeat(1000)); // ~1 MB
    async function* gigabyte() {
      yield new TextEncoder().encode("email,points,note\n");
      for (let i = 0; i < 1024; i++) yield line;
    }
    // Live heap, after a collection, sampled while the file streams in.
    const live = () => {
      global.gc!();
      return process.memoryUsage().heapUsed;
    };
    expect(global.gc, "vitest runs with --expose-gc").toBeTypeOf("function");
    const heap = live();
    let peak = heap;
    const watch = setInterval(() => (peak = Math.max(peak, live())), 250);
    const refused = await stageImport(
      db.prisma,
      shop,
      { filename: "huge.csv", data: gigabyte(), actor: "staff:1", createMissing: false },
      { maxBytes: 128 * 1024 * 1024, maxRows: 10_000_000 },
    ).catch((error: unknown) => error);
    clearInterval(watch);
    expect(refused).toBeInstanceOf(ImportRefused);
    expect((refused as ImportRefused).code).toBe("too_large");
    // Streamed: the live heap grew by half the 128 MB read before the refusal at most
    // (Prisma keeps its last hundred queries' parameters: a fixed ceiling, ~35 MB here).
    expect(peak - heap).toBeLessThan(64 * 1024 * 1024);
    expect(await db.prisma.memberImport.count({ where: { shopId: shop.id } })).toBe(before);
  }, 120_000);

  it("refuses an empty file and a binary one", async () => {
    const shop = await shopWithTiers();
    await expect(stage(shop, "")).rejects.toMatchObject({ code: "empty" });
    await expect(stage(shop, Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0]))).rejects.toMatchObject({
      code: "not_csv",
    });
  });

  it("reports a quote left open with the line where the file breaks", async () => {
    const shop = await shopWithTiers();
    const id = await stage(shop, 'email,points\na@example.com,5\n"b@example.com,6\n');
    const job = await db.prisma.memberImport.findUniqueOrThrow({ where: { id } });
    expect(job.status).toBe("FAILED");
    expect(job.error).toMatch(/line 3/);
  });
});

describe("importing", () => {
  it("adds balances once per file, finds customers in Shopify by email, creates them only when asked", async () => {
    const shop = await shopWithTiers();
    const known = await member(shop, 5001, "known@example.com");
    standin.customers.set("gid://shopify/Customer/6001", {
      email: "inshopify@example.com",
      firstName: "Ina",
      lastName: null,
    });
    const file =
      "Email,Points Balance,Birthdate,VIP Tier,Activation Date,Credits Balance\n" +
      "known@example.com,100,1990-05-01,Gold,2025-01-01,0\n" +
      "inshopify@example.com,200,,,2025-01-01,0\n" +
      "nowhere@example.com,300,,,2025-01-01,0\n";
    const first = await stage(shop, file);
    expect((await importReport(db.prisma, shop.id, first)).dryRun).toMatchObject({
      valid: 3,
      existing: 1,
      new: 2,
      points: 600,
      tiers: 1,
      birthdays: 1,
    });
    await db.prisma.memberImport.update({ where: { id: first }, data: { status: "RUNNING" } });
    expect(await runImport(db.prisma, shop, first, customers())).toBe(3);
    expect(await db.prisma.memberImport.findUniqueOrThrow({ where: { id: first } })).toMatchObject({
      status: "DONE",
      created: 1,
      updated: 1,
      skipped: 1,
      pointsAdded: 300n,
    });
    const knownAfter = await db.prisma.member.findUniqueOrThrow({ where: { id: known.id } });
    expect(knownAfter).toMatchObject({ balance: 100, tierOverride: true });
    // Held for a year, as the dry run says; then the program's own rules decide again.
    const held = knownAfter.tierOverrideUntil!.getTime() - Date.now();
    expect(held).toBeGreaterThan(364 * 86_400_000);
    expect(held).toBeLessThanOrEqual(365 * 86_400_000);
    expect(knownAfter.tierId).toBe(shop.tiers.find((t) => t.name === "Gold")!.id);
    expect(knownAfter.birthday?.toISOString().slice(0, 10)).toBe("1990-05-01");
    const found = await db.prisma.member.findFirstOrThrow({ where: { shopId: shop.id, customerId: 6001n } });
    expect(found).toMatchObject({ email: "inshopify@example.com", balance: 200 });
    const entries = await db.prisma.ledgerEntry.findMany({ where: { shopId: shop.id }, orderBy: { points: "asc" } });
    expect(entries.map((e) => [e.kind, e.source, e.points, e.reasonCode])).toEqual([
      ["IMPORT", "IMPORT", 100, "import"],
      ["IMPORT", "IMPORT", 200, "import"],
    ]);

    // The same file again, this time creating customers Shopify lacks: nobody gets points
    // twice; the customer Shopify did not know is created there and gets theirs.
    const again = await stage(shop, file, "members-again.csv");
    await db.prisma.memberImport.update({ where: { id: again }, data: { status: "RUNNING", createMissing: true } });
    await runImport(db.prisma, shop, again, customers());
    expect(await db.prisma.memberImport.findUniqueOrThrow({ where: { id: again } })).toMatchObject({
      created: 1,
      updated: 2,
      skipped: 0,
      pointsAdded: 300n,
    });
    const createdInShopify = [...standin.customers].find(([, c]) => c.email === "nowhere@example.com");
    expect(createdInShopify).toBeTruthy();
    const balances = await db.prisma.member.findMany({
      where: { shopId: shop.id },
      orderBy: { balance: "asc" },
      select: { email: true, balance: true },
    });
    expect(balances).toEqual([
      { email: "known@example.com", balance: 100 },
      { email: "inshopify@example.com", balance: 200 },
      { email: "nowhere@example.com", balance: 300 },
    ]);
    expect(await findBalanceMismatches(db.prisma, { shopId: shop.id })).toEqual([]);
  });

  it("imports 5,000 rows on two instances at once: each member once, every balance exact", async () => {
    const shop = await shopWithTiers();
    const lines = Array.from({ length: 5000 }, (_, i) => `${9_000_000 + i},m${i}@example.com,${i % 500}`);
    const id = await stage(shop, `Shopify Customer ID,Customer Email,Points\n${lines.join("\n")}\n`);
    await db.prisma.memberImport.update({ where: { id }, data: { status: "RUNNING" } });
    const [a, b] = await Promise.all([
      runImport(db.prisma, shop, id, customers(), 200),
      runImport(db.prisma, shop, id, customers(), 200),
    ]);
    expect(a + b).toBe(5000);
    const job = await db.prisma.memberImport.findUniqueOrThrow({ where: { id } });
    expect(job).toMatchObject({ status: "DONE", processed: 5000, created: 5000 });
    expect(await db.prisma.member.count({ where: { shopId: shop.id } })).toBe(5000);
    const total = await db.prisma.member.aggregate({ where: { shopId: shop.id }, _sum: { balance: true } });
    expect(total._sum.balance).toBe(Array.from({ length: 5000 }, (_, i) => i % 500).reduce((s, p) => s + p, 0));
    expect(await findBalanceMismatches(db.prisma, { shopId: shop.id })).toEqual([]);
  }, 120_000);
});
