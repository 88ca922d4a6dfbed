import type { Prisma, PrismaClient } from "../../generated/prisma/client";

/** A Prisma client or an open transaction: the loyalty core takes either. */
export type Db = PrismaClient | Prisma.TransactionClient;
export type Tx = Prisma.TransactionClient;

/**
 * Runs `work` in a transaction, or inside the caller's when `db` already is one.
 * Interactive transactions are what make "lock the member, check, write" atomic.
 */
export async function inTransaction<T>(db: Db, work: (tx: Tx) => Promise<T>, timeoutMs = 15_000): Promise<T> {
  if ("$transaction" in db) return (db as PrismaClient).$transaction(work, { maxWait: 10_000, timeout: timeoutMs });
  return work(db);
}

/**
 * The transaction saw the world change under it in a way that needs its locks taken in
 * another order (e.g. an order's member appeared while it waited): roll back and run it
 * again from the start.
 */
export class TransactionConflict extends Error {
  override name = "TransactionConflict";
}

/** A conflict worth running the whole transaction again for: ours, or PostgreSQL's. */
export function isRetryableConflict(error: unknown): boolean {
  if (error instanceof TransactionConflict) return true;
  const code = (error as { code?: string; meta?: { code?: string } } | null)?.code;
  if (code === "P2034") return true;
  const message = error instanceof Error ? error.message : "";
  return /deadlock detected|could not serialize|40P01|40001/.test(message);
}
