import { z } from "zod";
import { Prisma } from "../../generated/prisma/client";
import { isUuid } from "../../domain/validation";
import { inTransaction, type Db, type Tx } from "../../platform/database/db";
import { requestJob } from "../../platform/job-queue.server";
import { postSelectedEntries } from "../ledger";
import { countMembers, memberIdsMatching, parseMemberListQuery, type MemberListQuery } from "../member-list";
import { finishProgress, latestProgress, reportProgress, startProgress } from "../progress";
import { loadShopContext, type ShopContext } from "../shop-context";
import { clearTierOverride, setTierOverride, upgradeMembersAfterEarning } from "../tiers";
import { FormErrors, int, ValidationError, type Form } from "./forms";

/**
 * What a merchant does to many members at once from the members list: adjust points, set
 * or clear a tier override, exclude members from the program or take them back.
 *
 * The request only checks the form and records the action (with who asked, in the
 * activity log); a job does the work. It first freezes the selection (the members picked,
 * or every member the list's filters match at that moment) into BulkActionMember rows,
 * then works through them in batches, each one transaction that locks its members, and
 * records what it did to each. Points are posted with one ledger key per action and
 * member, so a job run twice, or resumed after a crash, changes nobody twice.
 */

export const BULK_QUEUE = "members-bulk";
export const BULK_ACTIONS = ["adjust", "setTier", "clearTier", "exclude", "include"] as const;
export type BulkActionKind = (typeof BULK_ACTIONS)[number];
/** Ids picked one by one come from one page of the list (50), or a few pages. */
export const MAX_PICKED = 250;
const BATCH = 500;

export type BulkOutcome = "changed" | "unchanged" | "belowZero" | "inactive";

export interface BulkDetails {
  action: BulkActionKind;
  reason: string;
  points?: number;
  tierId?: string | null;
  until?: string | null;
  selection: { ids: string[] } | { query: MemberListQuery };
  count: number;
  frozen?: boolean;
  outcomes?: Partial<Record<BulkOutcome, number>>;
}

const reason = z
  .string()
  .trim()
  .min(3, { error: "validation.reasonRequired" })
  .max(200, { error: "validation.tooLong" });

/** The ids picked on the list, or null when the form asks for every member the filters match. */
function pickedIds(form: Form, errors: FormErrors): string[] | null {
  if (form.all === "true") return null;
  const ids = [...new Set((form.ids ?? "").split(",").filter(Boolean))];
  if (ids.length === 0) errors.add("ids", "members.bulk.noneSelected");
  else if (ids.length > MAX_PICKED) errors.add("ids", "validation.tooMany");
  else if (!ids.every(isUuid)) errors.add("ids", "validation.invalid");
  return ids;
}

/** The form, checked field by field (every error at once), into what the job will do. */
function readBulkForm(shop: ShopContext, form: Form) {
  const errors = new FormErrors();
  const action = BULK_ACTIONS.find((a) => a === form.action);
  if (!action) errors.add("action", "validation.invalid");
  const why = errors.parse(z.object({ reason }), { reason: form.reason ?? "" })?.reason;
  const ids = pickedIds(form, errors);
  let points: number | undefined;
  let tierId: string | null | undefined;
  let until: string | null | undefined;
  if (action === "adjust") {
    const parsed = errors.parse(
      z.object({ points: int(-1_000_000, 1_000_000).refine((v) => v !== 0, { error: "validation.nonZero" }) }),
      { points: form.points ?? "" },
    );
    points = parsed?.points;
  }
  if (action === "setTier") {
    tierId = form.tierId || null;
    if (tierId && !shop.tiers.some((t) => t.id === tierId)) errors.add("tierId", "validation.invalid");
    until = form.until?.trim() || null;
    if (until && !/^\d{4}-\d{2}-\d{2}$/.test(until)) errors.add("until", "validation.date");
    else if (until && new Date(`${until}T00:00:00Z`).getTime() <= Date.now()) errors.add("until", "validation.future");
  }
  errors.throwIfAny();
  return { action: action!, reason: why!, ids, points, tierId, until };
}

