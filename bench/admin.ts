/**
 * `npm run bench:admin`: latency of the merchant admin's heaviest loaders (dashboard,
 * retention cohorts and members list) on a shop with 100k members, 300k orders and 1M
 * ledger entries, through the production build, Shopify's authenticate.admin and real
 * PostgreSQL. The bar is p95 ≤ 200 ms. Also times the dashboard's roll-up job and a bulk
 * action on every member.
 *
 *   BENCH_DATABASE_URL   server to create the bench database on (default: local PostgreSQL)
 *   BENCH_MEMBERS        members to seed (default 100000)
 *   BENCH_LEDGER         ledger entries to seed (default 1000000)
 *   BENCH_SAMPLES        requests per loader (default 40, after 5 warm-up requests)
 *   BENCH_KEEP=1         keep the database afterwards (its URL is printed)
 *
 * Writes bench/results/admin.md and admin.json.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { adminUrl, sql as run, withDatabase } from "./support";
import { adminClient, installShop } from "../tests/support/admin";
import { startServer } from "../tests/support/server";
import { TEST_SECRET } from "../tests/support/shopify";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "../app/generated/prisma/client";
import { rollUpAnalytics } from "../app/services/analytics";
import { runBulkAction } from "../app/services/admin/bulk-members";
import { startAdminStandin } from "../scripts/shopify-standin/admin-api";
import { loadConfig } from "../app/platform/config.server";
import { provideRuntime } from "../app/platform/runtime.server";

const MEMBERS = Number(process.env.BENCH_MEMBERS) || 100_000;
const LEDGER = Number(process.env.BENCH_LEDGER) || 1_000_000;
const SAMPLES = Number(process.env.BENCH_SAMPLES) || 40;
const SHOP = "admin-bench.myshopify.com";

/**
 * A year and a half of history, set-based: members across tiers with balances and order
 * stats, orders (a quarter by guests), and the ledger spread over the same span with
 * earnings, redemptions and expiries in realistic proportions.
 */
