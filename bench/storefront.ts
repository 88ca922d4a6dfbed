/**
 * `npm run bench:storefront`: Lighthouse's performance score of the local storefront
 * page with the widget (app embed, account and product blocks, as a logged-in member)
 * against the same page without it. Shopify's bar for apps is a drop of at most 10
 * points; ours is 1 or less. Runs each variant BENCH_RUNS times (default 3) and compares
 * medians, because single Lighthouse runs vary by a point or two.
 *
 *   BENCH_DATABASE_URL   server to create the bench database on (default: local PostgreSQL)
 *   CHROMIUM_PATH        browser (default /usr/bin/chromium)
 *
 * Writes bench/results/storefront.md and storefront.json.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";
import { adminUrl, sql, withDatabase } from "./support";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "../app/generated/prisma/client";
import { seedDefaultProgram } from "../app/services/defaults";
import { postEntry } from "../app/services/ledger";
import { createAdminClient } from "../app/shopify/admin-api.server";
import { syncShop } from "../app/shopify/customer-sync.server";
import { startAdminStandin } from "../scripts/shopify-standin/admin-api";
import { startStorefront } from "../scripts/storefront/server";
import { standinStorefrontData } from "../scripts/storefront/standin-data";
import { startServer } from "../tests/support/server";

const RUNS = Number(process.env.BENCH_RUNS) || 3;
/**
 * Both of Lighthouse's throttling methods: the simulated one gives Lighthouse's score,
 * and charges each request that starts before the largest paint to it, deferred scripts
 * included; the applied one measures what the slow phone actually sees.
 */
const METHODS = ["simulate", "devtools"] as const;
const METRICS = [
  "first-contentful-paint",
  "largest-contentful-paint",
  "total-blocking-time",
  "cumulative-layout-shift",
  "speed-index",
];
const SECRET = "bench-secret";
const SHOP = "storefront-bench.myshopify.com";
const CUSTOMER = 4242;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function main() {
  const name = `comeback_sf_bench_${Date.now().toString(36)}`;
  await sql(adminUrl, `CREATE DATABASE "${name}"`);
  const url = new URL(withDatabase(adminUrl, name));
  const standin = await startAdminStandin({ accessToken: "bench-token" });
  const env = {
    SHOPIFY_API_KEY: "bench",
    SHOPIFY_API_SECRET: SECRET,
    SHOPIFY_APP_URL: "https://bench.example",
    DATABASE_URL: url.toString(),
    COMEBACK_JOBS: "off",
  };
  const server = await startServer(env);
  // The sync below runs in this process and reads the same configuration.
  Object.assign(process.env, env);
  const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: url.toString(), max: 2 }) });
  const chrome = await chromeLauncher.launch({
    chromePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
    chromeFlags: [
      "--headless=new",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
  try {
    const shop = await prisma.shop.create({
      data: {
        domain: SHOP,
        currency: "USD",
        programStatus: "LIVE",
        setupCompleted: true,
        adminApiUrl: standin.endpoint(SHOP),
        settings: { create: {} },
      },
    });
    await prisma.$transaction((tx) => seedDefaultProgram(tx, shop.id, "USD", "en"));
    await prisma.session.create({
      data: { id: `offline_${SHOP}`, shop: SHOP, state: "s", isOnline: false, accessToken: "bench-token" },
    });
    const member = await prisma.member.create({
      data: { shopId: shop.id, customerId: BigInt(CUSTOMER), firstName: "Anna", referralCode: "ANNA" },
    });
    await postEntry(prisma, {
      shopId: shop.id,
      memberId: member.id,
      points: 1500,
      kind: "EARN",
      source: "ADMIN",
      reason: { code: "adjustment", params: { note: "bench" } },
      idempotencyKey: "bench",
    });
    await syncShop(
      prisma,
      shop.id,
      createAdminClient({ endpoint: standin.endpoint(SHOP), accessToken: "bench-token" }),
    );
    const storefront = await startStorefront({
      appUrl: server.url,
      secret: SECRET,
      shop: SHOP,
      shopName: "Tea Shop",
      currency: "USD",
      data: standinStorefrontData(`${standin.url}/__standin/state`, async () => [{ id: CUSTOMER, name: "Anna" }]),
    });
    const tables: string[] = [];
    const results: Record<string, unknown> = {};
    for (const method of METHODS) {
      const scores: Record<"with" | "without", number[]> = { with: [], without: [] };
      const metrics: Record<string, Record<string, number[]>> = { with: {}, without: {} };
      for (let run = 0; run < RUNS; run += 1) {
        for (const variant of ["without", "with"] as const) {
          const page = `${storefront.url}/?widget=${variant === "with" ? "1" : "0"}`;
          const result = await lighthouse(page, {
            port: chrome.port,
            onlyCategories: ["performance"],
            output: "json",
            logLevel: "error",
            throttlingMethod: method,
            // The shopper is logged in: the storefront's cookie, as Shopify's session would be.
            extraHeaders: { Cookie: `sf_customer=${CUSTOMER}; sf_locale=en` },
          });
          const lhr = result!.lhr;
          scores[variant].push(Math.round((lhr.categories.performance!.score ?? 0) * 100));
          for (const id of METRICS) (metrics[variant]![id] ??= []).push(lhr.audits[id]?.numericValue ?? 0);
        }
      }
      const withScore = median(scores.with);
      const withoutScore = median(scores.without);
      const rows = METRICS.map((id) => {
        const digits = id === "cumulative-layout-shift" ? 3 : 0;
        const without = median(metrics.without![id]!);
        const withWidget = median(metrics.with![id]!);
        return `| ${id} | ${without.toFixed(digits)} | ${withWidget.toFixed(digits)} | ${(withWidget - without).toFixed(digits)} |`;
      });
      tables.push(
        [
          `Lighthouse, ${method === "simulate" ? "simulated throttling (Lighthouse's default: a fast run, modelled as a slow phone)" : "applied throttling (the same slow phone imposed on the browser, then measured)"}; median of ${RUNS} runs, mobile preset, headless Chromium`,
          "",
          "| | without widget | with widget | widget adds |",
          "|---|---:|---:|---:|",
          `| performance score | ${withoutScore} | ${withScore} | ${withScore - withoutScore} |`,
          ...rows,
          "",
          `Score runs: without ${scores.without.join(", ")}; with ${scores.with.join(", ")}`,
        ].join("\n"),
      );
      results[method] = { scores, metrics };
    }
    await storefront.close();
    const table = tables.join("\n\n");
    mkdirSync("bench/results", { recursive: true });
    writeFileSync("bench/results/storefront.json", JSON.stringify(results, null, 2));
    writeFileSync("bench/results/storefront.md", `${table}\n`);
    console.log(table);
  } finally {
    await chrome.kill();
    await prisma.$disconnect();
    await server.stop("SIGKILL");
    await standin.close();
    await sql(adminUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
