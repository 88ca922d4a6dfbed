import { requestDebounced } from "../platform/job-queue.server";
import type { PrismaClient, Tier } from "../generated/prisma/client";
import type { Db, Tx } from "../platform/database/db";
import { loadProgram, programView } from "../services/member-view";
import { invalidateShopContext, loadShopContext, type ShopContext } from "../services/shop-context";
import { qualifyingValue } from "../services/tiers";
import { logger } from "../platform/logger.server";
import { AdminApiError, adminClientForShop, type AdminGraphql } from "./admin-api.server";
import { tierTag } from "../domain/tiers";
import { syncTierPerks } from "./shop-resources.server";

/**
 * Pushes what the loyalty core knows into Shopify, so that themes, Flow, Shopify Email
 * and Klaviyo can use it without calling us:
 *
 * - customer metafields in the app-owned namespace `$app:loyalty`: `balance`
 *   (number_integer), `tier` (the tier's name) and `progress` (json);
 * - customer tags: `comeback-member`, the tier's tag, and perk tags (`comeback-early-access`,
 *   `comeback-free-shipping`) a merchant can gate products or discounts on;
 * - the program's public settings in an app-data metafield (`app.metafields.loyalty.program`
 *   in Liquid), so the storefront widget paints without a request.
 *
 * Rows are marked by version (a trigger bumps Member.syncVersion on every change that
 * Shopify shows). A run pushes the state it read and records that version, so a change
 * that lands during the push stays marked and goes out next time: nothing is lost. One
 * run per shop at a time (a lease on the shop row) keeps an older state from
 * overwriting a newer one. Many changes between runs collapse into one push.
 */

export const CUSTOMER_NAMESPACE = "$app:loyalty";
export const PROGRAM_NAMESPACE = "loyalty";
/** Shopify's limit on metafieldsSet inputs per call. */
export const METAFIELDS_PER_CALL = 25;
export const MEMBER_TAG = "comeback-member";
export const PERK_TAGS = { earlyAccess: "comeback-early-access", freeShipping: "comeback-free-shipping" } as const;

export const METAFIELDS_SET = `#graphql
  mutation ComebackMetafieldsSet($metafields: [MetafieldsSetInput!]!) {
    metafieldsSet(metafields: $metafields) {
      metafields { id namespace key }
      userErrors { field message code }
    }
  }
`;

export const METAFIELDS_DELETE = `#graphql
  mutation ComebackMetafieldsDelete($metafields: [MetafieldIdentifierInput!]!) {
    metafieldsDelete(metafields: $metafields) {
      deletedMetafields { ownerId namespace key }
      userErrors { field message }
    }
  }
`;

export const CURRENT_APP_INSTALLATION = `#graphql
  query ComebackAppInstallation {
    currentAppInstallation { id }
  }
`;

/** One request for every tag change of a batch of customers (aliases a0, r0, a1, …). */
export function customerTagsMutation(changes: Array<{ add: boolean; remove: boolean }>): string {
  const params: string[] = [];
  const fields: string[] = [];
  changes.forEach((change, i) => {
    params.push(`$id${i}: ID!`);
    if (change.add) {
      params.push(`$add${i}: [String!]!`);
      fields.push(`a${i}: tagsAdd(id: $id${i}, tags: $add${i}) { node { id } userErrors { field message } }`);
    }
    if (change.remove) {
      params.push(`$remove${i}: [String!]!`);
      fields.push(`r${i}: tagsRemove(id: $id${i}, tags: $remove${i}) { node { id } userErrors { field message } }`);
    }
  });
  return `mutation ComebackCustomerTags(${params.join(", ")}) {\n  ${fields.join("\n  ")}\n}`;
}

interface UserError {
  field: string[] | null;
  message: string;
  code?: string | null;
}

export interface MetafieldInput {
  ownerId: string;
  namespace: string;
  key: string;
  type: string;
  value: string;
}

export interface SyncMember {
  id: string;
  customerId: bigint;
  balance: number;
  lifetimeEarned: number;
  tierId: string | null;
  status: string;
  syncVersion: number;
  syncedTags: string[];
  hasBirthday: boolean;
}

export interface CustomerPlan {
  member: SyncMember;
  set: MetafieldInput[];
  /** Metafields to delete (the tier, when the member has none). */
  remove: Array<{ ownerId: string; namespace: string; key: string }>;
  tags: { desired: string[]; add: string[]; remove: string[] };
}

export function customerGid(customerId: bigint): string {
  return `gid://shopify/Customer/${customerId}`;
}

