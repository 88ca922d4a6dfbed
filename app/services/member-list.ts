import { DAY_MS } from "../domain/time";
import { isUuid, parseInstant } from "../domain/validation";
import type { Prisma } from "../generated/prisma/client";
import type { Db } from "../platform/database/db";

/**
 * The merchant's member list: search, filters and keyset ("cursor") pagination.
 *
 * Offsets get slower with every page and skip or repeat rows while members change;
 * a keyset cursor (the sort value plus the id as tie-breaker) reads one index range
 * whatever the page, so the list stays fast with 100k members.
 */

export type MemberSort = "recent" | "balance" | "lastOrder";
const SORTS: readonly MemberSort[] = ["recent", "balance", "lastOrder"];
export const PAGE_SIZE = 50;
const DORMANT_MAX_DAYS = 3650;

export interface MemberListQuery {
  search: string | null;
  /** A tier id, or "none" for members without a tier. */
  tierId: string | null;
  /** Members with no order (and, if they never ordered, no enrolment) for this many days. */
  dormantDays: number | null;
  sort: MemberSort;
  cursor: string | null;
  /** "before": the page before the cursor (Previous), else the page after it. */
  direction: "after" | "before";
}

export interface MemberListRow {
  id: string;
  email: string | null;
  firstName: string | null;
  balance: number;
  tierId: string | null;
  orderCount: number;
  totalSpentMinor: bigint;
  lastOrderAt: Date | null;
  enrolledAt: Date;
  status: "ACTIVE" | "EXCLUDED" | "REDACTED";
}

/**
 * Reads the list's state from the URL. Anything malformed (a hand-edited URL, a stale
 * bookmark) falls back to the default for that field rather than failing the page.
 */
export function parseMemberListQuery(params: URLSearchParams): MemberListQuery {
  const search = (params.get("q") ?? "").trim().slice(0, 100) || null;
  const tier = params.get("tier");
  const tierId = tier === "none" || (tier && isUuid(tier)) ? tier : null;
  const dormant = Number(params.get("dormant"));
  const dormantDays = Number.isInteger(dormant) && dormant > 0 && dormant <= DORMANT_MAX_DAYS ? dormant : null;
  const sortParam = params.get("sort") as MemberSort | null;
  const sort = sortParam && SORTS.includes(sortParam) ? sortParam : "recent";
  const cursor = params.get("cursor");
  const valid = cursor && decodeCursor(cursor, sort) ? cursor : null;
  const direction = valid && params.get("dir") === "before" ? "before" : "after";
  return { search, tierId, dormantDays, sort, cursor: valid, direction };
}

interface Cursor {
  /** The sort column's value of the last row shown: ISO date, integer, or null. */
  v: string | number | null;
  id: string;
}

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString("base64url");
}

function decodeCursor(raw: string, sort: MemberSort): Cursor | null {
  try {
    const value = JSON.parse(Buffer.from(raw, "base64url").toString("utf8")) as Partial<Cursor>;
    if (typeof value !== "object" || value === null || typeof value.id !== "string" || !isUuid(value.id)) return null;
    // Balances are 32-bit integers in the database: a larger cursor value would fail the query.
    if (sort === "balance")
      return Number.isInteger(value.v) && Math.abs(value.v as number) <= 2 ** 31
        ? { v: value.v as number, id: value.id }
        : null;
    if (value.v === null) return sort === "lastOrder" ? { v: null, id: value.id } : null;
    return parseInstant(value.v) ? { v: value.v as string, id: value.id } : null;
  } catch {
    return null;
  }
}

function searchFilter(search: string): Prisma.MemberWhereInput {
  const text: Prisma.MemberWhereInput[] = [
    { email: { contains: search, mode: "insensitive" } },
    { firstName: { contains: search, mode: "insensitive" } },
  ];
  // Shopify customer ids are shown in the admin as plain numbers (or inside a GID).
  const digits = /^(?:gid:\/\/shopify\/Customer\/)?(\d{1,19})$/.exec(search)?.[1];
  if (digits && BigInt(digits) <= 9223372036854775807n) text.push({ customerId: BigInt(digits) });
  return { OR: text };
}

