import type { PrismaClient } from "../../app/generated/prisma/client";
import { findBalanceMismatches } from "../../app/services/ledger";

/**
 * The reliability suite runs short in `npm test` and at full scale with
 * `npm run test:reliability` (RELIABILITY_SCALE=full).
 */
export const FULL = process.env.RELIABILITY_SCALE === "full";
export const scale = (short: number, full: number) => (FULL ? full : short);

/** Runs `work` over `items` with at most `limit` in flight. */
export async function pool<T, R>(
  items: T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await work(items[index]!, index);
      }
    }),
  );
  return results;
}

/** A deterministic shuffle (seeded), so a failing order can be replayed. */
export function shuffle<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let state = seed >>> 0 || 1;
  const random = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4294967296;
  };
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Ledger invariants that must hold whatever happened: no key twice, cache = sum. */
export async function ledgerInvariants(prisma: PrismaClient, shopId: string) {
  const [duplicates] = await prisma.$queryRaw<Array<{ count: bigint }>>`
    SELECT count(*) FROM (SELECT 1 FROM "LedgerEntry" WHERE "shopId" = ${shopId}::uuid GROUP BY "idempotencyKey" HAVING count(*) > 1) d`;
  const mismatched = await findBalanceMismatches(prisma, { shopId, limit: 1_000_000 });
  const [negative] = await prisma.$queryRaw<
    Array<{ count: bigint }>
  >`SELECT count(*) FROM "Member" WHERE "shopId" = ${shopId}::uuid AND balance < 0`;
  return { duplicates: Number(duplicates!.count), mismatched: mismatched.length, negative: Number(negative!.count) };
}
