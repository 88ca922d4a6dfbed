import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  listMembers,
  parseMemberListQuery,
  type MemberListQuery,
  type MemberSort,
} from "../../app/services/member-list";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { createShop } from "../support/seed";

let db: TestDatabase;
let shopId: string;
let otherShopId: string;
let goldId: string;
const NOW = new Date("2026-11-20T12:00:00Z");
const DAY = 86_400_000;

beforeAll(async () => {
  db = await createTestDatabase();
  shopId = (await createShop(db.prisma)).id;
  otherShopId = (await createShop(db.prisma)).id;
  goldId = (await db.prisma.tier.create({ data: { shopId, name: "Gold", position: 0, threshold: 100n } })).id;
  // 40 members with many ties in every sort column, so pages must break ties by id.
  for (let i = 0; i < 40; i += 1) {
    await db.prisma.member.create({
      data: {
        shopId,
        customerId: BigInt(1000 + i),
        email: `shopper${i}@example.com`,
        firstName: i % 5 === 0 ? "Анна" : "Bob",
        referralCode: `L${i}`,
        balance: (i % 4) * 100,
        tierId: i % 3 === 0 ? goldId : null,
        enrolledAt: new Date(NOW.getTime() - (i % 6) * DAY),
        lastOrderAt: i % 7 === 0 ? null : new Date(NOW.getTime() - (i % 5) * 40 * DAY),
        status: i === 39 ? "REDACTED" : i === 38 ? "EXCLUDED" : "ACTIVE",
      },
    });
  }
  await db.prisma.member.create({
    data: { shopId: otherShopId, email: "shopper1@example.com", referralCode: "X1", balance: 999 },
  });
});
afterAll(async () => {
  await db?.close();
});

async function allPages(query: Omit<MemberListQuery, "cursor" | "direction">, pageSize: number) {
  const seen: Array<{ id: string; balance: number; lastOrderAt: Date | null; enrolledAt: Date }> = [];
  let cursor: string | null = null;
  for (let page = 0; page < 100; page += 1) {
    const result = await listMembers(
      db.prisma,
      { id: shopId },
      { ...query, cursor, direction: "after" },
      { pageSize, now: NOW },
    );
    seen.push(...result.members);
    cursor = result.nextCursor;
    if (!cursor) break;
    expect(result.members).toHaveLength(pageSize);
  }
  return seen;
}

const base = { search: null, tierId: null, dormantDays: null } as const;

