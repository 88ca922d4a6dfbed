import type { LedgerKind, LedgerSource, Member, NegativeBalancePolicy } from "../generated/prisma/client";
import { Prisma } from "../generated/prisma/client";
import { inTransaction, type Db, type Tx } from "../platform/database/db";
import { reasonText, type Reason } from "../i18n/reasons";

/**
 * The points ledger: every change to a balance is one immutable entry, and the balance
 * is their sum. Member.balance caches that sum; this module is the only code that writes
 * entries or the cached balance (one entry at a time with postEntry, many at once with
 * postSelectedEntries), always in the same statement or transaction as the entry, under
 * a row lock on the member, so parallel requests on any number of app instances
 * serialize per member and never lose an update.
 */

export interface PostEntry {
  shopId: string;
  memberId: string;
  points: number;
  kind: LedgerKind;
  source: LedgerSource;
  /** Why, as a code and parameters each reader's language renders (i18n/reasons.ts). */
  reason: Reason;
  /** Unique per shop: posting the same key twice is a no-op that returns the first entry. */
  idempotencyKey: string;
  orderId?: bigint | null;
  redemptionId?: string | null;
  actor?: string | null;
  expiresAt?: Date | null;
  meta?: Prisma.InputJsonValue;
  /**
   * For reversals: what to do when the balance cannot cover them. Spending (REDEEM)
   * is always refused below zero, whatever the policy.
   */
  negativePolicy?: NegativeBalancePolicy;
  /** Whether this entry counts as activity for inactivity expiry (default: yes). */
  touchesActivity?: boolean;
}

export interface PostedEntry {
  id: bigint;
  points: number;
  created: boolean;
  balance: number;
  /** Points a CLAMP_TO_ZERO reversal could not take. */
  forgiven: number;
}

export class InsufficientPointsError extends Error {
  override name = "InsufficientPointsError";
  constructor(
    readonly balance: number,
    readonly required: number,
  ) {
    super(`balance ${balance} is less than ${required}`);
  }
}

export class LedgerError extends Error {
  override name = "LedgerError";
}

const EARNING_KINDS: LedgerKind[] = ["EARN", "IMPORT"];
const MAX_ABS_POINTS = 2_000_000_000;

/** Locks the member row for the rest of the transaction and returns its cached balance. */
export async function lockMember(
  tx: Tx,
  shopId: string,
  memberId: string,
): Promise<{ balance: number; status: string }> {
  const rows = await tx.$queryRaw<Array<{ balance: number; status: string }>>`
    SELECT balance, status::text AS status FROM "Member"
    WHERE id = ${memberId}::uuid AND "shopId" = ${shopId}::uuid
    FOR UPDATE`;
  const row = rows[0];
  if (!row) throw new LedgerError("member not found in this shop");
  return row;
}

/** Locks the member row and returns all of it, in one round trip. */
export async function lockAndReadMember(tx: Tx, shopId: string, memberId: string): Promise<Member> {
  const rows = await tx.$queryRaw<Member[]>`
    SELECT * FROM "Member" WHERE id = ${memberId}::uuid AND "shopId" = ${shopId}::uuid FOR UPDATE`;
  if (!rows[0]) throw new LedgerError("member not found in this shop");
  return rows[0];
}

export async function postEntry(db: Db, input: PostEntry): Promise<PostedEntry> {
  if (!Number.isInteger(input.points) || Math.abs(input.points) > MAX_ABS_POINTS) {
    throw new LedgerError(`points must be a whole number within ±${MAX_ABS_POINTS}`);
  }
  if (!input.idempotencyKey || input.idempotencyKey.length > 200) {
    throw new LedgerError("an idempotency key of 1 to 200 characters is required");
  }
  return inTransaction(db, async (tx) => {
    const { balance } = await lockMember(tx, input.shopId, input.memberId);

    let points = input.points;
    let forgiven = 0;
    if (points < 0) {
      if (input.kind === "REDEEM") {
        if (balance + points < 0) throw new InsufficientPointsError(balance, -points);
      } else if (input.negativePolicy === "CLAMP_TO_ZERO" && balance + points < 0) {
        const allowed = -Math.max(balance, 0);
        forgiven = allowed - points;
        points = allowed;
      }
    }

    // Raw SQL on this hot path: one round trip each, no ORM planning. ON CONFLICT makes a
    // repeated key a no-op without a separate lookup first.
    const meta = forgiven ? { ...((input.meta as object) ?? {}), forgiven } : (input.meta ?? null);
    const { text, code, params } = storedReason(input.reason);
    const inserted = await tx.$queryRaw<Array<{ id: bigint }>>`
      INSERT INTO "LedgerEntry" ("shopId", "memberId", points, kind, source, reason, "reasonCode", "reasonParams",
                                 "idempotencyKey", "orderId", "redemptionId", actor, "expiresAt", meta)
      VALUES (${input.shopId}::uuid, ${input.memberId}::uuid, ${points}, ${input.kind}::"LedgerKind",
              ${input.source}::"LedgerSource", ${text}, ${code}, ${params}::jsonb, ${input.idempotencyKey},
              ${input.orderId ?? null}, ${input.redemptionId ?? null}::uuid, ${input.actor ?? null},
              ${input.expiresAt ?? null}, ${meta === null ? null : JSON.stringify(meta)}::jsonb)
      ON CONFLICT ("shopId", "idempotencyKey") DO NOTHING
      RETURNING id`;
    const entryId = inserted[0]?.id;
    if (entryId === undefined) {
      const existing = await tx.ledgerEntry.findUniqueOrThrow({
        where: { shopId_idempotencyKey: { shopId: input.shopId, idempotencyKey: input.idempotencyKey } },
        select: { id: true, points: true, memberId: true },
      });
      if (existing.memberId !== input.memberId) {
        throw new LedgerError(`idempotency key ${input.idempotencyKey} already belongs to another member`);
      }
      return { id: existing.id, points: existing.points, created: false, balance, forgiven: 0 };
    }

    // A tier correction can take earned points back: lifetime earnings follow it down.
    const earned = EARNING_KINDS.includes(input.kind) ? points : 0;
    const touch = input.touchesActivity !== false;
    const updated = await tx.$queryRaw<Array<{ balance: number }>>`
      UPDATE "Member" SET balance = balance + ${points}, "lifetimeEarned" = "lifetimeEarned" + ${earned},
             "lastActivityAt" = CASE WHEN ${touch} THEN now() ELSE "lastActivityAt" END, "updatedAt" = now()
      WHERE id = ${input.memberId}::uuid
      RETURNING balance`;
    return { id: entryId, points, created: true, balance: updated[0]!.balance, forgiven };
  });
}

