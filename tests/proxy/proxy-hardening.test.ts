import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postEntry } from "../../app/services/ledger";
import { startTestApp, type TestApp } from "../support/app";
import { createShop } from "../support/seed";
import { JSON_BODY, proxyUrl, signProxyPairs } from "../support/shopify";

/**
 * App Proxy requests that a review showed answered as the wrong shopper, or that a
 * cross-site form could send. Each is refused with a 4xx and nothing is read or written.
 */
let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
}, 120_000);
afterAll(async () => {
  await app?.close();
});

const rowsWritten = async () => {
  const [rateLimits, ledger] = await Promise.all([app.db.prisma.rateLimit.count(), app.db.prisma.ledgerEntry.count()]);
  return rateLimits + ledger;
};

async function shopWithTwoMembers() {
  const shop = await createShop(app.db.prisma, {});
  for (const customerId of [501, 502]) {
    const member = await app.db.prisma.member.create({
      data: { shopId: shop.id, customerId: BigInt(customerId), referralCode: `C${customerId}` },
    });
    await postEntry(app.db.prisma, {
      shopId: shop.id,
      memberId: member.id,
      points: customerId,
      kind: "EARN",
      source: "ADMIN",
      reason: { code: "adjustment", params: { note: "seed" } },
      idempotencyKey: `seed:${customerId}`,
    });
  }
  return shop;
}

function signed(shop: string, pairs: Array<[string, string]>): string {
  const base: Array<[string, string]> = [
    ["shop", shop],
    ["path_prefix", "/apps/comeback"],
    ["timestamp", String(Math.floor(Date.now() / 1000))],
  ];
  const keys = new Set(pairs.map(([key]) => key));
  return `${app.server.url}/proxy/member?${signProxyPairs([...base.filter(([key]) => !keys.has(key)), ...pairs])}`;
}

describe("App Proxy query keys that decide who is asking", () => {
  it.each([
    [
      "a repeated customer id (signed as 'A,B')",
      [
        ["logged_in_customer_id", "501"],
        ["logged_in_customer_id", "502"],
      ],
    ],
    ["a customer id with a trailing comma ('A,')", [["logged_in_customer_id", "501,"]]],
    [
      "a repeated path prefix",
      [
        ["logged_in_customer_id", "501"],
        ["path_prefix", "/apps/comeback"],
        ["path_prefix", "/apps/other"],
      ],
    ],
    [
      "an empty path prefix",
      [
        ["logged_in_customer_id", "501"],
        ["path_prefix", ""],
      ],
    ],
  ] as Array<[string, Array<[string, string]>]>)(
    "refuse %s with 400, reading and writing nothing",
    async (_name, pairs) => {
      const shop = await shopWithTwoMembers();
      const before = await rowsWritten();
      const response = await fetch(signed(shop.domain, pairs));
      expect(response.status).toBe(400);
      const body = (await response.json()) as { error: string; member?: unknown };
      expect(body.error).toMatch(/ambiguous_parameter|invalid/);
      expect(body.member).toBeUndefined();
      expect(await rowsWritten()).toBe(before);
    },
  );

  it("still answer a single, signed customer id as that customer", async () => {
    const shop = await shopWithTwoMembers();
    const response = await fetch(signed(shop.domain, [["logged_in_customer_id", "502"]]));
    expect(response.status).toBe(200);
    expect(((await response.json()) as { member: { balance: number } }).member.balance).toBe(502);
  });
});

describe("App Proxy writes", () => {
  it.each(["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", null])(
    "refuse content type %s with 415 (a cross-site form cannot post), writing nothing",
    async (type) => {
      const shop = await shopWithTwoMembers();
      const before = await rowsWritten();
      const response = await fetch(proxyUrl(app.server.url, "actions", { shop: shop.domain, customerId: 501 }), {
        method: "POST",
        headers: type ? { "Content-Type": type } : {},
        body: JSON.stringify({ action: "social_follow", network: "instagram" }),
      });
      expect(response.status).toBe(415);
      expect(await rowsWritten()).toBe(before);
    },
  );

  it("accept application/json with a charset", async () => {
    const shop = await shopWithTwoMembers();
    const response = await fetch(proxyUrl(app.server.url, "actions", { shop: shop.domain, customerId: 501 }), {
      method: "POST",
      headers: { "Content-Type": "application/json; charset=utf-8" },
      body: JSON.stringify({ action: "social_follow", network: "nowhere" }),
    });
    // Reaches the route, which knows no such network.
    expect(response.status).toBe(404);
  });
});

describe("guest rate limits", () => {
  it("count a guest by the address the trusted proxy appended, not the one the client wrote first", async () => {
    const shop = await shopWithTwoMembers();
    // The test server trusts one proxy hop (production's default): of "forged, real", the
    // last entry is what our proxy saw.
    for (const forged of ["6.6.6.6", "7.7.7.7", "8.8.8.8"]) {
      const response = await fetch(proxyUrl(app.server.url, "member", { shop: shop.domain }), {
        headers: { "X-Forwarded-For": `${forged}, 10.20.30.40`, "X-Comeback-Client-Address": forged, ...JSON_BODY },
      });
      expect(response.status).toBe(200);
    }
    const keys = (await app.db.prisma.rateLimit.findMany({ where: { key: { contains: shop.id } } })).map((row) => [
      row.key,
      row.count,
    ]);
    expect(keys).toEqual([[`proxy:read:${shop.id}:ip:10.20.30.40`, 3]]);
  });
});
