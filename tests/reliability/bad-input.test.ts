import { createHmac, randomUUID } from "node:crypto";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mintSessionToken } from "../../scripts/shopify-standin/session-token";
import { orderPayload, refundPayload } from "../fixtures/shopify-payloads";
import { BROWSER_UA } from "../support/admin";
import { startTestApp, type TestApp } from "../support/app";
import { createShop } from "../support/seed";
import { signProxyQuery, signWebhook, TEST_SECRET } from "../support/shopify";
import { pool, scale } from "./support";

/**
 * Generated bad requests against every public entry point: Shopify's and review apps'
 * webhooks, the App Proxy and the Thank-you extension's route. Each must get a 4xx, write nothing, and leave the
 * server healthy.
 */
const COUNT = scale(1_500, 12_000);
const MEMBERS = 500;
/** Requests are generated and sent in chunks, so signed timestamps are fresh when they arrive. */
const CHUNK = 500;
let nextCustomer = 0;
const REVIEW_SECRET = "judgeme-private-token";
let app: TestApp;
let shop: { id: string; domain: string };
let otherShop: { id: string; domain: string };
let otherReward: string;

beforeAll(async () => {
  app = await startTestApp({ DATABASE_POOL_SIZE: "20" });
  shop = await createShop(app.db.prisma, { live: true });
  otherShop = await createShop(app.db.prisma, { live: true });
  // Signed proxy requests rotate over many members so no customer's rate budget runs out:
  // a 429 would hide whatever the route itself would have answered.
  await app.db.prisma.member.createMany({
    data: Array.from({ length: MEMBERS }, (_, i) => ({
      shopId: shop.id,
      customerId: BigInt(1001 + i),
      referralCode: `BAD${1001 + i}`,
      balance: 0,
    })),
  });
  await app.db.prisma.reviewProviderConfig.create({
    data: { shopId: shop.id, provider: "judgeme", secret: REVIEW_SECRET },
  });
  otherReward = (
    await app.db.prisma.reward.create({
      data: {
        shopId: otherShop.id,
        name: "Theirs",
        type: "FIXED_AMOUNT",
        pointsCost: 1,
        valueMinor: 100,
        currency: "USD",
      },
    })
  ).id;
}, 120_000);
afterAll(async () => {
  await app?.close();
});

