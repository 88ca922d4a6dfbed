/**
 * `npm run demo:jobs -- --as-of <ISO date>`: runs the scheduled jobs once against the
 * running demo's database as if it were that date, so what happens with time can be seen
 * without waiting: points expiry, birthday gifts, pending points released or lapsed, tier
 * evaluation. Each job is the production one, given that date as "now"; they are
 * idempotent, so running a date twice changes nothing the second time. The running demo
 * pushes the results to its Shopify stand-in within a minute (its sync sweep).
 */
import { loadConfig } from "../../app/platform/config.server";
import { createPrismaClient } from "../../app/platform/database/client.server";
import { provideRuntime } from "../../app/platform/runtime.server";
import { awardBirthdays } from "../../app/services/birthdays";
import { expireInactivePoints } from "../../app/services/expiry";
import { expireUnclaimedPending, releaseDuePending } from "../../app/services/pending";
import { evaluateAllTiers } from "../../app/services/tiers";
import { collectEventMessages, selectDailyMessages, shopsWithDueMessages } from "../../app/services/messages";
import { closeMailTransports } from "../../app/integrations/email/mailer.server";
import { sendDueMessages } from "../../app/integrations/email/send.server";
import { readDemoState } from "./state";

const args = process.argv.slice(2);
const at = args[args.indexOf("--as-of") + 1];
const asOf = args.includes("--as-of") && at ? new Date(at) : new Date();
if (Number.isNaN(asOf.getTime())) {
  console.error("usage: npm run demo:jobs -- --as-of <ISO date, e.g. 2026-12-24 or 2026-12-24T09:00:00Z>");
  process.exit(2);
}
const state = readDemoState();
const databaseUrl = process.env.DATABASE_URL || state?.databaseUrl;
if (!databaseUrl) {
  console.error("Start `npm run demo` first (or set DATABASE_URL to the demo's database)");
  process.exit(1);
}

// The jobs read the app's configuration (cache lifetimes and the like) as the running demo
// does: the same database, key, secret and address, whatever this terminal has set.
provideRuntime({
  config: loadConfig({
    ...process.env,
    NODE_ENV: "development",
    DATABASE_URL: databaseUrl,
    SHOPIFY_API_KEY: process.env.SHOPIFY_API_KEY || "comeback-demo",
    SHOPIFY_API_SECRET: process.env.SHOPIFY_API_SECRET || state?.secret || "demo",
    SHOPIFY_APP_URL: state?.appUrl,
    SMTP_URL: process.env.SMTP_URL || state?.smtpUrl,
    MAIL_FROM: process.env.MAIL_FROM || state?.mailFrom,
    COMEBACK_STOREFRONT_URL: process.env.COMEBACK_STOREFRONT_URL || state?.storefrontPublicUrl,
  }),
  databaseUrl,
});
const db = createPrismaClient(databaseUrl, 2);
try {
  const results: Array<[string, number]> = [];
  const run = async (name: string, job: () => Promise<number>) => results.push([name, await job()]);
  await run("pending points released", () => releaseDuePending(db, asOf));
  await run("unclaimed guest points lapsed", () => expireUnclaimedPending(db, asOf));
  await run("members whose points expired", () => expireInactivePoints(db, asOf));
  await run("birthday gifts (points or a choice)", () => awardBirthdays(db, asOf));
  await run("members moved between tiers", () => evaluateAllTiers(db, asOf));
  // The messages those days bring (expiring points, tiers ending, win-back, birthdays),
  // sent to the demo's mailbox as if it were that day.
  await run(
    "messages selected",
    async () => (await collectEventMessages(db, asOf)) + (await selectDailyMessages(db, asOf)),
  );
  await run("messages sent", async () => {
    let sent = 0;
    for (const shopId of await shopsWithDueMessages(db, asOf))
      sent += (await sendDueMessages(db, shopId, { now: () => asOf })).sent;
    return sent;
  });
  console.log(`Jobs run as of ${asOf.toISOString()}:`);
  for (const [name, count] of results) console.log(`  ${String(count).padStart(6)}  ${name}`);
} finally {
  await closeMailTransports();
  await db.$disconnect();
}
