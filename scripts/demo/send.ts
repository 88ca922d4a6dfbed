/**
 * `npm run demo:webhook -- <what> [customer id]`: signed requests to the running demo,
 * exactly as Shopify would send them.
 *
 *   orders/paid | refunds/create | orders/cancelled | customers/create
 *   member <customer id>     GET /proxy/member as that logged-in shopper (App Proxy signature)
 *   redeem <customer id>     POST /proxy/redeem of the cheapest reward they can afford
 */
import { createHmac, randomUUID } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { DEMO_SHOP } from "./seed";
import { customerPayload, orderPayload, refundPayload } from "../../tests/fixtures/shopify-payloads";

const secretFile = join(process.env.COMEBACK_DATA_DIR || join(".data", "demo"), "secret");
const secret =
  process.env.SHOPIFY_API_SECRET || (existsSync(secretFile) ? readFileSync(secretFile, "utf8").trim() : "");
if (!secret) {
  console.error("No secret: start `npm run demo` first, or set SHOPIFY_API_SECRET");
  process.exit(1);
}
const base = `http://127.0.0.1:${process.env.PORT || "3000"}`;
const [what = "orders/paid", customerArg] = process.argv.slice(2);
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
