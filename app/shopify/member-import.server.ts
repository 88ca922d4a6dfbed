import type { Db } from "../platform/database/db";
import { runImport, type ImportCustomers } from "../services/member-import";
import { loadShopContext } from "../services/shop-context";
import { adminClientForShop, type AdminGraphql } from "./admin-api.server";
import { createCustomer, customersByEmail } from "./customers.server";
import { requestShopifySync } from "./customer-sync.server";

/** Shopify's customers as the import needs them, through the shop's Admin client. */
export function importCustomers(admin: AdminGraphql | null): ImportCustomers {
  return {
    // Without a token (uninstalled, not yet authorised) nobody can be looked up: rows
    // whose customer is not a member already are skipped as unknown to Shopify.
    byEmail: async (emails) => (admin ? customersByEmail(admin, emails) : new Map()),
    create: async (input) => {
      if (!admin) return null;
      const created = await createCustomer(admin, input);
      return "id" in created ? created.id : null;
    },
  };
}

/** The import job: runs the rows, then has the new balances pushed to the storefront. */
export async function runImportJob(db: Db, importId: string): Promise<number> {
  const job = await db.memberImport.findUnique({ where: { id: importId }, select: { shopId: true } });
  if (!job) return 0;
  const shop = await loadShopContext(db, { id: job.shopId });
  if (!shop) return 0;
  const admin = await adminClientForShop(db, shop.domain);
  const done = await runImport(db, shop, importId, importCustomers(admin));
  if (done > 0) await requestShopifySync(shop.id);
  return done;
}