/** Rows strictly after the cursor in the list's order (descending value, then id). */
function afterCursor(sort: MemberSort, cursor: Cursor): Prisma.MemberWhereInput {
  if (sort === "balance") {
    const v = cursor.v as number;
    return { OR: [{ balance: { lt: v } }, { balance: v, id: { lt: cursor.id } }] };
  }
  if (sort === "lastOrder") {
    // Members who never ordered come last; among them, only the id orders the rows.
    if (cursor.v === null) return { lastOrderAt: null, id: { lt: cursor.id } };
    const v = new Date(cursor.v);
    return { OR: [{ lastOrderAt: { lt: v } }, { lastOrderAt: v, id: { lt: cursor.id } }, { lastOrderAt: null }] };
  }
  const v = new Date(cursor.v as string);
  return { OR: [{ enrolledAt: { lt: v } }, { enrolledAt: v, id: { lt: cursor.id } }] };
}

/** Rows strictly before the cursor in the list's order: what Previous shows, read backwards. */
function beforeCursor(sort: MemberSort, cursor: Cursor): Prisma.MemberWhereInput {
  if (sort === "balance") {
    const v = cursor.v as number;
    return { OR: [{ balance: { gt: v } }, { balance: v, id: { gt: cursor.id } }] };
  }
  if (sort === "lastOrder") {
    if (cursor.v === null)
      return { OR: [{ lastOrderAt: { not: null } }, { lastOrderAt: null, id: { gt: cursor.id } }] };
    const v = new Date(cursor.v);
    return { OR: [{ lastOrderAt: { gt: v } }, { lastOrderAt: v, id: { gt: cursor.id } }] };
  }
  const v = new Date(cursor.v as string);
  return { OR: [{ enrolledAt: { gt: v } }, { enrolledAt: v, id: { gt: cursor.id } }] };
}

function ordering(sort: MemberSort, reverse = false): Prisma.MemberOrderByWithRelationInput[] {
  const dir = reverse ? "asc" : "desc";
  if (sort === "balance") return [{ balance: dir }, { id: dir }];
  if (sort === "lastOrder") return [{ lastOrderAt: { sort: dir, nulls: reverse ? "first" : "last" } }, { id: dir }];
  return [{ enrolledAt: dir }, { id: dir }];
}

function cursorOf(sort: MemberSort, row: MemberListRow): Cursor {
  if (sort === "balance") return { v: row.balance, id: row.id };
  if (sort === "lastOrder") return { v: row.lastOrderAt ? row.lastOrderAt.toISOString() : null, id: row.id };
  return { v: row.enrolledAt.toISOString(), id: row.id };
}

/** The list's search and filters (not its page): what the CSV export takes too. */
function memberFilters(shop: { id: string }, query: MemberListQuery, now = new Date()): Prisma.MemberWhereInput[] {
  const filters: Prisma.MemberWhereInput[] = [{ shopId: shop.id }, { status: { not: "REDACTED" } }];
  if (query.search) filters.push(searchFilter(query.search));
  if (query.tierId) filters.push({ tierId: query.tierId === "none" ? null : query.tierId });
  if (query.dormantDays) {
    const since = new Date(now.getTime() - query.dormantDays * DAY_MS);
    filters.push({ OR: [{ lastOrderAt: { lt: since } }, { lastOrderAt: null, enrolledAt: { lt: since } }] });
  }
  return filters;
}

/**
 * Every member the list's filters match, or only those of them picked on the list
 * (`ids`), for the CSV export: read by id in batches, so memory stays flat whatever the
 * count.
 */
export async function* exportMembers(
  db: Db,
  shop: { id: string },
  query: MemberListQuery,
  options: { ids?: string[]; batch?: number } = {},
) {
  const batch = options.batch ?? 2000;
  const filters = [...memberFilters(shop, query), ...(options.ids ? [{ id: { in: options.ids } }] : [])];
  let after: string | null = null;
  for (;;) {
    const rows: Array<{
      id: string;
      email: string | null;
      customerId: bigint | null;
      firstName: string | null;
      balance: number;
      lifetimeEarned: number;
      tierId: string | null;
      birthday: Date | null;
      referralCode: string;
      enrolledAt: Date;
      status: string;
      orderCount: number;
      lastOrderAt: Date | null;
    }> = await db.member.findMany({
      where: { AND: [...filters, ...(after ? [{ id: { gt: after } }] : [])] },
      orderBy: { id: "asc" },
      take: batch,
      select: {
        id: true,
        email: true,
        customerId: true,
        firstName: true,
        balance: true,
        lifetimeEarned: true,
        tierId: true,
        birthday: true,
        referralCode: true,
        enrolledAt: true,
        status: true,
        orderCount: true,
        lastOrderAt: true,
      },
    });
    yield* rows;
    if (rows.length < batch) return;
    after = rows.at(-1)!.id;
  }
}

