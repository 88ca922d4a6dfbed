import { createHmac } from "node:crypto";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../app/platform/logger.server";
import {
  customerPayload,
  customersDataRequestPayload,
  customersRedactPayload,
  orderPayload,
} from "../fixtures/shopify-payloads";
import { adminClient, installShop } from "../support/admin";
import { startTestApp, type TestApp } from "../support/app";
import { createShop } from "../support/seed";
import { JSON_BODY, postWebhook, proxyUrl } from "../support/shopify";

/**
 * customers/redact leaves nothing that names the customer: no table (every text, JSON and
 * array column of every schema, the job queue's included) and no log line holds their
 * email, name, phone or birthday. Regression: the earlier data_request export sat in the
 * activity log, review and pending-point keys embedded the email, and database errors
 * were logged with the values they quoted.
 */
let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ LOG_LEVEL: "debug" });
}, 120_000);
afterAll(async () => {
  await app?.close();
});

const PERSON = {
  customerId: 7731,
  email: "zelphinia.quarrington.7731@example.com",
  firstName: "Zelphinia",
  lastName: "Quarrington",
  phone: "+15550197731",
  birthday: "03-14",
};
const JUDGEME = "judgeme-private-token";

/** Every row of every user table whose text, JSON or array columns contain `needle`. */
async function findEverywhere(needle: string): Promise<string[]> {
  const columns = await app.db.prisma.$queryRaw<Array<{ schema: string; table: string; column: string }>>`
    SELECT c.table_schema AS schema, c.table_name AS table, c.column_name AS column
    FROM information_schema.columns c
    JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
    WHERE c.table_schema NOT IN ('pg_catalog', 'information_schema')
      AND (c.data_type IN ('text', 'character varying', 'character', 'json', 'jsonb', 'ARRAY') OR c.udt_name = 'citext')`;
  const found: string[] = [];
  for (const { schema, table, column } of columns) {
    const [row] = await app.db.prisma.$queryRawUnsafe<Array<{ n: bigint }>>(
      `SELECT count(*) AS n FROM "${schema}"."${table}" WHERE "${column}"::text ILIKE $1`,
      `%${needle}%`,
    );
    if (row && row.n > 0n) found.push(`${schema}.${table}.${column} (${row.n})`);
  }
  return found;
}

