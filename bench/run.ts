/**
 * `npm run bench`: throughput and latency of the production build on real PostgreSQL,
 * each figure also as a ratio against two ceilings measured in the same process and run:
 * a bare route (the cost of HTTP), and the database's own rate for the work a webhook
 * must make durable (the transaction of an orders/paid delivery, run directly with
 * node-postgres: no HTTP, no ORM, the same tables, indexes and rows).
 *
 *   BENCH_DATABASE_URL   server to create the bench database on (default: local PostgreSQL)
 *   BENCH_SECONDS        seconds per measurement (default 8)
 *   BENCH_CONNECTIONS    comma-separated concurrency levels (default 1,8,32)
 *   BENCH_GROWTH         ledger sizes to measure at, grown set-based between runs
 *                        (default 0,10000,100000,1000000)
 *   BENCH_STEADY_RATE    webhooks per second for the steady-rate cell (default 50)
 *   BENCH_ONLY           run only the cells whose scenario contains this text (and the
 *                        database ceiling), e.g. "webhook" while profiling
 *   BENCH_JOBS=off       the app server runs no job workers (its webhook inbox still runs)
 *   BENCH_SERVER_NODE_OPTIONS  NODE_OPTIONS for the app server, e.g.
 *                        "--cpu-prof --cpu-prof-dir=/tmp/prof" (summarise with bench/profile.ts)
 *
 * Writes bench/results/latest.md and latest.json.
 */
import { createHmac, randomUUID } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import autocannon from "autocannon";
import pg from "pg";
import { createPrismaClient } from "../app/platform/database/client.server";
import { findBalanceMismatches } from "../app/services/ledger";
import { adminUrl, sql, withDatabase } from "./support";
import { startServer } from "../tests/support/server";
import { orderPayload } from "../tests/fixtures/shopify-payloads";

const SECRET = "bench-secret";
const seconds = Number(process.env.BENCH_SECONDS) || 8;
const levels = (process.env.BENCH_CONNECTIONS || "1,8,32").split(",").map(Number);
const steadyRate = Number(process.env.BENCH_STEADY_RATE) || 50;
const growth = (process.env.BENCH_GROWTH || "0,10000,100000,1000000").split(",").map(Number);

interface Row {
  scenario: string;
  /** Ledger entries in the shop when measured (history plus what earlier runs added). */
  ledgerRows?: number;
  connections: number;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  ratioToBare?: number;
  /** req/s over the database ceiling's tx/s at the same concurrency and ledger size. */
  ratioToDatabase?: number;
  /** Webhooks: from a delivery's record to its points applied, in ms. */
  visibleP50?: number;
  visibleP99?: number;
  /** Webhooks: seconds the inbox took, after the cell, to apply what it had left. */
  drainSeconds?: number;
  /** Left out by BENCH_ONLY. */
  skipped?: boolean;
}

const only = process.env.BENCH_ONLY ?? "";

