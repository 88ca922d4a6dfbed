import type { LedgerSource, Member } from "../generated/prisma/client";
import type { Db, Tx } from "../platform/database/db";
import { inTransaction } from "../platform/database/db";
import { postEntry } from "./ledger";
import type { ShopContext } from "./shop-context";
import { recordGuestConversion } from "./funnel";
import type { Reason, ReasonCode } from "../i18n/reasons";
import { storedReason } from "./ledger";
import { upgradeMembersAfterEarning } from "./tiers";

function reasonColumns(reason: Reason) {
  const { text, code } = storedReason(reason);
  return { reason: text, reasonCode: code, reasonParams: reason.params ?? undefined };
}

/** The reason a pending row's entry will carry (rows from before reason codes name their source). */
function rowReason(row: {
  reasonCode: string | null;
  reasonParams: unknown;
  source: LedgerSource;
  orderId: bigint | null;
}): Reason {
  if (row.reasonCode)
    return { code: row.reasonCode as ReasonCode, params: (row.reasonParams ?? undefined) as Reason["params"] };
  return row.source === "REVIEW"
    ? { code: "review" }
    : { code: "order", params: { order: row.orderId?.toString() ?? "" } };
}

/**
 * Points that exist but cannot be spent yet:
 * - held by email for a guest (no member yet) until they create an account, for the
 *   shop's pending window; then they expire;
 * - held for a member during the "available after N days" delay, so a return inside
 *   that window never has to claw points back.
 * Each pending row carries the idempotency key its ledger entry will have, so moving it
 * into the ledger is exactly-once like everything else.
 */

export interface HoldInput {
  shopId: string;
  memberId: string | null;
  email: string | null;
  points: number;
  source: LedgerSource;
  reason: Reason;
  orderId?: bigint | null;
  idempotencyKey: string;
  availableAt: Date;
  expiresAt: Date | null;
}

export async function holdPending(tx: Tx, input: HoldInput): Promise<void> {
  await tx.pendingPoints.upsert({
    where: { shopId_idempotencyKey: { shopId: input.shopId, idempotencyKey: input.idempotencyKey } },
    create: {
      shopId: input.shopId,
      memberId: input.memberId,
      email: input.email,
      points: input.points,
      source: input.source,
      ...reasonColumns(input.reason),
      orderId: input.orderId ?? null,
      idempotencyKey: input.idempotencyKey,
      availableAt: input.availableAt,
      expiresAt: input.expiresAt,
    },
    update: {},
  });
}

/** The open pending row for a key, locked, or null. */
export async function findOpenPending(tx: Tx, shopId: string, idempotencyKey: string) {
  const rows = await tx.$queryRaw<Array<{ id: string; points: number; memberId: string | null }>>`
    SELECT id, points, "memberId" FROM "PendingPoints"
    WHERE "shopId" = ${shopId}::uuid AND "idempotencyKey" = ${idempotencyKey} AND status = 'PENDING'
    FOR UPDATE`;
  return rows[0] ?? null;
}

/**
 * Gives a member the points held for their email: what is already available goes into
 * the ledger now; what is still inside the delay is assigned to them and released later.
 */
export async function creditPendingForMember(
  tx: Tx,
  shop: ShopContext,
  member: Member,
  now = new Date(),
): Promise<number> {
  if (!member.email) return 0;
  const held = await tx.$queryRaw<
    Array<{
      id: string;
      points: number;
      availableAt: Date;
      idempotencyKey: string;
      source: LedgerSource;
      reasonCode: string | null;
      reasonParams: unknown;
      orderId: bigint | null;
    }>
  >`
    SELECT id, points, "availableAt", "idempotencyKey", source, "reasonCode", "reasonParams", "orderId" FROM "PendingPoints"
    WHERE "shopId" = ${shop.id}::uuid AND email = ${member.email} AND "memberId" IS NULL
      AND status = 'PENDING' AND ("expiresAt" IS NULL OR "expiresAt" > ${now})
    ORDER BY "createdAt"
    FOR UPDATE`;
  let credited = 0;
  for (const row of held) {
    if (row.orderId !== null) {
      await tx.order.updateMany({
        where: { shopId: shop.id, id: row.orderId, memberId: null },
        data: { memberId: member.id },
      });
      await recordGuestConversion(tx, shop.id, row.orderId, member.id);
    }
    if (row.availableAt > now) {
      await tx.pendingPoints.update({ where: { id: row.id }, data: { memberId: member.id } });
      continue;
    }
    credited += await moveToLedger(tx, shop.id, member.id, row, now);
  }
  return credited;
}

async function moveToLedger(
  tx: Tx,
  shopId: string,
  memberId: string,
  row: {
    id: string;
    points: number;
    idempotencyKey: string;
    source: LedgerSource;
    reasonCode: string | null;
    reasonParams: unknown;
    orderId: bigint | null;
  },
  now: Date,
): Promise<number> {
  if (row.points > 0) {
    await postEntry(tx, {
      shopId,
      memberId,
      points: row.points,
      kind: "EARN",
      source: row.source,
      reason: rowReason(row),
      idempotencyKey: row.idempotencyKey,
      orderId: row.orderId,
    });
  }
  await tx.pendingPoints.update({
    where: { id: row.id },
    data: { status: "CREDITED", memberId, resolvedAt: now },
  });
  return row.points;
}

/** Job: releases members' points whose delay has passed. Safe to run on many instances at once. */
export async function releaseDuePending(db: Db, now = new Date(), batchSize = 500): Promise<number> {
  let released = 0;
  for (;;) {
    const done = await inTransaction(db, async (tx) => {
      const rows = await tx.$queryRaw<
        Array<{
          id: string;
          shopId: string;
          memberId: string;
          points: number;
          idempotencyKey: string;
          source: LedgerSource;
          reasonCode: string | null;
          reasonParams: unknown;
          orderId: bigint | null;
        }>
      >`
        SELECT id, "shopId", "memberId", points, "idempotencyKey", source, "reasonCode", "reasonParams", "orderId"
        FROM "PendingPoints"
        WHERE status = 'PENDING' AND "memberId" IS NOT NULL AND "availableAt" <= ${now}
        ORDER BY "availableAt"
        LIMIT ${batchSize}
        FOR UPDATE SKIP LOCKED`;
      for (const row of rows) await moveToLedger(tx, row.shopId, row.memberId, row, now);
      return rows.map((row) => row.memberId);
    });
    released += done.length;
    await upgradeMembersAfterEarning(db, [...new Set(done)], "points available");
    if (done.length < batchSize) return released;
  }
}

/** Job: guests' held points lapse when nobody claimed them within the window. */
export async function expireUnclaimedPending(db: Db, now = new Date()): Promise<number> {
  return db.$executeRaw`
    UPDATE "PendingPoints" SET status = 'EXPIRED', "resolvedAt" = ${now}
    WHERE status = 'PENDING' AND "memberId" IS NULL AND "expiresAt" IS NOT NULL AND "expiresAt" <= ${now}`;
}