function review(shop: string, body: Record<string, unknown>) {
  const text = JSON.stringify({ review: body });
  return fetch(`${app.server.url}/webhooks/reviews/judgeme?shop=${shop}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "JUDGEME-HMAC-SHA256": createHmac("sha256", JUDGEME).update(text).digest("hex"),
    },
    body: text,
  });
}

describe("customers/redact", () => {
  it("leaves no table and no log line holding the customer's email, name, phone or birthday", async () => {
    const shop = await createShop(app.db.prisma, { rules: { REVIEW: 50, PHOTO_REVIEW: 25, REFERRAL: 100 } });
    await installShop(app.db.prisma, shop.domain);
    await app.db.prisma.reviewProviderConfig.create({
      data: { shopId: shop.id, provider: "judgeme", secret: JUDGEME },
    });
    const send = async (topic: string, body: unknown) => {
      const response = await postWebhook(app.server.url, { topic, shop: shop.domain, body: JSON.stringify(body) });
      expect(response.status, `${topic}: ${await response.clone().text()}`).toBe(200);
    };

    // A referrer whose code the customer's first order carries.
    await send("customers/create", customerPayload({ id: 6001, email: "referrer@example.com", firstName: "Rita" }));
    const referrer = await app.db.prisma.member.findFirstOrThrow({ where: { shopId: shop.id, customerId: 6001n } });

    // The customer joins, orders twice (once as a guest checkout), reviews what they
    // bought and a product they did not, and saves a birthday.
    await send("customers/create", {
      ...customerPayload({ id: PERSON.customerId, email: PERSON.email, firstName: PERSON.firstName }),
      last_name: PERSON.lastName,
      phone: PERSON.phone,
    });
    await send(
      "orders/paid",
      orderPayload({
        id: 77310001,
        customer: { id: PERSON.customerId, email: PERSON.email, firstName: PERSON.firstName },
        email: PERSON.email,
        lines: [{ price: "40.00", productId: 5501 }],
        noteAttributes: [{ name: "comeback_ref", value: referrer.referralCode }],
      }),
    );
    await send(
      "orders/paid",
      orderPayload({ id: 77310002, customer: null, email: PERSON.email, lines: [{ price: "15.00", productId: 5502 }] }),
    );
    expect(
      (
        await review(shop.domain, {
          id: 801,
          rating: 5,
          product_external_id: 5501,
          reviewer: { email: PERSON.email, name: `${PERSON.firstName} ${PERSON.lastName}` },
          pictures: [{ urls: {} }],
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await review(shop.domain, {
          id: 802,
          rating: 4.5,
          product_external_id: 5502,
          reviewer: { email: PERSON.email },
        })
      ).status,
    ).toBe(200);
    const birthday = await fetch(
      proxyUrl(app.server.url, "actions", { shop: shop.domain, customerId: PERSON.customerId }),
      {
        method: "POST",
        headers: JSON_BODY,
        body: JSON.stringify({ action: "birthday", birthday: PERSON.birthday }),
      },
    );
    expect(birthday.status).toBe(200);

    // The merchant gets the data request as a file, named nowhere in the log.
    await send(
      "customers/data_request",
      customersDataRequestPayload({
        shop: shop.domain,
        customer: { id: PERSON.customerId, email: PERSON.email, phone: PERSON.phone },
        orders: [77310001, 77310002],
        requestId: 9931,
      }),
    );
    const logged = await app.db.prisma.activityLog.findFirstOrThrow({
      where: { shopId: shop.id, action: "compliance.data_request" },
    });
    expect(JSON.stringify(logged.details)).not.toContain(PERSON.email);
    const exportId = (logged.details as { exportId: string }).exportId;
    const merchant = adminClient(app.server.url, shop.domain);
    const file = await fetch(`${app.server.url}/app/exports/${exportId}`, { headers: merchant.headers() });
    expect(file.status).toBe(200);
    expect(file.headers.get("content-disposition")).toMatch(/^attachment; filename="customer-data-9931\.json"$/);
    const exported = await file.text();
    expect(exported).toContain(PERSON.email);
    expect(exported).toContain(PERSON.firstName);

    // Everything was really there before the request.
    expect((await findEverywhere(PERSON.email)).length).toBeGreaterThan(3);

    await send(
      "customers/redact",
      customersRedactPayload({
        shop: shop.domain,
        customer: { id: PERSON.customerId, email: PERSON.email, phone: PERSON.phone },
        orders: [77310001, 77310002],
      }),
    );

    for (const needle of [PERSON.email, PERSON.firstName, PERSON.lastName, PERSON.phone]) {
      expect(await findEverywhere(needle), needle).toEqual([]);
    }
    const member = await app.db.prisma.member.findFirstOrThrow({ where: { shopId: shop.id, status: "REDACTED" } });
    expect(member.birthday).toBeNull();
    expect((await fetch(`${app.server.url}/app/exports/${exportId}`, { headers: merchant.headers() })).status).toBe(
      404,
    );
    // The ledger's totals stand.
    expect(member.balance).toBeGreaterThan(0);

    const logs = app.server.logs.join("\n");
    for (const needle of [PERSON.email, PERSON.firstName, PERSON.lastName, PERSON.phone])
      expect(logs, needle).not.toContain(needle);
  }, 60_000);
});

describe("logs", () => {
  it("mask email addresses in messages, fields and database errors' text", async () => {
    const lines: string[] = [];
    const log = createLogger(
      new Writable({ write: (chunk: Buffer, _encoding, done) => (lines.push(chunk.toString()), done()) }) as never,
      "info",
    );
    const error = Object.assign(
      new Error("duplicate key value violates unique constraint: Key (email)=(anna.k@example.com) already exists"),
      {
        code: "P2002",
        meta: { target: ["bob@example.org"] },
      },
    );
    log.error({ err: error, customer: { email: "carol@example.net" } }, "failed for dave@example.io");
    await new Promise((resolve) => setImmediate(resolve));
    const line = lines.join("");
    expect(line).not.toMatch(/@example\./);
    expect(JSON.parse(line)).toMatchObject({
      msg: "failed for [email]",
      err: { type: "Error", message: expect.stringContaining("Key (email)=([email])"), code: "P2002" },
    });
  });
});
