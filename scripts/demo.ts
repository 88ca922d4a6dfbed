/**
 * `npm run demo [-- --reset]`: Comeback on this machine with no Shopify account and no
 * database server.
 *
 * - Refuses to run with NODE_ENV=production, and listens on 127.0.0.1 only.
 * - Without DATABASE_URL the data lives in the embedded PostgreSQL under .data/demo/,
 *   kept between runs; --reset starts over.
 * - Seeds comeback-demo.myshopify.com: a live program and a year of history.
 * - Uses SHOPIFY_API_SECRET and PORT when set; otherwise generates a secret (kept in
 *   .data/demo/secret) and prints it, so signed webhooks and App Proxy requests can be
 *   sent from outside (see `npm run demo:webhook`).
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { DEMO_SHOP, seedDemoShop } from "./demo/seed";
import { demoAdminAccess } from "./demo/admin-access";
import { startAdminStandin } from "./shopify-standin/admin-api";
import { startStorefront } from "./storefront/server";
import { standinStorefrontData } from "./storefront/standin-data";
import { buildStorefront } from "./build-storefront";
import { DEMO_STATE_FILE, type DemoState } from "./demo/state";
import { demoExamples, demoShoppers } from "./demo/shoppers";
import { startDemoMailbox } from "./demo/mailbox";

if (process.env.NODE_ENV === "production") {
  console.error("comeback demo: refusing to start with NODE_ENV=production; the demo is for local use only");
  process.exit(1);
}
if (process.env.HOST && !["127.0.0.1", "localhost", "::1"].includes(process.env.HOST)) {
  console.error(`comeback demo: refusing HOST=${process.env.HOST}; the demo listens on 127.0.0.1 only`);
  process.exit(1);
}

const dataDir = process.env.COMEBACK_DATA_DIR || join(".data", "demo");
if (process.argv.includes("--reset")) {
  rmSync(dataDir, { recursive: true, force: true });
  console.log(`comeback demo: removed ${dataDir}`);
}
mkdirSync(dataDir, { recursive: true });

const secretFile = join(dataDir, "secret");
const secret =
  process.env.SHOPIFY_API_SECRET ||
  (existsSync(secretFile)
    ? readFileSync(secretFile, "utf8").trim()
    : (() => {
        const generated = randomBytes(24).toString("hex");
        writeFileSync(secretFile, generated + "\n", { mode: 0o600 });
        return generated;
      })());
const port = process.env.PORT || "3000";
const storefrontPort = Number(process.env.COMEBACK_STOREFRONT_PORT) || Number(port) + 1;
// The demo's mail goes to a local SMTP server with a mailbox page (/demo/mailbox).
const mailbox = process.env.SMTP_URL ? null : await startDemoMailbox(Number(process.env.COMEBACK_SMTP_PORT) || 0);
const secretShown = process.env.SHOPIFY_API_SECRET ? "(from SHOPIFY_API_SECRET)" : secret;
const databaseShown = process.env.DATABASE_URL ? "DATABASE_URL" : `embedded PostgreSQL in ${dataDir}`;

Object.assign(process.env, {
  NODE_ENV: "development",
  HOST: "127.0.0.1",
  PORT: port,
  COMEBACK_DATA_DIR: dataDir,
  SHOPIFY_API_KEY: process.env.SHOPIFY_API_KEY || "comeback-demo",
  SHOPIFY_API_SECRET: secret,
  SHOPIFY_APP_URL: process.env.SHOPIFY_APP_URL || `http://localhost:${port}`,
  COMEBACK_DEMO: "1",
  SMTP_URL: process.env.SMTP_URL || mailbox!.smtpUrl,
  MAIL_FROM: process.env.MAIL_FROM || "rewards@comeback-demo.test",
  // Links in the demo's email open the local storefront, not https://<shop>.myshopify.com.
  COMEBACK_STOREFRONT_URL: process.env.COMEBACK_STOREFRONT_URL || `http://localhost:${storefrontPort}`,
  LOG_LEVEL: process.env.LOG_LEVEL || "warn",
});

const started = performance.now();
// The theme extension's scripts, as `npm run build` makes them: a fresh clone has none yet.
await buildStorefront();
// The demo shop's Admin API is the local stand-in: redemptions create real discount
// codes there, through the same client code as in production.
const standin = await startAdminStandin({
  port: Number(process.env.COMEBACK_STANDIN_PORT) || 0,
  accessToken: "demo-offline-token",
  // The demo storefront shows the launcher, so the live theme has the app embed on.
  appEmbed: "enabled",
  // Three years of older orders for Import → "Order history from Shopify" (a bulk operation),
  // by the shop's own customers: the seeded members (from 7,000,000,000) among them, so the
  // history can count towards tiers and earn points for past orders when the merchant says.
  history: {
    orders: 3000,
    customers: 900,
    firstCustomerId: 7_000_000_000,
    since: new Date(Date.now() - 3 * 365 * 86_400_000),
  },
});
// The demo store has one page of its own: its main menu starts as Home only, and the
// Loyalty page's "Add the link" puts the loyalty page next to it.
standin.menus[0]!.items.splice(1);
// Shopify's bulk_operations/finish webhook, signed as the demo signs every webhook.
standin.bulkWebhook = { url: `http://127.0.0.1:${port}/webhooks/bulk_operations/finish`, secret, shop: DEMO_SHOP };
const { startApp, exitOnStartupError } = await import("../server/app");
let seeded: Awaited<ReturnType<typeof seedDemoShop>> | undefined;
let databaseUrl = "";
await startApp({
  beforeRoutes: (app) => {
    demoAdminAccess({ shop: DEMO_SHOP, apiKey: process.env.SHOPIFY_API_KEY!, secret })(app);
    mailbox?.routes(app);
  },
  beforeListen: async (url) => {
    databaseUrl = url;
    seeded = await seedDemoShop(databaseUrl);
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    await client.query(`UPDATE "Shop" SET "adminApiUrl" = $1 WHERE domain = $2`, [
      standin.endpoint(DEMO_SHOP),
      DEMO_SHOP,
    ]);
    // The stand-in starts empty every run, like a store the app has never written to:
    // mark everything unsynced so the sync job pushes the program and members again.
    await client.query(`UPDATE "Shop" SET "programSyncedVersion" = 0 WHERE domain = $1`, [DEMO_SHOP]);
    await client.query(
      `UPDATE "Member" SET "syncedVersion" = 0, "syncedTags" = '{}' WHERE "shopId" = (SELECT id FROM "Shop" WHERE domain = $1)`,
      [DEMO_SHOP],
    );
    await client.end();
  },
}).catch(exitOnStartupError);

// The storefront's shopper switcher ("who is logged in") lists the newest customers and the
// members with the most to spend, read on every page so a customer created by a webhook
// appears at once.
const shopperPool = new pg.Pool({ connectionString: databaseUrl, max: 2 });

// The Online Store: the theme extension's blocks, fed by what the app synced to "Shopify",
// with an App Proxy that signs requests as Shopify does.
const storefront = await startStorefront({
  appUrl: `http://127.0.0.1:${port}`,
  secret,
  shop: DEMO_SHOP,
  shopName: "Comeback Demo Store",
  currency: "USD",
  port: storefrontPort,
  data: standinStorefrontData(`${standin.url}/__standin/state`, () => demoShoppers(shopperPool, DEMO_SHOP)),
  // The header is the store's main menu: the Loyalty page (or the setup) adds the link.
  mainMenu: () =>
    (standin.menus.find((menu) => menu.handle === "main-menu")?.items ?? []).map((item) => ({
      title: item.title,
      url: item.url ?? "/",
    })),
});

// Where the helper commands (demo:webhook, demo:jobs) find this demo.
const state: DemoState = {
  appUrl: `http://127.0.0.1:${port}`,
  storefrontUrl: storefront.url,
  secret,
  shop: DEMO_SHOP,
  databaseUrl,
  standinUrl: standin.url,
  smtpUrl: process.env.SMTP_URL!,
  mailFrom: process.env.MAIL_FROM!,
  storefrontPublicUrl: process.env.COMEBACK_STOREFRONT_URL!,
  pid: process.pid,
};
writeFileSync(join(dataDir, DEMO_STATE_FILE), JSON.stringify(state, null, 2) + "\n", { mode: 0o600 });

// Customers the printed examples work for: one who bought (reviews need a purchase) and
// one with the most points (redeeming needs enough).
const examples = await demoExamples(shopperPool, DEMO_SHOP);
console.log(`
Comeback demo is running (ready in ${((performance.now() - started) / 1000).toFixed(1)} s)
  app:             http://localhost:${port}   (health: /healthz)
  admin pages:     http://localhost:${port}/app   (as the demo shop's staff, from this machine only)
  mailbox:         ${mailbox ? `http://localhost:${port}/demo/mailbox   (every email the app sent, over SMTP to a local server)` : `mail goes to SMTP_URL`}
  storefront:      ${storefront.url.replace("127.0.0.1", "localhost")}   (the theme extension's blocks; pick a shopper at the top)
  customer account: ${storefront.url.replace("127.0.0.1", "localhost")}/account/rewards   (the Rewards page, /account/profile and /account/orders/<id>: the customer-account extension)
  demo shop:       ${DEMO_SHOP}${seeded?.created ? ` (seeded: ${seeded.members} members, ${seeded.orders} orders, ${seeded.entries} ledger entries)` : " (kept from the last run; --reset starts over)"}
  database:        ${databaseShown}
  admin api:       ${standin.endpoint(DEMO_SHOP)} (local stand-in; what it holds: ${standin.url}/__standin/state)
  webhook secret:  ${secretShown}

  Send a signed sample webhook:   npm run demo:webhook -- orders/paid ${examples.buyer}
  Send a signed review (Judge.me): npm run demo:webhook -- review judgeme ${examples.buyer}
  Ask the App Proxy as a shopper: npm run demo:webhook -- member ${examples.buyer}
  Redeem a reward as a shopper:   npm run demo:webhook -- redeem ${examples.rich}
  Run the daily jobs as of a day: npm run demo:jobs -- --as-of 2026-12-24
  (the helpers find this demo through ${join(dataDir, DEMO_STATE_FILE)})
  Stop with Ctrl-C; the data stays for the next run.
`);
