import type { LoaderFunctionArgs } from "@remix-run/node";
import prisma from "../db.server";
import { csvResponse } from "../http/csv";
import { exportLedger } from "../services/member-list";
import { adminContext } from "../shopify/admin-context.server";

/**
 * GET /app/ledger/export?from=yyyy-mm-dd&to=yyyy-mm-dd: every points entry in the range
 * (to inclusive; the last 30 days without one), oldest first, streamed (README: Points
 * history CSV).
 */
const DAY = 86_400_000;

function day(text: string | null): Date | null {
  if (!text || !/^\d{4}-\d{2}-\d{2}$/.test(text)) return null;
  const date = new Date(`${text}T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? null : date;
}

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await adminContext(request);
  const params = new URL(request.url).searchParams;
  const to = day(params.get("to"));
  const from = day(params.get("from"));
  const range = {
    from: from ?? new Date(Date.now() - 30 * DAY),
    to: to ? new Date(to.getTime() + DAY) : new Date(Date.now() + 1000),
  };
  if (range.from >= range.to)
    return new Response("The start date must be before the end date.", {
      status: 400,
      headers: { "Content-Type": "text/plain; charset=utf-8" },
    });
  async function* rows() {
    for await (const e of exportLedger(prisma, shop.id, range))
      yield [
        e.id.toString(),
        e.createdAt.toISOString(),
        e.customerId?.toString(),
        e.email,
        e.points,
        e.kind,
        e.source,
        e.reason,
        e.orderId?.toString(),
      ];
  }
  return csvResponse(
    `comeback-points-${range.from.toISOString().slice(0, 10)}.csv`,
    ["entry_id", "created_at", "shopify_customer_id", "member_email", "points", "kind", "source", "reason", "order_id"],
    rows(),
  );
};
