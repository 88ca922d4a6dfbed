import type { Prisma, PrismaClient } from "../generated/prisma/client";

/** A Prisma client or an open transaction: the loyalty core takes either. */
export type Db = PrismaClient | Prisma.TransactionClient;
export type Tx = Prisma.TransactionClient;

/**
 * Runs `work` in a transaction, or inside the caller's when `db` already is one.
 * Interactive transactions are what make "lock the member, check, write" atomic.
 */
export async function inTransaction<T>(db: Db, work: (tx: Tx) => Promise<T>, timeoutMs = 15_000): Promise<T> {
  if ("$transaction" in db) {
    const limits = transactionLimits(10_000, timeoutMs);
    return (db as PrismaClient).$transaction(work, limits);
  }
  return work(db);
}

/**
 * How long a transaction may wait for a connection and run. The embedded PostgreSQL
 * (PGlite) runs one transaction at a time for all connections, so under concurrent
 * load transactions queue there far longer than on a server; it gets generous limits.
 * COMEBACK_EMBEDDED_DB is set wherever the embedded database is in use.
 */
export function transactionLimits(maxWait: number, timeout: number): { maxWait: number; timeout: number } {
  return process.env.COMEBACK_EMBEDDED_DB === "1" ? { maxWait: Math.max(maxWait, 120_000), timeout: Math.max(timeout, 180_000) } : { maxWait, timeout };
}