interface BadRequest {
  kind: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

const TOPICS = [
  "orders/paid",
  "refunds/create",
  "orders/cancelled",
  "customers/create",
  "customers/redact",
  "app/uninstalled",
];

function webhook(
  kind: string,
  topic: string,
  body: string,
  headers: Record<string, string> = {},
  signature = signWebhook(body),
): BadRequest {
  return {
    kind,
    method: "POST",
    path: `/webhooks/${topic}`,
    body,
    headers: {
      "Content-Type": "application/json",
      "X-Shopify-Topic": topic,
      "X-Shopify-Hmac-Sha256": signature,
      "X-Shopify-Shop-Domain": shop.domain,
      "X-Shopify-Webhook-Id": randomUUID(),
      "X-Shopify-API-Version": "2026-10",
      ...headers,
    },
  };
}

function proxy(
  kind: string,
  path: string,
  params: Record<string, string>,
  init: { method?: string; body?: string; sign?: boolean } = {},
): BadRequest {
  const query =
    init.sign === false ? new URLSearchParams({ ...params, signature: "0".repeat(64) }) : signProxyQuery(params);
  // Guests are rate-limited per client address: each generated request comes from its
  // own, as real shoppers do, so the route answers rather than the limiter.
  const client = ++nextClient;
  return {
    kind,
    method: init.method ?? "GET",
    path: `/proxy/${path}?${query}`,
    body: init.body,
    headers: {
      "Content-Type": "application/json",
      "X-Forwarded-For": `10.${(client >> 16) & 255}.${(client >> 8) & 255}.${client & 255}`,
    },
  };
}
let nextClient = 0;

const proxyParams = (extra: Record<string, string> = {}) => ({
  shop: shop.domain,
  logged_in_customer_id: String(1001 + (nextCustomer++ % MEMBERS)),
  path_prefix: "/apps/comeback",
  timestamp: String(Math.floor(Date.now() / 1000)),
  ...extra,
});
const validOrder = () => JSON.stringify(orderPayload({ id: 1, customer: { id: 1001 }, lines: [{ price: "10.00" }] }));

/** Every family of bad input, each a generator of concrete requests (built once the shops exist). */
const families = (): Array<fc.Arbitrary<BadRequest>> => [
  // Forged, missing and mismatched webhook signatures.
  fc
    .tuple(fc.constantFrom(...TOPICS), fc.base64String({ minLength: 4, maxLength: 60 }))
    .map(([topic, sig]) => webhook("forged hmac", topic, validOrder(), {}, sig)),
  fc.constantFrom(...TOPICS).map((topic) => {
    const request = webhook("missing hmac", topic, validOrder());
    delete request.headers["X-Shopify-Hmac-Sha256"];
    return request;
  }),
  fc
    .tuple(fc.constantFrom(...TOPICS), fc.string())
    .map(([topic, other]) =>
      webhook("hmac of another body", topic, validOrder(), {}, signWebhook(validOrder() + other + "x")),
    ),
  fc
    .tuple(fc.constantFrom(...TOPICS), fc.string({ minLength: 1 }))
    .map(([topic, secret]) =>
      webhook(
        "hmac with another secret",
        topic,
        validOrder(),
        {},
        createHmac("sha256", `x${secret}`).update(validOrder()).digest("base64"),
      ),
    ),
  // Correctly signed, but malformed, oversized, deep, of the wrong types or absurd.
  fc
    .tuple(fc.constantFrom("orders/paid", "refunds/create", "customers/create"), fc.string({ maxLength: 40 }))
    .map(([topic, text]) => webhook("malformed json", topic, `{"id": ${text}`)),
  fc
    .integer({ min: 2000, max: 20000 })
    .map((depth) => webhook("deep json", "orders/paid", "[".repeat(depth) + "]".repeat(depth))),
  fc
    .constant(null)
    .map(() => webhook("oversized body", "orders/paid", JSON.stringify({ id: 1, note: "x".repeat(3 * 1024 * 1024) }))),
  fc
    .record({
      id: fc.oneof(fc.string(), fc.constant(null), fc.double(), fc.constant(-1)),
      total_price: fc.oneof(fc.object(), fc.constant("1e400"), fc.constant("-5.00")),
      line_items: fc.oneof(fc.string(), fc.constant(null), fc.array(fc.anything(), { maxLength: 3 })),
    })
    .map((body) => webhook("wrong types", "orders/paid", JSON.stringify(body))),
  fc
    .constantFrom("99999999999999999999.00", "-10.00", "NaN", "", "1e21")
    .map((price) =>
      webhook(
        "absurd amount",
        "orders/paid",
        JSON.stringify(orderPayload({ id: 2, customer: { id: 1001 }, lines: [{ price }] })),
      ),
    ),
  // Ids that fit the JSON and the regex but not PostgreSQL's bigint (max 2^63 - 1).
  fc
    .constantFrom("9223372036854775808", "99999999999999999999")
    .map((big) => webhook("bigint-overflow order id", "orders/paid", validOrder().replace('"id":1,', `"id":${big},`))),
  fc
    .constantFrom("9223372036854775808", "99999999999999999999")
    .map((big) =>
      webhook(
        "bigint-overflow customer id",
        "orders/paid",
        JSON.stringify(orderPayload({ id: 3, customer: { id: big }, lines: [{ price: "10.00" }] })),
      ),
    ),
  fc
    .constantFrom("9223372036854775808", "99999999999999999999")
    .map((big) =>
      webhook(
        "bigint-overflow refund order id",
        "refunds/create",
        JSON.stringify(refundPayload({ id: 4, orderId: big, lines: [{ subtotal: "1.00" }] })),
      ),
    ),
  fc
    .constantFrom("-5.00", "-0.01", "1e400", "abc")
    .map((subtotal) =>
      webhook(
        "negative or absurd refund amount",
        "refunds/create",
        JSON.stringify(refundPayload({ id: 5, orderId: 1, lines: [{ subtotal }] })),
      ),
    ),
  fc
    .integer({ min: 2000, max: 20000 })
    .map((depth) =>
      webhook(
        "deep json inside an order",
        "orders/paid",
        validOrder().replace('"id":1,', `"id":1,"note_attributes":${"[".repeat(depth)}${"]".repeat(depth)},`),
      ),
    ),
  fc.constant(null).map(() => {
    const request = webhook("missing shop domain", "orders/paid", validOrder());
    delete request.headers["X-Shopify-Shop-Domain"];
    return request;
  }),
  fc
    .string({ maxLength: 40 })
    .map((domain) =>
      webhook("bad shop domain", "orders/paid", validOrder(), { "X-Shopify-Shop-Domain": `${domain}!` }),
    ),
  fc.constant(null).map(() =>
    webhook("unknown shop", "orders/paid", validOrder(), {
      "X-Shopify-Shop-Domain": `nobody-${randomUUID().slice(0, 8)}.myshopify.com`,
    }),
  ),
  // App Proxy: signatures, ids, shops and other people's things.
  fc
    .constantFrom("member", "history")
    .map((path) => proxy("forged proxy signature", path, proxyParams(), { sign: false })),
  fc.constantFrom("member", "history").map((path) => ({
    ...proxy("missing proxy signature", path, proxyParams()),
    path: `/proxy/${path}?${new URLSearchParams(proxyParams())}`,
  })),
  // Signed for one customer, then pointed at another (or at another shop): the signature no longer matches.
  fc
    .constantFrom(["logged_in_customer_id", "1002"], ["logged_in_customer_id", "1"], ["shop", "other"])
    .chain(([key, value]) =>
      fc.constantFrom("member", "history", "redeem").map((path) => {
        const signed = signProxyQuery(proxyParams());
        signed.set(key, value === "other" ? otherShop.domain : value);
        return {
          kind: "cross-customer or cross-shop",
          method: path === "redeem" ? "POST" : "GET",
          path: `/proxy/${path}?${signed}`,
          body: path === "redeem" ? JSON.stringify({ rewardId: otherReward }) : undefined,
          headers: { "Content-Type": "application/json" },
        };
      }),
    ),
  fc
    .integer({ min: 600, max: 100_000 })
    .map((age) =>
      proxy("stale timestamp", "member", proxyParams({ timestamp: String(Math.floor(Date.now() / 1000) - age) })),
    ),
  fc
    .constantFrom("99999999999999999999999", "99999999999999999999", "9223372036854775808", "-1", "1.5", "abc", "1e9")
    .map((id) => proxy("bad customer id", "member", proxyParams({ logged_in_customer_id: id }))),
  fc
    .constant(null)
    .map(() =>
      proxy("unknown shop (proxy)", "member", proxyParams({ shop: `ghost-${randomUUID().slice(0, 8)}.myshopify.com` })),
    ),
  fc
    .oneof(fc.uuid(), fc.string(), fc.constant(otherReward))
    .map((rewardId) =>
      proxy("bad or foreign reward", "redeem", proxyParams(), { method: "POST", body: JSON.stringify({ rewardId }) }),
    ),
  fc
    .string({ maxLength: 30 })
    .map((text) => proxy("malformed redeem body", "redeem", proxyParams(), { method: "POST", body: text })),
  fc.constant(null).map(() =>
    proxy("guest redeem", "redeem", proxyParams({ logged_in_customer_id: "" }), {
      method: "POST",
      body: JSON.stringify({ rewardId: otherReward }),
    }),
  ),
  fc
    .constantFrom("9223372036854775808", "9999999999999999999", "-1", "1.5")
    .map((cursor) => proxy("bad history cursor", "history", proxyParams({ cursor }))),
  fc.constantFrom("0", "101", "x", "-3").map((limit) => proxy("bad history limit", "history", proxyParams({ limit }))),
  // Review apps' webhooks: their own signatures, then signed bodies that are not reviews.
  fc
    .tuple(fc.constantFrom("forged", "missing", "other shop", "unknown provider"), fc.stringMatching(/^[0-9a-f]{64}$/))
    .map(([how, hex]) => {
      const body = JSON.stringify({
        review: { id: 1, rating: 5, reviewer: { email: "c1001@example.com" }, product_external_id: 1 },
      });
      const domain = how === "other shop" ? otherShop.domain : shop.domain;
      const provider = how === "unknown provider" ? "trustpilot" : "judgeme";
      const signature =
        how === "missing"
          ? {}
          : {
              "JUDGEME-HMAC-SHA256":
                how === "forged" ? hex : createHmac("sha256", REVIEW_SECRET).update(body).digest("hex"),
            };
      return {
        kind: `review webhook: ${how}`,
        method: "POST",
        path: `/webhooks/reviews/${provider}?shop=${domain}`,
        body,
        headers: { "Content-Type": "application/json", ...signature },
      };
    }),
  fc
    .oneof(
      fc.string({ maxLength: 40 }).map((text) => `{"review": ${text}`),
      fc.integer({ min: 2000, max: 20000 }).map((depth) => `{"review":${"[".repeat(depth)}${"]".repeat(depth)}}`),
      fc
        .record({
          id: fc.oneof(fc.object(), fc.constant(null), fc.boolean()),
          rating: fc.oneof(fc.string(), fc.constant(1e400), fc.constant(-3)),
          reviewer: fc.anything(),
        })
        .map((review) => JSON.stringify({ review })),
    )
    .map((body) => ({
      kind: "review webhook: signed, not a review",
      method: "POST",
      path: `/webhooks/reviews/judgeme?shop=${shop.domain}`,
      body,
      headers: {
        "Content-Type": "application/json",
        "JUDGEME-HMAC-SHA256": createHmac("sha256", REVIEW_SECRET).update(body).digest("hex"),
      },
    })),
  // The Thank-you route: no token, forged tokens, bad order ids.
  fc
    .oneof(
      fc.constant(""),
      fc.string({ maxLength: 50 }),
      fc.constant(
        mintSessionToken({ shop: shop.domain, apiKey: "test-api-key", secret: "forged", surface: "checkout" }),
      ),
    )
    .map((auth) => ({
      kind: "extension auth",
      method: "GET",
      path: "/extensions/thank-you?order=gid%3A%2F%2Fshopify%2FOrderIdentity%2F1",
      headers: { "User-Agent": BROWSER_UA, ...(auth ? { Authorization: `Bearer ${auth}` } : {}) },
    })),
  fc.string({ maxLength: 40 }).map((order) => ({
    kind: "extension order id",
    method: "GET",
    path: `/extensions/thank-you?order=${encodeURIComponent(`x${order}`)}`,
    headers: {
      "User-Agent": BROWSER_UA,
      Authorization: `Bearer ${mintSessionToken({ shop: shop.domain, apiKey: "test-api-key", secret: TEST_SECRET, surface: "checkout" })}`,
    },
  })),
];

async function rowCounts(): Promise<Record<string, number>> {
  const tables = await app.db.prisma.$queryRaw<Array<{ tablename: string }>>`
    SELECT tablename FROM pg_tables WHERE schemaname = 'public'`;
  const counts: Record<string, number> = {};
  for (const { tablename } of tables) {
    const [row] = await app.db.prisma.$queryRawUnsafe<Array<{ count: bigint }>>(`SELECT count(*) FROM "${tablename}"`);
    counts[tablename] = Number(row!.count);
  }
  return counts;
}

describe("bad input", () => {
  it(`gets a 4xx for each of ${COUNT} generated bad requests, writes nothing and stays up`, async () => {
    const before = await rowCounts();
    const byStatus = new Map<number, number>();
    const unexpected: string[] = [];
    // Failures grouped by kind and status, so a regression reads as one line per cause.
    const unexpectedByKind = new Map<string, number>();
    let sent = 0;
    let healthChecks = 0;
    for (let chunk = 0; sent < COUNT; chunk++) {
      const requests = fc.sample(fc.oneof(...families()), {
        numRuns: Math.min(CHUNK, COUNT - sent),
        seed: 20261123 + chunk,
      });
      // The server must answer its health check while it is being fed bad input: asked
      // halfway through each chunk, with the other requests in flight.
      let health: Promise<number> = Promise.resolve(0);
      await pool(requests, 12, async (request, index) => {
        if (index === requests.length >> 1) health = fetch(`${app.server.url}/healthz`).then((r) => r.status);
        const response = await fetch(`${app.server.url}${request.path}`, {
          method: request.method,
          headers: request.headers,
          body: request.body,
        });
        await response.arrayBuffer();
        byStatus.set(response.status, (byStatus.get(response.status) ?? 0) + 1);
        // 429 would mean the rate limit answered instead of the code under test.
        if (response.status < 400 || response.status >= 500 || response.status === 429) {
          unexpected.push(`${request.kind}: ${request.method} ${request.path.slice(0, 80)} → ${response.status}`);
          const key = `${request.kind} ${response.status}`;
          unexpectedByKind.set(key, (unexpectedByKind.get(key) ?? 0) + 1);
        }
      });
      expect(await health).toBe(200);
      healthChecks += 1;
      sent += requests.length;
    }
    const after = await rowCounts();
    // RateLimit is the one table bad input may touch: a signed request is counted against
    // its customer's budget before its body is judged, which is what stops a flood of them.
    const rateLimitRows = after.RateLimit! - before.RateLimit!;
    const written = Object.keys(after)
      .filter((table) => table !== "RateLimit" && after[table] !== before[table])
      .map((table) => `${table}: ${before[table]} → ${after[table]}`);
    const buckets = (low: number) =>
      [...byStatus].filter(([status]) => status >= low && status < low + 100).reduce((sum, [, n]) => sum + n, 0);
    console.log(
      `bad input: ${sent} requests, ${buckets(400)} 4xx, ${buckets(500)} 5xx, ${buckets(200) + buckets(300)} 2xx/3xx, by status ${JSON.stringify(Object.fromEntries(byStatus))}, ${unexpected.length} not 4xx, tables changed: ${written.length}, rate-limit counters: ${rateLimitRows}, health checks: ${healthChecks}`,
    );
    expect(Object.fromEntries(unexpectedByKind), unexpected.slice(0, 3).join("\n")).toEqual({});
    expect(written).toEqual([]);
    expect((await fetch(`${app.server.url}/healthz`)).status).toBe(200);
  }, 900_000);
});
