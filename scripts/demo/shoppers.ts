import type pg from "pg";

/**
 * The demo storefront's "who is logged in" list: the five newest customers (so one created
 * a moment ago by a `customers/create` webhook can be picked at once), then the members
 * with the most points to spend. Read on every page view; the balance in the label is the
 * app's, the widget itself shows what the app synced to "Shopify".
 */
export async function demoShoppers(pool: pg.Pool, shop: string): Promise<Array<{ id: number; name: string }>> {
  const { rows } = await pool.query<{ customerId: string; firstName: string | null; balance: number }>(
    `WITH shop AS (SELECT id FROM "Shop" WHERE domain = $1),
          active AS (SELECT m.* FROM "Member" m, shop WHERE m."shopId" = shop.id
                     AND m."customerId" IS NOT NULL AND m.status = 'ACTIVE'),
          newest AS (SELECT * FROM active ORDER BY "enrolledAt" DESC, id DESC LIMIT 5),
          richest AS (SELECT * FROM active ORDER BY balance DESC, id LIMIT 20)
     SELECT "customerId"::text, "firstName", balance FROM newest
     UNION SELECT "customerId"::text, "firstName", balance FROM richest
     ORDER BY balance DESC, "customerId"`,
    [shop],
  );
  return rows.map((r) => ({
    id: Number(r.customerId),
    name: `${r.firstName ?? "Shopper"} #${r.customerId} (${r.balance})`,
  }));
}

/** Customer ids for the helper commands the demo prints: a member who bought, and the richest. */
export async function demoExamples(pool: pg.Pool, shop: string): Promise<{ buyer: string; rich: string }> {
  const { rows } = await pool.query<{ buyer: string | null; rich: string | null }>(
    `WITH active AS (SELECT m.* FROM "Member" m JOIN "Shop" s ON s.id = m."shopId"
                     WHERE s.domain = $1 AND m.status = 'ACTIVE' AND m."customerId" IS NOT NULL)
     SELECT (SELECT "customerId"::text FROM active WHERE "orderCount" > 0 ORDER BY "customerId" LIMIT 1) AS buyer,
            (SELECT "customerId"::text FROM active ORDER BY balance DESC, "customerId" LIMIT 1) AS rich`,
    [shop],
  );
  return { buyer: rows[0]?.buyer ?? "<customer id>", rich: rows[0]?.rich ?? "<customer id>" };
}