/**
 * Records a bulk action and asks for its job. One runs at a time per shop: a second
 * would race the first for the same members and muddle what the banner reports.
 */
export async function startBulkAction(
  db: Db,
  shop: ShopContext,
  form: Form,
  actor: string,
): Promise<{ progressId: string; count: number }> {
  const input = readBulkForm(shop, form);
  const running = await latestProgress(db, shop.id, "members.bulk");
  if (running?.status === "RUNNING") throw new ValidationError({ form: "members.bulk.running" });
  const query = parseMemberListQuery(new URLSearchParams(form.query ?? ""));
  const selection = input.ids ? { ids: input.ids } : { query: { ...query, cursor: null, direction: "after" as const } };
  const count = input.ids
    ? await db.member.count({ where: { shopId: shop.id, id: { in: input.ids }, status: { not: "REDACTED" } } })
    : await countMembers(db, shop, query);
  if (count === 0) throw new ValidationError({ ids: "members.bulk.noneSelected" });
  const details: BulkDetails = {
    action: input.action,
    reason: input.reason,
    ...(input.points !== undefined ? { points: input.points } : {}),
    ...(input.action === "setTier" ? { tierId: input.tierId ?? null, until: input.until ?? null } : {}),
    selection,
    count,
  };
  const progress = await inTransaction(db, async (tx) => {
    const created = await startProgress(tx, {
      shopId: shop.id,
      kind: "members.bulk",
      actor,
      details: details as unknown as Prisma.InputJsonValue,
    });
    await tx.activityLog.create({
      data: {
        shopId: shop.id,
        actor,
        action: `members.bulk.${input.action}`,
        details: {
          members: count,
          ...(input.points !== undefined ? { points: input.points } : {}),
          ...(input.action === "setTier" ? { tierId: input.tierId ?? null, until: input.until ?? null } : {}),
          reason: input.reason,
        },
      },
    });
    return created;
  });
  await reportProgress(db, progress.id, { total: count });
  await requestJob(BULK_QUEUE, { progressId: progress.id });
  return { progressId: progress.id, count };
}

/** The newest bulk action of the shop, for the members list's banner. */
export async function latestBulkAction(db: Db, shopId: string) {
  const progress = await latestProgress(db, shopId, "members.bulk");
  if (!progress) return null;
  const details = progress.details as unknown as BulkDetails;
  return {
    id: progress.id,
    status: progress.status,
    action: details.action,
    total: progress.total,
    done: progress.done,
    outcomes: details.outcomes ?? {},
    startedAt: progress.startedAt,
    finishedAt: progress.finishedAt,
  };
}

/** Freezes the selection once: a resumed job finds it frozen and goes on from there. */
async function freezeSelection(db: Db, shop: ShopContext, progressId: string, details: BulkDetails): Promise<number> {
  for await (const ids of memberIdsMatching(db, shop, details.selection))
    await db.bulkActionMember.createMany({
      data: ids.map((memberId) => ({ shopId: shop.id, progressId, memberId })),
      skipDuplicates: true,
    });
  const total = await db.bulkActionMember.count({ where: { shopId: shop.id, progressId } });
  await db.jobProgress.update({
    where: { id: progressId },
    data: { total, details: { ...details, frozen: true } as unknown as Prisma.InputJsonValue },
  });
  return total;
}

async function setOutcomes(tx: Tx, shopId: string, progressId: string, ids: string[], outcome: BulkOutcome) {
  if (ids.length === 0) return;
  await tx.bulkActionMember.updateMany({
    where: { shopId, progressId, memberId: { in: ids }, outcome: null },
    data: { outcome },
  });
}