export { tierTag };

/** The tags a member should carry in Shopify. */
export function desiredTags(member: Pick<SyncMember, "status">, tier: Tier | null): string[] {
  if (member.status !== "ACTIVE") return [];
  const tags = [MEMBER_TAG];
  if (tier) {
    tags.push(tierTag(tier));
    if (tier.earlyAccess) tags.push(PERK_TAGS.earlyAccess);
    if (tier.freeShipping) tags.push(PERK_TAGS.freeShipping);
  }
  return tags;
}

export interface Progress {
  tier: string | null;
  /** Positions in the program metafield's tiers, where the storefront finds the names in its language. */
  tierPosition: number | null;
  nextTier: string | null;
  nextTierPosition: number | null;
  /** What is left to the next tier, in the metric's unit (minor units for spend). */
  remaining: number | null;
  metric: string;
  currency: string;
  multiplier: number;
  lifetimeEarned: number;
  /** The member told their birthday (the account block stops asking). */
  birthday: boolean;
  /** Member.syncVersion pushed: the storefront prefers a fresher balance it has seen. */
  version: number;
}

/** What to write for one member, given the member's tier and progress. */
export function planCustomer(member: SyncMember, tiers: Tier[], progress: Progress): CustomerPlan {
  const ownerId = customerGid(member.customerId);
  const tier = tiers.find((t) => t.id === member.tierId) ?? null;
  const set: MetafieldInput[] = [
    { ownerId, namespace: CUSTOMER_NAMESPACE, key: "balance", type: "number_integer", value: String(member.balance) },
    { ownerId, namespace: CUSTOMER_NAMESPACE, key: "progress", type: "json", value: JSON.stringify(progress) },
  ];
  const remove: CustomerPlan["remove"] = [];
  if (tier)
    set.push({ ownerId, namespace: CUSTOMER_NAMESPACE, key: "tier", type: "single_line_text_field", value: tier.name });
  else remove.push({ ownerId, namespace: CUSTOMER_NAMESPACE, key: "tier" });
  const desired = desiredTags(member, tier);
  return {
    member,
    set,
    remove,
    tags: {
      desired,
      add: desired.filter((t) => !member.syncedTags.includes(t)),
      remove: member.syncedTags.filter((t) => !desired.includes(t)),
    },
  };
}

/** Groups plans so that no metafieldsSet call carries more than `limit` inputs. */
export function packBatches(plans: CustomerPlan[], limit = METAFIELDS_PER_CALL): CustomerPlan[][] {
  const batches: CustomerPlan[][] = [];
  let current: CustomerPlan[] = [];
  let size = 0;
  for (const plan of plans) {
    if (size + plan.set.length > limit && current.length) {
      batches.push(current);
      current = [];
      size = 0;
    }
    current.push(plan);
    size += plan.set.length;
  }
  if (current.length) batches.push(current);
  return batches;
}

async function progressOf(db: Db, shop: ShopContext, member: SyncMember): Promise<Progress> {
  const current = shop.tiers.find((t) => t.id === member.tierId) ?? null;
  const value = await qualifyingValue(db as Tx, shop, member.id);
  const next = shop.tiers.find((t) => t.position > (current?.position ?? -1) && t.threshold > value) ?? null;
  return {
    tier: current?.name ?? null,
    tierPosition: current?.position ?? null,
    nextTier: next?.name ?? null,
    nextTierPosition: next?.position ?? null,
    remaining: next ? Number(next.threshold - value) : null,
    metric: shop.settings.tierMetric,
    currency: shop.currency,
    multiplier: (current?.multiplierBp ?? 10_000) / 10_000,
    lifetimeEarned: member.lifetimeEarned,
    birthday: member.hasBirthday,
    version: member.syncVersion,
  };
}

export interface SyncStats {
  skipped?: "leased" | "no_access" | "unknown_shop";
  program: boolean;
  members: number;
  metafieldCalls: number;
  tagCalls: number;
  rejected: number;
}

export interface SyncOptions {
  /** Stop starting new batches after this long; the rest stays marked for the next run. */
  budgetMs?: number;
  membersPerRead?: number;
  leaseSeconds?: number;
}

async function claimLease(db: Db, shopId: string, seconds: number): Promise<boolean> {
  const rows = await db.$queryRaw<Array<{ id: string }>>`
    UPDATE "Shop" SET "syncLeaseUntil" = now() + make_interval(secs => ${seconds})
    WHERE id = ${shopId}::uuid AND ("syncLeaseUntil" IS NULL OR "syncLeaseUntil" < now())
    RETURNING id`;
  return rows.length === 1;
}