async function seed(url: string) {
  const started = Date.now();
  const { rows } = await run(
    url,
    `WITH s AS (INSERT INTO "Shop" (id, domain, "programStatus", "setupCompleted", "ianaTimezone", "updatedAt")
                VALUES (gen_random_uuid(), $1, 'LIVE', true, 'Europe/Moscow', now()) RETURNING id),
          st AS (INSERT INTO "ShopSettings" ("shopId", "updatedAt") SELECT id, now() FROM s)
     SELECT id FROM s`,
    [SHOP],
  );
  const shopId = rows[0].id as string;
  await run(
    url,
    `INSERT INTO "Reward" (id, "shopId", name, type, "pointsCost", "valueMinor", currency, "updatedAt")
    VALUES (gen_random_uuid(), $1, '$5 off', 'FIXED_AMOUNT', 500, 500, 'USD', now()), (gen_random_uuid(), $1, '$15 off', 'FIXED_AMOUNT', 1400, 1500, 'USD', now())`,
    [shopId],
  );
  await run(
    url,
    `INSERT INTO "Tier" (id, "shopId", name, position, threshold, "multiplierBp", "updatedAt")
    VALUES (gen_random_uuid(), $1, 'Silver', 0, 30000, 12500, now()), (gen_random_uuid(), $1, 'Gold', 1, 80000, 15000, now())`,
    [shopId],
  );
  await run(
    url,
    `INSERT INTO "Member" (id, "shopId", "customerId", email, "firstName", "referralCode", balance, "lifetimeEarned", "tierId",
                           "enrolledAt", "lastOrderAt", "orderCount", "totalSpentMinor", "updatedAt")
     SELECT gen_random_uuid(), $1, g, 'shopper' || g || '@example.com', (ARRAY['Anna','Boris','Clara','Dmitry','Eva'])[1 + g % 5],
            'B' || g, (g * 37) % 4000, (g * 37) % 4000 + 500,
            CASE WHEN g % 10 = 0 THEN (SELECT id FROM "Tier" WHERE "shopId" = $1 AND position = 1)
                 WHEN g % 4 = 0 THEN (SELECT id FROM "Tier" WHERE "shopId" = $1 AND position = 0) END,
            now() - ((g % 540) || ' days')::interval,
            CASE WHEN g % 7 = 0 THEN NULL ELSE now() - ((g % 400) || ' days')::interval END,
            g % 9, (g % 9) * 4500, now()
     FROM generate_series(1, $2::int) g`,
    [shopId, MEMBERS],
  );
  await run(
    url,
    `CREATE TABLE bench_members AS SELECT id, "customerId", row_number() OVER (ORDER BY "customerId") AS n FROM "Member" WHERE "shopId" = $1`,
    [shopId],
  );
  await run(url, `CREATE UNIQUE INDEX ON bench_members (n)`);
  const orders = Math.round(MEMBERS * 3);
  await run(
    url,
    `INSERT INTO "Order" (id, "shopId", "customerId", "memberId", email, currency, "totalMinor", "earnableMinor", "pointsEarned",
                          "usedLoyaltyReward", "processedAt", "paidAt", "cancelledAt", "updatedAt")
     SELECT g, $1, CASE WHEN g % 4 = 0 THEN NULL ELSE m."customerId" END, CASE WHEN g % 4 = 0 OR g % 5 = 0 THEN NULL ELSE m.id END,
            CASE WHEN g % 4 = 0 THEN 'guest' || (g % 20000) || '@example.com' END, 'USD', 2000 + (g % 200) * 100, 2000, 20,
            g % 25 = 0, now() - ((g % 540) || ' days')::interval - ((g % 1440) || ' minutes')::interval,
            now() - ((g % 540) || ' days')::interval, CASE WHEN g % 50 = 0 THEN now() END, now()
     FROM generate_series(1::bigint, $2::bigint) g JOIN bench_members m ON m.n = 1 + (g * 7919) % $3`,
    [shopId, orders, MEMBERS],
  );
  await run(
    url,
    `INSERT INTO "LedgerEntry" ("shopId", "memberId", points, kind, source, reason, "idempotencyKey", "createdAt")
     SELECT $1, m.id,
            CASE WHEN g % 10 = 0 THEN -500 WHEN g % 97 = 0 THEN -40 ELSE 20 + g % 180 END,
            (CASE WHEN g % 10 = 0 THEN 'REDEEM' WHEN g % 97 = 0 THEN 'EXPIRE' ELSE 'EARN' END)::"LedgerKind",
            (CASE WHEN g % 10 = 0 THEN 'REDEMPTION' WHEN g % 97 = 0 THEN 'EXPIRY' ELSE 'ORDER' END)::"LedgerSource",
            'bench', 'bench:' || g, now() - ((g % 540) || ' days')::interval - ((g % 1440) || ' minutes')::interval
     FROM generate_series(1::bigint, $2::bigint) g JOIN bench_members m ON m.n = 1 + (g * 104729) % $3`,
    [shopId, LEDGER, MEMBERS],
  );
  await run(url, `DROP TABLE bench_members`);
  await run(url, `ANALYZE`);
  return { shopId, orders, seconds: (Date.now() - started) / 1000 };
}

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function main() {
  const name = `comeback_admin_bench_${Date.now().toString(36)}`;
  await run(adminUrl, `CREATE DATABASE "${name}"`);
  const url = withDatabase(adminUrl, name);
  const server = await startServer({
    SHOPIFY_API_KEY: "test-api-key",
    SHOPIFY_API_SECRET: TEST_SECRET,
    SHOPIFY_APP_URL: "https://comeback.test",
    DATABASE_URL: url,
    COMEBACK_JOBS: "off",
  });
  const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: url, max: 2 }) });
  // The bulk action's job runs in this process, as a worker instance would.
  provideRuntime({
    config: loadConfig({
      ...process.env,
      NODE_ENV: "production",
      SHOPIFY_API_KEY: "bench",
      SHOPIFY_API_SECRET: TEST_SECRET,
      SHOPIFY_APP_URL: "https://bench.example",
      DATABASE_URL: url,
      LOG_LEVEL: "warn",
    }),
    databaseUrl: url,
  });
  const standin = await startAdminStandin({ accessToken: "shpat_test", appEmbed: "enabled" });
  try {
    const seeded = await seed(url);
    await installShop(prisma, SHOP);
    // Shopify for the pages that ask it (the home page's launcher check, the loyalty
    // page's menus): the stand-in, answering as a set-up shop's would (launcher on).
    await prisma.shop.update({ where: { domain: SHOP }, data: { adminApiUrl: standin.endpoint(SHOP) } });
    console.log(
      `seeded ${MEMBERS} members, ${seeded.orders} orders, ${LEDGER} ledger entries in ${seeded.seconds.toFixed(1)} s`,
    );
    // The job a shop's midnight runs: every closed day and period length, before any view.
    const shopRow = await prisma.shop.findFirstOrThrow({ where: { domain: SHOP } });
    const rollUpStarted = performance.now();
    await rollUpAnalytics(prisma, { id: shopRow.id, currency: shopRow.currency, timezone: shopRow.ianaTimezone });
    const rollUpMs = Math.round(performance.now() - rollUpStarted);
    console.log(`roll-up job (every closed day, 4 period lengths, retention report): ${rollUpMs} ms`);
    const admin = adminClient(server.url, SHOP);
    const gold = await prisma.tier.findFirstOrThrow({ where: { name: "Gold" } });
    const firstPage = await admin.load<{ nextCursor: string }>(
      "/app/members?sort=balance",
      "routes/app.members._index",
    );

    const cases: Array<[label: string, path: string, route: string]> = [
      ["bare route (GET /__bare)", "", ""],
      ["dashboard, 7 days (closed days rolled up, today live)", "/app?days=7", "routes/app._index"],
      ["dashboard, 30 days (closed days rolled up, today live)", "/app?days=30", "routes/app._index"],
      ["dashboard, 365 days (closed days rolled up, today live)", "/app?days=365", "routes/app._index"],
      ["retention page (stored report: cohorts, 2nd order, 12-month value)", "/app/retention", "routes/app.retention"],
      ["Refresh now: roll up 30 days again", "POST /app?index&days=30", ""],
      ["Refresh now: roll up 365 days again", "POST /app?index&days=365", ""],
      ["members, newest first", "/app/members", "routes/app.members._index"],
      [
        "members by balance, page 2",
        `/app/members?sort=balance&cursor=${firstPage.data.nextCursor}`,
        "routes/app.members._index",
      ],
      [
        "members by last order, Gold, dormant 90 days",
        `/app/members?sort=lastOrder&tier=${gold.id}&dormant=90`,
        "routes/app.members._index",
      ],
      ["members, search by email", "/app/members?q=shopper4242%40", "routes/app.members._index"],
      [
        "member page",
        `/app/members/${(await prisma.member.findFirstOrThrow({ where: { customerId: 4242n } })).id}`,
        "routes/app.members.$id",
      ],
      ["referrals page (clicks, sign-ups, orders, revenue, top advocates)", "/app/referrals", "routes/app.referrals"],
      ["activity log", "/app/activity", "routes/app.activity"],
      ["rewards", "/app/rewards", "routes/app.rewards._index"],
      ["VIP tiers", "/app/tiers", "routes/app.tiers._index"],
      ["loyalty page", "/app/landing", "routes/app.landing"],
    ];
    const results: Array<{ loader: string; p50: number; p95: number; max: number; samples: number }> = [];
    for (const [label, path, route] of cases) {
      const once = async () => {
        const started = performance.now();
        if (!path) {
          const response = await fetch(`${server.url}/__bare`);
          await response.text();
        } else if (path.startsWith("POST ")) {
          const response = await admin.act(path.slice(5), {});
          if (response.status !== 200) throw new Error(`${label}: HTTP ${response.status}`);
        } else {
          const response = await admin.load(path, route);
          if (response.status !== 200) throw new Error(`${label}: HTTP ${response.status}`);
        }
        return performance.now() - started;
      };
      for (let i = 0; i < 5; i += 1) await once();
      const times: number[] = [];
      for (let i = 0; i < SAMPLES; i += 1) times.push(await once());
      times.sort((a, b) => a - b);
      const row = {
        loader: label,
        p50: Math.round(percentile(times, 50)),
        p95: Math.round(percentile(times, 95)),
        max: Math.round(times.at(-1)!),
        samples: SAMPLES,
      };
      results.push(row);
      console.log(`${label.padEnd(48)} p50 ${String(row.p50).padStart(5)} ms   p95 ${String(row.p95).padStart(5)} ms`);
    }
    // A bulk action on every member (points for all 100k), as the members list starts it
    // and its job carries it out. The seed's balances are not its ledger's sums, so the
    // check is on what moved: balances and the ledger by the same total, one point each.
    const totals = async () => {
      const [row] = await prisma.$queryRaw<Array<{ balances: bigint; ledger: bigint }>>`
        SELECT (SELECT COALESCE(SUM(balance), 0) FROM "Member" WHERE "shopId" = ${shopRow.id}::uuid)::bigint AS balances,
               (SELECT COALESCE(SUM(points), 0) FROM "LedgerEntry" WHERE "shopId" = ${shopRow.id}::uuid)::bigint AS ledger`;
      return row!;
    };
    const before = await totals();
    const started = await admin.act<{ result: { progressId: string; count: number } }>("/app/members?index", {
      intent: "bulk",
      action: "adjust",
      points: "1",
      reason: "Bench: a point for everyone",
      all: "true",
      query: "",
    });
    if (started.status !== 200) throw new Error(`bulk action: HTTP ${started.status}`);
    const bulkStarted = performance.now();
    await runBulkAction(prisma, started.data.result.progressId);
    const bulkMs = Math.round(performance.now() - bulkStarted);
    const after = await totals();
    const changed = await prisma.bulkActionMember.count({
      where: { progressId: started.data.result.progressId, outcome: "changed" },
    });
    if (after.balances - before.balances !== BigInt(changed) || after.ledger - before.ledger !== BigInt(changed))
      throw new Error(
        `bulk action: balances moved ${after.balances - before.balances}, ledger ${after.ledger - before.ledger}, changed ${changed}`,
      );
    console.log(
      `bulk action: +1 point for ${changed} of ${started.data.result.count} members in ${bulkMs} ms (the others' balances were below zero), balances and ledger moved alike`,
    );
    const pgVersion = (await run(url, "SHOW server_version")).rows[0].server_version as string;
    const meta = {
      cores: cpus().length,
      node: process.version,
      postgres: pgVersion,
      members: MEMBERS,
      orders: seeded.orders,
      ledger: LEDGER,
      date: new Date().toISOString(),
    };
    mkdirSync("bench/results", { recursive: true });
    writeFileSync("bench/results/admin.json", JSON.stringify({ meta, results, rollUpMs, bulkMs }, null, 2));
    const table = [
      `Admin loaders on ${MEMBERS.toLocaleString("en")} members, ${seeded.orders.toLocaleString("en")} orders, ${LEDGER.toLocaleString("en")} ledger entries`,
      `(${meta.cores} cores, Node ${meta.node}, PostgreSQL ${pgVersion}; ${SAMPLES} sequential requests each, through authenticate.admin)`,
      "",
      "| loader | p50 ms | p95 ms | max ms |",
      "|---|---:|---:|---:|",
      ...results.map((r) => `| ${r.loader} | ${r.p50} | ${r.p95} | ${r.max} |`),
      "",
      `Roll-up job (every closed day of 2 × 365 days, 4 period lengths, the retention report), once: ${rollUpMs.toLocaleString("en")} ms`,
      `Bulk action from the members list, +1 point for every member (${started.data.result.count.toLocaleString("en")} selected, ${changed.toLocaleString("en")} changed), the job's run: ${bulkMs.toLocaleString("en")} ms`,
    ].join("\n");
    writeFileSync("bench/results/admin.md", `${table}\n`);
    console.log(`\n${table}`);
  } finally {
    await standin.close();
    await prisma.$disconnect();
    await server.stop("SIGKILL");
    // BENCH_KEEP=1 keeps the seeded database, to EXPLAIN the loaders' queries on it.
    if (process.env.BENCH_KEEP === "1") console.log(`kept database ${url}`);
    else await run(adminUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