/** A reason as the ledger stores it: the English text for the audit trail, and the code. */
export function storedReason(reason: Reason): { text: string; code: string; params: string | null } {
  return {
    text: reasonText("en", reason.code, reason.params, reason.code).slice(0, 500),
    code: reason.code,
    params: reason.params ? JSON.stringify(reason.params) : null,
  };
}

/**
 * Set-based posting, for jobs that credit or debit many members at once (expiry,
 * birthdays): one statement, whatever the count. `selection` is the caller's SELECT of
 * the entries to write, as columns ("shopId", "memberId", points, kind, source, key), all
 * with the one `reason` given; it must lock the members it names (FOR UPDATE OF … SKIP LOCKED), so a member held
 * by a live request is left for the next run. Keys make a re-run, or a second instance
 * running at the same moment, write nothing twice. Returns the members whose balance moved.
 */
export async function postSelectedEntries(
  db: Db,
  selection: Prisma.Sql,
  at: Date,
  reason: Reason,
  /** withOrder: the selection also has an "orderId" column, the order each entry is for. */
  options: { withOrder?: boolean; actor?: string } = {},
): Promise<string[]> {
  const { text, code, params } = storedReason(reason);
  const order = options.withOrder ? Prisma.sql`, "orderId"` : Prisma.empty;
  const actor = options.actor ?? null;
  const rows = await db.$queryRaw<Array<{ id: string }>>`
    WITH due AS (${selection}),
    entries AS (
      INSERT INTO "LedgerEntry" ("shopId", "memberId", points, kind, source, reason, "reasonCode", "reasonParams",
                                 "idempotencyKey", "createdAt", actor ${order})
      SELECT "shopId", "memberId", points, kind::"LedgerKind", source::"LedgerSource", ${text}, ${code},
             ${params}::jsonb, key, ${at}::timestamp, ${actor} ${order}
      FROM due
      ON CONFLICT ("shopId", "idempotencyKey") DO NOTHING
      RETURNING "memberId", points, kind
    ),
    moved AS (
      SELECT "memberId", SUM(points)::int AS points,
             SUM(CASE WHEN kind IN ('EARN', 'IMPORT') THEN points ELSE 0 END)::int AS earned,
             bool_or(kind IN ('EARN', 'IMPORT')) AS active
      FROM entries GROUP BY "memberId"
    )
    UPDATE "Member" m SET balance = m.balance + moved.points, "lifetimeEarned" = m."lifetimeEarned" + moved.earned,
           "lastActivityAt" = CASE WHEN moved.active THEN ${at}::timestamp ELSE m."lastActivityAt" END, "updatedAt" = ${at}::timestamp
    FROM moved WHERE m.id = moved."memberId"
    RETURNING m.id`;
  return rows.map((row) => row.id);
}

/**
 * Members whose cached balance disagrees with their ledger: there should be none. One
 * shop's, or every shop's (the benchmarks and the reliability suite check after a run).
 */
export async function findBalanceMismatches(db: Db, options: { shopId?: string; limit?: number } = {}) {
  const shop = options.shopId ? Prisma.sql`WHERE m."shopId" = ${options.shopId}::uuid` : Prisma.empty;
  return db.$queryRaw<Array<{ memberId: string; cached: number; ledger: bigint }>>`
    SELECT m.id AS "memberId", m.balance AS cached, COALESCE(SUM(l.points), 0)::bigint AS ledger
    FROM "Member" m LEFT JOIN "LedgerEntry" l ON l."memberId" = m.id
    ${shop}
    GROUP BY m.id, m.balance
    HAVING m.balance <> COALESCE(SUM(l.points), 0)
    LIMIT ${options.limit ?? 100}`;
}