/** Which index of a batch's inputs a userError points at (`["metafields", "3", "value"]`). */
function inputIndex(error: UserError): number | null {
  const index = Number(error.field?.[1]);
  return error.field?.[0] === "metafields" && Number.isInteger(index) ? index : null;
}

export async function syncShop(
  db: PrismaClient,
  shopId: string,
  admin: AdminGraphql,
  options: SyncOptions = {},
): Promise<SyncStats> {
  const stats: SyncStats = { program: false, members: 0, metafieldCalls: 0, tagCalls: 0, rejected: 0 };
  const leaseSeconds = options.leaseSeconds ?? 120;
  if (!(await claimLease(db, shopId, leaseSeconds))) return { ...stats, skipped: "leased" };
  const deadline = Date.now() + (options.budgetMs ?? 60_000);
  try {
    // Fresh: a tier renamed a second ago must not go out under its old name.
    invalidateShopContext({ id: shopId });
    const shop = await loadShopContext(db, { id: shopId });
    if (!shop) return { ...stats, skipped: "unknown_shop" };
    stats.program = await syncProgram(db, shop, admin);

    for (;;) {
      if (Date.now() > deadline) break;
      const members = await db.$queryRaw<SyncMember[]>`
        SELECT id, "customerId", balance, "lifetimeEarned", "tierId", status::text AS status, "syncVersion", "syncedTags",
               birthday IS NOT NULL AS "hasBirthday"
        FROM "Member"
        WHERE "shopId" = ${shopId}::uuid AND "syncVersion" <> "syncedVersion" AND "customerId" IS NOT NULL
        ORDER BY "updatedAt" LIMIT ${options.membersPerRead ?? 200}`;
      if (members.length === 0) break;
      const plans: CustomerPlan[] = [];
      for (const member of members) plans.push(planCustomer(member, shop.tiers, await progressOf(db, shop, member)));
      for (const batch of packBatches(plans)) {
        if (Date.now() > deadline) break;
        await pushBatch(db, admin, batch, stats);
        await db.$executeRaw`UPDATE "Shop" SET "syncLeaseUntil" = now() + make_interval(secs => ${leaseSeconds}) WHERE id = ${shopId}::uuid`;
      }
    }
  } finally {
    await db.$executeRaw`UPDATE "Shop" SET "syncLeaseUntil" = NULL WHERE id = ${shopId}::uuid`;
  }
  return stats;
}

/** Writes one batch; records each member as pushed at the version that was read. */
async function pushBatch(
  db: PrismaClient,
  admin: AdminGraphql,
  batch: CustomerPlan[],
  stats: SyncStats,
): Promise<void> {
  const inputs = batch.flatMap((plan) => plan.set);
  const owners = batch.flatMap((plan) => plan.set.map(() => plan.member.id));
  const result = await admin.request(METAFIELDS_SET, {
    metafields: inputs,
  });
  stats.metafieldCalls += 1;
  if (!result.metafieldsSet) throw new AdminApiError("graphql", "metafieldsSet returned no payload");
  const errors = result.metafieldsSet.userErrors;
  if (errors.length) {
    // metafieldsSet is all or nothing. Members whose input Shopify refused (typically a
    // customer deleted in Shopify) are set aside, so they cannot block everyone else;
    // the rest stay marked and go out in the next batch.
    const refused = new Set(
      errors
        .map(inputIndex)
        .filter((i): i is number => i !== null)
        .map((i) => owners[i]!),
    );
    logger.warn({ userErrors: errors.slice(0, 5), refused: refused.size }, "shopify sync: metafieldsSet refused");
    if (refused.size === 0) throw new AdminApiError("graphql", `metafieldsSet refused: ${errors[0]!.message}`);
    for (const plan of batch.filter((p) => refused.has(p.member.id))) {
      await markPushed(db, plan.member, plan.member.syncedTags);
      stats.rejected += 1;
    }
    return;
  }

  const removals = batch.flatMap((plan) => plan.remove);
  if (removals.length) await admin.request(METAFIELDS_DELETE, { metafields: removals });

  const tagged = batch.filter((plan) => plan.tags.add.length || plan.tags.remove.length);
  const tagErrors = new Set<number>();
  if (tagged.length) {
    const variables: Record<string, unknown> = {};
    tagged.forEach((plan, i) => {
      variables[`id${i}`] = customerGid(plan.member.customerId);
      if (plan.tags.add.length) variables[`add${i}`] = plan.tags.add;
      if (plan.tags.remove.length) variables[`remove${i}`] = plan.tags.remove;
    });
    const mutation = customerTagsMutation(
      tagged.map((plan) => ({ add: plan.tags.add.length > 0, remove: plan.tags.remove.length > 0 })),
    );
    const answer = await admin.requestUntyped<Record<string, { userErrors: UserError[] } | null>>(mutation, variables);
    stats.tagCalls += 1;
    for (const [alias, value] of Object.entries(answer)) {
      if (value?.userErrors.length) tagErrors.add(Number(alias.slice(1)));
    }
  }
  for (const plan of batch) {
    const index = tagged.indexOf(plan);
    // A tag change Shopify refused is recorded as not made, so it is tried again.
    await markPushed(db, plan.member, index >= 0 && tagErrors.has(index) ? plan.member.syncedTags : plan.tags.desired);
    stats.members += 1;
  }
}