async function measure(scenario: string, connections: number, options: Partial<autocannon.Options>): Promise<Row> {
  if (!scenario.includes(only))
    return { scenario, connections, requestsPerSecond: 0, p50: 0, p99: 0, errors: 0, non2xx: 0, skipped: true };
  const result = await autocannon({ duration: seconds, connections, pipelining: 1, ...options } as autocannon.Options);
  return {
    scenario,
    connections,
    requestsPerSecond: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}

const percentile = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : 0;

/**
 * The database's ceiling for a webhook: the transaction shape of an orders/paid delivery
 * (record the delivery, lock the member, write the ledger entry, update the cached
 * balance), committed with the server's durability settings, by `connections` clients
 * at once for the same duration as the HTTP cells.
 */
async function measureDatabase(url: string, shopId: string, connections: number): Promise<Row> {
  const members = (
    await sql(url, `SELECT id FROM "Member" WHERE "shopId" = $1 AND "customerId" BETWEEN 10000 AND 11999`, [shopId])
  ).rows as Array<{ id: string }>;
  const pool = new pg.Pool({ connectionString: url, max: connections });
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const deadline = Date.now() + seconds * 1000;
  const worker = async () => {
    const client = await pool.connect();
    try {
      while (Date.now() < deadline) {
        const n = next++;
        const member = members[n % members.length]!.id;
        const key = `ceiling:${randomUUID()}`;
        const started = performance.now();
        try {
          await client.query("BEGIN");
          await client.query(
            `INSERT INTO "WebhookEvent" ("shopId", "shopDomain", topic, "webhookId") VALUES ($1, 'bench.myshopify.com', 'orders/paid', $2)`,
            [shopId, key],
          );
          await client.query(`SELECT balance FROM "Member" WHERE id = $1 FOR UPDATE`, [member]);
          await client.query(
            `INSERT INTO "LedgerEntry" ("shopId", "memberId", points, kind, source, reason, "idempotencyKey")
             VALUES ($1, $2, 80, 'EARN', 'ORDER', 'ceiling', $3)`,
            [shopId, member, key],
          );
          await client.query(
            `UPDATE "Member" SET balance = balance + 80, "lifetimeEarned" = "lifetimeEarned" + 80 WHERE id = $1`,
            [member],
          );
          await client.query("COMMIT");
          latencies.push(performance.now() - started);
        } catch {
          errors += 1;
          await client.query("ROLLBACK").catch(() => undefined);
        }
      }
    } finally {
      client.release();
    }
  };
  const started = Date.now();
  await Promise.all(Array.from({ length: connections }, worker));
  const elapsed = (Date.now() - started) / 1000;
  await pool.end();
  latencies.sort((a, b) => a - b);
  return {
    scenario: "database ceiling: the orders/paid transaction over node-postgres",
    connections,
    requestsPerSecond: Math.round(latencies.length / elapsed),
    p50: Math.round(percentile(latencies, 50) * 10) / 10,
    p99: Math.round(percentile(latencies, 99) * 10) / 10,
    errors,
    non2xx: 0,
  };
}

/**
 * Grows the shop's ledger to at least `target` rows, set-based: 5,000 "history" members
 * with entries spread over two years, their cached balances kept equal to their ledgers.
 */
async function growLedger(url: string, shop: string, target: number): Promise<number> {
  const current = Number((await sql(url, `SELECT count(*) FROM "LedgerEntry"`)).rows[0].count);
  if (target > current) {
    await sql(
      url,
      `INSERT INTO "Member" (id, "shopId", "customerId", "referralCode", "updatedAt")
       SELECT gen_random_uuid(), s.id, 900000 + g, 'H' || g, now() FROM (SELECT id FROM "Shop" WHERE domain = $1) s, generate_series(1, 5000) g
       ON CONFLICT DO NOTHING`,
      [shop],
    );
    await sql(
      url,
      `WITH h AS (SELECT id, row_number() OVER (ORDER BY "customerId") AS n, "shopId" FROM "Member" WHERE "customerId" > 900000)
       INSERT INTO "LedgerEntry" ("shopId", "memberId", points, kind, source, reason, "idempotencyKey", "createdAt")
       SELECT h."shopId", h.id, 10, 'EARN', 'ADMIN', 'history', 'history:' || g, now() - ((g % 700) || ' days')::interval
       FROM generate_series($1::bigint, $2::bigint) g JOIN h ON h.n = 1 + g % 5000`,
      [current + 1, target],
    );
    await sql(
      url,
      `UPDATE "Member" m SET balance = x.total, "lifetimeEarned" = x.total
       FROM (SELECT "memberId", SUM(points)::int AS total FROM "LedgerEntry" WHERE reason = 'history' GROUP BY "memberId") x
       WHERE m.id = x."memberId"`,
    );
    await sql(url, "ANALYZE");
  }
  return Number((await sql(url, `SELECT count(*) FROM "LedgerEntry"`)).rows[0].count);
}

/**
 * Signed orders/paid deliveries, each a new order of one of the 2,000 members. After the
 * cell, the time from each delivery's record to its points being applied ("points
 * visible"), and how long the inbox took to finish what the cell left it.
 */
let orderId = 1_000_000;
async function measureWebhooks(
  target: { url: string; databaseUrl: string; shop: string },
  scenario: string,
  connections: number,
  options: Partial<autocannon.Options> = {},
): Promise<Row> {
  const { databaseUrl, shop } = target;
  if (!scenario.includes(only)) return measure(scenario, connections, {});
  const startedAt = (await sql(databaseUrl, "SELECT now()")).rows[0].now as Date;
  const row = await measure(scenario, connections, {
    ...options,
    url: `${target.url}/webhooks/orders/paid`,
    method: "POST",
    requests: [
      {
        setupRequest: (request) => {
          orderId += 1;
          const body = JSON.stringify(
            orderPayload({
              id: orderId,
              customer: { id: 10_000 + (orderId % 2000) },
              lines: [{ price: "42.50", quantity: 2, discount: "5.00" }],
            }),
          );
          return {
            ...request,
            body,
            headers: {
              "content-type": "application/json",
              "x-shopify-topic": "orders/paid",
              "x-shopify-hmac-sha256": createHmac("sha256", SECRET).update(body).digest("base64"),
              "x-shopify-shop-domain": shop,
              "x-shopify-api-version": "2026-10",
              "x-shopify-webhook-id": randomUUID(),
            },
          };
        },
      },
    ],
  });
  const drainStarted = performance.now();
  // Recorded deliveries left for the inbox (the database ceiling's rows are RECEIVED too,
  // without a payload: not the inbox's).
  const waiting = `SELECT count(*) FROM "WebhookEvent" WHERE status = 'RECEIVED' AND payload IS NOT NULL`;
  while (Number((await sql(databaseUrl, waiting)).rows[0].count) > 0)
    await new Promise((resolve) => setTimeout(resolve, 100));
  row.drainSeconds = Number(((performance.now() - drainStarted) / 1000).toFixed(1));
  const visible = (
    await sql(
      databaseUrl,
      `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS p50, percentile_cont(0.99) WITHIN GROUP (ORDER BY ms) AS p99
       FROM (SELECT extract(epoch FROM "processedAt" - "receivedAt") * 1000 AS ms
             FROM "WebhookEvent" WHERE "receivedAt" >= $1 AND status = 'PROCESSED') t`,
      [startedAt],
    )
  ).rows[0] as { p50: number; p99: number };
  row.visibleP50 = Math.round(visible.p50);
  row.visibleP99 = Math.round(visible.p99);
  return row;
}

async function main() {
  const name = `comeback_bench_${Date.now().toString(36)}`;
  await sql(adminUrl, `CREATE DATABASE "${name}"`);
  const databaseUrl = withDatabase(adminUrl, name);
  const server = await startServer({
    SHOPIFY_API_KEY: "bench",
    SHOPIFY_API_SECRET: SECRET,
    SHOPIFY_APP_URL: "https://bench.example",
    DATABASE_URL: databaseUrl,
    DATABASE_POOL_SIZE: "20",
    LOG_LEVEL: "info",
    NODE_OPTIONS: process.env.BENCH_SERVER_NODE_OPTIONS,
    COMEBACK_JOBS: process.env.BENCH_JOBS,
  });
  const rows: Row[] = [];
  try {
    const shop = "bench.myshopify.com";
    await sql(
      databaseUrl,
      `WITH s AS (INSERT INTO "Shop" (id, domain, "programStatus", "updatedAt") VALUES (gen_random_uuid(), $1, 'LIVE', now()) RETURNING id)
       INSERT INTO "ShopSettings" ("shopId", "updatedAt") SELECT id, now() FROM s`,
      [shop],
    );
    // A program to read: rewards, tiers, and 2,000 members with some history.
    await sql(
      databaseUrl,
      `WITH s AS (SELECT id FROM "Shop" WHERE domain = $1)
       INSERT INTO "Reward" (id, "shopId", name, type, "pointsCost", "valueMinor", currency, "updatedAt")
       SELECT gen_random_uuid(), s.id, r.name, r.type::"RewardType", r.cost, r.value, 'USD', now()
       FROM s, (VALUES ('$5 off', 'FIXED_AMOUNT', 500, 500), ('$15 off', 'FIXED_AMOUNT', 1400, 1500), ('Free shipping', 'FREE_SHIPPING', 300, NULL)) AS r(name, type, cost, value)`,
      [shop],
    );
    await sql(
      databaseUrl,
      `WITH s AS (SELECT id FROM "Shop" WHERE domain = $1)
       INSERT INTO "Tier" (id, "shopId", name, position, threshold, "multiplierBp", "updatedAt")
       SELECT gen_random_uuid(), s.id, t.name, t.position, t.threshold, t.bp, now()
       FROM s, (VALUES ('Silver', 0, 30000, 12500), ('Gold', 1, 80000, 15000)) AS t(name, position, threshold, bp)`,
      [shop],
    );
    // The 2,000 customers the webhooks and the App Proxy use are members from the start, so
    // the database ceiling has rows to lock at every ledger size.
    await sql(
      databaseUrl,
      `INSERT INTO "Member" (id, "shopId", "customerId", "referralCode", "updatedAt")
       SELECT gen_random_uuid(), s.id, 10000 + g, 'C' || g, now() FROM (SELECT id FROM "Shop" WHERE domain = $1) s, generate_series(0, 1999) g`,
      [shop],
    );
    const shopId = (await sql(databaseUrl, `SELECT id FROM "Shop" WHERE domain = $1`, [shop])).rows[0].id as string;
    const pgVersion = (await sql(databaseUrl, "SHOW server_version")).rows[0].server_version as string;

    for (const size of growth) {
      const ledgerRows = await growLedger(databaseUrl, shop, size);
      console.log(`ledger: ${ledgerRows} rows`);
      for (const connections of levels) {
        const bare = await measure("bare route (GET /__bare)", connections, { url: `${server.url}/__bare` });
        bare.ledgerRows = ledgerRows;
        rows.push(bare);
        const ceiling = await measureDatabase(databaseUrl, shopId, connections);
        ceiling.ledgerRows = ledgerRows;
        ceiling.ratioToBare = Number((ceiling.requestsPerSecond / Math.max(bare.requestsPerSecond, 1)).toFixed(3));
        rows.push(ceiling);
        const toCeiling = (row: Row) =>
          Number((row.requestsPerSecond / Math.max(ceiling.requestsPerSecond, 1)).toFixed(3));
        const target = { url: server.url, databaseUrl, shop };
        const webhook = await measureWebhooks(
          target,
          "webhook orders/paid (POST, signed, 2,000 customers)",
          connections,
        );
        webhook.ratioToBare = Number((webhook.requestsPerSecond / Math.max(bare.requestsPerSecond, 1)).toFixed(3));
        webhook.ratioToDatabase = toCeiling(webhook);
        webhook.ledgerRows = ledgerRows;
        rows.push(webhook);
        if (connections === levels[levels.length - 1]) {
          // Shopify's traffic is mostly well under a burst: at a steady rate the inbox keeps
          // up, and this is how soon a shopper sees the points.
          const steady = await measureWebhooks(
            target,
            `webhook orders/paid at a steady ${steadyRate}/s (POST, signed)`,
            8,
            { overallRate: steadyRate },
          );
          steady.ledgerRows = ledgerRows;
          rows.push(steady);
        }
        let reader = 0;
        const proxy = await measure("App Proxy GET /proxy/member (signed, 2,000 members)", connections, {
          url: `${server.url}/proxy/member`,
          requests: [
            {
              setupRequest: (request) => {
                reader += 1;
                const params: Record<string, string> = {
                  shop,
                  logged_in_customer_id: String(10_000 + (reader % 2000)),
                  path_prefix: "/apps/comeback",
                  timestamp: String(Math.floor(Date.now() / 1000)),
                };
                const message = Object.keys(params)
                  .sort()
                  .map((k) => `${k}=${params[k]}`)
                  .join("");
                const signature = createHmac("sha256", SECRET).update(message).digest("hex");
                return {
                  ...request,
                  method: "GET",
                  path: `/proxy/member?${new URLSearchParams({ ...params, signature })}`,
                };
              },
            },
          ],
        });
        proxy.ratioToBare = Number((proxy.requestsPerSecond / Math.max(bare.requestsPerSecond, 1)).toFixed(3));
        proxy.ratioToDatabase = toCeiling(proxy);
        proxy.ledgerRows = ledgerRows;
        rows.push(proxy);
      }
    }
    const finalLedgerRows = Number((await sql(databaseUrl, `SELECT count(*) FROM "LedgerEntry"`)).rows[0].count);
    const duplicates = Number(
      (
        await sql(
          databaseUrl,
          `SELECT count(*) FROM (SELECT 1 FROM "LedgerEntry" GROUP BY "shopId", "idempotencyKey" HAVING count(*) > 1) d`,
        )
      ).rows[0].count,
    );
    const checker = createPrismaClient(databaseUrl, 2);
    const mismatches = (await findBalanceMismatches(checker, { limit: 1_000_000 })).length;
    await checker.$disconnect();

    const machine = { cores: cpus().length, cpu: cpus()[0]?.model ?? "", node: process.version, postgres: pgVersion };
    const header =
      "| ledger rows | scenario | connections | req/s | p50 ms | p99 ms | errors | non-2xx | ratio to bare | ratio to database | points visible p50 / p99 ms | inbox drained after (s) |\n|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|";
    const lines = rows
      .filter((r) => !r.skipped)
      .map(
        (r) =>
          `| ${r.ledgerRows ?? ""} | ${r.scenario} | ${r.connections} | ${r.requestsPerSecond} | ${r.p50} | ${r.p99} | ${r.errors} | ${r.non2xx} | ${
            r.ratioToBare ?? ""
          } | ${r.ratioToDatabase ?? ""} | ${r.visibleP99 !== undefined ? `${r.visibleP50} / ${r.visibleP99}` : ""} | ${r.drainSeconds ?? ""} |`,
      );
    const markdown = [
      `Machine: ${machine.cores} cores (${machine.cpu}), Node ${machine.node}, PostgreSQL ${machine.postgres}; ${seconds}s per measurement.`,
      "",
      header,
      ...lines,
      "",
      `After the run: ${finalLedgerRows} ledger entries, ${duplicates} duplicate idempotency keys, ${mismatches} cached balances that differ from the ledger.`,
    ].join("\n");
    mkdirSync("bench/results", { recursive: true });
    writeFileSync("bench/results/latest.md", markdown + "\n");
    writeFileSync(
      "bench/results/latest.json",
      JSON.stringify({ machine, seconds, rows, ledgerRows: finalLedgerRows, duplicates, mismatches }, null, 2) + "\n",
    );
    console.log(markdown);
  } finally {
    await server.stop("SIGTERM");
    await sql(adminUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
