/**
 * `npm run bench:messages`: lifecycle email at scale, on real PostgreSQL and real SMTP.
 *
 * 1. The daily selection (expiring points, tiers ending, win-back) and the minute's event
 *    collection over a shop of MEMBERS members (default 100,000), median of three runs,
 *    against the database's own time to scan the same members once (its floor for a
 *    set-based pass).
 * 2. The send rate of one instance: SEND messages rendered from the templates and
 *    delivered over SMTP (TCP) to a local server, against the ceiling of that server and
 *    client (the same rendered email sent SEND times with nodemailer and nothing else).
 *
 *   BENCH_DATABASE_URL  server to create the bench database on (default: local PostgreSQL)
 *   BENCH_MEMBERS       members (default 100000)
 *   BENCH_SEND          messages to send (default 2000)
 *
 * Writes bench/results/messages.md.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { createPrismaClient } from "../app/platform/database/client.server";
import { applyMigrations } from "../app/platform/database/migrate.server";
import { loadConfig } from "../app/platform/config.server";
import { provideRuntime } from "../app/platform/runtime.server";
import { collectEventMessages, selectDailyMessages } from "../app/services/messages";
import { sendDueMessages } from "../app/integrations/email/send.server";
import { closeMailTransports, deliver, mailTransport } from "../app/integrations/email/mailer.server";
import { startSmtpSink } from "../tests/support/smtp";
import { adminUrl, sql, withDatabase } from "./support";

const MEMBERS = Number(process.env.BENCH_MEMBERS) || 100_000;
const SEND = Number(process.env.BENCH_SEND) || 2000;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const started = performance.now();
  const result = await work();
  return { ms: performance.now() - started, result };
}

async function main() {
  const name = `comeback_msg_bench_${Date.now().toString(36)}`;
  await sql(adminUrl, `CREATE DATABASE "${name}"`);
  const url = withDatabase(adminUrl, name);
  await applyMigrations(url);
  const smtp = await startSmtpSink();
  provideRuntime({
    config: loadConfig({
      ...process.env,
      NODE_ENV: "production",
      SHOPIFY_API_KEY: "bench",
      SHOPIFY_API_SECRET: "bench-secret",
      SHOPIFY_APP_URL: "https://bench.example",
      DATABASE_URL: url,
      SMTP_URL: smtp.url,
      MAIL_FROM: "rewards@bench.example",
      MAIL_RATE_PER_SECOND: "10000",
      LOG_LEVEL: "warn",
    }),
    databaseUrl: url,
  });
  const db = createPrismaClient(url, 8);
  const lines: string[] = [];
  const say = (line: string) => {
    console.log(line);
    lines.push(line);
  };
  try {
    // A live shop with points expiring after a year of inactivity and win-back on.
    const shopId = (
      await sql(
        url,
        `INSERT INTO "Shop" (id, domain, name, currency, "programStatus", "launchedAt", "installedAt", "updatedAt")
         VALUES (gen_random_uuid(), 'bench.myshopify.com', 'Bench', 'USD', 'LIVE', now() - interval '3 years', now() - interval '3 years', now())
         RETURNING id`,
      )
    ).rows[0].id as string;
    await sql(
      url,
      `INSERT INTO "ShopSettings" ("shopId", "expiryInactivityDays", "quietHoursEnd", "quietHoursStart", "updatedAt")
       VALUES ($1, 365, 0, 0, now())`,
      [shopId],
    );
    await sql(
      url,
      `INSERT INTO "MessageSetting" ("shopId", kind, enabled, timing, "enabledAt", "updatedAt")
       VALUES ($1, 'WIN_BACK', true, '{"afterDays": 60, "thenDays": 14}', now() - interval '1 day', now())`,
      [shopId],
    );
    const seeded = await timed(() =>
      sql(
        url,
        // Activity and last orders spread over two years: about 1 in 100 is due for a
        // reminder or a win-back on any day, as in a shop with steady traffic.
        `INSERT INTO "Member" (id, "shopId", "customerId", email, "firstName", locale, "emailConsent", balance,
                               "lifetimeEarned", "referralCode", "lastActivityAt", "lastOrderAt", "orderCount",
                               "enrolledAt", "updatedAt")
         SELECT gen_random_uuid(), $1, 9000000000 + i, 'member' || i || '@bench.example', 'Member ' || i,
                CASE WHEN i % 3 = 0 THEN 'ru' ELSE 'en' END, i % 4 <> 0, 100 + i % 900, 1000,
                'B' || i, now() - make_interval(days => i % 730), now() - make_interval(days => (i * 7) % 730), 1,
                now() - interval '800 days', now()
         FROM generate_series(1, $2) AS i`,
        [shopId, MEMBERS],
      ),
    );
    await sql(url, "ANALYZE");
    say(`# Lifecycle email benchmark`);
    say("");
    say(
      `Machine: ${cpus().length} cores, Node ${process.version}; PostgreSQL ${(await sql(url, "SHOW server_version")).rows[0].server_version}.`,
    );
    say(`Seeded ${MEMBERS.toLocaleString("en-US")} members in ${(seeded.ms / 1000).toFixed(1)} s.`);
    say("");

    // The database's floor: one pass over the shop's members computing the same dates.
    const scans: number[] = [];
    for (let run = 0; run < 3; run++)
      scans.push(
        (
          await timed(() =>
            sql(
              url,
              `SELECT count(*) FILTER (WHERE m."lastActivityAt" + interval '365 days' BETWEEN now() AND now() + interval '30 days'),
                      count(*) FILTER (WHERE m."lastOrderAt" <= now() - interval '60 days')
               FROM "Member" m WHERE m."shopId" = $1`,
              [shopId],
            ),
          )
        ).ms,
      );
    const floor = median(scans);
    const daily: number[] = [];
    let selected = 0;
    for (let run = 0; run < 3; run++) {
      const { ms, result } = await timed(() => selectDailyMessages(db));
      daily.push(ms);
      if (run === 0) selected = result;
    }
    const collect: number[] = [];
    for (let run = 0; run < 3; run++) collect.push((await timed(() => collectEventMessages(db))).ms);
    say(`## Daily selection over ${MEMBERS.toLocaleString("en-US")} members`);
    say("");
    say(`| step | median of 3 | ratio to the database's single scan |`);
    say(`| --- | --- | --- |`);
    say(`| one scan of the members (the floor) | ${floor.toFixed(0)} ms | 1.0 |`);
    say(
      `| daily selection (first run selected ${selected.toLocaleString("en-US")} messages; re-runs add none) | ${median(daily).toFixed(0)} ms | ${(median(daily) / floor).toFixed(1)} |`,
    );
    say(`| minute's event collection | ${median(collect).toFixed(0)} ms | ${(median(collect) / floor).toFixed(1)} |`);
    say("");

    // Sending: SEND of the selected messages, one instance, to a local SMTP server.
    await sql(
      url,
      `UPDATE "MessageLog" SET status = 'SKIPPED', "skipReason" = 'bench'
       WHERE id NOT IN (SELECT id FROM "MessageLog" WHERE kind = 'POINTS_EXPIRING' ORDER BY id LIMIT $1)`,
      [SEND],
    );
    const queued = Number((await sql(url, `SELECT count(*) FROM "MessageLog" WHERE status = 'QUEUED'`)).rows[0].count);
    const sent = await timed(() => sendDueMessages(db, shopId, { limit: 100 }));
    const rate = sent.result.sent / (sent.ms / 1000);
    // The ceiling: the same email, already rendered, sent as fast as client and server go.
    const sample = smtp.messages[0]!;
    const transport = mailTransport(smtp.url);
    const ceiling = await timed(async () => {
      for (let i = 0; i < sent.result.sent; i++)
        await deliver(transport, {
          from: { name: "Bench", address: "rewards@bench.example" },
          to: `ceiling${i}@bench.example`,
          subject: sample.subject ?? "",
          html: String(sample.html),
          text: sample.text ?? "",
          messageId: `<ceiling-${i}@bench.example>`,
          headers: {},
        });
    });
    const ceilingRate = sent.result.sent / (ceiling.ms / 1000);
    say(`## Sending, one instance, to a local SMTP server over TCP`);
    say("");
    say(`| what | messages | time | messages/s | ratio to the ceiling |`);
    say(`| --- | --- | --- | --- | --- |`);
    say(
      `| selected, rendered (Liquid + MJML layout), checked and sent | ${sent.result.sent} of ${queued} | ${(sent.ms / 1000).toFixed(1)} s | ${rate.toFixed(0)} | ${(rate / ceilingRate).toFixed(2)} |`,
    );
    say(
      `| the ceiling: the same rendered email through nodemailer only | ${sent.result.sent} | ${(ceiling.ms / 1000).toFixed(1)} s | ${ceilingRate.toFixed(0)} | 1.00 |`,
    );
    say("");
    say(`Received by the SMTP server: ${smtp.messages.length}.`);
    mkdirSync("bench/results", { recursive: true });
    writeFileSync("bench/results/messages.md", lines.join("\n") + "\n");
  } finally {
    await closeMailTransports();
    await db.$disconnect();
    await smtp.close();
    await sql(adminUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  }
}

await main();
