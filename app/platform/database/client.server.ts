import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "../../generated/prisma/client";

/** A Prisma client on the `pg` driver adapter (Prisma 7 has no engine binary). */
export function createPrismaClient(connectionString: string, poolSize: number): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString, max: poolSize }) });
}