describe("member list", () => {
  it.each<MemberSort>(["recent", "balance", "lastOrder"])(
    "pages through every member exactly once, in order, sorted by %s",
    async (sort) => {
      const rows = await allPages({ ...base, sort }, 7);
      // 40 created, the redacted one is gone; the excluded one stays visible to the merchant.
      expect(rows).toHaveLength(39);
      expect(new Set(rows.map((r) => r.id)).size).toBe(39);
      const key = (r: (typeof rows)[number]) =>
        sort === "balance"
          ? r.balance
          : sort === "lastOrder"
            ? (r.lastOrderAt?.getTime() ?? -Infinity)
            : r.enrolledAt.getTime();
      for (let i = 1; i < rows.length; i += 1) {
        const [a, b] = [rows[i - 1]!, rows[i]!];
        expect(key(a) > key(b) || (key(a) === key(b) && a.id > b.id)).toBe(true);
      }
      if (sort === "lastOrder") expect(rows.slice(-6).every((r) => r.lastOrderAt === null)).toBe(true);
    },
  );

  it("keeps pages consistent for any page size (property)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 45 }),
        fc.constantFrom<MemberSort>("recent", "balance", "lastOrder"),
        async (size, sort) => {
          const rows = await allPages({ ...base, sort }, size);
          expect(rows.map((r) => r.id)).toEqual((await allPages({ ...base, sort }, 50)).map((r) => r.id));
        },
      ),
      { numRuns: 15 },
    );
  });

  it("goes back with Previous exactly one page at a time, for every sort and page size, with the total (property)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 20 }),
        fc.constantFrom<MemberSort>("recent", "balance", "lastOrder"),
        async (size, sort) => {
          const list = (cursor: string | null, direction: "after" | "before") =>
            listMembers(db.prisma, { id: shopId }, { ...base, sort, cursor, direction }, { pageSize: size, now: NOW });
          const forward = [await list(null, "after")];
          expect(forward[0]!.total).toBe(39);
          expect(forward[0]!.previousCursor).toBeNull();
          while (forward.at(-1)!.nextCursor) forward.push(await list(forward.at(-1)!.nextCursor, "after"));
          let page = forward.at(-1)!;
          for (let i = forward.length - 2; i >= 0; i -= 1) {
            expect(page.previousCursor, `page ${i + 1} of ${forward.length}`).not.toBeNull();
            page = await list(page.previousCursor, "before");
            expect(page.members.map((m) => m.id)).toEqual(forward[i]!.members.map((m) => m.id));
            expect(page.nextCursor).not.toBeNull();
          }
          // Back on the first page: nothing before it.
          expect(page.previousCursor).toBeNull();
        },
      ),
      { numRuns: 12 },
    );
  });

  it("filters by tier, no tier, dormancy and search, and never shows another shop's members", async () => {
    const gold = await allPages({ ...base, tierId: goldId, sort: "recent" }, 50);
    expect(gold).toHaveLength(13); // i % 3 === 0 for i < 39
    const none = await allPages({ ...base, tierId: "none", sort: "recent" }, 50);
    expect(none).toHaveLength(26);

    // Dormant for 90 days: last order 120 or 160 days ago; never-ordered members enrolled ≤ 5 days ago are not dormant.
    const dormant = await allPages({ ...base, dormantDays: 90, sort: "recent" }, 50);
    expect(dormant.length).toBe(
      Array.from({ length: 39 }, (_, i) => i).filter((i) => i % 7 !== 0 && (i % 5) * 40 > 90).length,
    );
    expect(dormant.every((r) => r.lastOrderAt && r.lastOrderAt.getTime() < NOW.getTime() - 90 * DAY)).toBe(true);

    expect(await allPages({ ...base, search: "SHOPPER1@", sort: "recent" }, 50)).toHaveLength(1);
    expect(await allPages({ ...base, search: "анна", sort: "recent" }, 50)).toHaveLength(8);
    expect(await allPages({ ...base, search: "1005", sort: "recent" }, 50)).toHaveLength(1);
    expect(await allPages({ ...base, search: "gid://shopify/Customer/1005", sort: "recent" }, 50)).toHaveLength(1);
    const other = await listMembers(
      db.prisma,
      { id: otherShopId },
      { ...base, sort: "balance", cursor: null, direction: "after" },
    );
    expect(other.members.map((m) => m.balance)).toEqual([999]);
    // A text search shows no total (counting it would read every member); filters alone do.
    const searched = await listMembers(
      db.prisma,
      { id: shopId },
      { ...base, search: "анна", sort: "recent", cursor: null, direction: "after" },
    );
    expect(searched.total).toBeNull();
    const goldPage = await listMembers(
      db.prisma,
      { id: shopId },
      { ...base, tierId: goldId, sort: "recent", cursor: null, direction: "after" },
      { pageSize: 5, now: NOW },
    );
    expect(goldPage.total).toBe(13);
  });

  it("reads the URL defensively: bad values fall back to defaults", () => {
    const q = parseMemberListQuery(
      new URLSearchParams("q=%20x%20&tier=not-a-uuid&dormant=-3&sort=drop%20table&cursor=garbage&dir=before"),
    );
    // No valid cursor: "before" means nothing and the first page shows.
    expect(q).toEqual({
      search: "x",
      tierId: null,
      dormantDays: null,
      sort: "recent",
      cursor: null,
      direction: "after",
    });
    const ok = parseMemberListQuery(new URLSearchParams(`tier=${goldId}&dormant=90&sort=balance`));
    expect(ok).toMatchObject({ tierId: goldId, dormantDays: 90, sort: "balance" });
    // A cursor made for one sort is meaningless for another and is dropped.
    const cursor = Buffer.from(JSON.stringify({ v: "2026-01-01T00:00:00.000Z", id: goldId })).toString("base64url");
    expect(parseMemberListQuery(new URLSearchParams(`sort=balance&cursor=${cursor}`)).cursor).toBeNull();
    expect(parseMemberListQuery(new URLSearchParams(`sort=recent&cursor=${cursor}`)).cursor).toBe(cursor);
    expect(parseMemberListQuery(new URLSearchParams(`sort=recent&cursor=${cursor}&dir=before`)).direction).toBe(
      "before",
    );
  });
});
