import type { LoaderFunctionArgs } from "@remix-run/node";
import prisma from "../db.server";
import { exportBirthday } from "../domain/member-import";
import { csvResponse } from "../http/csv";
import { exportMembers, parseMemberListQuery } from "../services/member-list";
import { MAX_PICKED } from "../services/admin/bulk-members";
import { isUuid } from "../domain/validation";
import { adminContext } from "../shopify/admin-context.server";

/**
 * GET /app/members/export?q=&tier=&dormant=: the members the list's filters match, as
 * CSV; with ids= (members picked on the list, comma-separated), only those of them. The columns are the import's "Comeback" format, so the file round-trips
 * (README: Members CSV).
 */
const MEMBER_COLUMNS = [
  "email",
  "shopify_customer_id",
  "first_name",
  "points_balance",
  "lifetime_points",
  "tier",
  "birthday",
  "referral_code",
  "enrolled_at",
  "status",
  "orders",
  "last_order_at",
] as const;

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await adminContext(request);
  const params = new URL(request.url).searchParams;
  const query = parseMemberListQuery(params);
  const ids = params.has("ids") ? (params.get("ids") ?? "").split(",").filter(isUuid).slice(0, MAX_PICKED) : undefined;
  const tiers = new Map(shop.tiers.map((tier) => [tier.id, tier.name]));
  async function* rows() {
    for await (const m of exportMembers(prisma, shop, query, { ids }))
      yield [
        m.email,
        m.customerId?.toString(),
        m.firstName,
        m.balance,
        m.lifetimeEarned,
        m.tierId ? tiers.get(m.tierId) : "",
        exportBirthday(m.birthday),
        m.referralCode,
        m.enrolledAt.toISOString(),
        m.status,
        m.orderCount,
        m.lastOrderAt?.toISOString(),
      ];
  }
  return csvResponse(`comeback-members-${new Date().toISOString().slice(0, 10)}.csv`, MEMBER_COLUMNS, rows());
};