/** Points to each member of the batch, in one statement; a balance never goes below zero. */
async function adjustBatch(
  tx: Tx,
  shop: ShopContext,
  progressId: string,
  ids: string[],
  d: BulkDetails,
  actor: string,
) {
  const points = d.points!;
  const changed = await postSelectedEntries(
    tx,
    Prisma.sql`
      SELECT m."shopId", m.id AS "memberId", ${points}::int AS points, 'ADJUST' AS kind, 'ADMIN' AS source,
             ${`bulk:${progressId}:`} || m.id AS key
      FROM "Member" m
      WHERE m."shopId" = ${shop.id}::uuid AND m.id = ANY(${ids}::uuid[]) AND m.status = 'ACTIVE'
        AND m.balance + ${points} >= 0
      ORDER BY m.id FOR UPDATE OF m`,
    new Date(),
    { code: "adjustment", params: { note: d.reason } },
    { actor },
  );
  // A resumed batch posts nothing twice: what the ledger already holds counts as done.
  await tx.$executeRaw`
    UPDATE "BulkActionMember" b
    SET outcome = CASE
      WHEN EXISTS (SELECT 1 FROM "LedgerEntry" l
                   WHERE l."shopId" = b."shopId" AND l."idempotencyKey" = ${`bulk:${progressId}:`} || b."memberId")
        THEN 'changed'
      WHEN m.status <> 'ACTIVE' THEN 'inactive'
      ELSE 'belowZero' END
    FROM "Member" m
    WHERE b."shopId" = ${shop.id}::uuid AND b."progressId" = ${progressId}::uuid
      AND b."memberId" = ANY(${ids}::uuid[]) AND b.outcome IS NULL AND m.id = b."memberId"`;
  return changed;
}

async function tierBatch(tx: Tx, shop: ShopContext, progressId: string, ids: string[], d: BulkDetails, actor: string) {
  const members = await tx.$queryRaw<Array<{ id: string; status: string; tierOverride: boolean }>>`
    SELECT id, status::text AS status, "tierOverride" FROM "Member"
    WHERE "shopId" = ${shop.id}::uuid AND id = ANY(${ids}::uuid[]) ORDER BY id FOR UPDATE`;
  const outcome = { changed: [] as string[], unchanged: [] as string[], inactive: [] as string[] };
  for (const member of members) {
    if (member.status !== "ACTIVE") outcome.inactive.push(member.id);
    else if (d.action === "clearTier" && !member.tierOverride) outcome.unchanged.push(member.id);
    else {
      if (d.action === "setTier")
        await setTierOverride(tx, shop, {
          memberId: member.id,
          tierId: d.tierId ?? null,
          reason: d.reason,
          until: d.until ? new Date(`${d.until}T00:00:00Z`) : null,
          actor,
        });
      else await clearTierOverride(tx, shop, { memberId: member.id, reason: d.reason, actor });
      outcome.changed.push(member.id);
    }
  }
  for (const [key, list] of Object.entries(outcome))
    await setOutcomes(tx, shop.id, progressId, list, key as BulkOutcome);
}

/** Exclude or take back: a status change, in the member's own activity too. */
async function statusBatch(
  tx: Tx,
  shop: ShopContext,
  progressId: string,
  ids: string[],
  d: BulkDetails,
  actor: string,
) {
  const [from, to] = d.action === "exclude" ? ["ACTIVE", "EXCLUDED"] : ["EXCLUDED", "ACTIVE"];
  const changed = await tx.$queryRaw<Array<{ id: string }>>`
    UPDATE "Member" SET status = ${to}::"MemberStatus", "updatedAt" = now()
    WHERE "shopId" = ${shop.id}::uuid AND id = ANY(${ids}::uuid[]) AND status = ${from}::"MemberStatus"
    RETURNING id`;
  const changedIds = changed.map((row) => row.id);
  if (changedIds.length)
    await tx.activityLog.createMany({
      data: changedIds.map((memberId) => ({
        shopId: shop.id,
        actor,
        action: d.action === "exclude" ? "member.excluded" : "member.included",
        subject: memberId,
        details: { reason: d.reason },
      })),
    });
  await setOutcomes(tx, shop.id, progressId, changedIds, "changed");
  const redacted = await tx.member.findMany({
    where: { shopId: shop.id, id: { in: ids }, status: "REDACTED" },
    select: { id: true },
  });
  await setOutcomes(
    tx,
    shop.id,
    progressId,
    redacted.map((m) => m.id),
    "inactive",
  );
  await setOutcomes(tx, shop.id, progressId, ids, "unchanged");
}

