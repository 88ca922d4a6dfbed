/**
 * `npm run demo:webhook -- <what> [customer id]`: signed requests to the running demo,
 * exactly as Shopify (or a review app) would send them. The demo's address and secret
 * come from the running demo itself (.data/demo/demo.json), or PORT and SHOPIFY_API_SECRET.
 *
 *   orders/paid | refunds/create | orders/cancelled | customers/create [customer id]
 *   review <provider> <customer id>   a review of a product the customer bought, signed as that app signs
 *   member <customer id>              GET /proxy/member as that logged-in shopper (App Proxy signature)
 *   redeem <customer id>              POST /proxy/redeem of the cheapest reward they can afford
 */
import { createHmac, randomUUID } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { DEMO_SHOP } from "./seed";
import { readDemoState } from "./state";
import { signedReviewRequest } from "../../app/integrations/reviews/outbound";
import { PROVIDERS, type Provider } from "../../app/integrations/reviews/providers";
import { customerPayload, orderPayload, refundPayload } from "../../tests/fixtures/shopify-payloads";

const state = readDemoState();
const secretFile = join(process.env.COMEBACK_DATA_DIR || join(".data", "demo"), "secret");
const secret =
  process.env.SHOPIFY_API_SECRET ||
  state?.secret ||
  (existsSync(secretFile) ? readFileSync(secretFile, "utf8").trim() : "");
if (!secret) {
  console.error("No secret: start `npm run demo` first, or set SHOPIFY_API_SECRET");
  process.exit(1);
}
const base = process.env.PORT ? `http://127.0.0.1:${process.env.PORT}` : (state?.appUrl ?? "http://127.0.0.1:3000");
const [what = "orders/paid", ...rest] = process.argv.slice(2);
const customerArg = what === "review" ? rest[1] : rest[0];
const customerId = Number(customerArg ?? 7000000001);
// Ids from the clock so every run is a new order.
const orderId = Date.now();

async function webhook(topic: string, payload: unknown) {
  const body = JSON.stringify(payload);
  const response = await fetch(`${base}/webhooks/${topic}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-shopify-topic": topic,
      "x-shopify-hmac-sha256": createHmac("sha256", secret).update(body).digest("base64"),
      "x-shopify-shop-domain": DEMO_SHOP,
      "x-shopify-api-version": "2026-10",
      "x-shopify-webhook-id": randomUUID(),
    },
    body,
  });
  console.log(`${topic} → ${response.status} ${await response.text()}`);
}

function proxyUrl(path: string, id: number) {
  const params: Record<string, string> = {
    shop: DEMO_SHOP,
    logged_in_customer_id: String(id),
    path_prefix: "/apps/comeback",
    timestamp: String(Math.floor(Date.now() / 1000)),
  };
  const message = Object.keys(params)
    .sort()
    .map((k) => `${k}=${params[k]}`)
    .join("");
  const signature = createHmac("sha256", secret).update(message).digest("hex");
  return `${base}/proxy/${path}?${new URLSearchParams({ ...params, signature })}`;
}

async function member(id: number) {
  const response = await fetch(proxyUrl("member", id));
  console.log(JSON.stringify(await response.json(), null, 2));
}

async function redeem(id: number) {
  const view = (await (await fetch(proxyUrl("member", id))).json()) as {
    member: { balance: number; rewards: Array<{ id: string; name: string; cost: number; affordable: boolean }> } | null;
  };
  const reward = view.member?.rewards.filter((r) => r.affordable).sort((a, b) => a.cost - b.cost)[0];
  if (!reward) {
    console.log(`customer ${id} cannot afford a reward (balance ${view.member?.balance ?? "not a member"})`);
    return;
  }
  const response = await fetch(proxyUrl("redeem", id), {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ rewardId: reward.id }),
  });
  console.log(`redeem "${reward.name}" → ${response.status} ${await response.text()}`);
}

/** A review by the customer of a product they bought, sent as the review app sends it. */
async function review(provider: string) {
  if (!(PROVIDERS as readonly string[]).includes(provider)) {
    console.error(`review <provider> <customer id>: provider is one of ${PROVIDERS.join(", ")}`);
    process.exit(2);
  }
  if (!state) {
    console.error("Start `npm run demo` first: the review needs the customer's email and purchases");
    process.exit(1);
  }
  const client = new pg.Client({ connectionString: state.databaseUrl });
  await client.connect();
  const rows = await client.query<{ email: string | null; product: string | null; secret: string | null }>(
    `SELECT m.email,
            (SELECT o."productIds"[1] FROM "Order" o WHERE o."shopId" = m."shopId" AND o."customerId" = m."customerId"
               AND o."paidAt" IS NOT NULL AND cardinality(o."productIds") > 0 ORDER BY o."processedAt" DESC LIMIT 1) AS product,
            (SELECT secret FROM "ReviewProviderConfig" r WHERE r."shopId" = m."shopId" AND r.provider = $3) AS secret
     FROM "Member" m JOIN "Shop" s ON s.id = m."shopId"
     WHERE s.domain = $1 AND m."customerId" = $2`,
    [DEMO_SHOP, customerId, provider],
  );
  await client.end();
  const row = rows.rows[0];
  if (!row?.email || !row.secret) {
    console.error(
      row
        ? `${provider} is not connected in the demo shop (Program → Review apps)`
        : `customer ${customerId} is not a member`,
    );
    process.exit(1);
  }
  const productId = row.product ?? "632910392";
  const { url, init } = signedReviewRequest(
    provider as Provider,
    row.secret,
    { id: `demo-${Date.now()}`, email: row.email, productId, rating: 5, hasPhoto: true },
    { appUrl: base, shopDomain: DEMO_SHOP },
  );
  const response = await fetch(url, init);
  console.log(`review by ${row.email} of product ${productId} → ${response.status} ${await response.text()}`);
}

switch (what) {
  case "orders/paid":
    await webhook(
      "orders/paid",
      orderPayload({
        id: orderId,
        name: `#D${orderId % 100000}`,
        customer: { id: customerId },
        lines: [{ price: "59.90" }, { price: "24.50", quantity: 2 }],
      }),
    );
    break;
  case "refunds/create":
    await webhook(
      "refunds/create",
      refundPayload({ id: orderId, orderId: Number(process.argv[4] ?? orderId), lines: [{ subtotal: "24.50" }] }),
    );
    break;
  case "orders/cancelled":
    await webhook(
      "orders/cancelled",
      orderPayload({
        id: Number(process.argv[4] ?? orderId),
        customer: { id: customerId },
        lines: [{ price: "59.90" }],
        cancelledAt: new Date().toISOString(),
      }),
    );
    break;
  case "customers/create":
    await webhook("customers/create", customerPayload({ id: customerId, email: `new.${customerId}@example.com` }));
    break;
  case "review":
    await review(rest[0] ?? "judgeme");
    break;
  case "member":
    await member(customerId);
    break;
  case "redeem":
    await redeem(customerId);
    break;
  default:
    console.error(`Unknown: ${what}`);
    process.exit(2);
}