async function markPushed(db: PrismaClient, member: SyncMember, tags: string[]) {
  // GREATEST: a slower run that read an older version never moves the mark backwards.
  await db.$executeRaw`
    UPDATE "Member" SET "syncedVersion" = GREATEST("syncedVersion", ${member.syncVersion}), "syncedTags" = ${tags}
    WHERE id = ${member.id}::uuid`;
}

async function syncProgram(db: PrismaClient, shop: ShopContext, admin: AdminGraphql): Promise<boolean> {
  const row = await db.shop.findUnique({
    where: { id: shop.id },
    select: { programVersion: true, programSyncedVersion: true },
  });
  if (!row || row.programVersion === row.programSyncedVersion) return false;
  const view = programView(shop, await loadProgram(db, shop));
  const installation = await admin.request(CURRENT_APP_INSTALLATION);
  const result = await admin.request(METAFIELDS_SET, {
    metafields: [
      {
        ownerId: installation.currentAppInstallation.id,
        namespace: PROGRAM_NAMESPACE,
        key: "program",
        type: "json",
        value: JSON.stringify(view),
      },
    ],
  });
  const refused = result.metafieldsSet?.userErrors ?? [{ message: "metafieldsSet returned no payload" }];
  if (refused.length) throw new AdminApiError("graphql", `program metafield refused: ${refused[0]!.message}`);
  // Tier perks that live in Shopify (free shipping for a tier's customers) follow the tiers.
  await syncTierPerks(db, shop.id, shop.tiers, admin);
  await db.$executeRaw`
    UPDATE "Shop" SET "programSyncedVersion" = GREATEST("programSyncedVersion", ${row.programVersion}) WHERE id = ${shop.id}::uuid`;
  return true;
}

/** Shops with anything to push (the sweep that backs up the debounced per-shop jobs). */
export async function shopsNeedingSync(db: Db): Promise<string[]> {
  const rows = await db.$queryRaw<Array<{ id: string }>>`
    SELECT s.id FROM "Shop" s
    WHERE s."uninstalledAt" IS NULL
      AND (s."programVersion" <> s."programSyncedVersion"
        OR EXISTS (SELECT 1 FROM "Member" m WHERE m."shopId" = s.id AND m."syncVersion" <> m."syncedVersion" AND m."customerId" IS NOT NULL))`;
  return rows.map((r) => r.id);
}

/** The job: syncs one shop with its offline token. Throws what the queue should retry. */
export async function syncShopById(db: PrismaClient, shopId: string): Promise<SyncStats> {
  const shop = await db.shop.findUnique({ where: { id: shopId }, select: { domain: true } });
  if (!shop)
    return { skipped: "unknown_shop", program: false, members: 0, metafieldCalls: 0, tagCalls: 0, rejected: 0 };
  const admin = await adminClientForShop(db, shop.domain);
  if (!admin) return { skipped: "no_access", program: false, members: 0, metafieldCalls: 0, tagCalls: 0, rejected: 0 };
  return syncShop(db, shopId, admin);
}

/** The per-shop sync queue (metafields and tags), debounced by shop. */
export const SHOPIFY_SYNC_QUEUE = "shopify-sync-shop";
export const SYNC_DEBOUNCE_SECONDS = 3;

/**
 * Asks for the shop's Shopify sync soon. Changes within the debounce window share one
 * job; the job reads the latest state, so a burst of webhooks becomes one push. Never
 * throws: the minute sweep catches anything this misses.
 */
export function requestShopifySync(shopId: string): Promise<void> {
  return requestDebounced(SHOPIFY_SYNC_QUEUE, { shopId }, SYNC_DEBOUNCE_SECONDS, shopId);
}
