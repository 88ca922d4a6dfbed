/**
 * `npm run bench:data`: member files at scale, on real PostgreSQL.
 *
 * 1. Import: a BON-style file of ROWS members (default 100,000; Shopify customer id,
 *    email, points) is streamed into an import, checked, and imported by one instance,
 *    timed stage by stage. A tenth of the rows name only an email that the Admin API
 *    stand-in knows, so the Shopify lookup is part of the run.
 * 2. Export: LEDGER ledger entries (default 1,000,000) streamed as the points-history CSV,
 *    with the live heap (after a collection) sampled while it runs. Needs --expose-gc.
 *
 *   BENCH_DATABASE_URL  server to create the bench database on (default: local PostgreSQL)
 *   BENCH_ROWS          import rows (default 100000)
 *   BENCH_LEDGER        ledger entries to export (default 1000000)
 *
 * Writes bench/results/data.md.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { csvResponse } from "../app/http/csv";
import { createPrismaClient } from "../app/platform/database/client.server";
import { applyMigrations } from "../app/platform/database/migrate.server";
import { loadConfig } from "../app/platform/config.server";
import { provideRuntime } from "../app/platform/runtime.server";
import { importReport, runImport, stageImport } from "../app/services/member-import";
import { exportLedger } from "../app/services/member-list";
import { loadShopContext } from "../app/services/shop-context";
import { createAdminClient } from "../app/shopify/admin-api.server";
import { importCustomers } from "../app/shopify/member-import.server";
import { startAdminStandin } from "../scripts/shopify-standin/admin-api";
import { adminUrl, sql, withDatabase } from "./support";

const ROWS = Number(process.env.BENCH_ROWS) || 100_000;
const LEDGER = Number(process.env.BENCH_LEDGER) || 1_000_000;

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const started = performance.now();
  const result = await work();
  return { ms: performance.now() - started, result };
}

const gc = (globalThis as { gc?: () => void }).gc;
function liveHeap(): number {
  gc?.();
  return process.memoryUsage().heapUsed;
}

async function main() {
  if (!gc) throw new Error("run with node --expose-gc (npm run bench:data does)");
  const name = `comeback_data_bench_${Date.now().toString(36)}`;
  await sql(adminUrl, `CREATE DATABASE "${name}"`);
  const url = withDatabase(adminUrl, name);
  await applyMigrations(url);
  provideRuntime({
    config: loadConfig({
      ...process.env,
      NODE_ENV: "production",
      SHOPIFY_API_KEY: "bench",
      SHOPIFY_API_SECRET: "bench-secret",
      SHOPIFY_APP_URL: "https://bench.example",
      DATABASE_URL: url,
      LOG_LEVEL: "warn",
    }),
    databaseUrl: url,
  });
  const db = createPrismaClient(url, 8);
  const standin = await startAdminStandin({ accessToken: "bench-token", bucketSize: 100_000, restoreRate: 10_000 });
  try {
    const shop = await db.shop.create({
      data: { domain: "bench-data.myshopify.com", currency: "USD", settings: { create: {} } },
    });
    const context = (await loadShopContext(db, { id: shop.id }))!;
    // A tenth of the file gives only an email, which Shopify knows.
    for (let i = 0; i < ROWS; i += 10)
      standin.customers.set(`gid://shopify/Customer/${5_000_000 + i}`, {
        email: `member${i}@example.com`,
        firstName: null,
        lastName: null,
      });
    const encoder = new TextEncoder();
    async function* file() {
      yield encoder.encode("Shopify Customer ID,Customer Email,Points\n");
      for (let start = 0; start < ROWS; start += 1000) {
        let chunk = "";
        for (let i = start; i < Math.min(ROWS, start + 1000); i++)
          chunk += `${i % 10 === 0 ? "" : 5_000_000 + i},member${i}@example.com,${(i * 7) % 5000}\n`;
        yield encoder.encode(chunk);
      }
    }
    const staged = await timed(() =>
      stageImport(db, context, { filename: "bon.csv", data: file(), actor: "bench", createMissing: false }),
    );
    const id = staged.result;
    const report = await timed(() => importReport(db, shop.id, id));
    await db.memberImport.update({ where: { id }, data: { status: "RUNNING" } });
    const customers = importCustomers(
      createAdminClient({ endpoint: standin.endpoint(shop.domain), accessToken: "bench-token" }),
    );
    const imported = await timed(() => runImport(db, context, id, customers));
    const job = await db.memberImport.findUniqueOrThrow({ where: { id } });
    const members = await db.member.count({ where: { shopId: shop.id } });
    const importMs = staged.ms + imported.ms;

    // The export: LEDGER entries over 10,000 members, written by SQL (the import above
    // has its own).
    await db.$executeRaw`
      INSERT INTO "LedgerEntry" ("shopId", "memberId", points, kind, source, reason, "idempotencyKey", "createdAt")
      SELECT ${shop.id}::uuid, ms.ids[1 + g % cardinality(ms.ids)], 10, 'EARN', 'ADMIN', 'bench', 'bench:' || g,
             now() - make_interval(secs => g)
      FROM generate_series(1, ${LEDGER}) g,
           (SELECT array_agg(id) AS ids FROM (SELECT id FROM "Member" WHERE "shopId" = ${shop.id}::uuid LIMIT 10000) m) ms`;
    // As autovacuum would have by the time a merchant exports.
    await db.$executeRawUnsafe(`ANALYZE "LedgerEntry"`);
    await db.$executeRawUnsafe(`ANALYZE "Member"`);
    const baseline = liveHeap();
    let peak = baseline;
    let rows = 0;
    let bytes = 0;
    const exported = await timed(async () => {
      async function* lines() {
        for await (const e of exportLedger(db, shop.id, { from: new Date(0), to: new Date(Date.now() + 60_000) })) {
          rows += 1;
          if (rows % 100_000 === 0) peak = Math.max(peak, liveHeap());
          yield [
            e.id.toString(),
            e.createdAt.toISOString(),
            e.customerId?.toString(),
            e.email,
            e.points,
            e.kind,
            e.source,
            e.reason,
            e.orderId?.toString(),
          ];
        }
      }
      const response = csvResponse(
        "bench.csv",
        ["entry_id", "created_at", "customer", "email", "points", "kind", "source", "reason", "order"],
        lines(),
      );
      const reader = response.body!.getReader();
      for (let next = await reader.read(); !next.done; next = await reader.read()) bytes += next.value.byteLength;
    });

    const perSecond = (count: number, ms: number) => Math.round((count / ms) * 1000).toLocaleString("en");
    const lines = [
      "# Member files (npm run bench:data)",
      "",
      `Run ${new Date().toISOString()} on ${cpus().length} cores, PostgreSQL at ${new URL(adminUrl).host}, Node ${process.version}.`,
      "",
      "## Import",
      "",
      `A BON-style file of ${ROWS.toLocaleString("en")} rows (${(ROWS / 10).toLocaleString("en")} with only an email, looked up in the Admin API stand-in), one instance:`,
      "",
      "| stage | time | rows/s |",
      "|---|---:|---:|",
      `| upload streamed, staged and checked | ${(staged.ms / 1000).toFixed(1)} s | ${perSecond(ROWS, staged.ms)} |`,
      `| report and dry run | ${(report.ms / 1000).toFixed(2)} s | |`,
      `| import (members, ledger, Shopify lookups) | ${(imported.ms / 1000).toFixed(1)} s | ${perSecond(ROWS, imported.ms)} |`,
      `| **total** | **${(importMs / 1000).toFixed(1)} s** | **${perSecond(ROWS, importMs)}** |`,
      "",
      `Result: ${job.created.toLocaleString("en")} members created, ${job.skipped} skipped, ${Number(job.pointsAdded).toLocaleString("en")} points; ${members.toLocaleString("en")} members in the shop; dry run said ${report.result.dryRun.new.toLocaleString("en")} new.`,
      "",
      "## Export",
      "",
      `${rows.toLocaleString("en")} ledger entries as CSV (${(bytes / 1024 / 1024).toFixed(0)} MB) in ${(exported.ms / 1000).toFixed(1)} s (${perSecond(rows, exported.ms)} rows/s); live heap grew by at most ${((peak - baseline) / 1024 / 1024).toFixed(1)} MB over the run (sampled every 100,000 rows after a collection).`,
      "",
    ];
    mkdirSync("bench/results", { recursive: true });
    writeFileSync("bench/results/data.md", lines.join("\n"));
    console.log(lines.join("\n"));
  } finally {
    await db.$disconnect();
    await standin.close();
    await sql(adminUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  }
}

await main();