/**
 * The ids of the members a selection names: the list's filters (every member they
 * match), or ids picked on a page, kept to the shop's own members. In id order, in
 * batches, for jobs that work through thousands.
 */
export async function* memberIdsMatching(
  db: Db,
  shop: { id: string },
  selection: { query: MemberListQuery } | { ids: string[] },
  batch = 2000,
): AsyncGenerator<string[]> {
  const filters =
    "ids" in selection ? [{ shopId: shop.id }, { id: { in: selection.ids } }] : memberFilters(shop, selection.query);
  let after: string | null = null;
  for (;;) {
    const rows: Array<{ id: string }> = await db.member.findMany({
      where: { AND: [...filters, { status: { not: "REDACTED" } }, ...(after ? [{ id: { gt: after } }] : [])] },
      orderBy: { id: "asc" },
      take: batch,
      select: { id: true },
    });
    if (rows.length) yield rows.map((row) => row.id);
    if (rows.length < batch) return;
    after = rows.at(-1)!.id;
  }
}

/** How many members the list's filters match (a bulk action's confirmation says so). */
export function countMembers(db: Db, shop: { id: string }, query: MemberListQuery): Promise<number> {
  return db.member.count({ where: { AND: memberFilters(shop, query) } });
}

/** One page of a shop's members. `now` is injectable so dormancy is testable. */
export async function listMembers(
  db: Db,
  shop: { id: string },
  query: MemberListQuery,
  options: { pageSize?: number; now?: Date; count?: boolean } = {},
): Promise<{
  members: MemberListRow[];
  total: number | null;
  nextCursor: string | null;
  previousCursor: string | null;
}> {
  const pageSize = options.pageSize ?? PAGE_SIZE;
  const filters = memberFilters(shop, query, options.now);
  const cursor = query.cursor ? decodeCursor(query.cursor, query.sort) : null;
  const backwards = Boolean(cursor) && query.direction === "before";
  const page = cursor
    ? [...filters, backwards ? beforeCursor(query.sort, cursor) : afterCursor(query.sort, cursor)]
    : filters;

  const [rows, total] = await Promise.all([
    db.member.findMany({
      where: { AND: page },
      orderBy: ordering(query.sort, backwards),
      take: pageSize + 1,
      select: {
        id: true,
        email: true,
        firstName: true,
        balance: true,
        tierId: true,
        orderCount: true,
        totalSpentMinor: true,
        lastOrderAt: true,
        enrolledAt: true,
        status: true,
      },
    }),
    // A text search matches anywhere in emails and names: counting it would read every
    // member on each keystroke (bench:admin p95 197 → 282 ms), so it shows no total.
    options.count === false || query.search ? null : db.member.count({ where: { AND: filters } }),
  ]);
  const more = rows.length > pageSize;
  const members = rows.slice(0, pageSize);
  if (backwards) members.reverse();
  const first = members[0];
  const last = members.at(-1);
  return {
    members,
    total,
    // Going back, there is always a page after this one (the one we came from).
    nextCursor: last && (backwards || more) ? encodeCursor(cursorOf(query.sort, last)) : null,
    previousCursor: first && cursor && (!backwards || more) ? encodeCursor(cursorOf(query.sort, first)) : null,
  };
}

/**
 * The shop's ledger entries in [from, to), oldest first, in batches by (time, id): the
 * (shopId, createdAt) index serves each batch from where the last one stopped, so every
 * batch costs the same however far into a million rows the export is.
 */
export async function* exportLedger(db: Db, shopId: string, range: { from: Date; to: Date }, batch = 5000) {
  let after: { at: Date; id: bigint } = { at: range.from, id: -1n };
  for (;;) {
    const rows = await db.$queryRaw<
      Array<{
        id: bigint;
        createdAt: Date;
        customerId: bigint | null;
        email: string | null;
        points: number;
        kind: string;
        source: string;
        reason: string;
        orderId: bigint | null;
      }>
    >`
      SELECT l.id, l."createdAt", m."customerId", m.email, l.points, l.kind::text AS kind, l.source::text AS source,
             l.reason, l."orderId"
      FROM "LedgerEntry" l JOIN "Member" m ON m.id = l."memberId"
      WHERE l."shopId" = ${shopId}::uuid AND l."createdAt" >= ${after.at} AND l."createdAt" < ${range.to}
        AND (l."createdAt", l.id) > (${after.at}::timestamp, ${after.id})
      ORDER BY l."createdAt", l.id LIMIT ${batch}`;
    yield* rows;
    if (rows.length < batch) return;
    const last = rows.at(-1)!;
    after = { at: last.createdAt, id: last.id };
  }
}