/**
 * The job. Returns the shop and the number of members it finished this run. Two
 * instances running the same action share its batches (SKIP LOCKED) and change nobody
 * twice.
 */
export async function runBulkAction(db: Db, progressId: string): Promise<{ shopId: string | null; members: number }> {
  const progress = await db.jobProgress.findUnique({ where: { id: progressId } });
  if (!progress || progress.kind !== "members.bulk" || progress.status !== "RUNNING")
    return { shopId: null, members: 0 };
  const shop = await loadShopContext(db, { id: progress.shopId });
  if (!shop) return { shopId: null, members: 0 };
  const details = progress.details as unknown as BulkDetails;
  const actor = progress.actor ?? "system";
  try {
    if (!details.frozen) await freezeSelection(db, shop, progressId, details);
    let finished = 0;
    for (;;) {
      const batch = await inTransaction(db, async (tx) => {
        const rows = await tx.$queryRaw<Array<{ memberId: string }>>`
          SELECT "memberId" FROM "BulkActionMember"
          WHERE "shopId" = ${shop.id}::uuid AND "progressId" = ${progressId}::uuid AND outcome IS NULL
          ORDER BY "memberId" LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`;
        const ids = rows.map((row) => row.memberId);
        if (ids.length === 0) return null;
        let earned: string[] = [];
        if (details.action === "adjust") earned = await adjustBatch(tx, shop, progressId, ids, details, actor);
        else if (details.action === "setTier" || details.action === "clearTier")
          await tierBatch(tx, shop, progressId, ids, details, actor);
        else await statusBatch(tx, shop, progressId, ids, details, actor);
        // Rows whose member is gone altogether (erased and deleted since the freeze).
        await setOutcomes(tx, shop.id, progressId, ids, "inactive");
        return { count: ids.length, earned: (details.points ?? 0) > 0 ? earned : [] };
      });
      if (!batch) break;
      finished += batch.count;
      // An increment, not a count of the done rows: counting grew with every batch (200
      // batches of 100k members read 10M rows). The last batch sets the exact figure.
      await db.jobProgress.update({ where: { id: progressId }, data: { done: { increment: batch.count } } });
      // Under the points metric, added points can carry members over a threshold.
      await upgradeMembersAfterEarning(db, batch.earned, "adjustment");
    }
    await finishBulkAction(db, shop.id, progressId, details);
    return { shopId: shop.id, members: finished };
  } catch (error) {
    await finishProgress(db, progressId, { status: "FAILED", error: String(error) });
    throw error;
  }
}

async function finishBulkAction(db: Db, shopId: string, progressId: string, details: BulkDetails) {
  const open = await db.bulkActionMember.count({ where: { shopId, progressId, outcome: null } });
  if (open > 0) return; // another instance holds the last batch and will finish
  const counts = await db.bulkActionMember.groupBy({
    by: ["outcome"],
    where: { shopId, progressId },
    _count: { _all: true },
  });
  const outcomes = Object.fromEntries(counts.map((c) => [c.outcome, c._count._all]));
  const done = counts.reduce((sum, c) => sum + c._count._all, 0);
  await db.jobProgress.updateMany({
    where: { id: progressId, status: "RUNNING" },
    data: {
      status: "DONE",
      done,
      finishedAt: new Date(),
      details: { ...details, frozen: true, outcomes } as unknown as Prisma.InputJsonValue,
    },
  });
}

/** Bulk actions still running (a restart interrupted them): the sweep asks for their job again. */
export async function runningBulkActions(db: Db): Promise<string[]> {
  const rows = await db.jobProgress.findMany({
    where: { kind: "members.bulk", status: "RUNNING" },
    select: { id: true },
  });
  return rows.map((row) => row.id);
}
