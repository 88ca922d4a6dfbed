import type { Prisma, PrismaClient } from "../generated/prisma/client";

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
