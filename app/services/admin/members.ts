import { z } from "zod";
import { inTransaction, type Db } from "../../platform/database/db";
import { lockMember, postEntry } from "../ledger";
import type { ShopContext } from "../shop-context";
import { clearTierOverride, setTierOverride, upgradeAfterEarning } from "../tiers";
import { FormErrors, int, NotFoundError, recordActivity, ValidationError, type Form } from "./forms";

/** What the merchant does to one member: adjust points with a reason, set or clear a tier. */

const reason = z
  .string()
  .trim()
  .min(3, { error: "validation.reasonRequired" })
  .max(200, { error: "validation.tooLong" });

const adjustmentSchema = z.object({
  points: int(-1_000_000, 1_000_000).refine((v) => v !== 0, { error: "validation.nonZero" }),
  reason,
  // One per form render, so a double submit posts once.
  requestId: z.string().regex(/^[A-Za-z0-9-]{8,64}$/, { error: "validation.invalid" }),
});

/** A manual adjustment with a required reason; it cannot take a balance below zero. */
export async function adjustPoints(db: Db, shop: ShopContext, memberId: string, form: Form, actor: string) {
  const errors = new FormErrors();
  const input = errors.parse(adjustmentSchema, form);
  errors.throwIfAny();
  const { points, reason: note, requestId } = input!;
  return inTransaction(db, async (tx) => {
    const member = await tx.member.findFirst({ where: { id: memberId, shopId: shop.id }, select: { id: true } });
    if (!member) throw new NotFoundError("member");
    const { balance } = await lockMember(tx, shop.id, memberId);
    if (balance + points < 0) throw new ValidationError({ points: "validation.belowZero" });
    const entry = await postEntry(tx, {
      shopId: shop.id,
      memberId,
      points,
      kind: "ADJUST",
      source: "ADMIN",
      reason: { code: "adjustment", params: { note } },
      actor,
      idempotencyKey: `admin:${requestId}`,
    });
    if (entry.created) {
      if (points > 0) await upgradeAfterEarning(tx, shop, memberId, "adjustment");
      await recordActivity(tx, shop.id, {
        actor,
        action: "member.adjusted",
        subject: memberId,
        details: { points, reason: note },
      });
    }
    return entry;
  });
}

const overrideSchema = z.object({
  tierId: z.string().transform((v) => v || null),
  reason,
  until: z
    .union([z.literal("").transform(() => null), z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: "validation.date" })])
    .optional(),
});

export async function overrideTier(db: Db, shop: ShopContext, memberId: string, form: Form, actor: string) {
  const errors = new FormErrors();
  const input = errors.parse(overrideSchema, form);
  if (input?.tierId && !shop.tiers.some((t) => t.id === input.tierId)) errors.add("tierId", "validation.invalid");
  const until = input?.until ? new Date(`${input.until}T00:00:00Z`) : null;
  if (until && until.getTime() <= Date.now()) errors.add("until", "validation.future");
  errors.throwIfAny();
  const valid = input!;
  await inTransaction(db, async (tx) => {
    const member = await tx.member.findFirst({ where: { id: memberId, shopId: shop.id }, select: { id: true } });
    if (!member) throw new NotFoundError("member");
    await setTierOverride(tx, shop, { memberId, tierId: valid.tierId, reason: valid.reason, until, actor });
    await recordActivity(tx, shop.id, {
      actor,
      action: "member.tierOverridden",
      subject: memberId,
      details: { tierId: valid.tierId, reason: valid.reason, until: valid.until ?? null },
    });
  });
}

/** Ends a manual tier: the member gets the tier their history earns, at once. */
export async function endTierOverride(db: Db, shop: ShopContext, memberId: string, form: Form, actor: string) {
  const errors = new FormErrors();
  const input = errors.parse(z.object({ reason }), form);
  errors.throwIfAny();
  await inTransaction(db, async (tx) => {
    const member = await tx.member.findFirst({ where: { id: memberId, shopId: shop.id }, select: { id: true } });
    if (!member) throw new NotFoundError("member");
    await clearTierOverride(tx, shop, { memberId, reason: input!.reason, actor });
    await recordActivity(tx, shop.id, {
      actor,
      action: "member.tierOverrideEnded",
      subject: memberId,
      details: { reason: input!.reason },
    });
  });
}

export type FlowAward =
  { ok: true; balance: number; created: boolean } | { ok: false; status: 404 | 422; error: string; message: string };

/**
 * Shopify Flow's "Award loyalty points" action: the same audited adjustment a staff
 * member makes, keyed by Flow's action run id, so a retried run credits once. Removing
 * more than the balance is refused rather than taken below zero.
 */
export async function awardFromFlow(
  db: Db,
  shop: ShopContext,
  input: { customerId: bigint; points: number; reason: string; runId: string },
): Promise<FlowAward> {
  return inTransaction(db, async (tx) => {
    const member = await tx.member.findUnique({
      where: { shopId_customerId: { shopId: shop.id, customerId: input.customerId } },
      select: { id: true, status: true },
    });
    if (!member || member.status !== "ACTIVE")
      return { ok: false, status: 404, error: "not_a_member", message: "The customer is not a member of the program" };
    const { balance } = await lockMember(tx, shop.id, member.id);
    const key = `flow:${input.runId}`;
    const done = await tx.ledgerEntry.findUnique({
      where: { shopId_idempotencyKey: { shopId: shop.id, idempotencyKey: key } },
    });
    if (!done && balance + input.points < 0)
      return { ok: false, status: 422, error: "below_zero", message: `The balance is ${balance}` };
    const entry = await postEntry(tx, {
      shopId: shop.id,
      memberId: member.id,
      points: input.points,
      kind: "ADJUST",
      source: "ADMIN",
      reason: { code: "adjustment", params: { note: input.reason } },
      actor: "flow",
      idempotencyKey: key,
    });
    if (entry.created) {
      if (input.points > 0) await upgradeAfterEarning(tx, shop, member.id, "adjustment");
      await recordActivity(tx, shop.id, {
        actor: "flow",
        action: "member.adjusted",
        subject: member.id,
        details: { points: input.points, reason: input.reason, run: input.runId },
      });
    }
    return { ok: true, balance: entry.balance, created: entry.created };
  });
}
